// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Numerics.Formats;

namespace Numerics.Quantization.Tests;

/// <summary>
/// Block floating point: hand-computed blocks, an independent double model (shared exponent from <see cref="Math.ILogB"/>,
/// x / q exact in double, own round-half-even), the per-block error bound, idempotence, special blocks, stochastic rounding.
/// </summary>
public sealed class BlockFloatTests
{
    /// <summary>The independent model: returns (stored exponent, mantissas) for one block.</summary>
    private static (byte Exponent, sbyte[] Mantissas) Model(float[] block, int mantissaBits)
    {
        double amax = 0;
        bool nonFinite = false;
        foreach (float v in block)
        {
            nonFinite |= !float.IsFinite(v);
            amax = Math.Max(amax, Math.Abs((double)v));
        }

        if (nonFinite)
        {
            return (0xFF, new sbyte[block.Length]);
        }

        if (amax == 0)
        {
            return (0, new sbyte[block.Length]);
        }

        int e = Math.Max(Math.ILogB(amax), -127); // float32 subnormals are normal doubles: ILogB is exact
        double q = Math.Pow(2, e - mantissaBits + 1);
        int max = (1 << mantissaBits) - 1;
        var m = new sbyte[block.Length];
        for (int i = 0; i < block.Length; i++)
        {
            double r = block[i] / q; // exact: division by a power of two in double
            double f = Math.Floor(r);
            double frac = r - f;
            double n = frac > 0.5 ? f + 1 : frac < 0.5 ? f : (f % 2 == 0 ? f : f + 1);
            m[i] = (sbyte)Math.Clamp(n, -max, max);
        }

        return ((byte)(e + 127), m);
    }

    [Fact]
    public void Hand_computed_block_with_ties_and_a_carry()
    {
        // m = 3: E = 0 for amax 1.96, q = 2^-2. 1.96/q = 7.84 -> 8 carries -> saturates to 7; 0.375/q = 1.5 -> 2 (even);
        // 0.125/q = 0.5 -> 0 (even); -0.3/q = -1.2 -> -1; 0.625/q = 2.5 -> 2; -0.875/q = -3.5 -> -4.
        float[] x = [1.96f, 0.375f, 0.125f, -0.3f, 0.625f, -0.875f, 0f, -0f];
        var e = new byte[1];
        var m = new sbyte[8];
        BlockFloat.Quantize(x, e, m, blockSize: 8, mantissaBits: 3);
        Assert.Equal(127, e[0]);
        Assert.Equal(new sbyte[] { 7, 2, 0, -1, 2, -4, 0, 0 }, m);
        var y = new float[8];
        BlockFloat.Dequantize(e, m, y, 8, 3);
        Assert.Equal(new[] { 1.75f, 0.5f, 0f, -0.25f, 0.5f, -1f, 0f, 0f }, y);
        Assert.Equal(0.25, BlockFloat.Quantum(e[0], 3));
    }

    [Fact]
    public void Special_blocks_zero_nan_infinity_subnormal_and_huge()
    {
        float[] x =
        [
            0f, -0f, 0f, 0f,                                      // zero block -> exponent 0
            1f, float.NaN, 2f, 3f,                                // NaN block -> 0xFF, decodes NaN
            float.NegativeInfinity, 1f, 1f, 1f,                   // infinite block -> 0xFF
            float.Epsilon, -2 * float.Epsilon, 0f, 1e-40f,        // subnormals: E clamps to -127
            float.MaxValue, -float.MaxValue, 1e38f, 1f,           // huge: E = 127, mantissa saturates
        ];
        var e = new byte[5];
        var m = new sbyte[20];
        BlockFloat.Quantize(x, e, m, 4, 4);
        for (int b = 0; b < 5; b++)
        {
            (byte ee, sbyte[] mm) = Model(x[(b * 4)..((b * 4) + 4)], 4);
            Assert.Equal(ee, e[b]);
            Assert.Equal(mm, m[(b * 4)..((b * 4) + 4)]);
        }

        Assert.Equal(new byte[] { 0, 0xFF, 0xFF, 0, 254 }, e);
        var y = new float[20];
        BlockFloat.Dequantize(e, m, y, 4, 4);
        Assert.All(y[4..12], v => Assert.True(float.IsNaN(v)));
        Assert.Equal(15 * MathF.ScaleB(1f, 127 - 3), y[16]); // saturated: (2^4 - 1) * 2^(127 - 4 + 1)
        Assert.Equal(0f, y[0]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 3)]
    [InlineData(32, 4)]
    [InlineData(32, 7)]
    [InlineData(64, 5)]
    [InlineData(7, 2)]
    public void Matches_the_independent_double_model_on_random_rows(int blockSize, int mantissaBits)
    {
        var rng = new Random((blockSize * 31) + mantissaBits);
        for (int t = 0; t < 200; t++)
        {
            int n = rng.Next(0, 5 * blockSize);
            var x = new float[n];
            int scale = rng.Next(-140, 120);
            for (int i = 0; i < n; i++)
            {
                x[i] = rng.Next(6) switch
                {
                    0 => BitConverter.Int32BitsToSingle(rng.Next() & 0x7F7F_FFFF) * (rng.Next(2) == 0 ? 1 : -1),
                    1 => MathF.ScaleB(rng.Next(-64, 65) / 8f, scale), // exact ties
                    _ => MathF.ScaleB((float)((rng.NextDouble() * 2) - 1), scale),
                };
            }

            int blocks = BlockFloat.BlockCount(n, blockSize);
            var e = new byte[blocks];
            var m = new sbyte[n];
            BlockFloat.Quantize(x, e, m, blockSize, mantissaBits);
            for (int b = 0; b < blocks; b++)
            {
                int start = b * blockSize;
                int end = Math.Min(n, start + blockSize);
                (byte ee, sbyte[] mm) = Model(x[start..end], mantissaBits);
                Assert.Equal(ee, e[b]);
                Assert.Equal(mm, m[start..end]);
            }
        }
    }

    private static float[] Finite(NormalFloat[] values) =>
        values.Select(v => (float)v.Get).Where(float.IsFinite).ToArray();

    [Property(MaxTest = 300)]
    public bool Error_is_within_half_a_quantum_or_one_quantum_when_saturated(NormalFloat[] values, PositiveInt blockSize, byte bits)
    {
        float[] x = Finite(values);
        int bs = 1 + (blockSize.Get % 64);
        int mb = 1 + (bits % 7);
        var e = new byte[BlockFloat.BlockCount(x.Length, bs)];
        var m = new sbyte[x.Length];
        var y = new float[x.Length];
        BlockFloat.Quantize(x, e, m, bs, mb);
        BlockFloat.Dequantize(e, m, y, bs, mb);
        for (int i = 0; i < x.Length; i++)
        {
            double q = BlockFloat.Quantum(e[i / bs], mb);
            double err = Math.Abs((double)x[i] - y[i]);
            bool saturated = Math.Abs(m[i]) == (1 << mb) - 1;
            if (err > (saturated ? q : q / 2))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 300)]
    public bool Quantizing_dequantized_values_gives_the_same_blocks(NormalFloat[] values, PositiveInt blockSize, byte bits)
    {
        float[] x = Finite(values);
        int bs = 1 + (blockSize.Get % 64);
        int mb = 1 + (bits % 7);
        var e = new byte[BlockFloat.BlockCount(x.Length, bs)];
        var m = new sbyte[x.Length];
        var y = new float[x.Length];
        BlockFloat.Quantize(x, e, m, bs, mb);
        BlockFloat.Dequantize(e, m, y, bs, mb);
        var e2 = new byte[e.Length];
        var m2 = new sbyte[m.Length];
        var y2 = new float[x.Length];
        BlockFloat.Quantize(y, e2, m2, bs, mb);
        BlockFloat.Dequantize(e2, m2, y2, bs, mb);

        // The exponent can only drop (a block whose max saturated or rounded to 0 has a smaller max); the values are unchanged.
        return y.SequenceEqual(y2);
    }

    [Fact]
    public void Stochastic_rounding_picks_a_neighbour_is_reproducible_and_unbiased_on_average()
    {
        var x = new float[32 * 2000];
        var rng = new Random(3);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = i % 32 == 0 ? 1f : (float)(rng.NextDouble() * 0.9);
        }

        var e = new byte[2000];
        var m = new sbyte[x.Length];
        var m2 = new sbyte[x.Length];
        BlockFloat.QuantizeStochastic(x, e, m, 32, 3, seed: 11);
        BlockFloat.QuantizeStochastic(x, e, m2, 32, 3, seed: 11);
        Assert.Equal(m, m2);
        double bias = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = x[i] * 4.0; // q = 2^-2
            Assert.True(m[i] == Math.Floor(r) || m[i] == Math.Ceiling(r), $"{x[i]} -> {m[i]}");
            bias += m[i] - r;
        }

        Assert.True(Math.Abs(bias / x.Length) < 0.01, $"mean rounding error {bias / x.Length}");
    }

    [Fact]
    public void Arguments_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockFloat.Quantize(new float[4], new byte[1], new sbyte[4], 4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockFloat.Quantize(new float[4], new byte[1], new sbyte[4], 4, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockFloat.Quantize(new float[4], new byte[1], new sbyte[4], 0, 3));
        Assert.Equal("exponents", Assert.Throws<ArgumentException>(() => BlockFloat.Quantize(new float[5], new byte[1], new sbyte[5], 4, 3)).ParamName);
        Assert.Equal("mantissas", Assert.Throws<ArgumentException>(() => BlockFloat.Quantize(new float[5], new byte[2], new sbyte[4], 4, 3)).ParamName);
        Assert.Equal("rounding", Assert.Throws<ArgumentException>(() => BlockFloat.Quantize(new float[4], new byte[1], new sbyte[4], 4, 3, RoundingMode.Stochastic)).ParamName);
        Assert.Equal("rounding", Assert.Throws<ArgumentException>(() => BlockFloat.QuantizeStochastic(new float[4], new byte[1], new sbyte[4], 4, 3, 1, RoundingMode.NearestEven)).ParamName);
        ArgumentException bad = Assert.Throws<ArgumentException>(() => BlockFloat.Dequantize(new byte[1], new sbyte[] { 1, -8, 0 }, new float[3], 4, 3));
        Assert.Equal("mantissas", bad.ParamName);
        Assert.Contains("mantissas[1]", bad.Message, StringComparison.Ordinal);
    }
}
