// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization.Tests;

/// <summary>The vectorized Q8_0 paths give the scalar reference's bits at every width (Vector512 runs in software without AVX-512).</summary>
public sealed class GgmlSimdTests
{
    private delegate void Quantizer(ReadOnlySpan<float> x, Span<byte> y);

    private delegate void Dequantizer(ReadOnlySpan<byte> x, Span<float> y);

    private static float[] Blocks(Random rng, int nb)
    {
        var x = new float[nb * 32];
        for (int b = 0; b < nb; b++)
        {
            int kind = rng.Next(8);
            float scale = kind switch { 0 => 0, 1 => 1e-38f, 2 => 1e-37f, 3 => 1e7f, 4 => 3e38f, _ => MathF.ScaleB(1, rng.Next(-60, 60)) };
            for (int j = 0; j < 32; j++)
            {
                float v = (float)((rng.NextDouble() * 2) - 1) * scale;
                x[(b * 32) + j] = kind == 5 ? MathF.Round(v * 127 / scale) + 0.5f : v; // exact .5 ties of x*id when amax is 127.5-ish
            }

            if (kind == 5)
            {
                x[b * 32] = 127;
            }
        }

        return x;
    }

    [Fact]
    public void Q8_0_quantize_every_width_matches_reference()
    {
        var rng = new Random(2024);
        Quantizer[] widths = [GgmlBlocks.QuantizeQ8_0Run128, GgmlBlocks.QuantizeQ8_0Run256, GgmlBlocks.QuantizeQ8_0Run512, GgmlBlocks.QuantizeQ8_0];
        for (int nb = 0; nb <= 9; nb++)
        {
            for (int t = 0; t < 20; t++)
            {
                float[] x = Blocks(rng, nb);
                var expected = new byte[nb * 34];
                GgmlBlocks.QuantizeQ8_0Ref(x, expected);
                foreach (Quantizer q in widths)
                {
                    var actual = new byte[(nb * 34) + 4];
                    actual.AsSpan(nb * 34).Fill(0xEE); // canary past the end
                    q(x, actual.AsSpan(0, nb * 34));
                    Assert.Equal(expected, actual.AsSpan(0, nb * 34).ToArray());
                    Assert.All(actual.AsSpan(nb * 34).ToArray(), b => Assert.Equal(0xEE, b));
                }
            }
        }
    }

    [Fact]
    public void Q8_0_dequantize_every_width_matches_reference()
    {
        var rng = new Random(77);
        Dequantizer[] widths = [GgmlBlocks.DequantizeQ8_0Run128, GgmlBlocks.DequantizeQ8_0Run256, GgmlBlocks.DequantizeQ8_0Run512, GgmlBlocks.DequantizeQ8_0];
        for (int nb = 0; nb <= 9; nb++)
        {
            for (int t = 0; t < 20; t++)
            {
                var x = new byte[nb * 34];
                rng.NextBytes(x); // random half scales include subnormals, Inf and NaN
                var expected = new float[nb * 32];
                GgmlBlocks.DequantizeQ8Ref(x, expected, 34);
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
}
