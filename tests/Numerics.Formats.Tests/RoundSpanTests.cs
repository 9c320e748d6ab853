// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Formats.Rounding;
using Numerics.Testing;

namespace Numerics.Formats.Tests;

/// <summary>The span API: every vector width against the scalar reference, the public entry point against Round(double), specials, aliasing.</summary>
public sealed class RoundSpanTests
{
    private static readonly RoundingMode[] DeterministicModes =
    [
        RoundingMode.NearestEven, RoundingMode.NearestAway, RoundingMode.NearestTowardZero, RoundingMode.TowardZero,
        RoundingMode.TowardPositive, RoundingMode.TowardNegative, RoundingMode.ToOdd,
    ];

    public static TheoryData<string> VectorFormats =>
    [
        "bfloat16", "tf32", "binary16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz",
        "float8_e4m3", "float8_e3m4", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn", "custom_ftz", "custom_noinf",
    ];

    private static FloatFormat Format(string name) => name switch
    {
        "custom_ftz" => FloatFormat.Create(5, -9, 10, subnormals: false),
        "custom_noinf" => FloatFormat.Create(4, -6, 8, infinity: false),
        _ => GoldenFiles.Preset(name),
    };

    /// <summary>Every code's value, midpoints and ±1 binary32 ulp around them, specials and random bit patterns, shuffled.</summary>
    private static float[] EdgeInputs(FloatFormat f, int randomCount)
    {
        List<float> xs = [];
        ulong maxCode = f.Encode(f.MaxFinite);
        ulong step = Math.Max(1, maxCode / 512);
        for (ulong c = 0; c <= maxCode + 1; c += c < 64 || c + 64 > maxCode ? 1 : step)
        {
            double lo = GridArbitraries.ValueOf(f, c), hi = GridArbitraries.ValueOf(f, c + 1);
            float mid = (float)(lo + ((hi - lo) / 2));
            foreach (float v in new[] { (float)lo, mid, MathF.BitIncrement(mid), MathF.BitDecrement(mid), (float)hi * 3 })
            {
                xs.Add(v);
                xs.Add(-v);
            }
        }

        uint[] specials = [0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFFFF_FFFF, 0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x0080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF, 0, 0x8000_0000, 0x7149_F2CA];
        xs.AddRange(specials.Select(BitConverter.UInt32BitsToSingle));
        var random = new Random(7);
        for (int i = 0; i < randomCount; i++)
        {
            xs.Add(BitConverter.UInt32BitsToSingle((uint)random.NextInt64()));
            xs.Add((float)((random.NextDouble() - 0.5) * f.MaxFinite * 2.5));
        }

        float[] result = [.. xs];
        random.Shuffle(result);
        return result;
    }

    private static string Describe(float x) => $"{x:R} (0x{BitConverter.SingleToUInt32Bits(x):X8})";

    private static void AssertSameBits(ReadOnlySpan<float> input, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToUInt32Bits(expected[i]) != BitConverter.SingleToUInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length}, x = {Describe(input[i])}: expected {Describe(expected[i])}, got {Describe(actual[i])}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(VectorFormats))]
    public void Every_width_matches_the_scalar_reference_on_edge_and_random_inputs(string name)
    {
        FloatFormat f = Format(name);
        Assert.True(FloatRoundOperator<NearestEvenSelector>.Supports(f));
        float[] x = EdgeInputs(f, Vector128.IsHardwareAccelerated ? 1_000 : 200);
        float[] expected = new float[x.Length], actual = new float[x.Length];
        foreach (RoundingMode mode in DeterministicModes)
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                // The scalar reference is Round(double) per element.
                for (int i = 0; i < x.Length; i++)
                {
                    expected[i] = (float)f.Round(x[i], mode, overflow);
                }

                foreach (int width in new[] { 0, 128, 256, 512 })
                {
                    Array.Clear(actual);
                    RunWidth(f, mode, overflow, width, x, actual);
                    AssertSameBits(x, expected, actual, $"{f} {mode}/{overflow} width {width}");
                }

                f.Round(x, actual, mode, overflow);
                AssertSameBits(x, expected, actual, $"{f} {mode}/{overflow} public entry point");
            }
        }
    }

    /// <summary>Runs one driver width directly (0 = RunScalar); Vector512 runs in software where AVX-512 is absent.</summary>
    internal static void RunWidth(FloatFormat f, RoundingMode mode, OverflowMode overflow, int width, ReadOnlySpan<float> x, Span<float> d)
    {
        switch (mode)
        {
            case RoundingMode.NearestEven: RunWidth(new FloatRoundOperator<NearestEvenSelector>(f, overflow), width, x, d); break;
            case RoundingMode.NearestAway: RunWidth(new FloatRoundOperator<NearestAwaySelector>(f, overflow), width, x, d); break;
            case RoundingMode.NearestTowardZero: RunWidth(new FloatRoundOperator<NearestTowardZeroSelector>(f, overflow), width, x, d); break;
            case RoundingMode.TowardZero: RunWidth(new FloatRoundOperator<TowardZeroSelector>(f, overflow), width, x, d); break;
            case RoundingMode.TowardPositive: RunWidth(new FloatRoundOperator<TowardPositiveSelector>(f, overflow), width, x, d); break;
            case RoundingMode.TowardNegative: RunWidth(new FloatRoundOperator<TowardNegativeSelector>(f, overflow), width, x, d); break;
            case RoundingMode.ToOdd: RunWidth(new FloatRoundOperator<ToOddSelector>(f, overflow), width, x, d); break;
            default: throw new ArgumentOutOfRangeException(nameof(mode));
        }
    }

    private static void RunWidth<TMode>(FloatRoundOperator<TMode> op, int width, ReadOnlySpan<float> x, Span<float> d)
        where TMode : struct, IRoundingModeSelector
    {
        switch (width)
        {
            case 0: UnaryDriver.RunScalar(x, d, op); break;
            case 128: UnaryDriver.Run128(x, d, op); break;
            case 256: UnaryDriver.Run256(x, d, op); break;
            default: UnaryDriver.Run512(x, d, op); break;
        }
    }

    [Theory]
    [InlineData("bfloat16")]
    [InlineData("binary16")]
    [InlineData("float8_e4m3fn")]
    [InlineData("float4_e2m1fn")]
    public void Every_width_handles_every_length_up_to_four_vectors_plus_one_with_canaries(string name)
    {
        FloatFormat f = Format(name);
        float[] pool = EdgeInputs(f, 50);
        const float Canary = 1234.5f;
        for (int length = 0; length <= (4 * Vector512<float>.Count) + 1; length++)
        {
            ReadOnlySpan<float> x = pool.AsSpan(length, length);
            float[] expected = new float[length];
            for (int i = 0; i < length; i++)
            {
                expected[i] = (float)f.Round(x[i], RoundingMode.NearestEven);
            }

            foreach (int width in new[] { 0, 128, 256, 512 })
            {
                float[] buffer = new float[length + 2];
                Array.Fill(buffer, Canary);
                RunWidth(f, RoundingMode.NearestEven, OverflowMode.NonSaturating, width, x, buffer.AsSpan(1, length));
                AssertSameBits(x, expected, buffer.AsSpan(1, length), $"{f} length {length} width {width}");
                Assert.Equal(Canary, buffer[0]);
                Assert.Equal(Canary, buffer[^1]);
            }
        }
    }

    [Fact]
    public void Round_in_place_matches_the_out_of_place_result()
    {
        foreach (FloatFormat f in new[] { FloatFormat.BFloat16, FloatFormat.E5M2, FloatFormat.Binary64, FloatFormat.E8M0FNU })
        {
            float[] x = EdgeInputs(f, 100);
            float[] expected = new float[x.Length];
            f.Round(x, expected, RoundingMode.TowardNegative, OverflowMode.Saturating);
            f.Round(x, x, RoundingMode.TowardNegative, OverflowMode.Saturating);
            AssertSameBits(x, expected, x, $"{f} in place");

            double[] xd = [.. x.Select(v => (double)v * 1.000001)];
            double[] expectedD = new double[xd.Length];
            f.Round(xd, expectedD, RoundingMode.Stochastic, seed: 3);
            f.Round(xd, xd, RoundingMode.Stochastic, seed: 3);
            Assert.Equal(expectedD.Select(BitConverter.DoubleToInt64Bits), xd.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void Round_spans_reject_length_mismatch_and_partial_overlap()
    {
        float[] a = new float[10];
        ArgumentException e = Assert.Throws<ArgumentException>(() => FloatFormat.E4M3FN.Round(a.AsSpan(0, 5), a.AsSpan(5, 4)));
        Assert.Equal("destination", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => FloatFormat.E4M3FN.Round(a.AsSpan(0, 5), a.AsSpan(1, 5)));
        Assert.Equal("destination", e.ParamName);
        double[] b = new double[10];
        e = Assert.Throws<ArgumentException>(() => FloatFormat.E4M3FN.Round(b.AsSpan(0, 6), b.AsSpan(2, 6)));
        Assert.Equal("destination", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => FloatFormat.E4M3FN.Round(b.AsSpan(0, 3), b.AsSpan(3, 4)));
        Assert.Equal("destination", e.ParamName);
        Assert.Equal("rounding", Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.E4M3FN.Round(a.AsSpan(0, 5), a.AsSpan(5, 5), (RoundingMode)42)).ParamName);
    }

    [Fact]
    public void Stochastic_spans_use_RandomBits_of_seed_and_index()
    {
        var random = new Random(11);
        float[] x = [.. Enumerable.Range(0, 333).Select(_ => (float)((random.NextDouble() - 0.5) * 20))];
        double[] xd = [.. x.Select(v => (double)v + 1e-9)];
        foreach (FloatFormat f in new[] { FloatFormat.E4M3FN, FloatFormat.BFloat16, FloatFormat.E2M1FN, FloatFormat.Create(3, -4, 4, subnormals: false) })
        {
            foreach (RoundingMode mode in new[] { RoundingMode.Stochastic, RoundingMode.StochasticUniform })
            {
                float[] d = new float[x.Length];
                double[] dd = new double[xd.Length];
                f.Round(x, d, mode, OverflowMode.SaturatingFinite, seed: 2024);
                f.Round(xd, dd, mode, OverflowMode.SaturatingFinite, seed: 2024);
                for (int i = 0; i < x.Length; i++)
                {
                    ulong word = StochasticRounding.RandomBits(2024, i);
                    Assert.Equal((float)f.Round(x[i], mode, OverflowMode.SaturatingFinite, word), d[i]);
                    Assert.Equal(f.Round(xd[i], mode, OverflowMode.SaturatingFinite, word), dd[i]);
                }

                // Another seed gives another draw somewhere (333 inexact values: the chance of no difference is negligible).
                float[] other = new float[x.Length];
                f.Round(x, other, mode, OverflowMode.SaturatingFinite, seed: 2025);
                Assert.NotEqual(d, other);
            }
        }
    }

    [Theory]
    [InlineData(-14, 15, true, true)]
    [InlineData(-2, 2, true, true)]
    [InlineData(1, 5, false, true)]
    [InlineData(-126, 127, true, true)]
    [InlineData(-126, 127, false, false)]
    [InlineData(-125, 127, false, true)]
    public void Precision_23_spans_match_the_exact_oracle_below_powers_of_two_and_at_the_float_max(int emin, int emax, bool subnormals, bool infinity)
    {
        // p = 23 keeps all but the last binary32 fraction bit. The values just below a power of two (0x..7FFFFF) are the ones where
        // the magic-constant kernel's a + c tied into the next binade (TowardZero of 0x38FFFFFF into emin = -14 gave 0x38FFFFFC,
        // the oracle says 0x38FFFFFE), and float.MaxValue is the tie at the overflow threshold of emax = 127 (odd max: it overflows,
        // so the saturating modes give the max 0x7F7FFFFE, not the infinity the fast RNE kernel gave).
        FloatFormat f = FloatFormat.Create(23, emin, emax, subnormals, infinity);
        List<float> values = [float.MaxValue, -float.MaxValue];
        for (int e = Math.Max(emin - 2, -126); e <= Math.Min(emax, 126); e++)
        {
            float belowPower = MathF.BitDecrement(MathF.ScaleB(1, e + 1));
            values.Add(belowPower);
            values.Add(-belowPower);
        }

        // Repeat so that every vector width runs on them, with a scalar tail.
        float[] x = [.. Enumerable.Range(0, 3).SelectMany(_ => values)];
        float[] actual = new float[x.Length];
        foreach (RoundingMode mode in DeterministicModes)
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                f.Round(x, actual, mode, overflow);
                for (int i = 0; i < x.Length; i++)
                {
                    float expected = (float)ExactRounding.Round(x[i], f, mode, overflow);
                    Assert.True(
                        BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual[i]) || (float.IsNaN(expected) && float.IsNaN(actual[i])),
                        $"{f} {mode}/{overflow} x = {Describe(x[i])}: expected {Describe(expected)}, got {Describe(actual[i])}");
                }
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Precision_1_spans_with_the_binary32_range_match_the_exact_oracle(bool infinity)
    {
        // p = 1: every normal significand is 1 (odd), so a tie such as 3 (between 2 and 4) goes up under RNE and ToOdd keeps 2.
        // The fixed-shift kernel took the parity from the exponent's last bit (RNE of 3 gave 2, ToOdd gave 4).
        FloatFormat f = FloatFormat.Create(1, -126, 127, infinity: infinity);
        List<float> values = [3f, -3f, 1.5f, 0.75f, 5f, 6f, 7f, float.MaxValue, 1e-40f, MathF.ScaleB(1.5f, -126), MathF.ScaleB(1.5f, 126)];
        var random = new Random(12);
        for (int i = 0; i < 200; i++)
        {
            values.Add(MathF.ScaleB(1 + random.NextSingle(), random.Next(-130, 128)) * (i % 2 == 0 ? 1 : -1));
        }

        float[] x = [.. values];
        float[] actual = new float[x.Length];
        ushort[] codes = new ushort[x.Length];
        foreach (RoundingMode mode in DeterministicModes)
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                f.Round(x, actual, mode, overflow);
                f.Encode(x, codes, mode, overflow);
                for (int i = 0; i < x.Length; i++)
                {
                    float expected = (float)ExactRounding.Round(x[i], f, mode, overflow);
                    Assert.True(
                        BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual[i]) || (float.IsNaN(expected) && float.IsNaN(actual[i])),
                        $"{f} {mode}/{overflow} x = {Describe(x[i])}: expected {Describe(expected)}, got {Describe(actual[i])}");
                    Assert.Equal(ExactRounding.Encode(x[i], f, mode, overflow), codes[i]);
                }
            }
        }
    }
}
