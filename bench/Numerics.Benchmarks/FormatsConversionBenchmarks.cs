// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Numerics.Formats;
using System.Numerics.Tensors;

namespace Numerics.Benchmarks;

/// <summary>
/// float -> BF16 / FP16 / E4M3FN code spans (round to nearest even, non-saturating) beside TensorPrimitives.ConvertToHalf, in cache
/// (32 Ki elements) and out of cache (16 Mi elements). Element-wise, so compare the per-call times directly (same element count).
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 6)]
public class FormatsConversionBenchmarks
{
    private float[] _source = [];
    private Half[] _half = [];
    private ushort[] _codes16 = [];
    private byte[] _codes8 = [];

    /// <summary>Gets or sets the element count: 32 Ki (in L2) and 16 Mi (64 MiB of input, out of cache).</summary>
    [Params(32 * 1024, 16 * 1024 * 1024)]
    public int Length { get; set; }

    /// <summary>Normal-distributed values with a few specials, like activations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _source = new float[Length];
        for (int i = 0; i < _source.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            _source[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * 4);
        }

        _half = new Half[Length];
        _codes16 = new ushort[Length];
        _codes8 = new byte[Length];
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
}
