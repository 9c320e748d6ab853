// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Numerics.Kernels;

/// <summary>
/// The BLIS macro-kernel for INT8 × INT8 → INT32: jc += Nc { pc += Kc { pack B; ic += Mc { pack A; jr += Nr { ir += Mr } } } }.
/// </summary>
/// <remarks>
/// Each thread owns a contiguous range of whole Nr panels of C (or of Mr panels when N is too narrow) and packs its own
/// operands, so threads never wait for each other. Integer sums wrap modulo 2³² and are exact modulo 2³² in any order,
/// so the split, the blocking and the micro-kernel never change the bits of the result.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class GemmInt8Driver
{
    /// <summary>Default blocking: Mc = 384, Kc = 4096, Nc = 2048 (a 1.5 MiB A block, a B micro-panel of Nr × Kc bytes = 64 KiB, up
    /// to 8 MiB of packed B per thread). Integer sums are exact, so the blocking never changes the result.</summary>
    /// <remarks>Chosen by an interleaved in-process scan against the FP32 GEMM (docs/benchmarks/experiments-2026-11-27.md) after the
    /// FP32 kernel's own blocking improved. The earlier (192, 1024, 4096) gave 1.91-1.95x the FP32 throughput at 2048³ on one thread
    /// and 1.93x on two; (384, 4096, 4096) gave 2.12-2.14x and 2.18-2.20x; 2.09x and 2.40x at 128 × 4096 × 4096 (against 2.07x and
    /// 2.14x); 2.14x and 2.07x at 1024³ (against 2.17x and 2.10x). Nc = 2048 then matched or beat Nc = 4096 at every shape
    /// (2048³ 2.21x / 2.15x, 128 × 4096 × 4096 2.14x / 2.17x, 1024³ 2.12x on one thread) with half the packed B.</remarks>
    public static GemmBlocking DefaultBlocking => new(Mc: 384, Kc: 4096, Nc: 2048);

    [ThreadStatic]
    private static byte[]? t_packedA;

    [ThreadStatic]
    private static byte[]? t_packedB;

    /// <summary>The parameters every thread reads (on the caller's stack for the duration of the call).</summary>
    internal struct Payload
    {
        public sbyte* A;
        public sbyte* B;
        public int* C;
        public int Lda, Ldb, Ldc;
        public GemmBlocking Blocking;
    }

    /// <summary>Runs C = A·B (m, n, k ≥ 1) with micro-kernel <typeparamref name="TKernel"/> on <paramref name="threads"/> threads.</summary>
    public static void Run<TKernel>(sbyte* a, int lda, sbyte* b, int ldb, int* c, int ldc, int m, int n, int k, GemmBlocking blocking, int threads)
        where TKernel : struct, IGemmInt8MicroKernel
    {
        Debug.Assert(m > 0 && n > 0 && k > 0 && threads >= 1);
        Payload payload = new() { A = a, B = b, C = c, Lda = lda, Ldb = ldb, Ldc = ldc, Blocking = blocking };
        GemmJob job = new() { M = m, N = n, K = k, Threads = threads, Payload = &payload };
        if (threads > 1 && GemmThreadPool.TryRun(&Work<TKernel>, job))
        {
            return;
        }

        job.Threads = 1;
        Work<TKernel>(job, 0, null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Work<TKernel>(GemmJob job, int thread, GemmSpinBarrier? barrier)
        where TKernel : struct, IGemmInt8MicroKernel
    {
        Payload* p = (Payload*)job.Payload;
        int mr = TKernel.Mr, nr = TKernel.Nr, threads = job.Threads;
        GemmBlocking blocking = p->Blocking;

        // Columns in whole Nr panels when there are enough, else rows in whole Mr panels.
        int nPanels = (job.N + nr - 1) / nr, mPanels = (job.M + mr - 1) / mr;
        int m0 = 0, m1 = job.M, n0 = 0, n1 = job.N;
        if (nPanels >= threads * 2 || nPanels >= mPanels)
        {
            (int first, int end) = GemmDriver.Split(nPanels, thread, threads);
            (n0, n1) = (first * nr, Math.Min(job.N, end * nr));
        }
        else
        {
            (int first, int end) = GemmDriver.Split(mPanels, thread, threads);
            (m0, m1) = (first * mr, Math.Min(job.M, end * mr));
        }

        if (m0 < m1 && n0 < n1)
        {
            Block<TKernel>(p, m0, m1, n0, n1, job.K);
        }

        barrier?.SignalAndWait();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TKernel>(Payload* p, int m0, int m1, int n0, int n1, int k)
        where TKernel : struct, IGemmInt8MicroKernel
    {
        int mr = TKernel.Mr, nr = TKernel.Nr, aBytes = TKernel.AGroupBytes;
        GemmBlocking blocking = p->Blocking;
        int kcMax = Math.Min(blocking.Kc, k);
        int groupsMax = (kcMax + 3) / 4;
        int ncMax = RoundUp(Math.Min(blocking.Nc, n1 - n0), nr);
        int mcMax = RoundUp(Math.Min(blocking.Mc, m1 - m0), mr);
        byte* packedA = Get(ref t_packedA, checked(mcMax * groupsMax * aBytes));
        byte* packedB = Get(ref t_packedB, checked((ncMax * groupsMax * 4) + (ncMax * sizeof(int))));
        int* correction = (int*)(packedB + ((nint)ncMax * groupsMax * 4));
        int* scratch = stackalloc int[mr * nr];

        for (int jc = n0; jc < n1; jc += blocking.Nc)
        {
            int nc = Math.Min(blocking.Nc, n1 - jc);
            for (int pc = 0; pc < k; pc += blocking.Kc)
            {
                int kc = Math.Min(blocking.Kc, k - pc);
                int groups = (kc + 3) / 4;
                bool accumulate = pc > 0;
                GemmInt8Packing.PackB(p->B, p->Ldb, jc, nc, pc, kc, nr, (sbyte*)packedB, correction);
                for (int ic = m0; ic < m1; ic += blocking.Mc)
                {
                    int mc = Math.Min(blocking.Mc, m1 - ic);
                    if (aBytes == 8)
                    {
                        GemmInt8Packing.PackAWords(p->A, p->Lda, ic, mc, pc, kc, mr, packedA);
                    }
                    else
                    {
                        GemmInt8Packing.PackA(p->A, p->Lda, ic, mc, pc, kc, mr, packedA);
                    }

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nrEff = Math.Min(nr, nc - jr);
                        sbyte* pb = (sbyte*)packedB + ((nint)jr * groups * 4);
                        int* corr = correction + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mrEff = Math.Min(mr, mc - ir);
                            byte* pa = packedA + ((nint)ir * groups * aBytes);
                            int* c = p->C + ((nint)(ic + ir) * p->Ldc) + jc + jr;
                            if (mrEff == mr && nrEff == nr)
                            {
                                TKernel.Run(groups, pa, pb, corr, c, p->Ldc, accumulate);
                            }
                            else
                            {
                                TKernel.Run(groups, pa, pb, corr, scratch, nr, accumulate: false);
                                for (int i = 0; i < mrEff; i++)
                                {
                                    int* dst = c + ((nint)i * p->Ldc);
                                    int* src = scratch + (i * nr);
                                    for (int j = 0; j < nrEff; j++)
                                    {
                                        dst[j] = unchecked(accumulate ? dst[j] + src[j] : src[j]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static byte* Get(ref byte[]? buffer, int bytes)
    {
        if (buffer is null || buffer.Length < bytes + 64)
        {
            buffer = GC.AllocateUninitializedArray<byte>(bytes + 64, pinned: true);
        }

        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (byte*)((address + 63) & ~(nuint)63);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
