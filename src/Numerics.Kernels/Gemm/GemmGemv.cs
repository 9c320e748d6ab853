// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>
/// The M = 1 case (row vector times matrix, op(B) not transposed): memory-bound, so B is streamed once, without packing.
/// </summary>
/// <remarks>
/// Packing B for one row would triple the memory traffic (read B, write the panels, read them again). Here a chunk of C's
/// columns keeps its accumulators in L1 while the rows of B stream past: acc[j] ← fma(a_p, B[p, j], acc[j]) for p in
/// order, and C is updated once per Kc block with fma(acc, alpha, beta·C) exactly as the micro-kernels do, so the result
/// has the same bits as the packed path. The vector width only decides how many columns one instruction handles.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class GemmGemv
{
    /// <summary>Columns whose accumulators stay in L1 while B streams (16 KiB of accumulators: rows of a 4096-wide B stream whole).</summary>
    private const int ChunkColumns = 4096;

    /// <summary>Columns per thread are multiples of this (one cache line), so threads never share a line of C.</summary>
    private const int ColumnAlignment = 16;

    /// <summary>Runs the job (M = 1, B not transposed) on <c>job.Threads</c> threads with vectors of <paramref name="vectorBits"/> (0 = scalar).</summary>
    public static void Run(GemmJob job, int vectorBits)
    {
        Debug.Assert(job.M == 1 && !job.TransB && job.K > 0 && job.N > 0);
        int blocks = (job.K + job.Blocking.Kc - 1) / job.Blocking.Kc;
        job.Threads = Math.Min(job.Threads, Math.Max(blocks, (job.N + ColumnAlignment - 1) / ColumnAlignment));
        if (job.Threads > 1)
        {
            job.PackedB = GemmWorkspace.PackedB(checked(blocks * job.N));
            if (GemmThreadPool.TryRun(vectorBits switch
            {
                512 => &Work512,
                256 => &Work256,
                128 => &Work128,
                _ => &WorkScalar,
            }, job))
            {
                return;
            }
        }

        job.Threads = 1;
        Work(job, 0, null, vectorBits);
    }

    private static void Work512(GemmJob job, int thread, GemmSpinBarrier? barrier) => Work(job, thread, barrier, 512);

    private static void Work256(GemmJob job, int thread, GemmSpinBarrier? barrier) => Work(job, thread, barrier, 256);

    private static void Work128(GemmJob job, int thread, GemmSpinBarrier? barrier) => Work(job, thread, barrier, 128);

    private static void WorkScalar(GemmJob job, int thread, GemmSpinBarrier? barrier) => Work(job, thread, barrier, 0);

    /// <summary>
    /// One thread's share. With at least as many Kc blocks as threads, the threads split the Kc blocks (each streams whole rows
    /// of B, the sequential pattern memory likes best) and store each block's accumulators; after a barrier they split the
    /// columns and apply the blocks to C in block order. Otherwise they split the columns. Either way every element sees the
    /// same operations in the same order as on one thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    private static void Work(GemmJob job, int thread, GemmSpinBarrier? barrier, int vectorBits)
    {
        int kcBlock = job.Blocking.Kc;
        int blocks = (job.K + kcBlock - 1) / kcBlock;
        int lines = (job.N + ColumnAlignment - 1) / ColumnAlignment;
        if (barrier is not null && blocks >= job.Threads)
        {
            (int b0, int b1) = GemmDriver.Split(blocks, thread, job.Threads);
            for (int block = b0; block < b1; block++)
            {
                float* acc = job.PackedB + ((nint)block * job.N);
                for (int jc = 0; jc < job.N; jc += ChunkColumns)
                {
                    Accumulate(job, acc + jc, block * kcBlock, jc, Math.Min(ChunkColumns, job.N - jc), vectorBits);
                }
            }

            barrier.SignalAndWait();
            (int first, int end) = GemmDriver.Split(lines, thread, job.Threads);
            int j0 = first * ColumnAlignment, w = Math.Min(job.N, end * ColumnAlignment) - j0;
            for (int block = 0; block < blocks && w > 0; block++)
            {
                Update(job.C + j0, job.PackedB + ((nint)block * job.N) + j0, w, job.Alpha, block == 0 ? job.Beta : 1f, vectorBits);
            }
        }
        else
        {
            float* acc = stackalloc float[ChunkColumns];
            (int first, int end) = GemmDriver.Split(lines, thread, job.Threads);
            int j0 = first * ColumnAlignment, j1 = Math.Min(job.N, end * ColumnAlignment);
            for (int jc = j0; jc < j1; jc += ChunkColumns)
            {
                int w = Math.Min(ChunkColumns, j1 - jc);
                for (int block = 0; block < blocks; block++)
                {
                    Accumulate(job, acc, block * kcBlock, jc, w, vectorBits);
                    Update(job.C + jc, acc, w, job.Alpha, block == 0 ? job.Beta : 1f, vectorBits);
                }
            }
        }

        barrier?.SignalAndWait();
    }

    /// <summary>acc[0 .. w) ← Σ_p a_p·B[p, jc + j] over the Kc block starting at row <paramref name="pc"/>, by fma in order of p from +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    private static void Accumulate(in GemmJob job, float* acc, int pc, int jc, int w, int vectorBits)
    {
        int kc = Math.Min(job.Blocking.Kc, job.K - pc);
        new Span<float>(acc, w).Clear();
        float* b = (float*)job.B + (nint)pc * job.Ldb + jc;
        // With AlignRowStarts, columns before the first 64-byte boundary of B's row run in scalar code, so the vector loads
        // of B never split a cache line when the row stride is a multiple of 64 bytes; same fmas, same bits.
        int head = vectorBits == 0 || !AlignRowStarts ? 0 : Math.Min(w, (int)((64 - ((nuint)b & 63)) & 63) / sizeof(float));
        int lines = RowStartPrefetchLines;
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            float* bp = b + (nint)p * job.Ldb;
            if (lines > 0 && p + 16 <= kc)
            {
                PrefetchRowStarts(bp + (8 * job.Ldb), job.Ldb, lines);
            }

            Accumulate8(acc, bp, job.Ldb, job, pc + p, head, 0);
            Accumulate8(acc + head, bp + head, job.Ldb, job, pc + p, w - head, vectorBits);
        }

        for (; p + 4 <= kc; p += 4)
        {
            float* bp = b + (nint)p * job.Ldb;
            float a0 = job.ElementA(0, pc + p), a1 = job.ElementA(0, pc + p + 1), a2 = job.ElementA(0, pc + p + 2), a3 = job.ElementA(0, pc + p + 3);
            Accumulate4(acc, bp, job.Ldb, a0, a1, a2, a3, head, 0);
            Accumulate4(acc + head, bp + head, job.Ldb, a0, a1, a2, a3, w - head, vectorBits);
        }

        for (; p < kc; p++)
        {
            float* bp = b + (nint)p * job.Ldb;
            float a0 = job.ElementA(0, pc + p);
            Accumulate1(acc, bp, a0, head, 0);
            Accumulate1(acc + head, bp + head, a0, w - head, vectorBits);
        }
    }

    /// <summary>
    /// Whether each row's columns before its first 64-byte boundary run in scalar code, so that the vector loads of B never
    /// split a cache line (the default, except on Zen 4).
    /// </summary>
    /// <remarks>
    /// Zen 5: misaligned B rows without the scalar head measured 8-13 % slower. Zen 4 is the other way round: at M = 1,
    /// K = N = 4096 the head cost 3-8 % (docs/benchmarks/zen4-2026-11-27.md), as it delays the vector loop that starts
    /// each pass's eight new streams, while the split loads cost it little. Either way the same fmas run in the same order,
    /// so the bits do not depend on it (the tests flip it).
    /// </remarks>
    internal static bool AlignRowStarts { get; set; } = !GemmCpu.IsAmdZen4;

    /// <summary>
    /// Cache lines at the start of each of the next eight rows of B that an eight-row pass prefetches as it begins (0: none,
    /// the default except on Zen 4, where one line measured 2-5 % faster without the scalar head, and nothing with it).
    /// </summary>
    /// <remarks>
    /// Each pass opens eight new sequential streams, and their first lines are demand misses until the hardware prefetcher
    /// has seen them; a pass takes several microseconds, so a line requested one pass ahead has arrived when it is read.
    /// </remarks>
    internal static int RowStartPrefetchLines { get; set; } = GemmCpu.IsAmdZen4 ? 1 : 0;

    /// <summary>Prefetches the first <paramref name="lines"/> cache lines of the eight rows of B starting at <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchRowStarts(float* b, nint ldb, int lines)
    {
        if (Sse.IsSupported)
        {
            for (int r = 0; r < 8; r++)
            {
                byte* row = (byte*)(b + (r * ldb));
                for (int l = 0; l < lines; l++)
                {
                    Sse.Prefetch0(row + (l * 64));
                }
            }
        }
    }

    /// <summary>c[j] ← fma(acc[j], alpha, beta = 0 ? +0 : c[j]·beta) for j &lt; w: the micro-kernels' final step (IGemmMicroKernel remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    private static void Update(float* c, float* acc, int w, float alpha, float beta, int vectorBits)
    {
        int j = 0;
        if (vectorBits == 512)
        {
            Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
            for (; j + 16 <= w; j += 16)
            {
                Vector512<float> t = beta == 0f ? Vector512<float>.Zero : Vector512.Load(c + j) * vb;
                Vector512.FusedMultiplyAdd(Vector512.Load(acc + j), va, t).Store(c + j);
            }
        }

        for (; j < w; j++)
        {
            c[j] = MathF.FusedMultiplyAdd(acc[j], alpha, beta == 0f ? 0f : c[j] * beta);
        }
    }

    /// <summary>
    /// acc[j] ← fma(a7, b7[j], … fma(a0, b0[j], acc[j]) …) for j &lt; w over the 8 rows of B starting at <paramref name="b"/> (ldb apart),
    /// with a_r = op(A)[0, p0 + r]. Eight rows per pass read and write the accumulator row half as often as four and keep eight
    /// sequential streams of B in flight (measured about 8 % faster than four rows at M = 1, K = N = 4096; software prefetch lost).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    internal static void Accumulate8(float* acc, float* b, nint ldb, in GemmJob job, int p0, int w, int vectorBits)
    {
        float a0 = job.ElementA(0, p0), a1 = job.ElementA(0, p0 + 1), a2 = job.ElementA(0, p0 + 2), a3 = job.ElementA(0, p0 + 3);
        float a4 = job.ElementA(0, p0 + 4), a5 = job.ElementA(0, p0 + 5), a6 = job.ElementA(0, p0 + 6), a7 = job.ElementA(0, p0 + 7);
        float* b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb, b4 = b3 + ldb, b5 = b4 + ldb, b6 = b5 + ldb, b7 = b6 + ldb;
        int j = 0;
        if (vectorBits == 512)
        {
            Vector512<float> v0 = Vector512.Create(a0), v1 = Vector512.Create(a1), v2 = Vector512.Create(a2), v3 = Vector512.Create(a3);
            Vector512<float> v4 = Vector512.Create(a4), v5 = Vector512.Create(a5), v6 = Vector512.Create(a6), v7 = Vector512.Create(a7);
            for (; j + 16 <= w; j += 16)
            {
                Vector512<float> s = Vector512.Load(acc + j);
                s = Vector512.FusedMultiplyAdd(v0, Vector512.Load(b + j), s);
                s = Vector512.FusedMultiplyAdd(v1, Vector512.Load(b1 + j), s);
                s = Vector512.FusedMultiplyAdd(v2, Vector512.Load(b2 + j), s);
                s = Vector512.FusedMultiplyAdd(v3, Vector512.Load(b3 + j), s);
                s = Vector512.FusedMultiplyAdd(v4, Vector512.Load(b4 + j), s);
                s = Vector512.FusedMultiplyAdd(v5, Vector512.Load(b5 + j), s);
                s = Vector512.FusedMultiplyAdd(v6, Vector512.Load(b6 + j), s);
                s = Vector512.FusedMultiplyAdd(v7, Vector512.Load(b7 + j), s);
                s.Store(acc + j);
            }
        }
        else if (vectorBits == 256)
        {
            Vector256<float> v0 = Vector256.Create(a0), v1 = Vector256.Create(a1), v2 = Vector256.Create(a2), v3 = Vector256.Create(a3);
            Vector256<float> v4 = Vector256.Create(a4), v5 = Vector256.Create(a5), v6 = Vector256.Create(a6), v7 = Vector256.Create(a7);
            for (; j + 8 <= w; j += 8)
            {
                Vector256<float> s = Vector256.Load(acc + j);
                s = Vector256.FusedMultiplyAdd(v0, Vector256.Load(b + j), s);
                s = Vector256.FusedMultiplyAdd(v1, Vector256.Load(b1 + j), s);
                s = Vector256.FusedMultiplyAdd(v2, Vector256.Load(b2 + j), s);
                s = Vector256.FusedMultiplyAdd(v3, Vector256.Load(b3 + j), s);
                s = Vector256.FusedMultiplyAdd(v4, Vector256.Load(b4 + j), s);
                s = Vector256.FusedMultiplyAdd(v5, Vector256.Load(b5 + j), s);
                s = Vector256.FusedMultiplyAdd(v6, Vector256.Load(b6 + j), s);
                s = Vector256.FusedMultiplyAdd(v7, Vector256.Load(b7 + j), s);
                s.Store(acc + j);
            }
        }
        else if (vectorBits == 128)
        {
            Vector128<float> v0 = Vector128.Create(a0), v1 = Vector128.Create(a1), v2 = Vector128.Create(a2), v3 = Vector128.Create(a3);
            Vector128<float> v4 = Vector128.Create(a4), v5 = Vector128.Create(a5), v6 = Vector128.Create(a6), v7 = Vector128.Create(a7);
            for (; j + 4 <= w; j += 4)
            {
                Vector128<float> s = Vector128.Load(acc + j);
                s = Vector128.FusedMultiplyAdd(v0, Vector128.Load(b + j), s);
                s = Vector128.FusedMultiplyAdd(v1, Vector128.Load(b1 + j), s);
                s = Vector128.FusedMultiplyAdd(v2, Vector128.Load(b2 + j), s);
                s = Vector128.FusedMultiplyAdd(v3, Vector128.Load(b3 + j), s);
                s = Vector128.FusedMultiplyAdd(v4, Vector128.Load(b4 + j), s);
                s = Vector128.FusedMultiplyAdd(v5, Vector128.Load(b5 + j), s);
                s = Vector128.FusedMultiplyAdd(v6, Vector128.Load(b6 + j), s);
                s = Vector128.FusedMultiplyAdd(v7, Vector128.Load(b7 + j), s);
                s.Store(acc + j);
            }
        }

        for (; j < w; j++)
        {
            float s = MathF.FusedMultiplyAdd(a0, b[j], acc[j]);
            s = MathF.FusedMultiplyAdd(a1, b1[j], s);
            s = MathF.FusedMultiplyAdd(a2, b2[j], s);
            s = MathF.FusedMultiplyAdd(a3, b3[j], s);
            s = MathF.FusedMultiplyAdd(a4, b4[j], s);
            s = MathF.FusedMultiplyAdd(a5, b5[j], s);
            s = MathF.FusedMultiplyAdd(a6, b6[j], s);
            acc[j] = MathF.FusedMultiplyAdd(a7, b7[j], s);
        }
    }

    /// <summary>acc[j] ← fma(a3, b3[j], fma(a2, b2[j], fma(a1, b1[j], fma(a0, b0[j], acc[j])))) for j &lt; w; rows of B are ldb apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    internal static void Accumulate4(float* acc, float* b, nint ldb, float a0, float a1, float a2, float a3, int w, int vectorBits)
    {
        float* b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        int j = 0;
        if (vectorBits == 512)
        {
            Vector512<float> v0 = Vector512.Create(a0), v1 = Vector512.Create(a1), v2 = Vector512.Create(a2), v3 = Vector512.Create(a3);
            for (; j + 16 <= w; j += 16)
            {
                Vector512<float> s = Vector512.Load(acc + j);
                s = Vector512.FusedMultiplyAdd(v0, Vector512.Load(b + j), s);
                s = Vector512.FusedMultiplyAdd(v1, Vector512.Load(b1 + j), s);
                s = Vector512.FusedMultiplyAdd(v2, Vector512.Load(b2 + j), s);
                s = Vector512.FusedMultiplyAdd(v3, Vector512.Load(b3 + j), s);
                s.Store(acc + j);
            }
        }
        else if (vectorBits == 256)
        {
            Vector256<float> v0 = Vector256.Create(a0), v1 = Vector256.Create(a1), v2 = Vector256.Create(a2), v3 = Vector256.Create(a3);
            for (; j + 8 <= w; j += 8)
            {
                Vector256<float> s = Vector256.Load(acc + j);
                s = Vector256.FusedMultiplyAdd(v0, Vector256.Load(b + j), s);
                s = Vector256.FusedMultiplyAdd(v1, Vector256.Load(b1 + j), s);
                s = Vector256.FusedMultiplyAdd(v2, Vector256.Load(b2 + j), s);
                s = Vector256.FusedMultiplyAdd(v3, Vector256.Load(b3 + j), s);
                s.Store(acc + j);
            }
        }
        else if (vectorBits == 128)
        {
            Vector128<float> v0 = Vector128.Create(a0), v1 = Vector128.Create(a1), v2 = Vector128.Create(a2), v3 = Vector128.Create(a3);
            for (; j + 4 <= w; j += 4)
            {
                Vector128<float> s = Vector128.Load(acc + j);
                s = Vector128.FusedMultiplyAdd(v0, Vector128.Load(b + j), s);
                s = Vector128.FusedMultiplyAdd(v1, Vector128.Load(b1 + j), s);
                s = Vector128.FusedMultiplyAdd(v2, Vector128.Load(b2 + j), s);
                s = Vector128.FusedMultiplyAdd(v3, Vector128.Load(b3 + j), s);
                s.Store(acc + j);
            }
        }

        for (; j < w; j++)
        {
            float s = MathF.FusedMultiplyAdd(a0, b[j], acc[j]);
            s = MathF.FusedMultiplyAdd(a1, b1[j], s);
            s = MathF.FusedMultiplyAdd(a2, b2[j], s);
            acc[j] = MathF.FusedMultiplyAdd(a3, b3[j], s);
        }
    }

    /// <summary>acc[j] ← fma(a0, b[j], acc[j]) for j &lt; w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    internal static void Accumulate1(float* acc, float* b, float a0, int w, int vectorBits)
    {
        int j = 0;
        if (vectorBits == 512)
        {
            Vector512<float> v0 = Vector512.Create(a0);
            for (; j + 16 <= w; j += 16)
            {
                Vector512.FusedMultiplyAdd(v0, Vector512.Load(b + j), Vector512.Load(acc + j)).Store(acc + j);
            }
        }
        else if (vectorBits == 256)
        {
            Vector256<float> v0 = Vector256.Create(a0);
            for (; j + 8 <= w; j += 8)
            {
                Vector256.FusedMultiplyAdd(v0, Vector256.Load(b + j), Vector256.Load(acc + j)).Store(acc + j);
            }
        }
        else if (vectorBits == 128)
        {
            Vector128<float> v0 = Vector128.Create(a0);
            for (; j + 4 <= w; j += 4)
            {
                Vector128.FusedMultiplyAdd(v0, Vector128.Load(b + j), Vector128.Load(acc + j)).Store(acc + j);
            }
        }

        for (; j < w; j++)
        {
            acc[j] = MathF.FusedMultiplyAdd(a0, b[j], acc[j]);
        }
    }

    /// <summary>The widest vector width the hardware accelerates (bits), or 0.</summary>
    public static int HardwareVectorBits =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
}
