// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Formats;

namespace Numerics.Quantization.Tests;

/// <summary>Exact agreement with mx_block_goldens.csv: scale and element codes, both scale roundings, both element roundings.</summary>
public sealed class MxGoldenTests
{
    private static readonly Lazy<IReadOnlyList<Dictionary<string, string>>> s_rows = new(() => Goldens.Read("mx_block_goldens.csv"));

    internal static MxElement ElementOf(string format) => format switch
    {
        "mxfp8_e4m3" => MxElement.E4M3,
        "mxfp8_e5m2" => MxElement.E5M2,
        "mxfp6_e3m2" => MxElement.E3M2,
        "mxfp6_e2m3" => MxElement.E2M3,
        "mxfp4_e2m1" => MxElement.E2M1,
        "mxint8" => MxElement.Int8,
        _ => throw new ArgumentException(format, nameof(format)),
    };

    public static TheoryData<string, string, string> Groups()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var g in s_rows.Value.Select(r => (r["format"], r["scale_mode"], r["rounding"])).Distinct())
        {
            data.Add(g.Item1, g.Item2, g.Item3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Quantize_matches_golden_blocks(string format, string scaleMode, string rounding)
    {
        MxElement element = ElementOf(format);
        MxScaleRounding scaleRounding = scaleMode switch { "floor" => MxScaleRounding.Floor, "rceil" => MxScaleRounding.Ceil, _ => throw new ArgumentException(scaleMode) };
        RoundingMode elementRounding = rounding switch { "rne" => RoundingMode.NearestEven, "rna" => RoundingMode.NearestAway, _ => throw new ArgumentException(rounding) };
        int checkedBlocks = 0;
        foreach (Dictionary<string, string> row in s_rows.Value.Where(r => r["format"] == format && r["scale_mode"] == scaleMode && r["rounding"] == rounding))
        {
            float[] input = Goldens.Floats(row["inputs_f32_hex"]);
            Assert.Equal(Mx.BlockSize, input.Length);
            var scales = new byte[1];
            var codes = new byte[32];
            Mx.Quantize(element, input, scales, codes, scaleRounding, elementRounding);
            string id = $"{format},{scaleMode},{rounding} block {row["block_id"]} ({row["category"]})";
            Assert.True(row["scale_e8m0_hex"] == scales[0].ToString("x2", CultureInfo.InvariantCulture), $"{id}: scale expected {row["scale_e8m0_hex"]} got {scales[0]:x2}");
            string expectedCodes = row["elem_codes_hex"];
            if (expectedCodes.All(c => c == 'x'))
            {
                Assert.Equal(Mx.NaNScale, scales[0]); // codes unspecified: only the NaN scale is checked
            }
            else
            {
                string actualCodes = Convert.ToHexString(codes).ToLowerInvariant();
                Assert.True(expectedCodes == actualCodes, $"{id}:\n expected {expectedCodes}\n actual   {actualCodes}");
            }

            checkedBlocks++;
        }

        Assert.True(checkedBlocks > 0);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Dequantize_of_golden_codes_is_scale_times_element(string format, string scaleMode, string rounding)
    {
        // Independent decode: element values from the Formats layer's exact decode (fp_decode_tables.csv-checked) or q/64,
        // times 2^(scale-127), computed with BigInteger-free double scaling (exact for these magnitudes) and rounded once.
        MxElement element = ElementOf(format);
        FloatFormat? f = Mx.ElementFormat(element);
        foreach (Dictionary<string, string> row in s_rows.Value.Where(r => r["format"] == format && r["scale_mode"] == scaleMode && r["rounding"] == rounding))
        {
            byte scale = Convert.FromHexString(row["scale_e8m0_hex"])[0];
            if (row["elem_codes_hex"].Contains('x', StringComparison.Ordinal))
            {
                var nan = new float[32];
                Mx.Dequantize(element, [scale], new byte[32], nan);
                Assert.All(nan, v => Assert.True(float.IsNaN(v)));
                continue;
            }

            byte[] codes = Convert.FromHexString(row["elem_codes_hex"]);
            var actual = new float[32];
            Mx.Dequantize(element, [scale], codes, actual);
            for (int i = 0; i < 32; i++)
            {
                double e = f is null ? (sbyte)codes[i] / 64.0 : f.Decode(codes[i]);
                float expected = (float)(e * Math.Pow(2, scale - 127));
                Assert.Equal(Goldens.CanonicalBits(expected), Goldens.CanonicalBits(actual[i]));
            }
        }
    }
}
