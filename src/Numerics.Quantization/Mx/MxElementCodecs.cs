// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Quantization;

/// <summary>
/// Encodes already-scaled MX element values (v = x · 2^−shared, a float32) to element codes with round-to-nearest-even and
/// saturation to the largest finite code: the fast twin of <see cref="Numerics.Formats.FloatFormat.Encode(double, Numerics.Formats.RoundingMode, Numerics.Formats.OverflowMode)"/>
/// with <see cref="Numerics.Formats.OverflowMode.SaturatingFinite"/>, which the tests use as the reference. One scalar body and
/// three vector bodies with the same text (STYLE-GUIDE §4); the result is the code in the low byte of each int lane.
/// </summary>
internal interface IMxElementCodec
{
    static abstract int Encode(float v);

    static abstract Vector128<int> Encode(Vector128<float> v);

    static abstract Vector256<int> Encode(Vector256<float> v);

    static abstract Vector512<int> Encode(Vector512<float> v);
}

/// <summary>
/// The constants of one MX floating-point element format for <see cref="MxFloatCodec{TFormat}"/>: fraction bits, exponent bias,
/// largest finite code (without sign) and the sign bit.
/// </summary>
internal interface IMxFloatFormat
{
    static abstract int MantissaBits { get; }

    static abstract int Bias { get; }

    static abstract uint MaxCode { get; }

    static abstract uint SignBit { get; }
}

/// <summary>OCP E4M3 (E4M3FN): max 448 = 0x7E (0x7F is NaN).</summary>
internal readonly struct MxE4M3 : IMxFloatFormat
{
    public static int MantissaBits => 3;

    public static int Bias => 7;

    public static uint MaxCode => 0x7E;

    public static uint SignBit => 0x80;
}

/// <summary>OCP E5M2: max 57344 = 0x7B (0x7C is ∞).</summary>
internal readonly struct MxE5M2 : IMxFloatFormat
{
    public static int MantissaBits => 2;

    public static int Bias => 15;

    public static uint MaxCode => 0x7B;

    public static uint SignBit => 0x80;
}

/// <summary>OCP FP6 E3M2: max 28 = 0x1F.</summary>
internal readonly struct MxE3M2 : IMxFloatFormat
{
    public static int MantissaBits => 2;

    public static int Bias => 3;

    public static uint MaxCode => 0x1F;

    public static uint SignBit => 0x20;
}

/// <summary>OCP FP6 E2M3: max 7.5 = 0x1F.</summary>
internal readonly struct MxE2M3 : IMxFloatFormat
{
    public static int MantissaBits => 3;

    public static int Bias => 1;

    public static uint MaxCode => 0x1F;

    public static uint SignBit => 0x20;
}

/// <summary>OCP FP4 E2M1: max 6 = 0x7.</summary>
internal readonly struct MxE2M1 : IMxFloatFormat
{
    public static int MantissaBits => 1;

    public static int Bias => 1;

    public static uint MaxCode => 0x7;

    public static uint SignBit => 0x8;
}

/// <summary>
/// RNE + saturating float32 → element encoder (after F. Giesen's float_to_half_fast3_rtne). Magnitudes at or above the element's
/// smallest normal keep <c>23 − m</c> fewer fraction bits: add half an ulp minus one plus the kept LSB (ties to even; a carry
/// moves into the exponent) and rebias the exponent. Smaller magnitudes are rounded by the FPU: adding them to
/// C = 2^(emin − m + 23), whose ulp is the element's smallest subnormal, rounds to nearest even and leaves the code in the low
/// bits (the code may become the smallest normal, which is right). The code is then clamped to the largest finite code and
/// the sign bit is ORed in, so −0 and negative values that round to zero keep the sign code. Inputs are finite: the MX driver
/// gives NaN/∞ blocks scale 0xFF without encoding.
/// </summary>
internal readonly struct MxFloatCodec<TFormat> : IMxElementCodec
    where TFormat : struct, IMxFloatFormat
{
    private static int Shift => 23 - TFormat.MantissaBits;

    private static uint MinNormalBits => (uint)(127 + 1 - TFormat.Bias) << 23;

    private static uint Magic => (uint)(127 + 1 - TFormat.Bias - TFormat.MantissaBits + 23) << 23;

    private static uint RoundBias => (1u << (Shift - 1)) - 1;

    private static uint Rebias => (uint)(127 - TFormat.Bias) << TFormat.MantissaBits;

    private static int SignShift => 31 - System.Numerics.BitOperations.Log2(TFormat.SignBit);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Encode(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        uint a = bits & 0x7FFF_FFFFu;
        uint code;
        if (a < MinNormalBits)
        {
            code = BitConverter.SingleToUInt32Bits(BitConverter.UInt32BitsToSingle(a) + BitConverter.UInt32BitsToSingle(Magic)) - Magic;
        }
        else
        {
            code = ((a + RoundBias + ((a >> Shift) & 1)) >> Shift) - Rebias;
        }

        return (int)(Math.Min(code, TFormat.MaxCode) | ((bits >> SignShift) & TFormat.SignBit));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Encode(Vector128<float> v)
    {
        Vector128<uint> bits = v.AsUInt32();
        Vector128<uint> a = bits & Vector128.Create(0x7FFF_FFFFu);
        Vector128<uint> magic = Vector128.Create(Magic);
        Vector128<uint> sub = (a.AsSingle() + magic.AsSingle()).AsUInt32() - magic;
        Vector128<uint> normal = Vector128.ShiftRightLogical(a + Vector128.Create(RoundBias) + (Vector128.ShiftRightLogical(a, Shift) & Vector128<uint>.One), Shift) - Vector128.Create(Rebias);
        Vector128<uint> code = Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128.Create(MinNormalBits)), sub, normal);
        code = Vector128.Min(code, Vector128.Create(TFormat.MaxCode)) | (Vector128.ShiftRightLogical(bits, SignShift) & Vector128.Create(TFormat.SignBit));
        return code.AsInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Encode(Vector256<float> v)
    {
        Vector256<uint> bits = v.AsUInt32();
        Vector256<uint> a = bits & Vector256.Create(0x7FFF_FFFFu);
        Vector256<uint> magic = Vector256.Create(Magic);
        Vector256<uint> sub = (a.AsSingle() + magic.AsSingle()).AsUInt32() - magic;
        Vector256<uint> normal = Vector256.ShiftRightLogical(a + Vector256.Create(RoundBias) + (Vector256.ShiftRightLogical(a, Shift) & Vector256<uint>.One), Shift) - Vector256.Create(Rebias);
        Vector256<uint> code = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(MinNormalBits)), sub, normal);
        code = Vector256.Min(code, Vector256.Create(TFormat.MaxCode)) | (Vector256.ShiftRightLogical(bits, SignShift) & Vector256.Create(TFormat.SignBit));
        return code.AsInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Encode(Vector512<float> v)
    {
        Vector512<uint> bits = v.AsUInt32();
        Vector512<uint> a = bits & Vector512.Create(0x7FFF_FFFFu);
        Vector512<uint> magic = Vector512.Create(Magic);
        Vector512<uint> sub = (a.AsSingle() + magic.AsSingle()).AsUInt32() - magic;
        Vector512<uint> normal = Vector512.ShiftRightLogical(a + Vector512.Create(RoundBias) + (Vector512.ShiftRightLogical(a, Shift) & Vector512<uint>.One), Shift) - Vector512.Create(Rebias);
        Vector512<uint> code = Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(MinNormalBits)), sub, normal);
        code = Vector512.Min(code, Vector512.Create(TFormat.MaxCode)) | (Vector512.ShiftRightLogical(bits, SignShift) & Vector512.Create(TFormat.SignBit));
        return code.AsInt32();
    }
}

/// <summary>
/// MXINT8 with round-to-nearest-even: clamp(RNE(v · 64), −127, 127) as a two's-complement byte (v · 64 is exact: |v| &lt; 4).
/// </summary>
internal readonly struct MxInt8Codec : IMxElementCodec
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Encode(float v) => (int)Math.Clamp(MathF.Round(v * 64f), -127f, 127f) & 0xFF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Encode(Vector128<float> v) =>
        Vector128.Clamp(Vector128.ConvertToInt32(Vector128.Round(v * Vector128.Create(64f))), Vector128.Create(-127), Vector128.Create(127)) & Vector128.Create(0xFF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Encode(Vector256<float> v) =>
        Vector256.Clamp(Vector256.ConvertToInt32(Vector256.Round(v * Vector256.Create(64f))), Vector256.Create(-127), Vector256.Create(127)) & Vector256.Create(0xFF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Encode(Vector512<float> v) =>
        Vector512.Clamp(Vector512.ConvertToInt32(Vector512.Round(v * Vector512.Create(64f))), Vector512.Create(-127), Vector512.Create(127)) & Vector512.Create(0xFF);
}
