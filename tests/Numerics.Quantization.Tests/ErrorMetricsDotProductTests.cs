// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;

namespace Numerics.Quantization.Tests;

/// <summary>The dot-product error metric against exact rational sums (BigInteger over the floats' dyadic values).</summary>
public sealed class ErrorMetricsDotProductTests
{
    /// <summary>Σ a_i·b_i exactly, as a BigInteger multiple of 2^-300 (every float product is a multiple of 2^-298).</summary>
    private static BigInteger ExactDot(float[] a, float[] b)
    {
        BigInteger sum = BigInteger.Zero;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Scaled(a[i]) * Scaled(b[i]);
        }

        return sum;
    }

    private static BigInteger Scaled(float x) // x · 2^150, exact
    {
        if (x == 0)
        {
            return BigInteger.Zero;
        }

        int bits = BitConverter.SingleToInt32Bits(x);
        int exponent = (bits >> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        BigInteger m = exponent == 0 ? mantissa : mantissa | 0x800000;
        int shift = (exponent == 0 ? 1 : exponent) - 127 - 23 + 150;
        BigInteger v = m << shift;
        return x < 0 ? -v : v;
    }

    private static double Ratio(BigInteger num, BigInteger den) => (double)BigInteger.Abs(num) / (double)BigInteger.Abs(den);

    [Fact]
    public void Given_operand_matches_the_exact_ratio()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = 1 + rng.Next(300);
            float[] r = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.3)).ToArray();
            float[] y = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            float[] a = IntegerQuantizer.Quantize(r, 1, n, new IntegerQuantizationOptions { Bits = 4 }).ToFloat();
            BigInteger error = ExactDot(a, y) - ExactDot(r, y);
            double expected = Ratio(error, ExactDot(r, y));
            double actual = ErrorMetrics.DotProductError(r, a, y);
            Assert.True(Math.Abs(actual - expected) <= 1e-9 * expected + 1e-15, $"trial {trial}: {actual} vs {expected}");
        }
    }

    [Fact]
    public void Over_operands_reports_mean_max_and_rms()
    {
        var rng = new Random(6);
        const int n = 64, count = 10;
        float[] r = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] a = r.Select(v => v + (float)((rng.NextDouble() - 0.5) * 0.01)).ToArray();
        float[] ys = Enumerable.Range(0, n * count).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        DotProductErrorReport report = ErrorMetrics.DotProductErrorOverOperands(r, a, ys);
        double sum = 0, max = 0;
        BigInteger se = BigInteger.Zero, ss = BigInteger.Zero;
        for (int t = 0; t < count; t++)
        {
            float[] y = ys.AsSpan(t * n, n).ToArray();
            BigInteger e = ExactDot(a, y) - ExactDot(r, y), s = ExactDot(r, y);
            double rel = Ratio(e, s);
            sum += rel;
            max = Math.Max(max, rel);
            se += e * e;
            ss += s * s;
        }

        Assert.Equal(count, report.Operands);
        Assert.Equal(sum / count, report.MeanRelativeError, 1e-9);
        Assert.Equal(max, report.MaxRelativeError, 1e-9);
        Assert.Equal(Math.Sqrt((double)se / (double)ss), report.RmsRatio, 1e-9);
    }

    [Fact]
    public void Random_operands_estimate_the_relative_norm_error()
    {
        var rng = new Random(7);
        const int n = 256;
        float[] r = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] a = IntegerQuantizer.Quantize(r, 1, n, new IntegerQuantizationOptions { Bits = 3 }).ToFloat();
        DotProductErrorReport report = ErrorMetrics.RandomDotProductError(r, a, trials: 4000, seed: 1);
        double norm = Math.Sqrt(r.Zip(a, (p, q) => ((double)q - p) * ((double)q - p)).Sum() / r.Sum(v => (double)v * v));
        Assert.InRange(report.RmsRatio, norm * 0.93, norm * 1.07); // E<e,y>^2 = |e|^2 for standard normal y; 4000 trials: ~2% sd
        Assert.Equal(report, ErrorMetrics.RandomDotProductError(r, a, trials: 4000, seed: 1)); // seeded
    }

    [Fact]
    public void Edge_cases_and_validation()
    {
        Assert.Equal(0, ErrorMetrics.DotProductError([0f, 0f], [0f, 0f], [1f, 2f]));
        Assert.Equal(double.PositiveInfinity, ErrorMetrics.DotProductError([0f, 0f], [1f, 0f], [1f, 2f]));
        Assert.Equal(0, ErrorMetrics.DotProductError([1f, 2f], [1f, 2f], [3f, -4f]));
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => ErrorMetrics.DotProductError([1f], [1f], [1f, 2f])).ParamName);
        Assert.Equal("operands", Assert.Throws<ArgumentException>(() => ErrorMetrics.DotProductErrorOverOperands([1f, 2f], [1f, 2f], [1f, 2f, 3f])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ErrorMetrics.RandomDotProductError([1f], [1f], trials: 0));
    }

    [Fact]
    public void Random_operands_beyond_the_largest_array_throw_naming_trials()
    {
        // trials × n operand values are generated into one array; int.MaxValue × 64 used to throw OverflowException.
        float[] r = new float[64], a = new float[64];
        r[0] = 1;
        Assert.Equal("trials", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorMetrics.RandomDotProductError(r, a, int.MaxValue)).ParamName);
    }
}
