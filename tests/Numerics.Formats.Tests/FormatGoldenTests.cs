// Licensed under the MIT License. See LICENSE in the repository root.

using static Numerics.Formats.Tests.GoldenFiles;

namespace Numerics.Formats.Tests;

/// <summary>Decode, Encode and Round against goldens/fp_decode_tables.csv, fp_encode_goldens.csv and f64_double_rounding.csv.</summary>
public sealed class FormatGoldenTests
{
    [Fact]
    public void Decode_matches_every_code_of_fp_decode_tables()
    {
        List<string> failures = [];
        int n = 0;
        foreach (string[] r in Rows("fp_decode_tables.csv"))
        {
            // format,bits,code_hex,sign,exp_field,mant_field,class,value_hexfloat,value_decimal
            FloatFormat f = Preset(r[0]);
            Assert.Equal(int.Parse(r[1]), f.BitCount);
            ulong code = Hex(r[2]);
            double expected = HexFloat(r[7]);
            double actual = f.Decode(code);
            n++;
            if (!SameDouble(expected, actual) || (r[6] == "nan") != double.IsNaN(actual) || (r[6] == "inf") != double.IsInfinity(actual))
            {
                failures.Add($"{r[0]} code {r[2]}: expected {r[7]} ({r[6]}), got {Bits(actual)}");
            }
        }

        AssertNoFailures(failures, n);
        Assert.Equal(2192, n); // 11 formats: 9 × 256 - 2 × 256 + 2 × 64 + 16 rows
    }

    [Fact]
    public void Decode_then_encode_round_trips_every_non_nan_code()
    {
        List<string> failures = [];
        int n = 0;
        foreach (string[] r in Rows("fp_decode_tables.csv"))
        {
            FloatFormat f = Preset(r[0]);
            ulong code = Hex(r[2]);
            double value = f.Decode(code);
            if (double.IsNaN(value))
            {
                continue;
            }

            foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
            {
                foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
                {
                    // Exactly representable values never change, in any mode (±∞ stays ±∞ unless satfinite).
                    if (double.IsInfinity(value) && overflow == OverflowMode.SaturatingFinite)
                    {
                        continue;
                    }

                    n++;
                    ulong back = f.Encode(value, mode, overflow, 0x9E37_79B9_7F4A_7C15);
                    if (back != code)
                    {
                        failures.Add($"{r[0]} code {r[2]} = {Bits(value)}, {mode}/{overflow}: encoded as {back:x2}");
                    }
                }
            }
        }

        AssertNoFailures(failures, n);
    }

    [Fact]
    public void Encode_matches_fp_encode_goldens_under_every_overflow_policy()
    {
        List<string> failures = [];
        int n = 0;
        foreach (string[] r in Rows("fp_encode_goldens.csv"))
        {
            // format,input_f32_hex,input_hexfloat,tag,ml_nonsat,ml_sat,satfinite,torch,value_ml_nonsat
            FloatFormat f = Preset(r[0]);
            float x = F32(r[1]);
            ulong nonsat = Hex(r[4]);
            ulong satfinite = Hex(r[6]);

            // bfloat16's reference has no saturating mode, so its ml_sat column repeats ml_nonsat: a saturating encoder gives the
            // satfinite code for finite inputs and keeps ±∞ (goldens/README.md).
            ulong sat = r[0] == "bfloat16" && !float.IsInfinity(x) && !float.IsNaN(x) ? satfinite : Hex(r[5]);
            Check(OverflowMode.NonSaturating, nonsat);
            Check(OverflowMode.Saturating, sat);
            Check(OverflowMode.SaturatingFinite, satfinite);

            void Check(OverflowMode overflow, ulong expected)
            {
                n++;
                ulong actual = f.Encode(x, RoundingMode.NearestEven, overflow);
                if (actual != expected)
                {
                    failures.Add($"{r[0]} {r[1]} ({r[3]}) {overflow}: expected {expected:x2}, got {actual:x2}");
                }
            }
        }

        AssertNoFailures(failures, n);
    }

    [Fact]
    public void Round_equals_the_decoded_golden_code_for_non_nan_inputs()
    {
        List<string> failures = [];
        int n = 0;
        foreach (string[] r in Rows("fp_encode_goldens.csv"))
        {
            FloatFormat f = Preset(r[0]);
            float x = F32(r[1]);
            n++;
            double expected = r[0] == "bfloat16" ? f.Decode(Hex(r[4])) : HexFloat(r[8]);
            double actual = f.Round(x);
            if (!SameDouble(expected, actual))
            {
                failures.Add($"{r[0]} {r[1]} ({r[3]}): expected {Bits(expected)}, got {Bits(actual)}");
            }
        }

        AssertNoFailures(failures, n);
    }

    [Fact]
    public void Encode_from_double_rounds_once_as_f64_double_rounding_direct_rne()
    {
        List<string> failures = [];
        int n = 0;
        int differFromViaFloat = 0;
        foreach (string[] r in Rows("f64_double_rounding.csv"))
        {
            // format,input_f64_hex,input_hexfloat,direct_rne,via_f32_rne,via_f32_hex
            FloatFormat f = Preset(r[0]);
            double x = F64(r[1]);
            n++;
            ulong actual = f.Encode(x);
            if (actual != Hex(r[3]))
            {
                failures.Add($"{r[0]} {r[1]}: expected {r[3]}, got {actual:x2}");
            }

            if (r[3] != r[4])
            {
                differFromViaFloat++;

                // Rounding through float32 first (the numpy path) gives the via_f32 code: double rounding is a real difference.
                Assert.Equal(Hex(r[4]), f.Encode((float)x));
            }
        }

        AssertNoFailures(failures, n);
        Assert.Equal(42, differFromViaFloat); // the published half of the file: 84 rows, 42 of which double-round differently
    }

    [Theory]
    [InlineData("float8_e4m3fn", 464.0, 0x7E)]                 // tie at the threshold goes to 448 (even mantissa 110)
    [InlineData("float8_e4m3fn", 464.00000000000006, 0x7F)]    // anything above 464 overflows to NaN
    [InlineData("float8_e5m2", 61440.0, 0x7C)]                 // tie goes to the odd max's even neighbour: overflow to ∞
    [InlineData("float8_e5m2", 61439.999999999993, 0x7B)]
    [InlineData("float8_e4m3fnuz", -1e-30, 0x00)]              // negative underflow gives +0: 0x80 is NaN
    [InlineData("float8_e8m0fnu", 1.5, 0x80)]                  // E8M0 ties round up: 1.5 -> 2
    [InlineData("float8_e8m0fnu", 1.4999999999999998, 0x7F)]
    public void Encode_pitfalls_of_FORMATS_section_5(string format, double x, ulong code) =>
        Assert.Equal(code, Preset(format).Encode(x));

    [Fact]
    public void Decode_rejects_codes_wider_than_the_format()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.E2M1FN.Decode(16));
        Assert.Equal("code", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.E4M3FN.Decode(256));
        Assert.Equal(448.0, FloatFormat.E4M3FN.Decode(0x7E));
    }

    [Fact]
    public void Modes_out_of_range_are_rejected_naming_the_parameter()
    {
        Assert.Equal("rounding", Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.E4M3FN.Round(1, (RoundingMode)9)).ParamName);
        Assert.Equal("overflow", Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.E4M3FN.Encode(1, RoundingMode.NearestEven, (OverflowMode)3)).ParamName);
    }
}
