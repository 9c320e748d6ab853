// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Numerics.Quantization;

/// <content>
/// Vectorized Q8_0 quantize/dequantize (Vector128/256/512 bodies, widest accelerated first). Each width produces the same
/// bits as <see cref="QuantizeQ8_0Ref"/> / <see cref="DequantizeQ8Ref"/>: amax is a max (order-free without NaN), d and id
/// are the same scalar float32 operations, and roundf is rebuilt exactly as trunc(v) ± 1 when |v − trunc(v)| ≥ 0.5
/// (v − trunc(v) is exact). Q4_0 and MXFP4 go through <see cref="GgmlBlockDriver"/> with <see cref="Q4_0Codec"/> and
/// <see cref="Mxfp4Codec"/>.
/// </content>
public static partial class GgmlBlocks
{
    internal static void QuantizeQ8_0(ReadOnlySpan<float> x, Span<byte> y)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            QuantizeQ8_0Run512(x, y);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            QuantizeQ8_0Run256(x, y);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            QuantizeQ8_0Run128(x, y);
        }
        else
        {
            QuantizeQ8_0Ref(x, y);
        }
    }

    internal static void DequantizeQ8_0(ReadOnlySpan<byte> x, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            DequantizeQ8_0Run512(x, y);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            DequantizeQ8_0Run256(x, y);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            DequantizeQ8_0Run128(x, y);
        }
        else
        {
            DequantizeQ8Ref(x, y, Q8_0BlockBytes);
        }
    }

    internal static void QuantizeQ4_0(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlockDriver.Quantize<Q4_0Codec>(x, y);

    internal static void DequantizeQ4_0(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlockDriver.Dequantize<Q4_0Codec>(x, y);

    internal static void QuantizeMxfp4(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlockDriver.Quantize<Mxfp4Codec>(x, y);

    internal static void DequantizeMxfp4(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlockDriver.Dequantize<Mxfp4Codec>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float D, float Id) Q8Scale(float amax)
    {
        float d = amax / 127;
        return (d, d != 0 ? 1.0f / d : 0.0f);
    }

    // roundf(v) for |v| <= 127.5: trunc(v), plus sign(v) when the exact remainder reaches one half.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> RoundAway(Vector128<float> v)
    {
        Vector128<float> t = Vector128.Truncate(v);
        Vector128<float> half = Vector128.GreaterThanOrEqual(Vector128.Abs(v - t), Vector128.Create(0.5f));
        Vector128<float> step = Vector128.CopySign(Vector128<float>.One, v) & half;
        // ConvertToInt32 saturates (NaN -> 0) like the scalar (int) cast; then clamp to the int8 range as RoundToInt8 does.
        return Vector128.Clamp(Vector128.ConvertToInt32(t + step), Vector128.Create(-128), Vector128.Create(127));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> RoundAway(Vector256<float> v)
    {
        Vector256<float> t = Vector256.Truncate(v);
        Vector256<float> half = Vector256.GreaterThanOrEqual(Vector256.Abs(v - t), Vector256.Create(0.5f));
        Vector256<float> step = Vector256.CopySign(Vector256<float>.One, v) & half;
        // ConvertToInt32 saturates (NaN -> 0) like the scalar (int) cast; then clamp to the int8 range as RoundToInt8 does.
        return Vector256.Clamp(Vector256.ConvertToInt32(t + step), Vector256.Create(-128), Vector256.Create(127));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> RoundAway(Vector512<float> v)
    {
        Vector512<float> t = Vector512.Truncate(v);
        Vector512<float> half = Vector512.GreaterThanOrEqual(Vector512.Abs(v - t), Vector512.Create(0.5f));
        Vector512<float> step = Vector512.CopySign(Vector512<float>.One, v) & half;
        // ConvertToInt32 saturates (NaN -> 0) like the scalar (int) cast; then clamp to the int8 range as RoundToInt8 does.
        return Vector512.Clamp(Vector512.ConvertToInt32(t + step), Vector512.Create(-128), Vector512.Create(127));
    }

    internal static void QuantizeQ8_0Run128(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / Q8BlockSize;
        ref float src = ref MemoryMarshal.GetReference(x);
        for (int i = 0; i < nb; i++)
        {
            nuint o = (nuint)(i * Q8BlockSize);
            Vector128<float> m = Vector128<float>.Zero;
            for (nuint j = 0; j < Q8BlockSize; j += 4)
            {
                m = Vector128.Max(m, Vector128.Abs(Vector128.LoadUnsafe(ref src, o + j)));
            }

            float amax = MathF.Max(MathF.Max(m[0], m[1]), MathF.Max(m[2], m[3]));
            (float d, float id) = Q8Scale(amax);
            Span<byte> yb = y.Slice(i * Q8_0BlockBytes, Q8_0BlockBytes);
            GgmlMath.WriteHalf(yb, 0, d);
            ref byte dst = ref yb[2];
            Vector128<float> vid = Vector128.Create(id);
            for (nuint j = 0; j < Q8BlockSize; j += 16)
            {
                Vector128<int> q0 = RoundAway(Vector128.LoadUnsafe(ref src, o + j) * vid);
                Vector128<int> q1 = RoundAway(Vector128.LoadUnsafe(ref src, o + j + 4) * vid);
                Vector128<int> q2 = RoundAway(Vector128.LoadUnsafe(ref src, o + j + 8) * vid);
                Vector128<int> q3 = RoundAway(Vector128.LoadUnsafe(ref src, o + j + 12) * vid);
                Vector128<sbyte> b = Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3));
                b.AsByte().StoreUnsafe(ref dst, j);
            }
        }
    }

    internal static void QuantizeQ8_0Run256(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / Q8BlockSize;
        ref float src = ref MemoryMarshal.GetReference(x);
        for (int i = 0; i < nb; i++)
        {
            nuint o = (nuint)(i * Q8BlockSize);
            Vector256<float> v0 = Vector256.LoadUnsafe(ref src, o);
            Vector256<float> v1 = Vector256.LoadUnsafe(ref src, o + 8);
            Vector256<float> v2 = Vector256.LoadUnsafe(ref src, o + 16);
            Vector256<float> v3 = Vector256.LoadUnsafe(ref src, o + 24);
            Vector256<float> m256 = Vector256.Max(Vector256.Max(Vector256.Abs(v0), Vector256.Abs(v1)), Vector256.Max(Vector256.Abs(v2), Vector256.Abs(v3)));
            Vector128<float> m = Vector128.Max(m256.GetLower(), m256.GetUpper());
            float amax = MathF.Max(MathF.Max(m[0], m[1]), MathF.Max(m[2], m[3]));
            (float d, float id) = Q8Scale(amax);
            Span<byte> yb = y.Slice(i * Q8_0BlockBytes, Q8_0BlockBytes);
            GgmlMath.WriteHalf(yb, 0, d);
            Vector256<float> vid = Vector256.Create(id);
            Vector256<short> s0 = Vector256.Narrow(RoundAway(v0 * vid), RoundAway(v1 * vid));
            Vector256<short> s1 = Vector256.Narrow(RoundAway(v2 * vid), RoundAway(v3 * vid));
            Vector256.Narrow(s0, s1).AsByte().StoreUnsafe(ref yb[2]);
        }
    }

    internal static void QuantizeQ8_0Run512(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / Q8BlockSize;
        ref float src = ref MemoryMarshal.GetReference(x);
        for (int i = 0; i < nb; i++)
        {
            nuint o = (nuint)(i * Q8BlockSize);
            Vector512<float> v0 = Vector512.LoadUnsafe(ref src, o);
            Vector512<float> v1 = Vector512.LoadUnsafe(ref src, o + 16);
            Vector512<float> m512 = Vector512.Max(Vector512.Abs(v0), Vector512.Abs(v1));
            Vector256<float> m256 = Vector256.Max(m512.GetLower(), m512.GetUpper());
            Vector128<float> m = Vector128.Max(m256.GetLower(), m256.GetUpper());
            float amax = MathF.Max(MathF.Max(m[0], m[1]), MathF.Max(m[2], m[3]));
            (float d, float id) = Q8Scale(amax);
            Span<byte> yb = y.Slice(i * Q8_0BlockBytes, Q8_0BlockBytes);
            GgmlMath.WriteHalf(yb, 0, d);
            Vector512<float> vid = Vector512.Create(id);
            Vector512<short> s = Vector512.Narrow(RoundAway(v0 * vid), RoundAway(v1 * vid));
            Vector512<sbyte> b = Vector512.Narrow(s, s); // the 32 codes are the lower half
            b.GetLower().AsByte().StoreUnsafe(ref yb[2]);
        }
    }

    internal static void DequantizeQ8_0Run128(ReadOnlySpan<byte> x, Span<float> y)
    {
        int nb = x.Length / Q8_0BlockBytes;
        ref float dst = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * Q8_0BlockBytes, Q8_0BlockBytes);
            Vector128<float> d = Vector128.Create(GgmlMath.ReadHalf(xb, 0));
            nuint o = (nuint)(i * Q8BlockSize);
            for (int j = 0; j < Q8BlockSize; j += 16)
            {
                Vector128<sbyte> q = Vector128.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref MemoryMarshal.GetReference(xb)), (nuint)(2 + j));
                Vector128<short> lo = Vector128.WidenLower(q);
                Vector128<short> hi = Vector128.WidenUpper(q);
                (Vector128.ConvertToSingle(Vector128.WidenLower(lo)) * d).StoreUnsafe(ref dst, o + (nuint)j);
                (Vector128.ConvertToSingle(Vector128.WidenUpper(lo)) * d).StoreUnsafe(ref dst, o + (nuint)j + 4);
                (Vector128.ConvertToSingle(Vector128.WidenLower(hi)) * d).StoreUnsafe(ref dst, o + (nuint)j + 8);
                (Vector128.ConvertToSingle(Vector128.WidenUpper(hi)) * d).StoreUnsafe(ref dst, o + (nuint)j + 12);
            }
        }
    }

    internal static void DequantizeQ8_0Run256(ReadOnlySpan<byte> x, Span<float> y)
    {
        int nb = x.Length / Q8_0BlockBytes;
        ref float dst = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * Q8_0BlockBytes, Q8_0BlockBytes);
            Vector256<float> d = Vector256.Create(GgmlMath.ReadHalf(xb, 0));
            nuint o = (nuint)(i * Q8BlockSize);
            Vector256<sbyte> q = Vector256.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref MemoryMarshal.GetReference(xb)), 2);
            Vector256<short> lo = Vector256.WidenLower(q);
            Vector256<short> hi = Vector256.WidenUpper(q);
            (Vector256.ConvertToSingle(Vector256.WidenLower(lo)) * d).StoreUnsafe(ref dst, o);
            (Vector256.ConvertToSingle(Vector256.WidenUpper(lo)) * d).StoreUnsafe(ref dst, o + 8);
            (Vector256.ConvertToSingle(Vector256.WidenLower(hi)) * d).StoreUnsafe(ref dst, o + 16);
            (Vector256.ConvertToSingle(Vector256.WidenUpper(hi)) * d).StoreUnsafe(ref dst, o + 24);
        }
    }

    internal static void DequantizeQ8_0Run512(ReadOnlySpan<byte> x, Span<float> y)
    {
        int nb = x.Length / Q8_0BlockBytes;
        ref float dst = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * Q8_0BlockBytes, Q8_0BlockBytes);
            Vector512<float> d = Vector512.Create(GgmlMath.ReadHalf(xb, 0));
            nuint o = (nuint)(i * Q8BlockSize);
            Vector256<sbyte> q = Vector256.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref MemoryMarshal.GetReference(xb)), 2);
            Vector512<short> s = Vector512.Create(Vector256.WidenLower(q), Vector256.WidenUpper(q));
            (Vector512.ConvertToSingle(Vector512.WidenLower(s)) * d).StoreUnsafe(ref dst, o);
            (Vector512.ConvertToSingle(Vector512.WidenUpper(s)) * d).StoreUnsafe(ref dst, o + 16);
        }
    }
}
