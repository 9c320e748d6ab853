// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// Round-to-nearest-even encoder for any format with subnormals whose range sits inside binary32's (E5M2, the fnuz formats, FP6,
/// FP4, custom formats up to 16 bits), in every overflow mode: the constants of the dedicated kernels in FastEncodeOperators.cs
/// (after F. Giesen's float_to_half_fast3_rtne) computed from the format, and the codes of the special lanes (overflow, ±inf,
/// NaN) taken from the scalar reference. About 8x fewer operations per vector than <see cref="FloatEncodeOperator{TMode}"/>, which
/// rounds first and then reads the code off the rounded value.
/// </summary>
/// <remarks>
/// Normal lanes: code = (|x| + ((bias - 127) &lt;&lt; 23) + half - 1 + lsb) &gt;&gt; (23 - m), the rebias and the round to nearest even of the
/// dropped bits in one integer add (a carry moves into the exponent, which is the next code). Lanes below the min normal: the
/// FPU rounds |x| + 2^(emin - m + 150 - 127), a float whose ulp is the smallest subnormal, and the sum's low bits are the code
/// (the min normal's code when it rounds up). From the overflow threshold (the midpoint between the max finite value and the
/// next grid value, included when the max's last mantissa bit is odd) the overflow code of the mode. A zero magnitude drops the
/// sign for formats without a negative zero.
/// </remarks>
internal readonly struct RneEncodeOperator : IEncodeOperator
{
    private const uint AbsMask = 0x7FFF_FFFF;
    private const uint InfinityBits = 0x7F80_0000;

    private readonly FloatFormat _format;
    private readonly OverflowMode _overflow;
    private readonly int _signShift;
    private readonly uint _signBit;
    private readonly int _dropBits;
    private readonly uint _rebiasAndHalf;
    private readonly uint _minNormalBits;
    private readonly uint _overflowBits;
    private readonly uint _overflowSpan;
    private readonly uint _subnormalMagic;
    private readonly uint _zeroSignMask;
    private readonly SpecialCodes _special;

    public RneEncodeOperator(FloatFormat format, OverflowMode overflow)
    {
        _format = format;
        _overflow = overflow;
        int m = format.MantissaBits;
        _signShift = 32 - format.BitCount;
        _signBit = 1u << (format.BitCount - 1);
        _dropBits = 23 - m;
        _rebiasAndHalf = unchecked((uint)((format.ExponentBias - 127) << 23) + (1u << (_dropBits - 1)) - 1);
        _minNormalBits = (uint)(format.MinExponent + 127) << 23;
        _subnormalMagic = (uint)(format.MinExponent - m + 150) << 23;

        // The first binary32 magnitude that overflows: the midpoint above the max finite value, or the float after it when the
        // max's significand is even (the midpoint then rounds down to the max).
        double max = format.MaxFinite;
        uint midpoint = BitConverter.SingleToUInt32Bits((float)(max + Math.ScaleB(1.0, format.MaxExponent - m - 1)));
        ulong maxCode = format.Encode(max);
        _overflowBits = (maxCode & 1) != 0 ? midpoint : midpoint + 1;
        _overflowSpan = _overflowBits - _minNormalBits;
        _zeroSignMask = format.HasNegativeZero ? uint.MaxValue : 0;

        _special = new SpecialCodes(format, RoundingMode.NearestEven, overflow);
    }

    /// <summary>
    /// Whether a format fits the kernel: signed, IEEE-style codes (exponent field = e + bias, emin = 1 - bias) with subnormals,
    /// at most 16 bits with 1 to 22 fraction bits, a smallest subnormal that binary32 represents as a normal's ulp
    /// (emin - m &gt;= -149) and a max whose overflow midpoint is finite in binary32.
    /// </summary>
    internal static bool Supports(FloatFormat format) =>
        format.IsSigned && format.HasZero && format.HasSubnormals
        && format.BitCount <= 16 && format.MantissaBits is >= 1 and <= 22
        && format.MinExponent == 1 - format.ExponentBias
        && format.MinExponent >= -126 && format.MinExponent - format.MantissaBits >= -149
        && format.MaxExponent <= 126
        && format.SpecialValues != SpecialValueEncoding.IeeeNoInfinity;

    /// <summary>The scalar reference: the general encoder.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Encode(float x) => (uint)_format.Encode(x, RoundingMode.NearestEven, _overflow);

    /// <summary>The Vector128 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Encode(Vector128<float> x)
    {
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> f = bits & Vector128.Create(AbsMask);
        Vector128<uint> sign = Vector128.ShiftRightLogical(bits, _signShift) & Vector128.Create(_signBit);
        Vector128<uint> odd = Vector128.ShiftRightLogical(f, _dropBits) & Vector128<uint>.One;
        Vector128<uint> code = Vector128.ShiftRightLogical(f + Vector128.Create(_rebiasAndHalf) + odd, _dropBits);

        // Lanes below the min normal or from the overflow threshold up (with ±inf and NaN) are rare: their selects run only in
        // vectors that hold one.
        if (Vector128.GreaterThanOrEqualAny(f - Vector128.Create(_minNormalBits), Vector128.Create(_overflowSpan)))
        {
            Vector128<uint> magic = Vector128.Create(_subnormalMagic);
            Vector128<uint> subnormal = (f.AsSingle() + magic.AsSingle()).AsUInt32() - magic;
            code = Vector128.ConditionalSelect(Vector128.LessThan(f, Vector128.Create(_minNormalBits)), subnormal, code);
            Vector128<uint> negative = Vector128.Equals(sign, Vector128.Create(_signBit));
            sign = Vector128.ConditionalSelect(Vector128.Equals(code, Vector128<uint>.Zero), sign & Vector128.Create(_zeroSignMask), sign);
            code |= sign;
            code = Vector128.ConditionalSelect(
                Vector128.GreaterThanOrEqual(f, Vector128.Create(_overflowBits)),
                Vector128.ConditionalSelect(negative, Vector128.Create(_special.OverflowNegative), Vector128.Create(_special.OverflowPositive)),
                code);
            code = Vector128.ConditionalSelect(
                Vector128.Equals(f, Vector128.Create(InfinityBits)),
                Vector128.ConditionalSelect(negative, Vector128.Create(_special.InfinityNegative), Vector128.Create(_special.InfinityPositive)),
                code);
            return Vector128.ConditionalSelect(
                Vector128.GreaterThan(f, Vector128.Create(InfinityBits)),
                Vector128.ConditionalSelect(negative, Vector128.Create(_special.NaNNegative), Vector128.Create(_special.NaNPositive)),
                code);
        }

        return code | sign;
    }

    /// <summary>The Vector256 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Encode(Vector256<float> x)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> f = bits & Vector256.Create(AbsMask);
        Vector256<uint> sign = Vector256.ShiftRightLogical(bits, _signShift) & Vector256.Create(_signBit);
        Vector256<uint> odd = Vector256.ShiftRightLogical(f, _dropBits) & Vector256<uint>.One;
        Vector256<uint> code = Vector256.ShiftRightLogical(f + Vector256.Create(_rebiasAndHalf) + odd, _dropBits);

        // Lanes below the min normal or from the overflow threshold up (with ±inf and NaN) are rare: their selects run only in
        // vectors that hold one.
        if (Vector256.GreaterThanOrEqualAny(f - Vector256.Create(_minNormalBits), Vector256.Create(_overflowSpan)))
        {
            Vector256<uint> magic = Vector256.Create(_subnormalMagic);
            Vector256<uint> subnormal = (f.AsSingle() + magic.AsSingle()).AsUInt32() - magic;
            code = Vector256.ConditionalSelect(Vector256.LessThan(f, Vector256.Create(_minNormalBits)), subnormal, code);
            Vector256<uint> negative = Vector256.Equals(sign, Vector256.Create(_signBit));
            sign = Vector256.ConditionalSelect(Vector256.Equals(code, Vector256<uint>.Zero), sign & Vector256.Create(_zeroSignMask), sign);
            code |= sign;
            code = Vector256.ConditionalSelect(
                Vector256.GreaterThanOrEqual(f, Vector256.Create(_overflowBits)),
                Vector256.ConditionalSelect(negative, Vector256.Create(_special.OverflowNegative), Vector256.Create(_special.OverflowPositive)),
                code);
            code = Vector256.ConditionalSelect(
                Vector256.Equals(f, Vector256.Create(InfinityBits)),
                Vector256.ConditionalSelect(negative, Vector256.Create(_special.InfinityNegative), Vector256.Create(_special.InfinityPositive)),
                code);
            return Vector256.ConditionalSelect(
                Vector256.GreaterThan(f, Vector256.Create(InfinityBits)),
                Vector256.ConditionalSelect(negative, Vector256.Create(_special.NaNNegative), Vector256.Create(_special.NaNPositive)),
                code);
        }

        return code | sign;
    }

    /// <summary>The Vector512 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Encode(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> f = bits & Vector512.Create(AbsMask);
        Vector512<uint> sign = Vector512.ShiftRightLogical(bits, _signShift) & Vector512.Create(_signBit);
        Vector512<uint> odd = Vector512.ShiftRightLogical(f, _dropBits) & Vector512<uint>.One;
        Vector512<uint> code = Vector512.ShiftRightLogical(f + Vector512.Create(_rebiasAndHalf) + odd, _dropBits);

        // Lanes below the min normal or from the overflow threshold up (with ±inf and NaN) are rare: their selects run only in
        // vectors that hold one.
        if (Vector512.GreaterThanOrEqualAny(f - Vector512.Create(_minNormalBits), Vector512.Create(_overflowSpan)))
        {
            Vector512<uint> magic = Vector512.Create(_subnormalMagic);
            Vector512<uint> subnormal = (f.AsSingle() + magic.AsSingle()).AsUInt32() - magic;
            code = Vector512.ConditionalSelect(Vector512.LessThan(f, Vector512.Create(_minNormalBits)), subnormal, code);
            Vector512<uint> negative = Vector512.Equals(sign, Vector512.Create(_signBit));
            sign = Vector512.ConditionalSelect(Vector512.Equals(code, Vector512<uint>.Zero), sign & Vector512.Create(_zeroSignMask), sign);
            code |= sign;
            code = Vector512.ConditionalSelect(
                Vector512.GreaterThanOrEqual(f, Vector512.Create(_overflowBits)),
                Vector512.ConditionalSelect(negative, Vector512.Create(_special.OverflowNegative), Vector512.Create(_special.OverflowPositive)),
                code);
            code = Vector512.ConditionalSelect(
                Vector512.Equals(f, Vector512.Create(InfinityBits)),
                Vector512.ConditionalSelect(negative, Vector512.Create(_special.InfinityNegative), Vector512.Create(_special.InfinityPositive)),
                code);
            return Vector512.ConditionalSelect(
                Vector512.GreaterThan(f, Vector512.Create(InfinityBits)),
                Vector512.ConditionalSelect(negative, Vector512.Create(_special.NaNNegative), Vector512.Create(_special.NaNPositive)),
                code);
        }

        return code | sign;
    }
}
