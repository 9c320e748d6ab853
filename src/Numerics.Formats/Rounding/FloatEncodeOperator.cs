// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// Encodes binary32 lanes to a format's codes: <see cref="FloatRoundOperator{TMode}"/> rounds, then the code is read off the rounded
/// value's bits (rebias the exponent and drop the extra fraction bits; scale subnormals to an integer). The scalar reference is
/// <see cref="FloatFormat.Encode(double, RoundingMode, OverflowMode)"/>.
/// </summary>
internal readonly struct FloatEncodeOperator<TMode> : IEncodeOperator
    where TMode : struct, IRoundingModeSelector
{
    private const uint AbsMask = 0x7FFF_FFFF;
    private const uint InfinityBits = 0x7F80_0000;

    private readonly FloatRoundOperator<TMode> _round;
    private readonly FloatFormat _format;
    private readonly OverflowMode _overflow;
    private readonly bool _fixedShift;
    private readonly int _signShift;
    private readonly int _dropBits;
    private readonly uint _rebias;
    private readonly float _subnormalScale;
    private readonly uint _minNormalBits;
    private readonly uint _infinityCode;
    private readonly uint _nanCode;
    private readonly uint _nanDropsSign;

    public FloatEncodeOperator(FloatFormat format, OverflowMode overflow)
    {
        _round = new FloatRoundOperator<TMode>(format, overflow);
        _format = format;
        _overflow = overflow;
        _fixedShift = format.MinExponent == -126;
        _signShift = format.BitCount - 1;
        _dropBits = 23 - format.MantissaBits;
        _rebias = (uint)(127 - format.ExponentBias) << 23;
        _subnormalScale = (float)Math.ScaleB(1.0, format.MantissaBits - format.MinExponent);
        _minNormalBits = BitConverter.SingleToUInt32Bits((float)format.MinNormal);
        _infinityCode = (uint)(((1 << format.ExponentBits) - 1) << format.MantissaBits);
        ulong nan = format.Encode(double.NaN);
        _nanCode = (uint)nan & ((1u << _signShift) - 1);
        _nanDropsSign = format.SpecialValues == SpecialValueEncoding.FiniteNegativeZeroNaN ? uint.MaxValue : 0;
        if (_nanDropsSign != 0)
        {
            _nanCode = 1u << _signShift; // the fnuz NaN is the sign-bit-only code for both signs
        }
    }

    /// <summary>Whether the vector encoder supports a format (the rounding kernel does, and the codes fit in 16 bits).</summary>
    internal static bool Supports(FloatFormat format) =>
        FloatRoundOperator<TMode>.Supports(format) && format.BitCount <= 16
        && (format.MinExponent == -126 || format.MantissaBits - format.MinExponent <= 127)
        && format.SpecialValues != SpecialValueEncoding.IeeeNoInfinity;

    /// <summary>The scalar reference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Encode(float x) => (uint)_format.Encode(x, TMode.Mode, _overflow);

    /// <summary>The Vector128 body of the code extraction (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Encode(Vector128<float> x)
    {
        Vector128<uint> r = _round.Invoke(x).AsUInt32();
        Vector128<uint> rabs = r & Vector128.Create(AbsMask);
        Vector128<uint> sign = Vector128.ShiftRightLogical(r, 31) << _signShift;
        Vector128<uint> normal = Vector128.ShiftRightLogical(rabs - Vector128.Create(_rebias), _dropBits);
        Vector128<uint> code = normal;
        if (!_fixedShift)
        {
            // Below the format's min normal the value is an integer multiple of the smallest subnormal 2^(emin - m): scale and convert.
            Vector128<uint> subnormal = Vector128.ConvertToInt32(rabs.AsSingle() * Vector128.Create(_subnormalScale)).AsUInt32();
            code = Vector128.ConditionalSelect(Vector128.LessThan(rabs, Vector128.Create(_minNormalBits)), subnormal, normal);
        }

        Vector128<uint> isNaN = Vector128.GreaterThan(rabs, Vector128.Create(InfinityBits));
        code = Vector128.ConditionalSelect(Vector128.Equals(rabs, Vector128.Create(InfinityBits)), Vector128.Create(_infinityCode), code);
        code = Vector128.ConditionalSelect(isNaN, Vector128.Create(_nanCode), code);
        return code | (sign & ~(isNaN & Vector128.Create(_nanDropsSign)));
    }

    /// <summary>The Vector256 body of the code extraction (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Encode(Vector256<float> x)
    {
        Vector256<uint> r = _round.Invoke(x).AsUInt32();
        Vector256<uint> rabs = r & Vector256.Create(AbsMask);
        Vector256<uint> sign = Vector256.ShiftRightLogical(r, 31) << _signShift;
        Vector256<uint> normal = Vector256.ShiftRightLogical(rabs - Vector256.Create(_rebias), _dropBits);
        Vector256<uint> code = normal;
        if (!_fixedShift)
        {
            // Below the format's min normal the value is an integer multiple of the smallest subnormal 2^(emin - m): scale and convert.
            Vector256<uint> subnormal = Vector256.ConvertToInt32(rabs.AsSingle() * Vector256.Create(_subnormalScale)).AsUInt32();
            code = Vector256.ConditionalSelect(Vector256.LessThan(rabs, Vector256.Create(_minNormalBits)), subnormal, normal);
        }

        Vector256<uint> isNaN = Vector256.GreaterThan(rabs, Vector256.Create(InfinityBits));
        code = Vector256.ConditionalSelect(Vector256.Equals(rabs, Vector256.Create(InfinityBits)), Vector256.Create(_infinityCode), code);
        code = Vector256.ConditionalSelect(isNaN, Vector256.Create(_nanCode), code);
        return code | (sign & ~(isNaN & Vector256.Create(_nanDropsSign)));
    }

    /// <summary>The Vector512 body of the code extraction (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Encode(Vector512<float> x)
    {
        Vector512<uint> r = _round.Invoke(x).AsUInt32();
        Vector512<uint> rabs = r & Vector512.Create(AbsMask);
        Vector512<uint> sign = Vector512.ShiftRightLogical(r, 31) << _signShift;
        Vector512<uint> normal = Vector512.ShiftRightLogical(rabs - Vector512.Create(_rebias), _dropBits);
        Vector512<uint> code = normal;
        if (!_fixedShift)
        {
            // Below the format's min normal the value is an integer multiple of the smallest subnormal 2^(emin - m): scale and convert.
            Vector512<uint> subnormal = Vector512.ConvertToInt32(rabs.AsSingle() * Vector512.Create(_subnormalScale)).AsUInt32();
            code = Vector512.ConditionalSelect(Vector512.LessThan(rabs, Vector512.Create(_minNormalBits)), subnormal, normal);
        }

        Vector512<uint> isNaN = Vector512.GreaterThan(rabs, Vector512.Create(InfinityBits));
        code = Vector512.ConditionalSelect(Vector512.Equals(rabs, Vector512.Create(InfinityBits)), Vector512.Create(_infinityCode), code);
        code = Vector512.ConditionalSelect(isNaN, Vector512.Create(_nanCode), code);
        return code | (sign & ~(isNaN & Vector512.Create(_nanDropsSign)));
    }
}
