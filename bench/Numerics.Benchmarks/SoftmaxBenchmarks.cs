// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Numerics.Kernels;

namespace Numerics.Benchmarks;

/// <summary>
/// Softmax over one row: TensorPrimitives.SoftMax (baseline; unsafe for large inputs, see KERNELS.md 4.1) beside our two-pass,
/// three-pass and Compute, and Span.CopyTo (the memory-traffic floor: read x, write y). Inputs are uniform in [-10, 10].
/// 1K-32K are in cache (L1/L2), 1M (4 MiB each for x and y) in L3, 16M (64 MiB) out of cache; 4099 and 32771 are odd lengths.
/// GB/s = 8 bytes per element / Mean. Runs on the default (512-bit) tier; use IsaTiersConfig via --job options to compare tiers.
/// <c>--filter '*Softmax*' --job short</c> runs 35 cases in a few minutes.
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 8)]
public class SoftmaxBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];

    /// <summary>Row length.</summary>
    [Params(1024, 4096, 4099, 32_768, 32_771, 1024 * 1024, 16 * 1024 * 1024)]
    public int Length { get; set; }

    /// <summary>Allocates the input (seeded) and the destination once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = BenchmarkData.SoftmaxInput(Length);
        _y = new float[Length];
    }

    /// <summary>System.Numerics.Tensors' SoftMax (no max subtraction).</summary>
    [Benchmark(Baseline = true)]
    public void TensorPrimitivesSoftMax() => TensorPrimitives.SoftMax(_x, _y);

    /// <summary>Dukhan and Ablavatski two-pass.</summary>
    [Benchmark]
    public void TwoPass() => Softmax.TwoPass(_x, _y);

    /// <summary>Three-pass: max; exp stored + sum; scale.</summary>
    [Benchmark]
    public void ThreePass() => Softmax.ThreePass(_x, _y);

    /// <summary>The length-based choice.</summary>
    [Benchmark]
    public void Compute() => Softmax.Compute(_x, _y);

    /// <summary>Memory-traffic floor: copies x to y (8 bytes per element, like the softmax output pass).</summary>
    [Benchmark]
    public void CopyTo() => _x.AsSpan().CopyTo(_y);
}
