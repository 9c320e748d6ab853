// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats.Rounding;

namespace Numerics.Formats.Tests;

/// <summary>
/// Span Decode (codes -> float) on every width against the scalar <see cref="FloatFormat.Decode(ulong)"/>, bit for bit, on every
/// code of every preset of at most 16 bits, with misaligned starts and odd lengths.
/// </summary>
public sealed class DecodeSpanTests
{
    public static TheoryData<string> Formats =>
    [
        "bfloat16", "binary16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz", "float8_e4m3",
        "float8_e3m4", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn", "float8_e8m0fnu",
    ];

    public static TheoryData<string, int> FormatsAndWidths
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (string name in Formats.Select(row => (string)row.Data))
            {
                foreach (int width in new[] { 0, 128, 256, 512 })
                {
                    data.Add(name, width);
                }
            }

            return data;
        }
    }

    /// <summary>Every code of the format twice (forward, then a shuffle), plus a few more so the length is odd.</summary>
    private static ushort[] Codes(FloatFormat f)
    {
        int count = 1 << f.BitCount;
        var codes = new List<ushort>();
        for (int c = 0; c < count; c++)
        {
            codes.Add((ushort)c);
        }

        ushort[] shuffled = [.. codes];
        new Random(11).Shuffle(shuffled);
        codes.AddRange(shuffled);
        codes.AddRange([0, (ushort)(count - 1), (ushort)(count / 2)]);
        return [.. codes];
    }

    private static uint Expected(FloatFormat f, ushort code) => BitConverter.SingleToUInt32Bits((float)f.Decode(code));

    private static IEnumerable<(int Start, int Length)> Slices(int total)
    {
        foreach (int start in new[] { 0, 1, 3, 7 })
        {
            yield return (start, total - start);
            yield return (start, total - start - 5);
            foreach (int length in new[] { 0, 1, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129 })
            {
                if (start + length <= total)
                {
                    yield return (start, length);
                }
            }
        }
    }

    private static void AssertBits(FloatFormat f, ReadOnlySpan<ushort> codes, ReadOnlySpan<float> actual, string where)
    {
        for (int i = 0; i < codes.Length; i++)
        {
            uint expected = Expected(f, codes[i]);
            uint got = BitConverter.SingleToUInt32Bits(actual[i]);
            Assert.True(expected == got, $"{f.Name} {where}: code 0x{codes[i]:X} at {i} decoded to 0x{got:X8}, scalar Decode gives 0x{expected:X8}");
        }
    }

    [Fact]
    public void VectorDecode_CoversEveryPreset()
    {
        foreach (string name in Formats.Select(row => (string)row.Data))
        {
            FloatFormat f = GoldenFiles.Preset(name);
            bool vectorized = f.TryGetDecodeOperator(out _, out bool bfloat16, out E8M0DecodeOperator? e8m0);
            Assert.True(vectorized, $"{name}: not vectorized");
            Assert.True(bfloat16 == (name == "bfloat16"), $"{name}: bfloat16 kernel {bfloat16}");
            Assert.True(e8m0.HasValue == (name == "float8_e8m0fnu"), $"{name}: E8M0 kernel {e8m0.HasValue}");
        }
    }

    [Theory]
    [MemberData(nameof(FormatsAndWidths))]
    public void Kernel_EveryCode_EveryWidth_MatchesScalarDecode(string name, int width)
    {
        FloatFormat f = GoldenFiles.Preset(name);
        Assert.True(f.TryGetDecodeOperator(out CodeDecodeOperator op, out bool bfloat16, out E8M0DecodeOperator? e8m0));

        ushort[] codes = Codes(f);
        byte[]? bytes = f.BitCount <= 8 ? codes.Select(c => (byte)c).ToArray() : null;
        var actual = new float[codes.Length];
        foreach ((int start, int length) in Slices(codes.Length))
        {
            Array.Fill(actual, float.NaN);
            Span<float> d = actual.AsSpan(start, length);
            if (bytes is not null)
            {
                ReadOnlySpan<byte> s = bytes.AsSpan(start, length);
                if (e8m0.HasValue)
                {
                    RunBytes(e8m0.Value, width, s, d);
                }
                else if (bfloat16)
                {
                    RunBytes(default(BFloat16DecodeOperator), width, s, d);
                }
                else
                {
                    RunBytes(op, width, s, d);
                }
            }
            else
            {
                ReadOnlySpan<ushort> s = codes.AsSpan(start, length);
                if (bfloat16)
                {
                    RunWords(default(BFloat16DecodeOperator), width, s, d);
                }
                else
                {
                    RunWords(op, width, s, d);
                }
            }

            AssertBits(f, codes.AsSpan(start, length), d, $"width {width} start {start} length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void SpanDecode_EveryCode_MatchesScalarDecode(string name)
    {
        FloatFormat f = GoldenFiles.Preset(name);
        ushort[] codes = Codes(f);
        var actual = new float[codes.Length];
        foreach ((int start, int length) in Slices(codes.Length))
        {
            f.Decode(codes.AsSpan(start, length), actual.AsSpan(start, length));
            AssertBits(f, codes.AsSpan(start, length), actual.AsSpan(start, length), $"ushort span start {start} length {length}");
            if (f.BitCount <= 8)
            {
                byte[] bytes = codes.Select(c => (byte)c).ToArray();
                Array.Fill(actual, float.NaN);
                f.Decode(bytes.AsSpan(start, length), actual.AsSpan(start, length));
                AssertBits(f, codes.AsSpan(start, length), actual.AsSpan(start, length), $"byte span start {start} length {length}");
            }
        }
    }

    [Theory]
    [InlineData("float6_e2m3fn", 150)]
    [InlineData("float4_e2m1fn", 3)]
    [InlineData("float8_e4m3fn", 200)]
    [InlineData("binary16", 77)]
    public void SpanDecode_CodeWiderThanFormat_ThrowsNamingSource(string name, int badIndex)
    {
        FloatFormat f = GoldenFiles.Preset(name);
        var words = new ushort[300];
        words[badIndex] = (ushort)(1 << f.BitCount);
        var destination = new float[300];
        if (f.BitCount < 16)
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => f.Decode(words, destination));
            Assert.Equal("source", e.ParamName);
            Assert.Contains($"index {badIndex}", e.Message, StringComparison.Ordinal);
        }

        if (f.BitCount < 8)
        {
            var bytes = new byte[300];
            bytes[badIndex] = (byte)(1 << f.BitCount);
            ArgumentException e = Assert.Throws<ArgumentException>(() => f.Decode(bytes, destination));
            Assert.Equal("source", e.ParamName);
            Assert.Contains($"index {badIndex}", e.Message, StringComparison.Ordinal);
        }
        else if (f.BitCount > 8)
        {
            Assert.Throws<ArgumentException>(() => f.Decode(new byte[300], destination));
        }
    }

    [Fact]
    public void SpanDecode_Binary16_MatchesHalfConversion()
    {
        // An independent reference: System.Half's own widening, on every non-NaN code (NaN payload conventions may differ).
        var codes = new ushort[65536];
        for (int c = 0; c < codes.Length; c++)
        {
            codes[c] = (ushort)c;
        }

        var actual = new float[codes.Length];
        FloatFormat.Binary16.Decode(codes, actual);
        for (int c = 0; c < codes.Length; c++)
        {
            float expected = (float)BitConverter.UInt16BitsToHalf((ushort)c);
            if (float.IsNaN(expected))
            {
                Assert.True(float.IsNaN(actual[c]), $"code 0x{c:X4}");
            }
            else
            {
                Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(actual[c]));
            }
        }
    }

    private static void RunBytes<TOp>(TOp op, int width, ReadOnlySpan<byte> s, Span<float> d)
        where TOp : struct, ICodeDecodeOperator
    {
        switch (width)
        {
            case 0: DecodeDriver.RunScalar(s, d, op); break;
            case 128: DecodeDriver.Run128(s, d, op); break;
            case 256: DecodeDriver.Run256(s, d, op); break;
            default: DecodeDriver.Run512(s, d, op); break;
        }
    }

    private static void RunWords<TOp>(TOp op, int width, ReadOnlySpan<ushort> s, Span<float> d)
        where TOp : struct, ICodeDecodeOperator
    {
        switch (width)
        {
            case 0: DecodeDriver.RunScalar(s, d, op); break;
            case 128: DecodeDriver.Run128(s, d, op); break;
            case 256: DecodeDriver.Run256(s, d, op); break;
            default: DecodeDriver.Run512(s, d, op); break;
        }
    }
}
