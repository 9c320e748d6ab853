// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Quantization;

/// <summary>
/// Vectorized ggml MXFP4 (<see cref="GgmlBlocks.QuantizeMxfp4Ref"/> / <see cref="GgmlBlocks.DequantizeMxfp4Ref"/>), the same
/// bits on every width. ggml's exhaustive search (first index of the smallest float32 |table[i]·d − x|) is replaced by
/// threshold counting, which is equivalent: for x &gt; 0 no negative entry beats its positive mirror, for x &lt; 0 entry 0 (+0)
/// beats every positive entry and −0, and along the sorted magnitudes {0,1,2,3,4,6,8,12}·d the rounded errors fall strictly
/// and then rise strictly, so the first minimum is the number of midpoints {0.5,1.5,2.5,3.5,5,7,10}·d that |x| exceeds
/// (ties stay below: round half toward zero); |x| is compared as |x|·2^(128−e) = |x|/d, an exact power-of-two scaling. Near a midpoint both subtractions are exact (Sterbenz), so rounding cannot
/// create or break a tie, and every t·d and midpoint·d is an exact float32 while the exponent byte is at most 250; the rare
/// blocks above that (amax ≥ 2^126, where ggml's table products overflow) and blocks whose float32 log2 might round up to the
/// next integer take the scalar reference.
/// </summary>
internal readonly struct Mxfp4Codec : IGgmlBlockCodec
{
    /// <summary>Largest exponent byte for which the threshold form is used (12·d and 10·d stay finite with margin).</summary>
    private const byte MaxFastExponent = 250;

    public static int BlockBytes => GgmlBlocks.MXFP4BlockBytes;

    /// <summary>kvalues_mxfp4 as bytes for the nibble table lookup.</summary>
    private static ReadOnlySpan<byte> KValueBytes => [0, 1, 2, 3, 4, 6, 8, 12, 0, 0xFF, 0xFE, 0xFD, 0xFC, 0xFA, 0xF8, 0xF4];

    public static void QuantizeReference(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlocks.QuantizeMxfp4Ref(x, y);

    public static void DequantizeReference(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlocks.DequantizeMxfp4Ref(x, y);

    /// <summary>
    /// <see cref="GgmlBlocks.GgmlMxfp4Exponent"/> without a logarithm when the fraction of amax is below 1 − 2^-11: then
    /// float32 log2(amax) cannot round up to the next integer, so floor(log2f(amax)) is the exponent field − 127.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static byte Exponent(float amax)
    {
        uint bits = BitConverter.SingleToUInt32Bits(amax);
        if (bits >= 0x0080_0000u && (bits & 0x007F_FFFFu) < 0x007F_F000u)
        {
            int e = (int)(bits >> 23) - 2;
            return e <= 0 ? (byte)0 : (byte)e;
        }

        return GgmlBlocks.GgmlMxfp4Exponent(amax);
    }

    /// <summary>
    /// Writes the exponent byte e and gives 1/d = 2^(128 − e) as two float32 factors (2^128 does not fit), or returns false
    /// after running the scalar reference on this block.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void QuantizeBlockReference(ref float x, ref byte y) =>
        GgmlBlocks.QuantizeMxfp4Ref(MemoryMarshal.CreateReadOnlySpan(ref x, GgmlBlockDriver.BlockSize), MemoryMarshal.CreateSpan(ref y, GgmlBlocks.MXFP4BlockBytes));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Scale(ref float x, ref byte y, float amax, out float scale1, out float scale2)
    {
        byte e = Exponent(amax);
        if (e > MaxFastExponent)
        {
            QuantizeBlockReference(ref x, ref y);
            scale1 = scale2 = 0;
            return false;
        }

        y = e;
        scale1 = e == 0 ? 2.0f : 1.0f;
        scale2 = BitConverter.UInt32BitsToSingle((uint)(255 - Math.Max((int)e, 1)) << 23); // 2^(128 − max(e, 1))
        return true;
    }

    /// <summary>The Vector128 body of the code (the same text as the Vector512 one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Code(Vector128<float> v, Vector128<float> scale1, Vector128<float> scale2)
    {
        Vector128<float> a = Vector128.Abs(v) * scale1 * scale2; // |x| / d, exact (or below 2^-126, where every test is false anyway)
        Vector128<int> n = Vector128.ConvertToInt32Native(Vector128.MinNative(Vector128.Ceiling(a - Vector128.Create(0.5f)), Vector128.Create(4f)))
            - Vector128.GreaterThan(a, Vector128.Create(5.0f)).AsInt32()
            - Vector128.GreaterThan(a, Vector128.Create(7.0f)).AsInt32()
            - Vector128.GreaterThan(a, Vector128.Create(10.0f)).AsInt32();
        Vector128<int> negative = Vector128.LessThan(v.AsInt32(), Vector128<int>.Zero) & ~Vector128.Equals(n, Vector128<int>.Zero);
        return n | (negative & Vector128.Create(8));
    }

    /// <summary>The Vector256 body of the code (the same text as the Vector512 one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Code(Vector256<float> v, Vector256<float> scale1, Vector256<float> scale2)
    {
        Vector256<float> a = Vector256.Abs(v) * scale1 * scale2; // |x| / d, exact (or below 2^-126, where every test is false anyway)
        Vector256<int> n = Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.Ceiling(a - Vector256.Create(0.5f)), Vector256.Create(4f)))
            - Vector256.GreaterThan(a, Vector256.Create(5.0f)).AsInt32()
            - Vector256.GreaterThan(a, Vector256.Create(7.0f)).AsInt32()
            - Vector256.GreaterThan(a, Vector256.Create(10.0f)).AsInt32();
        Vector256<int> negative = Vector256.LessThan(v.AsInt32(), Vector256<int>.Zero) & ~Vector256.Equals(n, Vector256<int>.Zero);
        return n | (negative & Vector256.Create(8));
    }

    /// <summary>The nibble of 16 values: the count of midpoints below |x|/d, with the sign bit for a negative non-zero count.</summary>
    /// <remarks>
    /// The count with fewer operations than seven compares: below 4 it is ceil(a − 0.5) (a − 0.5 is exact for a ≥ 0.25, and
    /// for smaller a any rounding stays in (−0.5, 0), whose ceiling is 0 either way; ties at k + 0.5 give k, as the strict
    /// compares did), capped at 4, plus one for each of 5, 7 and 10 that a exceeds.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Code(Vector512<float> v, Vector512<float> scale1, Vector512<float> scale2)
    {
        Vector512<float> a = Vector512.Abs(v) * scale1 * scale2; // |x| / d, exact (or below 2^-126, where every test is false anyway)
        Vector512<int> n = Vector512.ConvertToInt32Native(Vector512.MinNative(Vector512.Ceiling(a - Vector512.Create(0.5f)), Vector512.Create(4f)))
            - Vector512.GreaterThan(a, Vector512.Create(5.0f)).AsInt32()
            - Vector512.GreaterThan(a, Vector512.Create(7.0f)).AsInt32()
            - Vector512.GreaterThan(a, Vector512.Create(10.0f)).AsInt32();
        Vector512<int> negative = Vector512.LessThan(v.AsInt32(), Vector512<int>.Zero) & ~Vector512.Equals(n, Vector512<int>.Zero);
        return n | (negative & Vector512.Create(8));
    }

    public static void Quantize128(ref float x, ref byte y, int blocks)
    {
        for (int b = 0; b < blocks; b++)
        {
            QuantizeBlock128(ref Unsafe.Add(ref x, b * 32), ref Unsafe.Add(ref y, b * GgmlBlocks.MXFP4BlockBytes));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeBlock128(ref float x, ref byte y)
    {
        Vector128<float> v0 = Vector128.LoadUnsafe(ref x);
        Vector128<float> v1 = Vector128.LoadUnsafe(ref x, 4);
        Vector128<float> v2 = Vector128.LoadUnsafe(ref x, 8);
        Vector128<float> v3 = Vector128.LoadUnsafe(ref x, 12);
        Vector128<float> v4 = Vector128.LoadUnsafe(ref x, 16);
        Vector128<float> v5 = Vector128.LoadUnsafe(ref x, 20);
        Vector128<float> v6 = Vector128.LoadUnsafe(ref x, 24);
        Vector128<float> v7 = Vector128.LoadUnsafe(ref x, 28);
        Vector128<float> m = Vector128.MaxNative(
            Vector128.MaxNative(Vector128.MaxNative(Vector128.Abs(v0), Vector128.Abs(v1)), Vector128.MaxNative(Vector128.Abs(v2), Vector128.Abs(v3))),
            Vector128.MaxNative(Vector128.MaxNative(Vector128.Abs(v4), Vector128.Abs(v5)), Vector128.MaxNative(Vector128.Abs(v6), Vector128.Abs(v7))));
        if (!Scale(ref x, ref y, GgmlBlockDriver.BroadcastMax(m).ToScalar(), out float scale1, out float scale2))
        {
            return;
        }

        Vector128<float> s1 = Vector128.Create(scale1), s2 = Vector128.Create(scale2);

        Vector128<uint> b0 = (Code(v0, s1, s2) | Vector128.ShiftLeft(Code(v4, s1, s2), 4)).AsUInt32();
        Vector128<uint> b1 = (Code(v1, s1, s2) | Vector128.ShiftLeft(Code(v5, s1, s2), 4)).AsUInt32();
        Vector128<uint> b2 = (Code(v2, s1, s2) | Vector128.ShiftLeft(Code(v6, s1, s2), 4)).AsUInt32();
        Vector128<uint> b3 = (Code(v3, s1, s2) | Vector128.ShiftLeft(Code(v7, s1, s2), 4)).AsUInt32();
        Vector128.Narrow(Vector128.Narrow(b0, b1), Vector128.Narrow(b2, b3)).StoreUnsafe(ref y, 1);
    }

    public static void Quantize256(ref float x, ref byte y, int blocks)
    {
        for (int b = 0; b < blocks; b++)
        {
            QuantizeBlock256(ref Unsafe.Add(ref x, b * 32), ref Unsafe.Add(ref y, b * GgmlBlocks.MXFP4BlockBytes));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeBlock256(ref float x, ref byte y)
    {
        Vector256<float> v0 = Vector256.LoadUnsafe(ref x);
        Vector256<float> v1 = Vector256.LoadUnsafe(ref x, 8);
        Vector256<float> v2 = Vector256.LoadUnsafe(ref x, 16);
        Vector256<float> v3 = Vector256.LoadUnsafe(ref x, 24);
        Vector256<float> m = Vector256.MaxNative(Vector256.MaxNative(Vector256.Abs(v0), Vector256.Abs(v1)), Vector256.MaxNative(Vector256.Abs(v2), Vector256.Abs(v3)));
        if (!Scale(ref x, ref y, GgmlBlockDriver.HorizontalMax(m), out float scale1, out float scale2))
        {
            return;
        }

        Vector256<float> s1 = Vector256.Create(scale1), s2 = Vector256.Create(scale2);

        Vector256<uint> b0 = (Code(v0, s1, s2) | Vector256.ShiftLeft(Code(v2, s1, s2), 4)).AsUInt32();
        Vector256<uint> b1 = (Code(v1, s1, s2) | Vector256.ShiftLeft(Code(v3, s1, s2), 4)).AsUInt32();
        Vector256<ushort> s = Vector256.Narrow(b0, b1);
        Vector256.Narrow(s, s).GetLower().StoreUnsafe(ref y, 1);
    }

    public static void Quantize512(ref float x, ref byte y, int blocks)
    {
        // The maxima of the whole group first, then the blocks: each block's chain (reduction, exponent, codes) no longer
        // waits for the previous one's.
        Q4_0Codec.Floats16 amax = default;
        for (int b = 0; b < blocks; b++)
        {
            ref float xb = ref Unsafe.Add(ref x, b * 32);
            amax[b] = GgmlBlockDriver.HorizontalMax(Vector512.MaxNative(Vector512.Abs(Vector512.LoadUnsafe(ref xb)), Vector512.Abs(Vector512.LoadUnsafe(ref xb, 16))));
        }

        for (int b = 0; b < blocks; b++)
        {
            QuantizeBlock512(ref Unsafe.Add(ref x, b * 32), ref Unsafe.Add(ref y, b * GgmlBlocks.MXFP4BlockBytes), amax[b]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeBlock512(ref float x, ref byte y, float amax)
    {
        if (!Scale(ref x, ref y, amax, out float scale1, out float scale2))
        {
            return;
        }

        // Reloaded (from L1) so no vector is live across the rare scalar fallback call.
        Vector512<float> v0 = Vector512.LoadUnsafe(ref x);
        Vector512<float> v1 = Vector512.LoadUnsafe(ref x, 16);

        Vector512<float> s1 = Vector512.Create(scale1), s2 = Vector512.Create(scale2);

        Vector512<uint> b = (Code(v0, s1, s2) | Vector512.ShiftLeft(Code(v1, s1, s2), 4)).AsUInt32();
        if (Avx512F.IsSupported)
        {
            Avx512F.ConvertToVector128Byte(b).StoreUnsafe(ref y, 1); // vpmovdb: the low byte of each lane
            return;
        }

        Vector512<ushort> s = Vector512.Narrow(b, b);
        Vector512.Narrow(s, s).GetLower().GetLower().StoreUnsafe(ref y, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<sbyte> Values(ref byte x)
    {
        Vector128<byte> table = Vector128.Create(KValueBytes);
        Vector128<byte> qs = Vector128.LoadUnsafe(ref x, 1);
        Vector128<byte> lo = GgmlBlockDriver.Lookup16(table, qs & Vector128.Create((byte)0x0F));
        Vector128<byte> hi = GgmlBlockDriver.Lookup16(table, Vector128.ShiftRightLogical(qs, 4));
        return Vector256.Create(lo, hi).AsSByte();
    }

    public static void Dequantize128(ref byte x, ref float y)
    {
        Vector128<float> d = Vector128.Create(GgmlMath.E8M0ToFloatHalf(x));
        Vector256<sbyte> q = Values(ref x);
        Vector128<short> l0 = Vector128.WidenLower(q.GetLower()), l1 = Vector128.WidenUpper(q.GetLower());
        Vector128<short> h0 = Vector128.WidenLower(q.GetUpper()), h1 = Vector128.WidenUpper(q.GetUpper());
        (Vector128.ConvertToSingle(Vector128.WidenLower(l0)) * d).StoreUnsafe(ref y);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(l0)) * d).StoreUnsafe(ref y, 4);
        (Vector128.ConvertToSingle(Vector128.WidenLower(l1)) * d).StoreUnsafe(ref y, 8);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(l1)) * d).StoreUnsafe(ref y, 12);
        (Vector128.ConvertToSingle(Vector128.WidenLower(h0)) * d).StoreUnsafe(ref y, 16);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(h0)) * d).StoreUnsafe(ref y, 20);
        (Vector128.ConvertToSingle(Vector128.WidenLower(h1)) * d).StoreUnsafe(ref y, 24);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(h1)) * d).StoreUnsafe(ref y, 28);
    }

    public static void Dequantize256(ref byte x, ref float y)
    {
        Vector256<float> d = Vector256.Create(GgmlMath.E8M0ToFloatHalf(x));
        Vector256<sbyte> q = Values(ref x);
        Vector256<short> l = Vector256.WidenLower(q), h = Vector256.WidenUpper(q);
        (Vector256.ConvertToSingle(Vector256.WidenLower(l)) * d).StoreUnsafe(ref y);
        (Vector256.ConvertToSingle(Vector256.WidenUpper(l)) * d).StoreUnsafe(ref y, 8);
        (Vector256.ConvertToSingle(Vector256.WidenLower(h)) * d).StoreUnsafe(ref y, 16);
        (Vector256.ConvertToSingle(Vector256.WidenUpper(h)) * d).StoreUnsafe(ref y, 24);
    }

    public static void Dequantize512(ref byte x, ref float y)
    {
        Vector512<float> d = Vector512.Create(GgmlMath.E8M0ToFloatHalf(x));
        Vector512<short> w = Vector512.WidenLower(Values(ref x).ToVector512Unsafe());
        (Vector512.ConvertToSingle(Vector512.WidenLower(w)) * d).StoreUnsafe(ref y);
        (Vector512.ConvertToSingle(Vector512.WidenUpper(w)) * d).StoreUnsafe(ref y, 16);
    }
}
