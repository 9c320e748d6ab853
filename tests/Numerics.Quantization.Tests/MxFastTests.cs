// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization.Tests;

/// <summary>
/// The fast MX paths (round-to-nearest-even element codecs at every width, table decoding, vectorized E2M1 decoding) give
/// exactly the bits of the general algorithm (every element through <see cref="FloatFormat.Encode(double, RoundingMode, OverflowMode, ulong)"/>,
/// double products rounded once), on random blocks and on edge blocks: zero and −0, NaN/∞, subnormals, tiny and huge amax,
/// exact element midpoints (ties) and their ulp neighbours, values in the clamped top binade.
/// </summary>
public sealed class MxFastTests
{
    private delegate void FastQuantizer(ReadOnlySpan<float> x, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding, int emax, float inverseMax);

    public static TheoryData<MxElement, MxScaleRounding> ElementsAndScales()
    {
        var data = new TheoryData<MxElement, MxScaleRounding>();
        foreach (MxElement e in Enum.GetValues<MxElement>())
        {
            data.Add(e, MxScaleRounding.Floor);
            data.Add(e, MxScaleRounding.Ceil);
        }

        return data;
    }

    private static FastQuantizer[] Widths<TCodec>()
        where TCodec : struct, IMxElementCodec =>
        [Mx.QuantizeFastScalar<TCodec>, Mx.QuantizeFast128<TCodec>, Mx.QuantizeFast256<TCodec>, Mx.QuantizeFast512<TCodec>, Mx.QuantizeFast<TCodec>];

    private static FastQuantizer[] Widths(MxElement element) => element switch
    {
        MxElement.E4M3 => Widths<MxFloatCodec<MxE4M3>>(),
        MxElement.E5M2 => Widths<MxFloatCodec<MxE5M2>>(),
        MxElement.E3M2 => Widths<MxFloatCodec<MxE3M2>>(),
        MxElement.E2M3 => Widths<MxFloatCodec<MxE2M3>>(),
        MxElement.E2M1 => Widths<MxFloatCodec<MxE2M1>>(),
        _ => Widths<MxInt8Codec>(),
    };

    /// <summary>Positive finite element values in increasing order (INT8: q/64).</summary>
    private static double[] Grid(MxElement element)
    {
        FloatFormat? f = Mx.ElementFormat(element);
        IEnumerable<double> values = f is null
            ? Enumerable.Range(0, 128).Select(q => q / 64.0)
            : Enumerable.Range(0, f.CodeCount).Select(c => f.Decode((ulong)c)).Where(v => double.IsFinite(v) && v >= 0);
        return values.Distinct().Order().ToArray();
    }

    private static float[] MxBlock(Random rng, MxElement element, double[] grid)
    {
        int kind = rng.Next(16);
        if (kind < 10)
        {
            return GgmlCodecSimdTests.EdgeBlock(rng, kind);
        }

        var x = new float[32];
        int k = rng.Next(-135, 120);
        switch (kind)
        {
            case 10: // NaN or ±∞ somewhere
                for (int j = 0; j < 32; j++)
                {
                    x[j] = (float)(rng.NextDouble() - 0.5);
                }

                x[rng.Next(32)] = rng.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
                break;
            case 11: // ties: midpoints of adjacent element values (and their ulp neighbours) at a pinned scale
            case 12:
                for (int j = 0; j < 32; j++)
                {
                    int i = rng.Next(grid.Length - 1);
                    float m = (float)Math.ScaleB((grid[i] + grid[i + 1]) / 2, k);
                    m = rng.Next(4) switch { 0 => MathF.BitDecrement(m), 1 => MathF.BitIncrement(m), _ => m };
                    x[j] = rng.Next(2) == 0 ? m : -m;
                }

                x[rng.Next(32)] = (float)Math.ScaleB(grid[^1] * (1 + rng.NextDouble()), k); // top binade, may exceed the max
                break;
            case 13: // exact element values
                for (int j = 0; j < 32; j++)
                {
                    float v = (float)Math.ScaleB(grid[rng.Next(grid.Length)], k);
                    x[j] = rng.Next(2) == 0 ? v : -v;
                }

                break;
            default: // random bits (finite)
                for (int j = 0; j < 32; j++)
                {
                    float v;
                    do
                    {
                        v = BitConverter.Int32BitsToSingle(rng.Next() ^ (rng.Next(2) << 31));
                    }
                    while (!float.IsFinite(v));
                    x[j] = v;
                }

                break;
        }

        return x;
    }

    [Theory]
    [MemberData(nameof(ElementsAndScales))]
    public void Quantize_every_width_matches_the_general_encoder(MxElement element, MxScaleRounding scaleRounding)
    {
        var rng = new Random(((int)element * 10) + (int)scaleRounding);
        double[] grid = Grid(element);
        int emax = Mx.ElementMaxExponent(element);
        float inverseMax = 1.0f / (float)Mx.ElementMax(element);
        for (int t = 0; t < 300; t++)
        {
            int nb = rng.Next(0, 6);
            var x = new float[nb * 32];
            for (int b = 0; b < nb; b++)
            {
                MxBlock(rng, element, grid).CopyTo(x, b * 32);
            }

            var expectedScales = new byte[nb];
            var expectedCodes = new byte[nb * 32];
            Mx.QuantizeReference(element, x, expectedScales, expectedCodes, scaleRounding, RoundingMode.NearestEven, 0);
            foreach (FastQuantizer q in Widths(element))
            {
                var scales = new byte[nb + 1];
                var codes = new byte[(nb * 32) + 1];
                scales[nb] = 0xEE;
                codes[nb * 32] = 0xEE;
                q(x, scales, codes, scaleRounding, emax, inverseMax);
                Assert.Equal(expectedScales, scales[..nb]);
                Assert.Equal(expectedCodes, codes[..(nb * 32)]);
                Assert.Equal(0xEE, scales[nb]);
                Assert.Equal(0xEE, codes[nb * 32]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ElementsAndScales))]
    public void Public_quantize_with_a_partial_block_matches_the_general_encoder(MxElement element, MxScaleRounding scaleRounding)
    {
        var rng = new Random(99 + (int)element);
        double[] grid = Grid(element);
        foreach (int n in new[] { 1, 31, 32, 33, 95, 200 })
        {
            var x = new float[n];
            for (int i = 0; i < n; i += 32)
            {
                MxBlock(rng, element, grid).AsSpan(0, Math.Min(32, n - i)).CopyTo(x.AsSpan(i));
            }

            var expectedScales = new byte[Mx.ScaleCount(n)];
            var expectedCodes = new byte[n];
            Mx.QuantizeReference(element, x, expectedScales, expectedCodes, scaleRounding, RoundingMode.NearestEven, 0);
            var scales = new byte[Mx.ScaleCount(n)];
            var codes = new byte[n];
            Mx.Quantize(element, x, scales, codes, scaleRounding);
            Assert.Equal(expectedScales, scales);
            Assert.Equal(expectedCodes, codes);
        }
    }

    [Theory]
    [MemberData(nameof(ElementsAndScales))]
    public void Every_code_at_every_scale_decodes_like_the_general_decoder(MxElement element, MxScaleRounding unused)
    {
        _ = unused;
        int codeCount = Mx.DecodeTable(element).Length;
        var codes = new byte[codeCount * 256];
        var scales = new byte[codes.Length / 32 + 1];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (byte)(i % codeCount);
        }

        // Each block of 32 gets a scale; cycle through all 256 scale bytes (including 0x00 and 0xFF) over the row.
        for (int b = 0; b < scales.Length; b++)
        {
            scales[b] = (byte)((b * 37) % 256);
        }

        var expected = new float[codes.Length];
        var actual = new float[codes.Length];
        Mx.DequantizeReference(element, scales, codes, expected);
        Mx.Dequantize(element, scales, codes, actual);
        Assert.Equal(expected.Select(Goldens.CanonicalBits), actual.Select(Goldens.CanonicalBits));
    }

    [Fact]
    public void E2M1_dequantize_every_width_matches_the_general_decoder()
    {
        var rng = new Random(1234);
        for (int t = 0; t < 200; t++)
        {
            int nb = rng.Next(0, 8);
            var codes = new byte[nb * 32];
            var scales = new byte[nb];
            for (int i = 0; i < codes.Length; i++)
            {
                codes[i] = (byte)rng.Next(16);
            }

            for (int b = 0; b < nb; b++)
            {
                scales[b] = rng.Next(4) switch { 0 => 0, 1 => 0xFF, 2 => (byte)rng.Next(0, 3), _ => (byte)rng.Next(256) };
            }

            var expected = new float[codes.Length];
            Mx.DequantizeReference(MxElement.E2M1, scales, codes, expected);
            foreach (Action<byte[], byte[], float[]> run in new Action<byte[], byte[], float[]>[]
            {
                (s, c, y) => Mx.DequantizeE2M1Blocks128(s, c, y, nb),
                (s, c, y) => Mx.DequantizeE2M1Blocks256(s, c, y, nb),
                (s, c, y) => Mx.DequantizeE2M1Blocks512(s, c, y, nb),
                (s, c, y) => Mx.DequantizeTable(Mx.DecodeTable(MxElement.E2M1), s, c, y, 0),
            })
            {
                var actual = new float[codes.Length + 2];
                actual[^1] = 42;
                actual[^2] = 42;
                run(scales, codes, actual);
                Assert.Equal(expected.Select(Goldens.CanonicalBits), actual[..codes.Length].Select(Goldens.CanonicalBits));
                Assert.Equal(42f, actual[^1]);
                Assert.Equal(42f, actual[^2]);
            }
        }
    }

    [Fact]
    public void Dequantize_still_names_the_first_code_that_does_not_fit()
    {
        var codes = new byte[40];
        codes[35] = 0x10;
        codes[39] = 0x20;
        var ex = Assert.Throws<ArgumentException>(() => Mx.Dequantize(MxElement.E2M1, new byte[2], codes, new float[40]));
        Assert.Equal("codes", ex.ParamName);
        Assert.Contains("codes[35]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ElementsAndScales))]
    public void Gather_decoding_matches_the_general_decoder(MxElement element, MxScaleRounding unused)
    {
        _ = unused;
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx2.IsSupported, "AVX2 gathers are not available on this tier");
        var rng = new Random(77 + (int)element);
        float[] table = Mx.DecodeTable(element);
        for (int t = 0; t < 100; t++)
        {
            int nb = rng.Next(0, 6);
            var codes = new byte[nb * 32];
            var scales = new byte[nb];
            for (int i = 0; i < codes.Length; i++)
            {
                codes[i] = (byte)rng.Next(table.Length);
            }

            for (int b = 0; b < nb; b++)
            {
                scales[b] = (byte)rng.Next(256);
            }

            var expected = new float[codes.Length];
            var actual = new float[codes.Length + 1];
            actual[^1] = 42;
            Mx.DequantizeReference(element, scales, codes, expected);
            Mx.DequantizeGatherAvx2(table, scales, codes, actual, nb);
            Assert.Equal(expected.Select(Goldens.CanonicalBits), actual[..codes.Length].Select(Goldens.CanonicalBits));
            Assert.Equal(42f, actual[^1]);
        }
    }

    public static TheoryData<MxElement> Fp8AndFp6() => [MxElement.E4M3, MxElement.E5M2, MxElement.E3M2, MxElement.E2M3];

    private static uint[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new uint[values.Length];
        for (int i = 0; i < bits.Length; i++)
        {
            bits[i] = BitConverter.SingleToUInt32Bits(values[i]);
        }

        return bits;
    }

    [Theory]
    [MemberData(nameof(Fp8AndFp6))]
    public void Every_FP8_and_FP6_table_value_is_a_bfloat16_with_the_sign_in_the_top_code_bit(MxElement element)
    {
        float[] table = Mx.DecodeTable(element);
        FloatFormat format = Mx.ElementFormat(element)!;
        Assert.Equal(1 << format.BitCount, table.Length);
        int signBit = 1 << (format.BitCount - 1);
        Assert.Equal(0u, BitConverter.SingleToUInt32Bits(table[0]));
        for (int c = 0; c < table.Length; c++)
        {
            uint bits = BitConverter.SingleToUInt32Bits(table[c]);
            Assert.True((bits & 0xFFFF) == 0, $"{element} code 0x{c:X2}: 0x{bits:X8} is not a bfloat16");
            uint magnitude = BitConverter.SingleToUInt32Bits(table[c & (signBit - 1)]);
            Assert.Equal((c & signBit) != 0 ? magnitude | 0x8000_0000u : magnitude, bits);
        }

        // The NaN and infinity codes are in the tables as the scalar path reads them.
        switch (element)
        {
            case MxElement.E4M3:
                Assert.Equal(2, table.Count(float.IsNaN));
                Assert.True(float.IsNaN(table[0x7F]) && float.IsNaN(table[0xFF]));
                break;
            case MxElement.E5M2:
                Assert.Equal(6, table.Count(float.IsNaN));
                Assert.Equal(float.PositiveInfinity, table[0x7C]);
                Assert.Equal(float.NegativeInfinity, table[0xFC]);
                break;
            default:
                Assert.All(table, v => Assert.True(float.IsFinite(v)));
                break;
        }

        // The permute path's words are the tables' high halves (FP8: the 128 magnitudes).
        ushort[] words = Mx.Bfloat16Table(element)!;
        Assert.NotNull(words);
        Assert.Equal(Math.Min(table.Length, 128), words.Length);
        for (int c = 0; c < words.Length; c++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits(table[c]), (uint)words[c] << 16);
        }
    }

    [Theory]
    [MemberData(nameof(Fp8AndFp6))]
    public void Permute_decoding_of_every_byte_at_every_scale_has_the_table_paths_bits(MxElement element)
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx512BW.IsSupported, "AVX-512BW permutes are not available on this tier");
        float[] table = Mx.DecodeTable(element);

        // Every byte value (FP6: bytes above 63 too, which both paths read modulo 64) under every scale byte 0x00-0xFF.
        var rng = new Random(500 + (int)element);
        int nb = 256 * 16;
        var codes = new byte[nb * 32];
        var scales = new byte[nb];
        for (int b = 0; b < nb; b++)
        {
            scales[b] = (byte)(b / 16);
        }

        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = i % 512 < 256 ? (byte)i : (byte)rng.Next(256); // per scale: 8 blocks of every byte in order, 8 random
        }

        var expected = new float[codes.Length];
        Mx.DequantizeTable(table, scales, codes, expected, 0);
        var actual = new float[codes.Length + 1];
        actual[^1] = 42;
        Mx.DequantizePermuteAvx512(element, scales, codes, actual, nb);
        Assert.Equal(Bits(expected), Bits(actual.AsSpan(0, codes.Length)));
        Assert.Equal(42f, actual[^1]);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void Int8_decoding_of_every_byte_at_every_scale_has_the_table_paths_bits(int width)
    {
        float[] table = Mx.DecodeTable(MxElement.Int8);
        int nb = 256 * 8;
        var codes = new byte[nb * 32];
        var scales = new byte[nb];
        for (int b = 0; b < nb; b++)
        {
            scales[b] = (byte)(b / 8); // every scale byte, NaN (0xFF) included
        }

        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (byte)i; // every byte, 8 blocks per scale
        }

        var expected = new float[codes.Length];
        Mx.DequantizeTable(table, scales, codes, expected, 0);
        var actual = new float[codes.Length + 1];
        actual[^1] = 42;
        Mx.DequantizeInt8Blocks(scales, codes, actual.AsSpan(0, codes.Length), nb, width);
        Assert.Equal(Bits(expected), Bits(actual.AsSpan(0, codes.Length)));
        Assert.Equal(42f, actual[^1]);
    }

    [Fact]
    public void Public_int8_dequantize_with_partial_blocks_has_the_table_paths_bits()
    {
        float[] table = Mx.DecodeTable(MxElement.Int8);
        var rng = new Random(700);
        foreach (int n in new[] { 0, 1, 31, 32, 33, 95, 1000, 4097 })
        {
            var codes = new byte[n];
            var scales = new byte[Mx.ScaleCount(n)];
            rng.NextBytes(codes);
            for (int i = 0; i < n; i++)
            {
                codes[i] = codes[i] == 0x80 ? (byte)0x81 : codes[i]; // −128 is outside MXINT8's ±127
            }

            rng.NextBytes(scales);
            var expected = new float[n];
            Mx.DequantizeTable(table, scales, codes, expected, 0);
            var actual = new float[n];
            Mx.Dequantize(MxElement.Int8, scales, codes, actual);
            Assert.Equal(Bits(expected), Bits(actual));
        }
    }

    [Theory]
    [MemberData(nameof(Fp8AndFp6))]
    public void Public_dequantize_with_partial_blocks_has_the_table_paths_bits(MxElement element)
    {
        float[] table = Mx.DecodeTable(element);
        var rng = new Random(600 + (int)element);
        byte[] pinned = [0, 1, 127, 254, 255];
        foreach (int n in new[] { 0, 1, 31, 32, 33, 95, 200, 1000, 4097 })
        {
            var codes = new byte[n];
            var scales = new byte[Mx.ScaleCount(n)];
            for (int i = 0; i < n; i++)
            {
                codes[i] = (byte)rng.Next(table.Length);
            }

            for (int b = 0; b < scales.Length; b++)
            {
                scales[b] = b < pinned.Length ? pinned[b] : rng.Next(3) == 0 ? pinned[rng.Next(pinned.Length)] : (byte)rng.Next(256);
            }

            var expected = new float[n];
            Mx.DequantizeTable(table, scales, codes, expected, 0);
            var actual = new float[n + 1];
            actual[^1] = 42;
            Mx.Dequantize(element, scales, codes, actual);
            Assert.Equal(Bits(expected), Bits(actual.AsSpan(0, n)));
            Assert.Equal(42f, actual[^1]);
        }
    }
}
