// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Numerics.Formats;

namespace Numerics.Testing;

public static partial class ExactRounding
{
    /// <summary>
    /// The two results a stochastic rounding of <paramref name="value"/> can give and the exact probability of each.
    /// </summary>
    /// <param name="value">The value to round; every double is accepted.</param>
    /// <param name="format">The target format.</param>
    /// <param name="rounding">
    /// <see cref="RoundingMode.Stochastic"/> (away from zero with probability (|x| − |toward|) / (|away| − |toward|), so the expected
    /// value is x before overflow) or <see cref="RoundingMode.StochasticUniform"/> (each with probability 1/2 when inexact).
    /// </param>
    /// <param name="overflow">
    /// What an overflowing candidate becomes: the away-from-zero candidate overflows like round-to-nearest, the toward-zero candidate
    /// (possible in the "fn" formats, whose grid continues past max within the top binade) like round-toward-zero.
    /// </param>
    /// <returns>
    /// The candidates, their codes and the exact probability. For representable, NaN and infinite inputs both candidates are the
    /// result and the probability is 0; for an input on the grid but beyond the largest finite value (65536 in E5M2) the result is
    /// the overflow with probability 1, and the toward-zero candidate is what a toward-zero mode gives (the maximum). The candidates
    /// are the format's own neighbouring values: for <see cref="FloatFormat.E8M0FNU"/> and 2^−127 &lt; x &lt; 2^−126 they are
    /// 2^−127 and 2^−126 (not the ml_dtypes grid of the nearest modes, see the class remarks), so 1.25·2^−127 goes up with
    /// probability 1/4; inputs at or below 2^−127 give 2^−127 with probability 0.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="rounding"/> is a deterministic mode (use <see cref="Round"/>).</exception>
    public static StochasticOutcome Neighbours(double value, FloatFormat format, RoundingMode rounding, OverflowMode overflow)
    {
        Validate(format, rounding, overflow, stochastic: true);
        OracleResult towardZero;
        OracleResult awayFromZero;
        BigInteger numerator = BigInteger.Zero;
        BigInteger denominator = BigInteger.One;
        if (TrySpecial(value, format, overflow, out OracleResult special))
        {
            towardZero = awayFromZero = special;
        }
        else if (!format.HasZero && Dyadic.FromDouble(Math.Abs(value)) <= SmallestOfUnsignedWithoutZero(format))
        {
            // Nothing lies below the smallest value of a format without zero: both candidates are that value.
            towardZero = awayFromZero = OracleResult.Finite(SmallestOfUnsignedWithoutZero(format), negative: false);
        }
        else
        {
            bool negative = value < 0;
            Dyadic magnitude = Dyadic.FromDouble(Math.Abs(value));

            // The stochastic modes round between the format's own values: for E8M0 below 2^-126 the candidates are 2^-127 and
            // 2^-126, not the ml_dtypes grid {0 (code 00), 2^-126} of the nearest modes.
            Bracket b = BracketOf(magnitude, format, nearestGrid: false);
            if (b.Exact && magnitude > MaxFinite(format))
            {
                // On the unbounded grid but beyond the largest finite value: the result is the overflow (probability 1); the
                // toward-zero candidate is what a toward-zero mode gives (the signed maximum).
                towardZero = Finish(magnitude, negative, towardZero: true, format, overflow);
                awayFromZero = Finish(magnitude, negative, towardZero: false, format, overflow);
                numerator = BigInteger.One;
            }
            else if (b.Exact)
            {
                towardZero = awayFromZero = Finish(magnitude, negative, towardZero: false, format, overflow);
            }
            else
            {
                towardZero = Finish(b.Lower, negative, towardZero: true, format, overflow);
                awayFromZero = Finish(b.Upper, negative, towardZero: false, format, overflow);
                if (rounding == RoundingMode.StochasticUniform)
                {
                    numerator = BigInteger.One;
                    denominator = 2;
                }
                else
                {
                    // (|x| − lower) / quantum, with |x| = s · 2^E and quantum = 2^k: ((s − q · 2^(k − E)) / 2^(k − E)); E < k here.
                    int shift = b.QuantumExponent - magnitude.Exponent;
                    numerator = magnitude.Significand - (b.LowerQuotient << shift);
                    denominator = BigInteger.One << shift;
                    BigInteger gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
                    numerator /= gcd;
                    denominator /= gcd;
                }
            }
        }

        return new StochasticOutcome(
            towardZero.ToDouble(), EncodeResult(towardZero, format), awayFromZero.ToDouble(), EncodeResult(awayFromZero, format), numerator, denominator);
    }
}
