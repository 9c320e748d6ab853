// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Formats;

namespace Numerics.Quantization.Tests;

/// <summary>MX laws beyond the goldens: a brute-force oracle, idempotence, special blocks, partial blocks, packing, stochastic rounding.</summary>
public sealed class MxTests
{
    private static readonly double[][] s_tables = Enum.GetValues<MxElement>()
        .Select(e => Mx.ElementFormat(e) is FloatFormat f ? Enumerable.Range(0, f.CodeCount).Select(c => f.Decode((ulong)c)).ToArray() : [])
        .ToArray();

    private static readonly int s_cases = Vector128.IsHardwareAccelerated ? 60 : 20;

    public static TheoryData<MxElement, MxScaleRounding> ElementsAndScales()
    {
        var data = new TheoryData<MxElement, MxScaleRounding>();
        foreach (MxElement e in Enum.GetValues<MxElement>())
        {
            data.Add(e, MxScaleRounding.Floor);
            data.Add(e, MxScaleRounding.Ceil);
        }

        return data;
    }

    public static TheoryData<MxElement> Elements() => new(Enum.GetValues<MxElement>());

    /// <summary>Random blocks: gaussian at a random binade, sometimes with an outlier, exact zeros, negative zeros and element ties.</summary>
    internal static float[] RandomValues(Random rng, int n)
    {
        var x = new float[n];
        int binade = rng.Next(-130, 120);
        for (int i = 0; i < n; i++)
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            x[i] = (float)Math.ScaleB(g, binade);
            switch (rng.Next(16))
            {
                case 0: x[i] = 0; break;
                case 1: x[i] = -0.0f; break;
                case 2: x[i] *= 64; break;
                case 3: x[i] = (float)Math.ScaleB(rng.Next(-40, 40) + 0.5, binade - 3); break; // ties of coarse grids
                default: break;
            }
        }

        return x;
    }

    /// <summary>
    /// Oracle: the nearest value of the decoded element table (ties to the even code), after clamping to ±max — a brute-force
    /// search that shares nothing with FloatFormat.Encode. MXINT8 uses q = clamp(RNE(v·64), ±127).
    /// </summary>
    private static byte OracleCode(MxElement element, double v)
    {
        FloatFormat? f = Mx.ElementFormat(element);
        if (f is null)
        {
            double q = Math.Clamp(Math.Round(v * 64, MidpointRounding.ToEven), -127, 127);
            return (byte)(sbyte)q;
        }

        double max = f.MaxFinite;
        double target = Math.Clamp(v, -max, max);
        double[] table = s_tables[(int)element];
        int best = -1;
        double bestErr = double.PositiveInfinity;
        for (int c = 0; c < table.Length; c++)
        {
            double d = table[c];
            if (!double.IsFinite(d) || (d == 0 && double.IsNegative(d) != double.IsNegative(target)))
            {
                continue; // skip NaN/Inf codes; a zero result keeps the input's sign
            }

            double err = Math.Abs(d - target);
            if (err < bestErr || (err == bestErr && (c & 1) == 0))
            {
                best = c;
                bestErr = err;
            }
        }

        return (byte)best;
    }

    [Theory]
    [MemberData(nameof(ElementsAndScales))]
    public void Quantize_matches_brute_force_oracle(MxElement element, MxScaleRounding scaleRounding)
    {
        var rng = new Random(1234 + ((int)element * 2) + (int)scaleRounding);
        for (int t = 0; t < s_cases; t++)
        {
            float[] x = RandomValues(rng, 32);
            var scales = new byte[1];
            var codes = new byte[32];
            Mx.Quantize(element, x, scales, codes, scaleRounding);

            float amax = x.Max(MathF.Abs);
            if (amax == 0)
            {
                Assert.Equal(0, scales[0]);
            }
            else
            {
                // Independent scale: Floor = 2^(floor(log2 amax) - emax) via exact double log2 of a float; Ceil = smallest 2^k >= fl(amax * fl(1/max)).
                int k = scaleRounding == MxScaleRounding.Floor
                    ? (int)Math.Floor(Math.Log2(amax)) - Mx.ElementMaxExponent(element)
                    : (int)Math.Ceiling(Math.Log2(amax * (1.0f / (float)Mx.ElementMax(element))));
                Assert.Equal(Math.Clamp(k, -127, 127) + 127, scales[0]);
            }

            for (int i = 0; i < 32; i++)
            {
                double v = x[i] / Math.Pow(2, scales[0] - 127);
                Assert.True(OracleCode(element, v) == codes[i], $"{element} {scaleRounding} x[{i}] = {x[i]:R}: code {codes[i]:X2}, oracle {OracleCode(element, v):X2}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Elements))]
    public void Floor_quantization_is_idempotent_and_within_the_element_bound(MxElement element)
    {
        var rng = new Random(99 + (int)element);
        FloatFormat? f = Mx.ElementFormat(element);
        for (int t = 0; t < s_cases; t++)
        {
            float[] x = RandomValues(rng, 64);
            var scales = new byte[2];
            var codes = new byte[64];
            Mx.Quantize(element, x, scales, codes);
            var y = new float[64];
            Mx.Dequantize(element, scales, codes, y);

            var scales2 = new byte[2];
            var codes2 = new byte[64];
            Mx.Quantize(element, y, scales2, codes2);
            var y2 = new float[64];
            Mx.Dequantize(element, scales2, codes2, y2);
            Assert.Equal(y.Select(BitConverter.SingleToUInt32Bits), y2.Select(BitConverter.SingleToUInt32Bits));

            for (int i = 0; i < 64; i++)
            {
                double s = Math.Pow(2, scales[i / 32] - 127);
                double max = Mx.ElementMax(element) * s;
                double clamped = Math.Clamp(x[i], -max, max);

                // Half a step of the element grid at |x|: 2^(e - m - 1) for FP (e = max(exponent, emin)), 2^-7 for INT8, times the scale.
                double step = f is null
                    ? Math.Pow(2, -7)
                    : Math.Pow(2, Math.Max(Math.Floor(Math.Log2(Math.Max(Math.Abs(clamped / s), double.Epsilon))), f.MinExponent) - f.MantissaBits - 1);
                double bound = (step * s) + Math.Abs(x[i] - clamped);
                Assert.True(Math.Abs(y[i] - x[i]) <= bound * (1 + 1e-12), $"{element} x[{i}] = {x[i]:R} -> {y[i]:R}, bound {bound:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Elements))]
    public void Special_blocks(MxElement element)
    {
        FloatFormat? f = Mx.ElementFormat(element);
        byte negZero = f is null ? (byte)0 : (byte)(1 << (f.BitCount - 1));
        var scales = new byte[3];
        var codes = new byte[96];
        var x = new float[96];
        for (int i = 0; i < 32; i++)
        {
            x[i] = (i & 1) == 0 ? 0.0f : -0.0f;        // block 0: all zero
        }

        x[40] = float.NaN;                             // block 1: NaN
        x[64] = float.NegativeInfinity;                // block 2: Inf
        Mx.Quantize(element, x, scales, codes);
        Assert.Equal(new byte[] { 0x00, 0xFF, 0xFF }, scales);
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal((i & 1) == 0 ? 0 : negZero, codes[i]);
        }

        var y = new float[96];
        Mx.Dequantize(element, scales, codes, y);
        Assert.All(y.AsSpan(32).ToArray(), v => Assert.True(float.IsNaN(v)));
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(0f, y[i]);
            Assert.Equal(f is not null && (i & 1) == 1, float.IsNegative(y[i]));
        }

        // Subnormal float32 inputs: floor(log2) from the fraction's bit length, shared exponent clamped at -127.
        float tiny = BitConverter.UInt32BitsToSingle(0x0000_0100); // 2^-141
        Mx.Quantize(element, [tiny], scales.AsSpan(0, 1), codes.AsSpan(0, 1));
        Assert.Equal(0, scales[0]);
        Mx.Dequantize(element, scales.AsSpan(0, 1), codes.AsSpan(0, 1), y.AsSpan(0, 1));
        // x / 2^-127 = 2^-14: E5M2's smallest normal (exact); below half the smallest subnormal of E4M3 (2^-9), E3M2 (2^-4),
        // E2M3 (2^-3), E2M1 (2^-1) and the INT8 step 2^-6, so those give +0.
        Assert.Equal(element == MxElement.E5M2 ? tiny : 0f, y[0]);
    }

    [Theory]
    [MemberData(nameof(Elements))]
    public void Partial_last_block_equals_zero_padding(MxElement element)
    {
        var rng = new Random(7);
        for (int n = 0; n <= 70; n++)
        {
            float[] x = RandomValues(rng, n);
            var padded = new float[Mx.ScaleCount(n) * 32];
            x.CopyTo(padded, 0);
            var s1 = new byte[Mx.ScaleCount(n)];
            var c1 = new byte[n];
            var s2 = new byte[s1.Length];
            var c2 = new byte[padded.Length];
            Mx.Quantize(element, x, s1, c1, MxScaleRounding.Floor, RoundingMode.NearestAway);
            Mx.Quantize(element, padded, s2, c2, MxScaleRounding.Floor, RoundingMode.NearestAway);
            Assert.Equal(s2, s1);
            Assert.Equal(c2.AsSpan(0, n).ToArray(), c1);
        }
    }

    [Fact]
    public void Packing_layout_is_the_documented_one()
    {
        byte[] fp4 = new byte[2];
        Mx.PackCodes(MxElement.E2M1, [0x1, 0x2, 0x3], fp4);
        Assert.Equal(new byte[] { 0x21, 0x03 }, fp4); // code 2i low nibble, 2i+1 high nibble

        byte[] fp6 = new byte[3];
        Mx.PackCodes(MxElement.E3M2, [1, 2, 3, 4], fp6);
        Assert.Equal(new byte[] { 0x81, 0x30, 0x10 }, fp6); // 1 | 2<<6 | 3<<12 | 4<<18 = 0x103081, little-endian

        Assert.Equal(17, Mx.PackedCodeBytes(MxElement.E2M1, 33));
        Assert.Equal(25, Mx.PackedCodeBytes(MxElement.E2M3, 33));
        Assert.Equal(33, Mx.PackedCodeBytes(MxElement.Int8, 33));
        Assert.Equal("codes", Assert.Throws<ArgumentException>(() => Mx.PackCodes(MxElement.E2M1, [0x10], new byte[1])).ParamName);
    }

    [Theory]
    [MemberData(nameof(Elements))]
    public void Packed_round_trip_equals_unpacked(MxElement element)
    {
        var rng = new Random(5);
        foreach (int n in new[] { 0, 1, 2, 3, 5, 31, 32, 33, 64, 95, 100 })
        {
            float[] x = RandomValues(rng, n);
            var scales = new byte[Mx.ScaleCount(n)];
            var codes = new byte[n];
            Mx.Quantize(element, x, scales, codes);
            var packed = new byte[Mx.PackedCodeBytes(element, n)];
            Mx.PackCodes(element, codes, packed);
            var unpacked = new byte[n];
            Mx.UnpackCodes(element, packed, unpacked);
            Assert.Equal(codes, unpacked);

            var scales2 = new byte[scales.Length];
            var packed2 = new byte[packed.Length];
            Mx.QuantizePacked(element, x, scales2, packed2);
            Assert.Equal(scales, scales2);
            Assert.Equal(packed, packed2);

            var y = new float[n];
            var y2 = new float[n];
            Mx.Dequantize(element, scales, codes, y);
            Mx.DequantizePacked(element, scales, packed, y2);
            Assert.Equal(y.Select(BitConverter.SingleToUInt32Bits), y2.Select(BitConverter.SingleToUInt32Bits));
        }
    }

    [Fact]
    public void Stochastic_rounding_is_seeded_and_picks_a_neighbour()
    {
        var rng = new Random(3);
        float[] x = RandomValues(rng, 256);
        var s1 = new byte[8];
        var c1 = new byte[256];
        var c2 = new byte[256];
        var cDown = new byte[256];
        var cUp = new byte[256];
        Mx.QuantizeStochastic(MxElement.E2M1, x, s1, c1, seed: 42);
        Mx.QuantizeStochastic(MxElement.E2M1, x, new byte[8], c2, seed: 42);
        Assert.Equal(c1, c2);
        Mx.Quantize(MxElement.E2M1, x, new byte[8], cDown, elementRounding: RoundingMode.TowardZero);
        Mx.Quantize(MxElement.E2M1, x, new byte[8], cUp, elementRounding: RoundingMode.TowardPositive);
        var cNeg = new byte[256];
        Mx.Quantize(MxElement.E2M1, x, new byte[8], cNeg, elementRounding: RoundingMode.TowardNegative);
        int differsFromTruncation = 0;
        for (int i = 0; i < 256; i++)
        {
            Assert.True(c1[i] == cUp[i] || c1[i] == cNeg[i], $"x[{i}] = {x[i]:R}: {c1[i]:X} not in [{cNeg[i]:X}, {cUp[i]:X}]");
            differsFromTruncation += c1[i] != cDown[i] ? 1 : 0;
        }

        Assert.InRange(differsFromTruncation, 1, 255);
        Assert.Throws<ArgumentException>(() => Mx.Quantize(MxElement.E2M1, x, s1, c1, elementRounding: RoundingMode.Stochastic));
        Assert.Throws<ArgumentException>(() => Mx.QuantizeStochastic(MxElement.E2M1, x, s1, c1, 1, elementRounding: RoundingMode.NearestEven));
    }

    [Fact]
    public void Arguments_are_validated()
    {
        float[] x = new float[33];
        Assert.Equal("scales", Assert.Throws<ArgumentException>(() => Mx.Quantize(MxElement.E4M3, x, new byte[1], new byte[33])).ParamName);
        Assert.Equal("codes", Assert.Throws<ArgumentException>(() => Mx.Quantize(MxElement.E4M3, x, new byte[2], new byte[32])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Mx.Quantize((MxElement)42, x, new byte[2], new byte[33]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mx.Quantize(MxElement.E4M3, x, new byte[2], new byte[33], (MxScaleRounding)5));
        byte[] shared = new byte[64];
        Assert.Equal("codes", Assert.Throws<ArgumentException>(() => Mx.Quantize(MxElement.E4M3, new float[8], shared.AsSpan(0, 1), shared.AsSpan(0, 8))).ParamName);
        Assert.Equal("scales", Assert.Throws<ArgumentException>(() => Mx.Dequantize(MxElement.E4M3, new byte[1], new byte[33], new float[33])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Mx.Dequantize(MxElement.E4M3, new byte[2], new byte[33], new float[32])).ParamName);
        Assert.Equal("codes", Assert.Throws<ArgumentException>(() => Mx.Dequantize(MxElement.E2M1, new byte[1], new byte[] { 0, 0x10 }, new float[2])).ParamName);
    }

    [Fact]
    public void QuantizePacked_validates_its_rounding_arguments_for_an_empty_source()
    {
        // The enums used to be checked only inside the per-block loop, so an empty source accepted anything.
        Assert.Equal("elementRounding", Assert.Throws<ArgumentOutOfRangeException>(() => Mx.QuantizePacked(MxElement.E2M1, [], [], [], MxScaleRounding.Floor, (RoundingMode)42)).ParamName);
        Assert.Equal("scaleRounding", Assert.Throws<ArgumentOutOfRangeException>(() => Mx.QuantizePacked(MxElement.E2M1, [], [], [], (MxScaleRounding)7)).ParamName);
        Assert.Equal("elementRounding", Assert.Throws<ArgumentException>(() => Mx.QuantizePacked(MxElement.E4M3, [], [], [], MxScaleRounding.Floor, RoundingMode.Stochastic)).ParamName);
    }

    [Fact]
    public void Packed_block_offsets_past_2_to_28_FP8_values_do_not_overflow()
    {
        // Block offsets were start · bits / 8 in int arithmetic: negative from 2^28 FP8/INT8 values on.
        Assert.Equal(1 << 28, Mx.PackedBlockOffset(1 << 28, 8));
        Assert.Equal((long)(int.MaxValue / 32 * 32) * 6 / 8, Mx.PackedBlockOffset(int.MaxValue / 32 * 32, 6));
        Assert.Equal((long)(int.MaxValue / 32 * 32) * 4 / 8, Mx.PackedBlockOffset(int.MaxValue / 32 * 32, 4));
    }

    [Fact]
    public unsafe void QuantizePacked_handles_a_block_past_2_to_28_FP8_values()
    {
        // End to end: 2^28 + 32 values (1 GiB of zero pages that are only read) and 256 MiB of codes. The last block holds
        // 1.0: floor(log2 1) − emax(E4M3) = −8, scale code 127 − 8 = 0x77, and 1 / 2^−8 = 256 = 2^8 · 1.000 is E4M3 code
        // 0x78 (exponent field 8 + 7 = 15, mantissa 0). Before the fix the offset of that block was negative and Slice threw.
        const int N = (1 << 28) + 32;
        float* source = (float*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)N * sizeof(float));
        try
        {
            source[N - 32] = 1f;
            byte[] scales = new byte[Mx.ScaleCount(N)];
            byte[] packed = GC.AllocateUninitializedArray<byte>(Mx.PackedCodeBytes(MxElement.E4M3, N));
            Mx.QuantizePacked(MxElement.E4M3, new ReadOnlySpan<float>(source, N), scales, packed);
            Assert.Equal(0x77, scales[^1]);
            Assert.Equal(0x78, packed[N - 32]);
            Assert.Equal(0x00, packed[N - 1]);
            Assert.Equal(0x00, scales[^2]);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(source);
        }
    }
}
