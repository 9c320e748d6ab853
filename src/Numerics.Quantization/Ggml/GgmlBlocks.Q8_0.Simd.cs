// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Quantization;

/// <summary>
/// Vectorized Q8_0 (<see cref="GgmlBlocks.QuantizeQ8_0Ref"/> / <see cref="GgmlBlocks.DequantizeQ8Ref"/>), the same bits on every
/// width: amax is a max (order-free: no NaN, magnitudes have no −0), d = amax/127 and id = 1/d are IEEE float32 divisions done
/// across a group of blocks, and roundf is <see cref="GgmlBlocks.RoundAway(Vector128{float})"/> saturated to int8.
/// </summary>
internal readonly struct Q8_0Codec : IGgmlBlockCodec
{
    public static int BlockBytes => GgmlBlocks.Q8_0BlockBytes;

    public static void QuantizeReference(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlocks.QuantizeQ8_0Ref(x, y);

    public static void DequantizeReference(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlocks.DequantizeQ8Ref(x, y, GgmlBlocks.Q8_0BlockBytes);

    public static void Quantize128(ref float x, ref byte y, int blocks)
    {
        Q4_0Codec.Floats16 stats = default, ids = default;
        Q4_0Codec.Halves16 halves = default;
        for (int b = 0; b < blocks; b++)
        {
            ref float xb = ref Unsafe.Add(ref x, b * 32);
            Vector128<float> m = Vector128<float>.Zero;
            for (nuint j = 0; j < 32; j += 4)
            {
                m = Vector128.MaxNative(m, Vector128.Abs(Vector128.LoadUnsafe(ref xb, j)));
            }

            stats[b] = GgmlBlockDriver.BroadcastMax(m).ToScalar();
        }

        GgmlBlockDriver.Scales(ref stats[0], 127f, ref ids[0], ref halves[0]);
        for (int b = 0; b < blocks; b++)
        {
            ref float xb = ref Unsafe.Add(ref x, b * 32);
            ref byte yb = ref Unsafe.Add(ref y, b * GgmlBlocks.Q8_0BlockBytes);
            Unsafe.WriteUnaligned(ref yb, halves[b]);
            Vector128<float> vid = Vector128.Create(ids[b]);
            for (nuint j = 0; j < 32; j += 16)
            {
                Vector128<int> q0 = GgmlBlocks.RoundAway(Vector128.LoadUnsafe(ref xb, j) * vid);
                Vector128<int> q1 = GgmlBlocks.RoundAway(Vector128.LoadUnsafe(ref xb, j + 4) * vid);
                Vector128<int> q2 = GgmlBlocks.RoundAway(Vector128.LoadUnsafe(ref xb, j + 8) * vid);
                Vector128<int> q3 = GgmlBlocks.RoundAway(Vector128.LoadUnsafe(ref xb, j + 12) * vid);
                Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).AsByte().StoreUnsafe(ref yb, 2 + j);
            }
        }
    }

    public static void Quantize256(ref float x, ref byte y, int blocks)
    {
        Q4_0Codec.Floats16 stats = default, ids = default;
        Q4_0Codec.Halves16 halves = default;
        for (int b = 0; b < blocks; b++)
        {
            ref float xb = ref Unsafe.Add(ref x, b * 32);
            Vector256<float> m = Vector256.MaxNative(
                Vector256.MaxNative(Vector256.Abs(Vector256.LoadUnsafe(ref xb)), Vector256.Abs(Vector256.LoadUnsafe(ref xb, 8))),
                Vector256.MaxNative(Vector256.Abs(Vector256.LoadUnsafe(ref xb, 16)), Vector256.Abs(Vector256.LoadUnsafe(ref xb, 24))));
            stats[b] = GgmlBlockDriver.HorizontalMax(m);
        }

        GgmlBlockDriver.Scales(ref stats[0], 127f, ref ids[0], ref halves[0]);
        for (int b = 0; b < blocks; b++)
        {
            ref float xb = ref Unsafe.Add(ref x, b * 32);
            ref byte yb = ref Unsafe.Add(ref y, b * GgmlBlocks.Q8_0BlockBytes);
            Unsafe.WriteUnaligned(ref yb, halves[b]);
            Vector256<float> vid = Vector256.Create(ids[b]);
            Vector256<short> s0 = Vector256.Narrow(GgmlBlocks.RoundAway(Vector256.LoadUnsafe(ref xb) * vid), GgmlBlocks.RoundAway(Vector256.LoadUnsafe(ref xb, 8) * vid));
            Vector256<short> s1 = Vector256.Narrow(GgmlBlocks.RoundAway(Vector256.LoadUnsafe(ref xb, 16) * vid), GgmlBlocks.RoundAway(Vector256.LoadUnsafe(ref xb, 24) * vid));
            Vector256.Narrow(s0, s1).AsByte().StoreUnsafe(ref yb, 2);
        }
    }

    public static void Quantize512(ref float x, ref byte y, int blocks)
    {
        Q4_0Codec.Floats16 stats = default, ids = default;
        Q4_0Codec.Halves16 halves = default;
        for (int b = 0; b < blocks; b++)
        {
            ref float xb = ref Unsafe.Add(ref x, b * 32);
            stats[b] = GgmlBlockDriver.HorizontalMax(Vector512.MaxNative(Vector512.Abs(Vector512.LoadUnsafe(ref xb)), Vector512.Abs(Vector512.LoadUnsafe(ref xb, 16))));
        }

        GgmlBlockDriver.Scales(ref stats[0], 127f, ref ids[0], ref halves[0]);
        for (int b = 0; b < blocks; b++)
        {
            ref float xb = ref Unsafe.Add(ref x, b * 32);
            ref byte yb = ref Unsafe.Add(ref y, b * GgmlBlocks.Q8_0BlockBytes);
            Unsafe.WriteUnaligned(ref yb, halves[b]);
            Vector512<float> vid = Vector512.Create(ids[b]);
            Vector512<short> s = Vector512.Narrow(GgmlBlocks.RoundAway(Vector512.LoadUnsafe(ref xb) * vid), GgmlBlocks.RoundAway(Vector512.LoadUnsafe(ref xb, 16) * vid));
            Vector512.Narrow(s, s).GetLower().AsByte().StoreUnsafe(ref yb, 2); // the 32 codes are the lower half
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ReadHalf(ref byte x) => GgmlMath.HalfToFloat(Unsafe.ReadUnaligned<ushort>(ref x));

    public static void Dequantize128(ref byte x, ref float y)
    {
        Vector128<float> d = Vector128.Create(ReadHalf(ref x));
        for (nuint j = 0; j < 32; j += 16)
        {
            Vector128<sbyte> q = Vector128.LoadUnsafe(ref x, 2 + j).AsSByte();
            Vector128<short> lo = Vector128.WidenLower(q);
            Vector128<short> hi = Vector128.WidenUpper(q);
            (Vector128.ConvertToSingle(Vector128.WidenLower(lo)) * d).StoreUnsafe(ref y, j);
            (Vector128.ConvertToSingle(Vector128.WidenUpper(lo)) * d).StoreUnsafe(ref y, j + 4);
            (Vector128.ConvertToSingle(Vector128.WidenLower(hi)) * d).StoreUnsafe(ref y, j + 8);
            (Vector128.ConvertToSingle(Vector128.WidenUpper(hi)) * d).StoreUnsafe(ref y, j + 12);
        }
    }

    public static void Dequantize256(ref byte x, ref float y)
    {
        Vector256<float> d = Vector256.Create(ReadHalf(ref x));
        Vector256<sbyte> q = Vector256.LoadUnsafe(ref x, 2).AsSByte();
        Vector256<short> lo = Vector256.WidenLower(q);
        Vector256<short> hi = Vector256.WidenUpper(q);
        (Vector256.ConvertToSingle(Vector256.WidenLower(lo)) * d).StoreUnsafe(ref y);
        (Vector256.ConvertToSingle(Vector256.WidenUpper(lo)) * d).StoreUnsafe(ref y, 8);
        (Vector256.ConvertToSingle(Vector256.WidenLower(hi)) * d).StoreUnsafe(ref y, 16);
        (Vector256.ConvertToSingle(Vector256.WidenUpper(hi)) * d).StoreUnsafe(ref y, 24);
    }

    public static void Dequantize512(ref byte x, ref float y)
    {
        Vector512<float> d = Vector512.Create(ReadHalf(ref x));
        Vector256<sbyte> q = Vector256.LoadUnsafe(ref x, 2).AsSByte();
        Vector512<short> s = Vector512.Create(Vector256.WidenLower(q), Vector256.WidenUpper(q));
        (Vector512.ConvertToSingle(Vector512.WidenLower(s)) * d).StoreUnsafe(ref y);
        (Vector512.ConvertToSingle(Vector512.WidenUpper(s)) * d).StoreUnsafe(ref y, 16);
    }
}
