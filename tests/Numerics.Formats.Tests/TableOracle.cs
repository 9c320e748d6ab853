// Licensed under the MIT License. See LICENSE in the repository root.

using static Numerics.Formats.Tests.GoldenFiles;

namespace Numerics.Formats.Tests;

/// <summary>
/// An independent rounding oracle by brute-force neighbour search over a format's value table (STYLE-GUIDE §6.2). The tables come
/// from goldens/fp_decode_tables.csv (8/6/4-bit formats), from the hardware's own decoding (<see cref="Half"/>, binary32 bits for
/// bfloat16) or from a direct enumeration of m · 2^e for custom formats; none of it uses the code under test.
/// </summary>
/// <remarks>
/// The deterministic modes compare 2|x| with lo + hi. Every table value has at most 11 significant bits and the neighbours lie
/// within a factor of two of each other (or lo = 0), so lo + hi and 2|x| are exact doubles and the comparisons are exact for any
/// double input.
/// </remarks>
internal sealed class TableOracle
{
    private readonly double[] _values;   // non-negative finite values, ascending; index = code of the positive value
    private readonly double _beyond;     // the next grid value above the max with an unbounded exponent

    private TableOracle(FloatFormat format, double[] values, double beyond)
    {
        Format = format;
        _values = values;
        _beyond = beyond;
    }

    public FloatFormat Format { get; }

    public double Max => _values[^1];

    public static TableOracle FromGoldens(string name)
    {
        FloatFormat f = Preset(name);
        double[] values = Rows("fp_decode_tables.csv")
            .Where(r => r[0] == name && r[3] == "0" && r[6] is "zero" or "subnormal" or "normal")
            .Select(r => (Code: Hex(r[2]), Value: HexFloat(r[7])))
            .OrderBy(t => t.Code)
            .Select(t => t.Value)
            .ToArray();
        return new TableOracle(f, values, BeyondMax(f, values));
    }

    public static TableOracle BFloat16()
    {
        double[] values = Enumerable.Range(0, 0x7F80).Select(c => (double)BitConverter.Int32BitsToSingle(c << 16)).ToArray();
        return new TableOracle(FloatFormat.BFloat16, values, BeyondMax(FloatFormat.BFloat16, values));
    }

    public static TableOracle Binary16()
    {
        double[] values = Enumerable.Range(0, 0x7C00).Select(c => (double)BitConverter.UInt16BitsToHalf((ushort)c)).ToArray();
        return new TableOracle(FloatFormat.Binary16, values, BeyondMax(FloatFormat.Binary16, values));
    }

    /// <summary>All m · 2^e of the (p, emin, emax) model: 0, then subnormals (if any), then p-bit significands per binade.</summary>
    public static TableOracle Custom(int p, int emin, int emax, bool subnormals, bool infinity)
    {
        FloatFormat f = FloatFormat.Create(p, emin, emax, subnormals, infinity);
        List<double> values = [0.0];
        int step = 1 << (p - 1);
        for (int m = 1; subnormals && m < step; m++)
        {
            values.Add(Math.ScaleB(m, emin - (p - 1)));
        }

        for (int e = emin; e <= emax; e++)
        {
            for (int m = step; m < 2 * step; m++)
            {
                values.Add(Math.ScaleB(m, e - (p - 1)));
            }
        }

        return new TableOracle(f, [.. values], Math.ScaleB(2 * step, emax - (p - 1)));
    }

    private static double BeyondMax(FloatFormat f, double[] values)
    {
        // One quantum of the top binade above the max: the code after the max with an unbounded exponent.
        double max = values[^1];
        double quantum = Math.ScaleB(1.0, Math.ILogB(max) - f.MantissaBits);
        return max + quantum;
    }

    /// <summary>The exact result of rounding <paramref name="x"/> (deterministic modes), as FORMATS.md §1.3 and goldens/README.md define it.</summary>
    public double Round(double x, RoundingMode mode, OverflowMode overflow)
    {
        bool negative = double.IsNegative(x);
        FloatFormat f = Format;
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (double.IsInfinity(x))
        {
            double inf = overflow == OverflowMode.SaturatingFinite ? Max : f.HasInfinity ? double.PositiveInfinity : f.HasNaN ? double.NaN : Max;
            return negative ? -inf : inf;
        }

        double a = Math.Abs(x);
        int i = Array.BinarySearch(_values, a);
        double r;
        if (i >= 0)
        {
            r = _values[i];
        }
        else
        {
            int hiIndex = ~i;
            int loIndex = hiIndex - 1;
            double lo = _values[loIndex];
            double hi = hiIndex < _values.Length ? _values[hiIndex] : _beyond;

            // Evenness is the parity of the last significand bit. In a table without subnormals index 1 is 2^emin (significand
            // 100…0, even) and index 0 is 0, which counts as even, so compare the significands rather than the indices.
            bool loEven = lo == 0 || IsEvenSignificand(lo);
            int cmp = (2 * a).CompareTo(lo + hi);
            r = mode switch
            {
                RoundingMode.NearestEven => cmp < 0 ? lo : cmp > 0 ? hi : loEven ? lo : hi,
                RoundingMode.NearestAway => cmp < 0 ? lo : hi,
                RoundingMode.NearestTowardZero => cmp > 0 ? hi : lo,
                RoundingMode.TowardZero => lo,
                RoundingMode.TowardPositive => negative ? lo : hi,
                RoundingMode.TowardNegative => negative ? hi : lo,
                RoundingMode.ToOdd => loEven ? hi : lo,
                _ => throw new ArgumentOutOfRangeException(nameof(mode)),
            };
        }

        if (r > Max)
        {
            bool towardZero = mode is RoundingMode.TowardZero or RoundingMode.ToOdd
                || (mode == RoundingMode.TowardPositive && negative) || (mode == RoundingMode.TowardNegative && !negative);
            r = towardZero || overflow != OverflowMode.NonSaturating ? Max
                : f.HasInfinity ? double.PositiveInfinity : f.HasNaN ? double.NaN : Max;
        }

        if (r == 0 && !f.HasNegativeZero)
        {
            return 0.0;
        }

        return negative ? -r : r;
    }

    private bool IsEvenSignificand(double v)
    {
        // v = s · 2^k with s an integer of at most p bits at the grid's quantum; the quantum is 2^max(ilogb(v), emin) / 2^(p-1).
        int p = Format.Precision;
        int binade = Math.Max(Math.ILogB(v), Format.MinExponent);
        double s = Math.ScaleB(v, p - 1 - binade);
        return s % 2 == 0;
    }
}
