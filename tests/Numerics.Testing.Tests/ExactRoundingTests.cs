// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Numerics.Formats;

namespace Numerics.Testing.Tests;

/// <summary>Properties of the oracle that the golden files do not cover: other modes, stochastic neighbours, argument checks.</summary>
public sealed class ExactRoundingTests
{
    private static readonly RoundingMode[] s_deterministic =
    [
        RoundingMode.NearestEven, RoundingMode.NearestAway, RoundingMode.NearestTowardZero, RoundingMode.TowardZero,
        RoundingMode.TowardPositive, RoundingMode.TowardNegative, RoundingMode.ToOdd,
    ];

    public static TheoryData<string> NarrowPresets => new(FloatFormat.Presets.Where(f => f.BitCount <= 16).Select(f => f.Name));

    [Theory]
    [MemberData(nameof(NarrowPresets))]
    public void Every_code_round_trips_in_every_mode(string name)
    {
        // STYLE-GUIDE §6.1: exhaustive for formats of at most 16 bits. A representable value never changes in any mode.
        FloatFormat format = FloatFormat.Presets.Single(f => f.Name == name);

        // Every mode for the 8-bit and narrower formats; two modes for the 65536 codes of the 16-bit ones (time budget).
        RoundingMode[] modes = format.BitCount <= 8 ? s_deterministic : [RoundingMode.NearestEven, RoundingMode.ToOdd];
        for (ulong code = 0; code < (ulong)format.CodeCount; code++)
        {
            double value = ExactRounding.Decode(code, format);
            if (double.IsNaN(value))
            {
                continue;
            }

            foreach (RoundingMode mode in modes)
            {
                ulong again = ExactRounding.Encode(value, format, mode, OverflowMode.NonSaturating);
                if (again != code && !(value == 0 && !format.HasNegativeZero))
                {
                    Assert.Fail($"{name} code 0x{code:X} = {value:R} re-encodes to 0x{again:X} under {mode}");
                }
            }
        }
    }

    [Theory]
    [InlineData(1.03125, 1.0, 1.125, 1, 4)]          // 1 + 1/32 between 1 and 1.125: 1/4 of the way
    [InlineData(-1.03125, -1.0, -1.125, 1, 4)]        // sign-symmetric
    [InlineData(0.0009765625, 0.0, 0.001953125, 1, 2)] // half the smallest subnormal 2^-9
    [InlineData(1.0, 1.0, 1.0, 0, 1)]                // exact
    public void Neighbours_gives_distance_proportional_probabilities(double x, double towardZero, double away, int num, int den)
    {
        StochasticOutcome o = ExactRounding.Neighbours(x, FloatFormat.E4M3FN, RoundingMode.Stochastic, OverflowMode.NonSaturating);
        Assert.Equal(towardZero, o.TowardZero);
        Assert.Equal(away, o.AwayFromZero);
        Assert.Equal(new BigInteger(num), o.ProbabilityNumerator);
        Assert.Equal(new BigInteger(den), o.ProbabilityDenominator);
        Assert.Equal((double)num / den, o.ProbabilityAwayFromZero);
        Assert.Equal(ExactRounding.Encode(towardZero, FloatFormat.E4M3FN, RoundingMode.TowardZero, OverflowMode.NonSaturating), o.TowardZeroCode);
    }

    [Fact]
    public void Neighbours_applies_the_overflow_mode_to_the_candidate_beyond_max()
    {
        // 460 lies between 448 (max) and 480 (the next grid value, beyond max): 12/32 = 3/8 of the way.
        StochasticOutcome nonsat = ExactRounding.Neighbours(460, FloatFormat.E4M3FN, RoundingMode.Stochastic, OverflowMode.NonSaturating);
        Assert.Equal(448, nonsat.TowardZero);
        Assert.True(double.IsNaN(nonsat.AwayFromZero));
        Assert.Equal(0x7FUL, nonsat.AwayFromZeroCode);
        Assert.Equal(3.0 / 8, nonsat.ProbabilityAwayFromZero);

        StochasticOutcome sat = ExactRounding.Neighbours(-460, FloatFormat.E4M3FN, RoundingMode.Stochastic, OverflowMode.Saturating);
        Assert.Equal(-448, sat.TowardZero);
        Assert.Equal(-448, sat.AwayFromZero);

        StochasticOutcome e5m2 = ExactRounding.Neighbours(60000, FloatFormat.E5M2, RoundingMode.StochasticUniform, OverflowMode.NonSaturating);
        Assert.Equal(57344, e5m2.TowardZero);
        Assert.Equal(double.PositiveInfinity, e5m2.AwayFromZero);
        Assert.Equal(0.5, e5m2.ProbabilityAwayFromZero);
    }

    [Fact]
    public void Directed_modes_overflow_to_max_or_infinity_by_sign()
    {
        FloatFormat f = FloatFormat.Binary16;
        Assert.Equal(65504, ExactRounding.Round(1e6, f, RoundingMode.TowardZero, OverflowMode.NonSaturating));
        Assert.Equal(65504, ExactRounding.Round(1e6, f, RoundingMode.TowardNegative, OverflowMode.NonSaturating));
        Assert.Equal(double.PositiveInfinity, ExactRounding.Round(1e6, f, RoundingMode.TowardPositive, OverflowMode.NonSaturating));
        Assert.Equal(-65504, ExactRounding.Round(-1e6, f, RoundingMode.TowardPositive, OverflowMode.NonSaturating));
        Assert.Equal(double.NegativeInfinity, ExactRounding.Round(-1e6, f, RoundingMode.TowardNegative, OverflowMode.NonSaturating));
        Assert.Equal(65504, ExactRounding.Round(1e6, f, RoundingMode.NearestEven, OverflowMode.Saturating));
        Assert.Equal(double.PositiveInfinity, ExactRounding.Round(double.PositiveInfinity, f, RoundingMode.NearestEven, OverflowMode.Saturating));
        Assert.Equal(65504, ExactRounding.Round(double.PositiveInfinity, f, RoundingMode.NearestEven, OverflowMode.SaturatingFinite));
    }

    [Fact]
    public void E8M0_has_no_zero_and_rounds_ties_up()
    {
        FloatFormat f = FloatFormat.E8M0FNU;
        Assert.Equal(0x7FUL, ExactRounding.Encode(1.0, f, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Assert.Equal(0x80UL, ExactRounding.Encode(1.5, f, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Assert.Equal(0x7FUL, ExactRounding.Encode(1.4999999, f, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Assert.Equal(0x00UL, ExactRounding.Encode(Math.ScaleB(1, -127), f, RoundingMode.TowardPositive, OverflowMode.NonSaturating));
        Assert.Equal(0x00UL, ExactRounding.Encode(1e-300, f, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Assert.Equal(0x00UL, ExactRounding.Encode(1e-300, f, RoundingMode.TowardPositive, OverflowMode.NonSaturating)); // nothing below 2^-127
        Assert.Equal(0x01UL, ExactRounding.Encode(Math.ScaleB(1.25, -127), f, RoundingMode.NearestEven, OverflowMode.NonSaturating)); // ml_dtypes: above 2^-127 -> 2^-126
        Assert.Equal(0x00UL, ExactRounding.Encode(Math.ScaleB(1.75, -127), f, RoundingMode.TowardZero, OverflowMode.NonSaturating));
        Assert.Equal(0xFFUL, ExactRounding.Encode(0.0, f, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Assert.Equal(0x00UL, ExactRounding.Encode(-2.0, f, RoundingMode.NearestEven, OverflowMode.Saturating));
        Assert.Equal(0xFEUL, ExactRounding.Encode(1e300, f, RoundingMode.NearestEven, OverflowMode.Saturating));
    }

    private static readonly double s_twoToMinus127 = Math.ScaleB(1.0, -127);
    private static readonly double s_twoToMinus126 = Math.ScaleB(1.0, -126);

    [Theory]
    [InlineData(1.25, 1L, 4L)]                                      // 1.25·2^-127: a quarter of the way from 2^-127 to 2^-126
    [InlineData(1.5, 1L, 2L)]
    [InlineData(1.75, 3L, 4L)]
    [InlineData(1.0000000000000002, 1L, 4503599627370496L)]         // (1 + 2^-52)·2^-127: probability 2^-52
    [InlineData(1.9999999999999998, 4503599627370495L, 4503599627370496L)] // (2 − 2^-52)·2^-127, the last double below 2^-126
    public void E8M0_stochastic_candidates_below_two_to_minus_126_are_the_formats_own_values(double significand, long numerator, long denominator)
    {
        // x = m·2^-127 with 1 < m < 2 lies between E8M0's two smallest values 2^-127 (code 00) and 2^-126 (code 01). Stochastic
        // rounding goes up with probability (x − 2^-127) / (2^-126 − 2^-127) = m − 1, so that the expected result is x.
        double x = Math.ScaleB(significand, -127);
        foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
        {
            StochasticOutcome o = ExactRounding.Neighbours(x, FloatFormat.E8M0FNU, RoundingMode.Stochastic, overflow);
            Assert.Equal(s_twoToMinus127, o.TowardZero);
            Assert.Equal(0x00UL, o.TowardZeroCode);
            Assert.Equal(s_twoToMinus126, o.AwayFromZero);
            Assert.Equal(0x01UL, o.AwayFromZeroCode);
            Assert.Equal(new BigInteger(numerator), o.ProbabilityNumerator);
            Assert.Equal(new BigInteger(denominator), o.ProbabilityDenominator);
            Assert.Equal(significand * denominator, (double)(denominator + numerator)); // unbiased: 2^-127 · (1 + P) = x

            StochasticOutcome u = ExactRounding.Neighbours(x, FloatFormat.E8M0FNU, RoundingMode.StochasticUniform, overflow);
            Assert.Equal(s_twoToMinus127, u.TowardZero);
            Assert.Equal(s_twoToMinus126, u.AwayFromZero);
            Assert.Equal(BigInteger.One, u.ProbabilityNumerator);
            Assert.Equal(new BigInteger(2), u.ProbabilityDenominator);
        }
    }

    [Theory]
    [InlineData(1.0, -127)]                // 2^-127 itself
    [InlineData(1.9999999999999998, -128)] // the last double below 2^-127
    [InlineData(1.0, -128)]
    [InlineData(1e-40, 0)]                 // a binary32 subnormal
    [InlineData(4.9406564584124654E-324, 0)] // the smallest double
    public void E8M0_inputs_at_or_below_two_to_minus_127_give_code_00_in_every_mode(double significand, int exponent)
    {
        // Nothing lies below E8M0's smallest value 2^-127: every mode gives it, the stochastic ones with certainty.
        double x = Math.ScaleB(significand, exponent);
        FloatFormat f = FloatFormat.E8M0FNU;
        foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
        {
            foreach (RoundingMode mode in s_deterministic)
            {
                Assert.Equal(s_twoToMinus127, ExactRounding.Round(x, f, mode, overflow));
                Assert.Equal(0x00UL, ExactRounding.Encode(x, f, mode, overflow));
            }

            foreach (RoundingMode mode in new[] { RoundingMode.Stochastic, RoundingMode.StochasticUniform })
            {
                StochasticOutcome o = ExactRounding.Neighbours(x, f, mode, overflow);
                Assert.Equal(s_twoToMinus127, o.TowardZero);
                Assert.Equal(s_twoToMinus127, o.AwayFromZero);
                Assert.Equal(0x00UL, o.AwayFromZeroCode);
                Assert.True(o.IsExact);
            }
        }
    }

    [Theory]
    [InlineData(1.0000000000000002)]
    [InlineData(1.25)]
    [InlineData(1.5)]
    [InlineData(1.75)]
    [InlineData(1.9999999999999998)]
    public void E8M0_between_its_two_smallest_values_directed_modes_use_its_values_and_nearest_modes_the_ml_dtypes_grid(double significand)
    {
        // x = m·2^-127, 1 < m < 2. Directed modes: the format's values around x are 2^-127 and 2^-126; TowardPositive takes the upper,
        // TowardZero and TowardNegative the lower (x > 0), ToOdd the lower (both have significand 1, odd: truncation). Nearest modes
        // (ml_dtypes): 2^-127 is the zero of the grid {0, 2^-126}, the midpoint is 2^-127 and x lies above it, so 2^-126.
        double x = Math.ScaleB(significand, -127);
        FloatFormat f = FloatFormat.E8M0FNU;
        foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
        {
            foreach ((RoundingMode mode, double expected, ulong code) in new[]
            {
                (RoundingMode.TowardPositive, s_twoToMinus126, 0x01UL),
                (RoundingMode.TowardZero, s_twoToMinus127, 0x00UL),
                (RoundingMode.TowardNegative, s_twoToMinus127, 0x00UL),
                (RoundingMode.ToOdd, s_twoToMinus127, 0x00UL),
                (RoundingMode.NearestEven, s_twoToMinus126, 0x01UL),
                (RoundingMode.NearestAway, s_twoToMinus126, 0x01UL),
                (RoundingMode.NearestTowardZero, s_twoToMinus126, 0x01UL),
            })
            {
                Assert.Equal(expected, ExactRounding.Round(x, f, mode, overflow));
                Assert.Equal(code, ExactRounding.Encode(x, f, mode, overflow));
            }
        }
    }

    [Fact]
    public void E8M0_from_two_to_minus_126_up_has_one_grid_for_every_mode()
    {
        FloatFormat f = FloatFormat.E8M0FNU;
        foreach (RoundingMode mode in s_deterministic)
        {
            Assert.Equal(0x01UL, ExactRounding.Encode(s_twoToMinus126, f, mode, OverflowMode.NonSaturating));
        }

        // 1.25·2^-126 between 2^-126 and 2^-125; 1.5·2^-126 is their midpoint (ties up under NearestEven: the kept bit is always odd).
        Assert.Equal(0x02UL, ExactRounding.Encode(Math.ScaleB(1.25, -126), f, RoundingMode.TowardPositive, OverflowMode.NonSaturating));
        Assert.Equal(0x01UL, ExactRounding.Encode(Math.ScaleB(1.25, -126), f, RoundingMode.TowardZero, OverflowMode.NonSaturating));
        Assert.Equal(0x01UL, ExactRounding.Encode(Math.ScaleB(1.25, -126), f, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Assert.Equal(0x02UL, ExactRounding.Encode(Math.ScaleB(1.5, -126), f, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Assert.Equal(0x02UL, ExactRounding.Encode(Math.ScaleB(1.5, -126), f, RoundingMode.NearestAway, OverflowMode.NonSaturating));
        Assert.Equal(0x01UL, ExactRounding.Encode(Math.ScaleB(1.5, -126), f, RoundingMode.NearestTowardZero, OverflowMode.NonSaturating));

        StochasticOutcome o = ExactRounding.Neighbours(Math.ScaleB(1.25, -126), f, RoundingMode.Stochastic, OverflowMode.NonSaturating);
        Assert.Equal((s_twoToMinus126, 0x01UL, Math.ScaleB(1.0, -125), 0x02UL), (o.TowardZero, o.TowardZeroCode, o.AwayFromZero, o.AwayFromZeroCode));
        Assert.Equal((BigInteger.One, new BigInteger(4)), (o.ProbabilityNumerator, o.ProbabilityDenominator));
    }

    [Fact]
    public void Binary64_is_the_identity_in_every_mode()
    {
        Random random = new(7);
        for (int i = 0; i < 2000; i++)
        {
            double x = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (double.IsNaN(x))
            {
                continue;
            }

            foreach (RoundingMode mode in s_deterministic)
            {
                Assert.Equal(BitConverter.DoubleToUInt64Bits(x), BitConverter.DoubleToUInt64Bits(ExactRounding.Round(x, FloatFormat.Binary64, mode, OverflowMode.NonSaturating)));
                Assert.Equal(BitConverter.DoubleToUInt64Bits(x), ExactRounding.Encode(x, FloatFormat.Binary64, mode, OverflowMode.NonSaturating));
            }

            Assert.Equal(BitConverter.DoubleToUInt64Bits(x), BitConverter.DoubleToUInt64Bits(ExactRounding.Decode(BitConverter.DoubleToUInt64Bits(x), FloatFormat.Binary64)));
        }
    }

    [Fact]
    public void Binary32_nearest_even_matches_the_hardware_conversion()
    {
        // An independent reference: the CPU's double -> float conversion is IEEE round-to-nearest-even.
        Random random = new(11);
        for (int i = 0; i < 5000; i++)
        {
            double x = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (double.IsNaN(x))
            {
                continue;
            }

            double expected = (float)x;
            Assert.Equal(BitConverter.DoubleToUInt64Bits(expected), BitConverter.DoubleToUInt64Bits(ExactRounding.Round(x, FloatFormat.Binary32, RoundingMode.NearestEven, OverflowMode.NonSaturating)));
        }
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_parameter()
    {
        Assert.Throws<ArgumentNullException>("format", () => ExactRounding.Round(1, null!, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Assert.Throws<ArgumentException>("rounding", () => ExactRounding.Round(1, FloatFormat.E4M3FN, RoundingMode.Stochastic, OverflowMode.NonSaturating));
        Assert.Throws<ArgumentException>("rounding", () => ExactRounding.Encode(1, FloatFormat.E4M3FN, RoundingMode.StochasticUniform, OverflowMode.NonSaturating));
        Assert.Throws<ArgumentException>("rounding", () => ExactRounding.Neighbours(1, FloatFormat.E4M3FN, RoundingMode.NearestEven, OverflowMode.NonSaturating));
        Assert.Throws<ArgumentOutOfRangeException>("rounding", () => ExactRounding.Round(1, FloatFormat.E4M3FN, (RoundingMode)99, OverflowMode.NonSaturating));
        Assert.Throws<ArgumentOutOfRangeException>("overflow", () => ExactRounding.Round(1, FloatFormat.E4M3FN, RoundingMode.NearestEven, (OverflowMode)99));
        Assert.Throws<ArgumentOutOfRangeException>("code", () => ExactRounding.Decode(0x100, FloatFormat.E4M3FN));
        Assert.Throws<ArgumentOutOfRangeException>("code", () => ExactRounding.Decode(0x01, FloatFormat.Create(8, -126, 127, subnormals: false)));
    }
}
