// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Formats;

namespace Numerics.Testing.Tests;

/// <summary>The oracle against every row of the deterministic golden vectors (../shared/goldens, independent references).</summary>
public sealed class GoldenOracleTests
{
    [Fact]
    public void Decode_matches_every_code_of_fp_decode_tables()
    {
        List<string> failures = [];
        int rows = 0;
        foreach (Dictionary<string, string> row in Goldens.Read("fp_decode_tables.csv"))
        {
            rows++;
            FloatFormat format = Goldens.Preset(row["format"]);
            ulong code = Goldens.Hex(row["code_hex"]);
            double actual = ExactRounding.Decode(code, format);
            string cls = row["class"];
            bool ok = cls switch
            {
                "nan" => double.IsNaN(actual),
                "inf" => double.IsInfinity(actual) && double.IsNegative(actual) == (row["sign"] == "1"),
                _ => BitConverter.DoubleToUInt64Bits(actual) == BitConverter.DoubleToUInt64Bits(ParseHexFloat(row["value_hexfloat"])),
            };
            if (!ok)
            {
                failures.Add($"{row["format"]} code {row["code_hex"]}: expected {row["value_hexfloat"]} ({cls}), got {actual:R}");
            }
        }

        Goldens.AssertNoFailures(rows, failures, 2192);
    }

    [Fact]
    public void Encode_matches_every_row_of_fp_encode_goldens_under_all_three_overflow_modes()
    {
        List<string> failures = [];
        int rows = 0;
        foreach (Dictionary<string, string> row in Goldens.Read("fp_encode_goldens.csv"))
        {
            rows++;
            FloatFormat format = Goldens.Preset(row["format"]);
            double input = Goldens.F32(row["input_f32_hex"]);
            bool bf16 = format.Name == "bfloat16";
            Check(row, format, input, OverflowMode.NonSaturating, row["ml_nonsat"], failures);

            // goldens/README.md: the bfloat16 reference has no saturating conversion, so its ml_sat column repeats ml_nonsat;
            // a saturating encoder gives the satfinite code for finite inputs and keeps Inf/NaN.
            string sat = bf16 && double.IsFinite(input) ? row["satfinite"] : row["ml_sat"];
            Check(row, format, input, OverflowMode.Saturating, sat, failures);
            Check(row, format, input, OverflowMode.SaturatingFinite, row["satfinite"], failures);
        }

        Goldens.AssertNoFailures(rows, failures, 4930);

        static void Check(Dictionary<string, string> row, FloatFormat format, double input, OverflowMode overflow, string expectedHex, List<string> failures)
        {
            ulong expected = Goldens.Hex(expectedHex);
            ulong actual = ExactRounding.Encode(input, format, RoundingMode.NearestEven, overflow);

            // "A NaN result only has to be some NaN": compare NaN codes as a class.
            bool ok = actual == expected
                || (double.IsNaN(ExactRounding.Decode(expected, format)) && double.IsNaN(ExactRounding.Decode(actual, format)));

            // Round must agree with Encode followed by Decode.
            double rounded = ExactRounding.Round(input, format, RoundingMode.NearestEven, overflow);
            double decoded = ExactRounding.Decode(expected, format);
            ok &= double.IsNaN(decoded) ? double.IsNaN(rounded) : BitConverter.DoubleToUInt64Bits(rounded) == BitConverter.DoubleToUInt64Bits(decoded);
            if (!ok)
            {
                failures.Add($"{row["format"]} {row["tag"]} {row["input_f32_hex"]} {overflow}: expected {expectedHex}, got {actual:x2} (Round {rounded:R})");
            }
        }
    }

    [Fact]
    public void Encode_from_double_matches_direct_rne_of_f64_double_rounding()
    {
        List<string> failures = [];
        int rows = 0;
        foreach (Dictionary<string, string> row in Goldens.Read("f64_double_rounding.csv"))
        {
            rows++;
            FloatFormat format = Goldens.Preset(row["format"]);
            double input = Goldens.F64(row["input_f64_hex"]);
            ulong expected = Goldens.Hex(row["direct_rne"]);
            ulong actual = ExactRounding.Encode(input, format, RoundingMode.NearestEven, OverflowMode.NonSaturating);
            if (actual != expected)
            {
                failures.Add($"{row["format"]} {row["input_f64_hex"]}: expected {row["direct_rne"]}, got {actual:x2}");
            }

            // The file's point: going through float32 first gives via_f32_rne, which the oracle must reproduce from the float.
            ulong via = ExactRounding.Encode(Goldens.F32(row["via_f32_hex"]), format, RoundingMode.NearestEven, OverflowMode.NonSaturating);
            if (via != Goldens.Hex(row["via_f32_rne"]))
            {
                failures.Add($"{row["format"]} via f32 {row["via_f32_hex"]}: expected {row["via_f32_rne"]}, got {via:x2}");
            }
        }

        Goldens.AssertNoFailures(rows, failures, 84);
    }

    [Theory]
    [InlineData("cpfloat_f64.csv", 33445)]
    [InlineData("cpfloat_f32.csv", 16897)]
    public void Round_matches_every_row_of_cpfloat(string file, int expectedRows)
    {
        List<string> failures = [];
        int rows = 0;
        bool f32 = file.Contains("f32", StringComparison.Ordinal);
        foreach (Dictionary<string, string> row in Goldens.Read(file))
        {
            rows++;
            (FloatFormat format, OverflowMode overflow) = Goldens.CpFloat(row["format"]);
            string? failure = CheckStored(f32, format, Goldens.Mode(row["mode"]), overflow, row["input_hex"], row["output_hex"]);
            if (failure is not null)
            {
                failures.Add($"{row["format"]} {row["mode"]} {failure}");
            }
        }

        Goldens.AssertNoFailures(rows, failures, expectedRows);
    }

    [Fact]
    public void Round_matches_the_reference_column_of_cpfloat_deviations()
    {
        List<string> failures = [];
        int rows = 0;
        foreach (Dictionary<string, string> row in Goldens.Read("cpfloat_deviations.csv"))
        {
            rows++;
            (FloatFormat format, OverflowMode overflow) = Goldens.CpFloat(row["format"]);
            string? failure = CheckStored(row["storage"] == "f32", format, Goldens.Mode(row["mode"]), overflow, row["input_hex"], row["reference_output_hex"]);
            if (failure is not null)
            {
                failures.Add($"{row["storage"]} {row["format"]} {row["mode"]} {row["category"]} {failure}");
            }
        }

        Goldens.AssertNoFailures(rows, failures, 576);
    }

    [Fact]
    public void Round_matches_the_ocp_column_of_e4m3_cpfloat_vs_ocp()
    {
        List<string> failures = [];
        int rows = 0;
        foreach (Dictionary<string, string> row in Goldens.Read("e4m3_cpfloat_vs_ocp.csv"))
        {
            rows++;
            OverflowMode overflow = row["format"] switch
            {
                "e4m3" => OverflowMode.NonSaturating,
                "e4m3sat" => OverflowMode.SaturatingFinite,
                _ => throw new InvalidDataException(row["format"]),
            };
            string? failure = CheckStored(row["storage"] == "f32", FloatFormat.E4M3FN, Goldens.Mode(row["mode"]), overflow, row["input_hex"], row["ocp_reference_hex"]);
            if (failure is not null)
            {
                failures.Add($"{row["storage"]} {row["format"]} {row["mode"]} {failure}");
            }
        }

        Goldens.AssertNoFailures(rows, failures, 1331);
    }

    /// <summary>Rounds a stored input and compares with the stored output bit for bit ("nan" or a NaN pattern: any NaN).</summary>
    private static string? CheckStored(bool f32, FloatFormat format, RoundingMode mode, OverflowMode overflow, string inputHex, string outputHex)
    {
        double input = f32 ? Goldens.F32(inputHex) : Goldens.F64(inputHex);
        double rounded = ExactRounding.Round(input, format, mode, overflow);
        bool expectNaN = outputHex == "nan" || double.IsNaN(f32 ? Goldens.F32(outputHex) : Goldens.F64(outputHex));
        bool ok;
        string got;
        if (f32)
        {
            float stored = (float)rounded;
            ok = expectNaN ? float.IsNaN(stored) : BitConverter.SingleToUInt32Bits(stored) == (uint)Goldens.Hex(outputHex);
            got = BitConverter.SingleToUInt32Bits(stored).ToString("x8", CultureInfo.InvariantCulture);

            // The float32 store must be exact: every value of these formats is a float.
            ok &= double.IsNaN(rounded) || (double)stored == rounded;
        }
        else
        {
            ok = expectNaN ? double.IsNaN(rounded) : BitConverter.DoubleToUInt64Bits(rounded) == Goldens.Hex(outputHex);
            got = BitConverter.DoubleToUInt64Bits(rounded).ToString("x16", CultureInfo.InvariantCulture);
        }

        return ok ? null : $"{inputHex}: expected {outputHex}, got {got}";
    }

    /// <summary>Parses Python's float.hex() notation exactly ("0x1.8p-9", "-0x0.0p+0"), independently of the oracle.</summary>
    internal static double ParseHexFloat(string s)
    {
        bool negative = s.StartsWith('-');
        string body = negative ? s[1..] : s;
        Assert.StartsWith("0x", body, StringComparison.Ordinal);
        int p = body.IndexOf('p', StringComparison.Ordinal);
        string mantissa = body[2..p];
        int exponent = int.Parse(body[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string[] parts = mantissa.Split('.');
        string digits = parts[0] + (parts.Length > 1 ? parts[1] : string.Empty);
        int fractionDigits = parts.Length > 1 ? parts[1].Length : 0;
        System.Numerics.BigInteger m = System.Numerics.BigInteger.Parse("0" + digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        // value = m · 2^(exponent − 4·fractionDigits); m has at most 53 significant bits here, so the double is exact.
        int scale = exponent - (4 * fractionDigits);
        while (!m.IsZero && m.IsEven)
        {
            m >>= 1;
            scale++;
        }

        Assert.True(m.GetBitLength() <= 53, $"{s} is not a double");
        double value = Math.ScaleB((double)m, scale);
        return negative ? -value : value;
    }
}
