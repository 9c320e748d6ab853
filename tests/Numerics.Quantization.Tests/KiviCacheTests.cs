// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization.Tests;

/// <summary>The KIVI cache against a naive re-implementation of the paper's algorithm that keeps every token.</summary>
public sealed class KiviCacheTests
{
    /// <summary>Naive group round trip: min/max, scale in float32, RNE of the clamped quotient, q·scale + mn rounded once.</summary>
    private static float[] NaiveGroup(float[] g, int bits, out float scale)
    {
        float mn = g.Min(), mx = g.Max();
        int qmax = (1 << bits) - 1;
        scale = (float)(((double)mx - mn) / qmax);
        var y = new float[g.Length];
        for (int i = 0; i < g.Length; i++)
        {
            int q = scale == 0 ? 0 : (int)Math.Round(Math.Clamp(((double)g[i] - mn) / scale, 0, qmax), MidpointRounding.ToEven);
            y[i] = (float)((q * (double)scale) + mn);
        }

        return y;
    }

    /// <summary>What the cache must return after <paramref name="tokens"/> tokens: quantized keys per channel in R-token chunks, values per token.</summary>
    private static (float[] Keys, float[] Values, float[] KeyBound, float[] ValueBound) Naive(float[][] k, float[][] v, int c, int kb, int vb, int g, int r)
    {
        int t = k.Length;
        var keys = new float[t * c];
        var values = new float[t * c];
        var kBound = new float[t * c];
        var vBound = new float[t * c];
        int quantizedKeys = t / r * r;
        for (int i = 0; i < t; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                keys[(i * c) + ch] = k[i][ch];
                values[(i * c) + ch] = v[i][ch];
            }
        }

        for (int start = 0; start < quantizedKeys; start += g)
        {
            for (int ch = 0; ch < c; ch++)
            {
                float[] group = Enumerable.Range(start, g).Select(i => k[i][ch]).ToArray();
                float[] y = NaiveGroup(group, kb, out float s);
                for (int i = 0; i < g; i++)
                {
                    keys[((start + i) * c) + ch] = y[i];
                    kBound[((start + i) * c) + ch] = s / 2;
                }
            }
        }

        int quantizedValues = Math.Max(0, t - r);
        for (int i = 0; i < quantizedValues; i++)
        {
            for (int start = 0; start < c; start += g)
            {
                float[] group = v[i].AsSpan(start, Math.Min(g, c - start)).ToArray();
                float[] y = NaiveGroup(group, vb, out float s);
                for (int j = 0; j < group.Length; j++)
                {
                    values[(i * c) + start + j] = y[j];
                    vBound[(i * c) + start + j] = s / 2;
                }
            }
        }

        return (keys, values, kBound, vBound);
    }

    [Theory]
    [InlineData(16, 2, 2, 4, 8)]
    [InlineData(20, 4, 2, 8, 8)]  // value groups of 8, 8, 4 channels
    [InlineData(8, 4, 4, 2, 6)]
    [InlineData(32, 2, 4, 32, 32)]
    public void Matches_the_naive_algorithm_token_by_token(int channels, int keyBits, int valueBits, int group, int residual)
    {
        var rng = new Random(channels + keyBits + group);
        var cache = new KiviCache(channels, keyBits, valueBits, group, residual);
        var keys = new List<float[]>();
        var values = new List<float[]>();
        for (int t = 0; t < (3 * residual) + 3; t++)
        {
            float[] k = Enumerable.Range(0, channels).Select(ch => (float)((rng.NextDouble() - 0.5) * (1 + ch))).ToArray(); // per-channel magnitudes
            float[] v = Enumerable.Range(0, channels).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            if (t % 5 == 0)
            {
                Array.Fill(v, 0.25f); // constant token: scale 0 must not produce NaN
            }

            cache.Append(k, v);
            keys.Add(k);
            values.Add(v);

            int n = t + 1;
            Assert.Equal(n, cache.TokenCount);
            Assert.Equal(n / residual * residual, cache.QuantizedKeyTokens); // flush exactly when the window fills
            Assert.Equal(Math.Max(0, n - residual), cache.QuantizedValueTokens);

            (float[] ek, float[] ev, float[] kb, float[] vb) = Naive([.. keys], [.. values], channels, keyBits, valueBits, group, residual);
            var gk = new float[n * channels];
            var gv = new float[n * channels];
            cache.GetKeys(gk);
            cache.GetValues(gv);
            Assert.Equal(ek, gk);
            Assert.Equal(ev, gv);
            for (int i = 0; i < gk.Length; i++)
            {
                float x = keys[i / channels][i % channels], y = values[i / channels][i % channels];
                Assert.True(Math.Abs(gk[i] - x) <= (kb[i] * (1 + 1e-6)) + (Math.Abs(x) * 1.2e-7), $"key {i}");
                Assert.True(Math.Abs(gv[i] - y) <= (vb[i] * (1 + 1e-6)) + (Math.Abs(y) * 1.2e-7), $"value {i}");
                if (kb[i] == 0 && i / channels >= cache.QuantizedKeyTokens)
                {
                    Assert.Equal(x, gk[i]); // residual window: exact
                }

                if (i / channels >= cache.QuantizedValueTokens)
                {
                    Assert.Equal(y, gv[i]);
                }
            }

            long expectedBytes = (cache.QuantizedKeyTokens / residual * (((residual * channels * keyBits) + 7) / 8 + (8L * channels * (residual / group))))
                + (cache.QuantizedValueTokens * ((((channels * valueBits) + 7) / 8) + (8L * ((channels + group - 1) / group))))
                + (4L * channels * ((n - cache.QuantizedKeyTokens) + (n - cache.QuantizedValueTokens)));
            Assert.Equal(expectedBytes, cache.MemoryBytes);
        }
    }

    [Fact]
    public void Two_bit_cache_is_much_smaller_than_float32_after_many_tokens()
    {
        var cache = new KiviCache(128, 2, 2, 32, 32);
        var rng = new Random(1);
        for (int t = 0; t < 512; t++)
        {
            float[] kv = Enumerable.Range(0, 128).Select(_ => (float)rng.NextDouble()).ToArray();
            cache.Append(kv, kv);
        }

        long fp32 = 2L * 512 * 128 * 4;
        Assert.True(cache.MemoryBytes * 4 < fp32, $"{cache.MemoryBytes} vs {fp32}");
    }

    [Fact]
    public void Invalid_arguments_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KiviCache(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KiviCache(8, keyBits: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KiviCache(8, valueBits: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KiviCache(8, groupSize: 32, residualLength: 48));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KiviCache(8, groupSize: 32, residualLength: 16));
        var cache = new KiviCache(4, groupSize: 2, residualLength: 2);
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => cache.Append(new float[3], new float[4])).ParamName);
        ArgumentException e = Assert.Throws<ArgumentException>(() => cache.Append(new float[4], new[] { 0f, 0, float.NaN, 0 }));
        Assert.Contains("value[2]", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.TokenCount);
        cache.Append(new float[4], new float[4]);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => cache.GetKeys(new float[3])).ParamName);
    }

    [Fact]
    public void Window_larger_than_an_array_is_rejected_by_the_constructor()
    {
        // 2^12 tokens × 2^20 channels = 2^32 values: the product wrapped to 0, the constructor succeeded and Append then failed
        // with an ArgumentOutOfRangeException about an internal slice.
        Assert.Equal("residualLength", Assert.Throws<ArgumentOutOfRangeException>(() => new KiviCache(1 << 20, groupSize: 32, residualLength: 1 << 12)).ParamName);
    }
}
