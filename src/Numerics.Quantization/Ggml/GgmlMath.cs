// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;

namespace Numerics.Quantization;

/// <summary>Scalar helpers that reproduce ggml's float32 idioms exactly (see FORMATS.md §3 and §5, items 9–11).</summary>
internal static class GgmlMath
{
    /// <summary>The binary16 quiet NaN ggml writes for a NaN input (<c>ggml_compute_fp32_to_fp16</c>).</summary>
    private const ushort HalfQuietNaN = 0x7E00;

    private const ushort HalfSignMask = 0x8000;

    /// <summary>1.5·2^23: adding it rounds a float to an integer in the low mantissa bits (RNE, because float addition is RNE).</summary>
    private const float NearestIntMagic = 12582912f;

    /// <summary>ggml's <c>GGML_FP32_TO_FP16</c>: round to nearest even, overflow to ±Inf, NaN to 0x7E00 with the sign kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FloatToHalf(float value)
    {
        ushort bits = BitConverter.HalfToUInt16Bits((Half)value);
        return float.IsNaN(value) ? (ushort)((bits & HalfSignMask) | HalfQuietNaN) : bits;
    }

    /// <summary>binary16 to float32 (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HalfToFloat(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>Reads a little-endian binary16 at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReadHalf(ReadOnlySpan<byte> block, int offset) => HalfToFloat((ushort)(block[offset] | (block[offset + 1] << 8)));

    /// <summary>Writes <paramref name="value"/> as a little-endian binary16 at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteHalf(Span<byte> block, int offset, float value)
    {
        ushort h = FloatToHalf(value);
        block[offset] = (byte)h;
        block[offset + 1] = (byte)(h >> 8);
    }

    /// <summary>
    /// ggml's <c>nearest_int</c>: <c>bits(f + 1.5·2^23) &amp; 0x7FFFFF − 0x400000</c>. The float addition rounds half to even,
    /// so for |f| ≤ 4194303 this is round-half-to-even; outside that range the result is whatever the bit trick gives, as in ggml.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NearestInt(float f)
    {
        float v = f + NearestIntMagic;
        return (BitConverter.SingleToInt32Bits(v) & 0x007FFFFF) - 0x00400000;
    }

    /// <summary>C <c>roundf</c>: nearest, ties away from zero (not C#'s default ties-to-even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float RoundF(float f) => MathF.Round(f, MidpointRounding.AwayFromZero);

    /// <summary>
    /// C's <c>(int8_t)f</c> for the values ggml feeds it: truncation toward zero. .NET saturates out-of-range and NaN
    /// inputs (NaN → 0), where C is undefined; the public entry points reject non-finite inputs, so only blocks whose 1/d
    /// overflows reach that case (a documented deviation: ggml's x86-64 build gets 0 from cvttss2si's integer indefinite).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TruncateToInt(float f) => (int)f;

    /// <summary>
    /// C's <c>(int8_t)roundf(v)</c> for Q8_0/Q8_1: rounds half away from zero, then saturates to [−128, 127] with NaN → 0.
    /// C is undefined outside the int8 range (only reachable when 1/d overflows for amax &lt; ~3.7e-37); the saturation is
    /// what the vectorized paths do too, so every tier gives the same bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static sbyte RoundToInt8(float v) => (sbyte)Math.Clamp((int)RoundF(v), sbyte.MinValue, sbyte.MaxValue);

    /// <summary><c>GGML_E8M0_TO_FP32_HALF</c>: 2^(e − 128) as float32 (codes 0 and 1 give float32 subnormals).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float E8M0ToFloatHalf(byte e)
    {
        uint bits = e < 2 ? 0x0020_0000u << e : (uint)(e - 1) << 23;
        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary><c>GGML_E8M0_TO_FP32</c>: 2^(e − 127) as float32 (code 0 gives the float32 subnormal 2^-127; NaN code 0xFF not special-cased, as in ggml).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float E8M0ToFloat(byte e)
    {
        uint bits = e == 0 ? 0x0040_0000u : (uint)e << 23;
        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary>
    /// ggml's <c>ggml_ue4m3_to_fp32</c>: unsigned E4M3 (bias 7) scale of its NVFP4 layout, returned halved to match the
    /// doubled E2M1 table. Codes 0x00 and 0x7F decode to 0; the top bit is ignored.
    /// </summary>
    public static float UE4M3ToFloatHalf(byte x)
    {
        if (x == 0 || x == 0x7F)
        {
            return 0f;
        }

        int exp = (x >> 3) & 0xF;
        int man = x & 0x7;
        float raw = exp == 0 ? MathF.ScaleB(man, -9) : MathF.ScaleB(1.0f + (man / 8.0f), exp - 7);
        return raw * 0.5f;
    }

    /// <summary>
    /// ggml's <c>ggml_fp32_to_ue4m3</c>: non-positive and NaN → 0; clamps to 448; subnormals round half up via
    /// <c>(int)(x·512 + 0.5)</c> capped at 7; normals round half up on one guard bit; exponent ≥ 15 → 0x7E.
    /// </summary>
    public static byte FloatToUE4M3(float x)
    {
        if (!(x > 0.0f))
        {
            return 0;
        }

        if (x > 448.0f)
        {
            x = 448.0f;
        }

        uint bits = BitConverter.SingleToUInt32Bits(x);
        int fp32Exp = (int)((bits >> 23) & 0xFF) - 127;
        int fp32Man = (int)((bits >> 20) & 0x7);
        int exp = fp32Exp + 7;
        if (exp <= 0)
        {
            int man = (int)((x * 512.0f) + 0.5f);
            if (man > 7)
            {
                man = 7;
            }

            return man < 1 ? (byte)0 : (byte)man;
        }

        if (exp >= 15)
        {
            return 0x7E;
        }

        int roundBit = (int)((bits >> 19) & 1);
        int m = fp32Man + roundBit;
        if (m > 7)
        {
            m = 0;
            exp++;
            if (exp >= 15)
            {
                return 0x7E;
            }
        }

        return (byte)((exp << 3) | m);
    }
}
