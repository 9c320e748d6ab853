// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck;
using FsCheck.Fluent;
using Numerics.Formats;
using Numerics.Testing;

namespace PackageSample;

/// <summary>Checks <see cref="MyConverter"/> against Numerics.Testing's exact oracle on FloatGen's grid-aware inputs.</summary>
public sealed class MyConverterTests
{
    private static readonly FloatFormat s_e4m3 = FloatFormat.E4M3FN;

    // A fixed seed keeps the "is caught" tests deterministic: FloatGen catches these bugs within 100 cases for almost every
    // seed, but a random seed could, rarely, miss.
    private static readonly Config Caught = Config.QuickThrowOnFailure.WithMaxTest(100).WithReplay(1UL, 0x9E37_79B9_7F4A_7C15UL);

    private static Property MatchesOracle(Func<double, double> convert) => Prop.ForAll(
        FloatGen.Any(s_e4m3).ToArbitrary(),
        x => RoundingProperties.MatchesOracle(convert, x, s_e4m3, RoundingMode.NearestEven, OverflowMode.NonSaturating));

    [Fact]
    public void Version1_is_caught()
    {
        Exception e = Assert.ThrowsAny<Exception>(() => Check.One(Caught, MatchesOracle(MyConverter.ToE4M3FNv1)));
        TestContext.Current.TestOutputHelper?.WriteLine(e.Message);
        Assert.Contains("Falsifiable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version2_is_caught()
    {
        Exception e = Assert.ThrowsAny<Exception>(() => Check.One(Caught, MatchesOracle(MyConverter.ToE4M3FNv2)));
        TestContext.Current.TestOutputHelper?.WriteLine(e.Message);
        Assert.Contains("Falsifiable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version3_matches_the_oracle_on_thousands_of_inputs() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), MatchesOracle(MyConverter.ToE4M3FNv3));

    [Fact]
    public void Version3_passes_the_laws() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(1000),
            Prop.ForAll(
                FloatGen.Any(s_e4m3).ToArbitrary(),
                FloatGen.Any(s_e4m3).ToArbitrary(),
                (a, b) => RoundingProperties.Monotone(MyConverter.ToE4M3FNv3, a, b)
                    .And(RoundingProperties.Idempotent(MyConverter.ToE4M3FNv3, a))
                    .And(RoundingProperties.IsOneOfTwoNeighbours(MyConverter.ToE4M3FNv3, a, s_e4m3, OverflowMode.NonSaturating))));

    [Fact]
    public void Verify_is_a_one_liner_for_any_test_framework() =>
        RoundingProperties.Verify(MyConverter.ToE4M3FNv3, s_e4m3, RoundingMode.NearestEven, OverflowMode.NonSaturating, maxTest: 2000);

    [Fact]
    public void Readme_example_runs()
    {
        // The snippet of the package's README.md, with MyRound = version 3.
        Func<double, double> MyRound = MyConverter.ToE4M3FNv3;
        Prop.ForAll(
                FloatGen.Any(FloatFormat.E4M3FN).ToArbitrary(),
                x => RoundingProperties.MatchesOracle(MyRound, x, FloatFormat.E4M3FN, RoundingMode.NearestEven, OverflowMode.NonSaturating))
            .QuickCheckThrowOnFailure();
        RoundingProperties.Verify(MyRound, FloatFormat.E4M3FN, RoundingMode.NearestEven, OverflowMode.NonSaturating);
        Assert.Throws<ArgumentException>("rounding", () => RoundingProperties.Verify(MyRound, FloatFormat.E4M3FN, RoundingMode.Stochastic, OverflowMode.NonSaturating));
    }
}
