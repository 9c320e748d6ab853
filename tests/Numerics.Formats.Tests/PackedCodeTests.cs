// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats.Tests;

/// <summary>
/// Packed FP4/FP6 storage against an independent little-endian bit-stream writer and known byte layouts (FORMATS.md §1.7:
/// ONNX / torch float4_e2m1fn_x2 element 2i in the low nibble; ONNX float6 four values in three bytes, little-endian bit
/// order), and the vectorized stochastic code spans against the scalar Encode.
/// </summary>
public sealed class PackedCodeTests
{
    /// <summary>The oracle: element k occupies stream bits bits·k .. bits·k + bits − 1; byte j holds stream bits 8j .. 8j + 7.</summary>
    private static byte[] BitStream(byte[] codes, int bits)
    {
        var bytes = new byte[((codes.Length * bits) + 7) / 8];
        for (int k = 0; k < codes.Length; k++)
        {
            for (int b = 0; b < bits; b++)
            {
                int bit = (codes[k] >> b) & 1;
                int position = (k * bits) + b;
                bytes[position / 8] |= (byte)(bit << (position % 8));
            }
        }

        return bytes;
    }

    [Fact]
    public void Known_byte_layouts_from_the_spec()
    {
        // E2M1: 1.0 = 0.01.0 = 0x2, -0.5 = 1.00.1 = 0x9, 6.0 = 0.11.1 = 0x7, -0 = 0x8. Element 2i in the low nibble.
        FloatFormat fp4 = FloatFormat.E2M1FN;
        var packed = new byte[2];
        fp4.EncodePacked([1.0f, -0.5f, 6.0f], packed);
        Assert.Equal(new byte[] { 0x92, 0x07 }, packed);
        var values = new float[3];
        fp4.DecodePacked(packed, values);
        Assert.Equal(new[] { 1.0f, -0.5f, 6.0f }, values);

        // E2M3: 1.0 = 0.01.000 = 0x08, -7.5 = 1.11.111 = 0x3F, 0.125 = 0.00.001 = 0x01, -0 = 0x20:
        // stream = 0x08 | 0x3F << 6 | 0x01 << 12 | 0x20 << 18 = 0x801FC8 -> bytes C8 1F 80.
        FloatFormat fp6 = FloatFormat.E2M3FN;
        var packed6 = new byte[3];
        fp6.EncodePacked([1.0f, -7.5f, 0.125f, -0.0f], packed6);
        Assert.Equal(new byte[] { 0xC8, 0x1F, 0x80 }, packed6);
        var values6 = new float[4];
        fp6.DecodePacked(packed6, values6);
        Assert.Equal(new[] { 1.0f, -7.5f, 0.125f, -0.0f }, values6);
        Assert.True(float.IsNegative(values6[3]));

        // Five E3M2 values: 1.0 = 0.011.00 = 0x0C; the fifth code fills bits 0..5 of byte 3, the rest of that byte is zero.
        var packed5 = new byte[4];
        FloatFormat.E3M2FN.EncodePacked([1.0f, 1.0f, 1.0f, 1.0f, 1.0f], packed5);
        Assert.Equal(BitStream([0x0C, 0x0C, 0x0C, 0x0C, 0x0C], 6), packed5);
        Assert.Equal(0x0C, packed5[3]);
    }

    public static TheoryData<string> PackedFormats => ["float4_e2m1fn", "float6_e2m3fn", "float6_e3m2fn"];

    [Theory]
    [MemberData(nameof(PackedFormats))]
    public void Encode_packed_equals_the_bit_stream_of_the_unpacked_codes_in_every_mode(string name)
    {
        FloatFormat f = GoldenFiles.Preset(name);
        var random = new Random(name.Length);
        foreach (int length in Enumerable.Range(0, 70).Concat([511, 512, 513, 1500]))
        {
            var x = new float[length];
            for (int i = 0; i < length; i++)
            {
                x[i] = random.Next(20) == 0 ? BitConverter.UInt32BitsToSingle((uint)random.NextInt64()) : (float)((random.NextDouble() - 0.5) * f.MaxFinite * 2.4);
            }

            foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
            {
                var codes = new byte[length];
                for (int i = 0; i < length; i++)
                {
                    codes[i] = (byte)f.Encode(x[i], mode, OverflowMode.Saturating, mode >= RoundingMode.Stochastic ? StochasticRounding.RandomBits(9, i) : 0);
                }

                var packed = new byte[f.PackedByteCount(length)];
                f.EncodePacked(x, packed, mode, OverflowMode.Saturating, 9);
                Assert.Equal(BitStream(codes, f.BitCount), packed);

                var decoded = new float[length];
                f.DecodePacked(packed, decoded);
                for (int i = 0; i < length; i++)
                {
                    Assert.Equal(BitConverter.DoubleToUInt64Bits(f.Decode(codes[i])), BitConverter.DoubleToUInt64Bits(decoded[i]));
                }
            }
        }
    }

    [Fact]
    public void Pack_and_unpack_round_trip_every_code_sequence()
    {
        var random = new Random(4);
        foreach (int bits in new[] { 4, 6 })
        {
            foreach (int length in Enumerable.Range(0, 100).Concat([1000, 1027]))
            {
                var codes = new byte[length];
                for (int i = 0; i < length; i++)
                {
                    codes[i] = (byte)random.Next(1 << bits);
                }

                var packed = new byte[((length * bits) + 7) / 8];
                var back = new byte[length];
                if (bits == 4)
                {
                    FloatFormat.Pack4(codes, packed);
                    Assert.Equal(BitStream(codes, 4), packed);
                    FloatFormat.Unpack4(packed, back);
                }
                else
                {
                    FloatFormat.Pack6(codes, packed);
                    Assert.Equal(BitStream(codes, 6), packed);
                    FloatFormat.Unpack6(packed, back);
                }

                Assert.Equal(codes, back);
            }
        }
    }

    [Fact]
    public void Packing_ignores_the_bits_above_the_code_width()
    {
        // The packers mask each code (scalar and vector loops alike): a byte with garbage above bit 3 (FP4) or bit 5 (FP6)
        // packs as its low bits. Lengths cover the 16- and 32-code vector steps, their tails and partial last bytes.
        var random = new Random(6);
        foreach (int bits in new[] { 4, 6 })
        {
            foreach (int length in Enumerable.Range(0, 80).Concat([255, 256, 257, 1027]))
            {
                var codes = new byte[length];
                random.NextBytes(codes);
                byte[] masked = [.. codes.Select(c => (byte)(c & ((1 << bits) - 1)))];
                var packed = new byte[((length * bits) + 7) / 8];
                if (bits == 4)
                {
                    FloatFormat.Pack4(codes, packed);
                }
                else
                {
                    FloatFormat.Pack6(codes, packed);
                }

                Assert.Equal(BitStream(masked, bits), packed);
            }
        }
    }

    [Fact]
    public void Packed_spans_are_checked()
    {
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => FloatFormat.E2M1FN.EncodePacked(new float[3], new byte[1])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => FloatFormat.E4M3FN.EncodePacked(new float[2], new byte[2])).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => FloatFormat.E3M2FN.DecodePacked(new byte[4], new float[4])).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.E3M2FN.PackedByteCount(-1)).ParamName);
        Assert.Equal(4, FloatFormat.E3M2FN.PackedByteCount(5));
        Assert.Equal(3, FloatFormat.E2M1FN.PackedByteCount(5));
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MaxValue - 1)]
    [InlineData((long.MaxValue / 4) + 1)]
    [InlineData((long.MaxValue / 6) + 3)]
    [InlineData(1L << 62)]
    public void Packed_byte_count_is_exact_for_counts_whose_bit_count_overflows_a_long(long count)
    {
        // ceil(count · bits / 8) in BigInteger; count · bits used to wrap (PackedByteCount(long.MaxValue) of FP4 gave 0). A byte
        // count beyond long.MaxValue (formats wider than 8 bits) is an argument error, not a wrapped count.
        foreach (FloatFormat f in new[] { FloatFormat.E2M1FN, FloatFormat.E3M2FN, FloatFormat.E2M3FN, FloatFormat.E4M3FN, FloatFormat.TensorFloat32, FloatFormat.BFloat16, FloatFormat.Binary64 })
        {
            System.Numerics.BigInteger expected = ((new System.Numerics.BigInteger(count) * f.BitCount) + 7) / 8;
            if (expected <= long.MaxValue)
            {
                Assert.Equal((long)expected, f.PackedByteCount(count));
            }
            else
            {
                Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => f.PackedByteCount(count)).ParamName);
            }
        }
    }

    [Fact]
    public void Packed_byte_count_reaches_long_max_value_exactly()
    {
        Assert.Equal(long.MaxValue - 7, FloatFormat.Binary64.PackedByteCount(long.MaxValue / 8));
        Assert.Equal(long.MaxValue / 2 + 1, FloatFormat.E2M1FN.PackedByteCount(long.MaxValue));
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.Binary64.PackedByteCount((long.MaxValue / 8) + 1)).ParamName);
    }

    public static TheoryData<string> CodeFormats => ["float8_e4m3fn", "float8_e5m2fnuz", "bfloat16", "binary16", "float6_e3m2fn", "float4_e2m1fn", "float8_e4m3"];

    [Theory]
    [MemberData(nameof(CodeFormats))]
    public void Stochastic_code_spans_match_the_scalar_encode_for_any_first_index(string name)
    {
        FloatFormat f = GoldenFiles.Preset(name);
        var random = new Random(12);
        var x = new float[2051];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.Next(10) == 0 ? BitConverter.UInt32BitsToSingle((uint)random.NextInt64()) : (float)((random.NextDouble() - 0.5) * f.MaxFinite * 2.2);
        }

        foreach (RoundingMode mode in new[] { RoundingMode.Stochastic, RoundingMode.StochasticUniform })
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                const long First = 1L << 40;
                var expected = new ulong[x.Length];
                for (int i = 0; i < x.Length; i++)
                {
                    expected[i] = f.Encode(x[i], mode, overflow, StochasticRounding.RandomBits(21, First + i));
                }

                if (f.BitCount <= 8)
                {
                    var codes = new byte[x.Length];
                    f.Encode(x, codes, mode, overflow, 21, First);
                    Assert.Equal(expected, codes.Select(c => (ulong)c).ToArray());
                }
                else
                {
                    var codes = new ushort[x.Length];
                    f.Encode(x.AsSpan(0, 1000), codes.AsSpan(0, 1000), mode, overflow, 21, First);
                    f.Encode(x.AsSpan(1000), codes.AsSpan(1000), mode, overflow, 21, First + 1000);
                    Assert.Equal(expected, codes.Select(c => (ulong)c).ToArray());
                }
            }
        }
    }
}
