// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

public sealed class ExpSplitTests
{
    private static readonly bool Fast = Vector128.IsHardwareAccelerated;

    [Fact]
    public void Constants_match_their_hex_values()
    {
        // The C# literals must round to the float the comments name (fitted coefficients, Cody-Waite split of ln2).
        Assert.Equal(0x3FB8AA3Bu, BitConverter.SingleToUInt32Bits(ExpSplit.Log2E));   // 0x1.715476p+0
        Assert.Equal(0x3F317218u, BitConverter.SingleToUInt32Bits(ExpSplit.Ln2Hi));   // 0x1.62E430p-1
        Assert.Equal(0xB102E308u, BitConverter.SingleToUInt32Bits(ExpSplit.Ln2Lo));   // -0x1.05C610p-29
        Assert.Equal(0x3EFFFFFEu, BitConverter.SingleToUInt32Bits(ExpSplit.C2));      // 0x1.fffffcp-2
        Assert.Equal(0x3E2AAA0Au, BitConverter.SingleToUInt32Bits(ExpSplit.C3));      // 0x1.555414p-3
        Assert.Equal(0x3D2AAC17u, BitConverter.SingleToUInt32Bits(ExpSplit.C4));      // 0x1.55582ep-5
        Assert.Equal(0x3C093526u, BitConverter.SingleToUInt32Bits(ExpSplit.C5));      // 0x1.126a4cp-7
        Assert.Equal(0x3AB5724Au, BitConverter.SingleToUInt32Bits(ExpSplit.C6));      // 0x1.6ae494p-10
        // ln2 - (hi + lo) is below 2^-52: the reduction constant is exact to double precision.
        Assert.True(Math.Abs(Math.Log(2) - ((double)ExpSplit.Ln2Hi + ExpSplit.Ln2Lo)) < Math.Pow(2, -52));
    }

    /// <summary>Inputs over the whole float range: dense in the range where exp is a finite float, log-uniform magnitudes up to
    /// the clamp limit, and the edges (0, subnormals, the clamp limits).</summary>
    private static float[] Inputs(int count)
    {
        var rng = new Random(1234);
        var list = new List<float> { 0f, -0f, float.Epsilon, -float.Epsilon, 1e-30f, -1e-30f, 88.72f, 88.73f, -87.33f, -103.9f, -104f,
            0.3465736f, -0.3465736f, 32768f, -32768f, 32767.998f, -32767.998f, 1000f, -1000f };
        for (int i = 0; i < count; i++)
        {
            list.Add((float)((rng.NextDouble() * 200) - 105));
            double mag = Math.Pow(2, (rng.NextDouble() * 160) - 145);
            list.Add((float)(rng.Next(2) == 0 ? mag : -mag));
            list.Add((float)((rng.NextDouble() * 65536) - 32768));
        }

        return [.. list];
    }

    [Fact]
    public void Split_mantissa_is_within_the_stated_ulp_bound_over_the_clamp_range()
    {
        double worst = 0;
        foreach (float x in Inputs(Fast ? 300_000 : 30_000))
        {
            float p = ExpSplit.Split(x, out float n);
            Assert.Equal(Math.Round(n), n);
            Assert.InRange(p, 0.70f, 1.42f);
            // exp(x) = p * 2^n, so the exact mantissa is exp(x - n ln2); n ln2 is exact to 2^-53 relative in double.
            double exact = Math.Exp(x - (n * Math.Log(2)));
            double ulp = exact >= 1 ? Math.Pow(2, -23) : Math.Pow(2, -24);
            worst = Math.Max(worst, Math.Abs(p - exact) / ulp);
        }

        Assert.True(worst <= ExpSplit.MeasuredMaxUlp, $"max error {worst:F3} ulp");
    }

    [Fact]
    public void Scaled_exp_is_within_bound_against_Math_Exp_where_the_result_is_a_normal_float()
    {
        // exp(x) for x <= 0 from the split (the two-pass kernel's pass 2 without the 1/sum): Scale(p, n) rounds once more (half an ulp).
        double worst = 0;
        var rng = new Random(99);
        for (int i = 0; i < (Fast ? 200_000 : 20_000); i++)
        {
            float x = (float)(-87.3 * rng.NextDouble());
            float e = ScaleByPowerOfTwo.Scale(ExpSplit.Split(x, out float n), n);
            double exact = Math.Exp(x);
            double ulp = Math.Pow(2, Math.Floor(Math.Log2(exact)) - 23);
            worst = Math.Max(worst, Math.Abs(e - exact) / ulp);
        }

        Assert.True(worst <= ExpSplit.MeasuredMaxUlp + 0.5, $"max error {worst:F3} ulp");
    }

    [Fact]
    public void Clamp_keeps_NaN_and_maps_infinities_to_the_limits()
    {
        Assert.True(float.IsNaN(ExpSplit.Split(float.NaN, out float nn)));
        Assert.True(float.IsNaN(nn));
        ExpSplit.Split(float.PositiveInfinity, out float nhi);
        ExpSplit.Split(ExpSplit.ClampLimit, out float nlimit);
        Assert.Equal(nlimit, nhi);
        Assert.Equal(47274f, nlimit);
        ExpSplit.Split(float.MinValue, out float nlo);
        Assert.Equal(-47274f, nlo);
    }

    [Fact]
    public void Every_width_matches_scalar_bit_for_bit()
    {
        float[] xs = [.. Inputs(Fast ? 20_000 : 2_000), float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue];
        var rng = new Random(5);
        rng.Shuffle(xs);
        int usable = xs.Length - (xs.Length % 16);
        for (int i = 0; i < usable; i += 16)
        {
            Vector512<float> v = Vector512.Create(xs.AsSpan(i, 16));
            Vector512<float> p512 = ExpSplit.Split(v, out Vector512<float> n512);
            Vector256<float> p256a = ExpSplit.Split(v.GetLower(), out Vector256<float> n256a);
            Vector256<float> p256b = ExpSplit.Split(v.GetUpper(), out Vector256<float> n256b);
            for (int j = 0; j < 16; j++)
            {
                float p = ExpSplit.Split(xs[i + j], out float n);
                Vector128<float> p128 = ExpSplit.Split(Vector128.Create(xs[i + j]), out Vector128<float> n128);
                AssertSame(p, n, p512.GetElement(j), n512.GetElement(j), xs[i + j]);
                AssertSame(p, n, j < 8 ? p256a.GetElement(j) : p256b.GetElement(j - 8), j < 8 ? n256a.GetElement(j) : n256b.GetElement(j - 8), xs[i + j]);
                AssertSame(p, n, p128.GetElement(0), n128.GetElement(0), xs[i + j]);
            }
        }

        static void AssertSame(float p, float n, float pv, float nv, float x)
        {
            if (float.IsNaN(x))
            {
                Assert.True(float.IsNaN(pv));
                return;
            }

            Assert.True(BitConverter.SingleToUInt32Bits(p) == BitConverter.SingleToUInt32Bits(pv), $"p for x={x:R}");
            Assert.True(BitConverter.SingleToUInt32Bits(n) == BitConverter.SingleToUInt32Bits(nv), $"n for x={x:R}");
        }
    }
}
