// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats.Rounding;

namespace Numerics.Formats.Tests;

/// <summary>Span Encode (float -> codes) on every width against scalar Encode, and span Decode against scalar Decode.</summary>
public sealed class CodeSpanTests
{
    public static TheoryData<string> Formats =>
    [
        "bfloat16", "binary16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz", "float8_e4m3",
        "float8_e3m4", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn", "float8_e8m0fnu",
    ];

    private static float[] Inputs(FloatFormat f)
    {
        List<float> xs = [];
        ulong maxCode = f.Encode(f.MaxFinite);
        ulong step = Math.Max(1, maxCode / 700);
        for (ulong c = 0; c <= maxCode + 1; c += step)
        {
            double lo = GridArbitraries.ValueOf(f, c), hi = GridArbitraries.ValueOf(f, c + 1);
            float mid = (float)(lo + ((hi - lo) / 2));
            foreach (float v in new[] { (float)lo, mid, MathF.BitIncrement(mid), MathF.BitDecrement(mid), (float)hi * 5 })
            {
                xs.Add(v);
                xs.Add(-v);
            }
        }

        uint[] specials = [0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFFFF_FFFF, 0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x7F7F_FFFF, 0, 0x8000_0000];
        xs.AddRange(specials.Select(BitConverter.UInt32BitsToSingle));
        var random = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            xs.Add(BitConverter.UInt32BitsToSingle((uint)random.NextInt64()));
        }

        float[] result = [.. xs];
        random.Shuffle(result);
        return result;
    }

    private static void RunWidth<TMode, TCode>(FloatFormat f, OverflowMode overflow, int width, ReadOnlySpan<float> x, Span<TCode> d)
        where TMode : struct, IRoundingModeSelector
        where TCode : unmanaged =>
        RunOperator(new FloatEncodeOperator<TMode>(f, overflow), width, x, d);

    private static void RunOperator<TOp, TCode>(TOp op, int width, ReadOnlySpan<float> x, Span<TCode> d)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        switch (width)
        {
            case 0: EncodeDriver.RunScalar(x, d, op); break;
            case 128: EncodeDriver.Run128(x, d, op); break;
            case 256: EncodeDriver.Run256(x, d, op); break;
            default: EncodeDriver.Run512(x, d, op); break;
        }
    }

    private static void CheckAllWidths<TMode>(FloatFormat f, OverflowMode overflow, float[] x)
        where TMode : struct, IRoundingModeSelector
    {
        ulong[] expected = [.. x.Select(v => f.Encode(v, TMode.Mode, overflow))];
        foreach (int width in new[] { 0, 128, 256, 512 })
        {
            foreach (int length in new[] { x.Length, 0, 1, 15, 16, 17, 31, 33, 63, 64, 65, 129 })
            {
                ReadOnlySpan<float> xs = x.AsSpan(0, Math.Min(length, x.Length));
                if (f.BitCount <= 8)
                {
                    byte[] d = new byte[xs.Length];
                    RunWidth<TMode, byte>(f, overflow, width, xs, d);
                    for (int i = 0; i < d.Length; i++)
                    {
                        Assert.True(expected[i] == d[i], $"{f} {TMode.Mode}/{overflow} width {width} x = {x[i]:R} (0x{BitConverter.SingleToUInt32Bits(x[i]):X8}): expected {expected[i]:x2}, got {d[i]:x2}");
                    }
                }

                ushort[] u = new ushort[xs.Length];
                RunWidth<TMode, ushort>(f, overflow, width, xs, u);
                for (int i = 0; i < u.Length; i++)
                {
                    Assert.True(expected[i] == u[i], $"{f} {TMode.Mode}/{overflow} width {width} x = {x[i]:R} (0x{BitConverter.SingleToUInt32Bits(x[i]):X8}): expected {expected[i]:x4}, got {u[i]:x4}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Encode_every_width_matches_scalar_Encode(string name)
    {
        FloatFormat f = GoldenFiles.Preset(name);
        float[] x = Inputs(f);
        if (!FloatEncodeOperator<NearestEvenSelector>.Supports(f))
        {
            Assert.Equal("float8_e8m0fnu", name); // E8M0 takes the scalar path; the public entry point is checked below
        }
        else
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                CheckAllWidths<NearestEvenSelector>(f, overflow, x);
                CheckAllWidths<TowardZeroSelector>(f, overflow, x);
                CheckAllWidths<ToOddSelector>(f, overflow, x);
            }

            CheckAllWidths<NearestAwaySelector>(f, OverflowMode.NonSaturating, x);
            CheckAllWidths<NearestTowardZeroSelector>(f, OverflowMode.Saturating, x);
            CheckAllWidths<TowardPositiveSelector>(f, OverflowMode.NonSaturating, x);
            CheckAllWidths<TowardNegativeSelector>(f, OverflowMode.SaturatingFinite, x);
        }

        // The public entry points, every mode including the stochastic ones.
        foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
        {
            ushort[] u = new ushort[x.Length];
            f.Encode(x, u, mode, OverflowMode.NonSaturating, seed: 77);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.Equal(f.Encode(x[i], mode, OverflowMode.NonSaturating, StochasticRounding.RandomBits(77, i)), (ulong)u[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decode_spans_match_scalar_Decode_for_every_code(string name)
    {
        FloatFormat f = GoldenFiles.Preset(name);
        ushort[] codes = [.. Enumerable.Range(0, f.CodeCount).Select(c => (ushort)c)];
        float[] values = new float[codes.Length];
        f.Decode(codes, values);
        for (int c = 0; c < codes.Length; c++)
        {
            Assert.True(GoldenFiles.SameDouble(f.Decode((ulong)c), values[c]), $"{f} code {c:x}");
        }

        if (f.BitCount <= 8)
        {
            byte[] bytes = [.. codes.Select(c => (byte)c)];
            float[] fromBytes = new float[bytes.Length];
            f.Decode(bytes, fromBytes);
            Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), fromBytes.Select(BitConverter.SingleToUInt32Bits));
        }
    }

    [Fact]
    public void Code_spans_reject_bad_input_naming_the_parameter()
    {
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => FloatFormat.BFloat16.Encode(new float[4], new byte[4])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => FloatFormat.E4M3FN.Encode(new float[4], new byte[3])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => FloatFormat.TensorFloat32.Encode(new float[4], new ushort[4])).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => FloatFormat.E2M1FN.Decode(new byte[] { 1, 16 }, new float[2])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => FloatFormat.E4M3FN.Decode(new byte[5], new float[4])).ParamName);
        float[] buffer = new float[8]; // codes written over the inputs they come from: rejected
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => FloatFormat.Binary16.Encode(buffer.AsSpan(0, 8), System.Runtime.InteropServices.MemoryMarshal.Cast<float, ushort>(buffer.AsSpan()).Slice(0, 8))).ParamName);
    }

    public static TheoryData<string> RneKernelFormats =>
        ["float8_e5m2", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz", "float8_e4m3", "float8_e3m4",
         "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn", "binary16"];

    [Theory]
    [MemberData(nameof(RneKernelFormats))]
    public void Rne_encoder_matches_scalar_Encode_on_every_width_and_overflow_mode(string name)
    {
        FloatFormat f = GoldenFiles.Preset(name);
        Assert.True(RneEncodeOperator.Supports(f), name);
        float[] x = RneInputs(f);
        foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
        {
            ulong[] expected = [.. x.Select(v => f.Encode(v, RoundingMode.NearestEven, overflow))];
            var op = new RneEncodeOperator(f, overflow);
            foreach (int width in new[] { 0, 128, 256, 512 })
            {
                ushort[] d16 = new ushort[x.Length];
                RunOperator(op, width, x, d16);
                for (int i = 0; i < x.Length; i++)
                {
                    Assert.True(expected[i] == d16[i], $"{f} {overflow} width {width} x = {x[i]:R} (0x{BitConverter.SingleToUInt32Bits(x[i]):X8}): expected {expected[i]:x}, got {d16[i]:x}");
                }

                if (f.BitCount <= 8)
                {
                    byte[] d8 = new byte[x.Length];
                    RunOperator(op, width, x, d8);
                    Assert.Equal(expected, d8.Select(c => (ulong)c));
                }
            }

            // The public entry point takes this kernel for round to nearest even.
            if (f.BitCount <= 8)
            {
                byte[] viaApi = new byte[x.Length];
                f.Encode(x, viaApi, RoundingMode.NearestEven, overflow);
                Assert.Equal(expected, viaApi.Select(c => (ulong)c));
            }
            else
            {
                ushort[] viaApi = new ushort[x.Length];
                f.Encode(x, viaApi, RoundingMode.NearestEven, overflow);
                Assert.Equal(expected, viaApi.Select(c => (ulong)c));
            }
        }
    }

    [Theory]
    [MemberData(nameof(RneKernelFormats))]
    public void Shift_encoder_matches_scalar_Encode_in_every_directed_mode_width_and_overflow_mode(string name)
    {
        FloatFormat f = GoldenFiles.Preset(name);
        Assert.True(ShiftEncodeOperator<TowardZeroSelector>.Supports(f), name);
        float[] x = RneInputs(f);
        foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
        {
            CheckShift<NearestEvenSelector>(f, overflow, x);
            CheckShift<NearestAwaySelector>(f, overflow, x);
            CheckShift<NearestTowardZeroSelector>(f, overflow, x);
            CheckShift<TowardZeroSelector>(f, overflow, x);
            CheckShift<TowardPositiveSelector>(f, overflow, x);
            CheckShift<TowardNegativeSelector>(f, overflow, x);
            CheckShift<ToOddSelector>(f, overflow, x);
        }
    }

    private static void CheckShift<TMode>(FloatFormat f, OverflowMode overflow, float[] x)
        where TMode : struct, IRoundingModeSelector
    {
        ulong[] expected = [.. x.Select(v => f.Encode(v, TMode.Mode, overflow))];
        var op = new ShiftEncodeOperator<TMode>(f, overflow);
        foreach (int width in new[] { 0, 128, 256, 512 })
        {
            ushort[] d = new ushort[x.Length];
            RunOperator(op, width, x, d);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.True(expected[i] == d[i], $"{f} {TMode.Mode} {overflow} width {width} x = {x[i]:R} (0x{BitConverter.SingleToUInt32Bits(x[i]):X8}): expected {expected[i]:x}, got {d[i]:x}");
            }
        }

        // The public entry point (which takes this kernel for the modes other than round to nearest even).
        ushort[] viaApi = new ushort[x.Length];
        f.Encode(x, viaApi, TMode.Mode, overflow);
        Assert.Equal(expected, viaApi.Select(c => (ulong)c));
    }

    [Fact]
    public void Rne_encoder_covers_custom_formats_with_subnormals()
    {
        // CPFloat-style custom formats across the kernel's limits (precision 2..23, exponent ranges down to the binary32 subnormals).
        int supported = 0;
        foreach ((int p, int emin, int emax) in new[] { (2, -2, 3), (4, -14, 15), (8, -126, 126), (11, -14, 15), (12, -100, 40), (23, -126, 100), (3, -140, 10), (5, 0, 5), (2, -126, 126) })
        {
            FloatFormat f = FloatFormat.Create(p, emin, emax);
            if (!RneEncodeOperator.Supports(f))
            {
                Assert.True(f.BitCount > 16 || emin < -126 || emax > 126, $"{f} should be supported");
                continue;
            }

            supported++;

            float[] x = RneInputs(f);
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                ulong[] expected = [.. x.Select(v => f.Encode(v, RoundingMode.NearestEven, overflow))];
                foreach (int width in new[] { 0, 128, 256, 512 })
                {
                    ushort[] d = new ushort[x.Length];
                    RunOperator(new RneEncodeOperator(f, overflow), width, x, d);
                    Assert.Equal(expected, d.Select(c => (ulong)c));
                }

                if (ShiftEncodeOperator<TowardZeroSelector>.Supports(f))
                {
                    CheckShift<TowardZeroSelector>(f, overflow, x);
                    CheckShift<TowardPositiveSelector>(f, overflow, x);
                    CheckShift<ToOddSelector>(f, overflow, x);
                    CheckShift<NearestAwaySelector>(f, overflow, x);
                }
            }
        }

        Assert.True(supported >= 5, $"only {supported} custom formats took the kernel");
    }

    /// <summary>Every code's value, the midpoints to the next code and their float neighbours (ties and ±1 ulp), the overflow
    /// threshold region, random bit patterns of every binary32 exponent, and specials; both signs, grouped and shuffled.</summary>
    private static float[] RneInputs(FloatFormat f)
    {
        List<float> xs = [.. Inputs(f)];
        ulong maxCode = f.Encode(f.MaxFinite);
        ulong step = Math.Max(1, maxCode / 4000);
        for (ulong c = 0; c <= maxCode; c += step)
        {
            double lo = GridArbitraries.ValueOf(f, c);
            double hi = c == maxCode ? f.MaxFinite + Math.ScaleB(1.0, f.MaxExponent - f.MantissaBits) : GridArbitraries.ValueOf(f, c + 1);
            float mid = (float)(lo + ((hi - lo) / 2));
            foreach (float v in new[] { (float)lo, mid, MathF.BitIncrement(mid), MathF.BitDecrement(mid), MathF.BitIncrement((float)lo), MathF.BitDecrement((float)lo) })
            {
                xs.Add(v);
                xs.Add(-v);
            }
        }

        var random = new Random(21);
        for (uint e = 0; e < 256; e++)
        {
            for (int k = 0; k < 24; k++)
            {
                xs.Add(BitConverter.UInt32BitsToSingle((e << 23) | ((uint)random.Next(1 << 23)) | (k % 2 == 0 ? 0 : 0x8000_0000u)));
            }
        }

        float[] grouped = [.. xs];
        float[] shuffled = [.. xs];
        random.Shuffle(shuffled);
        return [.. grouped, .. shuffled];
    }

    private static void CheckFastOperator<TOp, TCode>(FloatFormat f, float[] x)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        ulong[] expected = [.. x.Select(v => f.Encode(v))];
        foreach (int width in new[] { 0, 128, 256, 512 })
        {
            TCode[] d = new TCode[x.Length];
            RunOperator(default(TOp), width, x, d);
            for (int i = 0; i < d.Length; i++)
            {
                ulong actual = typeof(TCode) == typeof(byte) ? (byte)(object)d[i] : (ushort)(object)d[i];
                Assert.True(expected[i] == actual, $"{f} fast RNE width {width} x = {x[i]:R} (0x{BitConverter.SingleToUInt32Bits(x[i]):X8}): expected {expected[i]:x}, got {actual:x}");
            }
        }
    }

    [Fact]
    public void Fast_rne_encoders_match_scalar_Encode_on_every_width()
    {
        // Grid inputs plus every binary32 exponent with random fractions (so all binades, subnormals and overflow are crossed).
        var random = new Random(8);
        foreach (FloatFormat f in new[] { FloatFormat.Binary16, FloatFormat.E4M3FN, FloatFormat.BFloat16 })
        {
            List<float> xs = [.. Inputs(f)];
            for (uint e = 0; e < 256; e++)
            {
                for (int k = 0; k < 40; k++)
                {
                    xs.Add(BitConverter.UInt32BitsToSingle((e << 23) | ((uint)random.Next(1 << 23)) | (k % 2 == 0 ? 0 : 0x8000_0000u)));
                }
            }

            // Grouped by exponent (whole vectors on the common path) and shuffled (rare lanes mixed into common vectors).
            float[] grouped = [.. xs];
            float[] shuffled = [.. xs];
            random.Shuffle(shuffled);
            foreach (float[] x in new[] { grouped, shuffled })
            {
                CheckFast(f, x);
            }
        }

        static void CheckFast(FloatFormat f, float[] x)
        {
            if (f == FloatFormat.Binary16)
            {
                CheckFastOperator<Binary16RneEncodeOperator<BranchOnRareLanes>, ushort>(f, x);
                CheckFastOperator<Binary16RneEncodeOperator<SelectRareLanes>, ushort>(f, x);
            }
            else if (f == FloatFormat.BFloat16)
            {
                CheckFastOperator<BFloat16RneEncodeOperator, ushort>(f, x);
            }
            else
            {
                CheckFastOperator<E4M3FNRneEncodeOperator<BranchOnRareLanes>, byte>(f, x);
                CheckFastOperator<E4M3FNRneEncodeOperator<BranchOnRareLanes>, ushort>(f, x);
                CheckFastOperator<E4M3FNRneEncodeOperator<SelectRareLanes>, byte>(f, x);
                CheckFastOperator<E4M3FNRneEncodeOperator<SelectRareLanes>, ushort>(f, x);
            }
        }
    }
}
