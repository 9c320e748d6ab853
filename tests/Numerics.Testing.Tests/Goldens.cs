// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Formats;

namespace Numerics.Testing.Tests;

/// <summary>Reads the golden CSV files copied from ../shared/goldens and maps their format and mode names.</summary>
internal static class Goldens
{
    public static IEnumerable<Dictionary<string, string>> Read(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Goldens", file);
        using StreamReader reader = new(path);
        string[] header = reader.ReadLine()!.Split(',');
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            Assert.Equal(header.Length, cells.Length);
            Dictionary<string, string> row = new(header.Length);
            for (int i = 0; i < header.Length; i++)
            {
                row[header[i]] = cells[i];
            }

            yield return row;
        }
    }

    public static ulong Hex(string s) => ulong.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static double F32(string hex) => BitConverter.UInt32BitsToSingle((uint)Hex(hex));

    public static double F64(string hex) => BitConverter.UInt64BitsToDouble(Hex(hex));

    /// <summary>A preset by its ml_dtypes name (fp_decode_tables.csv, fp_encode_goldens.csv).</summary>
    public static FloatFormat Preset(string name) => FloatFormat.Presets.Single(f => f.Name == name);

    /// <summary>The CPFloat formats of goldens/README.md's table, with the overflow policy the table gives each.</summary>
    public static (FloatFormat Format, OverflowMode Overflow) CpFloat(string name) => name switch
    {
        "binary16" => (FloatFormat.Create(11, -14, 15), OverflowMode.NonSaturating),
        "bfloat16" => (FloatFormat.Create(8, -126, 127), OverflowMode.NonSaturating),
        "bfloat16ftz" => (FloatFormat.Create(8, -126, 127, subnormals: false), OverflowMode.NonSaturating),
        "tf32" => (FloatFormat.Create(11, -126, 127), OverflowMode.NonSaturating),
        "e4m3" => (FloatFormat.Create(4, -6, 8, infinity: false), OverflowMode.NonSaturating),
        "e4m3sat" => (FloatFormat.Create(4, -6, 8, infinity: false), OverflowMode.SaturatingFinite),
        "e5m2" => (FloatFormat.Create(3, -14, 15), OverflowMode.NonSaturating),
        "p7e31ftz" => (FloatFormat.Create(7, -30, 31, subnormals: false), OverflowMode.NonSaturating),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown CPFloat format."),
    };

    public static RoundingMode Mode(string name) => name switch
    {
        "RNE" => RoundingMode.NearestEven,
        "RNA" => RoundingMode.NearestAway,
        "RNZ" => RoundingMode.NearestTowardZero,
        "RU" => RoundingMode.TowardPositive,
        "RD" => RoundingMode.TowardNegative,
        "RZ" => RoundingMode.TowardZero,
        "RO" => RoundingMode.ToOdd,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown CPFloat mode."),
    };

    /// <summary>Asserts that no row failed, printing up to 20 failures.</summary>
    public static void AssertNoFailures(int rows, List<string> failures, int expectedMinimumRows)
    {
        Assert.True(rows >= expectedMinimumRows, $"only {rows} rows read (expected at least {expectedMinimumRows})");
        Assert.True(failures.Count == 0, $"{failures.Count} of {rows} rows disagree:\n{string.Join('\n', failures.Take(20))}");
    }
}
