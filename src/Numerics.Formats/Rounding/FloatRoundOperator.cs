// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// Rounds binary32 lanes to a <see cref="FloatFormat"/> in a deterministic mode, as <see cref="FloatFormat.RoundCore"/> does for the
/// same value widened to double (the scalar reference, <see cref="Invoke(float)"/>). Built once per call, outside the loop.
/// </summary>
/// <remarks>
/// Two kernels: a fixed shift of the bit pattern for formats whose grid is binary32's grid with fewer fraction bits (bfloat16, tf32),
/// and the "magic constant" kernel for formats whose range fits well inside binary32 (binary16 and the 8/6/4-bit formats). Specials
/// (NaN, ±∞), overflow and the sign of zero are applied by selects at the end, with constants taken from the scalar reference.
/// </remarks>
internal readonly struct FloatRoundOperator<TMode> : IUnaryOperator<float>
    where TMode : struct, IRoundingModeSelector
{
    private const uint SignMask = 0x8000_0000;
    private const uint AbsMask = 0x7FFF_FFFF;
    private const uint InfinityBits = 0x7F80_0000;
    private const uint QuietBit = 0x0040_0000;

    private readonly FloatFormat _format;
    private readonly OverflowMode _overflow;
    private readonly int _fixedShift;
    private readonly uint _remainderMask;
    private readonly uint _halfQuantum;
    private readonly uint _minField;
    private readonly uint _maxFieldPlusOne;
    private readonly uint _cFieldOffset;
    private readonly uint _ftzMask;
    private readonly uint _ftzCField;
    private readonly uint _bigBits;
    private readonly float _max;
    private readonly uint _overflowPositive;
    private readonly uint _overflowNegative;
    private readonly uint _infinityPositive;
    private readonly uint _infinityNegative;
    private readonly bool _nanToCode;
    private readonly uint _nanPositive;
    private readonly uint _nanNegative;
    private readonly uint _zeroSignMask;

    public FloatRoundOperator(FloatFormat format, OverflowMode overflow)
    {
        _format = format;
        _overflow = overflow;
        int m = format.MantissaBits;
        if (UsesFixedShift(format))
        {
            _fixedShift = 23 - m;
            _remainderMask = (1u << _fixedShift) - 1;
            _halfQuantum = 1u << (_fixedShift - 1);
        }
        else
        {
            _minField = (uint)(format.MinExponent + 127);
            _maxFieldPlusOne = (uint)(format.MaxExponent + 128);
            _cFieldOffset = (uint)(23 - m);
            _ftzMask = format.HasSubnormals ? 0u : uint.MaxValue;
            _ftzCField = _minField + 23;
            _bigBits = _maxFieldPlusOne << 23;
        }

        // The constants come from the scalar reference itself, so the vector bodies cannot disagree with it on specials.
        double huge = Math.ScaleB(1.0, format.MaxExponent + 2);
        _max = (float)format.MaxFinite;
        _overflowPositive = Bits(format.RoundCore(huge, TMode.Mode, overflow, 0)) & AbsMask;
        _overflowNegative = Bits(format.RoundCore(-huge, TMode.Mode, overflow, 0)) & AbsMask;
        _infinityPositive = Bits(format.RoundCore(double.PositiveInfinity, TMode.Mode, overflow, 0));
        _infinityNegative = Bits(format.RoundCore(double.NegativeInfinity, TMode.Mode, overflow, 0));
        _nanToCode = format.SpecialValues == SpecialValueEncoding.FiniteOnly;
        _nanPositive = Bits(format.RoundCore(BitConverter.UInt64BitsToDouble(0x7FF8_0000_0000_0000), TMode.Mode, overflow, 0));
        _nanNegative = Bits(format.RoundCore(BitConverter.UInt64BitsToDouble(0xFFF8_0000_0000_0000), TMode.Mode, overflow, 0));
        _zeroSignMask = format.HasNegativeZero ? SignMask : 0;
    }

    /// <summary>Whether a format can use the vector kernels (otherwise the span API runs the scalar reference).</summary>
    /// <remarks>
    /// The magic-constant kernel needs a &lt; c/2, that is c = 2^(e − m + 23) ≥ 2^(e + 2): at most 21 fraction bits. With 22 the sum
    /// a + c of a value just below a power of two is a tie that rounds into the next binade, whose ulp is twice the quantum (p = 23,
    /// TowardZero of 0x38FFFFFF into emin = −14 gave 0x38FFFFFC instead of 0x38FFFFFE); those formats take the binary64-lane kernel.
    /// </remarks>
    internal static bool Supports(FloatFormat format) =>
        format.IsSigned && format.HasZero && format.MantissaBits <= 22
        && (UsesFixedShift(format) || (format.MantissaBits <= 21 && format.MinExponent >= -126 && format.MaxExponent <= 103 + format.MantissaBits));

    /// <remarks>
    /// The fixed shift reads the parity of the lower neighbour from the last kept bit of the bit pattern, which is the last fraction
    /// bit only when one is kept: with p = 1 (no fraction bit) it is the exponent's last bit, while every normal significand is 1
    /// (odd). So p = 1 takes the scalar path (Create(1, −126, 127): RNE of 3 gave 2 and ToOdd of 3 gave 4; exact: 4 and 2).
    /// </remarks>
    private static bool UsesFixedShift(FloatFormat format) =>
        format.HasSubnormals && format.MinExponent == -126 && format.MaxExponent == 127 && format.MantissaBits is >= 1 and <= 22;

    private static uint Bits(double value) => BitConverter.SingleToUInt32Bits((float)value);

    /// <summary>The scalar reference: round the value widened to double (exact), then narrow (exact for every supported format).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => (float)_format.RoundCore(x, TMode.Mode, _overflow, 0);

    /// <summary>The Vector128 body: the same text as the other widths (see <see cref="Invoke(float)"/> for the reference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> sign = bits & Vector128.Create(SignMask);
        Vector128<uint> absBits = bits & Vector128.Create(AbsMask);
        Vector128<uint> negative = Vector128.ShiftRightArithmetic(bits.AsInt32(), 31).AsUInt32();
        Vector128<float> a = absBits.AsSingle();
        Vector128<uint> one = Vector128<uint>.One;
        Vector128<uint> aboveHalf, half, inexact, lowerOdd, lo, hi, big;
        if (_fixedShift != 0)
        {
            // Same quantum 2^(lsb + shift) for every binary32 input (bfloat16, tf32): round the bit pattern itself. A carry out of
            // the fraction moves into the exponent, which is the next grid value; FLT_MAX carries into the infinity pattern.
            Vector128<uint> i = Vector128.ShiftRightLogical(absBits, _fixedShift);
            Vector128<uint> r = absBits & Vector128.Create(_remainderMask);
            Vector128<uint> halfBits = Vector128.Create(_halfQuantum);
            aboveHalf = Vector128.GreaterThan(r, halfBits);
            half = Vector128.Equals(r, halfBits);
            inexact = ~Vector128.Equals(r, Vector128<uint>.Zero);
            lowerOdd = Vector128.Equals(i & one, one);
            lo = Vector128.ShiftLeft(i, _fixedShift);
            hi = Vector128.ShiftLeft(i + one, _fixedShift);
            big = Vector128<uint>.Zero;
        }
        else
        {
            // c = 2^(q + 23) where 2^q is the grid quantum at |x|: a + c rounds |x| to a multiple of 2^q (hardware RNE, exact
            // otherwise), since a < c/2 and the sum lies in [c, 2c) whose ulp is 2^q. The ulp of the sum is the quantum itself,
            // so lo and hi = lo + q are exact, and the parity of (lo + c)'s last bit is the parity of lo's significand.
            Vector128<uint> field = Vector128.ShiftRightLogical(absBits, 23);
            Vector128<uint> clamped = Vector128.Min(Vector128.Max(field, Vector128.Create(_minField)), Vector128.Create(_maxFieldPlusOne));
            Vector128<uint> cField = clamped + Vector128.Create(_cFieldOffset);
            cField = Vector128.ConditionalSelect(Vector128.LessThan(field, Vector128.Create(_minField)) & Vector128.Create(_ftzMask), Vector128.Create(_ftzCField), cField);
            Vector128<float> c = Vector128.ShiftLeft(cField, 23).AsSingle();
            Vector128<float> s = a + c;
            Vector128<float> t = s - c;
            Vector128<float> q = (s.AsUInt32() + one).AsSingle() - s;
            Vector128<float> low = Vector128.ConditionalSelect(Vector128.GreaterThan(t, a), t - q, t);
            Vector128<float> twiceRemainder = (a - low) + (a - low);
            aboveHalf = Vector128.GreaterThan(twiceRemainder, q).AsUInt32();
            half = Vector128.Equals(twiceRemainder, q).AsUInt32();
            inexact = Vector128.GreaterThan(a, low).AsUInt32();
            lowerOdd = Vector128.Equals((low + c).AsUInt32() & one, one);
            lo = low.AsUInt32();
            hi = (low + q).AsUInt32();
            big = Vector128.GreaterThanOrEqual(absBits, Vector128.Create(_bigBits));
        }

        Vector128<uint> up = TMode.Up(aboveHalf, half, inexact, lowerOdd, negative);
        Vector128<uint> magnitude = Vector128.ConditionalSelect(up, hi, lo);
        Vector128<uint> overflow = Vector128.GreaterThan(magnitude.AsSingle(), Vector128.Create(_max)).AsUInt32() | big;
        magnitude = Vector128.ConditionalSelect(overflow, Vector128.ConditionalSelect(negative, Vector128.Create(_overflowNegative), Vector128.Create(_overflowPositive)), magnitude);
        Vector128<uint> result = magnitude | sign;
        result = Vector128.ConditionalSelect(Vector128.Equals(magnitude, Vector128<uint>.Zero), sign & Vector128.Create(_zeroSignMask), result);
        result = Vector128.ConditionalSelect(
            Vector128.Equals(absBits, Vector128.Create(InfinityBits)), Vector128.ConditionalSelect(negative, Vector128.Create(_infinityNegative), Vector128.Create(_infinityPositive)), result);
        Vector128<uint> nanResult = _nanToCode
            ? Vector128.ConditionalSelect(negative, Vector128.Create(_nanNegative), Vector128.Create(_nanPositive))
            : bits | Vector128.Create(QuietBit);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(absBits, Vector128.Create(InfinityBits)), nanResult, result).AsSingle();
    }

    /// <summary>The Vector256 body: the same text as the other widths (see <see cref="Invoke(float)"/> for the reference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> sign = bits & Vector256.Create(SignMask);
        Vector256<uint> absBits = bits & Vector256.Create(AbsMask);
        Vector256<uint> negative = Vector256.ShiftRightArithmetic(bits.AsInt32(), 31).AsUInt32();
        Vector256<float> a = absBits.AsSingle();
        Vector256<uint> one = Vector256<uint>.One;
        Vector256<uint> aboveHalf, half, inexact, lowerOdd, lo, hi, big;
        if (_fixedShift != 0)
        {
            // Same quantum 2^(lsb + shift) for every binary32 input (bfloat16, tf32): round the bit pattern itself. A carry out of
            // the fraction moves into the exponent, which is the next grid value; FLT_MAX carries into the infinity pattern.
            Vector256<uint> i = Vector256.ShiftRightLogical(absBits, _fixedShift);
            Vector256<uint> r = absBits & Vector256.Create(_remainderMask);
            Vector256<uint> halfBits = Vector256.Create(_halfQuantum);
            aboveHalf = Vector256.GreaterThan(r, halfBits);
            half = Vector256.Equals(r, halfBits);
            inexact = ~Vector256.Equals(r, Vector256<uint>.Zero);
            lowerOdd = Vector256.Equals(i & one, one);
            lo = Vector256.ShiftLeft(i, _fixedShift);
            hi = Vector256.ShiftLeft(i + one, _fixedShift);
            big = Vector256<uint>.Zero;
        }
        else
        {
            // c = 2^(q + 23) where 2^q is the grid quantum at |x|: a + c rounds |x| to a multiple of 2^q (hardware RNE, exact
            // otherwise), since a < c/2 and the sum lies in [c, 2c) whose ulp is 2^q. The ulp of the sum is the quantum itself,
            // so lo and hi = lo + q are exact, and the parity of (lo + c)'s last bit is the parity of lo's significand.
            Vector256<uint> field = Vector256.ShiftRightLogical(absBits, 23);
            Vector256<uint> clamped = Vector256.Min(Vector256.Max(field, Vector256.Create(_minField)), Vector256.Create(_maxFieldPlusOne));
            Vector256<uint> cField = clamped + Vector256.Create(_cFieldOffset);
            cField = Vector256.ConditionalSelect(Vector256.LessThan(field, Vector256.Create(_minField)) & Vector256.Create(_ftzMask), Vector256.Create(_ftzCField), cField);
            Vector256<float> c = Vector256.ShiftLeft(cField, 23).AsSingle();
            Vector256<float> s = a + c;
            Vector256<float> t = s - c;
            Vector256<float> q = (s.AsUInt32() + one).AsSingle() - s;
            Vector256<float> low = Vector256.ConditionalSelect(Vector256.GreaterThan(t, a), t - q, t);
            Vector256<float> twiceRemainder = (a - low) + (a - low);
            aboveHalf = Vector256.GreaterThan(twiceRemainder, q).AsUInt32();
            half = Vector256.Equals(twiceRemainder, q).AsUInt32();
            inexact = Vector256.GreaterThan(a, low).AsUInt32();
            lowerOdd = Vector256.Equals((low + c).AsUInt32() & one, one);
            lo = low.AsUInt32();
            hi = (low + q).AsUInt32();
            big = Vector256.GreaterThanOrEqual(absBits, Vector256.Create(_bigBits));
        }

        Vector256<uint> up = TMode.Up(aboveHalf, half, inexact, lowerOdd, negative);
        Vector256<uint> magnitude = Vector256.ConditionalSelect(up, hi, lo);
        Vector256<uint> overflow = Vector256.GreaterThan(magnitude.AsSingle(), Vector256.Create(_max)).AsUInt32() | big;
        magnitude = Vector256.ConditionalSelect(overflow, Vector256.ConditionalSelect(negative, Vector256.Create(_overflowNegative), Vector256.Create(_overflowPositive)), magnitude);
        Vector256<uint> result = magnitude | sign;
        result = Vector256.ConditionalSelect(Vector256.Equals(magnitude, Vector256<uint>.Zero), sign & Vector256.Create(_zeroSignMask), result);
        result = Vector256.ConditionalSelect(
            Vector256.Equals(absBits, Vector256.Create(InfinityBits)), Vector256.ConditionalSelect(negative, Vector256.Create(_infinityNegative), Vector256.Create(_infinityPositive)), result);
        Vector256<uint> nanResult = _nanToCode
            ? Vector256.ConditionalSelect(negative, Vector256.Create(_nanNegative), Vector256.Create(_nanPositive))
            : bits | Vector256.Create(QuietBit);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(absBits, Vector256.Create(InfinityBits)), nanResult, result).AsSingle();
    }

    /// <summary>The Vector512 body: the same text as the other widths (see <see cref="Invoke(float)"/> for the reference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> sign = bits & Vector512.Create(SignMask);
        Vector512<uint> absBits = bits & Vector512.Create(AbsMask);
        Vector512<uint> negative = Vector512.ShiftRightArithmetic(bits.AsInt32(), 31).AsUInt32();
        Vector512<float> a = absBits.AsSingle();
        Vector512<uint> one = Vector512<uint>.One;
        Vector512<uint> aboveHalf, half, inexact, lowerOdd, lo, hi, big;
        if (_fixedShift != 0)
        {
            // Same quantum 2^(lsb + shift) for every binary32 input (bfloat16, tf32): round the bit pattern itself. A carry out of
            // the fraction moves into the exponent, which is the next grid value; FLT_MAX carries into the infinity pattern.
            Vector512<uint> i = Vector512.ShiftRightLogical(absBits, _fixedShift);
            Vector512<uint> r = absBits & Vector512.Create(_remainderMask);
            Vector512<uint> halfBits = Vector512.Create(_halfQuantum);
            aboveHalf = Vector512.GreaterThan(r, halfBits);
            half = Vector512.Equals(r, halfBits);
            inexact = ~Vector512.Equals(r, Vector512<uint>.Zero);
            lowerOdd = Vector512.Equals(i & one, one);
            lo = Vector512.ShiftLeft(i, _fixedShift);
            hi = Vector512.ShiftLeft(i + one, _fixedShift);
            big = Vector512<uint>.Zero;
        }
        else
        {
            // c = 2^(q + 23) where 2^q is the grid quantum at |x|: a + c rounds |x| to a multiple of 2^q (hardware RNE, exact
            // otherwise), since a < c/2 and the sum lies in [c, 2c) whose ulp is 2^q. The ulp of the sum is the quantum itself,
            // so lo and hi = lo + q are exact, and the parity of (lo + c)'s last bit is the parity of lo's significand.
            Vector512<uint> field = Vector512.ShiftRightLogical(absBits, 23);
            Vector512<uint> clamped = Vector512.Min(Vector512.Max(field, Vector512.Create(_minField)), Vector512.Create(_maxFieldPlusOne));
            Vector512<uint> cField = clamped + Vector512.Create(_cFieldOffset);
            cField = Vector512.ConditionalSelect(Vector512.LessThan(field, Vector512.Create(_minField)) & Vector512.Create(_ftzMask), Vector512.Create(_ftzCField), cField);
            Vector512<float> c = Vector512.ShiftLeft(cField, 23).AsSingle();
            Vector512<float> s = a + c;
            Vector512<float> t = s - c;
            Vector512<float> q = (s.AsUInt32() + one).AsSingle() - s;
            Vector512<float> low = Vector512.ConditionalSelect(Vector512.GreaterThan(t, a), t - q, t);
            Vector512<float> twiceRemainder = (a - low) + (a - low);
            aboveHalf = Vector512.GreaterThan(twiceRemainder, q).AsUInt32();
            half = Vector512.Equals(twiceRemainder, q).AsUInt32();
            inexact = Vector512.GreaterThan(a, low).AsUInt32();
            lowerOdd = Vector512.Equals((low + c).AsUInt32() & one, one);
            lo = low.AsUInt32();
            hi = (low + q).AsUInt32();
            big = Vector512.GreaterThanOrEqual(absBits, Vector512.Create(_bigBits));
        }

        Vector512<uint> up = TMode.Up(aboveHalf, half, inexact, lowerOdd, negative);
        Vector512<uint> magnitude = Vector512.ConditionalSelect(up, hi, lo);
        Vector512<uint> overflow = Vector512.GreaterThan(magnitude.AsSingle(), Vector512.Create(_max)).AsUInt32() | big;
        magnitude = Vector512.ConditionalSelect(overflow, Vector512.ConditionalSelect(negative, Vector512.Create(_overflowNegative), Vector512.Create(_overflowPositive)), magnitude);
        Vector512<uint> result = magnitude | sign;
        result = Vector512.ConditionalSelect(Vector512.Equals(magnitude, Vector512<uint>.Zero), sign & Vector512.Create(_zeroSignMask), result);
        result = Vector512.ConditionalSelect(
            Vector512.Equals(absBits, Vector512.Create(InfinityBits)), Vector512.ConditionalSelect(negative, Vector512.Create(_infinityNegative), Vector512.Create(_infinityPositive)), result);
        Vector512<uint> nanResult = _nanToCode
            ? Vector512.ConditionalSelect(negative, Vector512.Create(_nanNegative), Vector512.Create(_nanPositive))
            : bits | Vector512.Create(QuietBit);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(absBits, Vector512.Create(InfinityBits)), nanResult, result).AsSingle();
    }
}
