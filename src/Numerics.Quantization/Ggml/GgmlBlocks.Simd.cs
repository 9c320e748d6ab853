// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Numerics.Quantization;

/// <content>
/// Entry points of the vectorized ggml codecs (<see cref="GgmlBlockDriver"/> with <see cref="Q8_0Codec"/>,
/// <see cref="Q4_0Codec"/> and <see cref="Mxfp4Codec"/>; widest accelerated width first) and the exact roundf rebuild Q8_0
/// uses: trunc(v) ± 1 when |v − trunc(v)| ≥ 0.5 (v − trunc(v) is exact). Q4_0 and MXFP4 go through <see cref="GgmlBlockDriver"/> with <see cref="Q4_0Codec"/> and
/// <see cref="Mxfp4Codec"/>.
/// </content>
public static partial class GgmlBlocks
{
    internal static void QuantizeQ8_0(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlockDriver.Quantize<Q8_0Codec>(x, y);

    internal static void DequantizeQ8_0(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlockDriver.Dequantize<Q8_0Codec>(x, y);

    internal static void QuantizeQ8_0Run128(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlockDriver.Quantize128<Q8_0Codec>(x, y);

    internal static void QuantizeQ8_0Run256(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlockDriver.Quantize256<Q8_0Codec>(x, y);

    internal static void QuantizeQ8_0Run512(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlockDriver.Quantize512<Q8_0Codec>(x, y);

    internal static void DequantizeQ8_0Run128(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlockDriver.Dequantize128<Q8_0Codec>(x, y);

    internal static void DequantizeQ8_0Run256(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlockDriver.Dequantize256<Q8_0Codec>(x, y);

    internal static void DequantizeQ8_0Run512(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlockDriver.Dequantize512<Q8_0Codec>(x, y);

    internal static void QuantizeQ4_0(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlockDriver.Quantize<Q4_0Codec>(x, y);

    internal static void DequantizeQ4_0(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlockDriver.Dequantize<Q4_0Codec>(x, y);

    internal static void QuantizeMxfp4(ReadOnlySpan<float> x, Span<byte> y) => GgmlBlockDriver.Quantize<Mxfp4Codec>(x, y);

    internal static void DequantizeMxfp4(ReadOnlySpan<byte> x, Span<float> y) => GgmlBlockDriver.Dequantize<Mxfp4Codec>(x, y);

    // roundf(v) for |v| <= 127.5: trunc(v), plus sign(v) when the exact remainder reaches one half.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> RoundAway(Vector128<float> v)
    {
        Vector128<float> t = Vector128.Truncate(v);
        Vector128<float> half = Vector128.GreaterThanOrEqual(Vector128.Abs(v - t), Vector128.Create(0.5f));
        Vector128<float> step = Vector128.CopySign(Vector128<float>.One, v) & half;
        // ConvertToInt32 saturates (NaN -> 0) like the scalar (int) cast; then clamp to the int8 range as RoundToInt8 does.
        return Vector128.Clamp(Vector128.ConvertToInt32(t + step), Vector128.Create(-128), Vector128.Create(127));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> RoundAway(Vector256<float> v)
    {
        Vector256<float> t = Vector256.Truncate(v);
        Vector256<float> half = Vector256.GreaterThanOrEqual(Vector256.Abs(v - t), Vector256.Create(0.5f));
        Vector256<float> step = Vector256.CopySign(Vector256<float>.One, v) & half;
        // ConvertToInt32 saturates (NaN -> 0) like the scalar (int) cast; then clamp to the int8 range as RoundToInt8 does.
        return Vector256.Clamp(Vector256.ConvertToInt32(t + step), Vector256.Create(-128), Vector256.Create(127));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> RoundAway(Vector512<float> v)
    {
        Vector512<float> t = Vector512.Truncate(v);
        Vector512<float> half = Vector512.GreaterThanOrEqual(Vector512.Abs(v - t), Vector512.Create(0.5f));
        Vector512<float> step = Vector512.CopySign(Vector512<float>.One, v) & half;
        // ConvertToInt32 saturates (NaN -> 0) like the scalar (int) cast; then clamp to the int8 range as RoundToInt8 does.
        return Vector512.Clamp(Vector512.ConvertToInt32(t + step), Vector512.Create(-128), Vector512.Create(127));
    }
}
