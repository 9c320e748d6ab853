// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Numerics.Emulation;
using Numerics.Formats;

namespace Numerics.Emulation.Tests;

/// <summary>
/// An independent fixed-point oracle in exact BigInteger arithmetic: x = m · 2^e exactly, so x · 2^f = m · 2^(e+f) splits into an
/// integer part and a remainder compared with one half exactly. Shares no code with <see cref="FixedPointChopper"/>.
/// </summary>
internal static class ExactFixedPoint
{
    /// <summary>Returns the code for a finite <paramref name="x"/> in a deterministic mode (never the stochastic ones).</summary>
    public static BigInteger RoundToCode(double x, FixedPointFormat format, RoundingMode mode, FixedPointOverflow overflow)
    {
        (BigInteger m, int e) = Decompose(x);   // x = m · 2^e, m ≥ 0 for the magnitude
        bool negative = double.IsNegative(x);
        int shift = e + format.FractionBits;
        BigInteger floor, remainder, denominator;
        if (shift >= 0)
        {
            floor = m << shift;
            remainder = BigInteger.Zero;
            denominator = BigInteger.One;
        }
        else
        {
            denominator = BigInteger.One << -shift;
            floor = BigInteger.DivRem(m, denominator, out remainder);
        }

        int half = (remainder * 2).CompareTo(denominator); // sign of (frac - 1/2)
        bool inexact = !remainder.IsZero;
        bool odd = !floor.IsEven;
        bool up = mode switch
        {
            RoundingMode.NearestEven => half > 0 || (half == 0 && odd),
            RoundingMode.NearestAway => half >= 0,
            RoundingMode.NearestTowardZero => half > 0,
            RoundingMode.TowardZero => false,
            RoundingMode.TowardPositive => inexact && !negative,
            RoundingMode.TowardNegative => inexact && negative,
            RoundingMode.ToOdd => inexact && !odd,
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        BigInteger n = up ? floor + 1 : floor;
        if (negative)
        {
            n = -n;
        }

        BigInteger min = format.MinCode, max = format.MaxCode;
        if (n >= min && n <= max)
        {
            return n;
        }

        if (overflow == FixedPointOverflow.Saturate)
        {
            return n > max ? max : min;
        }

        BigInteger period = BigInteger.One << format.TotalBits;
        BigInteger r = ((n % period) + period) % period;   // in [0, 2^w)
        return r > max ? r - period : r;
    }

    public static double ToValue(BigInteger code, FixedPointFormat format) => Math.ScaleB((double)(long)code, -format.FractionBits);

    private static (BigInteger Mantissa, int Exponent) Decompose(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x) & long.MaxValue;
        int biased = (int)(bits >> 52);
        long fraction = bits & ((1L << 52) - 1);
        return biased == 0 ? (fraction, -1074) : (fraction | (1L << 52), biased - 1075);
    }
}
