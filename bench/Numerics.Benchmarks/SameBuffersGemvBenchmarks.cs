// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Numerics.Kernels;

namespace Numerics.Benchmarks;

/// <summary>
/// The M = 1 row of <see cref="GemmBenchmarks"/> (c = a·B, B 4096 x 4096 row-major: 64 MiB streamed per call, so bound by
/// memory) with every method on the same buffers, for runs with BenchmarkDotNet's <c>--inProcess</c> option: OpenBLAS's sgemv
/// (the baseline), our <see cref="Gemm.Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, int)"/>,
/// and a plain read of B (<c>TensorPrimitives.Sum</c>, the memory system's rate for the same bytes). See
/// <see cref="SameBuffersConversionBenchmarks"/> for why. Without OpenBLAS its case fails with a message and the others run.
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Flops, 2, Elements = "Shape")]
public class SameBuffersGemvBenchmarks
{
    private const int N = 4096;
    private const int K = 4096;

    private static readonly Lazy<(float[] A, float[] B, float[] C)> s_buffers = new(() =>
    {
        var random = new Random(42);
        var a = new float[K];
        var b = new float[K * N];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)random.NextDouble() - 0.5f;
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (float)random.NextDouble() - 0.5f;
        }

        return (a, b, new float[N]);
    });

    private float[] _a = [], _b = [], _c = [];

    /// <summary>Gets the shape, M x N x K (for the GFLOP/s column).</summary>
    [Params("1x4096x4096")]
    public string Shape { get; set; } = "1x4096x4096";

    /// <summary>Gets or sets the thread count (OpenBLAS's and ours).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Takes the process-wide buffers and sets OpenBLAS's thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_a, _b, _c) = s_buffers.Value;
        if (GemmOpenBlas.IsAvailable)
        {
            GemmOpenBlas.SetThreads(Threads);
        }
    }

    /// <summary>Fails the OpenBLAS case with a message when the library is absent.</summary>
    [GlobalSetup(Target = nameof(OpenBlasSgemv))]
    public void SetupOpenBlas()
    {
        if (!GemmOpenBlas.IsAvailable)
        {
            throw new InvalidOperationException("OpenBLAS not found (apt-get install libopenblas0-pthread); its case is skipped.");
        }

        Setup();
    }

    /// <summary>The baseline: OpenBLAS sgemv (row vector times row-major matrix).</summary>
    [Benchmark(Baseline = true)]
    public void OpenBlasSgemv() => GemmOpenBlas.SgemvRowTimesMatrix(_a, _b, _c, N, K);

    /// <summary>Our GEMM entry at M = 1 (its GEMV path).</summary>
    [Benchmark]
    public void Numerics() => Gemm.Multiply(_a, _b, _c, 1, N, K, Threads);

    /// <summary>One pass over B's 64 MiB, single-threaded (what streaming the operand costs on one core).</summary>
    [Benchmark]
    public float ReadB() => TensorPrimitives.Sum(_b);
}
