// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// Rounds binary64 lanes to a <see cref="FloatFormat"/> in any mode, stochastic ones included, exactly as
/// <see cref="FloatFormat.RoundCore"/> does (the scalar reference, <see cref="Invoke(double, ulong)"/>). Binary32 spans use it
/// through an exact widening (see <see cref="WideDriver"/>). Built once per call, outside the loop.
/// </summary>
/// <remarks>
/// <para>
/// In the target's normal range every binary64 value drops the same 52 − m fraction bits, so the lower neighbour, the remainder
/// and the rounding flags are read off the bit pattern with constant masks; the next neighbour is the lower one plus one quantum
/// in the bit pattern (a carry moves into the exponent, the next grid value). Below the target's min normal the quantum q is a
/// constant: adding c = q·2^52 rounds the magnitude to a multiple of q, and the remainder a − low is exact. Lanes below the min
/// normal and special lanes are rare in most data: their selects run only when a vector holds one.
/// </para>
/// <para>
/// Stochastic rounding compares the lane's random word with floor(f·2^64), f the remainder over the gap, as the scalar
/// reference does: in the normal range that threshold is the dropped bits shifted to the top of the word, below it the exact
/// product remainder · 2^64 / q converted to an integer (truncating, which is the floor).
/// </para>
/// </remarks>
internal readonly struct WideRoundOperator<TRule>
    where TRule : struct, IWideRoundingRule
{
    private const ulong SignMask = 0x8000_0000_0000_0000;
    private const ulong AbsMask = 0x7FFF_FFFF_FFFF_FFFF;
    private const ulong InfinityBits = 0x7FF0_0000_0000_0000;

    private readonly FloatFormat _format;
    private readonly OverflowMode _overflow;
    private readonly int _shift;
    private readonly ulong _remainderMask;
    private readonly ulong _halfBits;
    private readonly ulong _quantumBits;
    private readonly ulong _minNormalBits;
    private readonly double _quantum;
    private readonly double _halfQuantum;
    private readonly double _magic;
    private readonly double _thresholdScale1;
    private readonly double _thresholdScale2;
    private readonly double _max;
    private readonly ulong _overflowPositive;
    private readonly ulong _overflowNegative;
    private readonly ulong _infinityPositive;
    private readonly ulong _infinityNegative;
    private readonly bool _nanToCode;
    private readonly ulong _nanPositive;
    private readonly ulong _nanNegative;
    private readonly ulong _zeroSignMask;

    public WideRoundOperator(FloatFormat format, OverflowMode overflow)
    {
        _format = format;
        _overflow = overflow;
        int m = format.MantissaBits;
        _shift = 52 - m;
        _remainderMask = (1UL << _shift) - 1;
        _halfBits = 1UL << (_shift - 1);
        _quantumBits = 1UL << _shift;
        _minNormalBits = BitConverter.DoubleToUInt64Bits(format.MinNormal);
        int quantumExponent = format.HasSubnormals ? format.MinExponent - m : format.MinExponent;
        _quantum = Math.ScaleB(1.0, quantumExponent);
        _halfQuantum = Math.ScaleB(1.0, quantumExponent - 1);
        _magic = Math.ScaleB(1.0, quantumExponent + 52);
        int scale = 64 - quantumExponent;
        _thresholdScale1 = Math.ScaleB(1.0, scale / 2);
        _thresholdScale2 = Math.ScaleB(1.0, scale - (scale / 2));

        // The constants come from the scalar reference itself, so the vector bodies cannot disagree with it on specials.
        _max = format.MaxFinite;
        _overflowPositive = Bits(format.OverflowMagnitude(false, TRule.Mode, overflow)) & AbsMask;
        _overflowNegative = Bits(format.OverflowMagnitude(true, TRule.Mode, overflow)) & AbsMask;
        _infinityPositive = Bits(format.RoundCore(double.PositiveInfinity, TRule.Mode, overflow, 0));
        _infinityNegative = Bits(format.RoundCore(double.NegativeInfinity, TRule.Mode, overflow, 0));
        _nanToCode = format.SpecialValues == SpecialValueEncoding.FiniteOnly;
        _nanPositive = Bits(format.RoundCore(BitConverter.UInt64BitsToDouble(0x7FF8_0000_0000_0000), TRule.Mode, overflow, 0));
        _nanNegative = Bits(format.RoundCore(BitConverter.UInt64BitsToDouble(0xFFF8_0000_0000_0000), TRule.Mode, overflow, 0));
        _zeroSignMask = format.HasNegativeZero ? SignMask : 0;
    }

    /// <summary>Whether a format can use this kernel (otherwise the span API runs the scalar reference).</summary>
    internal static bool Supports(FloatFormat format)
    {
        int m = format.MantissaBits;
        int quantumExponent = format.HasSubnormals ? format.MinExponent - m : format.MinExponent;
        return format.IsSigned && format.HasZero && m >= 1 && m <= 51
            && format.MinExponent >= -1022 && quantumExponent >= -1073 && quantumExponent <= 60;
    }

    private static ulong Bits(double value) => BitConverter.DoubleToUInt64Bits(value);

    /// <summary>The scalar reference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Invoke(double x, ulong random) => _format.RoundCore(x, TRule.Mode, _overflow, random);

    /// <summary>The Vector128 body: the same text as the other widths (see <see cref="Invoke(double, ulong)"/> for the reference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Invoke(Vector128<double> x, Vector128<ulong> random)
    {
        Vector128<ulong> bits = x.AsUInt64();
        Vector128<ulong> sign = bits & Vector128.Create(SignMask);
        Vector128<ulong> absBits = bits & Vector128.Create(AbsMask);
        Vector128<ulong> negative = Vector128.Equals(sign, Vector128.Create(SignMask));
        Vector128<ulong> zero = Vector128<ulong>.Zero;

        // The target's normal range: a fixed number of dropped bits, rounded on the bit pattern (a carry moves into the exponent).
        Vector128<ulong> r = absBits & Vector128.Create(_remainderMask);
        Vector128<ulong> halfBits = Vector128.Create(_halfBits);
        Vector128<ulong> aboveHalf = Vector128.GreaterThan(r, halfBits);
        Vector128<ulong> half = Vector128.Equals(r, halfBits);
        Vector128<ulong> inexact = ~Vector128.Equals(r, zero);
        Vector128<ulong> lo = absBits - r;
        Vector128<ulong> lowerOdd = ~Vector128.Equals(lo & Vector128.Create(_quantumBits), zero);
        Vector128<ulong> hi = lo + Vector128.Create(_quantumBits);
        Vector128<ulong> threshold = TRule.Mode == RoundingMode.Stochastic ? Vector128.ShiftLeft(r, 64 - _shift) : zero;

        Vector128<ulong> below = Vector128.LessThan(absBits, Vector128.Create(_minNormalBits));
        if (!Vector128.EqualsAll(below, zero))
        {
            // Below the min normal the quantum q is constant: a + c (c = q·2^52) rounds |x| to a multiple of q, and the rest is exact.
            Vector128<double> a = absBits.AsDouble();
            Vector128<double> c = Vector128.Create(_magic);
            Vector128<double> q = Vector128.Create(_quantum);
            Vector128<double> t = (a + c) - c;
            Vector128<double> low = Vector128.ConditionalSelect(Vector128.GreaterThan(t, a), t - q, t);
            Vector128<double> remainder = a - low;
            Vector128<double> halfQuantum = Vector128.Create(_halfQuantum);
            aboveHalf = Vector128.ConditionalSelect(below, Vector128.GreaterThan(remainder, halfQuantum).AsUInt64(), aboveHalf);
            half = Vector128.ConditionalSelect(below, Vector128.Equals(remainder, halfQuantum).AsUInt64(), half);
            inexact = Vector128.ConditionalSelect(below, Vector128.GreaterThan(remainder, Vector128<double>.Zero).AsUInt64(), inexact);
            lowerOdd = Vector128.ConditionalSelect(below, ~Vector128.Equals((low + c).AsUInt64() & Vector128<ulong>.One, zero), lowerOdd);
            lo = Vector128.ConditionalSelect(below, low.AsUInt64(), lo);
            hi = Vector128.ConditionalSelect(below, (low + q).AsUInt64(), hi);
            if (TRule.Mode == RoundingMode.Stochastic)
            {
                Vector128<ulong> scaled = Vector128.ConvertToUInt64(remainder * Vector128.Create(_thresholdScale1) * Vector128.Create(_thresholdScale2));
                threshold = Vector128.ConditionalSelect(below, scaled, threshold);
            }
        }

        Vector128<ulong> up = TRule.Up(aboveHalf, half, inexact, lowerOdd, negative, random, threshold);
        Vector128<ulong> magnitude = Vector128.ConditionalSelect(up, hi, lo);
        Vector128<ulong> overflow = Vector128.GreaterThan(magnitude.AsDouble(), Vector128.Create(_max)).AsUInt64();
        magnitude = Vector128.ConditionalSelect(overflow, Vector128.ConditionalSelect(negative, Vector128.Create(_overflowNegative), Vector128.Create(_overflowPositive)), magnitude);
        Vector128<ulong> result = magnitude | sign;
        result = Vector128.ConditionalSelect(Vector128.Equals(magnitude, zero), sign & Vector128.Create(_zeroSignMask), result);
        Vector128<ulong> special = Vector128.GreaterThanOrEqual(absBits, Vector128.Create(InfinityBits));
        if (!Vector128.EqualsAll(special, zero))
        {
            result = Vector128.ConditionalSelect(
                Vector128.Equals(absBits, Vector128.Create(InfinityBits)), Vector128.ConditionalSelect(negative, Vector128.Create(_infinityNegative), Vector128.Create(_infinityPositive)), result);
            Vector128<ulong> nanResult = _nanToCode ? Vector128.ConditionalSelect(negative, Vector128.Create(_nanNegative), Vector128.Create(_nanPositive)) : bits;
            result = Vector128.ConditionalSelect(Vector128.GreaterThan(absBits, Vector128.Create(InfinityBits)), nanResult, result);
        }

        return result.AsDouble();
    }

    /// <summary>The Vector256 body: the same text as the other widths (see <see cref="Invoke(double, ulong)"/> for the reference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Invoke(Vector256<double> x, Vector256<ulong> random)
    {
        Vector256<ulong> bits = x.AsUInt64();
        Vector256<ulong> sign = bits & Vector256.Create(SignMask);
        Vector256<ulong> absBits = bits & Vector256.Create(AbsMask);
        Vector256<ulong> negative = Vector256.Equals(sign, Vector256.Create(SignMask));
        Vector256<ulong> zero = Vector256<ulong>.Zero;

        // The target's normal range: a fixed number of dropped bits, rounded on the bit pattern (a carry moves into the exponent).
        Vector256<ulong> r = absBits & Vector256.Create(_remainderMask);
        Vector256<ulong> halfBits = Vector256.Create(_halfBits);
        Vector256<ulong> aboveHalf = Vector256.GreaterThan(r, halfBits);
        Vector256<ulong> half = Vector256.Equals(r, halfBits);
        Vector256<ulong> inexact = ~Vector256.Equals(r, zero);
        Vector256<ulong> lo = absBits - r;
        Vector256<ulong> lowerOdd = ~Vector256.Equals(lo & Vector256.Create(_quantumBits), zero);
        Vector256<ulong> hi = lo + Vector256.Create(_quantumBits);
        Vector256<ulong> threshold = TRule.Mode == RoundingMode.Stochastic ? Vector256.ShiftLeft(r, 64 - _shift) : zero;

        Vector256<ulong> below = Vector256.LessThan(absBits, Vector256.Create(_minNormalBits));
        if (!Vector256.EqualsAll(below, zero))
        {
            // Below the min normal the quantum q is constant: a + c (c = q·2^52) rounds |x| to a multiple of q, and the rest is exact.
            Vector256<double> a = absBits.AsDouble();
            Vector256<double> c = Vector256.Create(_magic);
            Vector256<double> q = Vector256.Create(_quantum);
            Vector256<double> t = (a + c) - c;
            Vector256<double> low = Vector256.ConditionalSelect(Vector256.GreaterThan(t, a), t - q, t);
            Vector256<double> remainder = a - low;
            Vector256<double> halfQuantum = Vector256.Create(_halfQuantum);
            aboveHalf = Vector256.ConditionalSelect(below, Vector256.GreaterThan(remainder, halfQuantum).AsUInt64(), aboveHalf);
            half = Vector256.ConditionalSelect(below, Vector256.Equals(remainder, halfQuantum).AsUInt64(), half);
            inexact = Vector256.ConditionalSelect(below, Vector256.GreaterThan(remainder, Vector256<double>.Zero).AsUInt64(), inexact);
            lowerOdd = Vector256.ConditionalSelect(below, ~Vector256.Equals((low + c).AsUInt64() & Vector256<ulong>.One, zero), lowerOdd);
            lo = Vector256.ConditionalSelect(below, low.AsUInt64(), lo);
            hi = Vector256.ConditionalSelect(below, (low + q).AsUInt64(), hi);
            if (TRule.Mode == RoundingMode.Stochastic)
            {
                Vector256<ulong> scaled = Vector256.ConvertToUInt64(remainder * Vector256.Create(_thresholdScale1) * Vector256.Create(_thresholdScale2));
                threshold = Vector256.ConditionalSelect(below, scaled, threshold);
            }
        }

        Vector256<ulong> up = TRule.Up(aboveHalf, half, inexact, lowerOdd, negative, random, threshold);
        Vector256<ulong> magnitude = Vector256.ConditionalSelect(up, hi, lo);
        Vector256<ulong> overflow = Vector256.GreaterThan(magnitude.AsDouble(), Vector256.Create(_max)).AsUInt64();
        magnitude = Vector256.ConditionalSelect(overflow, Vector256.ConditionalSelect(negative, Vector256.Create(_overflowNegative), Vector256.Create(_overflowPositive)), magnitude);
        Vector256<ulong> result = magnitude | sign;
        result = Vector256.ConditionalSelect(Vector256.Equals(magnitude, zero), sign & Vector256.Create(_zeroSignMask), result);
        Vector256<ulong> special = Vector256.GreaterThanOrEqual(absBits, Vector256.Create(InfinityBits));
        if (!Vector256.EqualsAll(special, zero))
        {
            result = Vector256.ConditionalSelect(
                Vector256.Equals(absBits, Vector256.Create(InfinityBits)), Vector256.ConditionalSelect(negative, Vector256.Create(_infinityNegative), Vector256.Create(_infinityPositive)), result);
            Vector256<ulong> nanResult = _nanToCode ? Vector256.ConditionalSelect(negative, Vector256.Create(_nanNegative), Vector256.Create(_nanPositive)) : bits;
            result = Vector256.ConditionalSelect(Vector256.GreaterThan(absBits, Vector256.Create(InfinityBits)), nanResult, result);
        }

        return result.AsDouble();
    }

    /// <summary>The Vector512 body: the same text as the other widths (see <see cref="Invoke(double, ulong)"/> for the reference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Invoke(Vector512<double> x, Vector512<ulong> random)
    {
        Vector512<ulong> bits = x.AsUInt64();
        Vector512<ulong> sign = bits & Vector512.Create(SignMask);
        Vector512<ulong> absBits = bits & Vector512.Create(AbsMask);
        Vector512<ulong> negative = Vector512.Equals(sign, Vector512.Create(SignMask));
        Vector512<ulong> zero = Vector512<ulong>.Zero;

        // The target's normal range: a fixed number of dropped bits, rounded on the bit pattern (a carry moves into the exponent).
        Vector512<ulong> r = absBits & Vector512.Create(_remainderMask);
        Vector512<ulong> halfBits = Vector512.Create(_halfBits);
        Vector512<ulong> aboveHalf = Vector512.GreaterThan(r, halfBits);
        Vector512<ulong> half = Vector512.Equals(r, halfBits);
        Vector512<ulong> inexact = ~Vector512.Equals(r, zero);
        Vector512<ulong> lo = absBits - r;
        Vector512<ulong> lowerOdd = ~Vector512.Equals(lo & Vector512.Create(_quantumBits), zero);
        Vector512<ulong> hi = lo + Vector512.Create(_quantumBits);
        Vector512<ulong> threshold = TRule.Mode == RoundingMode.Stochastic ? Vector512.ShiftLeft(r, 64 - _shift) : zero;

        Vector512<ulong> below = Vector512.LessThan(absBits, Vector512.Create(_minNormalBits));
        if (!Vector512.EqualsAll(below, zero))
        {
            // Below the min normal the quantum q is constant: a + c (c = q·2^52) rounds |x| to a multiple of q, and the rest is exact.
            Vector512<double> a = absBits.AsDouble();
            Vector512<double> c = Vector512.Create(_magic);
            Vector512<double> q = Vector512.Create(_quantum);
            Vector512<double> t = (a + c) - c;
            Vector512<double> low = Vector512.ConditionalSelect(Vector512.GreaterThan(t, a), t - q, t);
            Vector512<double> remainder = a - low;
            Vector512<double> halfQuantum = Vector512.Create(_halfQuantum);
            aboveHalf = Vector512.ConditionalSelect(below, Vector512.GreaterThan(remainder, halfQuantum).AsUInt64(), aboveHalf);
            half = Vector512.ConditionalSelect(below, Vector512.Equals(remainder, halfQuantum).AsUInt64(), half);
            inexact = Vector512.ConditionalSelect(below, Vector512.GreaterThan(remainder, Vector512<double>.Zero).AsUInt64(), inexact);
            lowerOdd = Vector512.ConditionalSelect(below, ~Vector512.Equals((low + c).AsUInt64() & Vector512<ulong>.One, zero), lowerOdd);
            lo = Vector512.ConditionalSelect(below, low.AsUInt64(), lo);
            hi = Vector512.ConditionalSelect(below, (low + q).AsUInt64(), hi);
            if (TRule.Mode == RoundingMode.Stochastic)
            {
                Vector512<ulong> scaled = Vector512.ConvertToUInt64(remainder * Vector512.Create(_thresholdScale1) * Vector512.Create(_thresholdScale2));
                threshold = Vector512.ConditionalSelect(below, scaled, threshold);
            }
        }

        Vector512<ulong> up = TRule.Up(aboveHalf, half, inexact, lowerOdd, negative, random, threshold);
        Vector512<ulong> magnitude = Vector512.ConditionalSelect(up, hi, lo);
        Vector512<ulong> overflow = Vector512.GreaterThan(magnitude.AsDouble(), Vector512.Create(_max)).AsUInt64();
        magnitude = Vector512.ConditionalSelect(overflow, Vector512.ConditionalSelect(negative, Vector512.Create(_overflowNegative), Vector512.Create(_overflowPositive)), magnitude);
        Vector512<ulong> result = magnitude | sign;
        result = Vector512.ConditionalSelect(Vector512.Equals(magnitude, zero), sign & Vector512.Create(_zeroSignMask), result);
        Vector512<ulong> special = Vector512.GreaterThanOrEqual(absBits, Vector512.Create(InfinityBits));
        if (!Vector512.EqualsAll(special, zero))
        {
            result = Vector512.ConditionalSelect(
                Vector512.Equals(absBits, Vector512.Create(InfinityBits)), Vector512.ConditionalSelect(negative, Vector512.Create(_infinityNegative), Vector512.Create(_infinityPositive)), result);
            Vector512<ulong> nanResult = _nanToCode ? Vector512.ConditionalSelect(negative, Vector512.Create(_nanNegative), Vector512.Create(_nanPositive)) : bits;
            result = Vector512.ConditionalSelect(Vector512.GreaterThan(absBits, Vector512.Create(InfinityBits)), nanResult, result);
        }

        return result.AsDouble();
    }
}
