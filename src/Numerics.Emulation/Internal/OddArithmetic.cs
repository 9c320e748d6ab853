// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using Numerics.Formats;

namespace Numerics.Emulation.Internal;

/// <summary>
/// Exact operations rounded to odd in binary64 (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums: proved
/// algorithms using rounding to odd", IEEE TC 2008).
/// </summary>
/// <remarks>
/// <para>
/// Each method returns RO(x): the exact result x when it is a double, otherwise the one of x's two binary64 neighbours whose last
/// significand bit is 1, computed with an unbounded exponent above (x ≥ 2^1024 gives <see cref="double.MaxValue"/>, whose
/// significand is odd) and on binary64's subnormal grid below. Rounding RO(x) once more to any format whose quanta are at least
/// 4 times binary64's (precision ≤ 51; every format reachable from <see cref="FloatFormat.Create"/> with p ≤ 51) gives the same
/// result as rounding x itself, in every deterministic mode: RO keeps x's position relative to the coarser grid (below, at, or
/// above each midpoint and grid point), which is all those modes look at. The stochastic modes see x to within 2^(p−53) of a quantum.
/// </para>
/// <para>Error-free transforms: TwoSum (Knuth) for sums, the FMA residual for products, quotients and square roots, after scaling
/// the operands to [1, 2) so no residual underflows.</para>
/// </remarks>
internal static class OddArithmetic
{
    /// <summary>RO(a + b). An exact zero sum of nonzero or opposite zeros is +0, or −0 when the target rounds toward −∞ (IEEE 754 §6.3).</summary>
    public static double Add(double a, double b, RoundingMode rounding)
    {
        double s = a + b;
        if (!double.IsFinite(s))
        {
            // NaN, or infinity from an infinite operand, is exact; a finite sum beyond binary64's range rounds to odd as MaxValue.
            return double.IsFinite(a) && double.IsFinite(b) ? double.CopySign(double.MaxValue, s) : s;
        }

        if (s == 0)
        {
            // Addition never underflows inexactly, so s = 0 means the exact sum is 0. x + x keeps the sign of zero.
            bool bothNegativeZero = a == 0 && b == 0 && double.IsNegative(a) && double.IsNegative(b);
            bool bothPositiveZero = a == 0 && b == 0 && !double.IsNegative(a) && !double.IsNegative(b);
            return bothNegativeZero ? -0.0 : bothPositiveZero ? 0.0 : rounding == RoundingMode.TowardNegative ? -0.0 : 0.0;
        }

        return ForceOdd(s, TwoSumError(a, b, s));
    }

    /// <summary>RO(a · b).</summary>
    public static double Multiply(double a, double b)
    {
        if (a == 0 || b == 0 || !double.IsFinite(a) || !double.IsFinite(b))
        {
            return a * b;   // exact: zeros (with the sign rule), infinities and NaN
        }

        bool negative = double.IsNegative(a) ^ double.IsNegative(b);
        (double ma, int ea) = Split(a);
        (double mb, int eb) = Split(b);
        double m = ma * mb;                                        // in [1, 4)
        m = ForceOdd(m, Math.FusedMultiplyAdd(ma, mb, -m));        // the residual of a product of doubles in [1, 2) is exact
        double r = ScaleOdd(m, ea + eb);
        return negative ? -r : r;
    }

    /// <summary>RO(a / b).</summary>
    public static double Divide(double a, double b)
    {
        if (a == 0 || b == 0 || !double.IsFinite(a) || !double.IsFinite(b))
        {
            return a / b;
        }

        bool negative = double.IsNegative(a) ^ double.IsNegative(b);
        (double ma, int ea) = Split(a);
        (double mb, int eb) = Split(b);
        double q = ma / mb;                                        // in (1/2, 2)
        q = ForceOdd(q, Math.FusedMultiplyAdd(-q, mb, ma));        // ma − q·mb is exact for q = RN(ma / mb); its sign is that of the error
        double r = ScaleOdd(q, ea - eb);
        return negative ? -r : r;
    }

    /// <summary>RO(√a).</summary>
    public static double Sqrt(double a)
    {
        if (a <= 0 || !double.IsFinite(a))
        {
            return Math.Sqrt(a);   // ±0, NaN for negative values and NaN, +∞
        }

        int e = Math.ILogB(a);
        e -= e & 1;                                                // even, so the root's exponent is e / 2
        double m = Math.ScaleB(a, -e);                             // in [1, 4), exact
        double s = Math.Sqrt(m);
        s = ForceOdd(s, Math.FusedMultiplyAdd(-s, s, m));          // m − s² is exact for s = RN(√m)
        return Math.ScaleB(s, e / 2);                              // √a ≥ 2^−537: normal, exact scaling
    }

    /// <summary>RO(a · b + c), with the zero-sum sign rule of <see cref="Add"/>.</summary>
    public static double FusedMultiplyAdd(double a, double b, double c, RoundingMode rounding)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(c))
        {
            return Math.FusedMultiplyAdd(a, b, c);
        }

        if (a == 0 || b == 0)
        {
            return Add(a * b, c, rounding);                        // a·b is an exact signed zero
        }

        if (c == 0)
        {
            return Multiply(a, b);                                 // a·b ≠ 0, so adding ±0 changes nothing
        }

        bool negative = double.IsNegative(a) ^ double.IsNegative(b);
        (double ma, int ea) = Split(a);
        (double mb, int eb) = Split(b);
        int e = ea + eb;
        int gap = Math.ILogB(c) - e;
        if (gap < -900)
        {
            // |c| < 2^-898 |a·b| lies below the 2^-104 grid of ma·mb = ph + pl: it only decides the direction when pl = 0.
            double ph0 = ma * mb;
            double pl0 = Math.FusedMultiplyAdd(ma, mb, -ph0);
            double r0 = ScaleOdd(ForceOdd(ph0, pl0 != 0 ? pl0 : negative ? -c : c), e);
            return negative ? -r0 : r0;
        }

        if (gap > 900)
        {
            // |a·b| < 2^-898 |c|: c is exact and the product only decides the direction.
            return ForceOdd(c, negative ? -1 : 1);
        }

        double cs = Math.ScaleB(c, -e);                            // exact: 2^-900 < |cs| < 2^902
        double ph = ma * mb;
        double pl = Math.FusedMultiplyAdd(ma, mb, -ph);            // ph + pl = ma·mb exactly
        if (negative)
        {
            ph = -ph;
            pl = -pl;
        }

        double th = cs + ph;
        double tl = TwoSumError(cs, ph, th);                       // th + tl = cs + ph exactly
        double w = tl + pl;
        double v = ForceOdd(w, TwoSumError(tl, pl, w));            // v = RO(tl + pl)
        double z = th + v;
        if (z == 0)
        {
            // th ≥ 2^-900 in magnitude or th = 0; |v| ≤ 1.5 ulp(th) < |th|, so z = 0 needs th = 0 = tl and v = pl = 0: an exact zero.
            return rounding == RoundingMode.TowardNegative ? -0.0 : 0.0;
        }

        // RO(th + v) = RO(th + tl + pl): |tl + pl| ≤ 1.5 ulp(th) whenever tl ≠ 0, so v's grid is far finer than the result's.
        z = ForceOdd(z, TwoSumError(th, v, z));
        return ScaleSigned(z, e);
    }

    /// <summary>The exact error of s = RN(a + b) (Knuth's TwoSum; no branch on magnitudes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TwoSumError(double a, double b, double s)
    {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    /// <summary>Given s = RN(x) and the sign of x − s, returns RO(x): s if exact or odd, else its neighbour toward x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ForceOdd(double s, double error)
    {
        if (error == 0 || (BitConverter.DoubleToInt64Bits(s) & 1) != 0)
        {
            return s;
        }

        return error > 0 ? Math.BitIncrement(s) : Math.BitDecrement(s);
    }

    /// <summary>Splits a finite nonzero value into |x| = m · 2^e with m in [1, 2) (exact, also for subnormals).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double Mantissa, int Exponent) Split(double x)
    {
        int e = Math.ILogB(x);
        return (Math.ScaleB(Math.Abs(x), -e), e);
    }

    private static double ScaleSigned(double z, int e)
    {
        double r = ScaleOdd(Math.Abs(z), e);
        return double.IsNegative(z) ? -r : r;
    }

    /// <summary>RO(m · 2^e) for a positive m that is itself a rounded-to-odd value: RO of RO on a finer grid is RO on the coarser one.</summary>
    private static double ScaleOdd(double m, int e)
    {
        double r = Math.ScaleB(m, e);   // correctly rounded (nearest even) in the subnormal range
        if (double.IsInfinity(r))
        {
            return double.MaxValue;
        }

        double back = Math.ScaleB(r, -e);
        if (back == m || (BitConverter.DoubleToInt64Bits(r) & 1) != 0)
        {
            return r;
        }

        return back < m ? Math.BitIncrement(r) : Math.BitDecrement(r);
    }
}
