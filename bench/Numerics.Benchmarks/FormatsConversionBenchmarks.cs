// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Numerics.Formats;
using System.Numerics.Tensors;

namespace Numerics.Benchmarks;

/// <summary>
/// float -> BF16 / FP16 / E4M3FN code spans (round to nearest even, non-saturating) beside TensorPrimitives.ConvertToHalf, in cache
/// (32 Ki elements) and out of cache (16 Mi elements), and the reverse (E4M3FN / BF16 / FP16 codes -> float) beside
/// TensorPrimitives.ConvertToSingle(Half) and a scalar 256-entry table loop (the previous E4M3FN decoder). Element-wise, so compare
/// the per-call times directly (same element count).
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 6)]
public class FormatsConversionBenchmarks
{
    private float[] _source = [];
    private Half[] _half = [];
    private ushort[] _codes16 = [];
    private byte[] _codes8 = [];
    private Half[] _halfIn = [];
    private ushort[] _binary16In = [];
    private ushort[] _bfloat16In = [];
    private byte[] _e4m3fnIn = [];
    private float[] _decoded = [];
    private float[] _e4m3fnTable = [];

    /// <summary>Gets or sets the element count: 32 Ki (in L2) and 16 Mi (64 MiB of input, out of cache).</summary>
    [Params(32 * 1024, 16 * 1024 * 1024)]
    public int Length { get; set; }

    /// <summary>Normal-distributed values with a few specials, like activations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _source = BenchmarkData.NormalSingle(Length, 4);

        _half = new Half[Length];
        _codes16 = new ushort[Length];
        _codes8 = new byte[Length];

        _binary16In = new ushort[Length];
        _bfloat16In = new ushort[Length];
        _e4m3fnIn = new byte[Length];
        FloatFormat.Binary16.Encode(_source, _binary16In);
        FloatFormat.BFloat16.Encode(_source, _bfloat16In);
        FloatFormat.E4M3FN.Encode(_source, _e4m3fnIn);
        _halfIn = new Half[Length];
        TensorPrimitives.ConvertToHalf(_source, _halfIn);
        _decoded = new float[Length];
        _e4m3fnTable = new float[256];
        for (int c = 0; c < 256; c++)
        {
            _e4m3fnTable[c] = (float)FloatFormat.E4M3FN.Decode((ulong)c);
        }
    }

    /// <summary>The baseline: System.Numerics.Tensors' float -> Half conversion.</summary>
    [Benchmark(Baseline = true)]
    public void TensorPrimitivesConvertToHalf() => TensorPrimitives.ConvertToHalf(_source, _half);

    /// <summary>float -> binary16 codes.</summary>
    [Benchmark]
    public void EncodeBinary16() => FloatFormat.Binary16.Encode(_source, _codes16);

    /// <summary>float -> bfloat16 codes.</summary>
    [Benchmark]
    public void EncodeBFloat16() => FloatFormat.BFloat16.Encode(_source, _codes16);

    /// <summary>float -> OCP E4M3 (float8_e4m3fn) codes.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 5)]
    public void EncodeE4M3FN() => FloatFormat.E4M3FN.Encode(_source, _codes8);

    /// <summary>The decode baseline: System.Numerics.Tensors' Half -> float conversion.</summary>
    [Benchmark]
    public void TensorPrimitivesConvertToSingle() => TensorPrimitives.ConvertToSingle(_halfIn, _decoded);

    /// <summary>binary16 codes -> float.</summary>
    [Benchmark]
    public void DecodeBinary16() => FloatFormat.Binary16.Decode(_binary16In, _decoded);

    /// <summary>bfloat16 codes -> float.</summary>
    [Benchmark]
    public void DecodeBFloat16() => FloatFormat.BFloat16.Decode(_bfloat16In, _decoded);

    /// <summary>OCP E4M3 (float8_e4m3fn) codes -> float.</summary>
    [Benchmark]
    public void DecodeE4M3FN() => FloatFormat.E4M3FN.Decode(_e4m3fnIn, _decoded);

    /// <summary>OCP E4M3 codes -> float with a scalar 256-entry table loop (the decoder before the vector kernels).</summary>
    [Benchmark]
    public void DecodeE4M3FNScalarTable()
    {
        float[] table = _e4m3fnTable;
        byte[] codes = _e4m3fnIn;
        float[] destination = _decoded;
        for (int i = 0; i < codes.Length; i++)
        {
            destination[i] = table[codes[i]];
        }
    }
}
