// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>The result has the same bits for every thread count (rows split, columns split, tiny and default blocking).</summary>
public sealed class GemmThreadingTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 300, 20 },  // one row panel: columns are split
        { 5, 70, 33 },
        { 16, 128, 40 }, // M = 16: columns split (M ≤ Mc path) with the default blocking, rows split with the tiny one
        { 100, 300, 1100 }, // M ≤ Mc: several 2-panel B chunks per thread, two Kc blocks, a partial row panel and column panel
        { 61, 45, 27 },
        { 130, 33, 70 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Thread_counts_give_identical_bits(int m, int n, int k)
    {
        var rng = new Random((m * 17) + n + k);
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * n), c0 = GemmOracle.Random(rng, m * n);
        foreach (GemmBlocking blocking in new[] { GemmBlocking.Tiny, GemmF32Kernel8x32V512.Blocking })
        {
            float[] one = GemmKernelTests.RunWith<GemmF32Kernel8x32V512>(Transpose.None, Transpose.Transposed, m, n, k, 1.5f, a, k, b, k, 0.5f, c0, n, blocking, 1);
            var expected = GemmOracle.Compute(Transpose.None, Transpose.Transposed, m, n, k, 1.5f, a, k, b, k, 0.5f, c0, n);
            GemmOracle.AssertClose(expected, one, m, n, n, "1 thread");
            for (int threads = 2; threads <= 4; threads++)
            {
                float[] many = GemmKernelTests.RunWith<GemmF32Kernel8x32V512>(Transpose.None, Transpose.Transposed, m, n, k, 1.5f, a, k, b, k, 0.5f, c0, n, blocking, threads);
                GemmKernelTests.AssertSameBits(one, many, $"{threads} threads, {blocking}");
            }
        }
    }

    [Fact]
    public void Public_entry_with_two_threads_matches_one_thread()
    {
        int m = Vector128.IsHardwareAccelerated ? 150 : 70, n = 140, k = Vector128.IsHardwareAccelerated ? 1100 : 60;
        var rng = new Random(1);
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * n);
        float[] one = new float[m * n], two = new float[m * n], all = new float[m * n];
        Gemm.Multiply(a, b, one, m, n, k, 1);
        Gemm.Multiply(a, b, two, m, n, k, 2);
        Gemm.Multiply(a, b, all, m, n, k, -1);
        GemmKernelTests.AssertSameBits(one, two, "2 threads");
        GemmKernelTests.AssertSameBits(one, all, "-1 (all processors)");
    }

    [Fact]
    public void Concurrent_callers_get_correct_results()
    {
        // Two callers racing for the worker pool: the loser runs alone; both must still be right (and identical).
        const int m = 64, n = 96, k = 80;
        var rng = new Random(8);
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * n);
        float[] reference = new float[m * n];
        Gemm.Run<GemmF32Kernel8x32V512>(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 0f, reference, n, GemmBlocking.Tiny, 1);
        var results = new float[4][];
        Parallel.For(0, results.Length, i =>
        {
            for (int rep = 0; rep < 3; rep++)
            {
                var c = new float[m * n];
                Gemm.Run<GemmF32Kernel8x32V512>(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 0f, c, n, GemmBlocking.Tiny, 2);
                results[i] = c;
            }
        });
        foreach (float[] r in results)
        {
            GemmKernelTests.AssertSameBits(reference, r, "concurrent");
        }
    }
}
