// Licensed under the MIT License. See LICENSE in the repository root.
// Generated from one template (row count, vectors per row, width); keep the three vector kernels in step.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Kernels;

/// <summary>FP32 GEMM micro-kernel, 6×8 tile in 12 Vector128 accumulators (12 of the 16 xmm registers).</summary>
/// <remarks>Order of operations: <see cref="IGemmMicroKernel"/>. Each p broadcasts 6 A values and loads 2 B vectors.</remarks>
internal readonly struct GemmF32Kernel6x8V128 : IGemmMicroKernel
{
    /// <inheritdoc/>
    public static int Mr => 6;

    /// <inheritdoc/>
    public static int Nr => 8;

    /// <inheritdoc/>
    public static bool IsSupported => Vector128.IsHardwareAccelerated;

    /// <inheritdoc/>
    public static GemmBlocking Blocking => new(Mc: 96, GemmBlocking.DefaultKc, 2048);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int k, ref float aPanel, ref float bPanel, nint ldb, nint prefetch, ref float c, nint ldc, float alpha, float beta)
    {
        Vector128<float> c00 = default; Vector128<float> c01 = default;
        Vector128<float> c10 = default; Vector128<float> c11 = default;
        Vector128<float> c20 = default; Vector128<float> c21 = default;
        Vector128<float> c30 = default; Vector128<float> c31 = default;
        Vector128<float> c40 = default; Vector128<float> c41 = default;
        Vector128<float> c50 = default; Vector128<float> c51 = default;
        ref float pa = ref aPanel;
        ref float pb = ref bPanel;
        for (int p = 0; p < k; p++)
        {
            Vector128<float> b0 = Vector128.LoadUnsafe(ref pb, 0);
            Vector128<float> b1 = Vector128.LoadUnsafe(ref pb, 4);
            Vector128<float> a;
            a = Vector128.Create(Unsafe.Add(ref pa, 0));
            c00 = Vector128.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector128.FusedMultiplyAdd(a, b1, c01);
            a = Vector128.Create(Unsafe.Add(ref pa, 1));
            c10 = Vector128.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector128.FusedMultiplyAdd(a, b1, c11);
            a = Vector128.Create(Unsafe.Add(ref pa, 2));
            c20 = Vector128.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector128.FusedMultiplyAdd(a, b1, c21);
            a = Vector128.Create(Unsafe.Add(ref pa, 3));
            c30 = Vector128.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector128.FusedMultiplyAdd(a, b1, c31);
            a = Vector128.Create(Unsafe.Add(ref pa, 4));
            c40 = Vector128.FusedMultiplyAdd(a, b0, c40);
            c41 = Vector128.FusedMultiplyAdd(a, b1, c41);
            a = Vector128.Create(Unsafe.Add(ref pa, 5));
            c50 = Vector128.FusedMultiplyAdd(a, b0, c50);
            c51 = Vector128.FusedMultiplyAdd(a, b1, c51);
            pa = ref Unsafe.Add(ref pa, 6);
            pb = ref Unsafe.Add(ref pb, ldb);
        }

        Vector128<float> alphaV = Vector128.Create(alpha);
        if (beta == 0f)
        {
            // beta = 0: C is not read, so NaN or garbage in C does not propagate (cblas semantics).
            Vector128.FusedMultiplyAdd(c00, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(0 * ldc + 0));
            Vector128.FusedMultiplyAdd(c01, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(0 * ldc + 4));
            Vector128.FusedMultiplyAdd(c10, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(1 * ldc + 0));
            Vector128.FusedMultiplyAdd(c11, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(1 * ldc + 4));
            Vector128.FusedMultiplyAdd(c20, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(2 * ldc + 0));
            Vector128.FusedMultiplyAdd(c21, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(2 * ldc + 4));
            Vector128.FusedMultiplyAdd(c30, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(3 * ldc + 0));
            Vector128.FusedMultiplyAdd(c31, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(3 * ldc + 4));
            Vector128.FusedMultiplyAdd(c40, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(4 * ldc + 0));
            Vector128.FusedMultiplyAdd(c41, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(4 * ldc + 4));
            Vector128.FusedMultiplyAdd(c50, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(5 * ldc + 0));
            Vector128.FusedMultiplyAdd(c51, alphaV, Vector128<float>.Zero).StoreUnsafe(ref c, (nuint)(5 * ldc + 4));
        }
        else
        {
            Vector128<float> betaV = Vector128.Create(beta);
            Update(ref Unsafe.Add(ref c, 0 * ldc + 0), c00, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 0 * ldc + 4), c01, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 1 * ldc + 0), c10, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 1 * ldc + 4), c11, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 2 * ldc + 0), c20, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 2 * ldc + 4), c21, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 3 * ldc + 0), c30, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 3 * ldc + 4), c31, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 4 * ldc + 0), c40, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 4 * ldc + 4), c41, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 5 * ldc + 0), c50, alphaV, betaV);
            Update(ref Unsafe.Add(ref c, 5 * ldc + 4), c51, alphaV, betaV);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(ref float c, Vector128<float> acc, Vector128<float> alpha, Vector128<float> beta) =>
        Vector128.FusedMultiplyAdd(acc, alpha, Vector128.LoadUnsafe(ref c) * beta).StoreUnsafe(ref c);
}
