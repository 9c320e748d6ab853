// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Quantization;

/// <summary>
/// Vectorized Q4_0 (<see cref="GgmlBlocks.QuantizeQ4_0Ref"/> / <see cref="GgmlBlocks.DequantizeQ4_0Ref"/>), the same bits on every
/// width: the signed max is the first element whose magnitude equals max|x| (ggml's strict <c>amax &lt; |v|</c> keeps the first;
/// an all-zero block keeps +0, so d = −0), d and id are IEEE float32 divisions (done across a group of blocks), <c>x·id + 8.5f</c> is a separate multiply
/// and add (no FMA), the truncating conversion saturates like the scalar cast, and C's <c>(int8_t)</c> wrap is rebuilt by a
/// shift pair before <c>MIN(15, ·)</c>; the nibbles are packed as <c>(byte)(q0 | q1 &lt;&lt; 4)</c>.
/// </summary>
internal readonly struct Q4_0Codec : IGgmlBlockCodec
{
    public static int BlockBytes => GgmlBlocks.Q4_0BlockBytes;

    public static void QuantizeReference(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlocks.QuantizeQ4_0Ref(x, y);

    public static void DequantizeReference(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlocks.DequantizeQ4_0Ref(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ReadHalf(ref byte x) => GgmlMath.HalfToFloat((ushort)(x | (Unsafe.Add(ref x, 1) << 8)));

    // MIN(15, (int8_t)(int)(v + 8.5f)) for v = x·id.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Code(Vector128<float> v)
    {
        Vector128<int> t = Vector128.ConvertToInt32(v + Vector128.Create(8.5f));
        return Vector128.Min(Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(t, 24), 24), Vector128.Create(15));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Code(Vector256<float> v)
    {
        Vector256<int> t = Vector256.ConvertToInt32(v + Vector256.Create(8.5f));
        return Vector256.Min(Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(t, 24), 24), Vector256.Create(15));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Code(Vector512<float> v)
    {
        Vector512<int> t = Vector512.ConvertToInt32(v + Vector512.Create(8.5f));
        return Vector512.Min(Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(t, 24), 24), Vector512.Create(15));
    }

    // (byte)(lo | hi << 4) where lo and hi may be negative after the int8 wrap.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Pack(Vector128<int> lo, Vector128<int> hi) =>
        ((lo & Vector128.Create(0xFF)) | Vector128.ShiftLeft(hi & Vector128.Create(0x0F), 4)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Pack(Vector256<int> lo, Vector256<int> hi) =>
        ((lo & Vector256.Create(0xFF)) | Vector256.ShiftLeft(hi & Vector256.Create(0x0F), 4)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Pack(Vector512<int> lo, Vector512<int> hi) =>
        ((lo & Vector512.Create(0xFF)) | Vector512.ShiftLeft(hi & Vector512.Create(0x0F), 4)).AsUInt32();

    /// <summary>Scratch for one group: the per-block statistic, id and binary16 d.</summary>
    [InlineArray(GgmlBlockDriver.GroupBlocks)]
    internal struct Floats16
    {
        private float _element;
    }

    /// <summary>Scratch for one group of binary16 scales.</summary>
    [InlineArray(GgmlBlockDriver.GroupBlocks)]
    internal struct Halves16
    {
        private ushort _element;
    }

    // Phase 1 (per block): the signed max. Phase 2 (across the group): d, id and half(d). Phase 3 (per block): the codes.
    public static void Quantize128(ref float x, ref byte y, int blocks)
    {
        Floats16 stats = default, ids = default;
        Halves16 halves = default;
        for (int b = 0; b < blocks; b++)
        {
            stats[b] = SignedMax128(ref Unsafe.Add(ref x, b * 32));
        }

        GgmlBlockDriver.Scales(ref stats[0], -8f, ref ids[0], ref halves[0]);
        for (int b = 0; b < blocks; b++)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref y, b * GgmlBlocks.Q4_0BlockBytes), halves[b]);
            Encode128(ref Unsafe.Add(ref x, b * 32), ids[b], ref Unsafe.Add(ref y, (b * GgmlBlocks.Q4_0BlockBytes) + 2));
        }
    }

    public static void Quantize256(ref float x, ref byte y, int blocks)
    {
        Floats16 stats = default, ids = default;
        Halves16 halves = default;
        for (int b = 0; b < blocks; b++)
        {
            stats[b] = SignedMax256(ref Unsafe.Add(ref x, b * 32));
        }

        GgmlBlockDriver.Scales(ref stats[0], -8f, ref ids[0], ref halves[0]);
        for (int b = 0; b < blocks; b++)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref y, b * GgmlBlocks.Q4_0BlockBytes), halves[b]);
            Encode256(ref Unsafe.Add(ref x, b * 32), ids[b], ref Unsafe.Add(ref y, (b * GgmlBlocks.Q4_0BlockBytes) + 2));
        }
    }

    public static void Quantize512(ref float x, ref byte y, int blocks)
    {
        Floats16 stats = default, ids = default;
        Halves16 halves = default;
        for (int b = 0; b < blocks; b++)
        {
            stats[b] = SignedMax512(ref Unsafe.Add(ref x, b * 32));
        }

        GgmlBlockDriver.Scales(ref stats[0], -8f, ref ids[0], ref halves[0]);
        for (int b = 0; b < blocks; b++)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref y, b * GgmlBlocks.Q4_0BlockBytes), halves[b]);
            Encode512(ref Unsafe.Add(ref x, b * 32), ids[b], ref Unsafe.Add(ref y, (b * GgmlBlocks.Q4_0BlockBytes) + 2));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SignedMax(ref float x, float amax, uint firstMaxMask) =>
        amax != 0 ? Unsafe.Add(ref x, BitOperations.TrailingZeroCount(firstMaxMask)) : 0.0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SignedMax128(ref float x)
    {
        Vector128<float> a0 = Vector128.Abs(Vector128.LoadUnsafe(ref x)), a1 = Vector128.Abs(Vector128.LoadUnsafe(ref x, 4));
        Vector128<float> a2 = Vector128.Abs(Vector128.LoadUnsafe(ref x, 8)), a3 = Vector128.Abs(Vector128.LoadUnsafe(ref x, 12));
        Vector128<float> a4 = Vector128.Abs(Vector128.LoadUnsafe(ref x, 16)), a5 = Vector128.Abs(Vector128.LoadUnsafe(ref x, 20));
        Vector128<float> a6 = Vector128.Abs(Vector128.LoadUnsafe(ref x, 24)), a7 = Vector128.Abs(Vector128.LoadUnsafe(ref x, 28));
        Vector128<float> m = Vector128.MaxNative(
            Vector128.MaxNative(Vector128.MaxNative(a0, a1), Vector128.MaxNative(a2, a3)),
            Vector128.MaxNative(Vector128.MaxNative(a4, a5), Vector128.MaxNative(a6, a7)));
        Vector128<float> am = GgmlBlockDriver.BroadcastMax(m);
        uint mask = Vector128.Equals(a0, am).ExtractMostSignificantBits()
            | (Vector128.Equals(a1, am).ExtractMostSignificantBits() << 4)
            | (Vector128.Equals(a2, am).ExtractMostSignificantBits() << 8)
            | (Vector128.Equals(a3, am).ExtractMostSignificantBits() << 12)
            | (Vector128.Equals(a4, am).ExtractMostSignificantBits() << 16)
            | (Vector128.Equals(a5, am).ExtractMostSignificantBits() << 20)
            | (Vector128.Equals(a6, am).ExtractMostSignificantBits() << 24)
            | (Vector128.Equals(a7, am).ExtractMostSignificantBits() << 28);
        return SignedMax(ref x, am.ToScalar(), mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SignedMax256(ref float x)
    {
        Vector256<float> a0 = Vector256.Abs(Vector256.LoadUnsafe(ref x)), a1 = Vector256.Abs(Vector256.LoadUnsafe(ref x, 8));
        Vector256<float> a2 = Vector256.Abs(Vector256.LoadUnsafe(ref x, 16)), a3 = Vector256.Abs(Vector256.LoadUnsafe(ref x, 24));
        float amax = GgmlBlockDriver.HorizontalMax(Vector256.MaxNative(Vector256.MaxNative(a0, a1), Vector256.MaxNative(a2, a3)));
        Vector256<float> am = Vector256.Create(amax);
        uint mask = Vector256.Equals(a0, am).ExtractMostSignificantBits()
            | (Vector256.Equals(a1, am).ExtractMostSignificantBits() << 8)
            | (Vector256.Equals(a2, am).ExtractMostSignificantBits() << 16)
            | (Vector256.Equals(a3, am).ExtractMostSignificantBits() << 24);
        return SignedMax(ref x, amax, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SignedMax512(ref float x)
    {
        Vector512<float> a0 = Vector512.Abs(Vector512.LoadUnsafe(ref x)), a1 = Vector512.Abs(Vector512.LoadUnsafe(ref x, 16));
        float amax = GgmlBlockDriver.HorizontalMax(Vector512.MaxNative(a0, a1));
        Vector512<float> am = Vector512.Create(amax);
        uint mask = (uint)(Vector512.Equals(a0, am).ExtractMostSignificantBits() | (Vector512.Equals(a1, am).ExtractMostSignificantBits() << 16));
        return SignedMax(ref x, amax, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Encode128(ref float x, float id, ref byte qs)
    {
        Vector128<float> vid = Vector128.Create(id);
        Vector128<uint> b0 = Pack(Code(Vector128.LoadUnsafe(ref x) * vid), Code(Vector128.LoadUnsafe(ref x, 16) * vid));
        Vector128<uint> b1 = Pack(Code(Vector128.LoadUnsafe(ref x, 4) * vid), Code(Vector128.LoadUnsafe(ref x, 20) * vid));
        Vector128<uint> b2 = Pack(Code(Vector128.LoadUnsafe(ref x, 8) * vid), Code(Vector128.LoadUnsafe(ref x, 24) * vid));
        Vector128<uint> b3 = Pack(Code(Vector128.LoadUnsafe(ref x, 12) * vid), Code(Vector128.LoadUnsafe(ref x, 28) * vid));
        Vector128.Narrow(Vector128.Narrow(b0, b1), Vector128.Narrow(b2, b3)).StoreUnsafe(ref qs);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Encode256(ref float x, float id, ref byte qs)
    {
        Vector256<float> vid = Vector256.Create(id);
        Vector256<uint> b0 = Pack(Code(Vector256.LoadUnsafe(ref x) * vid), Code(Vector256.LoadUnsafe(ref x, 16) * vid));
        Vector256<uint> b1 = Pack(Code(Vector256.LoadUnsafe(ref x, 8) * vid), Code(Vector256.LoadUnsafe(ref x, 24) * vid));
        Vector256<ushort> s = Vector256.Narrow(b0, b1);
        Vector256.Narrow(s, s).GetLower().StoreUnsafe(ref qs);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Encode512(ref float x, float id, ref byte qs)
    {
        Vector512<float> vid = Vector512.Create(id);
        Vector512<uint> b = Pack(Code(Vector512.LoadUnsafe(ref x) * vid), Code(Vector512.LoadUnsafe(ref x, 16) * vid));
        Vector512<ushort> s = Vector512.Narrow(b, b);
        Vector512.Narrow(s, s).GetLower().GetLower().StoreUnsafe(ref qs);
    }

    public static void Dequantize128(ref byte x, ref float y)
    {
        Vector128<float> d = Vector128.Create(ReadHalf(ref x));
        Vector128<byte> qs = Vector128.LoadUnsafe(ref x, 2);
        Vector128<byte> lo = qs & Vector128.Create((byte)0x0F);
        Vector128<byte> hi = Vector128.ShiftRightLogical(qs, 4);
        Vector128<int> eight = Vector128.Create(8);
        Vector128<ushort> l0 = Vector128.WidenLower(lo), l1 = Vector128.WidenUpper(lo);
        Vector128<ushort> h0 = Vector128.WidenLower(hi), h1 = Vector128.WidenUpper(hi);
        (Vector128.ConvertToSingle(Vector128.WidenLower(l0).AsInt32() - eight) * d).StoreUnsafe(ref y);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(l0).AsInt32() - eight) * d).StoreUnsafe(ref y, 4);
        (Vector128.ConvertToSingle(Vector128.WidenLower(l1).AsInt32() - eight) * d).StoreUnsafe(ref y, 8);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(l1).AsInt32() - eight) * d).StoreUnsafe(ref y, 12);
        (Vector128.ConvertToSingle(Vector128.WidenLower(h0).AsInt32() - eight) * d).StoreUnsafe(ref y, 16);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(h0).AsInt32() - eight) * d).StoreUnsafe(ref y, 20);
        (Vector128.ConvertToSingle(Vector128.WidenLower(h1).AsInt32() - eight) * d).StoreUnsafe(ref y, 24);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(h1).AsInt32() - eight) * d).StoreUnsafe(ref y, 28);
    }

    public static void Dequantize256(ref byte x, ref float y)
    {
        Vector256<float> d = Vector256.Create(ReadHalf(ref x));
        Vector128<byte> qs = Vector128.LoadUnsafe(ref x, 2);
        Vector256<byte> lh = Vector256.Create(qs & Vector128.Create((byte)0x0F), Vector128.ShiftRightLogical(qs, 4));
        Vector256<int> eight = Vector256.Create(8);
        Vector256<ushort> l = Vector256.WidenLower(lh), h = Vector256.WidenUpper(lh);
        (Vector256.ConvertToSingle(Vector256.WidenLower(l).AsInt32() - eight) * d).StoreUnsafe(ref y);
        (Vector256.ConvertToSingle(Vector256.WidenUpper(l).AsInt32() - eight) * d).StoreUnsafe(ref y, 8);
        (Vector256.ConvertToSingle(Vector256.WidenLower(h).AsInt32() - eight) * d).StoreUnsafe(ref y, 16);
        (Vector256.ConvertToSingle(Vector256.WidenUpper(h).AsInt32() - eight) * d).StoreUnsafe(ref y, 24);
    }

    public static void Dequantize512(ref byte x, ref float y)
    {
        Vector512<float> d = Vector512.Create(ReadHalf(ref x));
        Vector128<byte> qs = Vector128.LoadUnsafe(ref x, 2);
        Vector256<byte> lh = Vector256.Create(qs & Vector128.Create((byte)0x0F), Vector128.ShiftRightLogical(qs, 4));
        Vector512<ushort> w = Vector512.WidenLower(lh.ToVector512Unsafe());
        Vector512<int> eight = Vector512.Create(8);
        (Vector512.ConvertToSingle(Vector512.WidenLower(w).AsInt32() - eight) * d).StoreUnsafe(ref y);
        (Vector512.ConvertToSingle(Vector512.WidenUpper(w).AsInt32() - eight) * d).StoreUnsafe(ref y, 16);
    }
}
