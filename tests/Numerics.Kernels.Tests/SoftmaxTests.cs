// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

public sealed class SoftmaxTests
{
    /// <summary>The accuracy goal: relative error against a double reference, for outputs in the normal range.
    /// Outputs below 2^-126 lose relative precision by nature; they get an absolute allowance of one subnormal step.</summary>
    private const double MaxRelativeError = 1e-5;

    private static readonly bool Fast = Vector128.IsHardwareAccelerated;

    public delegate void Kernel(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Every variant at every tier, by name (the names show up in failures).</summary>
    public static TheoryData<string> Variants() => new(Kernels.Keys);

    private static readonly Dictionary<string, Kernel> Kernels = new()
    {
        ["TwoPass.Scalar"] = TwoPassKernel.RunScalar,
        ["TwoPass.128"] = TwoPassKernel.Run128,
        ["TwoPass.256"] = TwoPassKernel.Run256,
        ["TwoPass.512"] = TwoPassKernel.Run512,
        ["ThreePass.Scalar"] = ThreePassKernel.RunScalar,
        ["ThreePass.128"] = ThreePassKernel.Run128,
        ["ThreePass.256"] = ThreePassKernel.Run256,
        ["ThreePass.512"] = ThreePassKernel.Run512,
        ["Public.TwoPass"] = Softmax.TwoPass,
        ["Public.ThreePass"] = Softmax.ThreePass,
        ["Public.Compute"] = Softmax.Compute,
    };

    /// <summary>Independent reference: max-shifted softmax in double.</summary>
    internal static double[] Reference(ReadOnlySpan<float> x)
    {
        double max = double.NegativeInfinity;
        foreach (float v in x)
        {
            max = Math.Max(max, v);
        }

        var r = new double[x.Length];
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            r[i] = Math.Exp(x[i] - max);
            sum += r[i];
        }

        for (int i = 0; i < x.Length; i++)
        {
            r[i] /= sum;
        }

        return r;
    }

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

    private static void AssertAccurate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, string what)
    {
        double[] r = Reference(x);
        for (int i = 0; i < x.Length; i++)
        {
            double err = Math.Abs(y[i] - r[i]);
            Assert.True(err <= (MaxRelativeError * r[i]) + float.Epsilon, $"{what}: i={i} x={x[i]:R} y={y[i]:R} ref={r[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_is_accurate_on_random_rows_of_many_lengths_and_magnitudes(string variant)
    {
        Kernel kernel = Kernels[variant];
        int[] lengths = Fast ? [1, 2, 3, 15, 16, 17, 63, 64, 65, 100, 1000, 4097, 16384 + 17, 40_000] : [1, 3, 17, 65, 1000, 16384 + 17];
        double[] scales = [1e-3, 1, 10, 100, 1000, 30_000, 1e6, 1e30];
        int seed = 0;
        foreach (int n in lengths)
        {
            foreach (double scale in scales)
            {
                float[] x = RandomRow(n, scale, seed++);
                var y = new float[n];
                kernel(x, y);
                AssertAccurate(x, y, $"{variant} n={n} scale={scale}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_is_accurate_when_one_value_dominates_or_rows_are_shifted(string variant)
    {
        Kernel kernel = Kernels[variant];
        foreach (float shift in new[] { 0f, 80f, 120f, -120f, 1000f, -1000f, 32500f, -32500f, 40000f, -40000f })
        {
            float[] x = RandomRow(333, 10, 42);
            for (int i = 0; i < x.Length; i++)
            {
                x[i] += shift;
            }

            x[77] = shift + 60;
            var y = new float[x.Length];
            kernel(x, y);
            AssertAccurate(x, y, $"{variant} shift={shift}");
        }
    }

    private static float[][] EdgeRows()
    {
        float inf = float.PositiveInfinity, max = float.MaxValue;
        return
        [
            [], [0f], [5f], [-max], [max], [inf], [-inf], [float.NaN],
            [100, 100, 0], [1000, -1000], [-1000, -1000.5f], [max, -max], [max, max / 2], [max, max],
            [inf, 1, inf], [inf, -inf, 0], [-inf, -inf], [-inf, 0, -inf], [float.NaN, 1], [1, 2, float.NaN, 3], [inf, float.NaN],
            [-inf, float.NaN], [1e6f, 1e6f - 1], [-1e6f, -1e6f - 1], [float.Epsilon, -float.Epsilon, 0f, -0f],
            [-32768f, -32768.5f], [32768f, 32767f], [-40000f, -40000.25f, -39999.5f],
        ];
    }

    [Fact]
    public void Special_values_follow_the_documented_rules()
    {
        float nan = float.NaN;
        float third = 1f / 3;
        foreach (Kernel kernel in Kernels.Values)
        {
            Assert.Equal([0.5f, 0f, 0.5f], Run(kernel, [float.PositiveInfinity, -3, float.PositiveInfinity]));
            Assert.Equal([third, 0f, third, third], Run(kernel, [float.PositiveInfinity, float.MaxValue, float.PositiveInfinity, float.PositiveInfinity]));
            Assert.Equal([nan, nan], Run(kernel, [float.NegativeInfinity, float.NegativeInfinity]));
            Assert.Equal([0f, 1f, 0f], Run(kernel, [float.NegativeInfinity, 0, float.NegativeInfinity]));
            Assert.Equal([nan, nan, nan], Run(kernel, [1, nan, 3]));
            Assert.Equal([nan, nan], Run(kernel, [float.PositiveInfinity, nan]));
            Assert.Equal([1f, 0f], Run(kernel, [float.MaxValue, -float.MaxValue]));
            Assert.Equal([1f, 0f], Run(kernel, [float.MaxValue, float.MaxValue / 2]));
            Assert.Equal([0.5f, 0.5f], Run(kernel, [float.MaxValue, float.MaxValue]));
            float[] tie = Run(kernel, [100, 100, 0]);                  // true values: 0.5 - 1.9e-44, same, 3.7e-44
            Assert.Equal(tie[0], tie[1]);
            Assert.InRange(tie[0], 0.5f - 1e-7f, 0.5f);
            Assert.InRange(tie[2], 0f, 5e-44f);
            Assert.Equal([1f], Run(kernel, [-float.MaxValue]));
            Assert.Equal([1f], Run(kernel, [12345f]));
            Assert.Empty(Run(kernel, []));
            float[] big = Run(kernel, [1e6f, 1e6f - 1]);
            Assert.Equal(1 / (1 + Math.Exp(-1)), big[0], 1e-6);
        }

        static float[] Run(Kernel kernel, float[] x)
        {
            var y = new float[x.Length];
            kernel(x, y);
            return y;
        }
    }

    [Fact]
    public void Every_tier_gives_identical_bits_on_random_and_edge_rows()
    {
        var rows = new List<float[]>(EdgeRows());
        var rng = new Random(11);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 0f, -0f, 1000f, -1000f, 40000f];
        for (int n = 0; n <= (4 * 64) + 1; n++)
        {
            rows.Add(RandomRow(n, n % 3 == 0 ? 100 : 5, n));
        }

        foreach (int n in Fast ? new[] { 16383, 16384, 16385, 16384 + 65, 3 * 16384 + 5 } : [16385])
        {
            rows.Add(RandomRow(n, 20, n));
        }

        for (int k = 0; k < 60; k++)
        {
            float[] x = RandomRow(rng.Next(1, 200), 30, 1000 + k);
            int count = rng.Next(1, 3);
            for (int j = 0; j < count; j++)
            {
                x[rng.Next(x.Length)] = specials[rng.Next(specials.Length)];
            }

            rows.Add(x);
        }

        Kernel[][] families =
        [
            [TwoPassKernel.RunScalar, TwoPassKernel.Run128, TwoPassKernel.Run256, TwoPassKernel.Run512],
            [ThreePassKernel.RunScalar, ThreePassKernel.Run128, ThreePassKernel.Run256, ThreePassKernel.Run512],
            [ThreePassKernel.RunLogScalar, ThreePassKernel.RunLog128, ThreePassKernel.RunLog256, ThreePassKernel.RunLog512],
        ];
        foreach (Kernel[] family in families)
        {
            foreach (float[] x in rows)
            {
                var expected = new float[x.Length];
                family[0](x, expected);
                for (int t = 1; t < family.Length; t++)
                {
                    var y = new float[x.Length];
                    family[t](x, y);
                    for (int i = 0; i < x.Length; i++)
                    {
                        Assert.True(
                            BitConverter.SingleToUInt32Bits(expected[i]) == BitConverter.SingleToUInt32Bits(y[i]),
                            $"family {Array.IndexOf(families, family)} tier {t} n={x.Length} i={i}: {expected[i]:R} vs {y[i]:R}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void InPlace_gives_the_same_bits_as_out_of_place(string variant)
    {
        Kernel kernel = Kernels[variant];
        foreach (int n in new[] { 1, 17, 64, 65, 1000, 16384 + 3 })
        {
            float[] x = RandomRow(n, 50, n);
            var expected = new float[n];
            kernel(x, expected);
            kernel(x, x);
            Assert.Equal(expected, x);
        }
    }

    [Fact]
    public void Destination_longer_than_source_is_written_only_up_to_the_source_length()
    {
        float[] x = RandomRow(37, 5, 3);
        var y = new float[40];
        y.AsSpan(37).Fill(-7f);
        Softmax.Compute(x, y);
        Softmax.TwoPass(x, y);
        Softmax.LogSoftmax(x, y);
        Assert.Equal([-7f, -7f, -7f], y[37..]);
    }

    [Fact]
    public void ThrowsForTooShortDestination()
    {
        var x = new float[10];
        var y = new float[9];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.Compute(x, y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.TwoPass(x, y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.ThreePass(x, y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.LogSoftmax(x, y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.Compute(new Half[3], new Half[2])).ParamName);
    }

    [Fact]
    public void ThrowsForPartialOverlap()
    {
        var buffer = new float[20];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.Compute(buffer.AsSpan(0, 10), buffer.AsSpan(1, 10))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.TwoPass(buffer.AsSpan(5, 10), buffer.AsSpan(0, 10))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.ThreePass(buffer.AsSpan(0, 10), buffer.AsSpan(9, 10))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.LogSoftmax(buffer.AsSpan(0, 10), buffer.AsSpan(2, 10))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Softmax.ComputeRows(buffer.AsSpan(0, 10), buffer.AsSpan(2, 10), 5)).ParamName);
    }

    [Fact]
    public void Rows_match_per_row_Compute_and_validate_the_shape()
    {
        const int Columns = 77;
        float[] x = RandomRow(Columns * 9, 20, 8);
        x[3] = float.PositiveInfinity;                // row 0 takes the infinity path, row 1 a NaN, the rest are ordinary
        x[Columns + 5] = float.NaN;
        var y = new float[x.Length];
        Softmax.ComputeRows(x, y, Columns);
        var log = new float[x.Length];
        Softmax.LogSoftmaxRows(x, log, Columns);
        for (int r = 0; r < 9; r++)
        {
            var row = new float[Columns];
            Softmax.Compute(x.AsSpan(r * Columns, Columns), row);
            Assert.Equal(row, y.AsSpan(r * Columns, Columns).ToArray());
            Softmax.LogSoftmax(x.AsSpan(r * Columns, Columns), row);
            Assert.Equal(row, log.AsSpan(r * Columns, Columns).ToArray());
        }

        Assert.Equal("rowLength", Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.ComputeRows(x, y, 0)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Softmax.ComputeRows(x, y, 10)).ParamName);
        Assert.Equal("rowLength", Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.LogSoftmaxRows(x, y, -1)).ParamName);
    }

    [Fact]
    public void Compute_picks_by_length_only()
    {
        float[] small = RandomRow(1000, 10, 1);
        var a = new float[small.Length];
        var b = new float[small.Length];
        Softmax.Compute(small, a);
        ThreePassKernel.Run(small, b);
        Assert.Equal(b, a);
        float[] large = RandomRow(Softmax.TwoPassThreshold, 10, 2);
        a = new float[large.Length];
        b = new float[large.Length];
        Softmax.Compute(large, a);
        TwoPassKernel.Run(large, b);
        Assert.Equal(b, a);
        AssertAccurate(large, a, "Compute at the two-pass threshold");
    }

    [Fact]
    public void Every_tier_gives_identical_bits_at_every_alignment_of_x_and_y()
    {
        // The three-pass maximum and scaling passes peel elements up to a 64-byte boundary; the sum passes must not depend
        // on it. Slices at offsets 0..16 floats cover every peel length.
        Kernel[][] families =
        [
            [TwoPassKernel.RunScalar, TwoPassKernel.Run128, TwoPassKernel.Run256, TwoPassKernel.Run512],
            [ThreePassKernel.RunScalar, ThreePassKernel.Run128, ThreePassKernel.Run256, ThreePassKernel.Run512],
            [ThreePassKernel.RunLogScalar, ThreePassKernel.RunLog128, ThreePassKernel.RunLog256, ThreePassKernel.RunLog512],
        ];
        foreach (int n in Fast ? new[] { 1, 15, 17, 100, 1000, 4099 } : [17, 1000])
        {
            float[] source = RandomRow(n + 32, 12, n);
            for (int offset = 0; offset <= 16; offset++)
            {
                ReadOnlySpan<float> x = source.AsSpan(offset, n);
                foreach (Kernel[] family in families)
                {
                    var expected = new float[n];
                    family[0](x, expected);
                    for (int t = 1; t < family.Length; t++)
                    {
                        var buffer = new float[n + 32];
                        Span<float> y = buffer.AsSpan((offset * 7) % 17, n);
                        family[t](x, y);
                        for (int i = 0; i < n; i++)
                        {
                            Assert.True(
                                BitConverter.SingleToUInt32Bits(expected[i]) == BitConverter.SingleToUInt32Bits(y[i]),
                                $"family {Array.IndexOf(families, family)} tier {t} n={n} offset={offset} i={i}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Two_pass_scale_loops_give_the_scalar_bits_for_every_tail_alignment_and_in_place()
    {
        // Scale512 runs four interleaved vectors per step, then single vectors, then the scalar tail: lengths around multiples
        // of 64 and 16 hit every split, offsets 0..16 every alignment of x and y, and y == x the in-place case.
        (float Inv, float Ef)[] factors = [(1f / 3000f, 12f), (0.75f, -3f), (1e-20f, 90f)];
        foreach (int n in new[] { 0, 1, 15, 16, 17, 63, 64, 65, 79, 80, 127, 128, 129, 191, 1000, 4096 + 77 })
        {
            float[] source = RandomRow(n + 32, 40, n + 7);
            foreach ((float inv, float ef) in factors)
            {
                for (int offset = 0; offset <= 16; offset += Fast ? 1 : 8)
                {
                    ReadOnlySpan<float> x = source.AsSpan(offset, n);
                    var expected = new float[n];
                    TwoPassKernel.ScaleTail(x, expected, 0, inv, ef);
                    foreach (var scale in new Action<ReadOnlySpan<float>, Span<float>>[]
                    {
                        (a, b) => TwoPassKernel.Scale512(a, b, inv, ef),
                        (a, b) => TwoPassKernel.Scale256(a, b, inv, ef),
                        (a, b) => TwoPassKernel.Scale128(a, b, inv, ef),
                    })
                    {
                        var buffer = new float[n + 32];
                        Span<float> y = buffer.AsSpan((offset * 5) % 17, n);
                        scale(x, y);
                        Assert.Equal(expected, y.ToArray());
                        float[] inPlace = source.AsSpan(offset, n).ToArray();
                        var copy = new float[n + 16];
                        Span<float> both = copy.AsSpan(offset % 16 == 0 ? 0 : 16 - (offset % 16), n);
                        inPlace.CopyTo(both);
                        scale(both, both);
                        Assert.Equal(expected, both.ToArray());
                    }
                }
            }
        }
    }

    [Fact]
    public void Two_pass_reduce_gives_the_same_bits_with_and_without_prefetch()
    {
        // The 512-bit reduce prefetches x ahead for long rows (hints only); its block sums must not change, including for
        // blocks at the end of the array (prefetch addresses past the end) and partial blocks.
        float[] x = RandomRow((2 * TwoPassKernel.Block) + 333, 40, 77);
        foreach ((int start, int length) in new[] { (0, TwoPassKernel.Block), (TwoPassKernel.Block, TwoPassKernel.Block + 333), (x.Length - 1000, 1000), (x.Length - 63, 63) })
        {
            ReadOnlySpan<float> block = x.AsSpan(start, length);
            (double s0, double e0) = TwoPassKernel.ReduceBlockScalar(block);
            (double s1, double e1) = TwoPassKernel.ReduceBlock512(block, prefetch: false);
            (double s2, double e2) = TwoPassKernel.ReduceBlock512(block, prefetch: true);
            Assert.Equal(BitConverter.DoubleToInt64Bits(s0), BitConverter.DoubleToInt64Bits(s1));
            Assert.Equal(BitConverter.DoubleToInt64Bits(s0), BitConverter.DoubleToInt64Bits(s2));
            Assert.Equal(e0, e1);
            Assert.Equal(e0, e2);
        }

        // A row long enough to take the prefetching path gives the scalar tier's bits.
        float[] longRow = RandomRow(TwoPassKernel.PrefetchMinLength + 4099, 25, 78);
        var expected = new float[longRow.Length];
        var actual = new float[longRow.Length];
        TwoPassKernel.RunScalar(longRow, expected);
        TwoPassKernel.Run512(longRow, actual);
        Assert.Equal(expected, actual);
        AssertAccurate(longRow, actual, "two-pass with prefetch");
    }

    [Fact]
    public void Sum_pass_gives_the_same_bits_with_and_without_the_exp_clamp_when_every_entry_is_in_range()
    {
        foreach (ThreePassKernel.Tier tier in Enum.GetValues<ThreePassKernel.Tier>())
        {
            foreach (int n in new[] { 1, 63, 64, 65, 1000, 16384 + 100 })
            {
                float[] x = RandomRow(n, 300, n + 5);
                x[n / 2] = -1e6f;                                    // x - max near -2^20: still in range, exp = 0
                float max = ThreePassKernel.MaxMin(x, tier, out float min);
                Assert.True(ThreePassKernel.InRange(min, max));
                var clamped = new float[n];
                var unclamped = new float[n];
                double a = ThreePassKernel.SumExp(x, clamped, max, store: true, inRange: false, tier);
                double b = ThreePassKernel.SumExp(x, unclamped, max, store: true, inRange: true, tier);
                Assert.Equal(BitConverter.DoubleToInt64Bits(a), BitConverter.DoubleToInt64Bits(b));
                Assert.Equal(clamped, unclamped);
            }
        }

        Assert.False(ThreePassKernel.InRange(-2e6f, 10f));
        Assert.False(ThreePassKernel.InRange(float.NegativeInfinity, 0f));
        Assert.False(ThreePassKernel.InRange(-float.MaxValue, float.MaxValue));
    }

    [Fact]
    public void MaxMin_matches_a_naive_loop_and_skips_NaN()
    {
        var rng = new Random(3);
        foreach (ThreePassKernel.Tier tier in Enum.GetValues<ThreePassKernel.Tier>())
        {
            for (int n = 1; n < 300; n += 7)
            {
                float[] x = RandomRow(n, 1000, n);
                x[rng.Next(n)] = float.NaN;
                float max = ThreePassKernel.MaxMin(x.AsSpan(n % 5 == 0 ? 0 : 0), tier, out float min);
                float[] finite = [.. x.Where(v => !float.IsNaN(v))];
                Assert.Equal(finite.Length == 0 ? float.NegativeInfinity : finite.Max(), max);
                Assert.Equal(finite.Length == 0 ? float.PositiveInfinity : finite.Min(), min);
            }
        }
    }
}

public sealed class SoftmaxParallelTests
{
    [Fact]
    public void Parallel_two_pass_gives_the_single_thread_bits_for_every_thread_count_and_tier()
    {
        var rng = new Random(21);
        int n = (5 * TwoPassKernel.Block) + 77;
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)((rng.NextDouble() * 60) - 30);
        }

        foreach (ThreePassKernel.Tier tier in Enum.GetValues<ThreePassKernel.Tier>())
        {
            if (tier != ThreePassKernel.Tier.V512 && !System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated)
            {
                continue;   // software vectors are slow; the scalar tier and the 512-bit body still run here
            }

            var expected = new float[n];
            TwoPassParallel.Run(x, expected, 1, tier);
            foreach (int degree in new[] { 2, 3, 4 })
            {
                var y = new float[n];
                TwoPassParallel.Run(x, y, degree, tier);
                Assert.Equal(expected, y);
            }
        }

        var viaPublic = new float[n];
        var single = new float[n];
        Softmax.TwoPass(x, viaPublic, 3);
        Softmax.TwoPass(x, single);
        Assert.Equal(single, viaPublic);
        x[12345] = float.PositiveInfinity;   // fallback path under threads
        Softmax.TwoPass(x, viaPublic, 2);
        Assert.Equal(1f, viaPublic[12345]);
        Assert.Equal(0f, viaPublic[0]);
        Softmax.TwoPass(x, x, 2);             // in place
        Assert.Equal(viaPublic, x);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.TwoPass(x, viaPublic, 0)).ParamName);
    }
}
