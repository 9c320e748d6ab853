// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Kernels;

/// <summary>
/// exp(x) split into a mantissa p in [0.7, 1.42] and an integer exponent n (kept as a float), so that
/// exp(x) = p * 2^n never overflows or underflows while the pair is being carried around. This is the
/// "extended exponent" exp of Dukhan and Ablavatski (The Two-Pass Softmax Algorithm, arXiv:2001.04438).
/// </summary>
/// <remarks>
/// <para>Algorithm (identical in the scalar, 128-, 256- and 512-bit bodies, operation for operation, so every body gives the
/// same bits): x is clamped to [-<see cref="ClampLimit"/>, <see cref="ClampLimit"/>] (NaN passes through the clamp);
/// n = round-to-nearest-even(x * log2(e)); t = x - n*ln2 with a two-constant Cody-Waite reduction done with fused multiply-adds
/// (ln2 = <see cref="Ln2Hi"/> + <see cref="Ln2Lo"/>, both products exact inside the FMA); p = 1 + t*(1 + t*(c2 + ... + t*c6)),
/// a degree-6 polynomial fitted (weighted least squares iterated to minimax, relative error) on |t| &lt;= 0.348,
/// evaluated by Horner with FMAs.</para>
/// <para>Why |t| &lt;= 0.348: for |x| &lt;= 32768, |x*log2(e)| &lt; 2^16 so its rounding error is at most 2^-9 and
/// |t| &lt;= (0.5 + 2^-9)*ln2 &lt; 0.348. Outside the clamp range the pair is that of the clamp limit; callers detect it.</para>
/// <para>Accuracy: the coefficients rounded to float approximate e^t within 2^-25.7 relative on that interval; the measured
/// bound of p*2^n against Math.Exp in double is stated in <see cref="MeasuredMaxUlp"/> (tests enforce it).</para>
/// </remarks>
internal static class ExpSplit
{
    /// <summary>Inputs are clamped to +-ClampLimit before the split.</summary>
    internal const float ClampLimit = 32768f;

    /// <summary>log2(e) rounded to float.</summary>
    internal const float Log2E = 1.44269502f;               // 0x1.715476p+0

    /// <summary>ln2 rounded to float (0x1.62E430p-1).</summary>
    internal const float Ln2Hi = 0.693147182f;

    /// <summary>ln2 - Ln2Hi rounded to float (-0x1.05C610p-29).</summary>
    internal const float Ln2Lo = -1.90465421e-09f;

    internal const float C2 = 0.49999994f;                  // 0x1.fffffcp-2
    internal const float C3 = 0.166664273f;                 // 0x1.555414p-3
    internal const float C4 = 0.0416680239f;                // 0x1.55582ep-5
    internal const float C5 = 0.00837448798f;               // 0x1.126a4cp-7
    internal const float C6 = 0.00138432649f;               // 0x1.6ae494p-10

    /// <summary>Bound on the error of the mantissa p against the exact e^(x - n ln2), in ulps of p, over the whole clamp range.
    /// Measured (ExpSplitTests, 900K inputs: dense on [-105, 95], log-uniform magnitudes 2^-145..2^15, uniform on
    /// [-32768, 32768], the edges): 1.013 ulp, stated as 1.1. The full exp(x) = p*2^n rounded once more to a normal float:
    /// measured 0.996 ulp against Math.Exp on [-87.3, 0] (tests allow 1.1 + 0.5). Not a proof: an empirical bound.</summary>
    internal const double MeasuredMaxUlp = 1.1;

    /// <summary>Scalar reference: every vector body must match it bit for bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Split(float x, out float n)
    {
        // Clamp with "native" max/min semantics written out: max(lo, x) returns x when x is NaN, so NaN survives.
        float c = -ClampLimit > x ? -ClampLimit : x;
        c = ClampLimit < c ? ClampLimit : c;
        float r = MathF.Round(c * Log2E, MidpointRounding.ToEven);
        float t = MathF.FusedMultiplyAdd(r, -Ln2Hi, c);
        t = MathF.FusedMultiplyAdd(r, -Ln2Lo, t);
        float p = MathF.FusedMultiplyAdd(C6, t, C5);
        p = MathF.FusedMultiplyAdd(p, t, C4);
        p = MathF.FusedMultiplyAdd(p, t, C3);
        p = MathF.FusedMultiplyAdd(p, t, C2);
        p = MathF.FusedMultiplyAdd(p, t, 1f);
        p = MathF.FusedMultiplyAdd(p, t, 1f);
        n = r;
        return p;
    }

    /// <summary>128-bit body of <see cref="Split(float, out float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Split(Vector128<float> x, out Vector128<float> n)
    {
        // MaxNative(lo, x) is maxps(lo, x): it returns its second operand when either is NaN, so NaN survives (as in the scalar twin).
        Vector128<float> c = Vector128.MinNative(Vector128.Create(ClampLimit), Vector128.MaxNative(Vector128.Create(-ClampLimit), x));
        Vector128<float> r = Vector128.Round(c * Vector128.Create(Log2E));
        Vector128<float> t = Vector128.FusedMultiplyAdd(r, Vector128.Create(-Ln2Hi), c);
        t = Vector128.FusedMultiplyAdd(r, Vector128.Create(-Ln2Lo), t);
        Vector128<float> p = Vector128.FusedMultiplyAdd(Vector128.Create(C6), t, Vector128.Create(C5));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(C4));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(C3));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(C2));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128<float>.One);
        p = Vector128.FusedMultiplyAdd(p, t, Vector128<float>.One);
        n = r;
        return p;
    }

    /// <summary>256-bit body of <see cref="Split(float, out float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Split(Vector256<float> x, out Vector256<float> n)
    {
        Vector256<float> c = Vector256.MinNative(Vector256.Create(ClampLimit), Vector256.MaxNative(Vector256.Create(-ClampLimit), x));
        Vector256<float> r = Vector256.Round(c * Vector256.Create(Log2E));
        Vector256<float> t = Vector256.FusedMultiplyAdd(r, Vector256.Create(-Ln2Hi), c);
        t = Vector256.FusedMultiplyAdd(r, Vector256.Create(-Ln2Lo), t);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(C6), t, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, t, Vector256<float>.One);
        n = r;
        return p;
    }

    /// <summary>512-bit body of <see cref="Split(float, out float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Split(Vector512<float> x, out Vector512<float> n)
    {
        Vector512<float> c = Vector512.MinNative(Vector512.Create(ClampLimit), Vector512.MaxNative(Vector512.Create(-ClampLimit), x));
        Vector512<float> r = Vector512.Round(c * Vector512.Create(Log2E));
        Vector512<float> t = Vector512.FusedMultiplyAdd(r, Vector512.Create(-Ln2Hi), c);
        t = Vector512.FusedMultiplyAdd(r, Vector512.Create(-Ln2Lo), t);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(C6), t, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, t, Vector512<float>.One);
        n = r;
        return p;
    }

    /// <summary>Four 512-bit <see cref="Split(Vector512{float}, out Vector512{float})"/> written stage by stage across the four
    /// vectors (same operations per lane, so the same bits). The JIT emits instructions in source order; interleaving the four
    /// independent dependency chains keeps fewer waiting instructions in the scheduler than four chains back to back, which
    /// measured faster in the two-pass kernel's passes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Split4(
        ref Vector512<float> x0, ref Vector512<float> x1, ref Vector512<float> x2, ref Vector512<float> x3,
        out Vector512<float> n0, out Vector512<float> n1, out Vector512<float> n2, out Vector512<float> n3)
    {
        Vector512<float> lo = Vector512.Create(-ClampLimit), hi = Vector512.Create(ClampLimit), l2e = Vector512.Create(Log2E);
        Vector512<float> c0 = Vector512.MinNative(hi, Vector512.MaxNative(lo, x0));
        Vector512<float> c1 = Vector512.MinNative(hi, Vector512.MaxNative(lo, x1));
        Vector512<float> c2 = Vector512.MinNative(hi, Vector512.MaxNative(lo, x2));
        Vector512<float> c3 = Vector512.MinNative(hi, Vector512.MaxNative(lo, x3));
        n0 = Vector512.Round(c0 * l2e);
        n1 = Vector512.Round(c1 * l2e);
        n2 = Vector512.Round(c2 * l2e);
        n3 = Vector512.Round(c3 * l2e);
        Vector512<float> h = Vector512.Create(-Ln2Hi), l = Vector512.Create(-Ln2Lo);
        Vector512<float> t0 = Vector512.FusedMultiplyAdd(n0, h, c0);
        Vector512<float> t1 = Vector512.FusedMultiplyAdd(n1, h, c1);
        Vector512<float> t2 = Vector512.FusedMultiplyAdd(n2, h, c2);
        Vector512<float> t3 = Vector512.FusedMultiplyAdd(n3, h, c3);
        t0 = Vector512.FusedMultiplyAdd(n0, l, t0);
        t1 = Vector512.FusedMultiplyAdd(n1, l, t1);
        t2 = Vector512.FusedMultiplyAdd(n2, l, t2);
        t3 = Vector512.FusedMultiplyAdd(n3, l, t3);
        Vector512<float> k6 = Vector512.Create(C6), k5 = Vector512.Create(C5);
        Vector512<float> p0 = Vector512.FusedMultiplyAdd(k6, t0, k5);
        Vector512<float> p1 = Vector512.FusedMultiplyAdd(k6, t1, k5);
        Vector512<float> p2 = Vector512.FusedMultiplyAdd(k6, t2, k5);
        Vector512<float> p3 = Vector512.FusedMultiplyAdd(k6, t3, k5);
        Vector512<float> k = Vector512.Create(C4);
        p0 = Vector512.FusedMultiplyAdd(p0, t0, k);
        p1 = Vector512.FusedMultiplyAdd(p1, t1, k);
        p2 = Vector512.FusedMultiplyAdd(p2, t2, k);
        p3 = Vector512.FusedMultiplyAdd(p3, t3, k);
        k = Vector512.Create(C3);
        p0 = Vector512.FusedMultiplyAdd(p0, t0, k);
        p1 = Vector512.FusedMultiplyAdd(p1, t1, k);
        p2 = Vector512.FusedMultiplyAdd(p2, t2, k);
        p3 = Vector512.FusedMultiplyAdd(p3, t3, k);
        k = Vector512.Create(C2);
        p0 = Vector512.FusedMultiplyAdd(p0, t0, k);
        p1 = Vector512.FusedMultiplyAdd(p1, t1, k);
        p2 = Vector512.FusedMultiplyAdd(p2, t2, k);
        p3 = Vector512.FusedMultiplyAdd(p3, t3, k);
        k = Vector512<float>.One;
        p0 = Vector512.FusedMultiplyAdd(p0, t0, k);
        p1 = Vector512.FusedMultiplyAdd(p1, t1, k);
        p2 = Vector512.FusedMultiplyAdd(p2, t2, k);
        p3 = Vector512.FusedMultiplyAdd(p3, t3, k);
        x0 = Vector512.FusedMultiplyAdd(p0, t0, k);
        x1 = Vector512.FusedMultiplyAdd(p1, t1, k);
        x2 = Vector512.FusedMultiplyAdd(p2, t2, k);
        x3 = Vector512.FusedMultiplyAdd(p3, t3, k);
    }

    /// <summary><see cref="Split(float, out float)"/> for x &lt;= 0 or NaN (the three-pass kernels' x - max): the upper clamp is
    /// the identity there and is skipped; every other operation is the same, so the bits are the same.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SplitNonPositive(float x, out float n)
    {
        float c = -ClampLimit > x ? -ClampLimit : x;
        float r = MathF.Round(c * Log2E, MidpointRounding.ToEven);
        float t = MathF.FusedMultiplyAdd(r, -Ln2Hi, c);
        t = MathF.FusedMultiplyAdd(r, -Ln2Lo, t);
        float p = MathF.FusedMultiplyAdd(C6, t, C5);
        p = MathF.FusedMultiplyAdd(p, t, C4);
        p = MathF.FusedMultiplyAdd(p, t, C3);
        p = MathF.FusedMultiplyAdd(p, t, C2);
        p = MathF.FusedMultiplyAdd(p, t, 1f);
        p = MathF.FusedMultiplyAdd(p, t, 1f);
        n = r;
        return p;
    }

    /// <summary>128-bit body of <see cref="SplitNonPositive(float, out float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> SplitNonPositive(Vector128<float> x, out Vector128<float> n)
    {
        Vector128<float> c = Vector128.MaxNative(Vector128.Create(-ClampLimit), x);
        Vector128<float> r = Vector128.Round(c * Vector128.Create(Log2E));
        Vector128<float> t = Vector128.FusedMultiplyAdd(r, Vector128.Create(-Ln2Hi), c);
        t = Vector128.FusedMultiplyAdd(r, Vector128.Create(-Ln2Lo), t);
        Vector128<float> p = Vector128.FusedMultiplyAdd(Vector128.Create(C6), t, Vector128.Create(C5));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(C4));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(C3));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(C2));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128<float>.One);
        p = Vector128.FusedMultiplyAdd(p, t, Vector128<float>.One);
        n = r;
        return p;
    }

    /// <summary>256-bit body of <see cref="SplitNonPositive(float, out float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> SplitNonPositive(Vector256<float> x, out Vector256<float> n)
    {
        Vector256<float> c = Vector256.MaxNative(Vector256.Create(-ClampLimit), x);
        Vector256<float> r = Vector256.Round(c * Vector256.Create(Log2E));
        Vector256<float> t = Vector256.FusedMultiplyAdd(r, Vector256.Create(-Ln2Hi), c);
        t = Vector256.FusedMultiplyAdd(r, Vector256.Create(-Ln2Lo), t);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(C6), t, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, t, Vector256<float>.One);
        n = r;
        return p;
    }

    /// <summary>512-bit body of <see cref="SplitNonPositive(float, out float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> SplitNonPositive(Vector512<float> x, out Vector512<float> n)
    {
        Vector512<float> c = Vector512.MaxNative(Vector512.Create(-ClampLimit), x);
        Vector512<float> r = Vector512.Round(c * Vector512.Create(Log2E));
        Vector512<float> t = Vector512.FusedMultiplyAdd(r, Vector512.Create(-Ln2Hi), c);
        t = Vector512.FusedMultiplyAdd(r, Vector512.Create(-Ln2Lo), t);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(C6), t, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, t, Vector512<float>.One);
        n = r;
        return p;
    }
}
