// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization.Tests;

/// <summary>
/// The vectorized Q4_0 and MXFP4 block codecs give the scalar reference's bytes and floats at every width (an unaccelerated
/// width runs in software with the same results), on random blocks and on edge blocks: all zero, −0 only, ± ties of the max,
/// single outliers, subnormals, tiny amax (1/d overflows), huge values near float.MaxValue, exact E2M1 midpoints and their
/// neighbours, and amax one ulp below a power of two (where ggml's float32 log2 rounds up).
/// </summary>
public sealed class GgmlCodecSimdTests
{
    private delegate void Quantizer(ReadOnlySpan<float> x, Span<byte> y);

    private delegate void Dequantizer(ReadOnlySpan<byte> x, Span<float> y);

    private static readonly float[] Mxfp4Midpoints = [0.25f, 0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f, 2f, 2.5f, 3f, 3.5f, 4f, 5f, 6f];

    /// <summary>One edge or random block of 32 values, by kind.</summary>
    internal static float[] EdgeBlock(Random rng, int kind)
    {
        var x = new float[32];
        float Uniform() => (float)((rng.NextDouble() * 2) - 1);
        switch (kind)
        {
            case 0: // all +0
                break;
            case 1: // −0 only, and a mix of ±0
                for (int j = 0; j < 32; j++)
                {
                    x[j] = (j % 3 == 0) ? 0f : -0f;
                }

                break;
            case 2: // ± ties of the max magnitude: the first one wins in ggml
                for (int j = 0; j < 32; j++)
                {
                    x[j] = Uniform();
                }

                x[rng.Next(32)] = rng.Next(2) == 0 ? 1.5f : -1.5f;
                x[rng.Next(32)] = -1.5f;
                x[rng.Next(32)] = 1.5f;
                break;
            case 3: // single outlier
                for (int j = 0; j < 32; j++)
                {
                    x[j] = Uniform() * 1e-3f;
                }

                x[rng.Next(32)] = (rng.Next(2) == 0 ? 1 : -1) * 5000f;
                break;
            case 4: // subnormals only
                for (int j = 0; j < 32; j++)
                {
                    x[j] = BitConverter.Int32BitsToSingle(rng.Next(0, 0x0080_0000)) * (rng.Next(2) == 0 ? 1 : -1);
                }

                break;
            case 5: // tiny normal amax (1/d may overflow to infinity)
                float tiny = MathF.ScaleB(1f, rng.Next(-126, -118));
                for (int j = 0; j < 32; j++)
                {
                    x[j] = Uniform() * tiny;
                }

                break;
            case 6: // huge: near float.MaxValue
                for (int j = 0; j < 32; j++)
                {
                    x[j] = Uniform() * float.MaxValue;
                }

                x[rng.Next(32)] = rng.Next(2) == 0 ? float.MaxValue : -float.MaxValue;
                break;
            case 7: // exact E2M1 midpoints (and neighbours) of d = 2^(e-128) with the max pinning e
                int k = rng.Next(-140, 120);
                for (int j = 0; j < 32; j++)
                {
                    float m = MathF.ScaleB(Mxfp4Midpoints[rng.Next(Mxfp4Midpoints.Length)], k);
                    m = rng.Next(4) switch { 0 => MathF.BitDecrement(m), 1 => MathF.BitIncrement(m), _ => m };
                    x[j] = rng.Next(2) == 0 ? m : -m;
                }

                x[rng.Next(32)] = MathF.ScaleB(rng.Next(2) == 0 ? 6f : 7.99f, k);
                break;
            case 8: // amax one ulp (or a few) below a power of two
                float p = MathF.ScaleB(1f, rng.Next(-125, 127));
                for (int j = 0; j < 32; j++)
                {
                    x[j] = Uniform() * p;
                }

                float below = p;
                for (int s = rng.Next(1, 5000); s > 0; s--)
                {
                    below = MathF.BitDecrement(below);
                }

                x[rng.Next(32)] = rng.Next(2) == 0 ? below : -below;
                break;
            case 9: // Q4_0 half-way codes: x·id + 8.5 lands on integers
                for (int j = 0; j < 32; j++)
                {
                    x[j] = rng.Next(-16, 17) / 2f;
                }

                x[rng.Next(32)] = -8f;
                break;
            default: // random scale
                float scale = MathF.ScaleB(1f, rng.Next(-100, 100));
                for (int j = 0; j < 32; j++)
                {
                    x[j] = Uniform() * scale;
                }

                break;
        }

        return x;
    }

    private static float[] Row(Random rng, int nb)
    {
        var x = new float[nb * 32];
        for (int b = 0; b < nb; b++)
        {
            EdgeBlock(rng, rng.Next(12)).CopyTo(x, b * 32);
        }

        return x;
    }

    private static void CheckQuantize(Quantizer reference, Quantizer[] widths, int blockBytes, int seed)
    {
        var rng = new Random(seed);
        for (int nb = 0; nb <= 9; nb++)
        {
            for (int t = 0; t < 60; t++)
            {
                float[] x = Row(rng, nb);
                var expected = new byte[nb * blockBytes];
                reference(x, expected);
                foreach (Quantizer q in widths)
                {
                    var actual = new byte[(nb * blockBytes) + 4];
                    actual.AsSpan(nb * blockBytes).Fill(0xEE);
                    q(x, actual.AsSpan(0, nb * blockBytes));
                    Assert.Equal(expected, actual.AsSpan(0, nb * blockBytes).ToArray());
                    Assert.All(actual.AsSpan(nb * blockBytes).ToArray(), b => Assert.Equal(0xEE, b));
                }
            }
        }
    }

    private static void CheckDequantize(Dequantizer reference, Dequantizer[] widths, int blockBytes, int seed)
    {
        var rng = new Random(seed);
        for (int nb = 0; nb <= 9; nb++)
        {
            for (int t = 0; t < 40; t++)
            {
                var x = new byte[nb * blockBytes];
                rng.NextBytes(x); // every scale byte: subnormal, Inf and NaN halves, E8M0 0 and 255
                var expected = new float[nb * 32];
                reference(x, expected);
                foreach (Dequantizer d in widths)
                {
                    var actual = new float[(nb * 32) + 3];
                    actual.AsSpan(nb * 32).Fill(42);
                    d(x, actual.AsSpan(0, nb * 32));
                    Assert.Equal(expected.Select(Goldens.CanonicalBits), actual.Take(nb * 32).Select(Goldens.CanonicalBits));
                    Assert.All(actual.AsSpan(nb * 32).ToArray(), v => Assert.Equal(42f, v));
                }
            }
        }
    }

    [Fact]
    public void Q4_0_quantize_every_width_matches_reference()
    {
        CheckQuantize(
            GgmlBlocks.QuantizeQ4_0Ref,
            [GgmlBlockDriver.Quantize128<Q4_0Codec>, GgmlBlockDriver.Quantize256<Q4_0Codec>, GgmlBlockDriver.Quantize512<Q4_0Codec>, GgmlBlocks.QuantizeQ4_0],
            18,
            404);
    }

    [Fact]
    public void Q4_0_dequantize_every_width_matches_reference()
    {
        CheckDequantize(
            GgmlBlocks.DequantizeQ4_0Ref,
            [GgmlBlockDriver.Dequantize128<Q4_0Codec>, GgmlBlockDriver.Dequantize256<Q4_0Codec>, GgmlBlockDriver.Dequantize512<Q4_0Codec>, GgmlBlocks.DequantizeQ4_0],
            18,
            405);
    }

    [Fact]
    public void Mxfp4_quantize_every_width_matches_reference()
    {
        CheckQuantize(
            GgmlBlocks.QuantizeMxfp4Ref,
            [GgmlBlockDriver.Quantize128<Mxfp4Codec>, GgmlBlockDriver.Quantize256<Mxfp4Codec>, GgmlBlockDriver.Quantize512<Mxfp4Codec>, GgmlBlocks.QuantizeMxfp4],
            17,
            406);
    }

    [Fact]
    public void Mxfp4_dequantize_every_width_matches_reference()
    {
        CheckDequantize(
            GgmlBlocks.DequantizeMxfp4Ref,
            [GgmlBlockDriver.Dequantize128<Mxfp4Codec>, GgmlBlockDriver.Dequantize256<Mxfp4Codec>, GgmlBlockDriver.Dequantize512<Mxfp4Codec>, GgmlBlocks.DequantizeMxfp4],
            17,
            407);
    }

    [Fact]
    public void Mxfp4_exponent_shortcut_matches_the_float32_log2_on_every_exponent_and_the_fraction_edges()
    {
        // Every exponent field, fractions near the cutoff 1 − 2^-11 and the last ulps before the next power of two.
        uint[] fractions = [0, 1, 0x40_0000, 0x7F_EFFF, 0x7F_F000, 0x7F_FFFE, 0x7F_FFFF];
        for (uint e = 0; e < 255; e++)
        {
            foreach (uint f in fractions)
            {
                float amax = BitConverter.UInt32BitsToSingle((e << 23) | f);
                Assert.Equal(GgmlBlocks.GgmlMxfp4Exponent(amax), Mxfp4Codec.Exponent(amax));
            }
        }
    }

    [Fact]
    public void Mxfp4_exhaustive_single_values_against_reference_for_two_scales()
    {
        // Every float32 in [0, 16·d) for a small d would be too many; walk all values on a 2^-10 grid and all ulp neighbours of
        // the grid points, with the block max fixed so e (and d) are known.
        foreach (int k in new[] { -130, -3, 0, 40 })
        {
            var x = new float[32];
            x[0] = MathF.ScaleB(7.5f, k);
            var expected = new byte[17];
            var actual = new byte[17];
            for (int i = 0; i <= 16 * 1024; i++)
            {
                float g = MathF.ScaleB(i / 1024f, k - 1);
                for (int j = 1; j < 32; j++)
                {
                    float v = (j % 3) switch { 0 => g, 1 => MathF.BitIncrement(g), _ => MathF.BitDecrement(g) };
                    x[j] = j % 2 == 0 ? v : -v;
                }

                GgmlBlocks.QuantizeMxfp4Ref(x, expected);
                GgmlBlockDriver.Quantize512<Mxfp4Codec>(x, actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Quantize_names_the_global_index_of_a_non_finite_value_in_a_later_chunk()
    {
        foreach (GgmlType type in new[] { GgmlType.Q4_0, GgmlType.Q8_0, GgmlType.MXFP4, GgmlType.Q4_K })
        {
            var x = new float[3 * 4096];
            x[9001] = float.NegativeInfinity;
            ArgumentException ex = Assert.Throws<ArgumentException>(() => GgmlBlocks.Quantize(type, x, new byte[GgmlBlocks.RowSize(type, x.Length)]));
            Assert.Equal("source", ex.ParamName);
            Assert.Contains("source[9001]", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Public_quantize_of_many_chunks_equals_the_reference_rows()
    {
        var rng = new Random(5);
        float[] x = Row(rng, 600); // 19200 values: four full chunks and a partial one
        foreach ((GgmlType type, Quantizer reference) in new (GgmlType, Quantizer)[] { (GgmlType.Q4_0, GgmlBlocks.QuantizeQ4_0Ref), (GgmlType.Q8_0, GgmlBlocks.QuantizeQ8_0Ref), (GgmlType.MXFP4, GgmlBlocks.QuantizeMxfp4Ref) })
        {
            var expected = new byte[GgmlBlocks.RowSize(type, x.Length)];
            var actual = new byte[expected.Length];
            reference(x, expected);
            GgmlBlocks.Quantize(type, x, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Vector_float_to_half_matches_the_scalar_conversion_on_edges_and_random_finite_floats()
    {
        var values = new List<float> { 0f, -0f, 65504f, 65519.996f, 65520f, -65520f, float.MaxValue, -float.MaxValue, float.Epsilon,
            MathF.ScaleB(1f, -14), MathF.ScaleB(1f, -24), MathF.ScaleB(1f, -25), MathF.BitIncrement(MathF.ScaleB(1f, -25)), MathF.ScaleB(3f, -26),
            MathF.ScaleB(1f, -15) * 1.5f, 1f + MathF.ScaleB(1f, -11), 1f + MathF.ScaleB(3f, -11), 2049f, 2051f };
        var rng = new Random(16);
        while (values.Count < 200_000)
        {
            float v = BitConverter.Int32BitsToSingle(rng.Next() ^ (rng.Next(2) << 31));
            if (float.IsFinite(v))
            {
                values.Add(v);
            }

            values.Add(MathF.ScaleB((float)((rng.NextDouble() * 2) - 1), rng.Next(-30, 20)));
        }

        while (values.Count % 4 != 0)
        {
            values.Add(1f);
        }

        for (int i = 0; i < values.Count; i += 4)
        {
            var v = System.Runtime.Intrinsics.Vector128.Create(values[i], values[i + 1], values[i + 2], values[i + 3]);
            var h = GgmlBlockDriver.FloatToHalfBits(v);
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal(GgmlMath.FloatToHalf(values[i + k]), (ushort)h[k]);
            }
        }
    }
}
