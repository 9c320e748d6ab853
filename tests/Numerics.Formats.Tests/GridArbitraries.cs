// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck;
using FsCheck.Fluent;

namespace Numerics.Formats.Tests;

/// <summary>A format and an input chosen on (or just off) its grid.</summary>
public readonly record struct GridCase(FloatFormat Format, double Value, string Kind)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Format} {Kind} x={Value:R} (0x{BitConverter.DoubleToUInt64Bits(Value):X16})";
}

/// <summary>
/// Generators built on each format's own grid (STYLE-GUIDE §7): a code, the exact midpoint to the next code (the tie), the midpoint
/// ±1 binary64 ulp, random points inside the gap, subnormals, the overflow threshold, and specials, with both signs.
/// </summary>
public static class GridArbitraries
{
    internal static readonly FloatFormat[] Formats =
    [
        FloatFormat.E4M3FN, FloatFormat.E5M2, FloatFormat.E4M3FNUZ, FloatFormat.E5M2FNUZ, FloatFormat.E4M3B11FNUZ, FloatFormat.E4M3,
        FloatFormat.E3M4, FloatFormat.E3M2FN, FloatFormat.E2M3FN, FloatFormat.E2M1FN, FloatFormat.E8M0FNU, FloatFormat.BFloat16,
        FloatFormat.Binary16, FloatFormat.TensorFloat32, FloatFormat.Create(5, -9, 10, subnormals: false), FloatFormat.Create(4, -6, 8, infinity: false),
    ];

    /// <summary>The positive code of the largest finite value.</summary>
    internal static ulong MaxCode(FloatFormat f) => f.Encode(f.MaxFinite);

    /// <summary>The value of positive code c, or one quantum above the max for the code after the max (unbounded exponent).</summary>
    /// <remarks>
    /// Without subnormals the codes 1 .. 2^m − 1 are unused, so they stand for the min normal.</remarks>
    internal static double ValueOf(FloatFormat f, ulong c)
    {
        if (!f.HasSubnormals && f.HasZero && c > 0 && c < 1UL << f.MantissaBits)
        {
            c = 1UL << f.MantissaBits;
        }

        return c <= MaxCode(f) ? f.Decode(c) : f.MaxFinite + Math.ScaleB(1.0, f.MaxExponent - f.MantissaBits);
    }

    private static Gen<ulong> Codes(FloatFormat f)
    {
        ulong max = MaxCode(f);
        int subnormalCodes = f.HasSubnormals ? 1 << f.MantissaBits : 1;
        return Gen.Frequency(
            (6, Gen.Choose(0, (int)Math.Min(max, int.MaxValue)).Select(c => (ulong)c)),
            (2, Gen.Choose(0, subnormalCodes).Select(c => (ulong)c)),                       // zero, subnormals and the min normal
            (2, Gen.Choose(0, 3).Select(k => max - (ulong)k)));                               // the top of the range
    }

    private static Gen<(double Value, string Kind)> OnGrid(FloatFormat f) =>
        from c in Codes(f)
        from kind in Gen.Choose(0, 5)
        from u in Gen.Choose(1, 999)
        let lo = ValueOf(f, c)
        let hi = ValueOf(f, c + 1)
        let mid = lo + ((hi - lo) / 2) // exact: lo and hi are adjacent grid values with few significant bits
        select kind switch
        {
            0 => (lo, "code"),
            1 => (mid, "tie"),
            2 => (Math.BitIncrement(mid), "tie+ulp"),
            3 => (Math.BitDecrement(mid), "tie-ulp"),
            4 => (lo + ((hi - lo) * (u / 1000.0)), "inside"),
            _ => (hi * (1 + (u / 100.0)), "beyond"),
        };

    private static Gen<(double Value, string Kind)> Specials =>
        Gen.Elements(
            (0.0, "zero"), (double.PositiveInfinity, "inf"), (double.NaN, "nan"), (double.Epsilon, "tiny"), (1e300, "huge"), (1.0, "one"));

    /// <summary>The arbitrary for <see cref="GridCase"/>.</summary>
    public static Arbitrary<GridCase> GridCase() => Arb.From(
        from i in Gen.Choose(0, Formats.Length - 1)
        from v in Gen.Frequency((12, OnGrid(Formats[i])), (1, Specials))
        from negative in Gen.Elements(false, true)
        select new GridCase(Formats[i], negative ? -v.Value : v.Value, v.Kind));
}
