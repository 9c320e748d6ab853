// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// Round to nearest even of binary32 lanes to any format whose values are binary32 values (bfloat16, binary16, the 8/6/4-bit
/// formats, custom formats): the short path of the hot mode, as <see cref="FloatFormat.RoundCore"/> does for the value widened
/// to double (the scalar reference, <see cref="Invoke(float)"/>).
/// </summary>
/// <remarks>
/// In the target's normal range every binary32 value drops the same 23 − m bits: adding half a quantum minus one plus the kept
/// LSB and clearing the dropped bits rounds to nearest even (a carry moves into the exponent, the next grid value; after F.
/// Giesen's float_to_half_fast3_rtne). Below the min normal the quantum q is a constant and the FPU rounds: (a + c) − c with
/// c = q·2^23. Above the overflow threshold (the largest binary32 whose rounding does not exceed the max finite value, found
/// with the scalar reference) the result is the mode's overflow value. Specials are fixed up only in vectors that hold one.
/// </remarks>
internal readonly struct FastRneRoundOperator : IUnaryOperator<float>
{
    private const uint SignMask = 0x8000_0000;
    private const uint AbsMask = 0x7FFF_FFFF;
    private const uint InfinityBits = 0x7F80_0000;
    private const uint QuietBit = 0x0040_0000;

    private readonly FloatFormat _format;
    private readonly OverflowMode _overflow;
    private readonly int _shift;
    private readonly uint _halfMinusOne;
    private readonly uint _keepMask;
    private readonly uint _minNormalBits;
    private readonly float _magic;
    private readonly uint _overflowBits;
    private readonly uint _overflowMagnitude;
    private readonly uint _zeroDropsSign;
    private readonly uint _infinityMagnitude;
    private readonly bool _nanToCode;
    private readonly uint _nanPositive;
    private readonly uint _nanNegative;

    public FastRneRoundOperator(FloatFormat format, OverflowMode overflow)
    {
        _format = format;
        _overflow = overflow;
        int m = format.MantissaBits;
        _shift = 23 - m;
        _halfMinusOne = (1u << (_shift - 1)) - 1;
        _keepMask = ~((1u << _shift) - 1);
        _minNormalBits = BitConverter.SingleToUInt32Bits((float)format.MinNormal);
        int quantumExponent = format.HasSubnormals ? format.MinExponent - m : format.MinExponent;
        _magic = (float)Math.ScaleB(1.0, quantumExponent + 23);

        // The overflow threshold: the midpoint above the max finite value (m + 2 significant bits: a binary32 value), or the largest
        // binary32 below it when that midpoint itself overflows (ties to an odd max go up, past the max).
        // The midpoint itself can be binary32's largest value (p = 23 with emax = 127: 2^128 − 2^104), so whether it was clamped
        // is a flag, not a comparison with 0x7F7FFFFF.
        double midpoint = format.MaxFinite + Math.ScaleB(1.0, format.MaxExponent - m - 1);
        bool midpointOverflowsSingle = midpoint >= Math.ScaleB(1.0, 128);
        uint threshold = midpointOverflowsSingle ? 0x7F7F_FFFF : BitConverter.SingleToUInt32Bits((float)midpoint);
        bool maxIsOdd = (format.Encode(format.MaxFinite) & 1) != 0; // the tie at the midpoint goes to the even neighbour
        if (!midpointOverflowsSingle && maxIsOdd)
        {
            threshold--;
        }

        _overflowBits = threshold;
        _overflowMagnitude = Bits(format.OverflowMagnitude(false, RoundingMode.NearestEven, overflow)) & AbsMask;
        _zeroDropsSign = format.HasNegativeZero ? 0 : SignMask;
        _infinityMagnitude = Bits(format.RoundCore(double.PositiveInfinity, RoundingMode.NearestEven, overflow, 0)) & AbsMask;
        _nanToCode = format.SpecialValues == SpecialValueEncoding.FiniteOnly;
        _nanPositive = Bits(format.RoundCore(BitConverter.UInt64BitsToDouble(0x7FF8_0000_0000_0000), RoundingMode.NearestEven, overflow, 0));
        _nanNegative = Bits(format.RoundCore(BitConverter.UInt64BitsToDouble(0xFFF8_0000_0000_0000), RoundingMode.NearestEven, overflow, 0));
    }

    /// <summary>Whether a format can use this kernel: signed with a zero, 1..22 fraction bits, every value a binary32 value.</summary>
    internal static bool Supports(FloatFormat format)
    {
        int m = format.MantissaBits;
        int quantumExponent = format.HasSubnormals ? format.MinExponent - m : format.MinExponent;
        return format.IsSigned && format.HasZero && m >= 1 && m <= 22
            && format.MinExponent >= -126 && format.MaxExponent <= 127 && quantumExponent >= -148 && quantumExponent <= 100;
    }

    private static uint Bits(double value) => BitConverter.SingleToUInt32Bits((float)value);

    /// <summary>The scalar reference: round the value widened to double (exact), then narrow (exact for every supported format).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => (float)_format.RoundCore(x, RoundingMode.NearestEven, _overflow, 0);

    /// <summary>The Vector128 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> f = bits & Vector128.Create(AbsMask);
        Vector128<uint> sign = bits & Vector128.Create(SignMask);
        Vector128<uint> odd = Vector128.ShiftRightLogical(f, _shift) & Vector128<uint>.One;
        Vector128<uint> magnitude = (f + Vector128.Create(_halfMinusOne) + odd) & Vector128.Create(_keepMask);
        Vector128<uint> below = Vector128.LessThan(f, Vector128.Create(_minNormalBits));
        Vector128<float> c = Vector128.Create(_magic);
        magnitude = Vector128.ConditionalSelect(below, ((f.AsSingle() + c) - c).AsUInt32(), magnitude);
        magnitude = Vector128.ConditionalSelect(Vector128.GreaterThan(f, Vector128.Create(_overflowBits)), Vector128.Create(_overflowMagnitude), magnitude);
        Vector128<uint> result = magnitude | (sign & ~(Vector128.Equals(magnitude, Vector128<uint>.Zero) & Vector128.Create(_zeroDropsSign)));
        Vector128<uint> special = Vector128.GreaterThanOrEqual(f, Vector128.Create(InfinityBits));
        if (!Vector128.EqualsAll(special, Vector128<uint>.Zero))
        {
            result = Vector128.ConditionalSelect(Vector128.Equals(f, Vector128.Create(InfinityBits)), Vector128.Create(_infinityMagnitude) | sign, result);
            Vector128<uint> nan = _nanToCode
                ? Vector128.ConditionalSelect(Vector128.Equals(sign, Vector128<uint>.Zero), Vector128.Create(_nanPositive), Vector128.Create(_nanNegative))
                : bits | Vector128.Create(QuietBit);
            result = Vector128.ConditionalSelect(Vector128.GreaterThan(f, Vector128.Create(InfinityBits)), nan, result);
        }

        return result.AsSingle();
    }

    /// <summary>The Vector256 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> f = bits & Vector256.Create(AbsMask);
        Vector256<uint> sign = bits & Vector256.Create(SignMask);
        Vector256<uint> odd = Vector256.ShiftRightLogical(f, _shift) & Vector256<uint>.One;
        Vector256<uint> magnitude = (f + Vector256.Create(_halfMinusOne) + odd) & Vector256.Create(_keepMask);
        Vector256<uint> below = Vector256.LessThan(f, Vector256.Create(_minNormalBits));
        Vector256<float> c = Vector256.Create(_magic);
        magnitude = Vector256.ConditionalSelect(below, ((f.AsSingle() + c) - c).AsUInt32(), magnitude);
        magnitude = Vector256.ConditionalSelect(Vector256.GreaterThan(f, Vector256.Create(_overflowBits)), Vector256.Create(_overflowMagnitude), magnitude);
        Vector256<uint> result = magnitude | (sign & ~(Vector256.Equals(magnitude, Vector256<uint>.Zero) & Vector256.Create(_zeroDropsSign)));
        Vector256<uint> special = Vector256.GreaterThanOrEqual(f, Vector256.Create(InfinityBits));
        if (!Vector256.EqualsAll(special, Vector256<uint>.Zero))
        {
            result = Vector256.ConditionalSelect(Vector256.Equals(f, Vector256.Create(InfinityBits)), Vector256.Create(_infinityMagnitude) | sign, result);
            Vector256<uint> nan = _nanToCode
                ? Vector256.ConditionalSelect(Vector256.Equals(sign, Vector256<uint>.Zero), Vector256.Create(_nanPositive), Vector256.Create(_nanNegative))
                : bits | Vector256.Create(QuietBit);
            result = Vector256.ConditionalSelect(Vector256.GreaterThan(f, Vector256.Create(InfinityBits)), nan, result);
        }

        return result.AsSingle();
    }

    /// <summary>The Vector512 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> f = bits & Vector512.Create(AbsMask);
        Vector512<uint> sign = bits & Vector512.Create(SignMask);
        Vector512<uint> odd = Vector512.ShiftRightLogical(f, _shift) & Vector512<uint>.One;
        Vector512<uint> magnitude = (f + Vector512.Create(_halfMinusOne) + odd) & Vector512.Create(_keepMask);
        Vector512<uint> below = Vector512.LessThan(f, Vector512.Create(_minNormalBits));
        Vector512<float> c = Vector512.Create(_magic);
        magnitude = Vector512.ConditionalSelect(below, ((f.AsSingle() + c) - c).AsUInt32(), magnitude);
        magnitude = Vector512.ConditionalSelect(Vector512.GreaterThan(f, Vector512.Create(_overflowBits)), Vector512.Create(_overflowMagnitude), magnitude);
        Vector512<uint> result = magnitude | (sign & ~(Vector512.Equals(magnitude, Vector512<uint>.Zero) & Vector512.Create(_zeroDropsSign)));
        Vector512<uint> special = Vector512.GreaterThanOrEqual(f, Vector512.Create(InfinityBits));
        if (!Vector512.EqualsAll(special, Vector512<uint>.Zero))
        {
            result = Vector512.ConditionalSelect(Vector512.Equals(f, Vector512.Create(InfinityBits)), Vector512.Create(_infinityMagnitude) | sign, result);
            Vector512<uint> nan = _nanToCode
                ? Vector512.ConditionalSelect(Vector512.Equals(sign, Vector512<uint>.Zero), Vector512.Create(_nanPositive), Vector512.Create(_nanNegative))
                : bits | Vector512.Create(QuietBit);
            result = Vector512.ConditionalSelect(Vector512.GreaterThan(f, Vector512.Create(InfinityBits)), nan, result);
        }

        return result.AsSingle();
    }
}
