// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
using Numerics.Cli.IO;
using Numerics.Cli.Tests.IO;
using Numerics.Quantization;

namespace Numerics.Cli.Tests;

/// <summary><c>numerics report --input FILE [--tensor NAME]</c> through <see cref="NumericsApp.Run"/>.</summary>
public sealed class ReportInputTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private static void AssertBadInput((int Code, string Out, string Err) result, string mentions)
    {
        Assert.Equal(2, result.Code);
        string[] lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("numerics: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(mentions, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public void A_quantizer_meeting_NaN_or_infinity_is_refused_with_the_tensor_and_scheme_named()
    {
        using var dir = new TempDirectory();
        float[] values = [.. Enumerable.Range(0, 64).Select(i => i == 5 ? float.NaN : i == 9 || i == 11 ? float.NegativeInfinity : i * 0.25f)];
        string npy = dir.File("bad.npy");
        NpyFile.Write(npy, TensorData.FromSingle(values, [64]));
        AssertBadInput(Run("report", "--input", npy, "--formats", "q8_0"), "has 1 NaN and 2 infinite values (the first is element 5, NaN); ggml q8_0 needs finite values");

        // In a .safetensors file the message names the tensor, here the second one; the first is fine.
        string st = dir.File("m.safetensors");
        SafetensorsFile.Write(st, [new("good", TensorData.FromSingle([1f, 2f], [2])), new("bad.weight", TensorData.FromSingle(values, [8, 8]))]);
        var result = Run("report", "--input", st, "--formats", "q4_0");
        AssertBadInput(result, "tensor 'bad.weight' has 1 NaN and 2 infinite values");

        // All NaN, default schemes: the same refusal (before, the first quantizer's argument exception, naming neither).
        NpyFile.Write(npy, TensorData.FromSingle(Enumerable.Repeat(float.NaN, 64).ToArray(), [64]));
        AssertBadInput(Run("report", "--input", npy), "has 64 NaN and 0 infinite values (the first is element 0, NaN)");

        // Casts take NaN and infinity: a cast-only report still runs.
        (int code, string output, string error) = Run("report", "--input", npy, "--formats", "fp16");
        Assert.True(code == 0, error);
        Assert.Contains("fp16", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Schemes_with_blocks_longer_than_the_tensor_give_no_row()
    {
        using var dir = new TempDirectory();
        string npy = dir.File("short.npy");
        NpyFile.Write(npy, TensorData.FromSingle([.. Enumerable.Range(0, 64).Select(i => (i * 0.37f) - 9f)], [64]));
        (int code, string output, string error) = Run("report", "--input", npy, "--formats", "int8", "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        string[] schemes = [.. json.RootElement.EnumerateArray().Select(r => r.GetProperty("scheme").GetString()!)];
        Assert.Contains("mx int8", schemes); // blocks of 32
        Assert.DoesNotContain("int8 g128", schemes); // 64 < 128: it measured zero elements and showed RMSE 0, cosine 1
        Assert.All(json.RootElement.EnumerateArray(), r => Assert.True(r.GetProperty("elements").GetInt64() > 0));
    }

    [Fact]
    public void Safetensors_reports_every_nonempty_float_tensor()
    {
        (int code, string output, string error) = Run("report", "--input", TestFiles.Data("handmade.safetensors"), "--formats", "fp16");
        Assert.True(code == 0, error);
        foreach (string name in new[] { "w.f32", "w.f16", "w.bf16", "w.f64", "q.e4m3", "q.e5m2" })
        {
            Assert.Contains(name + " (", output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("ids.i8", output, StringComparison.Ordinal);
        Assert.DoesNotContain("empty", output, StringComparison.Ordinal);
        Assert.DoesNotContain("default.weight", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensor_selects_one_and_the_json_agrees_with_ErrorMetrics()
    {
        using var dir = new TempDirectory();
        var random = new Random(5);
        float[] values = [.. Enumerable.Range(0, 3000).Select(_ => (float)(random.NextDouble() - 0.5) * 10)];
        string path = dir.File("m.safetensors");
        SafetensorsFile.Write(path, [new("x", TensorData.FromSingle(values, [30, 100])), new("y", TensorData.FromSingle([1f], [1]))]);

        (int code, string output, string error) = Run("report", "--input", path, "--tensor", "x", "--formats", "fp16", "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement row = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("x", row.GetProperty("tensor").GetString());
        Assert.Equal(3000, row.GetProperty("elements").GetInt64());

        // The fp16 round trip computed here, element by element with System.Half, and the library's metrics of it.
        float[] roundTrip = [.. values.Select(v => (float)(Half)v)];
        ErrorReport expected = ErrorMetrics.Compare(values, roundTrip);
        Assert.Equal(expected.RootMeanSquaredError, row.GetProperty("rmse").GetDouble());
        Assert.Equal(expected.MaxAbsoluteError, row.GetProperty("maxAbsError").GetDouble());
    }

    [Fact]
    public void Npy_input_is_named_after_the_file_and_u2_is_bfloat16()
    {
        (int code, string output, string error) = Run("report", "--input", TestFiles.Data("f4_c_v1.npy"), "--formats", "fp16");
        Assert.True(code == 0, error);
        Assert.Contains("f4_c_v1 (6 elements)", output, StringComparison.Ordinal);

        (code, output, error) = Run("report", "--input", TestFiles.Data("bf16_u2_v3.npy"), "--formats", "fp16", "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal("bf16_u2_v3", json.RootElement[0].GetProperty("tensor").GetString());

        // The tensor holds +inf, so the error inf - inf is NaN: JSON has no NaN, so it is written as a string.
        Assert.Equal("NaN", json.RootElement[0].GetProperty("rmse").GetString());
    }

    [Fact]
    public void Unknown_tensor_name_exits_2() =>
        AssertBadInput(Run("report", "--input", TestFiles.Data("handmade.safetensors"), "--tensor", "no.such"), "no tensor named 'no.such'");

    [Fact]
    public void Integer_tensor_exits_2() =>
        AssertBadInput(Run("report", "--input", TestFiles.Data("handmade.safetensors"), "--tensor", "ids.i8"), "not floating point");

    [Fact]
    public void Tensor_without_input_exits_2() => AssertBadInput(Run("report", "--tensor", "x"), "--tensor needs --input");

    [Fact]
    public void Tensor_with_an_npy_input_exits_2() =>
        AssertBadInput(Run("report", "--input", TestFiles.Data("f4_c_v1.npy"), "--tensor", "x"), "an .npy file holds one array");

    [Fact]
    public void Missing_file_exits_2() => AssertBadInput(Run("report", "--input", "/no/such/file.npy"), "/no/such/file.npy");

    [Fact]
    public void Unknown_extension_exits_2()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.bin");
        File.WriteAllBytes(path, new byte[16]);
        AssertBadInput(Run("report", "--input", path), "not an .npy file and not named *.safetensors");
    }

    public static TheoryData<string, byte[]> MalformedFiles() => new()
    {
        { "trunc.npy", TestFiles.Npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", new byte[3]) },
        { "baddtype.npy", TestFiles.Npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }\n", new byte[16]) },
        { "short.safetensors", new byte[5] },
        { "huge.safetensors", TestFiles.Safetensors("{}", [], headerLengthOverride: ulong.MaxValue) },
        { "json.safetensors", TestFiles.Safetensors("{\"a\": ", []) },
        { "overlap.safetensors", TestFiles.Safetensors("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}", new byte[3]) },
        { "magic.npy", new byte[32] },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_file_exits_2_with_one_line_naming_it(string name, byte[] bytes)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        AssertBadInput(Run("report", "--input", path, "--formats", "fp16"), path + ": ");
    }
}
