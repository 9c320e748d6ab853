// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Numerics.Quantization;

namespace Numerics.Benchmarks;

/// <summary>
/// Integer quantize / dequantize of 16 Mi floats (64 MiB, out of cache) on one thread — INT4 per group of 128 and 32 along the
/// rows (4096 x 4096), INT8 per row — beside <see cref="Span{T}.CopyTo"/> of the same floats as the bandwidth yardstick.
/// Quantize allocates the result tensor (as the public API does). Run:
/// <c>dotnet run -c Release --project bench/Numerics.Benchmarks -- --filter *IntegerQuantizationBenchmarks* --job short</c>.
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 8, Count = 16 * 1024 * 1024)]
public class IntegerQuantizationBenchmarks
{
    private const int Rows = 4096;
    private const int Columns = 4096;

    private static readonly IntegerQuantizationOptions s_int4g32 = IntegerQuantizationOptions.Int4PerGroup128 with { GroupSize = 32 };

    private float[] _source = [];
    private float[] _destination = [];
    private QuantizedTensor? _int4g128;
    private QuantizedTensor? _int4g32;
    private QuantizedTensor? _int8;
    private byte[] _codes = [];
    private float[] _scales = [];
    private int[] _zeroPoints = [];

    /// <summary>Gaussian-like values (sum of uniforms), seed 42; the output is touched once so page faults stay out of the runs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _source = new float[Rows * Columns];
        for (int i = 0; i < _source.Length; i++)
        {
            _source[i] = (float)(rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5);
        }

        _destination = new float[_source.Length];
        _source.AsSpan().CopyTo(_destination);
        _int4g128 = IntegerQuantizer.Quantize(_source, Rows, Columns, IntegerQuantizationOptions.Int4PerGroup128);
        _int4g32 = IntegerQuantizer.Quantize(_source, Rows, Columns, s_int4g32);
        _int8 = IntegerQuantizer.Quantize(_source, Rows, Columns, IntegerQuantizationOptions.Int8PerChannel);
        _codes = new byte[Rows * Columns];
        _codes.AsSpan().Fill(1); // touched once: page faults stay out of the runs
        _scales = new float[Rows * Columns / 32];
        _zeroPoints = new int[_scales.Length];
    }

    /// <summary>The yardstick: copy 64 MiB of floats.</summary>
    [Benchmark(Baseline = true)]
    public void CopyTo() => _source.AsSpan().CopyTo(_destination);

    /// <summary>INT4 symmetric, groups of 128 along the rows.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.53125)]
    public QuantizedTensor QuantizeInt4Group128() => IntegerQuantizer.Quantize(_source, Rows, Columns, IntegerQuantizationOptions.Int4PerGroup128);

    /// <summary>INT4 groups of 128 into caller buffers (no allocation: the allocating form pays fresh pages every call).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.53125)]
    public void QuantizeInt4Group128Into() => IntegerQuantizer.QuantizeInto(
        _source, Rows, Columns, IntegerQuantizationOptions.Int4PerGroup128, _codes.AsSpan(0, Rows * Columns / 2), _scales.AsSpan(0, Rows * Columns / 128), _zeroPoints.AsSpan(0, Rows * Columns / 128));

    /// <summary>INT4 groups of 32 into caller buffers.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.625)]
    public void QuantizeInt4Group32Into() => IntegerQuantizer.QuantizeInto(
        _source, Rows, Columns, s_int4g32, _codes.AsSpan(0, Rows * Columns / 2), _scales.AsSpan(0, Rows * Columns / 32), _zeroPoints.AsSpan(0, Rows * Columns / 32));

    /// <summary>INT8 per row into caller buffers.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 5)]
    public void QuantizeInt8PerChannelInto() => IntegerQuantizer.QuantizeInto(
        _source, Rows, Columns, IntegerQuantizationOptions.Int8PerChannel, _codes, _scales.AsSpan(0, Rows), _zeroPoints.AsSpan(0, Rows));

    /// <summary>INT4 groups of 128, dequantize.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.53125)]
    public void DequantizeInt4Group128() => _int4g128!.Dequantize(_destination);

    /// <summary>INT4 symmetric, groups of 32 along the rows.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.625)]
    public QuantizedTensor QuantizeInt4Group32() => IntegerQuantizer.Quantize(_source, Rows, Columns, s_int4g32);

    /// <summary>INT4 groups of 32, dequantize.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.625)]
    public void DequantizeInt4Group32() => _int4g32!.Dequantize(_destination);

    /// <summary>INT8 symmetric per row (output channel).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 5)]
    public QuantizedTensor QuantizeInt8PerChannel() => IntegerQuantizer.Quantize(_source, Rows, Columns, IntegerQuantizationOptions.Int8PerChannel);

    /// <summary>INT8 per row, dequantize.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 5)]
    public void DequantizeInt8PerChannel() => _int8!.Dequantize(_destination);
}
