// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Formats.Rounding;

namespace Numerics.Formats.Tests;

/// <summary>
/// The binary64-lane kernel (every mode, stochastic included, double and float spans), the fast RNE binary32 kernel, and the
/// start-index span overloads: every vector width against the scalar reference <see cref="FloatFormat.Round(double, RoundingMode, OverflowMode, ulong)"/>
/// bit for bit on edge and random inputs, and chunked calls against one call.
/// </summary>
public sealed class WideRoundTests
{
    private const ulong Seed = 0x5EED_1234_ABCD_0001;

    private static readonly int[] Widths = [0, 128, 256, 512];

    public static TheoryData<string> Formats =>
    [
        "bfloat16", "tf32", "binary16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz",
        "float8_e4m3", "float8_e3m4", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn", "binary32", "custom_ftz", "custom_noinf",
        "custom_p7", "double_range_p8", "double_range_p11_ftz", "double_range_p52", "custom_p1_noinf",
    ];

    internal static FloatFormat Format(string name) => name switch
    {
        "custom_ftz" => FloatFormat.Create(5, -9, 10, subnormals: false),
        "custom_noinf" => FloatFormat.Create(4, -6, 8, infinity: false),
        "custom_p7" => FloatFormat.Create(7, -30, 31),
        "double_range_p8" => FloatFormat.Create(8, -1022, 1023),
        "double_range_p11_ftz" => FloatFormat.Create(11, -1022, 1023, subnormals: false),
        "double_range_p52" => FloatFormat.Create(52, -1022, 1023),
        "custom_p1_noinf" => FloatFormat.Create(2, -3, 4, infinity: false),
        "binary32" => FloatFormat.Binary32,
        _ => GoldenFiles.Preset(name),
    };

    /// <summary>Values of codes, midpoints and ±1 binary64 ulp around them, the overflow threshold, specials, random patterns.</summary>
    internal static double[] DoubleEdgeInputs(FloatFormat f, int randomCount)
    {
        List<double> xs = [];
        ulong maxCode = f.Encode(f.MaxFinite);
        ulong step = Math.Max(1, maxCode / 400);
        for (ulong c = 0; c <= maxCode + 1; c += c < 64 || c + 64 > maxCode ? 1 : step)
        {
            double lo = GridArbitraries.ValueOf(f, c), hi = GridArbitraries.ValueOf(f, c + 1);
            if (!double.IsFinite(lo) || !double.IsFinite(hi))
            {
                continue;
            }

            double mid = lo + ((hi - lo) / 2);
            foreach (double v in new[] { lo, mid, Math.BitIncrement(mid), Math.BitDecrement(mid), lo + ((hi - lo) / 3), hi * 3, (float)mid, MathF.BitIncrement((float)mid) })
            {
                xs.Add(v);
                xs.Add(-v);
            }
        }

        ulong[] specials =
        [
            0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0001,
            0xFFFF_FFFF_FFFF_FFFF, 0x7FF4_0000_0000_1234, 1, 0x8000_0000_0000_0001, 0x000F_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000,
            0x7FEF_FFFF_FFFF_FFFF, 0xFFEF_FFFF_FFFF_FFFF, 0, 0x8000_0000_0000_0000, 0x3FF0_0000_0000_0001,
        ];
        xs.AddRange(specials.Select(BitConverter.UInt64BitsToDouble));
        foreach (double v in new[] { f.MaxFinite, f.MinNormal, f.MinSubnormal, f.MinNormal / 2, f.MinSubnormal / 2, f.MinSubnormal / 4 })
        {
            foreach (double w in new[] { v, Math.BitIncrement(v), Math.BitDecrement(v), v * 1.0625, (float)v, MathF.BitIncrement((float)v), MathF.BitDecrement((float)v) })
            {
                xs.Add(w);
                xs.Add(-w);
            }
        }

        var random = new Random(11);
        for (int i = 0; i < randomCount; i++)
        {
            xs.Add(BitConverter.UInt64BitsToDouble((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63)));
            xs.Add((random.NextDouble() - 0.5) * Math.Min(f.MaxFinite, 1e300) * 2.5);
            xs.Add((random.NextDouble() - 0.5) * f.MinNormal * 4);
            xs.Add(BitConverter.UInt32BitsToSingle((uint)random.NextInt64()));
        }

        double[] result = [.. xs];
        random.Shuffle(result);
        return result;
    }

    private static float[] FloatEdgeInputs(FloatFormat f, int randomCount)
    {
        double[] d = DoubleEdgeInputs(f, randomCount);
        var xs = new List<float>(d.Length * 2);
        foreach (double v in d)
        {
            float x = (float)v;
            xs.Add(x);
            xs.Add(MathF.BitIncrement(x));
        }

        uint[] specials = [0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFFFF_FFFF, 0x7FA0_1234, 0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x7F7F_FFFF];
        xs.AddRange(specials.Select(BitConverter.UInt32BitsToSingle));
        return [.. xs];
    }

    private static int RandomCount => Vector128.IsHardwareAccelerated ? 600 : 150;

    private static RoundingMode[] AllModes => Enum.GetValues<RoundingMode>();

    private static void AssertSame(ReadOnlySpan<double> input, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToUInt64Bits(expected[i]) != BitConverter.DoubleToUInt64Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length}, x = {input[i]:R} (0x{BitConverter.DoubleToUInt64Bits(input[i]):X16}): expected {expected[i]:R} (0x{BitConverter.DoubleToUInt64Bits(expected[i]):X16}), got {actual[i]:R} (0x{BitConverter.DoubleToUInt64Bits(actual[i]):X16})");
            }
        }
    }

    private static void AssertSame(ReadOnlySpan<float> input, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length}, x = {input[i]:R} (0x{BitConverter.SingleToUInt32Bits(input[i]):X8}): expected {expected[i]:R} (0x{BitConverter.SingleToUInt32Bits(expected[i]):X8}), got {actual[i]:R} (0x{BitConverter.SingleToUInt32Bits(actual[i]):X8})");
            }
        }
    }

    /// <summary>Runs one width of the wide driver directly (0 = scalar; Vector512 runs in software where AVX-512 is absent).</summary>
    private static void RunWidth<T>(FloatFormat f, RoundingMode mode, OverflowMode overflow, int width, ReadOnlySpan<T> x, Span<T> d, long firstIndex)
        where T : unmanaged
    {
        switch (mode)
        {
            case RoundingMode.NearestEven: Run(new WideRoundOperator<DeterministicRule<NearestEvenSelector>>(f, overflow), width, x, d, firstIndex); break;
            case RoundingMode.NearestAway: Run(new WideRoundOperator<DeterministicRule<NearestAwaySelector>>(f, overflow), width, x, d, firstIndex); break;
            case RoundingMode.NearestTowardZero: Run(new WideRoundOperator<DeterministicRule<NearestTowardZeroSelector>>(f, overflow), width, x, d, firstIndex); break;
            case RoundingMode.TowardZero: Run(new WideRoundOperator<DeterministicRule<TowardZeroSelector>>(f, overflow), width, x, d, firstIndex); break;
            case RoundingMode.TowardPositive: Run(new WideRoundOperator<DeterministicRule<TowardPositiveSelector>>(f, overflow), width, x, d, firstIndex); break;
            case RoundingMode.TowardNegative: Run(new WideRoundOperator<DeterministicRule<TowardNegativeSelector>>(f, overflow), width, x, d, firstIndex); break;
            case RoundingMode.ToOdd: Run(new WideRoundOperator<DeterministicRule<ToOddSelector>>(f, overflow), width, x, d, firstIndex); break;
            case RoundingMode.Stochastic: Run(new WideRoundOperator<StochasticRule>(f, overflow), width, x, d, firstIndex); break;
            default: Run(new WideRoundOperator<StochasticUniformRule>(f, overflow), width, x, d, firstIndex); break;
        }

        static void Run<TRule>(WideRoundOperator<TRule> op, int width, ReadOnlySpan<T> x, Span<T> d, long firstIndex)
            where TRule : struct, IWideRoundingRule
        {
            ulong key = StochasticRounding.StreamKey(Seed);
            if (typeof(T) == typeof(double))
            {
                ReadOnlySpan<double> xd = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(x);
                Span<double> dd = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(d);
                switch (width)
                {
                    case 0: WideDriver.RunScalar(xd, dd, op, key, firstIndex); break;
                    case 128: WideDriver.Run128(xd, dd, op, key, firstIndex); break;
                    case 256: WideDriver.Run256(xd, dd, op, key, firstIndex); break;
                    default: WideDriver.Run512(xd, dd, op, key, firstIndex); break;
                }
            }
            else
            {
                ReadOnlySpan<float> xf = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(x);
                Span<float> df = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(d);
                switch (width)
                {
                    case 0: WideDriver.RunScalar(xf, df, op, key, firstIndex); break;
                    case 128: WideDriver.Run128(xf, df, op, key, firstIndex); break;
                    case 256: WideDriver.Run256(xf, df, op, key, firstIndex); break;
                    default: WideDriver.Run512(xf, df, op, key, firstIndex); break;
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Wide_kernel_double_spans_match_the_scalar_reference_on_every_width_and_mode(string name)
    {
        FloatFormat f = Format(name);
        Assert.True(WideRoundOperator<StochasticRule>.Supports(f));
        double[] x = DoubleEdgeInputs(f, RandomCount);
        double[] expected = new double[x.Length], actual = new double[x.Length];
        const long FirstIndex = 1_000_003;
        foreach (RoundingMode mode in AllModes)
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                for (int i = 0; i < x.Length; i++)
                {
                    expected[i] = f.Round(x[i], mode, overflow, mode >= RoundingMode.Stochastic ? StochasticRounding.RandomBits(Seed, FirstIndex + i) : 0);
                }

                foreach (int width in Widths)
                {
                    Array.Clear(actual);
                    RunWidth<double>(f, mode, overflow, width, x, actual, FirstIndex);
                    AssertSame(x, expected, actual, $"{f} {mode}/{overflow} double width {width}");
                }

                f.Round(x, actual, mode, overflow, Seed, FirstIndex);
                AssertSame(x, expected, actual, $"{f} {mode}/{overflow} double public entry point");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Wide_kernel_float_spans_match_the_scalar_reference_on_every_width_and_mode(string name)
    {
        FloatFormat f = Format(name);
        float[] x = FloatEdgeInputs(f, RandomCount / 2);
        float[] expected = new float[x.Length], actual = new float[x.Length];
        const long FirstIndex = -5;
        foreach (RoundingMode mode in AllModes)
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                for (int i = 0; i < x.Length; i++)
                {
                    expected[i] = (float)f.Round(x[i], mode, overflow, mode >= RoundingMode.Stochastic ? StochasticRounding.RandomBits(Seed, FirstIndex + i) : 0);
                }

                foreach (int width in Widths)
                {
                    Array.Clear(actual);
                    RunWidth<float>(f, mode, overflow, width, x, actual, FirstIndex);
                    AssertSame(x, expected, actual, $"{f} {mode}/{overflow} float width {width}");
                }

                f.Round(x, actual, mode, overflow, Seed, FirstIndex);
                AssertSame(x, expected, actual, $"{f} {mode}/{overflow} float public entry point");
            }
        }
    }

    /// <summary>
    /// The stochastic comparison at its boundary: random words equal to the lane's dropped bits shifted to the top of the word
    /// (the threshold itself in the normal range) and ±1 around them, and words built from the remainder below the min normal.
    /// </summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public void Stochastic_threshold_boundaries_match_the_scalar_reference_on_every_width(string name)
    {
        FloatFormat f = Format(name);
        double[] x = DoubleEdgeInputs(f, RandomCount / 4);
        var op = new WideRoundOperator<StochasticRule>(f, OverflowMode.NonSaturating);
        var uniform = new WideRoundOperator<StochasticUniformRule>(f, OverflowMode.NonSaturating);
        int s = 52 - f.MantissaBits;
        foreach (double v in x)
        {
            ulong bits = BitConverter.DoubleToUInt64Bits(v) & 0x7FFF_FFFF_FFFF_FFFF;
            double sub = Math.Abs(v) / f.MinSubnormal;
            double fraction = sub - Math.Floor(sub);
            ulong subThreshold = fraction > 0 && fraction < 1 ? (ulong)Math.ScaleB(fraction, 64) : 0;
            ulong[] words = [bits << (64 - s), subThreshold, 0, 1, ulong.MaxValue, 1UL << 63, (1UL << 63) - 1, bits << 12, bits << 40];
            foreach (ulong w0 in words)
            {
                foreach (ulong w in new[] { w0 - 1, w0, w0 + 1 })
                {
                    ulong expected = BitConverter.DoubleToUInt64Bits(f.Round(v, RoundingMode.Stochastic, OverflowMode.NonSaturating, w));
                    ulong expectedUniform = BitConverter.DoubleToUInt64Bits(f.Round(v, RoundingMode.StochasticUniform, OverflowMode.NonSaturating, w));
                    Assert.Equal(expected, BitConverter.DoubleToUInt64Bits(op.Invoke(Vector128.Create(v), Vector128.Create(w))[1]));
                    Assert.Equal(expected, BitConverter.DoubleToUInt64Bits(op.Invoke(Vector256.Create(v), Vector256.Create(w))[3]));
                    Assert.Equal(expected, BitConverter.DoubleToUInt64Bits(op.Invoke(Vector512.Create(v), Vector512.Create(w))[7]));
                    Assert.Equal(expectedUniform, BitConverter.DoubleToUInt64Bits(uniform.Invoke(Vector256.Create(v), Vector256.Create(w))[0]));
                    Assert.Equal(expectedUniform, BitConverter.DoubleToUInt64Bits(uniform.Invoke(Vector512.Create(v), Vector512.Create(w))[5]));
                }
            }
        }
    }

    public static TheoryData<string> FastRneFormats =>
    [
        "bfloat16", "tf32", "binary16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz",
        "float8_e4m3", "float8_e3m4", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn", "custom_ftz", "custom_noinf", "custom_p7",
        "custom_p1_noinf", "float_range_p20", "float_range_p8_ftz",
    ];

    [Theory]
    [MemberData(nameof(FastRneFormats))]
    public void Fast_rne_kernel_matches_the_scalar_reference_on_every_width(string name)
    {
        FloatFormat f = name switch
        {
            "float_range_p20" => FloatFormat.Create(20, -126, 127),
            "float_range_p8_ftz" => FloatFormat.Create(8, -126, 127, subnormals: false),
            _ => Format(name),
        };
        Assert.True(FastRneRoundOperator.Supports(f));
        float[] x = FloatEdgeInputs(f, RandomCount);
        float[] expected = new float[x.Length], actual = new float[x.Length];
        foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
        {
            for (int i = 0; i < x.Length; i++)
            {
                expected[i] = (float)f.Round(x[i], RoundingMode.NearestEven, overflow);
            }

            var op = new FastRneRoundOperator(f, overflow);
            foreach (int width in Widths)
            {
                Array.Clear(actual);
                switch (width)
                {
                    case 0: UnaryDriver.RunScalar<float, FastRneRoundOperator>(x, actual, op); break;
                    case 128: UnaryDriver.Run128<float, FastRneRoundOperator>(x, actual, op); break;
                    case 256: UnaryDriver.Run256<float, FastRneRoundOperator>(x, actual, op); break;
                    default: UnaryDriver.Run512<float, FastRneRoundOperator>(x, actual, op); break;
                }

                AssertSame(x, expected, actual, $"{f} RNE/{overflow} fast width {width}");
            }

            f.Round(x, actual, RoundingMode.NearestEven, overflow);
            AssertSame(x, expected, actual, $"{f} RNE/{overflow} public entry point");
        }
    }

    [Theory]
    [InlineData(RoundingMode.Stochastic)]
    [InlineData(RoundingMode.StochasticUniform)]
    [InlineData(RoundingMode.NearestEven)]
    public void Chunked_calls_with_first_indices_give_the_bits_of_one_call(RoundingMode mode)
    {
        var random = new Random(5);
        double[] x = new double[3001];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (random.NextDouble() - 0.5) * 1000;
        }

        float[] xf = [.. x.Select(v => (float)v)];
        foreach (FloatFormat f in new[] { FloatFormat.BFloat16, FloatFormat.E4M3FN, FloatFormat.Create(7, -30, 31), FloatFormat.Create(9, -1022, 1023) })
        {
            double[] whole = new double[x.Length];
            float[] wholeF = new float[x.Length];
            f.Round(x, whole, mode, OverflowMode.NonSaturating, Seed);
            f.Round(xf, wholeF, mode, OverflowMode.NonSaturating, Seed);
            foreach (int chunk in new[] { 1, 3, 7, 16, 33, 1000 })
            {
                double[] parts = new double[x.Length];
                float[] partsF = new float[x.Length];
                for (int start = 0; start < x.Length; start += chunk)
                {
                    int len = Math.Min(chunk, x.Length - start);
                    f.Round(x.AsSpan(start, len), parts.AsSpan(start, len), mode, OverflowMode.NonSaturating, Seed, start);
                    f.Round(xf.AsSpan(start, len), partsF.AsSpan(start, len), mode, OverflowMode.NonSaturating, Seed, start);
                }

                AssertSame(x, whole, parts, $"{f} {mode} double chunk {chunk}");
                AssertSame(xf, wholeF, partsF, $"{f} {mode} float chunk {chunk}");
            }

            // Element i of the whole call is the scalar rounding with RandomBits(seed, i).
            for (int i = 0; i < x.Length; i++)
            {
                ulong word = mode >= RoundingMode.Stochastic ? StochasticRounding.RandomBits(Seed, i) : 0;
                Assert.Equal(BitConverter.DoubleToUInt64Bits(f.Round(x[i], mode, OverflowMode.NonSaturating, word)), BitConverter.DoubleToUInt64Bits(whole[i]));
            }
        }
    }

    [Fact]
    public void Start_index_overloads_reject_bad_spans_and_modes()
    {
        FloatFormat f = FloatFormat.BFloat16;
        double[] a = new double[4];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => f.Round(a, new double[3], RoundingMode.Stochastic, OverflowMode.NonSaturating, 1, 5)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => f.Round(a.AsSpan(0, 3), a.AsSpan(1, 3), RoundingMode.Stochastic, OverflowMode.NonSaturating, 1, 5)).ParamName);
        Assert.Equal("rounding", Assert.Throws<ArgumentOutOfRangeException>(() => f.Round(new float[2], new float[2], (RoundingMode)99, OverflowMode.NonSaturating, 1, 5)).ParamName);
    }

    [Theory]
    [MemberData(nameof(FastRneFormats))]
    public void Narrow_stochastic_path_matches_the_scalar_reference_on_every_width(string name)
    {
        FloatFormat f = name switch
        {
            "float_range_p20" => FloatFormat.Create(20, -126, 127),
            "float_range_p8_ftz" => FloatFormat.Create(8, -126, 127, subnormals: false),
            _ => Format(name),
        };
        Assert.True(NarrowStochasticOperator<StochasticRule>.Supports(f));

        // Mostly normal-range values (the 32-bit path), with a rare lane (below the min normal, ±∞, NaN) now and then.
        var random = new Random(23);
        float[] edges = FloatEdgeInputs(f, 50);
        var x = new float[4099];
        for (int i = 0; i < x.Length; i++)
        {
            double magnitude = f.MinNormal * Math.Pow(2 * f.MaxFinite / f.MinNormal, random.NextDouble());
            x[i] = random.Next(97) == 0 ? edges[random.Next(edges.Length)] : (float)(random.Next(2) == 0 ? magnitude : -magnitude);
        }

        float[] expected = new float[x.Length], actual = new float[x.Length];
        const long FirstIndex = 77;
        ulong key = StochasticRounding.StreamKey(Seed);
        foreach (RoundingMode mode in new[] { RoundingMode.Stochastic, RoundingMode.StochasticUniform })
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                for (int i = 0; i < x.Length; i++)
                {
                    expected[i] = (float)f.Round(x[i], mode, overflow, StochasticRounding.RandomBits(Seed, FirstIndex + i));
                }

                foreach (int width in new[] { 128, 256, 512 })
                {
                    Array.Clear(actual);
                    if (mode == RoundingMode.Stochastic)
                    {
                        Run(new WideRoundOperator<StochasticRule>(f, overflow), new NarrowStochasticOperator<StochasticRule>(f, overflow), width);
                    }
                    else
                    {
                        Run(new WideRoundOperator<StochasticUniformRule>(f, overflow), new NarrowStochasticOperator<StochasticUniformRule>(f, overflow), width);
                    }

                    AssertSame(x, expected, actual, $"{f} {mode}/{overflow} narrow stochastic width {width}");
                }

                f.Round(x, actual, mode, overflow, Seed, FirstIndex);
                AssertSame(x, expected, actual, $"{f} {mode}/{overflow} float public entry point");
            }
        }

        void Run<TRule>(WideRoundOperator<TRule> wide, NarrowStochasticOperator<TRule> narrow, int width)
            where TRule : struct, IWideRoundingRule
        {
            switch (width)
            {
                case 128: WideDriver.RunStochastic128(x, actual, wide, narrow, key, FirstIndex); break;
                case 256: WideDriver.RunStochastic256(x, actual, wide, narrow, key, FirstIndex); break;
                default: WideDriver.RunStochastic512(x, actual, wide, narrow, key, FirstIndex); break;
            }
        }
    }

    /// <summary>The 32-bit comparison at its boundary: words whose high half is the threshold ±1, with low halves 0, 1 and all ones.</summary>
    [Theory]
    [MemberData(nameof(FastRneFormats))]
    public void Narrow_stochastic_threshold_boundaries_match_the_scalar_reference(string name)
    {
        FloatFormat f = name switch
        {
            "float_range_p20" => FloatFormat.Create(20, -126, 127),
            "float_range_p8_ftz" => FloatFormat.Create(8, -126, 127, subnormals: false),
            _ => Format(name),
        };
        var op = new NarrowStochasticOperator<StochasticRule>(f, OverflowMode.NonSaturating);
        var uniform = new NarrowStochasticOperator<StochasticUniformRule>(f, OverflowMode.NonSaturating);
        int s = 23 - f.MantissaBits;
        var random = new Random(3);
        for (int k = 0; k < 3000; k++)
        {
            double magnitude = f.MinNormal * Math.Pow(2 * f.MaxFinite / f.MinNormal, random.NextDouble());
            float v = (float)(random.Next(2) == 0 ? magnitude : -magnitude);
            if (op.IsRare(Vector128.Create(v)))
            {
                continue;
            }

            uint bits = BitConverter.SingleToUInt32Bits(v) & 0x7FFF_FFFF;
            uint high0 = bits << (32 - s);
            foreach (uint high in new uint[] { high0 - 1, high0, high0 + 1, 0x8000_0000, 0x7FFF_FFFF })
            {
                foreach (uint low in new uint[] { 0, 1, uint.MaxValue })
                {
                    ulong w = ((ulong)high << 32) | low;
                    uint expected = BitConverter.SingleToUInt32Bits((float)f.Round(v, RoundingMode.Stochastic, OverflowMode.NonSaturating, w));
                    uint expectedUniform = BitConverter.SingleToUInt32Bits((float)f.Round(v, RoundingMode.StochasticUniform, OverflowMode.NonSaturating, w));
                    Assert.Equal(expected, BitConverter.SingleToUInt32Bits(op.Invoke(Vector128.Create(v), Vector128.Create(high))[2]));
                    Assert.Equal(expected, BitConverter.SingleToUInt32Bits(op.Invoke(Vector256.Create(v), Vector256.Create(high))[5]));
                    Assert.Equal(expected, BitConverter.SingleToUInt32Bits(op.Invoke(Vector512.Create(v), Vector512.Create(high))[11]));
                    Assert.Equal(expectedUniform, BitConverter.SingleToUInt32Bits(uniform.Invoke(Vector512.Create(v), Vector512.Create(high))[0]));
                }
            }
        }
    }
}
