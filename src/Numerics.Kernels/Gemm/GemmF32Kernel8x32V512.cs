// Licensed under the MIT License. See LICENSE in the repository root.
// Generated from one template (row count, vectors per row, width); keep the three vector kernels in step.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>FP32 GEMM micro-kernel, 8×32 tile in 16 Vector512 accumulators (AVX-512: 16 of the 32 zmm registers; KERNELS.md §8 found 8x32 the steadiest shape).</summary>
/// <remarks>Order of operations: <see cref="IGemmMicroKernel"/>. Each p broadcasts 8 A values and loads 2 B vectors.</remarks>
internal readonly struct GemmF32Kernel8x32V512 : IGemmMicroKernel
{
    /// <inheritdoc/>
    public static int Mr => 8;

    /// <inheritdoc/>
    public static int Nr => 32;

    /// <inheritdoc/>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    /// <remarks>Mc = 512: an A block of 2 MiB (beyond the 1 MiB L2) that every B panel serves 4x longer than at Mc = 128. Interleaved
    /// with OpenBLAS in one process (docs/benchmarks/experiments-2026-11-27.md), Mc = 512 against 128 moved 2048³ from 0.92-0.96x to
    /// 0.96-1.00x of OpenBLAS on one thread and from 0.96x to 1.02x on two, and 4096³ from 0.95x to 0.98x on one thread and from
    /// 0.94x to 0.98x on two. M up to 512 now takes the one-A-block path, which measured 0.97-1.07x of OpenBLAS at M = 256 and 512
    /// (K = N = 4096), against 0.83-0.98x before. Nc = 4096 (a 16 MiB packed B block in the 32 MiB L3): at N = 4096, A is packed
    /// once instead of twice (the scalar A transpose of that time cost 16 ms per pass over a 4096² A, about 2 % of the multiply;
    /// <see cref="GemmPacking.Transpose8"/> now takes 4.2-4.8 ms); measured 0.97-1.01x against 0.96-0.98x with Nc = 2048 on one
    /// thread, 0.99-1.00x against 0.97-0.98x on two. Neither Mc nor Nc changes the bits (only Kc does).</remarks>
    public static GemmBlocking Blocking => new(Mc: 512, GemmBlocking.DefaultKc, 4096);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int k, ref float aPanel, ref float bPanel, nint ldb, nint prefetch, ref float c, nint ldc, float alpha, float beta)
    {
        if (Sse.IsSupported)
        {
            // The C tile is read at the end; touching its lines now overlaps that miss with the k loop (KERNELS.md §8: +2.5 %).
            for (int i = 0; i < 8; i++)
            {
                float* row = (float*)Unsafe.AsPointer(ref Unsafe.Add(ref c, i * ldc));
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + 31);
            }
        }

        Vector512<float> c00 = default; Vector512<float> c01 = default;
        Vector512<float> c10 = default; Vector512<float> c11 = default;
        Vector512<float> c20 = default; Vector512<float> c21 = default;
        Vector512<float> c30 = default; Vector512<float> c31 = default;
        Vector512<float> c40 = default; Vector512<float> c41 = default;
        Vector512<float> c50 = default; Vector512<float> c51 = default;
        Vector512<float> c60 = default; Vector512<float> c61 = default;
        Vector512<float> c70 = default; Vector512<float> c71 = default;
        ref float pa = ref aPanel;
        ref float pb = ref bPanel;
        for (int p = 0; p < k; p++)
        {
            if (prefetch != 0 && Sse.IsSupported)
            {
                // B read in place, rows ldb apart: fetch this row's part of a panel ahead into L2 (prefetcht1 measured
                // ~8 % faster at M = 16 than none, prefetcht0 slower than none; the distance is the caller's).
                float* next = (float*)Unsafe.AsPointer(ref Unsafe.Add(ref pb, prefetch));
                Sse.Prefetch1(next);
                Sse.Prefetch1(next + 16);
            }

            Vector512<float> b0 = Vector512.LoadUnsafe(ref pb, 0);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref pb, 16);
            Vector512<float> a;
            a = Vector512.Create(Unsafe.Add(ref pa, 0));
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(Unsafe.Add(ref pa, 1));
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(Unsafe.Add(ref pa, 2));
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(Unsafe.Add(ref pa, 3));
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(Unsafe.Add(ref pa, 4));
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(Unsafe.Add(ref pa, 5));
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(Unsafe.Add(ref pa, 6));
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(Unsafe.Add(ref pa, 7));
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
            pa = ref Unsafe.Add(ref pa, 8);
            pb = ref Unsafe.Add(ref pb, ldb);
        }

        Vector512<float> alphaV = Vector512.Create(alpha);
        if (beta == 0f)
        {
            // beta = 0: C is not read, so NaN or garbage in C does not propagate (cblas semantics).
            Vector512.FusedMultiplyAdd(c00, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(0 * ldc + 0));
            Vector512.FusedMultiplyAdd(c01, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(0 * ldc + 16));
            Vector512.FusedMultiplyAdd(c10, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(1 * ldc + 0));
            Vector512.FusedMultiplyAdd(c11, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(1 * ldc + 16));
            Vector512.FusedMultiplyAdd(c20, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(2 * ldc + 0));
            Vector512.FusedMultiplyAdd(c21, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(2 * ldc + 16));
            Vector512.FusedMultiplyAdd(c30, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(3 * ldc + 0));
            Vector512.FusedMultiplyAdd(c31, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(3 * ldc + 16));
            Vector512.FusedMultiplyAdd(c40, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(4 * ldc + 0));
            Vector512.FusedMultiplyAdd(c41, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(4 * ldc + 16));
            Vector512.FusedMultiplyAdd(c50, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(5 * ldc + 0));
            Vector512.FusedMultiplyAdd(c51, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(5 * ldc + 16));
            Vector512.FusedMultiplyAdd(c60, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(6 * ldc + 0));
            Vector512.FusedMultiplyAdd(c61, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(6 * ldc + 16));
            Vector512.FusedMultiplyAdd(c70, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(7 * ldc + 0));
            Vector512.FusedMultiplyAdd(c71, alphaV, Vector512<float>.Zero).StoreUnsafe(ref c, (nuint)(7 * ldc + 16));
        }
        else
        {
            Vector512<float> betaV = Vector512.Create(beta);
            Update(ref Unsafe.Add(ref c, 0 * ldc + 0), c00, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 0 * ldc + 16), c01, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 1 * ldc + 0), c10, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 1 * ldc + 16), c11, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 2 * ldc + 0), c20, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 2 * ldc + 16), c21, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 3 * ldc + 0), c30, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 3 * ldc + 16), c31, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 4 * ldc + 0), c40, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 4 * ldc + 16), c41, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 5 * ldc + 0), c50, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 5 * ldc + 16), c51, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 6 * ldc + 0), c60, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 6 * ldc + 16), c61, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 7 * ldc + 0), c70, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 7 * ldc + 16), c71, alphaV, betaV);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(ref float c, Vector512<float> acc, Vector512<float> alpha, Vector512<float> beta) =>
        Vector512.FusedMultiplyAdd(acc, alpha, Vector512.LoadUnsafe(ref c) * beta).StoreUnsafe(ref c);
}
