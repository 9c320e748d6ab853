// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Formats;

namespace Numerics.Quantization.Tests;

/// <summary>Integer quantizers: int goldens, error bound, idempotence, special groups, granularity, packing, validation.</summary>
public sealed class IntegerQuantizerTests
{
    /// <summary>Slack for the single float32 rounding of (code − z)·scale: half an ulp of the result, bounded by 2^-24·(|x| + scale).</summary>
    private const double ProductRoundingSlack = 1.0 / (1 << 23);

    [Theory]
    [InlineData("rne_clamp", RoundingMode.NearestEven)]
    [InlineData("rha_clamp", RoundingMode.NearestAway)]
    public void EncodeElement_matches_int_goldens(string column, RoundingMode rounding)
    {
        foreach (Dictionary<string, string> row in Goldens.Read("int_encode_goldens.csv"))
        {
            (int bits, bool signed) = row["format"] switch
            {
                "int4" => (4, true),
                "uint4" => (4, false),
                "int2" => (2, true),
                "uint2" => (2, false),
                string f => throw new InvalidOperationException(f),
            };
            float x = BitConverter.UInt32BitsToSingle(uint.Parse(row["input_f32_hex"], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            int expected = int.Parse(row[column], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.True(expected == IntegerQuantizer.EncodeElement(x, bits, signed, rounding), $"{row["format"]} {row["input_repr"]}: expected {expected:x}");
        }
    }

    public static TheoryData<int, bool, bool, QuantizationGranularity, int> Configurations()
    {
        var data = new TheoryData<int, bool, bool, QuantizationGranularity, int>();
        foreach (int bits in new[] { 2, 3, 4, 8 })
        {
            foreach (bool signed in new[] { true, false })
            {
                foreach (bool symmetric in new[] { true, false })
                {
                    data.Add(bits, signed, symmetric, QuantizationGranularity.PerTensor, 1);
                    data.Add(bits, signed, symmetric, QuantizationGranularity.PerChannel, 0);
                    data.Add(bits, signed, symmetric, QuantizationGranularity.PerGroup, 1);
                }
            }
        }

        data.Add(4, true, true, QuantizationGranularity.PerChannel, 1);
        data.Add(4, false, false, QuantizationGranularity.PerGroup, 0);
        return data;
    }

    private static float[] Matrix(Random rng, int rows, int cols)
    {
        var x = new float[rows * cols];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2) - 1) * (1 + (i % 7));
            if (rng.Next(50) == 0)
            {
                x[i] *= 100; // outliers
            }
        }

        return x;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Dequantized_values_are_within_half_a_step_and_requantizing_is_idempotent(int bits, bool isSigned, bool symmetric, QuantizationGranularity granularity, int axis)
    {
        var rng = new Random((bits * 31) + (isSigned ? 7 : 0) + (symmetric ? 3 : 0) + ((int)granularity * 100) + axis);
        var options = new IntegerQuantizationOptions { Bits = bits, IsSigned = isSigned, Symmetric = symmetric, Granularity = granularity, Axis = axis, GroupSize = 16 };
        foreach ((int rows, int cols) in new[] { (1, 1), (3, 5), (7, 40), (17, 33) })
        {
            float[] x = Matrix(rng, rows, cols);
            QuantizedTensor q = IntegerQuantizer.Quantize(x, rows, cols, options);
            float[] y = q.ToFloat();
            (int qmin, int qmax) = isSigned ? (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) : (0, (1 << bits) - 1);
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    int k = (r * cols) + c;
                    int g = q.GroupIndex(r, c);
                    double scale = q.Scales.Span[g];
                    int code = q.GetCode(r, c);
                    Assert.InRange(code, qmin, qmax);
                    Assert.Equal((float)((code - q.ZeroPoints.Span[g]) * scale), y[k]);

                    // Symmetric codes span ±(2^(b-1) - 1) steps around the zero point, which fits both code ranges, so every
                    // value of the group's range is within half a step.
                    double bound = (scale / 2) + (ProductRoundingSlack * (Math.Abs(x[k]) + scale));
                    Assert.True(Math.Abs(y[k] - x[k]) <= bound, $"({r},{c}) x {x[k]:R} -> {y[k]:R}, scale {scale:R}");
                }
            }

            // Idempotence: the dequantized matrix re-quantizes to the same codes and zero points. Its scales are recomputed from
            // float32 products, so they (and the values) may move by float32 rounding only.
            QuantizedTensor q2 = IntegerQuantizer.Quantize(y, rows, cols, options);
            Assert.Equal(q.Data.ToArray(), q2.Data.ToArray());
            Assert.Equal(q.ZeroPoints.ToArray(), q2.ZeroPoints.ToArray());
            float[] y2 = q2.ToFloat();
            for (int k = 0; k < y.Length; k++)
            {
                Assert.True(Math.Abs(y2[k] - y[k]) <= 4 * ProductRoundingSlack * Math.Abs(y[k]), $"{k}: {y[k]:R} -> {y2[k]:R}");
            }
        }
    }

    [Fact]
    public void Zero_constant_and_outlier_groups()
    {
        var zero = IntegerQuantizer.Quantize(new float[64], 1, 64, IntegerQuantizationOptions.Int4PerGroup128 with { GroupSize = 32 });
        Assert.All(zero.ToFloat(), v => Assert.Equal(0f, v));
        Assert.Equal(new float[] { 0, 0 }, zero.Scales.ToArray());

        float[] constant = Enumerable.Repeat(2.5f, 32).ToArray();
        var c8 = IntegerQuantizer.Quantize(constant, 1, 32, new IntegerQuantizationOptions { Bits = 8, Symmetric = false, IsSigned = false });
        Assert.All(c8.ToFloat(), v => Assert.Equal(2.5f, v, 2.5f / 255 / 2)); // range [0, 2.5]: 2.5 is the top code
        var cs = IntegerQuantizer.Quantize(constant, 1, 32);
        Assert.All(cs.ToFloat(), v => Assert.Equal(2.5f, v)); // symmetric: 2.5 = 127 * (2.5/127) up to one float rounding... exactly here
        Assert.Equal(127, cs.GetCode(0, 0));

        var outlier = new float[32];
        outlier[5] = 1000;
        outlier[6] = 1;
        var o = IntegerQuantizer.Quantize(outlier, 1, 32, new IntegerQuantizationOptions { Bits = 4 });
        Assert.Equal(1000f, o.ToFloat()[5]);
        Assert.Equal(0f, o.ToFloat()[6]); // 1 is below half a step (1000/7/2), flushed by the outlier
    }

    [Fact]
    public void Packing_is_little_endian_bit_stream()
    {
        // scale 1 (amax 7), codes -7..: INT4 element 2i low nibble, 2i+1 high nibble.
        var q = IntegerQuantizer.Quantize([7, -1, 2, -7], 1, 4, new IntegerQuantizationOptions { Bits = 4 });
        Assert.Equal(new byte[] { 0xF7, 0x92 }, q.Data.ToArray());
        var q2 = IntegerQuantizer.Quantize([1, -1, 0, 1, -1], 1, 5, new IntegerQuantizationOptions { Bits = 2 });
        Assert.Equal(new byte[] { 0b01_00_11_01, 0b11 }, q2.Data.ToArray());
        var q3 = IntegerQuantizer.Quantize([3, 1, 2, 0, 0, 0, 0, -3], 1, 8, new IntegerQuantizationOptions { Bits = 3 });
        Assert.Equal(3, q3.Data.Length); // 8 codes x 3 bits
        Assert.Equal(new[] { 3, 1, 2, 0, 0, 0, 0, -3 }, Enumerable.Range(0, 8).Select(c => q3.GetCode(0, c)));
    }

    [Fact]
    public void Granularity_layouts()
    {
        float[] x = Enumerable.Range(0, 12).Select(i => (float)(i + 1)).ToArray(); // 3 x 4
        var perRow = IntegerQuantizer.Quantize(x, 3, 4, new IntegerQuantizationOptions { Granularity = QuantizationGranularity.PerChannel, Axis = 0 });
        Assert.Equal(new[] { 4f / 127, 8f / 127, 12f / 127 }, perRow.Scales.ToArray());
        var perCol = IntegerQuantizer.Quantize(x, 3, 4, new IntegerQuantizationOptions { Granularity = QuantizationGranularity.PerChannel, Axis = 1 });
        Assert.Equal(new[] { 9f / 127, 10f / 127, 11f / 127, 12f / 127 }, perCol.Scales.ToArray());
        var groups = IntegerQuantizer.Quantize(x, 3, 4, new IntegerQuantizationOptions { Granularity = QuantizationGranularity.PerGroup, GroupSize = 3 });
        Assert.Equal(6, groups.Scales.Length); // ceil(4/3) = 2 groups per row
        Assert.Equal(new[] { 3f / 127, 4f / 127, 7f / 127, 8f / 127, 11f / 127, 12f / 127 }, groups.Scales.ToArray());
        Assert.Equal(3, groups.GroupIndex(1, 3));
    }

    [Fact]
    public void Stochastic_rounding_is_seeded_and_unbiased_on_average()
    {
        float[] x = Enumerable.Repeat(0.25f, 4096).Append(1f).ToArray(); // scale 1/127: 0.25 -> 31.75 steps
        var o = new IntegerQuantizationOptions { Rounding = RoundingMode.Stochastic, Seed = 11 };
        QuantizedTensor a = IntegerQuantizer.Quantize(x, 1, x.Length, o);
        QuantizedTensor b = IntegerQuantizer.Quantize(x, 1, x.Length, o);
        Assert.Equal(a.Data.ToArray(), b.Data.ToArray());
        double mean = Enumerable.Range(0, 4096).Average(c => a.GetCode(0, c));
        Assert.All(Enumerable.Range(0, 4096), c => Assert.InRange(a.GetCode(0, c), 31, 32));
        Assert.InRange(mean, 31.70, 31.80); // expectation 31.75; sd of the mean = sqrt(0.1875/4096) = 0.0068
    }

    [Fact]
    public void Non_finite_input_throws_naming_the_index()
    {
        var x = new float[10];
        x[7] = float.NaN;
        ArgumentException e = Assert.Throws<ArgumentException>(() => IntegerQuantizer.Quantize(x, 2, 5));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("data[7]", e.Message, StringComparison.Ordinal);
        x[7] = 0;
        x[2] = float.NegativeInfinity;
        Assert.Contains("data[2]", Assert.Throws<ArgumentException>(() => IntegerQuantizer.Quantize(x, 2, 5)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_arguments_throw()
    {
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => IntegerQuantizer.Quantize(new float[5], 2, 3)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.Quantize(new float[6], 2, 3, new IntegerQuantizationOptions { Bits = 5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.Quantize(new float[6], 2, 3, new IntegerQuantizationOptions { Axis = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.Quantize(new float[6], 2, 3, new IntegerQuantizationOptions { GroupSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.Quantize(new float[6], -2, -3));
        QuantizedTensor q = IntegerQuantizer.Quantize(new float[6], 2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => q.GetCode(2, 0));
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => q.Dequantize(new float[5])).ParamName);
    }

    [Fact]
    public void EncodeElement_rejects_stochastic_rounding_and_names_its_own_parameters()
    {
        // The doc asks for a deterministic mode and there is no seed: a stochastic mode used to be accepted and rounded every
        // fraction away from zero (random bits 0), and invalid arguments named "options", which EncodeElement does not have.
        Assert.Equal("bits", Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.EncodeElement(1.5f, 5, true)).ParamName);
        Assert.Equal("bits", Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.EncodeElement(1.5f, 1, false)).ParamName);
        foreach (RoundingMode mode in new[] { RoundingMode.Stochastic, RoundingMode.StochasticUniform, (RoundingMode)42 })
        {
            Assert.Equal("rounding", Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.EncodeElement(1.25f, 4, true, mode)).ParamName);
        }

        Assert.Equal(1, IntegerQuantizer.EncodeElement(1.25f, 4, true, RoundingMode.TowardZero));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue - 2)]
    public void Group_size_beyond_the_matrix_is_one_group_per_row_or_column(int groupSize)
    {
        // A group longer than the row (axis 1) or the column (axis 0) covers it whole. Group sizes near int.MaxValue used to
        // overflow the group count (0 or negative: IndexOutOfRangeException or OverflowException).
        const int Rows = 3, Columns = 5;
        float[] x = Enumerable.Range(0, Rows * Columns).Select(i => (float)((i * 7 % 11) - 5) * 0.37f).ToArray();
        foreach (int axis in new[] { 0, 1 })
        {
            var o = new IntegerQuantizationOptions { Bits = 8, Granularity = QuantizationGranularity.PerGroup, Axis = axis, GroupSize = groupSize };
            int groups = axis == 1 ? Rows : Columns;
            Assert.Equal(groups, IntegerQuantizer.GroupCount(Rows, Columns, o));
            QuantizedTensor q = IntegerQuantizer.Quantize(x, Rows, Columns, o);
            Assert.Equal(groups, q.Scales.Length);
            for (int g = 0; g < groups; g++)
            {
                // Symmetric INT8: scale = amax / 127 of the whole row (axis 1) or column (axis 0), computed in double.
                double amax = 0;
                for (int i = 0; i < (axis == 1 ? Columns : Rows); i++)
                {
                    amax = Math.Max(amax, Math.Abs(axis == 1 ? x[(g * Columns) + i] : x[(i * Columns) + g]));
                }

                Assert.Equal((float)(amax / 127), q.Scales.Span[g]);
            }

            ScaledFloatTensor s = ScaledFloatQuantizer.Quantize(x, Rows, Columns, new ScaledFloatOptions { Granularity = QuantizationGranularity.PerGroup, Axis = axis, GroupSize = groupSize });
            Assert.Equal(groups, s.Scales.Length);
        }
    }

    [Fact]
    public void GroupCount_never_wraps_around()
    {
        var perGroup = new IntegerQuantizationOptions { Granularity = QuantizationGranularity.PerGroup, GroupSize = 128 };
        Assert.Equal(16_777_216, IntegerQuantizer.GroupCount(1, int.MaxValue, perGroup)); // ceil((2^31 - 1) / 128) = 2^24
        var single = new IntegerQuantizationOptions { Granularity = QuantizationGranularity.PerGroup, GroupSize = 1 };
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.GroupCount(100_000, 100_000, single)); // 10^10 groups
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void Codes_past_2_to_31_bits_are_read_back(int bits)
    {
        // Code i sits at bit i·bits: from 2^31 / bits codes on, i·bits overflowed an int and GetCode threw
        // IndexOutOfRangeException. The tensor wraps an uninitialised array (the pages are never touched but the last ones).
        int columns = (int)((1L << 31) / bits) + 2;
        byte[] data = GC.AllocateUninitializedArray<byte>((int)((((long)columns * bits) + 7) / 8));
        int last = columns - 1, previous = columns - 2;
        if (bits == 8)
        {
            data[previous] = 0x07;
            data[last] = 0x85;
        }
        else
        {
            data[previous / 2] = 0x97; // previous is even: low nibble 7; last = previous + 1: high nibble 9 (−7 signed)
        }

        var tensor = new QuantizedTensor(1, columns, new IntegerQuantizationOptions { Bits = bits }, data, [1f], [0]);
        Assert.Equal(7, tensor.GetCode(0, previous));
        Assert.Equal(bits == 8 ? -123 : -7, tensor.GetCode(0, last));
    }
}
