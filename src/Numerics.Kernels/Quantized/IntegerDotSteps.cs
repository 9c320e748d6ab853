// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>Q4_0 blocks: binary16 scale at byte 0, 16 code bytes at 2 (18 bytes).</summary>
internal readonly unsafe struct Q4_0Step : IIntegerDotStep
{
    public static int BlockBytes => 18;

    /// <summary>Block s's code byte i is at 18s + 2 + i: from the load at +2 (index 18s + i) while that is below 64, else from the load at +8.</summary>
    public static Vector512<byte> CodeIndex => IntegerDotIndexes.Codes(18, 2, 8);

    /// <summary>Words of the load at +0: lane 4s + t gets the scale word 9s in both halves.</summary>
    public static Vector512<byte> ScaleIndex => IntegerDotIndexes.HalfScales();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Step256(byte* group, int first, Vector256<sbyte> aLo, Vector256<sbyte> aHi, Vector256<int> corr, Vector256<float> da, Vector256<float> l)
    {
        byte* b0 = group + (first * 18), b1 = b0 + 18;
        Vector256<byte> codes = Vector256.Create(Vector128.Load(b0 + 2), Vector128.Load(b1 + 2));
        Vector256<byte> mask = Vector256.Create((byte)0x0F);
        Vector256<int> p = IntegerDotDriver.Products256(codes & mask, Vector256.ShiftRightLogical(codes.AsUInt16(), 4).AsByte() & mask, aLo, aHi, corr);
        float* table = QuantizedScaleTables.Half;
        Vector256<float> dw = Vector256.Create(Vector128.Create(table[Unsafe.ReadUnaligned<ushort>(b0)]), Vector128.Create(table[Unsafe.ReadUnaligned<ushort>(b1)]));
        return Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(p), dw * da, l);
    }

    /// <summary>Bit 27 of the shifted scales: binary16 exponent 16 or more.</summary>
    public static bool NeedsExactScales(Vector512<int> sticky) => (sticky & Vector512.Create(0x0800_0000)) != Vector512<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Step(byte* group, Vector512<byte> codeIndex, Vector512<byte> scaleIndex,
        Vector512<sbyte> aLo, Vector512<sbyte> aHi, Vector512<int> corr, Vector512<float> da, Vector512<float> l, bool exact, ref Vector512<int> sticky)
    {
        Vector512<byte> codes = Avx512Vbmi.PermuteVar64x8x2(Vector512.Load(group + 2), codeIndex, Vector512.Load(group + 8));
        Vector512<byte> lo = codes & Vector512.Create((byte)0x0F), hi = IntegerDotDriver.HighNibbles(codes);
        Vector512<int> p = IntegerDotDriver.Products(lo, hi, aLo, aHi, corr);

        // The scale word in both halves of each lane; an arithmetic shift by 3 and a mask give sign | magnitude << 13, which
        // is d_w·2^-112 as a float for every finite d_w (zero and subnormal included). Exponent 31 (Inf, NaN) needs the
        // float's all-ones exponent: the exact form sets it; the fast form leaves it out and marks every scale with
        // exponent 16 or more (|d_w| ≥ 2, rare in weights) in the sticky bits, so the tile is redone exactly.
        Vector512<int> h = Avx512BW.PermuteVar32x16(Vector512.Load((ushort*)group), scaleIndex.AsUInt16()).AsInt32();
        Vector512<int> bits = Vector512.ShiftRightArithmetic(h, 3) & Vector512.Create(unchecked((int)0x8FFF_E000));
        if (exact)
        {
            Vector512<int> exponent = Vector512.Create(0x0F80_0000);
            bits |= Vector512.Equals(bits & exponent, exponent) & Vector512.Create(0x7000_0000);
        }
        else
        {
            sticky |= bits;
        }

        return Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(p), bits.AsSingle() * da, l);
    }
}

/// <summary>MXFP4 blocks: E8M0 exponent at byte 0, 16 code bytes at 1 (17 bytes).</summary>
internal readonly unsafe struct Mxfp4Step : IIntegerDotStep
{
    public static int BlockBytes => 17;

    /// <summary>Block s's code byte i is at 17s + 1 + i: from the load at +1 while 17s + i is below 64, else from the load at +4.</summary>
    public static Vector512<byte> CodeIndex => IntegerDotIndexes.Codes(17, 1, 4);

    /// <summary>Bytes of the load at +0: lane 4s + t gets byte 17s (the exponent) in its low byte and 0x4B0000 above.</summary>
    public static Vector512<byte> ScaleIndex => IntegerDotIndexes.ByteScales();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Step256(byte* group, int first, Vector256<sbyte> aLo, Vector256<sbyte> aHi, Vector256<int> corr, Vector256<float> da, Vector256<float> l)
    {
        byte* b0 = group + (first * 17), b1 = b0 + 17;
        Vector256<byte> codes = Vector256.Create(Vector128.Load(b0 + 1), Vector128.Load(b1 + 1));
        Vector256<byte> mask = Vector256.Create((byte)0x0F);
        Vector256<byte> table = Vector256.Create((byte)12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0, 12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0); // kvalues + 12
        Vector256<byte> lo = Avx2.Shuffle(table, codes & mask);
        Vector256<byte> hi = Avx2.Shuffle(table, Vector256.ShiftRightLogical(codes.AsUInt16(), 4).AsByte() & mask);
        Vector256<int> p = IntegerDotDriver.Products256(lo, hi, aLo, aHi, corr);
        float* scales = QuantizedScaleTables.E8M0;
        Vector256<float> dw = Vector256.Create(Vector128.Create(scales[*b0]), Vector128.Create(scales[*b1]));
        return Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(p), dw * da, l);
    }

    /// <summary>The E8M0 conversion is exact for every exponent.</summary>
    public static bool NeedsExactScales(Vector512<int> sticky) => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Step(byte* group, Vector512<byte> codeIndex, Vector512<byte> scaleIndex,
        Vector512<sbyte> aLo, Vector512<sbyte> aHi, Vector512<int> corr, Vector512<float> da, Vector512<float> l, bool exact, ref Vector512<int> sticky)
    {
        Vector512<byte> codes = Avx512Vbmi.PermuteVar64x8x2(Vector512.Load(group + 1), codeIndex, Vector512.Load(group + 4));

        // kvalues + 12, four times: vpermb reads six index bits, so the two above the nibble need no mask.
        Vector512<byte> table = Vector512.Create((byte)12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0, 12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0,
            12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0, 12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0);
        Vector512<byte> lo = Avx512Vbmi.PermuteVar64x8(table, codes);
        Vector512<byte> hi = Avx512Vbmi.PermuteVar64x8(table, Vector512.ShiftRightLogical(codes.AsUInt16(), 4).AsByte());
        Vector512<int> p = IntegerDotDriver.Products(lo, hi, aLo, aHi, corr);

        // σ = RN(2^(e − 128)·d_a) in one rounding: vscalefps of the activation scale by e − 128. The permute puts e under
        // the exponent 0x4B (bytes from the constant second table), which is the float 2^23 + e, so one exact subtraction
        // gives e − 128.
        Vector512<float> biased = Avx512Vbmi.PermuteVar64x8x2(Vector512.Load(group), scaleIndex, Vector512.Create(0x4B00_0000).AsByte()).AsSingle();
        Vector512<float> sigma = Avx512F.Scale(da, biased - Vector512.Create(8388736f)); // 2^23 + 128
        return Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(p), sigma, l);
    }
}

/// <summary>The permute indexes of <see cref="IIntegerDotStep"/>.</summary>
internal static class IntegerDotIndexes
{
    /// <summary>vpermt2b index: block s's code byte i at stride·s + first + i, from the load at +first (below 64) or at +second.</summary>
    public static Vector512<byte> Codes(int stride, int first, int second)
    {
        Span<byte> index = stackalloc byte[64];
        for (int s = 0; s < 4; s++)
        {
            for (int i = 0; i < 16; i++)
            {
                int at = (stride * s) + first + i;
                index[(16 * s) + i] = (byte)(at - first < 64 ? at - first : 64 + (at - second));
            }
        }

        return Vector512.Create<byte>(index);
    }

    /// <summary>vpermw index (as bytes): both words of lane 4s + t = word 9s of the load.</summary>
    public static Vector512<byte> HalfScales()
    {
        Span<ushort> index = stackalloc ushort[32];
        for (int lane = 0; lane < 16; lane++)
        {
            index[2 * lane] = (ushort)(9 * (lane / 4));
            index[(2 * lane) + 1] = (ushort)(9 * (lane / 4));
        }

        return Vector512.Create<ushort>(index).AsByte();
    }

    /// <summary>vpermt2b index: lane 4s + t = byte 17s of the load, then bytes 1, 2, 3 of the second table (0x00, 0x00, 0x4B).</summary>
    public static Vector512<byte> ByteScales()
    {
        Span<byte> index = stackalloc byte[64];
        for (int lane = 0; lane < 16; lane++)
        {
            index[4 * lane] = (byte)(17 * (lane / 4));
            index[(4 * lane) + 1] = 65;
            index[(4 * lane) + 2] = 66;
            index[(4 * lane) + 3] = 67;
        }

        return Vector512.Create<byte>(index);
    }
}
