// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Numerics.Formats;

namespace Numerics.Benchmarks;

/// <summary>
/// Per-element scalar conversions from float, <c>(BFloat16)f</c>, <c>(Float8E4M3FN)f</c> and <c>(Float8E5M2)f</c> in a plain loop, beside
/// the same loop over <c>(Half)f</c> (the baseline) and the span conversions (<c>ConvertFromSingle</c>, <c>TensorPrimitives.ConvertToHalf</c>).
/// In cache (4099 elements, an odd tail).
/// </summary>
[MemoryDiagnoser]
public class ScalarTypesBenchmarks
{
    private float[] _source = [];
    private Half[] _half = [];
    private BFloat16[] _bf16 = [];
    private Float8E4M3FN[] _e4m3 = [];
    private Float8E5M2[] _e5m2 = [];

    /// <summary>Gets or sets the element count (in L1/L2, not a multiple of any vector width).</summary>
    [Params(4099)]
    public int Length { get; set; }

    /// <summary>Normal-distributed values (σ = 4), like activations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _source = BenchmarkData.NormalSingle(Length, 4);

        _half = new Half[Length];
        _bf16 = new BFloat16[Length];
        _e4m3 = new Float8E4M3FN[Length];
        _e5m2 = new Float8E5M2[Length];
    }

    /// <summary>The baseline: <c>(Half)f</c> per element.</summary>
    [Benchmark(Baseline = true)]
    public void HalfScalarLoop()
    {
        float[] source = _source;
        Half[] destination = _half;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (Half)source[i];
        }
    }

    /// <summary><c>(BFloat16)f</c> per element.</summary>
    [Benchmark]
    public void BFloat16ScalarLoop()
    {
        float[] source = _source;
        BFloat16[] destination = _bf16;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (BFloat16)source[i];
        }
    }

    /// <summary><c>(Float8E4M3FN)f</c> per element.</summary>
    [Benchmark]
    public void Float8E4M3FNScalarLoop()
    {
        float[] source = _source;
        Float8E4M3FN[] destination = _e4m3;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (Float8E4M3FN)source[i];
        }
    }

    /// <summary><c>(Float8E5M2)f</c> per element.</summary>
    [Benchmark]
    public void Float8E5M2ScalarLoop()
    {
        float[] source = _source;
        Float8E5M2[] destination = _e5m2;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (Float8E5M2)source[i];
        }
    }

    /// <summary>The vectorized span conversion to Half (System.Numerics.Tensors).</summary>
    [Benchmark]
    public void HalfSpan() => TensorPrimitives.ConvertToHalf(_source, _half);

    /// <summary>The span conversion to bfloat16 (FloatFormat's vectorized encoder).</summary>
    [Benchmark]
    public void BFloat16Span() => BFloat16.ConvertFromSingle(_source, _bf16);

    /// <summary>The span conversion to E4M3FN (FloatFormat's vectorized encoder).</summary>
    [Benchmark]
    public void Float8E4M3FNSpan() => Float8E4M3FN.ConvertFromSingle(_source, _e4m3);
}
