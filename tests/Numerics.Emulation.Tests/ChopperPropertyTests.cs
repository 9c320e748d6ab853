// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck;
using FsCheck.Fluent;
using Numerics.Emulation;
using Numerics.Formats;
using Numerics.Testing;

namespace Numerics.Emulation.Tests;

/// <summary>
/// FsCheck properties on each format's own grid (Numerics.Testing's FloatGen: representable values, exact ties, ties nudged by
/// one ulp, edges): the Chopper equals the exact BigInteger oracle (ExactRounding) for every deterministic mode and option.
/// </summary>
public class ChopperPropertyTests
{
    public static TheoryData<RoundingMode> Modes => new(
        RoundingMode.NearestEven, RoundingMode.NearestAway, RoundingMode.NearestTowardZero, RoundingMode.TowardZero,
        RoundingMode.TowardPositive, RoundingMode.TowardNegative, RoundingMode.ToOdd);

    [Theory]
    [MemberData(nameof(Modes))]
    public void Chopper_equals_the_exact_oracle_on_the_grid(RoundingMode mode)
    {
        var cases = new (FloatFormat Format, ChopOptions Options)[]
        {
            (FloatFormat.Binary16, ChopOptions.Default),
            (FloatFormat.Binary16, new ChopOptions { Subnormals = false }),
            (FloatFormat.BFloat16, new ChopOptions { Overflow = OverflowMode.SaturatingFinite }),
            (FloatFormat.E4M3FN, ChopOptions.Default),
            (FloatFormat.E5M2, new ChopOptions { Overflow = OverflowMode.Saturating }),
            (FloatFormat.Create(7, -30, 31, subnormals: false), ChopOptions.Default),
            (FloatFormat.E2M1FN, ChopOptions.Default),
        };
        foreach ((FloatFormat format, ChopOptions options) in cases)
        {
            var chopper = new Chopper(format, mode, options);
            FloatFormat target = chopper.DoubleTarget;
            Property property = Prop.ForAll(FloatGen.Any(target).ToArbitrary(), (TestDouble x) =>
            {
                double expected = ExactRounding.Round(x, target, mode, options.Overflow);
                double actual = chopper.Chop(x);
                float actualSingle = Single(chopper, (float)x.Value);
                bool doubleOk = double.IsNaN(expected) ? double.IsNaN(actual) : BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual);
                double expectedSingle = ExactRounding.Round((float)x.Value, target, mode, options.Overflow);
                bool singleOk = double.IsNaN(expectedSingle) ? float.IsNaN(actualSingle) : BitConverter.DoubleToInt64Bits(expectedSingle) == BitConverter.DoubleToInt64Bits(actualSingle);
                return doubleOk && singleOk;
            }).Label($"{format} {mode}");
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(Vector128IsFast ? 400 : 150), property);
        }
    }

    private static bool Vector128IsFast => System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated;

    private static float Single(Chopper chopper, float x)
    {
        Span<float> one = [x];
        chopper.Chop(one);
        return one[0];
    }
}
