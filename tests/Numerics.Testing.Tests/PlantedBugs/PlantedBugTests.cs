// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Numerics.Formats;

namespace Numerics.Testing.Tests.PlantedBugs;

/// <summary>
/// Issue 7's "must show": each realistic bug planted in a copy of an E4M3FN encoder is caught by <see cref="FloatGen.Any"/> within
/// 100 cases, for each of 20 fixed seeds (1..20, not chosen), while the correct encoder passes thousands.
/// </summary>
public sealed partial class PlantedBugTests
{
    private const ulong Gamma = 0x9E37_79B9_7F4A_7C15UL; // FsCheck's SplitMix gamma must be odd
    private const int Seeds = 20;
    private static readonly FloatFormat s_format = FloatFormat.E4M3FN;

    private static Property EncoderMatchesOracle(PlantedBug bug) => Prop.ForAll(
        FloatGen.Any(s_format).ToArbitrary(),
        x => RoundingProperties.EncodeMatchesOracle(v => E4M3FNEncoder.Encode(v, bug), x, s_format, RoundingMode.NearestEven, OverflowMode.NonSaturating));

    [Theory]
    [InlineData(PlantedBug.TiesAway)]
    [InlineData(PlantedBug.DoubleRoundingThroughFloat)]
    [InlineData(PlantedBug.OverflowThresholdOneUlpOff)]
    [InlineData(PlantedBug.LostSignOfZero)]
    [InlineData(PlantedBug.FlushedSubnormals)]
    public void Planted_bug_is_caught_within_100_cases(PlantedBug bug)
    {
        List<int> testsToFailure = [];
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            Config config = Config.QuickThrowOnFailure.WithMaxTest(100).WithReplay(seed, Gamma);
            Exception e = Assert.ThrowsAny<Exception>(() => Check.One(config, EncoderMatchesOracle(bug)));
            Match m = AfterTests().Match(e.Message);
            Assert.True(m.Success, e.Message);
            testsToFailure.Add(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.Contains("(0x", e.Message, StringComparison.Ordinal); // the counterexample is printed with its bits
        }

        testsToFailure.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{bug}: tests to failure over seeds 1..{Seeds}: median {testsToFailure[Seeds / 2]}, max {testsToFailure[^1]} ({string.Join(' ', testsToFailure)})");
        Assert.All(testsToFailure, n => Assert.InRange(n, 1, 100));
    }

    [Fact]
    public void Correct_encoder_passes_thousands_of_cases()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000).WithReplay(42, Gamma), EncoderMatchesOracle(PlantedBug.None));
    }

    [Theory]
    [InlineData(PlantedBug.None, false)]
    [InlineData(PlantedBug.TiesAway, true)]
    public void Ties_generator_alone_decides_the_ties_bug(PlantedBug bug, bool shouldFail)
    {
        Property property = Prop.ForAll(
            FloatGen.Ties(s_format).ToArbitrary(),
            x => RoundingProperties.EncodeMatchesOracle(v => E4M3FNEncoder.Encode(v, bug), x, s_format, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Config config = Config.QuickThrowOnFailure.WithMaxTest(2000).WithReplay(7, Gamma);
        if (shouldFail)
        {
            Exception e = Assert.ThrowsAny<Exception>(() => Check.One(config, property));

            // Shrinking goes toward few fraction bits: the reported tie is a short bit pattern.
            TestContext.Current.TestOutputHelper?.WriteLine(e.Message);
            Assert.Contains("Shrunk", e.Message, StringComparison.Ordinal);
        }
        else
        {
            Check.One(config, property);
        }
    }

    [GeneratedRegex(@"after (\d+) tests?")]
    private static partial Regex AfterTests();
}
