// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

public sealed class ExpNonPositiveTests
{
    private static readonly bool Fast = Vector128.IsHardwareAccelerated;

    [Fact]
    public void Constants_match_their_hex_values()
    {
        Assert.Equal(0x3FB8AA3Bu, BitConverter.SingleToUInt32Bits(ExpNonPositive.Log2E));
        Assert.Equal(0x3F317218u, BitConverter.SingleToUInt32Bits(ExpNonPositive.Ln2));
        Assert.Equal(0x4B400000u, BitConverter.SingleToUInt32Bits(ExpNonPositive.RoundingShift)); // 1.5 * 2^23
        Assert.Equal(0x3F7FFFFBu, BitConverter.SingleToUInt32Bits(ExpNonPositive.C1));
        Assert.Equal(0x3EFFFEE3u, BitConverter.SingleToUInt32Bits(ExpNonPositive.C2));
        Assert.Equal(0x3E2AAD36u, BitConverter.SingleToUInt32Bits(ExpNonPositive.C3));
        Assert.Equal(0x3D2B9D33u, BitConverter.SingleToUInt32Bits(ExpNonPositive.C4));
        Assert.Equal(0x3C07D413u, BitConverter.SingleToUInt32Bits(ExpNonPositive.C5));
        // The float ln2 is within 2e-9 of ln2 (the one-constant reduction's error budget in the remarks).
        Assert.True(Math.Abs(ExpNonPositive.Ln2 - Math.Log(2)) < 2e-9);
    }

    /// <summary>Inputs d &lt;= 0: dense where the result is a normal float, the subnormal range, far below the clamp, the edges.</summary>
    private static float[] Inputs(int count)
    {
        var rng = new Random(4321);
        var list = new List<float>
        {
            0f, -0f, -float.Epsilon, -1e-30f, -1e-7f, -0.3465736f, -0.3465737f, -0.6931472f, -1f, -87.33f, -87.34f, -103.9f, -103.98f,
            -104f, -125.99f, -126f, -126.01f, -1000f, -32768f, -1048576f, -1048577f, -1e7f, -float.MaxValue,
        };
        for (int i = 0; i < count; i++)
        {
            list.Add((float)(-87.33 * rng.NextDouble()));
            list.Add((float)(-130 * rng.NextDouble()));
            list.Add((float)-Math.Pow(2, (rng.NextDouble() * 170) - 149));
        }

        return [.. list];
    }

    [Fact]
    public void Exp_is_within_the_measured_ulp_bound_where_the_result_is_a_normal_float()
    {
        // Every 37th float in [-87.33, 0] (about 30 million; the exhaustive run is in the docs) plus the random inputs.
        double worst = 0;
        uint last = BitConverter.SingleToUInt32Bits(-87.33f);
        uint stride = Fast ? 37u : 3701u;
        for (uint bits = 0x80000000u; bits <= last; bits += stride)
        {
            worst = Math.Max(worst, UlpError(BitConverter.UInt32BitsToSingle(bits)));
        }

        foreach (float d in Inputs(Fast ? 100_000 : 10_000))
        {
            if (d >= -87.33f)
            {
                worst = Math.Max(worst, UlpError(d));
            }
        }

        Assert.True(worst <= ExpNonPositive.MeasuredMaxUlp, $"max error {worst:F3} ulp");

        static double UlpError(float d)
        {
            double exact = Math.Exp(d);
            double ulp = Math.ScaleB(1.0, Math.ILogB(exact) - 23);
            return Math.Abs(ExpNonPositive.Exp(d) - exact) / ulp;
        }
    }

    [Fact]
    public void Subnormal_results_are_within_a_few_units_of_the_smallest_subnormal_and_far_inputs_give_zero()
    {
        double tiny = Math.ScaleB(1.0, -149);
        for (float d = -87.34f; d > -110f; d -= 0.0137f)
        {
            // 2^-126 times the relative error of p * 2^r (below 4e-7) is under 3.5 units of 2^-149, plus the final rounding.
            Assert.True(Math.Abs(ExpNonPositive.Exp(d) - Math.Exp(d)) <= 4 * tiny, $"d={d:R}");
        }

        foreach (float d in new[] { -104f, -126f, -1000f, -1e7f, -float.MaxValue, float.NegativeInfinity })
        {
            Assert.Equal(0f, ExpNonPositive.Exp(d));
        }
    }

    [Fact]
    public void Exp_of_zero_is_exactly_one_and_NaN_propagates()
    {
        // Softmax relies on exp(max - max) = 1 exactly (the sum is then at least 1).
        Assert.Equal(1f, ExpNonPositive.Exp(0f));
        Assert.Equal(1f, ExpNonPositive.Exp(-0f));
        Assert.Equal(1f, ExpNonPositive.ExpInRange(0f));
        Assert.True(float.IsNaN(ExpNonPositive.Exp(float.NaN)));
        Assert.True(float.IsNaN(ExpNonPositive.ExpInRange(float.NaN)));
        Assert.True(float.IsNaN(ExpNonPositive.Exp(Vector512.Create(float.NaN)).GetElement(3)));
    }

    [Fact]
    public void Without_the_clamp_the_bits_are_the_same_down_to_the_in_range_limit()
    {
        var rng = new Random(77);
        for (int i = 0; i < (Fast ? 400_000 : 40_000); i++)
        {
            float d = i % 2 == 0 ? (float)(ExpNonPositive.InRangeLimit * rng.NextDouble()) : (float)(-200 * rng.NextDouble());
            Assert.Equal(BitConverter.SingleToUInt32Bits(ExpNonPositive.Exp(d)), BitConverter.SingleToUInt32Bits(ExpNonPositive.ExpInRange(d)));
        }

        Assert.Equal(ExpNonPositive.Exp(ExpNonPositive.InRangeLimit), ExpNonPositive.ExpInRange(ExpNonPositive.InRangeLimit));
    }

    [Fact]
    public void Every_width_matches_scalar_bit_for_bit()
    {
        float[] xs = [.. Inputs(Fast ? 20_000 : 2_000), float.NaN, float.NegativeInfinity, -float.MaxValue];
        new Random(6).Shuffle(xs);
        int usable = xs.Length - (xs.Length % 16);
        for (int i = 0; i < usable; i += 16)
        {
            Vector512<float> v = Vector512.Create(xs.AsSpan(i, 16));
            Vector512<float> e512 = ExpNonPositive.Exp(v);
            Vector256<float> e256a = ExpNonPositive.Exp(v.GetLower()), e256b = ExpNonPositive.Exp(v.GetUpper());
            Vector512<float> r512 = ExpNonPositive.ExpInRange(v);
            for (int j = 0; j < 16; j++)
            {
                float d = xs[i + j];
                float e = ExpNonPositive.Exp(d);
                AssertSame(e, e512.GetElement(j), d);
                AssertSame(e, j < 8 ? e256a.GetElement(j) : e256b.GetElement(j - 8), d);
                AssertSame(e, ExpNonPositive.Exp(Vector128.Create(d)).GetElement(0), d);
                if (d >= ExpNonPositive.InRangeLimit || float.IsNaN(d))
                {
                    float r = ExpNonPositive.ExpInRange(d);
                    AssertSame(r, r512.GetElement(j), d);
                    AssertSame(r, ExpNonPositive.ExpInRange(Vector256.Create(d)).GetElement(5), d);
                    AssertSame(r, ExpNonPositive.ExpInRange(Vector128.Create(d)).GetElement(2), d);
                }
            }
        }

        static void AssertSame(float expected, float actual, float d)
        {
            if (float.IsNaN(d))
            {
                Assert.True(float.IsNaN(actual));
                return;
            }

            Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual), $"d={d:R}: {expected:R} vs {actual:R}");
        }
    }
}
