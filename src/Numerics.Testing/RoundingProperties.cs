// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Numerics.Formats;

namespace Numerics.Testing;

/// <summary>
/// Ready-made properties of a rounding or conversion function under test, for FsCheck (<c>Prop.ForAll</c>, FsCheck.Xunit
/// <c>[Property]</c>) and for any test framework through <c>property.QuickCheckThrowOnFailure()</c> or <see cref="Verify"/>.
/// </summary>
/// <remarks>
/// Each method checks one input (or pair) and returns an FsCheck <see cref="Property"/> whose label, on failure, prints the input,
/// the expected and the actual result with their bits. Results are compared bit for bit (so −0 ≠ +0), except that any NaN matches
/// any NaN. The function under test maps a double to the rounded value as a double (wrap an encoder as
/// <c>x =&gt; Decode(Encode(x))</c>), or, for <see cref="EncodeMatchesOracle"/>, to the format's code.
/// </remarks>
public static class RoundingProperties
{
    /// <summary>The result equals the exact oracle's (<see cref="ExactRounding.Round"/>).</summary>
    /// <param name="roundUnderTest">The rounding function under test.</param>
    /// <param name="value">The input.</param>
    /// <param name="format">The target format.</param>
    /// <param name="rounding">A deterministic rounding mode.</param>
    /// <param name="overflow">The overflow mode.</param>
    /// <returns>The property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="roundUnderTest"/> or <paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="rounding"/> is a stochastic mode.</exception>
    public static Property MatchesOracle(Func<double, double> roundUnderTest, double value, FloatFormat format, RoundingMode rounding, OverflowMode overflow)
    {
        ArgumentNullException.ThrowIfNull(roundUnderTest);
        double expected = ExactRounding.Round(value, format, rounding, overflow);
        double actual = roundUnderTest(value);
        return Check(
            SameBits(expected, actual),
            () => $"{format} {rounding} {overflow}: input {TestDouble.Format(value)} should give {TestDouble.Format(expected)}, got {TestDouble.Format(actual)}");
    }

    /// <summary>The code equals the exact oracle's (<see cref="ExactRounding.Encode"/>); two NaN codes match.</summary>
    /// <param name="encodeUnderTest">The encoder under test, returning the code in the low bits.</param>
    /// <param name="value">The input.</param>
    /// <param name="format">The target format.</param>
    /// <param name="rounding">A deterministic rounding mode.</param>
    /// <param name="overflow">The overflow mode.</param>
    /// <returns>The property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="encodeUnderTest"/> or <paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="rounding"/> is a stochastic mode.</exception>
    public static Property EncodeMatchesOracle(Func<double, ulong> encodeUnderTest, double value, FloatFormat format, RoundingMode rounding, OverflowMode overflow)
    {
        ArgumentNullException.ThrowIfNull(encodeUnderTest);
        ulong expected = ExactRounding.Encode(value, format, rounding, overflow);
        ulong actual = encodeUnderTest(value);
        bool ok = expected == actual || (IsNaNCode(expected, format) && IsNaNCode(actual, format));
        return Check(
            ok,
            () => string.Create(
                CultureInfo.InvariantCulture,
                $"{format} {rounding} {overflow}: input {TestDouble.Format(value)} should encode to 0x{expected:X2} ({ExactRounding.Decode(expected, format):R}), got 0x{actual:X2}"));
    }

    /// <summary>
    /// The result is one of the two neighbours of the input in the format (after overflow handling, see
    /// <see cref="ExactRounding.Neighbours"/>): the law every rounding mode, stochastic ones included, must obey.
    /// </summary>
    /// <param name="roundUnderTest">The rounding function under test (any mode).</param>
    /// <param name="value">The input.</param>
    /// <param name="format">The target format.</param>
    /// <param name="overflow">The overflow mode.</param>
    /// <returns>The property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="roundUnderTest"/> or <paramref name="format"/> is null.</exception>
    public static Property IsOneOfTwoNeighbours(Func<double, double> roundUnderTest, double value, FloatFormat format, OverflowMode overflow)
    {
        ArgumentNullException.ThrowIfNull(roundUnderTest);
        StochasticOutcome n = ExactRounding.Neighbours(value, format, RoundingMode.Stochastic, overflow);
        double actual = roundUnderTest(value);
        return Check(
            SameBits(n.TowardZero, actual) || SameBits(n.AwayFromZero, actual),
            () => $"{format} {overflow}: input {TestDouble.Format(value)} has neighbours {TestDouble.Format(n.TowardZero)} and {TestDouble.Format(n.AwayFromZero)}, got {TestDouble.Format(actual)}");
    }

    /// <summary>Monotone: a ≤ b implies round(a) ≤ round(b) (inputs or results that are NaN are not compared; −0 = +0).</summary>
    /// <param name="roundUnderTest">The rounding function under test (a deterministic mode).</param>
    /// <param name="a">One input.</param>
    /// <param name="b">The other input (the order does not matter).</param>
    /// <returns>The property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="roundUnderTest"/> is null.</exception>
    public static Property Monotone(Func<double, double> roundUnderTest, double a, double b)
    {
        ArgumentNullException.ThrowIfNull(roundUnderTest);
        (double lo, double hi) = a <= b ? (a, b) : (b, a);
        double rlo = roundUnderTest(lo);
        double rhi = roundUnderTest(hi);
        bool ok = double.IsNaN(a) || double.IsNaN(b) || double.IsNaN(rlo) || double.IsNaN(rhi) || rlo <= rhi;
        return Check(
            ok,
            () => $"not monotone: {TestDouble.Format(lo)} -> {TestDouble.Format(rlo)} but {TestDouble.Format(hi)} -> {TestDouble.Format(rhi)}");
    }

    /// <summary>Idempotent: rounding a rounded value changes nothing (bit for bit; NaN stays NaN).</summary>
    /// <param name="roundUnderTest">The rounding function under test.</param>
    /// <param name="value">The input.</param>
    /// <returns>The property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="roundUnderTest"/> is null.</exception>
    public static Property Idempotent(Func<double, double> roundUnderTest, double value)
    {
        ArgumentNullException.ThrowIfNull(roundUnderTest);
        double once = roundUnderTest(value);
        double twice = roundUnderTest(once);
        return Check(
            SameBits(once, twice),
            () => $"not idempotent: {TestDouble.Format(value)} -> {TestDouble.Format(once)} -> {TestDouble.Format(twice)}");
    }

    /// <summary>
    /// A value of the format comes back unchanged, bit for bit (feed it <see cref="FloatGen.Representable"/>, which never produces −0
    /// in a format without it).
    /// </summary>
    /// <param name="roundUnderTest">The rounding function (or decode ∘ encode) under test.</param>
    /// <param name="representable">A value of the format.</param>
    /// <returns>The property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="roundUnderTest"/> is null.</exception>
    public static Property RoundTripsRepresentable(Func<double, double> roundUnderTest, double representable)
    {
        ArgumentNullException.ThrowIfNull(roundUnderTest);
        double actual = roundUnderTest(representable);
        return Check(
            SameBits(representable, actual),
            () => $"representable {TestDouble.Format(representable)} came back as {TestDouble.Format(actual)}");
    }

    /// <summary>
    /// A statistical check of a stochastic rounding at one input: draws <paramref name="samples"/> results, requires each to be one
    /// of the two neighbours, and requires the observed frequency of the away-from-zero neighbour to be within Hoeffding's bound
    /// sqrt(ln(2/α) / (2n)) of the exact probability (<see cref="ExactRounding.Neighbours"/>).
    /// </summary>
    /// <param name="stochasticUnderTest">The stochastic rounding under test; it draws its own random bits on each call.</param>
    /// <param name="value">The input.</param>
    /// <param name="format">The target format.</param>
    /// <param name="rounding"><see cref="RoundingMode.Stochastic"/> or <see cref="RoundingMode.StochasticUniform"/>.</param>
    /// <param name="overflow">The overflow mode.</param>
    /// <param name="samples">The number of draws n (at least 1).</param>
    /// <param name="falseAlarmRate">
    /// α: the probability that a correct implementation fails this check at this input is at most α (Hoeffding's inequality holds for
    /// every n and p, no normal approximation). Over k inputs the chance of any false alarm is at most k·α. With n = 4096 and
    /// α = 1e−9 a bias of more than 0.051 in probability is always flagged.
    /// </param>
    /// <returns>The property.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stochasticUnderTest"/> or <paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is less than 1 or <paramref name="falseAlarmRate"/> is not in (0, 1).</exception>
    /// <exception cref="ArgumentException"><paramref name="rounding"/> is a deterministic mode.</exception>
    public static Property Unbiased(
        Func<double, double> stochasticUnderTest, double value, FloatFormat format, RoundingMode rounding, OverflowMode overflow, int samples = 4096, double falseAlarmRate = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(stochasticUnderTest);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        if (!(falseAlarmRate > 0 && falseAlarmRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falseAlarmRate), falseAlarmRate, "The false-alarm rate must lie in (0, 1).");
        }

        StochasticOutcome n = ExactRounding.Neighbours(value, format, rounding, overflow);
        int away = 0;
        for (int i = 0; i < samples; i++)
        {
            double r = stochasticUnderTest(value);
            bool isAway = SameBits(n.AwayFromZero, r);
            if (!isAway && !SameBits(n.TowardZero, r))
            {
                return Check(false, () => $"{format} {rounding}: input {TestDouble.Format(value)} gave {TestDouble.Format(r)}, not {n}");
            }

            if (isAway)
            {
                away++;
            }
        }

        // A certain outcome (exact input, probability 1, or both candidates the same after overflow) has nothing to estimate.
        if (n.IsCertain)
        {
            return Check(true, () => string.Empty);
        }

        double p = n.ProbabilityAwayFromZero;
        double observed = (double)away / samples;
        double bound = Math.Sqrt(Math.Log(2 / falseAlarmRate) / (2.0 * samples));
        return Check(
            Math.Abs(observed - p) <= bound,
            () => string.Create(
                CultureInfo.InvariantCulture,
                $"{format} {rounding}: input {TestDouble.Format(value)} rounded away from zero {away}/{samples} = {observed:R}, expected {p:R} ± {bound:R} ({n})"));
    }

    /// <summary>
    /// Runs <see cref="MatchesOracle"/> and <see cref="Idempotent"/> on <paramref name="maxTest"/> inputs from
    /// <see cref="FloatGen.Any"/> and throws on the first failure, with FsCheck's shrunk counterexample and seed in the message.
    /// Works from any test framework.
    /// </summary>
    /// <param name="roundUnderTest">The rounding function under test.</param>
    /// <param name="format">The target format.</param>
    /// <param name="rounding">A deterministic rounding mode.</param>
    /// <param name="overflow">The overflow mode.</param>
    /// <param name="maxTest">The number of inputs (at least 1).</param>
    /// <exception cref="ArgumentNullException"><paramref name="roundUnderTest"/> or <paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTest"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="rounding"/> is a stochastic mode.</exception>
    /// <exception cref="Exception">The property failed (FsCheck's exception, whose message shows the counterexample).</exception>
    public static void Verify(Func<double, double> roundUnderTest, FloatFormat format, RoundingMode rounding, OverflowMode overflow, int maxTest = 1000)
    {
        ArgumentNullException.ThrowIfNull(roundUnderTest);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTest, 1);
        ExactRounding.Validate(format, rounding, overflow, stochastic: false);
        Property property = Prop.ForAll(
            FloatGen.Any(format).ToArbitrary(),
            x => MatchesOracle(roundUnderTest, x, format, rounding, overflow).And(Idempotent(roundUnderTest, x)));
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest), property);
    }

    private static Property Check(bool ok, Func<string> describe) =>
        ok ? Prop.ToProperty(true) : Prop.Label(false, describe());

    private static bool SameBits(double expected, double actual) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : BitConverter.DoubleToUInt64Bits(expected) == BitConverter.DoubleToUInt64Bits(actual);

    private static bool IsNaNCode(ulong code, FloatFormat format)
    {
        try
        {
            return double.IsNaN(ExactRounding.Decode(code, format));
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
