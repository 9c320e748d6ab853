// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization.Tests;

/// <summary>ggml block behaviour the published goldens do not pin down, with expected bytes worked out from FORMATS.md §3.</summary>
public sealed class GgmlBlocksTests
{
    public static TheoryData<GgmlType> AllTypes() => new(Enum.GetValues<GgmlType>());

    [Fact]
    public void Q8_0_rounds_ties_away_from_zero()
    {
        // amax = 127 -> d = 1, id = 1 exactly; roundf: 0.5 -> 1, 1.5 -> 2, 2.5 -> 3, -0.5 -> -1, -2.5 -> -3 (RNE would give 0, 2, 2, 0, -2).
        var x = new float[32];
        x[0] = 127;
        x[1] = 0.5f;
        x[2] = 1.5f;
        x[3] = 2.5f;
        x[4] = -0.5f;
        x[5] = -2.5f;
        x[6] = 0.49999997f;
        var y = new byte[34];
        GgmlBlocks.Quantize(GgmlType.Q8_0, x, y);
        Assert.Equal(0x3C00, y[0] | (y[1] << 8)); // half(1.0)
        Assert.Equal(new sbyte[] { 127, 1, 2, 3, -1, -3, 0 }, y.AsSpan(2, 7).ToArray().Select(b => (sbyte)b).ToArray());
    }

    [Fact]
    public void Q4_0_all_zero_block_stores_negative_zero_scale()
    {
        var y = new byte[18];
        GgmlBlocks.Quantize(GgmlType.Q4_0, new float[32], y);
        Assert.Equal(0x00, y[0]);
        Assert.Equal(0x80, y[1]); // d = 0 / -8 = -0.0 -> half 0x8000
        Assert.All(y.AsSpan(2).ToArray(), b => Assert.Equal(0x88, b));
    }

    [Fact]
    public void Q4_0_maps_the_signed_max_to_code_0_and_rounds_half_up()
    {
        // max = -8 (first element of largest magnitude) -> d = 1, id = 1; q = trunc(x + 8.5): -8 -> 0, 0.5 -> 9 (8.5 + 0.5 = 9.0),
        // -0.5 -> 8, 7 -> 15, 7.9 -> 15 (16.4 -> 16, MIN 15).
        var x = new float[32];
        x[0] = -8;
        x[1] = 0.5f;
        x[2] = -0.5f;
        x[3] = 7;
        x[16] = 7.9f;
        x[17] = 8; // |8| == |-8|: the first one wins, so max stays -8 and 8 maps to 16 -> 15
        var y = new byte[18];
        GgmlBlocks.Quantize(GgmlType.Q4_0, x, y);
        Assert.Equal(0x3C00, y[0] | (y[1] << 8));
        Assert.Equal(0x0 | (15 << 4), y[2]);
        Assert.Equal(9 | (15 << 4), y[3]);
        Assert.Equal(8 | (8 << 4), y[4]);
        Assert.Equal(15 | (8 << 4), y[5]);
    }

    [Theory]
    [InlineData(GgmlType.Q4_0)]
    [InlineData(GgmlType.Q4_1)]
    [InlineData(GgmlType.Q5_0)]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q8_1)]
    public void Blocks_whose_reciprocal_scale_overflows_store_zero_scales_and_decode_to_zero(GgmlType type)
    {
        // amax = 2^-130: d = amax/8 (/16, /15, /127) is below 2^-128, so 1/d overflows to ±Inf and ggml's float->int8 casts
        // are undefined (its x86-64 build writes codes 0). Documented deviation: the codes are whatever .NET's saturating
        // conversion gives; the half scales (and Q4_1's min, Q8_1's s) are 0 as in ggml, so the block decodes to ±0 either way.
        float a = MathF.ScaleB(1, -130);
        var x = new float[32];
        x[0] = a;
        x[1] = -a;
        x[2] = a / 2;
        var y = new byte[GgmlBlocks.BlockBytes(type)];
        GgmlBlocks.Quantize(type, x, y);
        int halves = type is GgmlType.Q4_1 or GgmlType.Q8_1 ? 2 : 1;
        for (int h = 0; h < halves; h++)
        {
            Assert.Equal(0, (y[2 * h] | (y[(2 * h) + 1] << 8)) & 0x7FFF);
        }

        var back = new float[32];
        GgmlBlocks.Dequantize(type, y, back);
        Assert.All(back, v => Assert.Equal(0f, MathF.Abs(v)));
    }

    [Fact]
    public void Q4_0_codes_when_the_reciprocal_scale_overflows()
    {
        // max = a = 2^-130 -> d = -2^-133, id = -Inf: a -> -Inf -> 0; -a -> +Inf -> (int8)(int.MaxValue) = -1 -> MIN(15, -1) as uint8 = 0xFF
        // (the whole byte, as C's q0 | q1 << 4 with q0 = 0xFF); 0 -> NaN -> 0. ggml's x86-64 build writes 0x00 codes (see docs).
        float a = MathF.ScaleB(1, -130);
        var x = new float[32];
        x[0] = a;
        x[1] = -a;
        var y = new byte[18];
        GgmlBlocks.Quantize(GgmlType.Q4_0, x, y);
        Assert.Equal(0x8000, y[0] | (y[1] << 8)); // half(-2^-133) = -0, as ggml
        Assert.Equal(0x00, y[2]);
        Assert.Equal(0xFF, y[3]);
        Assert.All(y.AsSpan(4).ToArray(), b => Assert.Equal(0x00, b));
    }

    [Fact]
    public void Q8_0_huge_block_stores_infinite_half_scale()
    {
        var x = new float[32];
        x[0] = 1e7f; // d = 1e7/127 > 65504 -> half Inf; q stays 127
        var y = new byte[34];
        GgmlBlocks.Quantize(GgmlType.Q8_0, x, y);
        Assert.Equal(0x7C00, y[0] | (y[1] << 8));
        Assert.Equal(127, (sbyte)y[2]);
        var back = new float[32];
        GgmlBlocks.Dequantize(GgmlType.Q8_0, y, back);
        Assert.Equal(float.PositiveInfinity, back[0]);
        Assert.True(float.IsNaN(back[1])); // 0 * Inf, as ggml
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Quantize_rejects_non_finite_values_naming_the_index(GgmlType type)
    {
        int n = GgmlBlocks.BlockSize(type) * 2;
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var x = new float[n];
            x[n - 3] = bad;
            ArgumentException ex = Assert.Throws<ArgumentException>(() => GgmlBlocks.Quantize(type, x, new byte[GgmlBlocks.RowSize(type, n)]));
            Assert.Equal("source", ex.ParamName);
            Assert.Contains($"[{n - 3}]", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Arguments_are_validated(GgmlType type)
    {
        int block = GgmlBlocks.BlockSize(type);
        int bytes = GgmlBlocks.BlockBytes(type);
        Assert.Equal(3 * bytes, GgmlBlocks.RowSize(type, 3 * block));
        Assert.Equal(0, GgmlBlocks.RowSize(type, 0));
        Assert.Equal("count", Assert.Throws<ArgumentException>(() => GgmlBlocks.RowSize(type, block + 1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => GgmlBlocks.RowSize(type, -block));
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => GgmlBlocks.Quantize(type, new float[block - 1], new byte[bytes])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => GgmlBlocks.Quantize(type, new float[block], new byte[bytes - 1])).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => GgmlBlocks.Dequantize(type, new byte[bytes + 1], new float[2 * block])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => GgmlBlocks.Dequantize(type, new byte[bytes], new float[block - 1])).ParamName);

        // Overlap: the floats and the bytes share memory.
        float[] shared = new float[4 * block];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            GgmlBlocks.Quantize(type, shared.AsSpan(0, block), System.Runtime.InteropServices.MemoryMarshal.AsBytes(shared.AsSpan()))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            GgmlBlocks.Dequantize(type, System.Runtime.InteropServices.MemoryMarshal.AsBytes(shared.AsSpan()).Slice(0, bytes), shared.AsSpan(0, block))).ParamName);
    }

    [Fact]
    public void Undefined_type_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GgmlBlocks.BlockSize((GgmlType)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => GgmlBlocks.Quantize((GgmlType)99, new float[32], new byte[64]));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Quantize_writes_only_row_size_bytes(GgmlType type)
    {
        int block = GgmlBlocks.BlockSize(type);
        int bytes = GgmlBlocks.RowSize(type, block);
        var y = new byte[bytes + 8];
        y.AsSpan(bytes).Fill(0xCD);
        var x = Enumerable.Range(0, block).Select(i => MathF.Sin(i)).ToArray();
        GgmlBlocks.Quantize(type, x, y);
        Assert.All(y.AsSpan(bytes).ToArray(), b => Assert.Equal(0xCD, b));
        var back = new float[block + 3];
        back.AsSpan(block).Fill(42f);
        GgmlBlocks.Dequantize(type, y.AsSpan(0, bytes), back);
        Assert.All(back.AsSpan(block).ToArray(), v => Assert.Equal(42f, v));
    }

    [Fact]
    public void RowSize_beyond_the_int_range_throws_an_argument_exception()
    {
        // Q8_0 and Q8_1 take more bytes than values: 2^31 − 32 values need more than int.MaxValue bytes. This used to throw
        // OverflowException (not an ArgumentException).
        int count = int.MaxValue / 32 * 32;
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => GgmlBlocks.RowSize(GgmlType.Q8_1, count)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => GgmlBlocks.RowSize(GgmlType.Q8_0, count)).ParamName);
        Assert.Equal(count / 32 * 18, GgmlBlocks.RowSize(GgmlType.Q4_0, count)); // 1 207 959 534 bytes still fit
    }
}
