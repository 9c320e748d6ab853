// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;

namespace Numerics.Kernels;

/// <summary>FP32 GEMM micro-kernel for hardware without SIMD: a 4×4 tile in 16 scalar accumulators.</summary>
/// <remarks>
/// Uses <see cref="MathF.FusedMultiplyAdd"/> in the order every kernel follows (<see cref="IGemmMicroKernel"/>), so its bits
/// equal those of the vector kernels.
/// </remarks>
internal readonly struct GemmF32Kernel4x4Scalar : IGemmMicroKernel
{
    /// <inheritdoc/>
    public static int Mr => 4;

    /// <inheritdoc/>
    public static int Nr => 4;

    /// <inheritdoc/>
    public static bool IsSupported => true;

    /// <inheritdoc/>
    public static GemmBlocking Blocking => new(Mc: 64, GemmBlocking.DefaultKc, 512);

    /// <inheritdoc/>
    public static void Run(int k, ref float aPanel, ref float bPanel, nint ldb, nint prefetch, ref float c, nint ldc, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        ref float pa = ref aPanel;
        ref float pb = ref bPanel;
        for (int p = 0; p < k; p++)
        {
            float b0 = pb, b1 = Unsafe.Add(ref pb, 1), b2 = Unsafe.Add(ref pb, 2), b3 = Unsafe.Add(ref pb, 3);
            float a = pa;
            c00 = MathF.FusedMultiplyAdd(a, b0, c00);
            c01 = MathF.FusedMultiplyAdd(a, b1, c01);
            c02 = MathF.FusedMultiplyAdd(a, b2, c02);
            c03 = MathF.FusedMultiplyAdd(a, b3, c03);
            a = Unsafe.Add(ref pa, 1);
            c10 = MathF.FusedMultiplyAdd(a, b0, c10);
            c11 = MathF.FusedMultiplyAdd(a, b1, c11);
            c12 = MathF.FusedMultiplyAdd(a, b2, c12);
            c13 = MathF.FusedMultiplyAdd(a, b3, c13);
            a = Unsafe.Add(ref pa, 2);
            c20 = MathF.FusedMultiplyAdd(a, b0, c20);
            c21 = MathF.FusedMultiplyAdd(a, b1, c21);
            c22 = MathF.FusedMultiplyAdd(a, b2, c22);
            c23 = MathF.FusedMultiplyAdd(a, b3, c23);
            a = Unsafe.Add(ref pa, 3);
            c30 = MathF.FusedMultiplyAdd(a, b0, c30);
            c31 = MathF.FusedMultiplyAdd(a, b1, c31);
            c32 = MathF.FusedMultiplyAdd(a, b2, c32);
            c33 = MathF.FusedMultiplyAdd(a, b3, c33);
            pa = ref Unsafe.Add(ref pa, 4);
            pb = ref Unsafe.Add(ref pb, ldb);
        }

        ref float r0 = ref c;
        ref float r1 = ref Unsafe.Add(ref c, ldc);
        ref float r2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref float r3 = ref Unsafe.Add(ref c, 3 * ldc);
        Store(ref r0, c00, c01, c02, c03, alpha, beta);
        Store(ref r1, c10, c11, c12, c13, alpha, beta);
        Store(ref r2, c20, c21, c22, c23, alpha, beta);
        Store(ref r3, c30, c31, c32, c33, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float row, float x0, float x1, float x2, float x3, float alpha, float beta)
    {
        row = Combine(x0, alpha, beta, row);
        Unsafe.Add(ref row, 1) = Combine(x1, alpha, beta, Unsafe.Add(ref row, 1));
        Unsafe.Add(ref row, 2) = Combine(x2, alpha, beta, Unsafe.Add(ref row, 2));
        Unsafe.Add(ref row, 3) = Combine(x3, alpha, beta, Unsafe.Add(ref row, 3));
    }

    /// <summary>fma(acc, alpha, t), t = +0 when beta = 0 (C not used) else C·beta: the order shared by every kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Combine(float acc, float alpha, float beta, float c) =>
        MathF.FusedMultiplyAdd(acc, alpha, beta == 0f ? 0f : c * beta);
}
