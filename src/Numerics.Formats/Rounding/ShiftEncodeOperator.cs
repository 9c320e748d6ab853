// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// Encoder for the deterministic rounding modes other than the hot round-to-nearest-even (<see cref="RneEncodeOperator"/>), for the
/// same formats: the code is computed on the binary32 bit pattern directly (rebias, shift, and the mode's round-up decision from
/// the dropped bits), instead of rounding the value first and reading the code off it as <see cref="FloatEncodeOperator{TMode}"/> does.
/// </summary>
/// <remarks>
/// Normal lanes: truncated = (|x| + ((bias - 127) &lt;&lt; 23)) &gt;&gt; (23 - m) is the code of |x| rounded toward zero; the mode's
/// <see cref="IRoundingModeSelector.Up(Vector128{uint}, Vector128{uint}, Vector128{uint}, Vector128{uint}, Vector128{uint})"/> decides from the
/// dropped bits (above half, exactly half, inexact), the truncated code's parity and the sign whether to add one (a carry moves
/// into the exponent: the next code). Lanes below the min normal: |x| · 2^(m - emin) = k + fraction, both exact in binary32, and
/// the same decision rounds k. A code above the max finite code is an overflow, whose code (per sign) comes from the scalar
/// reference, as do the codes of ±inf and NaN; a zero magnitude drops the sign for formats without a negative zero.
/// </remarks>
/// <typeparam name="TMode">The rounding mode.</typeparam>
internal readonly struct ShiftEncodeOperator<TMode> : IEncodeOperator
    where TMode : struct, IRoundingModeSelector
{
    private const uint AbsMask = 0x7FFF_FFFF;
    private const uint InfinityBits = 0x7F80_0000;

    private readonly FloatFormat _format;
    private readonly OverflowMode _overflow;
    private readonly uint _signBit;
    private readonly int _dropBits;
    private readonly uint _dropMask;
    private readonly uint _halfBits;
    private readonly uint _rebias;
    private readonly uint _minNormalBits;
    private readonly uint _specialSpan;
    private readonly uint _maxCode;
    private readonly float _subnormalScale;
    private readonly uint _zeroSignMask;
    private readonly SpecialCodes _special;

    public ShiftEncodeOperator(FloatFormat format, OverflowMode overflow)
    {
        _format = format;
        _overflow = overflow;
        int m = format.MantissaBits;
        _signBit = 1u << (format.BitCount - 1);
        _dropBits = 23 - m;
        _dropMask = (1u << _dropBits) - 1;
        _halfBits = 1u << (_dropBits - 1);
        _rebias = unchecked((uint)((format.ExponentBias - 127) << 23));
        _minNormalBits = (uint)(format.MinExponent + 127) << 23;
        _specialSpan = InfinityBits - _minNormalBits;
        _maxCode = (uint)format.Encode(format.MaxFinite);
        _subnormalScale = (float)Math.ScaleB(1.0, m - format.MinExponent);
        _zeroSignMask = format.HasNegativeZero ? uint.MaxValue : 0;

        _special = new SpecialCodes(format, TMode.Mode, overflow);
    }

    /// <summary>Whether a format fits the kernel: the formats of <see cref="RneEncodeOperator.Supports(FloatFormat)"/> whose
    /// subnormal scale 2^(m - emin) is a binary32 value.</summary>
    internal static bool Supports(FloatFormat format) =>
        RneEncodeOperator.Supports(format) && format.MantissaBits - format.MinExponent <= 127;

    /// <summary>The scalar reference: the general encoder.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Encode(float x) => (uint)_format.Encode(x, TMode.Mode, _overflow);

    /// <summary>The Vector128 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Encode(Vector128<float> x)
    {
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> f = bits & Vector128.Create(AbsMask);
        Vector128<uint> negative = Vector128.ShiftRightArithmetic(bits.AsInt32(), 31).AsUInt32();
        Vector128<uint> one = Vector128<uint>.One;
        Vector128<uint> r = f & Vector128.Create(_dropMask);
        Vector128<uint> halfBits = Vector128.Create(_halfBits);
        Vector128<uint> truncated = Vector128.ShiftRightLogical(f + Vector128.Create(_rebias), _dropBits);
        Vector128<uint> up = TMode.Up(
            Vector128.GreaterThan(r, halfBits), Vector128.Equals(r, halfBits), ~Vector128.Equals(r, Vector128<uint>.Zero),
            Vector128.Equals(truncated & one, one), negative);
        Vector128<uint> code = truncated - up; // up is all ones (-1) where the magnitude rounds up

        // Lanes below the min normal, from the binary32 infinity up, or whose code passes the max finite one are rare: their
        // selects run only in vectors that hold one.
        Vector128<uint> rare = Vector128.GreaterThanOrEqual(f - Vector128.Create(_minNormalBits), Vector128.Create(_specialSpan))
            | Vector128.GreaterThan(code, Vector128.Create(_maxCode));
        if (rare != Vector128<uint>.Zero)
        {
            // Below the min normal: |x| / 2^(emin - m) = k + fraction, both exact in binary32; the mode rounds k.
            Vector128<float> t = f.AsSingle() * Vector128.Create(_subnormalScale);
            Vector128<int> k = Vector128.ConvertToInt32(t);
            Vector128<float> fraction = t - Vector128.ConvertToSingle(k);
            Vector128<float> halfF = Vector128.Create(0.5f);
            Vector128<uint> ku = k.AsUInt32();
            Vector128<uint> subnormalUp = TMode.Up(
                Vector128.GreaterThan(fraction, halfF).AsUInt32(), Vector128.Equals(fraction, halfF).AsUInt32(),
                ~Vector128.Equals(fraction, Vector128<float>.Zero).AsUInt32(), Vector128.Equals(ku & one, one), negative);
            code = Vector128.ConditionalSelect(Vector128.LessThan(f, Vector128.Create(_minNormalBits)), ku - subnormalUp, code);
            Vector128<uint> sign = negative & Vector128.Create(_signBit);
            sign = Vector128.ConditionalSelect(Vector128.Equals(code, Vector128<uint>.Zero), sign & Vector128.Create(_zeroSignMask), sign);
            Vector128<uint> result = code | sign;
            result = Vector128.ConditionalSelect(
                Vector128.GreaterThan(code, Vector128.Create(_maxCode)),
                Vector128.ConditionalSelect(negative, Vector128.Create(_special.OverflowNegative), Vector128.Create(_special.OverflowPositive)),
                result);
            result = Vector128.ConditionalSelect(
                Vector128.Equals(f, Vector128.Create(InfinityBits)),
                Vector128.ConditionalSelect(negative, Vector128.Create(_special.InfinityNegative), Vector128.Create(_special.InfinityPositive)),
                result);
            return Vector128.ConditionalSelect(
                Vector128.GreaterThan(f, Vector128.Create(InfinityBits)),
                Vector128.ConditionalSelect(negative, Vector128.Create(_special.NaNNegative), Vector128.Create(_special.NaNPositive)),
                result);
        }

        return code | (negative & Vector128.Create(_signBit));
    }

    /// <summary>The Vector256 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Encode(Vector256<float> x)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> f = bits & Vector256.Create(AbsMask);
        Vector256<uint> negative = Vector256.ShiftRightArithmetic(bits.AsInt32(), 31).AsUInt32();
        Vector256<uint> one = Vector256<uint>.One;
        Vector256<uint> r = f & Vector256.Create(_dropMask);
        Vector256<uint> halfBits = Vector256.Create(_halfBits);
        Vector256<uint> truncated = Vector256.ShiftRightLogical(f + Vector256.Create(_rebias), _dropBits);
        Vector256<uint> up = TMode.Up(
            Vector256.GreaterThan(r, halfBits), Vector256.Equals(r, halfBits), ~Vector256.Equals(r, Vector256<uint>.Zero),
            Vector256.Equals(truncated & one, one), negative);
        Vector256<uint> code = truncated - up; // up is all ones (-1) where the magnitude rounds up

        // Lanes below the min normal, from the binary32 infinity up, or whose code passes the max finite one are rare: their
        // selects run only in vectors that hold one.
        Vector256<uint> rare = Vector256.GreaterThanOrEqual(f - Vector256.Create(_minNormalBits), Vector256.Create(_specialSpan))
            | Vector256.GreaterThan(code, Vector256.Create(_maxCode));
        if (rare != Vector256<uint>.Zero)
        {
            // Below the min normal: |x| / 2^(emin - m) = k + fraction, both exact in binary32; the mode rounds k.
            Vector256<float> t = f.AsSingle() * Vector256.Create(_subnormalScale);
            Vector256<int> k = Vector256.ConvertToInt32(t);
            Vector256<float> fraction = t - Vector256.ConvertToSingle(k);
            Vector256<float> halfF = Vector256.Create(0.5f);
            Vector256<uint> ku = k.AsUInt32();
            Vector256<uint> subnormalUp = TMode.Up(
                Vector256.GreaterThan(fraction, halfF).AsUInt32(), Vector256.Equals(fraction, halfF).AsUInt32(),
                ~Vector256.Equals(fraction, Vector256<float>.Zero).AsUInt32(), Vector256.Equals(ku & one, one), negative);
            code = Vector256.ConditionalSelect(Vector256.LessThan(f, Vector256.Create(_minNormalBits)), ku - subnormalUp, code);
            Vector256<uint> sign = negative & Vector256.Create(_signBit);
            sign = Vector256.ConditionalSelect(Vector256.Equals(code, Vector256<uint>.Zero), sign & Vector256.Create(_zeroSignMask), sign);
            Vector256<uint> result = code | sign;
            result = Vector256.ConditionalSelect(
                Vector256.GreaterThan(code, Vector256.Create(_maxCode)),
                Vector256.ConditionalSelect(negative, Vector256.Create(_special.OverflowNegative), Vector256.Create(_special.OverflowPositive)),
                result);
            result = Vector256.ConditionalSelect(
                Vector256.Equals(f, Vector256.Create(InfinityBits)),
                Vector256.ConditionalSelect(negative, Vector256.Create(_special.InfinityNegative), Vector256.Create(_special.InfinityPositive)),
                result);
            return Vector256.ConditionalSelect(
                Vector256.GreaterThan(f, Vector256.Create(InfinityBits)),
                Vector256.ConditionalSelect(negative, Vector256.Create(_special.NaNNegative), Vector256.Create(_special.NaNPositive)),
                result);
        }

        return code | (negative & Vector256.Create(_signBit));
    }

    /// <summary>The Vector512 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Encode(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> f = bits & Vector512.Create(AbsMask);
        Vector512<uint> negative = Vector512.ShiftRightArithmetic(bits.AsInt32(), 31).AsUInt32();
        Vector512<uint> one = Vector512<uint>.One;
        Vector512<uint> r = f & Vector512.Create(_dropMask);
        Vector512<uint> halfBits = Vector512.Create(_halfBits);
        Vector512<uint> truncated = Vector512.ShiftRightLogical(f + Vector512.Create(_rebias), _dropBits);
        Vector512<uint> up = TMode.Up(
            Vector512.GreaterThan(r, halfBits), Vector512.Equals(r, halfBits), ~Vector512.Equals(r, Vector512<uint>.Zero),
            Vector512.Equals(truncated & one, one), negative);
        Vector512<uint> code = truncated - up; // up is all ones (-1) where the magnitude rounds up

        // Lanes below the min normal, from the binary32 infinity up, or whose code passes the max finite one are rare: their
        // selects run only in vectors that hold one.
        Vector512<uint> rare = Vector512.GreaterThanOrEqual(f - Vector512.Create(_minNormalBits), Vector512.Create(_specialSpan))
            | Vector512.GreaterThan(code, Vector512.Create(_maxCode));
        if (rare != Vector512<uint>.Zero)
        {
            // Below the min normal: |x| / 2^(emin - m) = k + fraction, both exact in binary32; the mode rounds k.
            Vector512<float> t = f.AsSingle() * Vector512.Create(_subnormalScale);
            Vector512<int> k = Vector512.ConvertToInt32(t);
            Vector512<float> fraction = t - Vector512.ConvertToSingle(k);
            Vector512<float> halfF = Vector512.Create(0.5f);
            Vector512<uint> ku = k.AsUInt32();
            Vector512<uint> subnormalUp = TMode.Up(
                Vector512.GreaterThan(fraction, halfF).AsUInt32(), Vector512.Equals(fraction, halfF).AsUInt32(),
                ~Vector512.Equals(fraction, Vector512<float>.Zero).AsUInt32(), Vector512.Equals(ku & one, one), negative);
            code = Vector512.ConditionalSelect(Vector512.LessThan(f, Vector512.Create(_minNormalBits)), ku - subnormalUp, code);
            Vector512<uint> sign = negative & Vector512.Create(_signBit);
            sign = Vector512.ConditionalSelect(Vector512.Equals(code, Vector512<uint>.Zero), sign & Vector512.Create(_zeroSignMask), sign);
            Vector512<uint> result = code | sign;
            result = Vector512.ConditionalSelect(
                Vector512.GreaterThan(code, Vector512.Create(_maxCode)),
                Vector512.ConditionalSelect(negative, Vector512.Create(_special.OverflowNegative), Vector512.Create(_special.OverflowPositive)),
                result);
            result = Vector512.ConditionalSelect(
                Vector512.Equals(f, Vector512.Create(InfinityBits)),
                Vector512.ConditionalSelect(negative, Vector512.Create(_special.InfinityNegative), Vector512.Create(_special.InfinityPositive)),
                result);
            return Vector512.ConditionalSelect(
                Vector512.GreaterThan(f, Vector512.Create(InfinityBits)),
                Vector512.ConditionalSelect(negative, Vector512.Create(_special.NaNNegative), Vector512.Create(_special.NaNPositive)),
                result);
        }

        return code | (negative & Vector512.Create(_signBit));
    }
}
