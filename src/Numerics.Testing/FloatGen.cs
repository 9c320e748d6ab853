// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck;
using FsCheck.Fluent;
using Numerics.Formats;

namespace Numerics.Testing;

/// <summary>
/// FsCheck 3 generators built on a format's own grid: the inputs where rounding goes wrong (ties, near-ties, subnormals,
/// boundaries, overflow thresholds, specials), which FsCheck's default float generator almost never produces.
/// </summary>
/// <remarks>
/// <para>
/// Each generator returns a <see cref="Gen{T}"/> of <see cref="TestDouble"/> (or <see cref="TestSingle"/> for the binary32
/// variants), whose <c>ToString</c> prints the bits. Turn one into an <see cref="Arbitrary{T}"/> with shrinking toward simpler bit
/// patterns with <see cref="ToArbitrary(Gen{TestDouble})"/>. The generators read only the format's descriptive properties, never
/// its conversion code.
/// </para>
/// <para>
/// Grid points are drawn from every binade, with extra weight on the lowest (zero and subnormals) and the highest (up to the
/// largest finite value), and fractions with extra weight on 0, 1 and the largest allowed.
/// </para>
/// </remarks>
public static partial class FloatGen
{
    private const ulong CanonicalNaNBits = 0x7FF8_0000_0000_0000UL;

    /// <summary>Values of the format (finite, both signs where the format has them; no −0 in the fnuz formats).</summary>
    /// <param name="format">The format.</param>
    /// <returns>A generator of representable values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    public static Gen<TestDouble> Representable(FloatFormat format)
    {
        FormatGrid grid = new(format);
        return from magnitude in GridPoint(grid)
               from negative in Sign(format)
               select new TestDouble(Signed(magnitude, negative && (magnitude != 0 || format.HasNegativeZero)));
    }

    /// <summary>
    /// Exact midpoints between adjacent values of the format, including 0 and the smallest subnormal (or 2^emin without
    /// subnormals), the largest finite value and the next grid point beyond it (the overflow threshold), with both signs.
    /// </summary>
    /// <param name="format">The format; its precision must be at most 52 so that every midpoint is a double.</param>
    /// <returns>A generator of ties.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The precision of <paramref name="format"/> is above 52.</exception>
    public static Gen<TestDouble> Ties(FloatFormat format)
    {
        FormatGrid grid = TieGrid(format, single: false);
        return TieGen(grid).Select(t => new TestDouble(t));
    }

    /// <summary>
    /// Midpoints nudged by one binary64 ulp (3/5 of the draws) and by one binary32 ulp (2/5; two binary64 ulps where the midpoint is
    /// not a float) either way: the inputs that catch double rounding (through float) and off-by-one tie detection.
    /// </summary>
    /// <param name="format">The format; its precision must be at most 52.</param>
    /// <returns>A generator of near-ties.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The precision of <paramref name="format"/> is above 52.</exception>
    public static Gen<TestDouble> NearTies(FloatFormat format)
    {
        FormatGrid grid = TieGrid(format, single: false);
        return from t in TieGen(grid)
               from k in Gen.Frequency((3, Gen.Choose(0, 1)), (2, Gen.Choose(2, 3)))
               select new TestDouble(Nudge(t, k));

        static double Nudge(double t, int k)
        {
            bool isFloat = (double)(float)t == t && float.IsFinite((float)t);
            return k switch
            {
                0 => Math.BitIncrement(t),
                1 => Math.BitDecrement(t),
                2 when isFloat => MathF.BitIncrement((float)t),
                3 when isFloat => MathF.BitDecrement((float)t),
                2 => Math.BitIncrement(Math.BitIncrement(t)),
                _ => Math.BitDecrement(Math.BitDecrement(t)),
            };
        }
    }

    /// <summary>
    /// The boundaries of the format with both signs: ±0, the smallest subnormal and its half (a tie) and quarter, the largest
    /// subnormal, the smallest normal, the largest finite value, the overflow threshold and its binary64/binary32 neighbours, the next
    /// grid point beyond the maximum, twice the maximum, the extremes of binary64, ±∞, and NaNs with several payloads.
    /// </summary>
    /// <param name="format">The format.</param>
    /// <returns>A generator of edge values, weighted toward the exact ties at the boundaries.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    public static Gen<TestDouble> Edges(FloatFormat format)
    {
        FormatGrid grid = new(format);
        return from magnitude in EdgeMagnitudes(grid, single: false)
               from negative in Gen.Elements(false, true)
               select new TestDouble(Signed(magnitude, negative));
    }

    /// <summary>
    /// A mixture for checking a conversion to <paramref name="format"/>: 1/6 representable values, 1/4 ties, 1/4 near-ties and
    /// 1/3 edges (for precision above 52: half representable values, half edges).
    /// </summary>
    /// <param name="format">The format.</param>
    /// <returns>The mixed generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    public static Gen<TestDouble> Any(FloatFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format.Precision > 52
            ? Gen.Frequency((1, Representable(format)), (1, Edges(format)))
            : Gen.Frequency((2, Representable(format)), (3, Ties(format)), (3, NearTies(format)), (4, Edges(format)));
    }

    /// <summary>Wraps a generator in an <see cref="Arbitrary{T}"/> that shrinks toward simpler bit patterns (<see cref="Shrink(TestDouble)"/>).</summary>
    /// <param name="generator">The generator.</param>
    /// <returns>The arbitrary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null.</exception>
    public static Arbitrary<TestDouble> ToArbitrary(this Gen<TestDouble> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return Arb.From(generator, Shrink);
    }

    /// <summary>
    /// Simpler doubles to try when a property fails: +0, the value without its sign, the value with its low fraction bits
    /// cleared, and the value with its exponent one step closer to that of 1. Each candidate is strictly simpler in (sign,
    /// distance of the exponent from 1's, number of fraction bits), so shrinking terminates. NaNs shrink to the canonical quiet
    /// NaN; infinities do not shrink.
    /// </summary>
    /// <param name="value">The failing value.</param>
    /// <returns>The candidates, simplest first.</returns>
    public static IEnumerable<TestDouble> Shrink(TestDouble value)
    {
        ulong bits = value.Bits;
        if (double.IsNaN(value.Value))
        {
            if (bits != CanonicalNaNBits)
            {
                yield return new TestDouble(BitConverter.UInt64BitsToDouble(CanonicalNaNBits));
            }

            yield break;
        }

        if (double.IsInfinity(value.Value) || bits == 0)
        {
            yield break;
        }

        yield return new TestDouble(0.0);
        foreach (ulong candidate in ShrinkBits(bits, signMask: 1UL << 63, exponentShift: 52, exponentMask: 0x7FF, bias: 1023))
        {
            yield return new TestDouble(BitConverter.UInt64BitsToDouble(candidate));
        }
    }

    /// <summary>The shared bit-pattern shrinker for binary64 and binary32 (sign, then fraction bits, then exponent toward the bias).</summary>
    internal static IEnumerable<ulong> ShrinkBits(ulong bits, ulong signMask, int exponentShift, ulong exponentMask, ulong bias)
    {
        if ((bits & signMask) != 0)
        {
            yield return bits & ~signMask;
        }

        ulong fractionMask = (1UL << exponentShift) - 1;
        ulong fraction = bits & fractionMask;
        ulong upper = bits & ~fractionMask;

        // Keep only the k highest fraction bits, fewest first; skip repeats.
        ulong previous = ulong.MaxValue;
        for (int k = 0; k < exponentShift; k++)
        {
            ulong keep = fractionMask & ~((1UL << (exponentShift - k)) - 1);
            ulong truncated = fraction & keep;
            if (truncated == fraction)
            {
                break;
            }

            if (truncated != previous && (upper | truncated) != 0)
            {
                yield return upper | truncated;
            }

            previous = truncated;
        }

        // Move a normal exponent one step toward the bias (toward magnitude 1), staying normal and finite.
        ulong field = (bits >> exponentShift) & exponentMask;
        if (field != 0 && field != bias)
        {
            ulong next = field > bias ? field - 1 : field + 1;
            yield return (bits & ~(exponentMask << exponentShift)) | (next << exponentShift);
        }
    }

    private static double Signed(double magnitude, bool negative) => negative ? -magnitude : magnitude;

    private static Gen<bool> Sign(FloatFormat format) =>
        format.IsSigned ? Gen.Elements(false, true) : Gen.Constant(false);

    private static FormatGrid TieGrid(FloatFormat format, bool single)
    {
        ArgumentNullException.ThrowIfNull(format);
        int limit = single ? 23 : 52;
        if (format.Precision > limit)
        {
            throw new ArgumentException(
                $"The midpoints of {format} (precision {format.Precision}) are not {(single ? "floats" : "doubles")}: the precision must be at most {limit}.",
                nameof(format));
        }

        if (single)
        {
            RequireSingle(format);

            // The midpoints of the lowest binade are odd multiples of 2^(emin − p): floats only down to 2^−149.
            if (format.MinExponent - format.Precision < -149)
            {
                throw new ArgumentException(
                    $"The midpoints of {format} (odd multiples of 2^{format.MinExponent - format.Precision}) are not all floats: emin − p must be at least −149.",
                    nameof(format));
            }
        }

        return new FormatGrid(format);
    }

    /// <summary>Signed ties; unsigned formats get positive ties only.</summary>
    private static Gen<double> TieGen(FormatGrid grid) =>
        from magnitude in GridPoint(grid, ties: true)
        from negative in Sign(grid.Format)
        select Signed(grid.MidpointAbove(magnitude), negative);

    /// <summary>A non-negative grid magnitude up to the largest finite value, weighted toward the lowest and highest binades.</summary>
    /// <remarks>
    /// For ties in a format without zero (E8M0) the grid starts one binade up: like ml_dtypes, the oracle rounds with the smallest
    /// code playing zero, so the midpoints below 2^(emin+1) are not ties there (2^emin itself is the 0↔2^(emin+1) midpoint).
    /// </remarks>
    private static Gen<double> GridPoint(FormatGrid grid, bool ties = false)
    {
        int low = grid.LowestBinade + (ties && !grid.Format.HasZero ? 1 : 0);
        int high = grid.MaxExponent;
        Gen<int> binade = Gen.Frequency(
            (4, Gen.Choose(low, high)),
            (1, Gen.Choose(low, Math.Min(low + 1, high))),
            (1, Gen.Constant(high)));
        return from b in binade
               from fraction in Fraction(grid.MaxFraction(b))
               select grid.Value(b, fraction);
    }

    private static Gen<ulong> Fraction(ulong max) => Gen.Frequency(
        (3, UInt64UpTo(max)),
        (1, Gen.Elements(0UL, Math.Min(1UL, max), max, max == 0 ? 0 : max - 1)));

    private static Gen<ulong> UInt64UpTo(ulong max)
    {
        if (max <= int.MaxValue)
        {
            return Gen.Choose(0, (int)max).Select(i => (ulong)i);
        }

        Gen<ulong> chunk = Gen.Choose(0, 0xFFFF).Select(i => (ulong)i);
        return from a in chunk
               from b in chunk
               from c in chunk
               from d in chunk
               let r = (a << 48) | (b << 32) | (c << 16) | d
               select max == ulong.MaxValue ? r : r % (max + 1);
    }

    /// <summary>The exact ties at the format's boundaries: half the smallest value, the top of the subnormals, the overflow threshold.</summary>
    private static double[] BoundaryTies(FormatGrid grid)
    {
        FloatFormat f = grid.Format;
        List<double> ties = [];
        if (f.Precision <= 52)
        {
            ties.Add(grid.OverflowThreshold);
            ties.Add(grid.MidpointAbove(f.HasZero ? 0 : 2 * f.MinSubnormal));
            ties.Add(grid.MidpointAbove(f.MinNormal));
            if (f.HasSubnormals && f.MantissaBits > 0)
            {
                ties.Add(grid.MidpointAbove(f.MinNormal - grid.Quantum(0)));
            }
        }
        else
        {
            ties.Add(f.MaxFinite);
            ties.Add(f.MinSubnormal);
        }

        return [.. ties.Where(double.IsFinite).Distinct()];
    }

    /// <summary>
    /// Edge magnitudes in weighted families: the exact boundary ties (weight 5, of which 2 for the overflow threshold alone),
    /// underflow to zero (4), the overflow side (2), the small representable boundaries (2) and, for doubles, NaNs (1).
    /// </summary>
    private static Gen<double> EdgeMagnitudes(FormatGrid grid, bool single)
    {
        FloatFormat f = grid.Format;
        double minSub = f.MinSubnormal;
        double threshold = grid.OverflowThreshold;
        List<double> underflow = [0.0, minSub / 4, minSub / 2, Math.BitDecrement(minSub / 2), single ? float.Epsilon : double.Epsilon];
        List<double> overflow = [f.MaxFinite, grid.NextBeyondMax, 2 * f.MaxFinite, double.PositiveInfinity];
        List<double> small = [minSub, minSub * 0.75, minSub * 1.5, f.MinNormal, f.MinNormal - grid.Quantum(0), 1.0];
        if (f.Precision <= 52)
        {
            overflow.AddRange([Math.BitIncrement(threshold), Math.BitDecrement(threshold)]);
            if ((double)(float)threshold == threshold)
            {
                overflow.AddRange([MathF.BitIncrement((float)threshold), MathF.BitDecrement((float)threshold)]);
            }
        }

        overflow.AddRange(single ? [float.MaxValue, 1e30] : [double.MaxValue, 1e300]);
        // The overflow threshold is the tie most often handled wrong (decided before rounding, or with >= instead of >): it
        // gets 2/5 of the boundary-tie family.
        double[] boundaryTies = Clean(BoundaryTies(grid));
        List<(int, Gen<double>)> families =
        [
            (3, Gen.Elements(boundaryTies)),
            (2, Gen.Elements(boundaryTies[0])),
            (4, Gen.Elements(Clean(underflow))),
            (2, Gen.Elements(Clean(overflow))),
            (2, Gen.Elements(Clean(small))),
        ];

        // NaN payloads do not survive a trip through double, so the binary32 variant adds its NaNs as floats itself.
        if (!single)
        {
            families.Add((1, Gen.Elements(NaNs())));
        }

        return Gen.Frequency(families);

        // In the binary32 variants every value is stored as a float (values that overflow float become ∞).
        double[] Clean(IEnumerable<double> values) =>
            [.. values.Select(v => single ? (double)(float)v : v).Where(v => v >= 0).Distinct()];
    }

    private static double[] NaNs() =>
    [
        BitConverter.UInt64BitsToDouble(CanonicalNaNBits),
        BitConverter.UInt64BitsToDouble(0x7FF0_0000_0000_0001UL),   // signalling, lowest payload
        BitConverter.UInt64BitsToDouble(0x7FFF_FFFF_FFFF_FFFFUL),   // all ones
        BitConverter.UInt64BitsToDouble(0x7FF8_0000_2000_0000UL),   // a payload that survives a float round trip
    ];

    private static void RequireSingle(FloatFormat format)
    {
        if (format.Precision > 24 || format.MinExponent - format.MantissaBits < -149 || format.MaxExponent > 127)
        {
            throw new ArgumentException($"The values of {format} are not all floats: use the double generators.", nameof(format));
        }
    }
}
