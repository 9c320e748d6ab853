// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>Rounding of a real value (a <see cref="double"/>) to an integer in every <see cref="RoundingMode"/>.</summary>
internal static class IntegerRounding
{
    private const double TwoPow64 = 18446744073709551616.0;

    /// <summary>
    /// Rounds <paramref name="x"/> to an integer. The stochastic modes use <paramref name="randomBits"/> like
    /// <see cref="FloatFormat.Round(double, RoundingMode, OverflowMode, ulong)"/>: <see cref="RoundingMode.Stochastic"/> rounds
    /// the magnitude away from zero iff <c>randomBits &lt; floor(f·2^64)</c> (f = fractional part of |x|);
    /// <see cref="RoundingMode.StochasticUniform"/> iff the top bit is set. Integers (and non-finite values) are returned unchanged.
    /// </summary>
    public static double Round(double x, RoundingMode mode, ulong randomBits)
    {
        double a = Math.Abs(x);
        double f = Math.Floor(a);
        double frac = a - f; // exact: a and f share the binade or f = 0
        if (frac == 0 || !double.IsFinite(x))
        {
            return x;
        }

        bool negative = x < 0;
        bool away = mode switch
        {
            RoundingMode.NearestEven => frac > 0.5 || (frac == 0.5 && Math.IEEERemainder(f, 2) != 0),
            RoundingMode.NearestAway => frac >= 0.5,
            RoundingMode.NearestTowardZero => frac > 0.5,
            RoundingMode.TowardZero => false,
            RoundingMode.TowardPositive => !negative,
            RoundingMode.TowardNegative => negative,
            RoundingMode.ToOdd => Math.IEEERemainder(f, 2) == 0,
            RoundingMode.Stochastic => randomBits < (ulong)(frac * TwoPow64),
            RoundingMode.StochasticUniform => (randomBits >> 63) != 0,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown rounding mode."),
        };
        double magnitude = away ? f + 1 : f;
        return negative ? -magnitude : magnitude;
    }
}
