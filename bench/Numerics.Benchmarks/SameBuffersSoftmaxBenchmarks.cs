// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Numerics.Kernels;

namespace Numerics.Benchmarks;

/// <summary>
/// The out-of-cache row of <see cref="SoftmaxBenchmarks"/> (16 Mi floats) with every method on the same buffers, for runs with
/// BenchmarkDotNet's <c>--inProcess</c> option: the buffers are allocated once per process and shared by every case, so the
/// baseline (TensorPrimitives.SoftMax), both of our variants and the copy read and write the same physical memory. See
/// <see cref="SameBuffersConversionBenchmarks"/> for why (streams differ by up to 1.6x between processes on the reference VM).
/// GB/s counts 8 bytes per element (x read once, y written once).
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 8, Count = Length)]
public class SameBuffersSoftmaxBenchmarks
{
    /// <summary>The row length: 16 Mi floats (64 MiB each for x and y, four times the L3 cache).</summary>
    public const int Length = 16 * 1024 * 1024;

    private static readonly Lazy<(float[] X, float[] Y)> s_buffers = new(() =>
    {
        var rng = new Random(42);
        var x = new float[Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 20) - 10);
        }

        return (x, new float[Length]);
    });

    private float[] _x = [];
    private float[] _y = [];

    /// <summary>Takes the process-wide buffers (allocated and filled by the first case that runs).</summary>
    [GlobalSetup]
    public void Setup() => (_x, _y) = s_buffers.Value;

    /// <summary>The baseline: System.Numerics.Tensors' softmax (no max subtraction).</summary>
    [Benchmark(Baseline = true)]
    public void TensorPrimitivesSoftMax() => TensorPrimitives.SoftMax(_x, _y);

    /// <summary>Our two-pass softmax (12 bytes per element: x read twice, y written once).</summary>
    [Benchmark]
    public void TwoPass() => Softmax.TwoPass(_x, _y);

    /// <summary>Our three-pass softmax (x read twice, y written and re-read).</summary>
    [Benchmark]
    public void ThreePass() => Softmax.ThreePass(_x, _y);

    /// <summary>The dispatcher (two-pass at this length).</summary>
    [Benchmark]
    public void Compute() => Softmax.Compute(_x, _y);

    /// <summary>Copying x to y: the memory system's rate for the same 8 bytes per element.</summary>
    [Benchmark]
    public void CopyTo() => _x.AsSpan().CopyTo(_y);
}
