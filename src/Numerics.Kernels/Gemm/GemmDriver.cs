// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Numerics.Kernels;

/// <summary>
/// The portable BLIS macro-kernel: five loops around a micro-kernel, packing, zero-padded panels and edge tiles.
/// </summary>
/// <remarks>
/// <code>
/// jc += Nc { pc += Kc { pack B (all threads share the panels) | barrier
///                       ic += Mc over this thread's rows { pack A; jr += Nr { ir += Mr { micro-kernel } } } | barrier } }
/// </code>
/// Each element of C is updated once per Kc block, in block order, with beta on the first block and 1 afterwards; the
/// micro-kernel fixes the order inside a block. The split of work between threads only decides who computes a tile, so
/// the result has identical bits for every thread count. Partial tiles (at the matrix edges, or inside when Mc is not a
/// multiple of Mr) run the same micro-kernel on a scratch Mr × Nr copy of C, so they too have the same bits as a full tile.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class GemmDriver
{
    /// <summary>Nr panels of B packed at once on the M ≤ Mc path: 2 × 32 columns × Kc 1024 × 4 B = 256 KiB, which stay in the 1 MiB L2 while every row panel of A (up to 512 × 1024 × 4 B = 2 MiB with the AVX-512 kernel, from L3) runs over them (chosen by that L2 budget; not yet tuned by measurement on a quiet machine).</summary>
    private const int SmallMChunkPanels = 2;

    /// <summary>
    /// Up to this many Mr row panels (M ≤ 16 with the 8-row AVX-512 kernel), the M ≤ Mc path reads FP32 B in place instead of
    /// packing it. Interleaved harness, 1 thread, N = K = 4096: M = 8 and 16 ran 1.07-1.3x faster in place; M = 24 and 32 ran
    /// 1.05-1.1x faster packed (with the next chunk prefetched), as every further row panel rereads the strided B panel.
    /// </summary>
    private const int DirectMaxRowPanels = 2;

    /// <summary>
    /// On the in-place path, how many Nr panels ahead the micro-kernel prefetches each row of B (into L2). Two, not one: a row
    /// of B is rarely 64-byte aligned (.NET arrays start 16 bytes into a line), so a 32-float panel row spans three lines, and
    /// the third is the first line of the panel after. With one panel ahead, that line was fetched only while in use, once
    /// per row of every panel, and the path ran at DRAM latency. AMD Zen 4, 1 thread, K = N = 4096, B offset 16 bytes from a
    /// line: M = 8 took 13.4 ms with one panel ahead and 3.9 ms with two; M = 16 17.8 and 7.4 ms; with B aligned, both 3.3 and
    /// 6.1 ms. Measured against OpenBLAS's 9.9 and 12.3 ms (docs/benchmarks/zen4-2026-11-27.md).
    /// </summary>
    private const int DirectPrefetchPanels = 2;

    /// <summary>Runs the job with micro-kernel <typeparamref name="TKernel"/> on <c>job.Threads</c> threads.</summary>
    /// <typeparam name="TKernel">The micro-kernel.</typeparam>
    /// <param name="job">A validated job with M, N, K ≥ 1 and alpha ≠ 0; <c>PackedB</c> is set here.</param>
    public static void Run<TKernel>(GemmJob job)
        where TKernel : struct, IGemmMicroKernel => Run<TKernel, float, SingleInput>(job);

    /// <summary>Runs the job with micro-kernel <typeparamref name="TKernel"/> on operands stored as <typeparamref name="T"/>, widened while packing.</summary>
    /// <typeparam name="TKernel">The micro-kernel.</typeparam>
    /// <typeparam name="T">The stored element of A and B.</typeparam>
    /// <typeparam name="TIn">Its widening to FP32.</typeparam>
    /// <param name="job">A validated job with M, N, K ≥ 1 and alpha ≠ 0; <c>PackedB</c> is set here.</param>
    public static void Run<TKernel, T, TIn>(GemmJob job)
        where TKernel : struct, IGemmMicroKernel
        where T : unmanaged
        where TIn : struct, IGemmInput<T>
    {
        Debug.Assert(job.M > 0 && job.N > 0 && job.K > 0 && job.Threads >= 1);
        GemmBlocking blocking = job.Blocking;
        int nr = TKernel.Nr;
        int ncMax = RoundUp(Math.Min(blocking.Nc, job.N), nr);
        int kcMax = Math.Min(blocking.Kc, job.K);
        if (job.M <= blocking.Mc)
        {
            // One A block: threads split the columns and read B in place or pack their own B chunks (no shared panels, no barriers).
            job.Threads = Math.Min(job.Threads, (job.N + nr - 1) / nr);
            delegate*<GemmJob, int, GemmSpinBarrier?, void> body = typeof(T) == typeof(float) && !job.TransB && job.M <= DirectMaxRowPanels * TKernel.Mr
                ? &WorkSmallMDirect<TKernel>
                : &WorkSmallM<TKernel, T, TIn>;
            if (job.Threads > 1 && GemmThreadPool.TryRun(body, job))
            {
                return;
            }

            job.Threads = 1;
            body(job, 0, null);
            return;
        }

        job.PackedB = GemmWorkspace.PackedB(checked(ncMax * kcMax));

        if (job.Threads > 1 && GemmThreadPool.TryRun(&Work<TKernel, T, TIn>, job))
        {
            return;
        }

        job.Threads = 1;
        Work<TKernel, T, TIn>(job, 0, null);
    }

    /// <summary>
    /// The body for M ≤ Mc (one A block, the skinny shapes of LLM inference): each thread owns a contiguous range of Nr panels
    /// of C, packs all of op(A) once per Kc block and then B in chunks of <see cref="SmallMChunkPanels"/> panels that stay in
    /// L2 while every row panel of A runs over them. While a chunk is packed, the lines of the next chunk in the same rows are
    /// prefetched into L2 (rows of B are ldb apart, which the hardware prefetchers do not follow): measured 1.03-1.18x at
    /// M = 64-128, N = K = 4096, 1 thread. Same micro-kernel, same Kc blocks in the same order, same beta rule:
    /// identical bits to <see cref="Work{TKernel, T, TIn}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    private static void WorkSmallM<TKernel, T, TIn>(GemmJob job, int thread, GemmSpinBarrier? barrier)
        where TKernel : struct, IGemmMicroKernel
        where T : unmanaged
        where TIn : struct, IGemmInput<T>
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        GemmBlocking blocking = job.Blocking;
        int kcMax = Math.Min(blocking.Kc, job.K);
        int chunk = Math.Max(1, Math.Min(SmallMChunkPanels, blocking.Nc / nr)) * nr;
        float* packedA = GemmWorkspace.PackedA(checked(RoundUp(job.M, mr) * kcMax));
        float* packedB = GemmWorkspace.PackedB(checked(chunk * kcMax));
        float* scratch = stackalloc float[mr * nr];
        (int first, int end) = Split((job.N + nr - 1) / nr, thread, job.Threads);
        int j0 = first * nr, j1 = Math.Min(job.N, end * nr);
        for (int pc = 0; pc < job.K && j0 < j1; pc += blocking.Kc)
        {
            int kc = Math.Min(blocking.Kc, job.K - pc);
            float beta = pc == 0 ? job.Beta : 1f;
            GemmPacking.PackA<T, TIn>(job, 0, job.M, pc, kc, mr, packedA);
            for (int jc = j0; jc < j1; jc += chunk)
            {
                int nc = Math.Min(chunk, j1 - jc);
                GemmPacking.PackB<T, TIn>(job, pc, kc, jc, nc, nr, packedB, !job.TransB ? Math.Min(chunk, j1 - jc - nc) : 0);
                for (int jr = 0; jr * nr < nc; jr++)
                {
                    int nrEff = Math.Min(nr, nc - (jr * nr));
                    float* pb = packedB + (nint)jr * nr * kc;
                    float* cColumn = job.C + jc + (jr * nr);
                    for (int ir = 0; ir < job.M; ir += mr)
                    {
                        int mrEff = Math.Min(mr, job.M - ir);
                        float* pa = packedA + (nint)ir * kc;
                        float* c = cColumn + (nint)ir * job.Ldc;
                        if (mrEff == mr && nrEff == nr)
                        {
                            TKernel.Run(kc, ref *pa, ref *pb, nr, 0, ref *c, job.Ldc, job.Alpha, beta);
                        }
                        else
                        {
                            EdgeTile<TKernel>(kc, pa, pb, nr, c, job.Ldc, job.Alpha, beta, mrEff, nrEff, scratch);
                        }
                    }
                }
            }
        }

        barrier?.SignalAndWait();
    }

    /// <summary>
    /// The body for M ≤ Mc with FP32 op(B) = B: the micro-kernel reads the rows of B in place (row stride ldb) instead of a
    /// packed copy, so B streams from memory once and is never written. Only a partial panel at the right edge of C is packed
    /// (zero-padded), so the kernel never reads past a row. Each thread owns a contiguous range of Nr panels of C; every row
    /// panel of A runs over a B panel before the next, so the panel is read from memory once and then from L2. Same
    /// micro-kernel, same Kc blocks in the same order, same beta rule: identical bits to <see cref="Work{TKernel, T, TIn}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    private static void WorkSmallMDirect<TKernel>(GemmJob job, int thread, GemmSpinBarrier? barrier)
        where TKernel : struct, IGemmMicroKernel
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        GemmBlocking blocking = job.Blocking;
        int kcMax = Math.Min(blocking.Kc, job.K);
        float* packedA = GemmWorkspace.PackedA(checked(RoundUp(job.M, mr) * kcMax));
        float* packedB = GemmWorkspace.PackedB(checked(nr * kcMax));
        float* scratch = stackalloc float[mr * nr];
        (int first, int end) = Split((job.N + nr - 1) / nr, thread, job.Threads);
        int j0 = first * nr, j1 = Math.Min(job.N, end * nr);
        for (int pc = 0; pc < job.K && j0 < j1; pc += blocking.Kc)
        {
            int kc = Math.Min(blocking.Kc, job.K - pc);
            float beta = pc == 0 ? job.Beta : 1f;
            GemmPacking.PackA<float, SingleInput>(job, 0, job.M, pc, kc, mr, packedA);
            float* bBlock = (float*)job.B + ((nint)pc * job.Ldb);
            for (int jc = j0; jc < j1; jc += nr)
            {
                int nrEff = Math.Min(nr, j1 - jc);
                float* pb = bBlock + jc;
                nint ldb = job.Ldb;
                if (nrEff < nr)
                {
                    GemmPacking.PackB<float, SingleInput>(job, pc, kc, jc, nrEff, nr, packedB);
                    pb = packedB;
                    ldb = nr;
                }

                float* cColumn = job.C + jc;
                for (int ir = 0; ir < job.M; ir += mr)
                {
                    int mrEff = Math.Min(mr, job.M - ir);
                    float* pa = packedA + (nint)ir * kc;
                    float* c = cColumn + (nint)ir * job.Ldc;
                    if (mrEff == mr && nrEff == nr)
                    {
                        TKernel.Run(kc, ref *pa, ref *pb, ldb, ir == 0 && nrEff == nr ? DirectPrefetchPanels * nr : 0, ref *c, job.Ldc, job.Alpha, beta);
                    }
                    else
                    {
                        EdgeTile<TKernel>(kc, pa, pb, ldb, c, job.Ldc, job.Alpha, beta, mrEff, nrEff, scratch);
                    }
                }
            }
        }

        barrier?.SignalAndWait();
    }

    /// <summary>The body every thread runs; <paramref name="barrier"/> is null when the caller runs alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    private static void Work<TKernel, T, TIn>(GemmJob job, int thread, GemmSpinBarrier? barrier)
        where TKernel : struct, IGemmMicroKernel
        where T : unmanaged
        where TIn : struct, IGemmInput<T>
    {
        int mr = TKernel.Mr, nr = TKernel.Nr, threads = job.Threads;
        GemmBlocking blocking = job.Blocking;
        int kcMax = Math.Min(blocking.Kc, job.K);
        float* packedA = GemmWorkspace.PackedA(checked(RoundUp(Math.Min(blocking.Mc, job.M), mr) * kcMax));
        float* scratch = stackalloc float[mr * nr];

        // Split the rows (in whole Mr panels) when there are enough of them, else split the columns of each Nc block.
        int mPanels = (job.M + mr - 1) / mr;
        bool splitRows = mPanels >= threads;
        int m0 = 0, m1 = job.M;
        if (splitRows)
        {
            (int first, int end) = Split(mPanels, thread, threads);
            m0 = first * mr;
            m1 = Math.Min(job.M, end * mr);
        }

        for (int jc = 0; jc < job.N; jc += blocking.Nc)
        {
            int nc = Math.Min(blocking.Nc, job.N - jc);
            int nPanels = (nc + nr - 1) / nr;
            (int jp0, int jp1) = splitRows ? (0, nPanels) : Split(nPanels, thread, threads);
            (int bp0, int bp1) = Split(nPanels, thread, threads);

            for (int pc = 0; pc < job.K; pc += blocking.Kc)
            {
                int kc = Math.Min(blocking.Kc, job.K - pc);
                if (bp0 < bp1)
                {
                    int j0 = bp0 * nr;
                    GemmPacking.PackB<T, TIn>(job, pc, kc, jc + j0, Math.Min(nc, bp1 * nr) - j0, nr, job.PackedB + (nint)j0 * kc);
                }

                barrier?.SignalAndWait();

                float beta = pc == 0 ? job.Beta : 1f;
                if (jp0 < jp1)
                {
                    for (int ic = m0; ic < m1; ic += blocking.Mc)
                    {
                        int mc = Math.Min(blocking.Mc, m1 - ic);
                        GemmPacking.PackA<T, TIn>(job, ic, mc, pc, kc, mr, packedA);
                        for (int jr = jp0; jr < jp1; jr++)
                        {
                            int nrEff = Math.Min(nr, nc - (jr * nr));
                            float* pb = job.PackedB + (nint)jr * nr * kc;
                            float* cColumn = job.C + jc + (jr * nr);
                            for (int ir = 0; ir < mc; ir += mr)
                            {
                                int mrEff = Math.Min(mr, mc - ir);
                                float* pa = packedA + (nint)ir * kc;
                                float* c = cColumn + (nint)(ic + ir) * job.Ldc;
                                if (mrEff == mr && nrEff == nr)
                                {
                                    TKernel.Run(kc, ref *pa, ref *pb, nr, 0, ref *c, job.Ldc, job.Alpha, beta);
                                }
                                else
                                {
                                    EdgeTile<TKernel>(kc, pa, pb, nr, c, job.Ldc, job.Alpha, beta, mrEff, nrEff, scratch);
                                }
                            }
                        }
                    }
                }

                // Nobody may repack B while another thread still reads it.
                barrier?.SignalAndWait();
            }
        }
    }

    /// <summary>A partial tile: the same micro-kernel on a scratch copy of the valid part of C, copied back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    private static void EdgeTile<TKernel>(int kc, float* pa, float* pb, nint ldb, float* c, int ldc, float alpha, float beta, int rows, int cols, float* scratch)
        where TKernel : struct, IGemmMicroKernel
    {
        int nr = TKernel.Nr;
        if (beta != 0f)
        {
            // The padding lanes of scratch hold whatever was there; their results are discarded.
            for (int i = 0; i < rows; i++)
            {
                new ReadOnlySpan<float>(c + (nint)i * ldc, cols).CopyTo(new Span<float>(scratch + (i * nr), cols));
            }
        }

        TKernel.Run(kc, ref *pa, ref *pb, ldb, 0, ref *scratch, nr, alpha, beta);
        for (int i = 0; i < rows; i++)
        {
            new ReadOnlySpan<float>(scratch + (i * nr), cols).CopyTo(new Span<float>(c + (nint)i * ldc, cols));
        }
    }

    /// <summary>The share [first, end) of <paramref name="count"/> items for thread <paramref name="index"/> of <paramref name="parts"/>.</summary>
    internal static (int First, int End) Split(int count, int index, int parts) =>
        ((int)((long)count * index / parts), (int)((long)count * (index + 1) / parts));

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
