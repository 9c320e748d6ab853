// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Emulation;
using Numerics.Formats;

namespace Numerics.Emulation.Tests;

/// <summary>
/// Statistical tests. Every bound is 5 standard deviations of a binomial proportion, sqrt(p(1 − p)/N): a correct implementation
/// fails with probability below 1e-6 per assertion, and the seeds are fixed, so a pass is reproducible.
/// </summary>
public class ChopperStochasticTests
{
    private const int N = 40_000;

    private static double Bound(double p, int n = N) => 5 * Math.Sqrt(p * (1 - p) / n);

    [Theory]
    [InlineData(1.0, 0.0009765625, 0.3)]                   // 1 + 0.3 ulp
    [InlineData(-1.0, 0.0009765625, 0.3)]                  // negative: P(away from zero) = 0.3
    [InlineData(0.0, 5.9604644775390625E-08, 0.3)]                   // 0.3 of the smallest subnormal (chop gives always 0)
    [InlineData(65504.0, 32.0, 0.3)]                  // xmax + 0.3 ulp: P(inf) = 0.3, not CPFloat's 0.6
    public void Stochastic_is_unbiased(double lower, double gap, double fraction)
    {
        double x = lower + (Math.Sign(lower == 0 ? 1 : lower) * fraction * gap);
        var source = new double[N];
        Array.Fill(source, x);
        var result = new double[N];
        new Chopper(FloatFormat.Binary16, RoundingMode.Stochastic, new ChopOptions { Seed = 2024 }).Chop(source, result);
        double away = lower == 65504.0 ? double.PositiveInfinity : lower + (Math.Sign(lower == 0 ? 1 : lower) * gap);
        int ups = result.Count(r => r == away);
        Assert.Equal(N, ups + result.Count(r => r == lower));
        Assert.InRange(ups / (double)N, fraction - Bound(fraction), fraction + Bound(fraction));
    }

    [Fact]
    public void StochasticUniform_is_fair_and_exact_values_never_move()
    {
        var source = new float[N];
        Array.Fill(source, 1.0f + 0.000244140625f);
        var result = new float[N];
        new Chopper(FloatFormat.BFloat16, RoundingMode.StochasticUniform, new ChopOptions { Seed = 5 }).Chop(source, result);
        Assert.InRange(result.Count(r => r == 1.0078125f) / (double)N, 0.5 - Bound(0.5), 0.5 + Bound(0.5));
        Array.Fill(source, 1.5f);
        new Chopper(FloatFormat.BFloat16, RoundingMode.StochasticUniform, new ChopOptions { Seed = 5 }).Chop(source, result);
        Assert.All(result, r => Assert.Equal(1.5f, r));
    }

    [Fact]
    public void Stochastic_rounding_is_reproducible_by_seed_and_index()
    {
        var random = new Random(1);
        var x = new double[5000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble();
        }

        double[] Run(ulong seed)
        {
            var y = new double[x.Length];
            new Chopper(FloatFormat.E4M3FN, RoundingMode.Stochastic, new ChopOptions { Seed = seed }).Chop(x, y);
            return y;
        }

        Assert.Equal(Run(10), Run(10));
        Assert.NotEqual(Run(10), Run(11));
        var chopper = new Chopper(FloatFormat.E4M3FN, RoundingMode.Stochastic, new ChopOptions { Seed = 10 });
        double[] whole = Run(10);
        var tail = new double[100];
        chopper.Chop(x.AsSpan(4900), tail);   // a slice restarts the index at 0: element i uses index i of the slice
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(chopper.Chop(x[4900 + i], i), tail[i]);
            Assert.Equal(whole[4900 + i], chopper.Chop(x[4900 + i], 4900 + i));
        }
    }

    [Fact]
    public void Flip_rate_matches_the_probability()
    {
        const double P = 0.25;
        var source = new double[N];
        var random = new Random(6);
        for (int i = 0; i < N; i++)
        {
            source[i] = random.NextDouble() + 0.5;
        }

        var clean = new double[N];
        new Chopper(FloatFormat.Binary16).Chop(source, clean);
        var flipped = new double[N];
        new Chopper(FloatFormat.Binary16, RoundingMode.NearestEven, new ChopOptions { Seed = 99, FlipProbability = P, FlipFields = BitFlipFields.All }).Chop(source, flipped);
        int changed = 0;
        for (int i = 0; i < N; i++)
        {
            changed += BitConverter.DoubleToInt64Bits(clean[i]) != BitConverter.DoubleToInt64Bits(flipped[i]) ? 1 : 0;
        }

        Assert.InRange(changed / (double)N, P - Bound(P), P + Bound(P));
    }

    [Theory]
    [InlineData(BitFlipFields.Fraction)]
    [InlineData(BitFlipFields.Exponent)]
    [InlineData(BitFlipFields.Sign)]
    [InlineData(BitFlipFields.Sign | BitFlipFields.Fraction)]
    [InlineData(BitFlipFields.All)]
    public void Flips_touch_only_the_requested_fields_uniformly(BitFlipFields fields)
    {
        FloatFormat format = FloatFormat.Binary16;   // sign bit 15, exponent bits 10..14, fraction bits 0..9
        int[] allowed = Enumerable.Range(0, 16).Where(b =>
            (b < 10 && fields.HasFlag(BitFlipFields.Fraction)) || (b is >= 10 and < 15 && fields.HasFlag(BitFlipFields.Exponent)) || (b == 15 && fields.HasFlag(BitFlipFields.Sign))).ToArray();
        const int Count = 20_000;
        var source = new double[Count];
        var random = new Random(12);
        for (int i = 0; i < Count; i++)
        {
            source[i] = (double)BitConverter.UInt16BitsToHalf((ushort)random.Next(0x0000, 0x7C00));  // finite binary16 values
        }

        var result = new double[Count];
        new Chopper(format, RoundingMode.NearestEven, new ChopOptions { Seed = 1, FlipProbability = 1, FlipFields = fields }).Chop(source, result);
        var hits = new int[16];
        for (int i = 0; i < Count; i++)
        {
            // The oracle: the result must be the code of the input with exactly one allowed bit inverted (via System.Half).
            ushort code = BitConverter.HalfToUInt16Bits((Half)source[i]);
            int bit = Array.FindIndex(allowed, b => SameValue((double)BitConverter.UInt16BitsToHalf((ushort)(code ^ (1 << b))), result[i]));
            Assert.True(bit >= 0, $"{source[i]:R} -> {result[i]:R} is not a single flip of the allowed bits");
            hits[allowed[bit]]++;
        }

        double share = 1.0 / allowed.Length;
        foreach (int b in allowed)
        {
            Assert.InRange(hits[b] / (double)Count, share - Bound(share, Count), share + Bound(share, Count));
        }
    }

    private static bool SameValue(double a, double b) =>
        double.IsNaN(a) ? double.IsNaN(b) : BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}
