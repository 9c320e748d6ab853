// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using System.Runtime.Intrinsics;
using FsCheck;
using FsCheck.Xunit;
using Numerics.Emulation;
using Numerics.Emulation.Internal;
using Numerics.Formats;

namespace Numerics.Emulation.Tests;

[Properties(Arbitrary = [typeof(FixedPointArbitraries)], MaxTest = 1_000)]
public class FixedPointChopperTests
{
    private static readonly RoundingMode[] DeterministicModes =
    [
        RoundingMode.NearestEven, RoundingMode.NearestAway, RoundingMode.NearestTowardZero, RoundingMode.TowardZero,
        RoundingMode.TowardPositive, RoundingMode.TowardNegative, RoundingMode.ToOdd,
    ];

    [Property]
    public void Every_deterministic_mode_matches_the_exact_oracle(FixedPointCase c)
    {
        if (double.IsNaN(c.Value))
        {
            Assert.True(double.IsNaN(new FixedPointChopper(c.Format).Chop(c.Value)));
            return;
        }

        foreach (RoundingMode mode in DeterministicModes)
        {
            foreach (FixedPointOverflow overflow in new[] { FixedPointOverflow.Saturate, FixedPointOverflow.Wrap })
            {
                var chopper = new FixedPointChopper(c.Format, mode, overflow);
                BigInteger expected = double.IsInfinity(c.Value)
                    ? (c.Value > 0 ? c.Format.MaxCode : c.Format.MinCode)
                    : ExactFixedPoint.RoundToCode(c.Value, c.Format, mode, overflow);
                double expectedValue = ExactFixedPoint.ToValue(expected, c.Format);
                double actual = chopper.Chop(c.Value);
                Assert.True(
                    BitConverter.DoubleToInt64Bits(expectedValue + 0.0) == BitConverter.DoubleToInt64Bits(actual),
                    $"{mode} {overflow} {c}: expected {expectedValue:R}, got {actual:R}");
                Assert.Equal((long)expected, chopper.ToCode(c.Value));
            }
        }
    }

    [Property]
    public void Stochastic_results_are_a_neighbour_and_exact_values_are_kept(FixedPointCase c)
    {
        if (!double.IsFinite(c.Value))
        {
            double end = double.IsNaN(c.Value) ? double.NaN : c.Value > 0 ? c.Format.MaxValue : c.Format.MinValue;
            Assert.Equal(end, new FixedPointChopper(c.Format, RoundingMode.Stochastic).Chop(c.Value));
            return;
        }

        double down = ExactFixedPoint.ToValue(ExactFixedPoint.RoundToCode(c.Value, c.Format, RoundingMode.TowardNegative, FixedPointOverflow.Saturate), c.Format);
        double up = ExactFixedPoint.ToValue(ExactFixedPoint.RoundToCode(c.Value, c.Format, RoundingMode.TowardPositive, FixedPointOverflow.Saturate), c.Format);
        foreach (RoundingMode mode in new[] { RoundingMode.Stochastic, RoundingMode.StochasticUniform })
        {
            var chopper = new FixedPointChopper(c.Format, mode, seed: 7);
            for (int index = 0; index < 8; index++)
            {
                double r = chopper.Chop(c.Value, index);
                Assert.True(r == down || r == up, $"{mode} {c}: {r:R} is neither {down:R} nor {up:R}");
                if (down == up)
                {
                    Assert.Equal(down, r);
                }
            }
        }
    }

    [Theory]
    // Q4.4 signed: range [-8, 7.9375], step 1/16.
    [InlineData(4, 4, true, RoundingMode.NearestEven, 1.03125, 1.0)]         // tie between 1 and 1.0625: even code 16
    [InlineData(4, 4, true, RoundingMode.NearestEven, 1.09375, 1.125)]       // tie between 1.0625 (17) and 1.125 (18)
    [InlineData(4, 4, true, RoundingMode.NearestEven, -1.03125, -1.0)]
    [InlineData(4, 4, true, RoundingMode.NearestAway, -1.03125, -1.0625)]
    [InlineData(4, 4, true, RoundingMode.NearestTowardZero, -1.09375, -1.0625)]
    [InlineData(4, 4, true, RoundingMode.TowardPositive, -1.01, -1.0)]
    [InlineData(4, 4, true, RoundingMode.TowardNegative, -1.01, -1.0625)]
    [InlineData(4, 4, true, RoundingMode.TowardZero, 1.1, 1.0625)]
    [InlineData(4, 4, true, RoundingMode.ToOdd, 1.01, 1.0625)]               // inexact: the odd code 17
    [InlineData(4, 4, true, RoundingMode.ToOdd, 1.07, 1.0625)]
    [InlineData(4, 4, true, RoundingMode.ToOdd, 1.125, 1.125)]               // exact: unchanged although code 18 is even
    [InlineData(4, 4, true, RoundingMode.NearestEven, 100.0, 7.9375)]        // saturate
    [InlineData(4, 4, true, RoundingMode.NearestEven, 7.97, 7.9375)]         // rounds to 8 = code 128 > 127: saturate
    [InlineData(4, 4, true, RoundingMode.NearestEven, -100.0, -8.0)]
    [InlineData(4, 4, true, RoundingMode.NearestEven, double.NegativeInfinity, -8.0)] // Pychop gives -max = -7.9375
    [InlineData(4, 4, false, RoundingMode.NearestEven, -0.3, 0.0)]           // UQ4.4: [0, 15.9375]
    [InlineData(4, 4, false, RoundingMode.TowardPositive, 20.0, 15.9375)]
    [InlineData(4, 4, true, RoundingMode.NearestEven, -0.01, 0.0)]           // one zero: +0
    [InlineData(1, 15, true, RoundingMode.NearestEven, 0.999999, 0.999969482421875)] // Q1.15 max = 1 - 2^-15
    public void Hand_computed_examples(int i, int f, bool isSigned, RoundingMode mode, double x, double expected)
    {
        double actual = new FixedPointChopper(new FixedPointFormat(i, f, isSigned), mode).Chop(x);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
    }

    [Theory]
    [InlineData(8.0, -8.0)]       // code 128 wraps to -128
    [InlineData(9.5, -6.5)]       // code 152 wraps to -104
    [InlineData(-8.0625, 7.9375)] // code -129 wraps to 127
    [InlineData(1e300, 0.0)]      // a multiple of 2^4 · 2^4: low 8 bits are 0
    [InlineData(40.03125, -8.0)]  // RNE: 640.5 -> 640 = 2·256 + 128, and code 128 is -128 in 8-bit two's complement
    public void Wrap_keeps_the_low_bits(double x, double expected)
    {
        var chopper = new FixedPointChopper(new FixedPointFormat(4, 4), RoundingMode.NearestEven, FixedPointOverflow.Wrap);
        Assert.Equal(expected, chopper.Chop(x));
    }

    [Fact]
    public void NaN_gives_NaN_and_has_no_code()
    {
        var chopper = new FixedPointChopper(new FixedPointFormat(8, 8));
        Assert.True(double.IsNaN(chopper.Chop(double.NaN)));
        Assert.Throws<ArgumentException>("value", () => chopper.ToCode(double.NaN));
    }

    [Fact]
    public void Stochastic_rounding_is_unbiased_and_reproducible()
    {
        // x = 1 + 0.3 step in Q4.4: P(up) must be 0.3. With N = 40,000 draws the standard deviation of the observed rate is
        // sqrt(0.3 · 0.7 / N) = 0.00229; the bound 0.0115 is 5 standard deviations (false-failure probability < 1e-6).
        const int N = 40_000;
        const double Bound = 0.0115;
        var format = new FixedPointFormat(4, 4);
        double x = 1.0 + (0.3 / 16);
        var source = new double[N];
        Array.Fill(source, x);
        var result = new double[N];
        var chopper = new FixedPointChopper(format, RoundingMode.Stochastic, seed: 123);
        chopper.Chop(source, result);
        int ups = result.Count(r => r == 1.0625);
        Assert.Equal(N, ups + result.Count(r => r == 1.0));
        Assert.InRange(ups / (double)N, 0.3 - Bound, 0.3 + Bound);

        var again = new double[N];
        new FixedPointChopper(format, RoundingMode.Stochastic, seed: 123).Chop(source, again);
        Assert.Equal(result, again);
        new FixedPointChopper(format, RoundingMode.Stochastic, seed: 124).Chop(source, again);
        Assert.NotEqual(result, again);

        // Uniform: P(up) = 1/2 for an inexact value (sd 0.0025, bound 5 sd).
        new FixedPointChopper(format, RoundingMode.StochasticUniform, seed: 5).Chop(source, again);
        Assert.InRange(again.Count(r => r == 1.0625) / (double)N, 0.5 - 0.0125, 0.5 + 0.0125);
    }

    [Fact]
    public void Chunking_and_thread_count_do_not_change_the_result()
    {
        var random = new Random(3);
        var source = new double[(3 * ParallelChunks.MinChunkLength) + 17];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = (random.NextDouble() - 0.5) * 20;
        }

        var format = new FixedPointFormat(4, 6);
        var one = new double[source.Length];
        new FixedPointChopper(format, RoundingMode.Stochastic, seed: 9).Chop(source, one);
        var two = new double[source.Length];
        new FixedPointChopper(format, RoundingMode.Stochastic, seed: 9, maxDegreeOfParallelism: 2).Chop(source, two);
        Assert.Equal(one, two);

        var chopper = new FixedPointChopper(format, RoundingMode.Stochastic, seed: 9);
        foreach (int chunks in new[] { 2, 3, 7 })
        {
            var chunked = new double[source.Length];
            ParallelChunks.RunChunks(source, chunked, chunks, 2, new Body(chopper));
            Assert.Equal(one, chunked);
        }
    }

    [Fact]
    public void Float_storage_matches_double_storage_and_rejects_wide_formats()
    {
        var random = new Random(11);
        var source = new float[1000];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = (float)((random.NextDouble() - 0.5) * 300);
        }

        var chopper = new FixedPointChopper(new FixedPointFormat(8, 16), RoundingMode.NearestAway);
        var single = new float[source.Length];
        chopper.Chop(source, single);
        for (int i = 0; i < source.Length; i++)
        {
            Assert.Equal(chopper.Chop(source[i]), (double)single[i]);
        }

        var wide = new FixedPointChopper(new FixedPointFormat(8, 17));
        Assert.Throws<ArgumentException>("destination", () => wide.Chop(source, single));
    }

    [Fact]
    public void Span_arguments_are_checked_and_in_place_is_allowed()
    {
        var chopper = new FixedPointChopper(new FixedPointFormat(4, 4));
        double[] data = [1.03, 2.51, -7.77, 0.0];
        var expected = new double[4];
        chopper.Chop(data, expected);
        chopper.Chop(data.AsSpan());
        Assert.Equal(expected, data);
        Assert.Throws<ArgumentException>("destination", () => chopper.Chop(new double[4], new double[3]));
        var buffer = new double[8];
        Assert.Throws<ArgumentException>("destination", () => chopper.Chop(buffer.AsSpan(0, 4), buffer.AsSpan(1, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedPointFormat(0, 4, isSigned: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedPointFormat(30, 24));
        Assert.Throws<ArgumentOutOfRangeException>("maxDegreeOfParallelism", () => new FixedPointChopper(new FixedPointFormat(4, 4), maxDegreeOfParallelism: 0));
        Assert.Throws<ArgumentOutOfRangeException>("rounding", () => new FixedPointChopper(new FixedPointFormat(4, 4), (RoundingMode)99));
    }

    [Fact]
    public void Format_properties()
    {
        var q = new FixedPointFormat(4, 12);
        Assert.Equal((-8.0, 8.0 - (1.0 / 4096), 1.0 / 4096, -32768L, 32767L), (q.MinValue, q.MaxValue, q.Resolution, q.MinCode, q.MaxCode));
        Assert.Equal("Q4.12", q.ToString());
        var u = new FixedPointFormat(0, 8, isSigned: false);
        Assert.Equal((0.0, 255.0 / 256, 255L), (u.MinValue, u.MaxValue, u.MaxCode));
        Assert.Equal("UQ0.8", u.ToString());
        Assert.Equal(-0.5, q.Decode(-2048));
    }

    private readonly struct Body(FixedPointChopper chopper) : IChunkBody<double>
    {
        public void Run(ReadOnlySpan<double> source, Span<double> destination, long firstIndex) => chopper.RunScalar(source, destination, firstIndex);
    }
}
