// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Numerics.Quantization;

namespace Numerics.Benchmarks;

/// <summary>
/// Quantize and dequantize 16 Mi floats (64 MiB, out of cache) on one thread, beside <see cref="Span{T}.CopyTo"/> of the same
/// floats as the memory-bandwidth yardstick. Run: <c>dotnet run -c Release --project bench/Numerics.Benchmarks -- --filter *QuantizationBenchmarks* --job short</c>.
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 8, Count = 16 * 1024 * 1024)]
public class QuantizationBenchmarks
{
    private const int Count = 16 * 1024 * 1024;
    private const int BfpBlock = 32;
    private const int BfpMantissaBits = 3;

    private float[] _source = [];
    private float[] _destination = [];
    private byte[] _q8 = [];
    private byte[] _q4 = [];
    private byte[] _mxfp4 = [];
    private byte[] _mxScales = [];
    private byte[] _mxE2M1 = [];
    private byte[] _mxE4M3 = [];
    private byte[] _mxE5M2Scales = [];
    private byte[] _mxE5M2 = [];
    private byte[] _mxE3M2Scales = [];
    private byte[] _mxE3M2 = [];
    private byte[] _mxInt8Scales = [];
    private byte[] _mxInt8 = [];
    private byte[] _bfpExponents = [];
    private sbyte[] _bfpMantissas = [];
    private QuantizedTensor? _int4;

    /// <summary>Gaussian-like values (sum of uniforms), seed 42.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _source = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            _source[i] = (float)(rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5);
        }

        _destination = new float[Count];
        _q8 = new byte[GgmlBlocks.RowSize(GgmlType.Q8_0, Count)];
        _q4 = new byte[GgmlBlocks.RowSize(GgmlType.Q4_0, Count)];
        _mxfp4 = new byte[GgmlBlocks.RowSize(GgmlType.MXFP4, Count)];
        GgmlBlocks.Quantize(GgmlType.Q8_0, _source, _q8);
        GgmlBlocks.Quantize(GgmlType.Q4_0, _source, _q4);
        GgmlBlocks.Quantize(GgmlType.MXFP4, _source, _mxfp4);
        _mxScales = new byte[Mx.ScaleCount(Count)];
        _mxE2M1 = new byte[Count];
        _mxE4M3 = new byte[Count];
        Mx.Quantize(MxElement.E2M1, _source, _mxScales, _mxE2M1);
        Mx.Quantize(MxElement.E4M3, _source, _mxScales, _mxE4M3);
        _mxE5M2Scales = new byte[Mx.ScaleCount(Count)];
        _mxE5M2 = new byte[Count];
        Mx.Quantize(MxElement.E5M2, _source, _mxE5M2Scales, _mxE5M2);
        _mxE3M2Scales = new byte[Mx.ScaleCount(Count)];
        _mxE3M2 = new byte[Count];
        Mx.Quantize(MxElement.E3M2, _source, _mxE3M2Scales, _mxE3M2);
        _mxInt8Scales = new byte[Mx.ScaleCount(Count)];
        _mxInt8 = new byte[Count];
        Mx.Quantize(MxElement.Int8, _source, _mxInt8Scales, _mxInt8);
        _bfpExponents = new byte[BlockFloat.BlockCount(Count, BfpBlock)];
        _bfpMantissas = new sbyte[Count];
        BlockFloat.Quantize(_source, _bfpExponents, _bfpMantissas, BfpBlock, BfpMantissaBits);
        _int4 = IntegerQuantizer.Quantize(_source, 4096, Count / 4096, IntegerQuantizationOptions.Int4PerGroup128);
    }

    /// <summary>The yardstick: copy 64 MiB of floats.</summary>
    [Benchmark(Baseline = true)]
    public void CopyTo() => _source.AsSpan().CopyTo(_destination);

    /// <summary>ggml Q8_0 quantize (vectorized).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 5.0625)]
    public void QuantizeQ8_0() => GgmlBlocks.Quantize(GgmlType.Q8_0, _source, _q8);

    /// <summary>ggml Q8_0 dequantize (vectorized).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 5.0625)]
    public void DequantizeQ8_0() => GgmlBlocks.Dequantize(GgmlType.Q8_0, _q8, _destination);

    /// <summary>ggml Q4_0 quantize (vectorized).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.5625)]
    public void QuantizeQ4_0() => GgmlBlocks.Quantize(GgmlType.Q4_0, _source, _q4);

    /// <summary>ggml Q4_0 dequantize (vectorized).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.5625)]
    public void DequantizeQ4_0() => GgmlBlocks.Dequantize(GgmlType.Q4_0, _q4, _destination);

    /// <summary>ggml MXFP4 quantize (vectorized threshold counting).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.53125)]
    public void QuantizeMxfp4() => GgmlBlocks.Quantize(GgmlType.MXFP4, _source, _mxfp4);

    /// <summary>ggml MXFP4 dequantize (vectorized nibble table).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.53125)]
    public void DequantizeMxfp4() => GgmlBlocks.Dequantize(GgmlType.MXFP4, _mxfp4, _destination);

    /// <summary>OCP MX E2M1 (MXFP4) quantize, RNE, one code per byte (vectorized element codec).</summary>
    [Benchmark]
    public void QuantizeMxE2M1() => Mx.Quantize(MxElement.E2M1, _source, _mxScales, _mxE2M1);

    /// <summary>OCP MX E2M1 dequantize (vectorized table).</summary>
    [Benchmark]
    public void DequantizeMxE2M1() => Mx.Dequantize(MxElement.E2M1, _mxScales, _mxE2M1, _destination);

    /// <summary>OCP MX E4M3 (MXFP8) quantize, RNE (vectorized element codec).</summary>
    [Benchmark]
    public void QuantizeMxE4M3() => Mx.Quantize(MxElement.E4M3, _source, _mxScales, _mxE4M3);

    /// <summary>OCP MX E4M3 dequantize (AVX-512 bfloat16 word permutes; AVX2 gathers without AVX-512).</summary>
    [Benchmark]
    public void DequantizeMxE4M3() => Mx.Dequantize(MxElement.E4M3, _mxScales, _mxE4M3, _destination);

    /// <summary>OCP MX E5M2 (MXFP8) dequantize, the other FP8 element (same paths as E4M3).</summary>
    [Benchmark]
    public void DequantizeMxE5M2() => Mx.Dequantize(MxElement.E5M2, _mxE5M2Scales, _mxE5M2, _destination);

    /// <summary>OCP MX E3M2 (MXFP6) dequantize, one code per byte (one 64-entry word permute; AVX2 gathers without AVX-512).</summary>
    [Benchmark]
    public void DequantizeMxE3M2() => Mx.Dequantize(MxElement.E3M2, _mxE3M2Scales, _mxE3M2, _destination);

    /// <summary>OCP MXINT8 dequantize (sign-extend, convert, × 2^-6, × the scale: the table path's bits; AVX2 gathers before 11-27).</summary>
    [Benchmark]
    public void DequantizeMxInt8() => Mx.Dequantize(MxElement.Int8, _mxInt8Scales, _mxInt8, _destination);

    /// <summary>Block floating point, blocks of 32 with 3-bit mantissas (BFP12), RNE (Vector512/256 since 11-27; scalar before).</summary>
    [Benchmark]
    public void QuantizeBfp12() => BlockFloat.Quantize(_source, _bfpExponents, _bfpMantissas, BfpBlock, BfpMantissaBits);

    /// <summary>Block floating point dequantize (Vector512/256 since 11-27; scalar before).</summary>
    [Benchmark]
    public void DequantizeBfp12() => BlockFloat.Dequantize(_bfpExponents, _bfpMantissas, _destination, BfpBlock, BfpMantissaBits);

    /// <summary>INT4 symmetric per group of 128 (4096 x 4096), vectorized path (IntegerKernels); allocates the result tensor.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.53125)]
    public QuantizedTensor QuantizeInt4PerGroup() => IntegerQuantizer.Quantize(_source, 4096, Count / 4096, IntegerQuantizationOptions.Int4PerGroup128);

    /// <summary>INT4 per-group dequantize, vectorized path (IntegerKernels).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4.53125)]
    public void DequantizeInt4PerGroup() => _int4!.Dequantize(_destination);
}
