// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Numerics.Kernels;
using Numerics.Quantization;

namespace Numerics.Benchmarks;

/// <summary>
/// Quantized GEMV (M = 1, FP32 activations) per weight format and shape, beside two yardsticks over exactly the compressed
/// weight bytes, run in the same process: <see cref="ReadWeights"/> streams them once (a vectorized XOR reduction, split
/// between the same number of threads: the memory bandwidth a GEMV could reach), and <see cref="CopyWeights"/> copies them
/// (one thread; reads and writes as many bytes). The "weights GB/s" column is the compressed weight bytes divided by the
/// mean for every row, so GEMV GB/s over ReadWeights GB/s of the same format, shape and thread count is the fraction of
/// the read bandwidth the GEMV reaches (issue 6 target: ≥ 0.7). ReadWeights is the baseline: its Ratio column is read time
/// / GEMV time inverted (GEMV ratio 1.4 = 0.71 of the read bandwidth).
/// </summary>
/// <remarks>
/// Shapes are N × K (weight rows = outputs × values per row), or N × K × L: L distinct weight matrices of N × K, one GEMV
/// (and one read) per call on each in turn, as a decoder walks its layers. At 4096 × 4096 the compressed weights
/// (8.5-17.8 MB) fit in the 32 MiB L3, so both the GEMV and the read run partly from L3; at 4096 × 4096 × 8 (68-142 MB in
/// all) each call finds its matrix evicted by the seven others, which is the decode case (the weights stream from DRAM), and
/// at 16384 × 4096 (34-71 MB) one matrix exceeds the L3. The weights GB/s column counts one matrix per call. Run with <c>dotnet run -c Release --project bench/Numerics.Benchmarks -- --filter '*QuantizedGemvBenchmarks*' --job short</c>.
/// </remarks>
[Config(typeof(QuantizedGemvConfig))]
public class QuantizedGemvBenchmarks
{
    private float[] _a = [], _c = [], _scales = [];
    private byte[] _copy = [];
    private byte[][] _weights = [], _read = [];
    private QuantizedTensor[] _int4 = [];
    private int _n, _k, _layers, _next;

    /// <summary>
    /// Weight format. "Q4_0xQ8", "MXFP4xQ8" and "INT4xQ8" are the same weights as Q4_0, MXFP4 and INT4 against activations
    /// quantized to Q8_0 per call (<see cref="QuantizedGemm.MultiplyQuantizedActivations"/>,
    /// <see cref="QuantizedGemm.MultiplyInt4QuantizedActivations"/>: llama.cpp's arithmetic; the quantization is timed too).
    /// </summary>
    [Params("Q8_0", "Q4_0", "MXFP4", "E4M3FN", "INT4", "Q4_0xQ8", "MXFP4xQ8", "INT4xQ8")]
    public string Format { get; set; } = "Q8_0";

    /// <summary>N × K: weight rows (outputs) × values per row.</summary>
    [Params("4096x4096", "4096x4096x8", "16384x4096")]
    public string Shape { get; set; } = "4096x4096";

    /// <summary>Threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The (N, K) of a shape string ("NxK" or "NxKxL").</summary>
    public static (int N, int K) Parse(string shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        string[] parts = shape.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The number of distinct weight matrices of a shape string (L of "NxKxL", else 1).</summary>
    public static int Layers(string shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        string[] parts = shape.Split('x');
        return parts.Length > 2 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 1;
    }

    /// <summary>Compressed weight bytes of one N × K matrix of a format (codes plus scales).</summary>
    public static long WeightBytes(string format, string shape)
    {
        (int n, int k) = Parse(shape);
        return format switch
        {
            "Q8_0" => (long)n * GgmlBlocks.RowSize(GgmlType.Q8_0, k),
            "Q4_0" or "Q4_0xQ8" => (long)n * GgmlBlocks.RowSize(GgmlType.Q4_0, k),
            "MXFP4" or "MXFP4xQ8" => (long)n * GgmlBlocks.RowSize(GgmlType.MXFP4, k),
            "E4M3FN" => ((long)n * k) + (n * 4L), // one float scale per row
            _ => ((long)n * k / 2) + ((long)n * k / 128 * 8), // INT4 per group of 128: float scale + int zero point
        };
    }

    /// <summary>Quantizes random weights.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_n, _k) = Parse(Shape);
        _layers = Layers(Shape);
        _next = 0;
        var random = new Random(42);
        _a = new float[_k];
        _c = new float[_n];
        for (int i = 0; i < _k; i++)
        {
            _a[i] = (float)random.NextDouble() - 0.5f;
        }

        long bytes = WeightBytes(Format, Shape);
        byte[] first = [];
        switch (Format)
        {
            case "Q8_0" or "Q4_0" or "MXFP4" or "Q4_0xQ8" or "MXFP4xQ8":
                GgmlType type = Enum.Parse<GgmlType>(Format.Replace("xQ8", string.Empty, StringComparison.Ordinal));
                first = new byte[bytes];
                GgmlBlocks.Quantize(type, RandomWeights(random), first);
                break;
            case "E4M3FN":
                first = new byte[(long)_n * _k];
                for (long i = 0; i < first.Length; i++)
                {
                    int code = random.Next(256);
                    first[i] = (byte)((code & 0x7F) == 0x7F ? 0x7E : code);
                }

                _scales = Enumerable.Repeat(0.01f, _n).ToArray();
                break;
            default:
                float[] values = RandomWeights(random);
                _int4 = new QuantizedTensor[_layers];
                for (int layer = 0; layer < _layers; layer++)
                {
                    _int4[layer] = IntegerQuantizer.Quantize(values, _n, _k, IntegerQuantizationOptions.Int4PerGroup128);
                }

                break;
        }

        // Every layer its own copy in memory: the same values, so the same work, at a different address.
        _weights = new byte[_layers][];
        _read = new byte[_layers][];
        for (int layer = 0; layer < _layers; layer++)
        {
            _weights[layer] = (byte[])first.Clone();
            _read[layer] = new byte[bytes];
            random.NextBytes(_read[layer]);
        }

        _copy = new byte[bytes * 2];
        random.NextBytes(_copy);
    }

    /// <summary>The layer of this call: each in turn.</summary>
    private int NextLayer()
    {
        int layer = _next;
        _next = layer + 1 == _layers ? 0 : layer + 1;
        return layer;
    }

    private float[] RandomWeights(Random random)
    {
        float[] w = new float[(long)_n * _k];
        for (long i = 0; i < w.Length; i++)
        {
            w[i] = (float)random.NextDouble() - 0.5f;
        }

        return w;
    }

    /// <summary>One GEMV c = W·a.</summary>
    [Benchmark]
    public void Gemv()
    {
        int layer = NextLayer();
        switch (Format)
        {
            case "Q8_0": QuantizedGemm.Multiply(GgmlType.Q8_0, _a, _weights[layer], _c, 1, _n, _k, Threads); break;
            case "Q4_0": QuantizedGemm.Multiply(GgmlType.Q4_0, _a, _weights[layer], _c, 1, _n, _k, Threads); break;
            case "MXFP4": QuantizedGemm.Multiply(GgmlType.MXFP4, _a, _weights[layer], _c, 1, _n, _k, Threads); break;
            case "Q4_0xQ8": QuantizedGemm.MultiplyQuantizedActivations(GgmlType.Q4_0, _a, _weights[layer], _c, 1, _n, _k, Threads); break;
            case "MXFP4xQ8": QuantizedGemm.MultiplyQuantizedActivations(GgmlType.MXFP4, _a, _weights[layer], _c, 1, _n, _k, Threads); break;
            case "E4M3FN": QuantizedGemm.MultiplyE4M3FN(_a, _weights[layer], _scales, _k, _c, 1, _n, _k, Threads); break;
            case "INT4xQ8": QuantizedGemm.MultiplyInt4QuantizedActivations(_a, _int4[layer], _c, 1, Threads); break;
            default: QuantizedGemm.MultiplyInt4(_a, _int4[layer], _c, 1, Threads); break;
        }
    }

    /// <summary>The read yardstick: every compressed weight byte of one matrix (each in turn) read once (XOR of 64-byte vectors), on <see cref="Threads"/> threads.</summary>
    /// <returns>The reduction (so the reads cannot be removed).</returns>
    [Benchmark(Baseline = true)]
    public ulong ReadWeights()
    {
        byte[] read = _read[NextLayer()];
        if (Threads == 1)
        {
            return XorRange(read, 0, read.Length);
        }

        ulong result = 0;
        int parts = Threads;
        long chunk = (read.Length / parts) & ~63L;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
        {
            long start = p * chunk, end = p == parts - 1 ? read.Length : start + chunk;
            ulong x = XorRange(read, start, end);
            Interlocked.Add(ref result, x);
        });
        return result;
    }

    /// <summary>The copy yardstick of the earlier runs: copy as many bytes as the compressed weights (half of the buffer to the other half; 1 thread).</summary>
    [Benchmark]
    public void CopyWeights()
    {
        long half = _copy.LongLength / 2;
        for (long done = 0; done < half;)
        {
            int step = (int)Math.Min(half - done, 1 << 30);
            _copy.AsSpan((int)done, step).CopyTo(_copy.AsSpan((int)(half + done), step));
            done += step;
        }
    }

    private static unsafe ulong XorRange(byte[] data, long start, long end)
    {
        fixed (byte* p = data)
        {
            Vector512<ulong> x0 = default, x1 = default, x2 = default, x3 = default;
            long i = start;
            for (; i + 256 <= end; i += 256)
            {
                x0 ^= Vector512.Load((ulong*)(p + i));
                x1 ^= Vector512.Load((ulong*)(p + i + 64));
                x2 ^= Vector512.Load((ulong*)(p + i + 128));
                x3 ^= Vector512.Load((ulong*)(p + i + 192));
            }

            ulong tail = 0;
            for (; i < end; i++)
            {
                tail ^= p[i];
            }

            Vector512<ulong> x = x0 ^ x1 ^ x2 ^ x3;
            ulong r = tail;
            for (int j = 0; j < Vector512<ulong>.Count; j++)
            {
                r ^= x.GetElement(j);
            }

            return r;
        }
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
    public string Legend => "compressed weight bytes (N × K of the Shape) / mean";

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

        long bytes = QuantizedGemvBenchmarks.WeightBytes((string)benchmarkCase.Parameters["Format"], (string)benchmarkCase.Parameters["Shape"]);
        return (bytes / meanNs.Value).ToString("F1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
