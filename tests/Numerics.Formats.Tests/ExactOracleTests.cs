// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using System.Runtime.Intrinsics;
using Numerics.Testing;

namespace Numerics.Formats.Tests;

/// <summary>Decode, Round, Encode and the stochastic modes against Numerics.Testing's BigInteger oracle (<see cref="ExactRounding"/>).</summary>
public sealed class ExactOracleTests
{
    private static readonly RoundingMode[] DeterministicModes =
    [
        RoundingMode.NearestEven, RoundingMode.NearestAway, RoundingMode.NearestTowardZero, RoundingMode.TowardZero,
        RoundingMode.TowardPositive, RoundingMode.TowardNegative, RoundingMode.ToOdd,
    ];

    public static TheoryData<string> PresetNames => [.. FloatFormat.Presets.Select(f => f.Name)];

    private static FloatFormat Preset(string name) => GoldenFiles.Preset(name);

    private static int Count(int full) => Vector128.IsHardwareAccelerated ? full : full / 4;

    /// <summary>Random doubles concentrated on the format's range: subnormals, normals, the overflow region, specials.</summary>
    private static double RandomInput(Random random, FloatFormat f, int k)
    {
        return (k % 16) switch
        {
            0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
            1 => (random.Next(2) == 0 ? -1 : 1) * f.MaxFinite * (1 + (random.NextDouble() / 8)),
            2 => random.Next(4) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => double.NegativeInfinity, _ => random.Next(2) == 0 ? 0.0 : -0.0 },
            _ => (random.Next(2) == 0 ? -1 : 1) * Math.ScaleB(1 + random.NextDouble(), random.Next(Math.Max(f.MinExponent - f.MantissaBits - 3, -1075), Math.Min(f.MaxExponent + 2, 1023))),
        };
    }

    [Fact]
    public void Decode_matches_the_oracle_on_every_code_of_every_format_up_to_16_bits()
    {
        foreach (FloatFormat f in FloatFormat.Presets.Where(f => f.BitCount <= 16))
        {
            for (ulong code = 0; code < (1UL << f.BitCount); code++)
            {
                double expected = ExactRounding.Decode(code, f);
                double actual = f.Decode(code);
                Assert.True(GoldenFiles.SameDouble(expected, actual), $"{f} code {code:x}: expected {GoldenFiles.Bits(expected)}, got {GoldenFiles.Bits(actual)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void Round_and_Encode_match_the_oracle_for_random_doubles_in_every_deterministic_mode(string name)
    {
        FloatFormat f = Preset(name);
        var random = new Random(name.Sum(c => c) * 31);
        List<string> failures = [];
        int n = 0;
        for (int k = 0; k < Count(400); k++)
        {
            double x = RandomInput(random, f, k);
            foreach (RoundingMode mode in DeterministicModes)
            {
                OverflowMode overflow = (OverflowMode)random.Next(3);
                n++;
                CompareDeterministic(f, x, mode, overflow, failures);
            }
        }

        GoldenFiles.AssertNoFailures(failures, n);
    }

    private static void CompareDeterministic(FloatFormat f, double x, RoundingMode mode, OverflowMode overflow, List<string> failures)
    {
        double expected = ExactRounding.Round(x, f, mode, overflow);
        double actual = f.Round(x, mode, overflow);
        ulong expectedCode = ExactRounding.Encode(x, f, mode, overflow);
        ulong actualCode = f.Encode(x, mode, overflow);
        if (!GoldenFiles.SameDouble(expected, actual) || expectedCode != actualCode)
        {
            failures.Add($"{f} x = {GoldenFiles.Bits(x)} {mode}/{overflow}: expected {GoldenFiles.Bits(expected)} code {expectedCode:x}, got {GoldenFiles.Bits(actual)} code {actualCode:x}");
        }
    }

    /// <summary>
    /// E8M0 inputs around its two smallest values 2^-127 and 2^-126 (the random inputs above rarely land there): positive doubles
    /// from 2^-140 to 2^-125 with random significands, double subnormals, and the edges, in every mode and overflow mode. The nearest
    /// modes follow ml_dtypes, the directed and stochastic modes the format's own values (<see cref="ExactRounding"/> remarks).
    /// </summary>
    [Fact]
    public void E8M0_at_and_below_two_to_minus_126_matches_the_oracle_in_every_mode()
    {
        FloatFormat f = FloatFormat.E8M0FNU;
        var random = new Random(126);
        List<double> inputs =
        [
            double.Epsilon, 1e-40, Math.ScaleB(1.0, -128), Math.BitDecrement(Math.ScaleB(1.0, -127)), Math.ScaleB(1.0, -127),
            Math.BitIncrement(Math.ScaleB(1.0, -127)), Math.ScaleB(1.25, -127), Math.ScaleB(1.5, -127), Math.ScaleB(1.75, -127),
            Math.BitDecrement(Math.ScaleB(1.0, -126)), Math.ScaleB(1.0, -126), Math.BitIncrement(Math.ScaleB(1.0, -126)),
            Math.ScaleB(1.25, -126), Math.ScaleB(1.5, -126),
        ];
        for (int k = 0; k < Count(400); k++)
        {
            inputs.Add(k % 8 == 0
                ? BitConverter.Int64BitsToDouble(random.NextInt64(1, 1L << 52)) // a double subnormal
                : Math.ScaleB(1 + random.NextDouble(), random.Next(-140, -125)));
        }

        List<string> failures = [];
        int n = 0;
        foreach (double x in inputs)
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                foreach (RoundingMode mode in DeterministicModes)
                {
                    n++;
                    CompareDeterministic(f, x, mode, overflow, failures);
                }

                AssertStochasticMatchesTheOracle(f, x, overflow, random);
            }
        }

        GoldenFiles.AssertNoFailures(failures, n);
    }

    [Fact]
    public void Round_matches_the_oracle_for_custom_formats()
    {
        FloatFormat[] formats =
        [
            FloatFormat.Create(1, -4, 4), FloatFormat.Create(2, -3, 3, subnormals: false), FloatFormat.Create(7, -30, 31, subnormals: false),
            FloatFormat.Create(4, -6, 8, infinity: false), FloatFormat.Create(53, -1022, 1023, subnormals: false), FloatFormat.Create(20, -200, 100),
        ];
        var random = new Random(5);
        foreach (FloatFormat f in formats)
        {
            for (int k = 0; k < Count(300); k++)
            {
                double x = RandomInput(random, f, k);
                foreach (RoundingMode mode in DeterministicModes)
                {
                    OverflowMode overflow = (OverflowMode)random.Next(3);
                    double expected = ExactRounding.Round(x, f, mode, overflow);
                    double actual = f.Round(x, mode, overflow);
                    Assert.True(GoldenFiles.SameDouble(expected, actual), $"{f} x = {GoldenFiles.Bits(x)} {mode}/{overflow}: expected {GoldenFiles.Bits(expected)}, got {GoldenFiles.Bits(actual)}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void Stochastic_rounds_away_exactly_when_the_random_word_is_below_the_truncated_probability(string name)
    {
        // Documented rule: away from zero iff randomBits < floor(P · 2^64), P the exact probability of the oracle. Check the random
        // words at the threshold and one below it, plus random ones, so an off-by-one in the comparison would fail.
        FloatFormat f = Preset(name);
        var random = new Random(name.Sum(c => c) * 17);
        for (int k = 0; k < Count(300); k++)
        {
            double x = RandomInput(random, f, k);
            OverflowMode overflow = (OverflowMode)random.Next(3);
            if (double.IsNaN(x))
            {
                continue; // the oracle's Neighbours decodes FP6/FP4's NaN code
            }

            if (Math.Abs(x) >= f.MaxFinite + Math.ScaleB(1.0, f.MaxExponent - f.MantissaBits) && double.IsFinite(x))
            {
                // Both neighbours overflow. Documented choice (reported as a difference with the oracle, which clamps the lower
                // neighbour to max like a directed mode): the result is the overflow value of the nearest modes for every word.
                foreach (ulong word in new[] { 0UL, (ulong)random.NextInt64(), ulong.MaxValue })
                {
                    Assert.True(GoldenFiles.SameDouble(f.Round(x, RoundingMode.NearestEven, overflow), f.Round(x, RoundingMode.Stochastic, overflow, word)));
                    Assert.True(GoldenFiles.SameDouble(f.Round(x, RoundingMode.NearestEven, overflow), f.Round(x, RoundingMode.StochasticUniform, overflow, word)));
                }

                Assert.True(overflow != OverflowMode.NonSaturating || !double.IsFinite(f.Round(x, RoundingMode.NearestEven, overflow)) || !f.HasNaN);
                continue;
            }

            AssertStochasticMatchesTheOracle(f, x, overflow, random);
        }
    }

    /// <summary>
    /// Stochastic rounds away from zero iff the random word is below floor(P · 2^64), P the oracle's exact probability: checks the words
    /// at the threshold and one below it, 0, the maximum and a random one; StochasticUniform follows the top bit.
    /// </summary>
    private static void AssertStochasticMatchesTheOracle(FloatFormat f, double x, OverflowMode overflow, Random random)
    {
        BigInteger two64 = BigInteger.One << 64;
        StochasticOutcome o = ExactRounding.Neighbours(x, f, RoundingMode.Stochastic, overflow);
        BigInteger threshold = o.ProbabilityNumerator * two64 / o.ProbabilityDenominator;
        List<ulong> words = [(ulong)random.NextInt64(), 0, ulong.MaxValue];
        if (threshold > 0 && threshold < two64)
        {
            words.Add((ulong)threshold);
            words.Add((ulong)(threshold - 1));
        }

        foreach (ulong r in words)
        {
            double expected = o.IsExact ? o.TowardZero : r < threshold ? o.AwayFromZero : o.TowardZero;
            double actual = f.Round(x, RoundingMode.Stochastic, overflow, r);
            Assert.True(GoldenFiles.SameDouble(expected, actual), $"{f} x = {GoldenFiles.Bits(x)} {overflow} r = {r:x16} (threshold {threshold:x}): expected {GoldenFiles.Bits(expected)}, got {GoldenFiles.Bits(actual)}");
        }

        // StochasticUniform: the top bit decides, for inexact inputs.
        StochasticOutcome u = ExactRounding.Neighbours(x, f, RoundingMode.StochasticUniform, overflow);
        Assert.True(GoldenFiles.SameDouble(u.IsExact ? u.TowardZero : u.AwayFromZero, f.Round(x, RoundingMode.StochasticUniform, overflow, 1UL << 63)));
        Assert.True(GoldenFiles.SameDouble(u.TowardZero, f.Round(x, RoundingMode.StochasticUniform, overflow, (1UL << 63) - 1)));
    }
}
