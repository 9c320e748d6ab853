// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;
using System.Text.Json;
using Numerics.Cli.IO;
using Numerics.Cli.Tests.IO;
using Numerics.Quantization;

namespace Numerics.Cli.Tests;

/// <summary>Scaled-float formats in <c>numerics quantize</c>; scaled-float, preset and KIVI rows in <c>numerics report</c>.</summary>
public sealed class ScaledKiviReportQuantizeTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-6, 6))))];
    }

    [Theory]
    [InlineData("fp4-e2m1", "32")]
    [InlineData("fp8-e4m3", "0")]
    [InlineData("fp8-e5m2", "64")]
    public void Quantize_scaled_writes_codes_and_float32_scales(string format, string group)
    {
        using var dir = new TempDirectory();
        float[] values = Values(8 * 128, 3);
        string input = dir.File("in.safetensors");
        SafetensorsFile.Write(input, [new("w", TensorData.FromSingle(values, [8, 128]))]);
        string output = dir.File("out.safetensors");
        (int code, string stdout, string stderr) = Run("quantize", "--format", format, "--group-size", group, "--input", input, "--output", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("w", stdout, StringComparison.Ordinal);

        int g = int.Parse(group, System.Globalization.CultureInfo.InvariantCulture);
        var options = new ScaledFloatOptions
        {
            Element = format switch { "fp4-e2m1" => ScaledFloatElement.E2M1, "fp8-e4m3" => ScaledFloatElement.E4M3, _ => ScaledFloatElement.E5M2 },
            Granularity = g == 0 ? QuantizationGranularity.PerChannel : QuantizationGranularity.PerGroup,
            Axis = g == 0 ? 0 : 1,
            GroupSize = Math.Max(g, 1),
        };
        ScaledFloatTensor q = ScaledFloatQuantizer.Quantize(values, 8, 128, options);
        using SafetensorsFile file = SafetensorsFile.Open(output);
        byte[] codes = file.ReadBytes("w.codes");
        if (options.Element == ScaledFloatElement.E2M1)
        {
            Assert.Equal(values.Length / 2, codes.Length);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.Equal(q.Codes.Span[i], (codes[i / 2] >> (4 * (i % 2))) & 0xF); // ONNX / torch float4_e2m1fn_x2 nibble order
            }
        }
        else
        {
            Assert.Equal(q.Codes.ToArray(), codes);
        }

        float[] scales = MemoryMarshal.Cast<byte, float>(file.ReadBytes("w.scales")).ToArray();
        Assert.Equal(q.Scales.ToArray(), scales);
        Assert.Equal(g == 0 ? 8 : 8 * 128 / g, scales.Length);
    }

    [Fact]
    public void Report_has_scaled_preset_and_kivi_rows_with_the_library_errors()
    {
        using var dir = new TempDirectory();
        float[] values = Values(64 * 256, 11);
        string path = dir.File("m.safetensors");
        SafetensorsFile.Write(path, [new("x", TensorData.FromSingle(values, [64, 256]))]);
        (int code, string output, string error) = Run("report", "--input", path, "--formats", "scaled,W8A8,W4A16,kivi", "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("scheme").GetString()!, r => r);
        foreach (string name in new[]
        {
            "scaled fp8 e4m3 per-tensor", "scaled fp8 e4m3 per-row256", "scaled fp8 e5m2 per-row256", "scaled fp4 e2m1 g32", "scaled fp4 e2m1 g32 pow2",
            "W8A8-FP weights", "W8A8-INT weights", "W4A16-INT weights",
            "kivi int2 keys per-channel g32", "kivi int2 values per-token g32", "kivi int4 keys per-channel g32", "kivi int4 values per-token g32",
        })
        {
            Assert.True(rows.ContainsKey(name), $"missing row '{name}' in {string.Join(", ", rows.Keys)}");
        }

        // Rows recomputed here through the library: W8A8-INT weights = INT8 per row of 256; fp4 g32 = scaled E2M1 per group of 32.
        float[] int8 = IntegerQuantizer.Quantize(values, 64, 256, IntegerQuantizationOptions.Int8PerChannel).ToFloat();
        Assert.Equal(ErrorMetrics.Compare(values, int8).RootMeanSquaredError, rows["W8A8-INT weights"].GetProperty("rmse").GetDouble());
        float[] fp4 = ScaledFloatQuantizer.Quantize(values, values.Length / 32, 32, new ScaledFloatOptions { Element = ScaledFloatElement.E2M1, Granularity = QuantizationGranularity.PerChannel, Axis = 0 }).ToFloat();
        Assert.Equal(ErrorMetrics.Compare(values, fp4).RootMeanSquaredError, rows["scaled fp4 e2m1 g32"].GetProperty("rmse").GetDouble());

        // KIVI keys: 16384 / 128 = 128 tokens, all quantized (R = 32 divides 128); int4 beats int2.
        Assert.True(rows["kivi int4 keys per-channel g32"].GetProperty("rmse").GetDouble() < rows["kivi int2 keys per-channel g32"].GetProperty("rmse").GetDouble());
        var cache = new KiviCache(128, 2, 2, 32, 32);
        for (int t = 0; t < 128; t++)
        {
            cache.Append(values.AsSpan(t * 128, 128), values.AsSpan(t * 128, 128));
        }

        float[] keys = new float[values.Length];
        cache.GetKeys(keys);
        Assert.Equal(ErrorMetrics.Compare(values, keys).RootMeanSquaredError, rows["kivi int2 keys per-channel g32"].GetProperty("rmse").GetDouble());
    }
}
