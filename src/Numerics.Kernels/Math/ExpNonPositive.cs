// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Kernels;

/// <summary>
/// exp(d) for d &lt;= 0 (or NaN), the exp of the three-pass softmax kernels (d = x - max): as cheap as the 1e-5 accuracy
/// target allows, 8 floating-point operations per vector plus the subtraction, the clamp and the scaling.
/// </summary>
/// <remarks>
/// <para>Algorithm (identical in the scalar, 128-, 256- and 512-bit bodies, operation for operation, so every body gives the
/// same bits): c = max(<see cref="Lower"/>, d) (NaN passes through; -inf becomes <see cref="Lower"/>, whose exp rounds to 0);
/// r = round-to-nearest-even(c * log2(e)) computed as fma(c, log2(e), 1.5*2^23) - 1.5*2^23 (exact for |c*log2(e)| &lt; 2^22);
/// t = fma(r, -ln2, c) with ln2 rounded to float (one-constant reduction); p = 1 + t*(C1 + t*(C2 + t*(C3 + t*(C4 + t*C5)))),
/// a degree-5 polynomial fitted to e^t for minimax relative error on |t| &lt;= 0.3466 (Lawson iteration, coefficients rounded
/// to float: 2^-23.3 = 9.5e-8 in exact arithmetic), Horner with FMAs; the result is p * 2^r, rounded once
/// (<see cref="ScaleByPowerOfTwo"/>, vscalefps where available).</para>
/// <para>Error budget for results in the normal range (d &gt;= -87.33, |r| &lt;= 126): the float ln2 is off by 1.9e-9, so t
/// carries up to 126 * 1.9e-9 = 2.4e-7 of absolute error (a relative error of 2.4e-7 in the result, about 2 ulp, only near
/// d = -87); the polynomial adds 9.5e-8, the Horner roundings and the final rounding about 1 ulp. exp(0) is exactly 1
/// (r = 0, t = 0, p = 1). The bound measured exhaustively over every float in [-87.33, 0] is 4.764 ulp, maximum relative
/// error 3.88e-7 (<see cref="MeasuredMaxUlp"/>; docs/benchmarks/softmax-2026-11-26.md); tests enforce it on a dense sample. Results below
/// 2^-126 (d in [-103.9, -87.33]) are subnormal and correctly rounded from p*2^r, so their error is a few units of 2^-149.</para>
/// </remarks>
internal static class ExpNonPositive
{
    /// <summary>Inputs below this are clamped to it; exp(-126) = 1.9e-55 rounds to 0, as does everything below about -103.97.</summary>
    internal const float Lower = -126f;

    /// <summary>Down to this, <see cref="ExpInRange(float)"/> (no clamp) gives the same bits as <see cref="Exp(float)"/>: for
    /// d in [-2^20, -126), |d*log2(e)| &lt; 2^22 keeps the rounding trick exact, |t| stays below 0.365 (the float log2(e) and
    /// ln2 are off by 2e-8 and 2e-9 relative), so p is in [0.69, 1.45], and p * 2^r with r &lt;= -182 rounds to 0, the value
    /// of exp(Lower).</summary>
    internal const float InRangeLimit = -1048576f;

    /// <summary>log2(e) rounded to float.</summary>
    internal const float Log2E = 1.44269502f;               // 0x1.715476p+0

    /// <summary>ln2 rounded to float (0x1.62E430p-1; 1.9e-9 above ln2).</summary>
    internal const float Ln2 = 0.693147182f;

    /// <summary>1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer.</summary>
    internal const float RoundingShift = 12582912f;

    internal const float C1 = 0.9999997f;                   // 0x3F7FFFFB
    internal const float C2 = 0.4999915f;                   // 0x3EFFFEE3
    internal const float C3 = 0.16667637f;                  // 0x3E2AAD36
    internal const float C4 = 0.041897964f;                 // 0x3D2B9D33
    internal const float C5 = 0.0082903085f;                // 0x3C07D413

    /// <summary>Largest error of <see cref="Exp(float)"/> against exp, in ulps of the result, measured exhaustively over all
    /// 1,118,742,775 floats in [-87.33, 0] (the inputs with a normal result) against Math.Exp in double: 4.764 ulp at
    /// d = -86.947876 (maximum relative error 3.88e-7), stated as 4.77. Errors grow with |d| (the one-constant reduction);
    /// near 0 they are about 1 ulp. Tests recheck every 37th float of that range.</summary>
    internal const double MeasuredMaxUlp = 4.77;

    /// <summary>Scalar reference: every vector body must match it bit for bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Exp(float d) => ExpInRange(Lower > d ? Lower : d); // maxps(lo, d): NaN survives, as in the vector bodies

    /// <summary><see cref="Exp(float)"/> without the clamp: the same bits for every d in [<see cref="InRangeLimit"/>, 0] and NaN
    /// (below <see cref="Lower"/> both give 0; see the remarks). -inf or d below the limit give garbage.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float ExpInRange(float c)
    {
        float r = MathF.FusedMultiplyAdd(c, Log2E, RoundingShift) - RoundingShift;
        float t = MathF.FusedMultiplyAdd(r, -Ln2, c);
        float q = MathF.FusedMultiplyAdd(C5, t, C4);
        q = MathF.FusedMultiplyAdd(q, t, C3);
        q = MathF.FusedMultiplyAdd(q, t, C2);
        q = MathF.FusedMultiplyAdd(q, t, C1);
        float p = MathF.FusedMultiplyAdd(q, t, 1f);
        return ScaleByPowerOfTwo.Scale(p, r);
    }

    /// <summary>128-bit body of <see cref="Exp(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Exp(Vector128<float> d) => ExpInRange(Vector128.MaxNative(Vector128.Create(Lower), d));

    /// <summary>128-bit body of <see cref="ExpInRange(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> ExpInRange(Vector128<float> c)
    {
        Vector128<float> shift = Vector128.Create(RoundingShift);
        Vector128<float> r = Vector128.FusedMultiplyAdd(c, Vector128.Create(Log2E), shift) - shift;
        Vector128<float> t = Vector128.FusedMultiplyAdd(r, Vector128.Create(-Ln2), c);
        Vector128<float> q = Vector128.FusedMultiplyAdd(Vector128.Create(C5), t, Vector128.Create(C4));
        q = Vector128.FusedMultiplyAdd(q, t, Vector128.Create(C3));
        q = Vector128.FusedMultiplyAdd(q, t, Vector128.Create(C2));
        q = Vector128.FusedMultiplyAdd(q, t, Vector128.Create(C1));
        Vector128<float> p = Vector128.FusedMultiplyAdd(q, t, Vector128<float>.One);
        return ScaleByPowerOfTwo.Scale(p, r);
    }

    /// <summary>256-bit body of <see cref="Exp(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp(Vector256<float> d) => ExpInRange(Vector256.MaxNative(Vector256.Create(Lower), d));

    /// <summary>256-bit body of <see cref="ExpInRange(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ExpInRange(Vector256<float> c)
    {
        Vector256<float> shift = Vector256.Create(RoundingShift);
        Vector256<float> r = Vector256.FusedMultiplyAdd(c, Vector256.Create(Log2E), shift) - shift;
        Vector256<float> t = Vector256.FusedMultiplyAdd(r, Vector256.Create(-Ln2), c);
        Vector256<float> q = Vector256.FusedMultiplyAdd(Vector256.Create(C5), t, Vector256.Create(C4));
        q = Vector256.FusedMultiplyAdd(q, t, Vector256.Create(C3));
        q = Vector256.FusedMultiplyAdd(q, t, Vector256.Create(C2));
        q = Vector256.FusedMultiplyAdd(q, t, Vector256.Create(C1));
        Vector256<float> p = Vector256.FusedMultiplyAdd(q, t, Vector256<float>.One);
        return ScaleByPowerOfTwo.Scale(p, r);
    }

    /// <summary>512-bit body of <see cref="Exp(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> d) => ExpInRange(Vector512.MaxNative(Vector512.Create(Lower), d));

    /// <summary>512-bit body of <see cref="ExpInRange(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> ExpInRange(Vector512<float> c)
    {
        Vector512<float> shift = Vector512.Create(RoundingShift);
        Vector512<float> r = Vector512.FusedMultiplyAdd(c, Vector512.Create(Log2E), shift) - shift;
        Vector512<float> t = Vector512.FusedMultiplyAdd(r, Vector512.Create(-Ln2), c);
        Vector512<float> q = Vector512.FusedMultiplyAdd(Vector512.Create(C5), t, Vector512.Create(C4));
        q = Vector512.FusedMultiplyAdd(q, t, Vector512.Create(C3));
        q = Vector512.FusedMultiplyAdd(q, t, Vector512.Create(C2));
        q = Vector512.FusedMultiplyAdd(q, t, Vector512.Create(C1));
        Vector512<float> p = Vector512.FusedMultiplyAdd(q, t, Vector512<float>.One);
        return ScaleByPowerOfTwo.Scale(p, r);
    }

    /// <summary>Four 512-bit <see cref="Exp(Vector512{float})"/> (clamped), in place, written stage by stage across the four
    /// vectors: the same operations per lane (same bits), with the four dependency chains interleaved for the scheduler.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Exp4(ref Vector512<float> d0, ref Vector512<float> d1, ref Vector512<float> d2, ref Vector512<float> d3)
    {
        Vector512<float> lo = Vector512.Create(Lower);
        d0 = Vector512.MaxNative(lo, d0);
        d1 = Vector512.MaxNative(lo, d1);
        d2 = Vector512.MaxNative(lo, d2);
        d3 = Vector512.MaxNative(lo, d3);
        ExpInRange4(ref d0, ref d1, ref d2, ref d3);
    }

    /// <summary>Four 512-bit <see cref="ExpInRange(Vector512{float})"/>, in place, stage by stage across the four vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ExpInRange4(ref Vector512<float> c0, ref Vector512<float> c1, ref Vector512<float> c2, ref Vector512<float> c3)
    {
        Vector512<float> shift = Vector512.Create(RoundingShift), l2e = Vector512.Create(Log2E);
        Vector512<float> r0 = Vector512.FusedMultiplyAdd(c0, l2e, shift) - shift;
        Vector512<float> r1 = Vector512.FusedMultiplyAdd(c1, l2e, shift) - shift;
        Vector512<float> r2 = Vector512.FusedMultiplyAdd(c2, l2e, shift) - shift;
        Vector512<float> r3 = Vector512.FusedMultiplyAdd(c3, l2e, shift) - shift;
        Vector512<float> ln2 = Vector512.Create(-Ln2);
        Vector512<float> t0 = Vector512.FusedMultiplyAdd(r0, ln2, c0);
        Vector512<float> t1 = Vector512.FusedMultiplyAdd(r1, ln2, c1);
        Vector512<float> t2 = Vector512.FusedMultiplyAdd(r2, ln2, c2);
        Vector512<float> t3 = Vector512.FusedMultiplyAdd(r3, ln2, c3);
        Vector512<float> k5 = Vector512.Create(C5), k = Vector512.Create(C4);
        Vector512<float> q0 = Vector512.FusedMultiplyAdd(k5, t0, k);
        Vector512<float> q1 = Vector512.FusedMultiplyAdd(k5, t1, k);
        Vector512<float> q2 = Vector512.FusedMultiplyAdd(k5, t2, k);
        Vector512<float> q3 = Vector512.FusedMultiplyAdd(k5, t3, k);
        k = Vector512.Create(C3);
        q0 = Vector512.FusedMultiplyAdd(q0, t0, k);
        q1 = Vector512.FusedMultiplyAdd(q1, t1, k);
        q2 = Vector512.FusedMultiplyAdd(q2, t2, k);
        q3 = Vector512.FusedMultiplyAdd(q3, t3, k);
        k = Vector512.Create(C2);
        q0 = Vector512.FusedMultiplyAdd(q0, t0, k);
        q1 = Vector512.FusedMultiplyAdd(q1, t1, k);
        q2 = Vector512.FusedMultiplyAdd(q2, t2, k);
        q3 = Vector512.FusedMultiplyAdd(q3, t3, k);
        k = Vector512.Create(C1);
        q0 = Vector512.FusedMultiplyAdd(q0, t0, k);
        q1 = Vector512.FusedMultiplyAdd(q1, t1, k);
        q2 = Vector512.FusedMultiplyAdd(q2, t2, k);
        q3 = Vector512.FusedMultiplyAdd(q3, t3, k);
        k = Vector512<float>.One;
        q0 = Vector512.FusedMultiplyAdd(q0, t0, k);
        q1 = Vector512.FusedMultiplyAdd(q1, t1, k);
        q2 = Vector512.FusedMultiplyAdd(q2, t2, k);
        q3 = Vector512.FusedMultiplyAdd(q3, t3, k);
        c0 = ScaleByPowerOfTwo.Scale(q0, r0);
        c1 = ScaleByPowerOfTwo.Scale(q1, r1);
        c2 = ScaleByPowerOfTwo.Scale(q2, r2);
        c3 = ScaleByPowerOfTwo.Scale(q3, r3);
    }
}
