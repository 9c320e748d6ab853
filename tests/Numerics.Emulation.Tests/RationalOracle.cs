// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Numerics.Formats;

namespace Numerics.Emulation.Tests;

/// <summary>
/// Rounds an exact real V (a rational, or the square root of one) to a (p, emin, emax) format by exact BigInteger comparisons
/// only: V is known through sign(V − n·2^k). Implements goldens/README.md's definitions (non-saturating overflow, zero keeps the
/// sign). Shares no code with the SDK.
/// </summary>
internal static class RationalOracle
{
    /// <summary>A positive exact value, known through comparisons with n · 2^k (n ≥ 0).</summary>
    public interface IExact
    {
        int CompareTo(BigInteger n, int k);

        double Approximate { get; }
    }

    public sealed record Rational(BigInteger Numerator, BigInteger Denominator) : IExact
    {
        public double Approximate => Math.Exp(BigInteger.Log(Numerator) - BigInteger.Log(Denominator));

        public int CompareTo(BigInteger n, int k) =>
            k >= 0 ? Numerator.CompareTo(n * Denominator << k) : (Numerator << -k).CompareTo(n * Denominator);
    }

    public sealed record SquareRoot(Rational Square) : IExact
    {
        public double Approximate => Math.Sqrt(Square.Approximate);

        // sign(√S − t) = sign(S − t²) for t ≥ 0, with t² = n² · 2^(2k).
        public int CompareTo(BigInteger n, int k) => Square.CompareTo(n * n, 2 * k);
    }

    public static Rational FromDouble(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x) & long.MaxValue;
        int biased = (int)(bits >> 52);
        BigInteger m = biased == 0 ? bits & ((1L << 52) - 1) : (bits & ((1L << 52) - 1)) | (1L << 52);
        int e = biased == 0 ? -1074 : biased - 1075;
        return e >= 0 ? new Rational(m << e, BigInteger.One) : new Rational(m, BigInteger.One << -e);
    }

    /// <summary>Rounds ±V (V &gt; 0) to the format.</summary>
    public static double Round(IExact v, bool negative, FloatFormat format, RoundingMode mode)
    {
        int p = format.Precision, emin = format.MinExponent;

        // e = floor(log2 V), from an estimate corrected by exact comparisons.
        int e = Math.Clamp((int)Math.Floor(Math.Log2(v.Approximate)), -1200, 1200);
        while (v.CompareTo(BigInteger.One, e) < 0)
        {
            e--;
        }

        while (v.CompareTo(BigInteger.One, e + 1) >= 0)
        {
            e++;
        }

        int k = e >= emin ? e - p + 1 : format.HasSubnormals ? emin - p + 1 : emin;

        // n = floor(V / 2^k) < 2^(p+1), by binary search.
        BigInteger lo = 0, hi = BigInteger.One << (p + 1);
        while (hi - lo > 1)
        {
            BigInteger mid = (lo + hi) / 2;
            if (v.CompareTo(mid, k) >= 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        BigInteger n = lo;
        bool inexact = v.CompareTo(n, k) != 0;
        int half = v.CompareTo((2 * n) + 1, k - 1);   // sign(V − (n + 1/2)·2^k)
        bool odd = !n.IsEven;
        bool up = inexact && mode switch
        {
            RoundingMode.NearestEven => half > 0 || (half == 0 && odd),
            RoundingMode.NearestAway => half >= 0,
            RoundingMode.NearestTowardZero => half > 0,
            RoundingMode.TowardZero => false,
            RoundingMode.TowardPositive => !negative,
            RoundingMode.TowardNegative => negative,
            RoundingMode.ToOdd => !odd,
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        double magnitude = Math.ScaleB((double)(n + (up ? 1 : 0)), k);
        if (magnitude > format.MaxFinite)
        {
            bool toMax = mode is RoundingMode.TowardZero or RoundingMode.ToOdd
                || (mode == RoundingMode.TowardPositive && negative) || (mode == RoundingMode.TowardNegative && !negative);
            magnitude = toMax ? format.MaxFinite : format.HasInfinity ? double.PositiveInfinity : double.NaN;
        }

        return negative ? -magnitude : magnitude;
    }
}
