// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Numerics;

namespace Numerics.Testing;

/// <summary>
/// The two possible results of a stochastic rounding and the exact probability of each, as computed by
/// <see cref="ExactRounding.Neighbours"/>.
/// </summary>
/// <remarks>
/// The candidates are named by direction, not by numeric order, so the description is the same for both signs. When the input is
/// exactly representable (or NaN, infinite, or outside an unsigned format) both candidates are the deterministic result and the
/// probability is 0. The two candidates can also be equal with a non-zero probability when overflow saturates the away-from-zero one.
/// </remarks>
public readonly record struct StochasticOutcome
{
    /// <summary>Initializes a new instance of the <see cref="StochasticOutcome"/> struct.</summary>
    /// <param name="towardZero">The result when rounding toward zero, as a double.</param>
    /// <param name="towardZeroCode">The code of <paramref name="towardZero"/>.</param>
    /// <param name="awayFromZero">The result when rounding away from zero (after overflow handling), as a double.</param>
    /// <param name="awayFromZeroCode">The code of <paramref name="awayFromZero"/>.</param>
    /// <param name="probabilityNumerator">The numerator of the exact probability of <paramref name="awayFromZero"/> (non-negative).</param>
    /// <param name="probabilityDenominator">The denominator of that probability (positive).</param>
    /// <exception cref="ArgumentOutOfRangeException">The probability is not a fraction in [0, 1] with a positive denominator.</exception>
    public StochasticOutcome(
        double towardZero, ulong towardZeroCode, double awayFromZero, ulong awayFromZeroCode, BigInteger probabilityNumerator, BigInteger probabilityDenominator)
    {
        if (probabilityDenominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(probabilityDenominator), probabilityDenominator, "The denominator must be positive.");
        }

        if (probabilityNumerator.Sign < 0 || probabilityNumerator > probabilityDenominator)
        {
            throw new ArgumentOutOfRangeException(nameof(probabilityNumerator), probabilityNumerator, "The probability must lie in [0, 1].");
        }

        TowardZero = towardZero;
        TowardZeroCode = towardZeroCode;
        AwayFromZero = awayFromZero;
        AwayFromZeroCode = awayFromZeroCode;
        ProbabilityNumerator = probabilityNumerator;
        ProbabilityDenominator = probabilityDenominator;
    }

    /// <summary>Gets the result when the value rounds toward zero (the neighbour of smaller magnitude).</summary>
    public double TowardZero { get; }

    /// <summary>Gets the code of <see cref="TowardZero"/>.</summary>
    public ulong TowardZeroCode { get; }

    /// <summary>Gets the result when the value rounds away from zero; ±∞, NaN or ±max when that neighbour overflows.</summary>
    public double AwayFromZero { get; }

    /// <summary>Gets the code of <see cref="AwayFromZero"/>.</summary>
    public ulong AwayFromZeroCode { get; }

    /// <summary>Gets the numerator of the exact probability of <see cref="AwayFromZero"/>.</summary>
    public BigInteger ProbabilityNumerator { get; }

    /// <summary>Gets the denominator of the exact probability of <see cref="AwayFromZero"/>.</summary>
    public BigInteger ProbabilityDenominator { get; }

    /// <summary>Gets the probability of <see cref="AwayFromZero"/>, rounded to the nearest double.</summary>
    public double ProbabilityAwayFromZero => DivideToDouble(ProbabilityNumerator, ProbabilityDenominator);

    /// <summary>Gets the probability of <see cref="TowardZero"/>, rounded to the nearest double.</summary>
    public double ProbabilityTowardZero => DivideToDouble(ProbabilityDenominator - ProbabilityNumerator, ProbabilityDenominator);

    /// <summary>Gets a value indicating whether the input was exactly representable (or special): the probability is 0.</summary>
    public bool IsExact => ProbabilityNumerator.IsZero;

    /// <summary>Gets a value indicating whether the result is certain: the probability is 0 or 1, or both candidates have the same bits.</summary>
    public bool IsCertain =>
        ProbabilityNumerator.IsZero || ProbabilityNumerator == ProbabilityDenominator
        || BitConverter.DoubleToUInt64Bits(TowardZero) == BitConverter.DoubleToUInt64Bits(AwayFromZero)
        || (double.IsNaN(TowardZero) && double.IsNaN(AwayFromZero));

    /// <summary>Returns both candidates with their bits and the exact probability.</summary>
    /// <returns>For example <c>toward zero 1 (0x38), away 1.125 (0x39), P(away) = 1/4</c>.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"toward zero {TowardZero:R} (0x{TowardZeroCode:X}), away {AwayFromZero:R} (0x{AwayFromZeroCode:X}), P(away) = {ProbabilityNumerator}/{ProbabilityDenominator}");

    private static double DivideToDouble(BigInteger numerator, BigInteger denominator)
    {
        // Both are at most a few thousand bits: scale so that the quotient has 64 significant bits, then one division rounds.
        if (numerator.IsZero)
        {
            return 0.0;
        }

        long shift = 64 - (long)(numerator.GetBitLength() - denominator.GetBitLength());
        BigInteger q = shift >= 0 ? (numerator << (int)shift) / denominator : numerator / (denominator << (int)-shift);
        return Math.ScaleB((double)q, (int)-shift);
    }
}
