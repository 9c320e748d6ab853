// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Quantization.Tests;

/// <summary>Reads the golden CSV files copied from ../shared/goldens (see Goldens/README in the shared folder).</summary>
internal static class Goldens
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Goldens", file);

    /// <summary>Rows of a CSV file as header-name → value dictionaries.</summary>
    public static IReadOnlyList<Dictionary<string, string>> Read(string file)
    {
        string[] lines = File.ReadAllLines(PathOf(file));
        string[] header = lines[0].Split(',');
        var rows = new List<Dictionary<string, string>>(lines.Length - 1);
        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Length; i++)
            {
                row[header[i]] = i < cells.Length ? cells[i] : string.Empty;
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Raw bytes from a hex string (memory order).</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    /// <summary>float32 values from concatenated 8-digit most-significant-first bit patterns.</summary>
    public static float[] Floats(string hex)
    {
        var result = new float[hex.Length / 8];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = BitConverter.UInt32BitsToSingle(uint.Parse(hex.AsSpan(8 * i, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }

        return result;
    }

    private static readonly Lazy<Dictionary<int, (string Category, float[] Values)>> s_ggmlInputs = new(() =>
        Read("ggml_inputs.csv").ToDictionary(
            r => int.Parse(r["row_id"], CultureInfo.InvariantCulture),
            r => (r["category"], Floats(r["floats_hex"]))));

    /// <summary>The 256-value input rows of the ggml goldens by row id.</summary>
    public static Dictionary<int, (string Category, float[] Values)> GgmlInputs => s_ggmlInputs.Value;

    /// <summary>Bits of a float for exact comparison; every NaN maps to one value (goldens only require "some NaN").</summary>
    public static uint CanonicalBits(float f) => float.IsNaN(f) ? 0x7FC0_0000u : BitConverter.SingleToUInt32Bits(f);
}
