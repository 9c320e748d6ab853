// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck;
using FsCheck.Fluent;
using Numerics.Formats;

namespace Numerics.Testing.Tests;

/// <summary>Each helper passes a correct implementation and fails a wrong one, with the bits in the message.</summary>
public sealed class RoundingPropertiesTests
{
    private const ulong Gamma = 0x9E37_79B9_7F4A_7C15UL;
    private static readonly FloatFormat s_f = FloatFormat.E5M2;

    private static double Correct(double x) => ExactRounding.Round(x, s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating);

    private static void Passes(Property p, int maxTest = 300) => Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(5, Gamma), p);

    private static string Fails(Property p, int maxTest = 300) =>
        Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(5, Gamma), p)).Message;

    private static Arbitrary<TestDouble> AnyE5M2 => FloatGen.Any(s_f).ToArbitrary();

    [Fact]
    public void MatchesOracle_and_EncodeMatchesOracle()
    {
        Passes(Prop.ForAll(AnyE5M2, x => RoundingProperties.MatchesOracle(Correct, x, s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating)));
        string m = Fails(Prop.ForAll(AnyE5M2, x => RoundingProperties.MatchesOracle(
            v => ExactRounding.Round(v, s_f, RoundingMode.NearestAway, OverflowMode.NonSaturating), x, s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating)));
        Assert.Contains("should give", m, StringComparison.Ordinal);
        Assert.Contains("(0x", m, StringComparison.Ordinal);

        Passes(Prop.ForAll(AnyE5M2, x => RoundingProperties.EncodeMatchesOracle(
            v => ExactRounding.Encode(v, s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating), x, s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating)));

        // A different NaN code (0x7F instead of the quiet 0x7E) still matches: NaN is compared as a class.
        Passes(Prop.ForAll(AnyE5M2, x => RoundingProperties.EncodeMatchesOracle(
            v => double.IsNaN(v) ? 0x7FUL : ExactRounding.Encode(v, s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating), x, s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating)));
        m = Fails(Prop.ForAll(AnyE5M2, x => RoundingProperties.EncodeMatchesOracle(
            v => ExactRounding.Encode(v, s_f, RoundingMode.TowardZero, OverflowMode.NonSaturating), x, s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating)));
        Assert.Contains("should encode to 0x", m, StringComparison.Ordinal);
    }

    [Fact]
    public void IsOneOfTwoNeighbours_accepts_every_mode_and_rejects_a_skip()
    {
        foreach (RoundingMode mode in new[] { RoundingMode.TowardZero, RoundingMode.TowardPositive, RoundingMode.ToOdd, RoundingMode.NearestAway })
        {
            Passes(Prop.ForAll(AnyE5M2, x => RoundingProperties.IsOneOfTwoNeighbours(
                v => ExactRounding.Round(v, s_f, mode, OverflowMode.NonSaturating), x, s_f, OverflowMode.NonSaturating)));
        }

        // Rounding with one significand bit fewer than E5M2 (p = 2 instead of 3) skips a neighbour on some inputs.
        FloatFormat coarser = FloatFormat.Create(2, -14, 15);
        Fails(Prop.ForAll(AnyE5M2, x => RoundingProperties.IsOneOfTwoNeighbours(
            v => ExactRounding.Round(v, coarser, RoundingMode.TowardPositive, OverflowMode.NonSaturating), x, s_f, OverflowMode.NonSaturating)));
    }

    [Fact]
    public void Monotone_Idempotent_RoundTrips()
    {
        Passes(Prop.ForAll(AnyE5M2, AnyE5M2, (a, b) => RoundingProperties.Monotone(Correct, a, b)));
        Passes(Prop.ForAll(AnyE5M2, x => RoundingProperties.Idempotent(Correct, x)));
        Passes(Prop.ForAll(FloatGen.Representable(s_f).ToArbitrary(), x => RoundingProperties.RoundTripsRepresentable(Correct, x)));

        // A non-monotone "rounding": flips the sign of values above 1000.
        Fails(Prop.ForAll(AnyE5M2, AnyE5M2, (a, b) => RoundingProperties.Monotone(v => v > 1000 ? -Correct(v) : Correct(v), a, b)), 1000);

        // Not idempotent: rounds, then adds 1 (0 -> 1 -> 2).
        Assert.Contains("not idempotent", Fails(Prop.ForAll(AnyE5M2, x => RoundingProperties.Idempotent(v => Correct(v) + 1, x))), StringComparison.Ordinal);

        // Loses the sign of zero: −0 does not round-trip.
        Fails(Prop.ForAll(FloatGen.Representable(s_f).ToArbitrary(), x => RoundingProperties.RoundTripsRepresentable(v => v == 0 ? 0.0 : Correct(v), x)), 2000);
    }

    [Fact]
    public void Unbiased_passes_a_correct_stochastic_rounding_and_flags_a_biased_one()
    {
        Random random = new(1);
        double CorrectStochastic(double x)
        {
            StochasticOutcome n = ExactRounding.Neighbours(x, s_f, RoundingMode.Stochastic, OverflowMode.Saturating);
            return random.NextDouble() < n.ProbabilityAwayFromZero ? n.AwayFromZero : n.TowardZero;
        }

        double HalfAndHalf(double x)
        {
            StochasticOutcome n = ExactRounding.Neighbours(x, s_f, RoundingMode.Stochastic, OverflowMode.Saturating);
            return random.NextDouble() < 0.5 ? n.AwayFromZero : n.TowardZero;
        }

        // 1 + 1/16 lies a quarter of the way from 1 to 1.25: P(away) = 1/4.
        Passes(Prop.ForAll(FloatGen.NearTies(s_f).ToArbitrary(), x => RoundingProperties.Unbiased(CorrectStochastic, x, s_f, RoundingMode.Stochastic, OverflowMode.Saturating, samples: 2000)), 20);
        Passes(RoundingProperties.Unbiased(CorrectStochastic, 1.0625, s_f, RoundingMode.Stochastic, OverflowMode.Saturating));
        string m = Fails(RoundingProperties.Unbiased(HalfAndHalf, 1.0625, s_f, RoundingMode.Stochastic, OverflowMode.Saturating), 1);
        Assert.Contains("expected 0.25", m, StringComparison.Ordinal);

        // Uniform stochastic rounding is exactly the half-and-half rule.
        Passes(RoundingProperties.Unbiased(HalfAndHalf, 1.0625, s_f, RoundingMode.StochasticUniform, OverflowMode.Saturating), 1);
        Assert.Throws<ArgumentOutOfRangeException>("falseAlarmRate", () => RoundingProperties.Unbiased(HalfAndHalf, 1, s_f, RoundingMode.Stochastic, OverflowMode.Saturating, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>("samples", () => RoundingProperties.Unbiased(HalfAndHalf, 1, s_f, RoundingMode.Stochastic, OverflowMode.Saturating, 0));
    }

    [Fact]
    public void Verify_throws_with_the_counterexample()
    {
        RoundingProperties.Verify(Correct, s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating, maxTest: 300);
        Exception e = Assert.ThrowsAny<Exception>(() => RoundingProperties.Verify(
            v => ExactRounding.Round(v, s_f, RoundingMode.NearestAway, OverflowMode.NonSaturating), s_f, RoundingMode.NearestEven, OverflowMode.NonSaturating, maxTest: 300));
        Assert.Contains("Falsifiable", e.Message, StringComparison.Ordinal);
    }
}
