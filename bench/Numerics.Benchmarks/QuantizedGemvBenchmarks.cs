// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Numerics.Kernels;
using Numerics.Quantization;

namespace Numerics.Benchmarks;

/// <summary>
/// Quantized GEMV (M = 1, N = K = 4096, FP32 activations) per weight format, beside <c>Span.CopyTo</c> of the same number of
/// compressed weight bytes (the bandwidth yardstick, run in the same process). The "weights GB/s" column is the compressed
/// weight bytes divided by the mean time for both methods (a copy also writes as many bytes as it reads).
/// Issue 6 target: GEMV ≥ 0.7× the memory bandwidth of its compressed weights.
/// </summary>
/// <remarks>Run with <c>dotnet run -c Release --project bench/Numerics.Benchmarks -- --filter '*QuantizedGemvBenchmarks*' --job short</c>.</remarks>
[Config(typeof(QuantizedGemvConfig))]
public class QuantizedGemvBenchmarks
{
    /// <summary>Weight rows (outputs) and values per row.</summary>
    public const int N = 4096, K = 4096;

    private float[] _a = [], _c = [], _scales = [];
    private byte[] _weights = [], _copy = [];
    private QuantizedTensor? _int4;

    /// <summary>Weight format.</summary>
    [Params("Q8_0", "Q4_0", "MXFP4", "E4M3FN", "INT4")]
    public string Format { get; set; } = "Q8_0";

    /// <summary>Threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Compressed weight bytes of a format at N × K (codes plus scales).</summary>
    public static long WeightBytes(string format) => format switch
    {
        "Q8_0" => (long)N * GgmlBlocks.RowSize(GgmlType.Q8_0, K),
        "Q4_0" => (long)N * GgmlBlocks.RowSize(GgmlType.Q4_0, K),
        "MXFP4" => (long)N * GgmlBlocks.RowSize(GgmlType.MXFP4, K),
        "E4M3FN" => ((long)N * K) + (N * 4L), // one float scale per row
        _ => ((long)N * K / 2) + ((long)N * K / 128 * 8), // INT4 per group of 128: float scale + int zero point
    };

    /// <summary>Quantizes random weights.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = new float[K];
        _c = new float[N];
        for (int i = 0; i < K; i++)
        {
            _a[i] = (float)random.NextDouble() - 0.5f;
        }

        float[] w = new float[N * K];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)random.NextDouble() - 0.5f;
        }

        switch (Format)
        {
            case "Q8_0" or "Q4_0" or "MXFP4":
                GgmlType type = Enum.Parse<GgmlType>(Format);
                _weights = new byte[WeightBytes(Format)];
                GgmlBlocks.Quantize(type, w, _weights);
                break;
            case "E4M3FN":
                _weights = new byte[N * K];
                for (int i = 0; i < _weights.Length; i++)
                {
                    int code = random.Next(256);
                    _weights[i] = (byte)((code & 0x7F) == 0x7F ? 0x7E : code);
                }

                _scales = Enumerable.Repeat(0.01f, N).ToArray();
                break;
            default:
                _int4 = IntegerQuantizer.Quantize(w, N, K, IntegerQuantizationOptions.Int4PerGroup128);
                break;
        }

        _copy = new byte[WeightBytes(Format) * 2];
        random.NextBytes(_copy);
    }

    /// <summary>One GEMV c = W·a.</summary>
    [Benchmark]
    public void Gemv()
    {
        switch (Format)
        {
            case "Q8_0": QuantizedGemm.Multiply(GgmlType.Q8_0, _a, _weights, _c, 1, N, K, Threads); break;
            case "Q4_0": QuantizedGemm.Multiply(GgmlType.Q4_0, _a, _weights, _c, 1, N, K, Threads); break;
            case "MXFP4": QuantizedGemm.Multiply(GgmlType.MXFP4, _a, _weights, _c, 1, N, K, Threads); break;
            case "E4M3FN": QuantizedGemm.MultiplyE4M3FN(_a, _weights, _scales, K, _c, 1, N, K, Threads); break;
            default: QuantizedGemm.MultiplyInt4(_a, _int4!, _c, 1, Threads); break;
        }
    }

    /// <summary>The yardstick: copy as many bytes as the compressed weights (half of the buffer to the other half; 1 thread).</summary>
    [Benchmark(Baseline = true)]
    public void CopyWeights()
    {
        int half = _copy.Length / 2;
        _copy.AsSpan(0, half).CopyTo(_copy.AsSpan(half));
    }
}

/// <summary>Adds the weights GB/s column.</summary>
public sealed class QuantizedGemvConfig : ManualConfig
{
    /// <summary>Registers the column.</summary>
    public QuantizedGemvConfig() => AddColumn(new WeightBandwidthColumn());
}

/// <summary>Compressed weight bytes / mean time.</summary>
public sealed class WeightBandwidthColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => "WeightGBs";

    /// <inheritdoc/>
    public string ColumnName => "weights GB/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "compressed weight bytes (4096×4096) / mean";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is null or <= 0)
        {
            return "-";
        }

        long bytes = QuantizedGemvBenchmarks.WeightBytes((string)benchmarkCase.Parameters["Format"]);
        return (bytes / meanNs.Value).ToString("F1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
