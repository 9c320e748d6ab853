// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// The stochastic modes on binary32 lanes whose values lie in the target's normal range (or above it): the common case of
/// <see cref="WideDriver"/>'s binary32 stochastic path, in 32-bit lanes. Blocks with a lane below the min normal, ±∞ or NaN
/// (see <see cref="IsRare(Vector512{float})"/>) go to <see cref="WideRoundOperator{TRule}"/> instead.
/// </summary>
/// <remarks>
/// In the target's normal range a binary32 value drops s = 23 − m bits r, so the stochastic threshold of the scalar reference,
/// floor(r / 2^s · 2^64) = r · 2^(64 − s), has 64 − s ≥ 42 low zero bits: the random word w is below it iff the high half
/// of w is below r · 2^(32 − s). Only the high 32 bits of each word are needed, and the comparison is exact.
/// <see cref="RoundingMode.StochasticUniform"/> reads the top bit of the word, also in the high half.
/// </remarks>
internal readonly struct NarrowStochasticOperator<TRule>
    where TRule : struct, IWideRoundingRule
{
    private const uint SignMask = 0x8000_0000;
    private const uint AbsMask = 0x7FFF_FFFF;
    private const uint InfinityBits = 0x7F80_0000;

    private readonly int _shift;
    private readonly uint _remainderMask;
    private readonly uint _quantumBits;
    private readonly uint _minNormalBits;
    private readonly uint _maxBits;
    private readonly uint _overflowMagnitude;

    public NarrowStochasticOperator(FloatFormat format, OverflowMode overflow)
    {
        int m = format.MantissaBits;
        _shift = 23 - m;
        _remainderMask = (1u << _shift) - 1;
        _quantumBits = 1u << _shift;
        _minNormalBits = BitConverter.SingleToUInt32Bits((float)format.MinNormal);
        _maxBits = BitConverter.SingleToUInt32Bits((float)format.MaxFinite);

        // The stochastic modes never round toward zero on overflow, so the overflow magnitude does not depend on the sign.
        _overflowMagnitude = BitConverter.SingleToUInt32Bits((float)format.OverflowMagnitude(false, TRule.Mode, overflow)) & AbsMask;
    }

    /// <summary>Whether a format can use this kernel: as <see cref="FastRneRoundOperator.Supports"/> (every value a binary32 value).</summary>
    internal static bool Supports(FloatFormat format) => FastRneRoundOperator.Supports(format) && TRule.Mode >= RoundingMode.Stochastic;

    /// <summary>Whether a Vector128 block holds a lane below the min normal, ±∞ or NaN (the driver then runs the binary64-lane kernel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsRare(Vector128<float> x) =>
        Vector128.GreaterThanOrEqualAny((x.AsUInt32() & Vector128.Create(AbsMask)) - Vector128.Create(_minNormalBits), Vector128.Create(InfinityBits - _minNormalBits));

    /// <summary>The Vector128 body for blocks without rare lanes: the same text as the other widths.</summary>
    /// <param name="x">The values (every lane in the target's normal range or above it, finite).</param>
    /// <param name="high">The high 32 bits of each lane's random word.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<uint> high)
    {
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> f = bits & Vector128.Create(AbsMask);
        Vector128<uint> sign = bits & Vector128.Create(SignMask);
        Vector128<uint> r = f & Vector128.Create(_remainderMask);
        Vector128<uint> inexact = ~Vector128.Equals(r, Vector128<uint>.Zero);
        Vector128<uint> up = TRule.Mode == RoundingMode.Stochastic
            ? inexact & Vector128.LessThan(high, Vector128.ShiftLeft(r, 32 - _shift))
            : inexact & Vector128.LessThan(high.AsInt32(), Vector128<int>.Zero).AsUInt32();
        Vector128<uint> magnitude = (f - r) + (up & Vector128.Create(_quantumBits));
        magnitude = Vector128.ConditionalSelect(Vector128.GreaterThan(magnitude, Vector128.Create(_maxBits)), Vector128.Create(_overflowMagnitude), magnitude);
        return (magnitude | sign).AsSingle(); // never zero: every lane is at least the min normal
    }

    /// <summary>Whether a Vector256 block holds a lane below the min normal, ±∞ or NaN (the driver then runs the binary64-lane kernel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsRare(Vector256<float> x) =>
        Vector256.GreaterThanOrEqualAny((x.AsUInt32() & Vector256.Create(AbsMask)) - Vector256.Create(_minNormalBits), Vector256.Create(InfinityBits - _minNormalBits));

    /// <summary>The Vector256 body for blocks without rare lanes: the same text as the other widths.</summary>
    /// <param name="x">The values (every lane in the target's normal range or above it, finite).</param>
    /// <param name="high">The high 32 bits of each lane's random word.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<uint> high)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> f = bits & Vector256.Create(AbsMask);
        Vector256<uint> sign = bits & Vector256.Create(SignMask);
        Vector256<uint> r = f & Vector256.Create(_remainderMask);
        Vector256<uint> inexact = ~Vector256.Equals(r, Vector256<uint>.Zero);
        Vector256<uint> up = TRule.Mode == RoundingMode.Stochastic
            ? inexact & Vector256.LessThan(high, Vector256.ShiftLeft(r, 32 - _shift))
            : inexact & Vector256.LessThan(high.AsInt32(), Vector256<int>.Zero).AsUInt32();
        Vector256<uint> magnitude = (f - r) + (up & Vector256.Create(_quantumBits));
        magnitude = Vector256.ConditionalSelect(Vector256.GreaterThan(magnitude, Vector256.Create(_maxBits)), Vector256.Create(_overflowMagnitude), magnitude);
        return (magnitude | sign).AsSingle(); // never zero: every lane is at least the min normal
    }

    /// <summary>Whether a Vector512 block holds a lane below the min normal, ±∞ or NaN (the driver then runs the binary64-lane kernel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsRare(Vector512<float> x) =>
        Vector512.GreaterThanOrEqualAny((x.AsUInt32() & Vector512.Create(AbsMask)) - Vector512.Create(_minNormalBits), Vector512.Create(InfinityBits - _minNormalBits));

    /// <summary>The Vector512 body for blocks without rare lanes: the same text as the other widths.</summary>
    /// <param name="x">The values (every lane in the target's normal range or above it, finite).</param>
    /// <param name="high">The high 32 bits of each lane's random word.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<uint> high)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> f = bits & Vector512.Create(AbsMask);
        Vector512<uint> sign = bits & Vector512.Create(SignMask);
        Vector512<uint> r = f & Vector512.Create(_remainderMask);
        Vector512<uint> inexact = ~Vector512.Equals(r, Vector512<uint>.Zero);
        Vector512<uint> up = TRule.Mode == RoundingMode.Stochastic
            ? inexact & Vector512.LessThan(high, Vector512.ShiftLeft(r, 32 - _shift))
            : inexact & Vector512.LessThan(high.AsInt32(), Vector512<int>.Zero).AsUInt32();
        Vector512<uint> magnitude = (f - r) + (up & Vector512.Create(_quantumBits));
        magnitude = Vector512.ConditionalSelect(Vector512.GreaterThan(magnitude, Vector512.Create(_maxBits)), Vector512.Create(_overflowMagnitude), magnitude);
        return (magnitude | sign).AsSingle(); // never zero: every lane is at least the min normal
    }
}
