// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Formats;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

public sealed class SoftmaxLogAndHalfTests
{
    /// <summary>Log-softmax error is absolute: rounding of x - M and of the final subtraction (a float ulp of |y|) plus the
    /// log of a sum accumulated in float lanes (~1e-7). 1e-6 * (1 + |ref|) bounds both with margin.</summary>
    private const double LogTolerance = 1e-6;

    /// <summary>Half output: rounding to Half costs up to 2^-11 relative (half an ulp), float error is far below;
    /// subnormal Half outputs get half a subnormal step (2^-25).</summary>
    private const double HalfRelative = 1.0 / 2048;

    private static readonly bool Fast = Vector128.IsHardwareAccelerated;

    private static float[] RandomRow(int length, double scale, int seed)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)(((2 * rng.NextDouble()) - 1) * scale);
        }

        return x;
    }

    private static double[] LogReference(ReadOnlySpan<float> x)
    {
        double max = double.NegativeInfinity;
        foreach (float v in x)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        foreach (float v in x)
        {
            sum += Math.Exp(v - max);
        }

        double log = Math.Log(sum);
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            r[i] = (x[i] - max) - log;
        }

        return r;
    }

    public static TheoryData<string> LogTiers() => new(["Scalar", "128", "256", "512", "Public"]);

    [Theory]
    [MemberData(nameof(LogTiers))]
    public void LogSoftmax_is_accurate_on_every_tier(string tier)
    {
        SoftmaxTests.Kernel kernel = tier switch
        {
            "Scalar" => ThreePassKernel.RunLogScalar,
            "128" => ThreePassKernel.RunLog128,
            "256" => ThreePassKernel.RunLog256,
            "512" => ThreePassKernel.RunLog512,
            _ => Softmax.LogSoftmax,
        };
        int[] lengths = Fast ? [1, 2, 17, 64, 65, 1000, 16384 + 9, 40_000] : [1, 17, 65, 1000];
        int seed = 0;
        foreach (int n in lengths)
        {
            foreach (double scale in new[] { 1e-3, 1, 30, 1000, 1e6 })
            {
                float[] x = RandomRow(n, scale, seed++);
                var y = new float[n];
                kernel(x, y);
                double[] r = LogReference(x);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(Math.Abs(y[i] - r[i]) <= LogTolerance * (1 + Math.Abs(r[i])), $"{tier} n={n} scale={scale} i={i}: {y[i]:R} vs {r[i]:R}");
                }
            }
        }
    }

    [Fact]
    public void LogSoftmax_special_values()
    {
        float inf = float.PositiveInfinity;
        Assert.Equal([(float)-Math.Log(2), float.NegativeInfinity, (float)-Math.Log(2)], Run([inf, 3, inf]));
        Assert.Equal([float.NaN, float.NaN], Run([float.NegativeInfinity, float.NegativeInfinity]));
        Assert.Equal([float.NegativeInfinity, 0f], Run([float.NegativeInfinity, 1]));
        Assert.Equal([float.NaN, float.NaN, float.NaN], Run([1, float.NaN, 2]));
        Assert.Equal([0f, float.NegativeInfinity], Run([float.MaxValue, -float.MaxValue]));
        Assert.Equal([0f], Run([-5f]));

        static float[] Run(float[] x)
        {
            var y = new float[x.Length];
            Softmax.LogSoftmax(x, y);
            return y;
        }
    }

    [Fact]
    public void LogSoftmax_in_place_matches_out_of_place()
    {
        float[] x = RandomRow(1000, 40, 5);
        var y = new float[x.Length];
        Softmax.LogSoftmax(x, y);
        Softmax.LogSoftmax(x, x);
        Assert.Equal(y, x);
    }

    [Fact]
    public void Half_softmax_is_within_half_an_ulp_of_the_double_reference_and_handles_specials()
    {
        foreach (int n in new[] { 1, 7, 16, 33, 1000, 5000 })
        {
            float[] wide = RandomRow(n, 12, n);
            Half[] x = [.. wide.Select(v => (Half)v)];
            var y = new Half[n];
            Softmax.Compute(x, y);
            double[] r = SoftmaxTests.Reference([.. x.Select(h => (float)h)]);
            for (int i = 0; i < n; i++)
            {
                double err = Math.Abs((double)y[i] - r[i]);
                Assert.True(err <= (HalfRelative * r[i]) + Math.Pow(2, -25), $"n={n} i={i}: {(double)y[i]:R} vs {r[i]:R}");
            }

            Softmax.Compute(x, x);
            Assert.Equal(y, x);
        }

        var specials = new Half[] { Half.PositiveInfinity, (Half)1, Half.PositiveInfinity, Half.MaxValue };
        var result = new Half[4];
        Softmax.Compute(specials, result);
        Assert.Equal(new[] { (Half)0.5f, Half.Zero, (Half)0.5f, Half.Zero }, result);
        Softmax.Compute(new[] { Half.NaN, Half.One }, result.AsSpan(0, 2));
        Assert.True(Half.IsNaN(result[0]) && Half.IsNaN(result[1]));
        Softmax.Compute(ReadOnlySpan<Half>.Empty, Span<Half>.Empty);
    }

    /// <summary>BFloat16 output: rounding to bfloat16 costs up to 2^-8 relative (half an ulp); bfloat16 has float's exponent
    /// range, so no subnormal allowance is needed above 2^-126 (smaller outputs get half a subnormal step, 2^-134).</summary>
    [Fact]
    public void BFloat16_softmax_is_within_half_an_ulp_of_the_double_reference_and_handles_specials()
    {
        foreach (int n in new[] { 1, 7, 16, 33, 1000, 5000 })
        {
            float[] wide = RandomRow(n, 40, n + 1);
            BFloat16[] x = [.. wide.Select(v => (BFloat16)v)];
            var y = new BFloat16[n];
            Softmax.Compute(x, y);
            double[] r = SoftmaxTests.Reference([.. x.Select(h => (float)h)]);
            for (int i = 0; i < n; i++)
            {
                double err = Math.Abs((double)(float)y[i] - r[i]);
                Assert.True(err <= (r[i] / 256) + Math.Pow(2, -134), $"n={n} i={i}: {(float)y[i]:R} vs {r[i]:R}");
            }

            Softmax.Compute(x, x);
            Assert.Equal(y.Select(v => v.RawBits), x.Select(v => v.RawBits));
        }

        var specials = new[] { BFloat16.PositiveInfinity, (BFloat16)1f, BFloat16.PositiveInfinity, BFloat16.MaxValue };
        var result = new BFloat16[4];
        Softmax.Compute(specials, result);
        Assert.Equal(new[] { 0.5f, 0f, 0.5f, 0f }, result.Select(v => (float)v));
        Softmax.Compute(new[] { BFloat16.NaN, (BFloat16)1f }, result.AsSpan(0, 2));
        Assert.True(BFloat16.IsNaN(result[0]) && BFloat16.IsNaN(result[1]));
        Assert.Throws<ArgumentException>("y", () => Softmax.Compute(new BFloat16[3], new BFloat16[2]));
        Softmax.Compute(ReadOnlySpan<BFloat16>.Empty, Span<BFloat16>.Empty);
    }
}
