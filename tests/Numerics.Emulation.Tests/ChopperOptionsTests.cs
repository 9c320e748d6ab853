// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Emulation;
using Numerics.Formats;

namespace Numerics.Emulation.Tests;

public class ChopperOptionsTests
{
    private const double Xmin16 = 6.103515625e-05;      // 2^-14
    private const double Xmins16 = 5.9604644775390625e-08; // 2^-24

    [Theory]
    [InlineData(RoundingMode.NearestEven, 3.0517578125E-05, 0.0)]                  // tie between 0 and xmin: 0 is even
    [InlineData(RoundingMode.NearestAway, 3.0517578125E-05, Xmin16)]
    [InlineData(RoundingMode.NearestEven, 3.0517578125000004e-05, Xmin16)] // nextup(2^-15)
    [InlineData(RoundingMode.NearestEven, -1e-6, -0.0)]
    [InlineData(RoundingMode.TowardPositive, 1e-10, Xmin16)]
    [InlineData(RoundingMode.TowardPositive, -1e-10, -0.0)]
    [InlineData(RoundingMode.ToOdd, 1e-10, Xmin16)]                      // xmin's significand 1 is odd
    [InlineData(RoundingMode.NearestEven, Xmins16, 0.0)]                  // a binary16 subnormal: gone without subnormals
    public void Subnormals_false_flushes_to_the_grid_zero_xmin(RoundingMode mode, double x, double expected)
    {
        var chopper = new Chopper(FloatFormat.Binary16, mode, new ChopOptions { Subnormals = false });
        Assert.False(chopper.DoubleTarget.HasSubnormals);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(chopper.Chop(x)));
    }

    [Fact]
    public void Subnormals_true_adds_them_to_a_format_without()
    {
        var ftz = FloatFormat.Create(8, -126, 127, subnormals: false);
        var chopper = new Chopper(ftz, RoundingMode.NearestEven, new ChopOptions { Subnormals = true });
        Assert.Equal(Math.ScaleB(1.0, -133), chopper.Chop(Math.ScaleB(1.0, -133)));
        Assert.Equal(0.0, new Chopper(ftz).Chop(Math.ScaleB(1.0, -133)));
    }

    [Fact]
    public void LimitExponent_false_keeps_the_storage_exponent_range()
    {
        // binary16's 11-bit precision, binary64's range: values far outside binary16's range are rounded, not flushed or overflowed.
        var chopper = new Chopper(FloatFormat.Binary16, RoundingMode.NearestEven, new ChopOptions { LimitExponent = false });
        var random = new Random(21);
        for (int i = 0; i < 2000; i++)
        {
            double x = Math.ScaleB(1 + random.NextDouble(), random.Next(-1000, 1000)) * (random.Next(2) == 0 ? -1 : 1);
            int k = Math.ILogB(x) - 10;                                         // quantum of an 11-bit significand
            double expected = Math.ScaleB(Math.Round(Math.ScaleB(x, -k), MidpointRounding.ToEven), k);
            Assert.Equal(expected, chopper.Chop(x));
        }

        // binary64 subnormals: the quantum is 2^-1074 · 2^... = 2^(-1022-10).
        double tiny = Math.ScaleB(1.5, -1030) + Math.ScaleB(1.0, -1040);
        Assert.Equal(Math.ScaleB(Math.Round(Math.ScaleB(tiny, 1032), MidpointRounding.ToEven), -1032), chopper.Chop(tiny));

        // Float storage uses binary32's range: 1e-40f is a float subnormal, quantum 2^(-126-10).
        float[] single = [1e-40f, 3e38f];
        chopper.Chop(single);
        Assert.Equal((float)Math.ScaleB(Math.Round(Math.ScaleB((double)1e-40f, 136), MidpointRounding.ToEven), -136), single[0]);
        int k32 = Math.ILogB(3e38) - 10;
        Assert.Equal((float)Math.ScaleB(Math.Round(Math.ScaleB((double)3e38f, -k32), MidpointRounding.ToEven), k32), single[1]);
    }

    [Fact]
    public void Float_storage_requires_every_target_value_to_be_a_float()
    {
        var wide = new Chopper(FloatFormat.Binary64);
        Assert.Null(wide.SingleTarget);
        Assert.Throws<ArgumentException>("destination", () => wide.Chop(new float[2], new float[2]));
        Assert.Throws<ArgumentException>("destination", () => new Chopper(FloatFormat.Create(11, -150, 15)).Chop(new float[1]));

        // binary32 itself: every float is unchanged.
        var same = new Chopper(FloatFormat.Binary32, RoundingMode.ToOdd);
        var random = new Random(4);
        var x = new float[1000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = BitConverter.Int32BitsToSingle(random.Next());
        }

        var y = new float[x.Length];
        same.Chop(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(float.IsNaN(x[i]) ? float.IsNaN(y[i]) : BitConverter.SingleToInt32Bits(x[i]) == BitConverter.SingleToInt32Bits(y[i]));
        }
    }

    [Fact]
    public void Saturation_options()
    {
        Assert.Equal(65504.0, new Chopper(FloatFormat.Binary16, RoundingMode.NearestEven, new ChopOptions { Overflow = OverflowMode.SaturatingFinite }).Chop(1e9));
        Assert.Equal(double.NegativeInfinity, new Chopper(FloatFormat.Binary16).Chop(-1e9));
        Assert.Equal(-65504.0, new Chopper(FloatFormat.Binary16, RoundingMode.TowardPositive).Chop(-1e9));
        Assert.Equal(448.0, new Chopper(FloatFormat.E4M3FN, RoundingMode.NearestEven, new ChopOptions { Overflow = OverflowMode.SaturatingFinite }).Chop(double.PositiveInfinity));
        Assert.True(double.IsNaN(new Chopper(FloatFormat.E4M3FN).Chop(465.0)));
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentNullException>("format", () => new Chopper(null!));
        Assert.Throws<ArgumentOutOfRangeException>("rounding", () => new Chopper(FloatFormat.Binary16, (RoundingMode)42));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => new Chopper(FloatFormat.Binary16, options: new ChopOptions { FlipProbability = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => new Chopper(FloatFormat.Binary16, options: new ChopOptions { FlipProbability = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => new Chopper(FloatFormat.Binary16, options: new ChopOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => new Chopper(FloatFormat.Binary16, options: new ChopOptions { Overflow = (OverflowMode)9 }));
        Assert.Throws<ArgumentException>("options", () => new Chopper(FloatFormat.E8M0FNU, options: new ChopOptions { FlipProbability = 0.5, FlipFields = BitFlipFields.Fraction | BitFlipFields.Sign }));

        var chopper = new Chopper(FloatFormat.BFloat16);
        Assert.Throws<ArgumentException>("destination", () => chopper.Chop(new double[3], new double[4]));
        var buffer = new float[10];
        Assert.Throws<ArgumentException>("destination", () => chopper.Chop(buffer.AsSpan(0, 5), buffer.AsSpan(2, 5)));
    }

    [Theory]
    [InlineData(RoundingMode.NearestEven, 4.0)]
    [InlineData(RoundingMode.ToOdd, 2.0)]
    public void Precision_1_with_the_storage_exponent_range_rounds_float_storage_like_double_storage(RoundingMode mode, double expected)
    {
        // p = 1 keeps only the leading bit: 3 lies halfway between 2 and 4, whose significands are both 1 (odd), so RNE rounds up
        // (the lower neighbour is odd) and round-to-odd keeps 2. With LimitExponent = false float storage rounds to
        // Create(1, -126, 127), whose vector kernel read the parity off the exponent bit and gave the opposite answers.
        var chopper = new Chopper(FloatFormat.Create(1, -4, 4), mode, new ChopOptions { LimitExponent = false });
        float[] values = [.. Enumerable.Repeat(3f, 40)];
        chopper.Chop(values);
        Assert.All(values, v => Assert.Equal(expected, v));
        Assert.Equal(expected, chopper.Chop(3.0));
    }

    [Fact]
    public void Flip_fields_with_undefined_bits_are_rejected()
    {
        // Fraction | 8 used to flip fraction bits only, silently ignoring the undefined bit.
        Assert.Throws<ArgumentOutOfRangeException>("options", () => new Chopper(FloatFormat.Binary16, options: new ChopOptions { FlipProbability = 0.5, FlipFields = BitFlipFields.Fraction | (BitFlipFields)8 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => new Chopper(FloatFormat.Binary16, options: new ChopOptions { FlipFields = (BitFlipFields)(-1) }));
        Assert.Equal(BitFlipFields.All, new Chopper(FloatFormat.Binary16, options: new ChopOptions { FlipProbability = 0.5, FlipFields = BitFlipFields.All }).Options.FlipFields);
    }

    [Fact]
    public void In_place_equals_out_of_place_and_leaves_neighbours_alone()
    {
        var chopper = new Chopper(FloatFormat.E5M2, RoundingMode.Stochastic, new ChopOptions { Seed = 3, FlipProbability = 0.3 });
        var random = new Random(8);
        var data = new float[67];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() - 0.5) * 1000);
        }

        var expected = new float[data.Length];
        chopper.Chop(data, expected);
        var buffer = new float[data.Length + 2];
        data.CopyTo(buffer, 1);
        buffer[0] = buffer[^1] = 12345.678f;  // canaries
        chopper.Chop(buffer.AsSpan(1, data.Length));
        Assert.Equal(expected, buffer.AsSpan(1, data.Length).ToArray());
        Assert.Equal(12345.678f, buffer[0]);
        Assert.Equal(12345.678f, buffer[^1]);
        chopper.Chop(Span<double>.Empty);
    }
}

public class ChopperPathTests
{
    public static TheoryData<RoundingMode> AllModes => new(Enum.GetValues<RoundingMode>());

    [Theory]
    [MemberData(nameof(AllModes))]
    public void Span_path_matches_the_scalar_reference_for_every_length(RoundingMode mode)
    {
        FloatFormat[] formats = [FloatFormat.BFloat16, FloatFormat.Binary16, FloatFormat.E4M3FN, FloatFormat.E5M2, FloatFormat.Create(7, -30, 31, subnormals: false), FloatFormat.E2M1FN];
        var random = new Random((int)mode);
        foreach (FloatFormat format in formats)
        {
            var chopper = new Chopper(format, mode, new ChopOptions { Seed = 5, FlipProbability = mode == RoundingMode.ToOdd ? 0.2 : 0 });
            for (int length = 0; length <= (4 * 16) + 1; length++)
            {
                var x = new float[length];
                for (int i = 0; i < length; i++)
                {
                    x[i] = random.Next(3) == 0 ? BitConverter.Int32BitsToSingle(random.Next() | (random.Next(2) << 31)) : (float)((random.NextDouble() - 0.5) * Math.ScaleB(1.0, random.Next(-20, 20)));
                }

                var span = new float[length];
                var scalar = new float[length];
                chopper.RunSpan(x, span, 0);
                chopper.RunScalar(x, scalar, 0);
                var xd = x.Select(v => (double)v).ToArray();
                var spanD = new double[length];
                var scalarD = new double[length];
                chopper.RunSpan(xd, spanD, 0);
                chopper.RunScalar(xd, scalarD, 0);
                for (int i = 0; i < length; i++)
                {
                    Assert.True(float.IsNaN(scalar[i]) ? float.IsNaN(span[i]) : BitConverter.SingleToInt32Bits(scalar[i]) == BitConverter.SingleToInt32Bits(span[i]), $"{format} {mode} {x[i]:R}");
                    Assert.True(double.IsNaN(scalarD[i]) ? double.IsNaN(spanD[i]) : BitConverter.DoubleToInt64Bits(scalarD[i]) == BitConverter.DoubleToInt64Bits(spanD[i]), $"{format} {mode} {xd[i]:R}");
                }
            }
        }
    }
}

public class ChopperAllocationTests
{
    [Fact]
    public void Span_calls_do_not_allocate_on_one_thread()
    {
        var x = new float[4096];
        var y = new float[4096];
        var xd = new double[4096];
        var yd = new double[4096];
        var chopper = new Chopper(FloatFormat.Binary16);
        var fixedPoint = new FixedPointChopper(new FixedPointFormat(4, 8));
        chopper.Chop(x, y);
        chopper.Chop(xd, yd);
        fixedPoint.Chop(x, y);
        ZeroAllocation.Assert(() =>
        {
            chopper.Chop(x, y);
            chopper.Chop(xd, yd);
            fixedPoint.Chop(xd, yd);
        });
    }
}
