// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Cli.IO;
using Numerics.Formats;
using Numerics.Quantization;
using Numerics.Testing;

namespace Numerics.Cli.Tests;

/// <summary><c>numerics chop</c> and <c>numerics quantize</c> end to end through files.</summary>
public sealed class ChopQuantizeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("numerics-cq-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private string Input(out float[] values)
    {
        var random = new Random(7);
        values = new float[8 * 64];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-12, 12)));
        }

        string path = Path.Combine(_dir, "in.safetensors");
        SafetensorsFile.Write(path, [new("w", TensorData.FromSingle(values, [8, 64]))]);
        return path;
    }

    [Theory]
    [InlineData("bf16", "rne")]
    [InlineData("float8_e4m3fn", "rz")]
    [InlineData("p=5,emin=-6,emax=6,ftz", "rna")]
    public void Chop_writes_values_equal_to_the_exact_oracle(string format, string rounding)
    {
        string input = Input(out float[] values);
        string output = Path.Combine(_dir, "out.npy");
        (int code, string stdout, string stderr) = Run("chop", "--format", format, "--rounding", rounding, "--input", input, "--output", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("w", stdout, StringComparison.Ordinal);

        float[] chopped = NpyFile.Read(output).ToSingle();
        FloatFormat f = format switch
        {
            "bf16" => FloatFormat.BFloat16,
            "float8_e4m3fn" => FloatFormat.E4M3FN,
            _ => FloatFormat.Create(5, -6, 6, subnormals: false),
        };
        RoundingMode mode = rounding switch { "rne" => RoundingMode.NearestEven, "rz" => RoundingMode.TowardZero, _ => RoundingMode.NearestAway };
        for (int i = 0; i < values.Length; i++)
        {
            double expected = ExactRounding.Round(values[i], f, mode, OverflowMode.NonSaturating);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits((double)chopped[i]));
        }
    }

    [Fact]
    public void Quantize_q8_0_bin_holds_the_ggml_block_bytes()
    {
        string input = Input(out float[] values);
        string output = Path.Combine(_dir, "w.bin");
        (int code, string stdout, string stderr) = Run("quantize", "--format", "q8_0", "--input", input, "--output", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("8.5", stdout, StringComparison.Ordinal); // 34 bytes per 32 values

        byte[] expected = new byte[GgmlBlocks.RowSize(GgmlType.Q8_0, values.Length)];
        GgmlBlocks.Quantize(GgmlType.Q8_0, values, expected);
        Assert.Equal(expected, File.ReadAllBytes(output));
    }

    [Fact]
    public void Quantize_mx_writes_codes_and_scales()
    {
        string input = Input(out float[] values);
        string output = Path.Combine(_dir, "mx.safetensors");
        (int code, _, string stderr) = Run("quantize", "--format", "mx-e4m3", "--input", input, "--output", output);
        Assert.True(code == 0, stderr);
        using SafetensorsFile file = SafetensorsFile.Open(output);
        byte[] scales = new byte[Mx.ScaleCount(values.Length)];
        byte[] codes = new byte[values.Length];
        Mx.Quantize(MxElement.E4M3, values, scales, codes);
        Assert.Equal(scales, file.ReadBytes("w.scales_e8m0"));
        Assert.Equal(codes, file.ReadBytes("w.codes")); // 8-bit elements pack one per byte
    }

    [Theory]
    [InlineData("quantize", "--format", "q9_9")]
    [InlineData("quantize", "--format", "int4", "--group-size", "-1")]
    [InlineData("quantize", "--format", "mx-e2m1", "--output-ext", ".bin")]
    [InlineData("chop", "--format", "e4m3fn", "--rounding", "sideways")]
    [InlineData("chop", "--format", "p=0,emin=-6,emax=6")]
    public void Bad_arguments_exit_2(params string[] args)
    {
        string input = Input(out _);
        var list = args.ToList();
        string ext = ".safetensors";
        int extIndex = list.IndexOf("--output-ext");
        if (extIndex >= 0)
        {
            ext = list[extIndex + 1];
            list.RemoveRange(extIndex, 2);
        }

        list.AddRange(["--input", input, "--output", Path.Combine(_dir, "o" + ext)]);
        (int code, _, string stderr) = Run([.. list]);
        Assert.Equal(2, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
