// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck;
using FsCheck.Fluent;
using Numerics.Emulation;

namespace Numerics.Emulation.Tests;

/// <summary>A fixed-point format and a value chosen on (or just off) its grid.</summary>
public readonly record struct FixedPointCase(FixedPointFormat Format, double Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Format} x={Value:R} (0x{BitConverter.DoubleToUInt64Bits(Value):X16})";
}

/// <summary>
/// Generators on the fixed-point grid: codes (including a few outside the range), exact midpoints between neighbouring codes,
/// midpoints nudged by one binary64 ulp, random points between codes, and specials.
/// </summary>
public static class FixedPointArbitraries
{
    private static Gen<FixedPointFormat> Formats =>
        from signed in Gen.Elements(true, false)
        from i in Gen.Choose(signed ? 1 : 0, 20)
        from f in Gen.Choose(i == 0 ? 1 : 0, 30)
        select new FixedPointFormat(i, Math.Min(f, FixedPointFormat.MaxTotalBits - i), signed);

    private static Gen<double> OnGrid(FixedPointFormat format)
    {
        double step = format.Resolution;
        Gen<double> codes = from n in Gen.Choose(-64, 64).Select(k => (double)k)
                                .Or(Gen.Choose(0, 1 << 20).Select(k => format.MinCode + (double)k * (format.MaxCode - format.MinCode) / (1 << 20)))
                            from spill in Gen.Choose(-3, 3)
                            select Math.Round(n) + spill;
        return Gen.Frequency(
            (3, codes.Select(n => n * step)),
            (4, codes.Select(n => (n + 0.5) * step)),
            (3, from n in codes from up in Gen.Elements(true, false) select up ? Math.BitIncrement((n + 0.5) * step) : Math.BitDecrement((n + 0.5) * step)),
            (3, from n in codes from u in Gen.Choose(1, 999) select (n + (u / 1000.0)) * step),
            (1, Gen.Elements(0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, 1e300, -1e300, double.Epsilon, -double.Epsilon, double.MaxValue)));
    }

    /// <summary>The arbitrary for <see cref="FixedPointCase"/>.</summary>
    public static Arbitrary<FixedPointCase> FixedPointCase() =>
        Arb.From(from format in Formats from x in OnGrid(format) select new FixedPointCase(format, x));
}

internal static class GenExtensions
{
    public static Gen<T> Or<T>(this Gen<T> first, Gen<T> second) => Gen.OneOf(first, second);
}
