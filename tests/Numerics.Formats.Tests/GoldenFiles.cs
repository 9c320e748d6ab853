// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Formats.Tests;

/// <summary>Reads the golden CSV copies in Goldens/ and parses their hex notations (goldens/README.md, "Conventions").</summary>
internal static class GoldenFiles
{
    public static IEnumerable<string[]> Rows(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Goldens", file);
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','));
    }

    public static ulong Hex(string s) => ulong.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static float F32(string hex) => BitConverter.UInt32BitsToSingle((uint)Hex(hex));

    public static double F64(string hex) => BitConverter.UInt64BitsToDouble(Hex(hex));

    /// <summary>Parses Python's float.hex() notation exactly ("-0x1.8000000000000p-9", "inf", "-inf", "nan").</summary>
    public static double HexFloat(string s)
    {
        switch (s)
        {
            case "inf": return double.PositiveInfinity;
            case "-inf": return double.NegativeInfinity;
            case "nan": return double.NaN;
        }

        bool negative = s.StartsWith('-');
        string body = negative ? s[3..] : s[2..];           // strip "-0x" / "0x"
        int p = body.IndexOf('p', StringComparison.Ordinal);
        int exponent = int.Parse(body[(p + 1)..], CultureInfo.InvariantCulture);
        string[] parts = body[..p].Split('.');
        string fraction = parts.Length > 1 ? parts[1] : string.Empty;
        ulong mantissa = ulong.Parse(parts[0] + fraction, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        double magnitude = Math.ScaleB((double)mantissa, exponent - (4 * fraction.Length)); // at most 53 bits: exact
        return negative ? -magnitude : magnitude;
    }

    public static FloatFormat Preset(string name) => FloatFormat.Presets.Single(f => f.Name == name);

    /// <summary>Bitwise equality, except that any NaN equals any NaN (goldens compare NaN-ness, not payloads).</summary>
    public static bool SameDouble(double expected, double actual) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : BitConverter.DoubleToUInt64Bits(expected) == BitConverter.DoubleToUInt64Bits(actual);

    public static void AssertNoFailures(List<string> failures, int checkedCount)
    {
        Assert.True(checkedCount > 0, "no golden rows were checked");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} golden rows differ; first ones:\n" + string.Join("\n", failures.Take(25)));
    }

    public static string Bits(double x) => $"{x:R} (0x{BitConverter.DoubleToUInt64Bits(x):X16})";
}
