// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Numerics.Kernels;

namespace Numerics.Benchmarks;

/// <summary>
/// The 32K (in cache) and 16M (out of cache) rows of <see cref="SoftmaxBenchmarks"/> with every method on the same buffers, for
/// runs with BenchmarkDotNet's <c>--inProcess</c> option: the buffers of each length are allocated once per process and shared by
/// every case, so the baseline (TensorPrimitives.SoftMax), both of our variants, the dispatcher and the copy read and write the
/// same physical memory. See <see cref="SameBuffersConversionBenchmarks"/> for why (on the reference VM the same kernel runs up to
/// 1.6x faster in one process than in another, and at 32K the per-process spread is about 20 %). GB/s counts 8 bytes per
/// element (x read once, y written once).
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 8)]
public class SameBuffersSoftmaxBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];

    /// <summary>Gets or sets the row length: 32 Ki floats (x and y in L2) and 16 Mi floats (64 MiB each, four times the L3).</summary>
    [Params(32 * 1024, 16 * 1024 * 1024)]
    public int Length { get; set; }

    /// <summary>Takes the process-wide buffers of this length (<see cref="BenchmarkData.SharedSoftmaxBuffers"/>).</summary>
    [GlobalSetup]
    public void Setup() => (_x, _y) = BenchmarkData.SharedSoftmaxBuffers(Length);

    /// <summary>The baseline: System.Numerics.Tensors' softmax (no max subtraction).</summary>
    [Benchmark(Baseline = true)]
    public void TensorPrimitivesSoftMax() => TensorPrimitives.SoftMax(_x, _y);

    /// <summary>Our two-pass softmax (12 bytes per element: x read twice, y written once).</summary>
    [Benchmark]
    public void TwoPass() => Softmax.TwoPass(_x, _y);

    /// <summary>Our three-pass softmax (x read twice, y written and re-read).</summary>
    [Benchmark]
    public void ThreePass() => Softmax.ThreePass(_x, _y);

    /// <summary>The dispatcher (three-pass at 32K, two-pass at 16M).</summary>
    [Benchmark]
    public void Compute() => Softmax.Compute(_x, _y);

    /// <summary>Copying x to y: the memory system's rate for the same 8 bytes per element.</summary>
    [Benchmark]
    public void CopyTo() => _x.AsSpan().CopyTo(_y);
}
