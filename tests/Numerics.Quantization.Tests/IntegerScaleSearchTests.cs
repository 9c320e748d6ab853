// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization.Tests;

/// <summary>Percentile and MSE-search scales and the saturating non-finite option of the integer quantizer, against naive re-implementations.</summary>
public sealed class IntegerScaleSearchTests
{
    private static float[] HeavyTailed(Random rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble() - 0.5;
            x[i] = (float)(Math.Sign(u) * Math.Pow(Math.Abs(u) * 2, 4) * 10); // most values small, a few large
        }

        return x;
    }

    /// <summary>The scale and zero point as the class remarks define them, recomputed independently.</summary>
    private static (float Scale, int Zero) Naive(double lo, double hi, int bits, bool isSigned, bool symmetric)
    {
        int qmin = isSigned ? -(1 << (bits - 1)) : 0, qmax = isSigned ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
        if (symmetric)
        {
            return ((float)(Math.Max(-lo, hi) / ((1 << (bits - 1)) - 1)), isSigned ? 0 : 1 << (bits - 1));
        }

        float s = (float)((hi - lo) / (qmax - qmin));
        return s == 0 ? (0, isSigned ? 0 : qmin) : (s, Math.Clamp(qmin - (int)Math.Round(lo / s, MidpointRounding.ToEven), qmin, qmax));
    }

    [Theory]
    [InlineData(4, true, true, 99.0)]
    [InlineData(4, false, false, 95.0)]
    [InlineData(8, true, false, 99.9)]
    [InlineData(2, true, true, 90.0)]
    public void Percentile_scale_is_the_nearest_rank_percentile(int bits, bool isSigned, bool symmetric, double p)
    {
        var rng = new Random(bits + (int)p);
        float[] x = HeavyTailed(rng, 4 * 64);
        var o = new IntegerQuantizationOptions
        {
            Bits = bits, IsSigned = isSigned, Symmetric = symmetric, Granularity = QuantizationGranularity.PerGroup, GroupSize = 64,
            ScaleMethod = IntegerScaleMethod.Percentile, ClipPercentile = p,
        };
        QuantizedTensor q = IntegerQuantizer.Quantize(x, 2, 128, o);
        for (int g = 0; g < 4; g++)
        {
            float[] group = x.AsSpan(g * 64, 64).ToArray();
            double lo, hi;
            if (symmetric)
            {
                double[] a = group.Select(v => (double)Math.Abs(v)).Order().ToArray();
                hi = a[(int)Math.Ceiling(p / 100 * 64) - 1];
                lo = -hi;
            }
            else
            {
                double[] a = group.Select(v => (double)v).Order().ToArray();
                lo = Math.Min(0, a[Math.Max((int)Math.Ceiling((100 - p) / 100 * 64), 1) - 1]);
                hi = Math.Max(0, a[(int)Math.Ceiling(p / 100 * 64) - 1]);
            }

            (float scale, int zero) = Naive(lo, hi, bits, isSigned, symmetric);
            Assert.Equal(scale, q.Scales.Span[g]);
            Assert.Equal(zero, q.ZeroPoints.Span[g]);
        }
    }

    [Theory]
    [InlineData(4, true, true)]
    [InlineData(3, false, false)]
    [InlineData(2, true, false)]
    [InlineData(8, true, true)]
    public void Mse_search_picks_the_grid_ratio_with_the_least_squared_error(int bits, bool isSigned, bool symmetric)
    {
        var rng = new Random(bits * 7);
        float[] x = HeavyTailed(rng, 3 * 32);
        var o = new IntegerQuantizationOptions
        {
            Bits = bits, IsSigned = isSigned, Symmetric = symmetric, Granularity = QuantizationGranularity.PerChannel, Axis = 0,
            ScaleMethod = IntegerScaleMethod.MseSearch,
        };
        QuantizedTensor q = IntegerQuantizer.Quantize(x, 3, 32, o);
        QuantizedTensor minMax = IntegerQuantizer.Quantize(x, 3, 32, o with { ScaleMethod = IntegerScaleMethod.MinMax });
        float[] yq = q.ToFloat(), ym = minMax.ToFloat();
        int qmin = isSigned ? -(1 << (bits - 1)) : 0, qmax = isSigned ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
        for (int r = 0; r < 3; r++)
        {
            float[] row = x.AsSpan(r * 32, 32).ToArray();
            double lo = Math.Min(0, row.Min()), hi = Math.Max(0, row.Max());
            double bestError = double.PositiveInfinity;
            (float Scale, int Zero) best = default;
            for (int i = 0; i < 80; i++)
            {
                double alpha = 1 - (i / 100.0);
                (float s, int z) = Naive(alpha * lo, alpha * hi, bits, isSigned, symmetric);
                double error = 0;
                foreach (float v in row)
                {
                    int code = s == 0 ? z : (int)Math.Clamp(Math.Round(v / (double)s, MidpointRounding.ToEven) + z, qmin, qmax);
                    double e = (float)((code - z) * s) - (double)v;
                    error += e * e;
                }

                if (error < bestError)
                {
                    (bestError, best) = (error, (s, z));
                }
            }

            Assert.Equal(best.Scale, q.Scales.Span[r]);
            Assert.Equal(best.Zero, q.ZeroPoints.Span[r]);

            // α = 1 is a candidate, so the search never does worse than min/max.
            double searched = 0, plain = 0;
            for (int c = 0; c < 32; c++)
            {
                searched += Math.Pow(yq[(r * 32) + c] - (double)row[c], 2);
                plain += Math.Pow(ym[(r * 32) + c] - (double)row[c], 2);
            }

            Assert.True(searched <= plain, $"row {r}: {searched} > {plain}");
        }
    }

    [Fact]
    public void Saturate_option_clamps_infinities_and_zeroes_nan()
    {
        float[] x = [1, -2, float.PositiveInfinity, 3.5f, float.NegativeInfinity, float.NaN, 0.5f, -7];
        var o = new IntegerQuantizationOptions { Bits = 4, NonFinite = IntegerNonFiniteHandling.Saturate };
        QuantizedTensor q = IntegerQuantizer.Quantize(x, 1, 8, o);
        Assert.Equal(1f, q.Scales.Span[0]); // amax of the finite values is 7: scale 7/7
        Assert.Equal(7, q.GetCode(0, 2));
        Assert.Equal(-8, q.GetCode(0, 4));
        Assert.Equal(0, q.GetCode(0, 5));
        Assert.Equal(4, q.GetCode(0, 3)); // 3.5 ties to even
        Assert.Equal(new float[] { 1, -2, 7, 4, -8, 0, 0, -7 }, q.ToFloat());

        var asym = IntegerQuantizer.Quantize(x, 1, 8, o with { Symmetric = false, IsSigned = false });
        Assert.Equal(15, asym.GetCode(0, 2));
        Assert.Equal(0, asym.GetCode(0, 4));
        Assert.Equal(asym.ZeroPoints.Span[0], asym.GetCode(0, 5));
    }

    [Fact]
    public void Invalid_scale_options_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.Quantize(new float[4], 1, 4, new IntegerQuantizationOptions { ClipPercentile = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.Quantize(new float[4], 1, 4, new IntegerQuantizationOptions { ClipPercentile = 100.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.Quantize(new float[4], 1, 4, new IntegerQuantizationOptions { ScaleMethod = (IntegerScaleMethod)7 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerQuantizer.Quantize(new float[4], 1, 4, new IntegerQuantizationOptions { NonFinite = (IntegerNonFiniteHandling)2 }));
    }
}
