// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Numerics.Formats;

namespace Numerics.Emulation.Internal;

/// <summary>A rounding mode as a type argument, so the fixed-point bodies are compiled once per mode (no branch on the enum in a loop).</summary>
internal interface IFixedPointRounding
{
    /// <summary>Gets the mode.</summary>
    static abstract RoundingMode Mode { get; }
}

/// <summary>The <see cref="RoundingMode.NearestEven"/> marker.</summary>
internal readonly struct FixedNearestEven : IFixedPointRounding
{
    public static RoundingMode Mode => RoundingMode.NearestEven;
}

/// <summary>The <see cref="RoundingMode.NearestAway"/> marker.</summary>
internal readonly struct FixedNearestAway : IFixedPointRounding
{
    public static RoundingMode Mode => RoundingMode.NearestAway;
}

/// <summary>The <see cref="RoundingMode.NearestTowardZero"/> marker.</summary>
internal readonly struct FixedNearestTowardZero : IFixedPointRounding
{
    public static RoundingMode Mode => RoundingMode.NearestTowardZero;
}

/// <summary>The <see cref="RoundingMode.TowardZero"/> marker.</summary>
internal readonly struct FixedTowardZero : IFixedPointRounding
{
    public static RoundingMode Mode => RoundingMode.TowardZero;
}

/// <summary>The <see cref="RoundingMode.TowardPositive"/> marker.</summary>
internal readonly struct FixedTowardPositive : IFixedPointRounding
{
    public static RoundingMode Mode => RoundingMode.TowardPositive;
}

/// <summary>The <see cref="RoundingMode.TowardNegative"/> marker.</summary>
internal readonly struct FixedTowardNegative : IFixedPointRounding
{
    public static RoundingMode Mode => RoundingMode.TowardNegative;
}

/// <summary>The <see cref="RoundingMode.ToOdd"/> marker.</summary>
internal readonly struct FixedToOdd : IFixedPointRounding
{
    public static RoundingMode Mode => RoundingMode.ToOdd;
}

/// <summary>The <see cref="RoundingMode.Stochastic"/> marker.</summary>
internal readonly struct FixedStochastic : IFixedPointRounding
{
    public static RoundingMode Mode => RoundingMode.Stochastic;
}

/// <summary>The <see cref="RoundingMode.StochasticUniform"/> marker.</summary>
internal readonly struct FixedStochasticUniform : IFixedPointRounding
{
    public static RoundingMode Mode => RoundingMode.StochasticUniform;
}

/// <summary>
/// The vectorized body of <see cref="FixedPointChopper"/>: the scalar reference's steps (scale by 2^f, floor, remainder, the
/// mode's decision, range check, saturation or wrap, scale back) on binary64 lanes, every operation exact as in the reference,
/// so each lane is bit-identical to <see cref="FixedPointChopper.Chop(double, long)"/>. Float storage widens exactly to
/// binary64 and narrows back, as the reference does, except in the deterministic modes, which run the same steps in binary32
/// lanes (exact there too, see <see cref="InvokeSingle(Vector128{float})"/>). The stochastic modes read the word
/// <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, element index) lane by lane.
/// </summary>
/// <typeparam name="TMode">The rounding mode marker.</typeparam>
[SkipLocalsInit]
internal readonly struct FixedPointOperator<TMode>
    where TMode : struct, IFixedPointRounding
{
    private const ulong SignMask = 0x8000_0000_0000_0000;
    private const ulong AbsMask = 0x7FFF_FFFF_FFFF_FFFF;
    private const ulong InfinityBits = 0x7FF0_0000_0000_0000;
    private const double TwoPow52 = 4503599627370496.0;
    private const double TwoPow64 = 18446744073709551616.0;
    private const uint SingleSignMask = 0x8000_0000;
    private const uint SingleAbsMask = 0x7FFF_FFFF;
    private const uint SingleInfinityBits = 0x7F80_0000;
    private const float TwoPow23 = 8388608.0f;

    /// <summary>What the scalar reference's (float)double.NaN gives: the float NaN with the same sign and top payload.</summary>
    private static readonly float s_singleNaN = (float)double.NaN;

    private readonly FixedPointChopper _chopper;
    private readonly bool _wrap;
    private readonly double _scaleUp;
    private readonly double _scaleDown;
    private readonly double _minCode;
    private readonly double _maxCode;
    private readonly double _saturationBound;
    private readonly double _period;
    private readonly double _inversePeriod;
    private readonly double _codePeriod;
    private readonly double _inverseCodePeriod;
    private readonly double _signedLimit;
    private readonly ulong _streamKey;

    // The binary32 copies for InvokeSingle (all exact: the format is at most 24 bits wide when float storage is allowed).
    private readonly float _scaleUpSingle;
    private readonly float _scaleDownSingle;
    private readonly float _minCodeSingle;
    private readonly float _maxCodeSingle;
    private readonly float _saturationBoundSingle;
    private readonly float _periodSingle;
    private readonly float _inversePeriodSingle;
    private readonly float _codePeriodSingle;
    private readonly float _inverseCodePeriodSingle;
    private readonly float _signedLimitSingle;

    /// <summary>Initializes a new instance of the <see cref="FixedPointOperator{TMode}"/> struct from a chopper's settings.</summary>
    /// <param name="chopper">The chopper (its mode must be <typeparamref name="TMode"/>'s).</param>
    public FixedPointOperator(FixedPointChopper chopper)
    {
        FixedPointFormat format = chopper.Format;
        _chopper = chopper;
        _wrap = chopper.Overflow == FixedPointOverflow.Wrap;
        _scaleUp = Math.ScaleB(1.0, format.FractionBits);
        _scaleDown = Math.ScaleB(1.0, -format.FractionBits);
        _minCode = format.MinCode;
        _maxCode = format.MaxCode;
        _saturationBound = Math.ScaleB(1.0, format.IntegerBits + 1);
        _period = Math.ScaleB(1.0, format.IntegerBits);
        _inversePeriod = Math.ScaleB(1.0, -format.IntegerBits);
        _codePeriod = Math.ScaleB(1.0, format.TotalBits);
        _inverseCodePeriod = Math.ScaleB(1.0, -format.TotalBits);
        _signedLimit = format.IsSigned ? Math.ScaleB(1.0, format.TotalBits - 1) : double.PositiveInfinity;
        _streamKey = StochasticRounding.StreamKey(chopper.Seed);
        _scaleUpSingle = (float)_scaleUp;
        _scaleDownSingle = (float)_scaleDown;
        _minCodeSingle = (float)_minCode;
        _maxCodeSingle = (float)_maxCode;
        _saturationBoundSingle = (float)_saturationBound;
        _periodSingle = (float)_period;
        _inversePeriodSingle = (float)_inversePeriod;
        _codePeriodSingle = (float)_codePeriod;
        _inverseCodePeriodSingle = (float)_inverseCodePeriod;
        _signedLimitSingle = (float)_signedLimit;
    }

    /// <summary>Rounds double storage, widest vectors first.</summary>
    public void Run(ReadOnlySpan<double> source, Span<double> destination, long firstIndex)
    {
        if (Vector512.IsHardwareAccelerated && source.Length >= Vector512<double>.Count)
        {
            Run512(source, destination, firstIndex);
        }
        else if (Vector256.IsHardwareAccelerated && source.Length >= Vector256<double>.Count)
        {
            Run256(source, destination, firstIndex);
        }
        else if (Vector128.IsHardwareAccelerated && source.Length >= Vector128<double>.Count)
        {
            Run128(source, destination, firstIndex);
        }
        else
        {
            RunScalar(source, destination, firstIndex);
        }
    }

    /// <summary>Rounds float storage, widest vectors first.</summary>
    public void Run(ReadOnlySpan<float> source, Span<float> destination, long firstIndex)
    {
        if (Vector512.IsHardwareAccelerated && source.Length >= Vector512<float>.Count)
        {
            Run512(source, destination, firstIndex);
        }
        else if (Vector256.IsHardwareAccelerated && source.Length >= Vector256<float>.Count)
        {
            Run256(source, destination, firstIndex);
        }
        else if (Vector128.IsHardwareAccelerated && source.Length >= Vector128<float>.Count)
        {
            Run128(source, destination, firstIndex);
        }
        else
        {
            RunScalar(source, destination, firstIndex);
        }
    }

    /// <summary>The scalar reference over double storage.</summary>
    internal void RunScalar(ReadOnlySpan<double> source, Span<double> destination, long firstIndex) => _chopper.RunScalar(source, destination, firstIndex);

    /// <summary>The scalar reference over float storage.</summary>
    internal void RunScalar(ReadOnlySpan<float> source, Span<float> destination, long firstIndex) => _chopper.RunScalar(source, destination, firstIndex);

    /// <summary>The Vector128 body (the same text at every width); <paramref name="start"/> is the element index of lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Invoke(Vector128<double> x, long start)
    {
        Vector128<ulong> zero = Vector128<ulong>.Zero;
        Vector128<ulong> bits = x.AsUInt64();
        Vector128<ulong> absBits = bits & Vector128.Create(AbsMask);
        Vector128<ulong> negative = Vector128.Equals(bits & Vector128.Create(SignMask), Vector128.Create(SignMask));
        Vector128<ulong> nan = Vector128.GreaterThan(absBits, Vector128.Create(InfinityBits));
        Vector128<ulong> big = Vector128.GreaterThanOrEqual(absBits.AsDouble(), Vector128.Create(_saturationBound)).AsUInt64();
        Vector128<double> ax = absBits.AsDouble();
        if (_wrap && !Vector128.EqualsAll(big, zero))
        {
            // fmod by the value period 2^i, on the magnitude: q·P is |x| with the bits below P cleared, so |x| − q·P is exact.
            // The scalar reference's fmod keeps the sign of x; the magnitude path re-applies it below, and a zero remainder has
            // no rounding to do, so its sign cannot matter.
            Vector128<double> reduced = ax - (Vector128.Truncate(ax * Vector128.Create(_inversePeriod)) * Vector128.Create(_period));
            ax = Vector128.ConditionalSelect(big.AsDouble(), reduced, ax);
        }

        Vector128<double> a = ax * Vector128.Create(_scaleUp);   // exact, as in the scalar reference
        Vector128<double> fl = Vector128.Floor(a);
        Vector128<double> fr = a - fl;
        Vector128<ulong> inexact = ~Vector128.Equals(fr, Vector128<double>.Zero).AsUInt64();

        // Parity of fl: only read when fr ≠ 0, hence a < 2^52 and fl + 2^52 holds fl in its low mantissa bits.
        Vector128<ulong> odd = ~Vector128.Equals((fl + Vector128.Create(TwoPow52)).AsUInt64() & Vector128<ulong>.One, zero);
        Vector128<double> half = Vector128.Create(0.5);
        Vector128<ulong> up;
        if (TMode.Mode == RoundingMode.NearestEven)
        {
            up = Vector128.GreaterThan(fr, half).AsUInt64() | (Vector128.Equals(fr, half).AsUInt64() & odd);
        }
        else if (TMode.Mode == RoundingMode.NearestAway)
        {
            up = Vector128.GreaterThanOrEqual(fr, half).AsUInt64();
        }
        else if (TMode.Mode == RoundingMode.NearestTowardZero)
        {
            up = Vector128.GreaterThan(fr, half).AsUInt64();
        }
        else if (TMode.Mode == RoundingMode.TowardZero)
        {
            up = zero;
        }
        else if (TMode.Mode == RoundingMode.TowardPositive)
        {
            up = inexact & ~negative;
        }
        else if (TMode.Mode == RoundingMode.TowardNegative)
        {
            up = inexact & negative;
        }
        else if (TMode.Mode == RoundingMode.ToOdd)
        {
            up = inexact & ~odd;
        }
        else if (TMode.Mode == RoundingMode.Stochastic)
        {
            // Up iff the word is below floor(fr · 2^64) (fr < 1, so the product is below 2^64 and converts by truncation).
            Vector128<ulong> threshold = Vector128.ConvertToUInt64(fr * Vector128.Create(TwoPow64));
            up = inexact & Vector128.LessThan(StochasticRounding.RandomBitsVector128(_streamKey, start), threshold);
        }
        else
        {
            up = inexact & Vector128.LessThan(StochasticRounding.RandomBitsVector128(_streamKey, start).AsInt64(), Vector128<long>.Zero).AsUInt64();
        }

        Vector128<double> magnitude = fl + (up.AsDouble() & Vector128.Create(1.0));   // fl + 0 = fl: fl ≥ 0
        Vector128<double> n = (magnitude.AsUInt64() | (negative & Vector128.Create(SignMask))).AsDouble();   // −magnitude when negative
        Vector128<double> minCode = Vector128.Create(_minCode);
        Vector128<double> maxCode = Vector128.Create(_maxCode);
        Vector128<double> end = Vector128.ConditionalSelect(negative.AsDouble(), minCode, maxCode);
        Vector128<double> inRange = Vector128.GreaterThanOrEqual(n, minCode) & Vector128.LessThanOrEqual(n, maxCode);
        Vector128<double> code = n;
        if (!Vector128.EqualsAll(inRange.AsUInt64(), Vector128<ulong>.AllBitsSet))
        {
            Vector128<double> outside;
            if (_wrap)
            {
                // n mod 2^(i+f) in [0, 2^(i+f)), all exact (|n| ≤ 2^54 and the result is an integer below 2^53), then the
                // two's complement reading of a signed code: the scalar reference's (long)n & mask with sign extension.
                Vector128<double> total = Vector128.Create(_codePeriod);
                Vector128<double> r = n - (Vector128.Floor(n * Vector128.Create(_inverseCodePeriod)) * total);
                outside = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(r, Vector128.Create(_signedLimit)), r - total, r);
            }
            else
            {
                outside = end;
            }

            code = Vector128.ConditionalSelect(inRange, n, outside);
        }

        // ±∞ (both overflow modes) and, when saturating, every |x| ≥ 2^(i+1) give the end code of their sign.
        Vector128<ulong> saturate = _wrap ? Vector128.Equals(absBits, Vector128.Create(InfinityBits)) : big;
        code = Vector128.ConditionalSelect(saturate.AsDouble(), end, code);
        Vector128<double> result = (code * Vector128.Create(_scaleDown)) + Vector128<double>.Zero;   // + 0: a zero code is +0
        return Vector128.ConditionalSelect(nan.AsDouble(), Vector128.Create(double.NaN), result);
    }

    /// <summary>
    /// The Vector128 float body of the deterministic modes: the same steps in binary32 lanes. Every operation is exact there too
    /// (the format is at most 24 bits wide, so codes, 2^(i+1), 2^(i+f) and every |x|·2^f below the saturation bound are
    /// binary32 values, and a fraction is only non-zero below 2^23), so each lane equals the narrowed binary64 result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> InvokeSingle(Vector128<float> x)
    {
        Vector128<uint> zero = Vector128<uint>.Zero;
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> absBits = bits & Vector128.Create(SingleAbsMask);
        Vector128<uint> negative = Vector128.Equals(bits & Vector128.Create(SingleSignMask), Vector128.Create(SingleSignMask));
        Vector128<uint> nan = Vector128.GreaterThan(absBits, Vector128.Create(SingleInfinityBits));
        Vector128<float> ax = absBits.AsSingle();
        Vector128<uint> big = Vector128.GreaterThanOrEqual(ax, Vector128.Create(_saturationBoundSingle)).AsUInt32();
        if (_wrap && !Vector128.EqualsAll(big, zero))
        {
            Vector128<float> reduced = ax - (Vector128.Truncate(ax * Vector128.Create(_inversePeriodSingle)) * Vector128.Create(_periodSingle));
            ax = Vector128.ConditionalSelect(big.AsSingle(), reduced, ax);
        }

        Vector128<float> a = ax * Vector128.Create(_scaleUpSingle);
        Vector128<float> fl = Vector128.Floor(a);
        Vector128<float> fr = a - fl;
        Vector128<uint> inexact = ~Vector128.Equals(fr, Vector128<float>.Zero).AsUInt32();

        // Parity of fl: only read when fr ≠ 0, hence a < 2^23 and fl + 2^23 holds fl in its low mantissa bits.
        Vector128<uint> odd = ~Vector128.Equals((fl + Vector128.Create(TwoPow23)).AsUInt32() & Vector128<uint>.One, zero);
        Vector128<float> half = Vector128.Create(0.5f);
        Vector128<uint> up;
        if (TMode.Mode == RoundingMode.NearestEven)
        {
            up = Vector128.GreaterThan(fr, half).AsUInt32() | (Vector128.Equals(fr, half).AsUInt32() & odd);
        }
        else if (TMode.Mode == RoundingMode.NearestAway)
        {
            up = Vector128.GreaterThanOrEqual(fr, half).AsUInt32();
        }
        else if (TMode.Mode == RoundingMode.NearestTowardZero)
        {
            up = Vector128.GreaterThan(fr, half).AsUInt32();
        }
        else if (TMode.Mode == RoundingMode.TowardPositive)
        {
            up = inexact & ~negative;
        }
        else if (TMode.Mode == RoundingMode.TowardNegative)
        {
            up = inexact & negative;
        }
        else if (TMode.Mode == RoundingMode.ToOdd)
        {
            up = inexact & ~odd;
        }
        else
        {
            up = zero;   // TowardZero (the stochastic modes never get here: they take the binary64 lanes for their 64-bit words)
        }

        Vector128<float> magnitude = fl + (up.AsSingle() & Vector128.Create(1.0f));
        Vector128<float> n = (magnitude.AsUInt32() | (negative & Vector128.Create(SingleSignMask))).AsSingle();
        Vector128<float> minCode = Vector128.Create(_minCodeSingle);
        Vector128<float> maxCode = Vector128.Create(_maxCodeSingle);
        Vector128<float> end = Vector128.ConditionalSelect(negative.AsSingle(), minCode, maxCode);
        Vector128<float> inRange = Vector128.GreaterThanOrEqual(n, minCode) & Vector128.LessThanOrEqual(n, maxCode);
        Vector128<float> code = n;
        if (!Vector128.EqualsAll(inRange.AsUInt32(), Vector128<uint>.AllBitsSet))
        {
            Vector128<float> outside;
            if (_wrap)
            {
                Vector128<float> total = Vector128.Create(_codePeriodSingle);
                Vector128<float> r = n - (Vector128.Floor(n * Vector128.Create(_inverseCodePeriodSingle)) * total);
                outside = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(r, Vector128.Create(_signedLimitSingle)), r - total, r);
            }
            else
            {
                outside = end;
            }

            code = Vector128.ConditionalSelect(inRange, n, outside);
        }

        Vector128<uint> saturate = _wrap ? Vector128.Equals(absBits, Vector128.Create(SingleInfinityBits)) : big;
        code = Vector128.ConditionalSelect(saturate.AsSingle(), end, code);
        Vector128<float> result = (code * Vector128.Create(_scaleDownSingle)) + Vector128<float>.Zero;
        return Vector128.ConditionalSelect(nan.AsSingle(), Vector128.Create(s_singleNaN), result);
    }

    /// <summary>The Vector128 driver over double storage, with an overlapping tail computed before any store (in-place safe).</summary>
    internal void Run128(ReadOnlySpan<double> source, Span<double> destination, long firstIndex)
    {
        ref double src = ref MemoryMarshal.GetReference(source);
        ref double dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length, w = (nuint)Vector128<double>.Count;
        if (n < w)
        {
            RunScalar(source, destination, firstIndex);
            return;
        }

        Vector128<double> tail = Invoke(Vector128.LoadUnsafe(ref src, n - w), firstIndex + (long)(n - w));
        for (nuint i = 0; i + w <= n; i += w)
        {
            Invoke(Vector128.LoadUnsafe(ref src, i), firstIndex + (long)i).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    /// <summary>The Vector128 driver over float storage: exact widening, the double body, and the narrowing the scalar path does.</summary>
    internal void Run128(ReadOnlySpan<float> source, Span<float> destination, long firstIndex)
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length, w = (nuint)Vector128<float>.Count;
        if (n < w)
        {
            RunScalar(source, destination, firstIndex);
            return;
        }

        if (TMode.Mode < RoundingMode.Stochastic)
        {
            Vector128<float> last = InvokeSingle(Vector128.LoadUnsafe(ref src, n - w));
            for (nuint i = 0; i + w <= n; i += w)
            {
                InvokeSingle(Vector128.LoadUnsafe(ref src, i)).StoreUnsafe(ref dst, i);
            }

            last.StoreUnsafe(ref dst, n - w);
            return;
        }

        Vector128<float> tail = Block128(ref src, n - w, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            Block128(ref src, i, firstIndex).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<float> Block128(ref float source, nuint offset, long firstIndex)
    {
        Vector128<float> v = Vector128.LoadUnsafe(ref source, offset);
        long start = firstIndex + (long)offset;
        Vector128<double> lower = Invoke(Vector128.WidenLower(v), start);
        Vector128<double> upper = Invoke(Vector128.WidenUpper(v), start + Vector128<double>.Count);
        return Vector128.Narrow(lower, upper);
    }

    /// <summary>The Vector256 body (the same text at every width); <paramref name="start"/> is the element index of lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Invoke(Vector256<double> x, long start)
    {
        Vector256<ulong> zero = Vector256<ulong>.Zero;
        Vector256<ulong> bits = x.AsUInt64();
        Vector256<ulong> absBits = bits & Vector256.Create(AbsMask);
        Vector256<ulong> negative = Vector256.Equals(bits & Vector256.Create(SignMask), Vector256.Create(SignMask));
        Vector256<ulong> nan = Vector256.GreaterThan(absBits, Vector256.Create(InfinityBits));
        Vector256<ulong> big = Vector256.GreaterThanOrEqual(absBits.AsDouble(), Vector256.Create(_saturationBound)).AsUInt64();
        Vector256<double> ax = absBits.AsDouble();
        if (_wrap && !Vector256.EqualsAll(big, zero))
        {
            // fmod by the value period 2^i, on the magnitude: q·P is |x| with the bits below P cleared, so |x| − q·P is exact.
            // The scalar reference's fmod keeps the sign of x; the magnitude path re-applies it below, and a zero remainder has
            // no rounding to do, so its sign cannot matter.
            Vector256<double> reduced = ax - (Vector256.Truncate(ax * Vector256.Create(_inversePeriod)) * Vector256.Create(_period));
            ax = Vector256.ConditionalSelect(big.AsDouble(), reduced, ax);
        }

        Vector256<double> a = ax * Vector256.Create(_scaleUp);   // exact, as in the scalar reference
        Vector256<double> fl = Vector256.Floor(a);
        Vector256<double> fr = a - fl;
        Vector256<ulong> inexact = ~Vector256.Equals(fr, Vector256<double>.Zero).AsUInt64();

        // Parity of fl: only read when fr ≠ 0, hence a < 2^52 and fl + 2^52 holds fl in its low mantissa bits.
        Vector256<ulong> odd = ~Vector256.Equals((fl + Vector256.Create(TwoPow52)).AsUInt64() & Vector256<ulong>.One, zero);
        Vector256<double> half = Vector256.Create(0.5);
        Vector256<ulong> up;
        if (TMode.Mode == RoundingMode.NearestEven)
        {
            up = Vector256.GreaterThan(fr, half).AsUInt64() | (Vector256.Equals(fr, half).AsUInt64() & odd);
        }
        else if (TMode.Mode == RoundingMode.NearestAway)
        {
            up = Vector256.GreaterThanOrEqual(fr, half).AsUInt64();
        }
        else if (TMode.Mode == RoundingMode.NearestTowardZero)
        {
            up = Vector256.GreaterThan(fr, half).AsUInt64();
        }
        else if (TMode.Mode == RoundingMode.TowardZero)
        {
            up = zero;
        }
        else if (TMode.Mode == RoundingMode.TowardPositive)
        {
            up = inexact & ~negative;
        }
        else if (TMode.Mode == RoundingMode.TowardNegative)
        {
            up = inexact & negative;
        }
        else if (TMode.Mode == RoundingMode.ToOdd)
        {
            up = inexact & ~odd;
        }
        else if (TMode.Mode == RoundingMode.Stochastic)
        {
            // Up iff the word is below floor(fr · 2^64) (fr < 1, so the product is below 2^64 and converts by truncation).
            Vector256<ulong> threshold = Vector256.ConvertToUInt64(fr * Vector256.Create(TwoPow64));
            up = inexact & Vector256.LessThan(StochasticRounding.RandomBitsVector256(_streamKey, start), threshold);
        }
        else
        {
            up = inexact & Vector256.LessThan(StochasticRounding.RandomBitsVector256(_streamKey, start).AsInt64(), Vector256<long>.Zero).AsUInt64();
        }

        Vector256<double> magnitude = fl + (up.AsDouble() & Vector256.Create(1.0));   // fl + 0 = fl: fl ≥ 0
        Vector256<double> n = (magnitude.AsUInt64() | (negative & Vector256.Create(SignMask))).AsDouble();   // −magnitude when negative
        Vector256<double> minCode = Vector256.Create(_minCode);
        Vector256<double> maxCode = Vector256.Create(_maxCode);
        Vector256<double> end = Vector256.ConditionalSelect(negative.AsDouble(), minCode, maxCode);
        Vector256<double> inRange = Vector256.GreaterThanOrEqual(n, minCode) & Vector256.LessThanOrEqual(n, maxCode);
        Vector256<double> code = n;
        if (!Vector256.EqualsAll(inRange.AsUInt64(), Vector256<ulong>.AllBitsSet))
        {
            Vector256<double> outside;
            if (_wrap)
            {
                // n mod 2^(i+f) in [0, 2^(i+f)), all exact (|n| ≤ 2^54 and the result is an integer below 2^53), then the
                // two's complement reading of a signed code: the scalar reference's (long)n & mask with sign extension.
                Vector256<double> total = Vector256.Create(_codePeriod);
                Vector256<double> r = n - (Vector256.Floor(n * Vector256.Create(_inverseCodePeriod)) * total);
                outside = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(r, Vector256.Create(_signedLimit)), r - total, r);
            }
            else
            {
                outside = end;
            }

            code = Vector256.ConditionalSelect(inRange, n, outside);
        }

        // ±∞ (both overflow modes) and, when saturating, every |x| ≥ 2^(i+1) give the end code of their sign.
        Vector256<ulong> saturate = _wrap ? Vector256.Equals(absBits, Vector256.Create(InfinityBits)) : big;
        code = Vector256.ConditionalSelect(saturate.AsDouble(), end, code);
        Vector256<double> result = (code * Vector256.Create(_scaleDown)) + Vector256<double>.Zero;   // + 0: a zero code is +0
        return Vector256.ConditionalSelect(nan.AsDouble(), Vector256.Create(double.NaN), result);
    }

    /// <summary>
    /// The Vector256 float body of the deterministic modes: the same steps in binary32 lanes. Every operation is exact there too
    /// (the format is at most 24 bits wide, so codes, 2^(i+1), 2^(i+f) and every |x|·2^f below the saturation bound are
    /// binary32 values, and a fraction is only non-zero below 2^23), so each lane equals the narrowed binary64 result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> InvokeSingle(Vector256<float> x)
    {
        Vector256<uint> zero = Vector256<uint>.Zero;
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> absBits = bits & Vector256.Create(SingleAbsMask);
        Vector256<uint> negative = Vector256.Equals(bits & Vector256.Create(SingleSignMask), Vector256.Create(SingleSignMask));
        Vector256<uint> nan = Vector256.GreaterThan(absBits, Vector256.Create(SingleInfinityBits));
        Vector256<float> ax = absBits.AsSingle();
        Vector256<uint> big = Vector256.GreaterThanOrEqual(ax, Vector256.Create(_saturationBoundSingle)).AsUInt32();
        if (_wrap && !Vector256.EqualsAll(big, zero))
        {
            Vector256<float> reduced = ax - (Vector256.Truncate(ax * Vector256.Create(_inversePeriodSingle)) * Vector256.Create(_periodSingle));
            ax = Vector256.ConditionalSelect(big.AsSingle(), reduced, ax);
        }

        Vector256<float> a = ax * Vector256.Create(_scaleUpSingle);
        Vector256<float> fl = Vector256.Floor(a);
        Vector256<float> fr = a - fl;
        Vector256<uint> inexact = ~Vector256.Equals(fr, Vector256<float>.Zero).AsUInt32();

        // Parity of fl: only read when fr ≠ 0, hence a < 2^23 and fl + 2^23 holds fl in its low mantissa bits.
        Vector256<uint> odd = ~Vector256.Equals((fl + Vector256.Create(TwoPow23)).AsUInt32() & Vector256<uint>.One, zero);
        Vector256<float> half = Vector256.Create(0.5f);
        Vector256<uint> up;
        if (TMode.Mode == RoundingMode.NearestEven)
        {
            up = Vector256.GreaterThan(fr, half).AsUInt32() | (Vector256.Equals(fr, half).AsUInt32() & odd);
        }
        else if (TMode.Mode == RoundingMode.NearestAway)
        {
            up = Vector256.GreaterThanOrEqual(fr, half).AsUInt32();
        }
        else if (TMode.Mode == RoundingMode.NearestTowardZero)
        {
            up = Vector256.GreaterThan(fr, half).AsUInt32();
        }
        else if (TMode.Mode == RoundingMode.TowardPositive)
        {
            up = inexact & ~negative;
        }
        else if (TMode.Mode == RoundingMode.TowardNegative)
        {
            up = inexact & negative;
        }
        else if (TMode.Mode == RoundingMode.ToOdd)
        {
            up = inexact & ~odd;
        }
        else
        {
            up = zero;   // TowardZero (the stochastic modes never get here: they take the binary64 lanes for their 64-bit words)
        }

        Vector256<float> magnitude = fl + (up.AsSingle() & Vector256.Create(1.0f));
        Vector256<float> n = (magnitude.AsUInt32() | (negative & Vector256.Create(SingleSignMask))).AsSingle();
        Vector256<float> minCode = Vector256.Create(_minCodeSingle);
        Vector256<float> maxCode = Vector256.Create(_maxCodeSingle);
        Vector256<float> end = Vector256.ConditionalSelect(negative.AsSingle(), minCode, maxCode);
        Vector256<float> inRange = Vector256.GreaterThanOrEqual(n, minCode) & Vector256.LessThanOrEqual(n, maxCode);
        Vector256<float> code = n;
        if (!Vector256.EqualsAll(inRange.AsUInt32(), Vector256<uint>.AllBitsSet))
        {
            Vector256<float> outside;
            if (_wrap)
            {
                Vector256<float> total = Vector256.Create(_codePeriodSingle);
                Vector256<float> r = n - (Vector256.Floor(n * Vector256.Create(_inverseCodePeriodSingle)) * total);
                outside = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(r, Vector256.Create(_signedLimitSingle)), r - total, r);
            }
            else
            {
                outside = end;
            }

            code = Vector256.ConditionalSelect(inRange, n, outside);
        }

        Vector256<uint> saturate = _wrap ? Vector256.Equals(absBits, Vector256.Create(SingleInfinityBits)) : big;
        code = Vector256.ConditionalSelect(saturate.AsSingle(), end, code);
        Vector256<float> result = (code * Vector256.Create(_scaleDownSingle)) + Vector256<float>.Zero;
        return Vector256.ConditionalSelect(nan.AsSingle(), Vector256.Create(s_singleNaN), result);
    }

    /// <summary>The Vector256 driver over double storage, with an overlapping tail computed before any store (in-place safe).</summary>
    internal void Run256(ReadOnlySpan<double> source, Span<double> destination, long firstIndex)
    {
        ref double src = ref MemoryMarshal.GetReference(source);
        ref double dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length, w = (nuint)Vector256<double>.Count;
        if (n < w)
        {
            RunScalar(source, destination, firstIndex);
            return;
        }

        Vector256<double> tail = Invoke(Vector256.LoadUnsafe(ref src, n - w), firstIndex + (long)(n - w));
        for (nuint i = 0; i + w <= n; i += w)
        {
            Invoke(Vector256.LoadUnsafe(ref src, i), firstIndex + (long)i).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    /// <summary>The Vector256 driver over float storage: exact widening, the double body, and the narrowing the scalar path does.</summary>
    internal void Run256(ReadOnlySpan<float> source, Span<float> destination, long firstIndex)
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length, w = (nuint)Vector256<float>.Count;
        if (n < w)
        {
            RunScalar(source, destination, firstIndex);
            return;
        }

        if (TMode.Mode < RoundingMode.Stochastic)
        {
            Vector256<float> last = InvokeSingle(Vector256.LoadUnsafe(ref src, n - w));
            for (nuint i = 0; i + w <= n; i += w)
            {
                InvokeSingle(Vector256.LoadUnsafe(ref src, i)).StoreUnsafe(ref dst, i);
            }

            last.StoreUnsafe(ref dst, n - w);
            return;
        }

        Vector256<float> tail = Block256(ref src, n - w, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            Block256(ref src, i, firstIndex).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> Block256(ref float source, nuint offset, long firstIndex)
    {
        Vector256<float> v = Vector256.LoadUnsafe(ref source, offset);
        long start = firstIndex + (long)offset;
        Vector256<double> lower = Invoke(Vector256.WidenLower(v), start);
        Vector256<double> upper = Invoke(Vector256.WidenUpper(v), start + Vector256<double>.Count);
        return Vector256.Narrow(lower, upper);
    }

    /// <summary>The Vector512 body (the same text at every width); <paramref name="start"/> is the element index of lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Invoke(Vector512<double> x, long start)
    {
        Vector512<ulong> zero = Vector512<ulong>.Zero;
        Vector512<ulong> bits = x.AsUInt64();
        Vector512<ulong> absBits = bits & Vector512.Create(AbsMask);
        Vector512<ulong> negative = Vector512.Equals(bits & Vector512.Create(SignMask), Vector512.Create(SignMask));
        Vector512<ulong> nan = Vector512.GreaterThan(absBits, Vector512.Create(InfinityBits));
        Vector512<ulong> big = Vector512.GreaterThanOrEqual(absBits.AsDouble(), Vector512.Create(_saturationBound)).AsUInt64();
        Vector512<double> ax = absBits.AsDouble();
        if (_wrap && !Vector512.EqualsAll(big, zero))
        {
            // fmod by the value period 2^i, on the magnitude: q·P is |x| with the bits below P cleared, so |x| − q·P is exact.
            // The scalar reference's fmod keeps the sign of x; the magnitude path re-applies it below, and a zero remainder has
            // no rounding to do, so its sign cannot matter.
            Vector512<double> reduced = ax - (Vector512.Truncate(ax * Vector512.Create(_inversePeriod)) * Vector512.Create(_period));
            ax = Vector512.ConditionalSelect(big.AsDouble(), reduced, ax);
        }

        Vector512<double> a = ax * Vector512.Create(_scaleUp);   // exact, as in the scalar reference
        Vector512<double> fl = Vector512.Floor(a);
        Vector512<double> fr = a - fl;
        Vector512<ulong> inexact = ~Vector512.Equals(fr, Vector512<double>.Zero).AsUInt64();

        // Parity of fl: only read when fr ≠ 0, hence a < 2^52 and fl + 2^52 holds fl in its low mantissa bits.
        Vector512<ulong> odd = ~Vector512.Equals((fl + Vector512.Create(TwoPow52)).AsUInt64() & Vector512<ulong>.One, zero);
        Vector512<double> half = Vector512.Create(0.5);
        Vector512<ulong> up;
        if (TMode.Mode == RoundingMode.NearestEven)
        {
            up = Vector512.GreaterThan(fr, half).AsUInt64() | (Vector512.Equals(fr, half).AsUInt64() & odd);
        }
        else if (TMode.Mode == RoundingMode.NearestAway)
        {
            up = Vector512.GreaterThanOrEqual(fr, half).AsUInt64();
        }
        else if (TMode.Mode == RoundingMode.NearestTowardZero)
        {
            up = Vector512.GreaterThan(fr, half).AsUInt64();
        }
        else if (TMode.Mode == RoundingMode.TowardZero)
        {
            up = zero;
        }
        else if (TMode.Mode == RoundingMode.TowardPositive)
        {
            up = inexact & ~negative;
        }
        else if (TMode.Mode == RoundingMode.TowardNegative)
        {
            up = inexact & negative;
        }
        else if (TMode.Mode == RoundingMode.ToOdd)
        {
            up = inexact & ~odd;
        }
        else if (TMode.Mode == RoundingMode.Stochastic)
        {
            // Up iff the word is below floor(fr · 2^64) (fr < 1, so the product is below 2^64 and converts by truncation).
            Vector512<ulong> threshold = Vector512.ConvertToUInt64(fr * Vector512.Create(TwoPow64));
            up = inexact & Vector512.LessThan(StochasticRounding.RandomBitsVector512(_streamKey, start), threshold);
        }
        else
        {
            up = inexact & Vector512.LessThan(StochasticRounding.RandomBitsVector512(_streamKey, start).AsInt64(), Vector512<long>.Zero).AsUInt64();
        }

        Vector512<double> magnitude = fl + (up.AsDouble() & Vector512.Create(1.0));   // fl + 0 = fl: fl ≥ 0
        Vector512<double> n = (magnitude.AsUInt64() | (negative & Vector512.Create(SignMask))).AsDouble();   // −magnitude when negative
        Vector512<double> minCode = Vector512.Create(_minCode);
        Vector512<double> maxCode = Vector512.Create(_maxCode);
        Vector512<double> end = Vector512.ConditionalSelect(negative.AsDouble(), minCode, maxCode);
        Vector512<double> inRange = Vector512.GreaterThanOrEqual(n, minCode) & Vector512.LessThanOrEqual(n, maxCode);
        Vector512<double> code = n;
        if (!Vector512.EqualsAll(inRange.AsUInt64(), Vector512<ulong>.AllBitsSet))
        {
            Vector512<double> outside;
            if (_wrap)
            {
                // n mod 2^(i+f) in [0, 2^(i+f)), all exact (|n| ≤ 2^54 and the result is an integer below 2^53), then the
                // two's complement reading of a signed code: the scalar reference's (long)n & mask with sign extension.
                Vector512<double> total = Vector512.Create(_codePeriod);
                Vector512<double> r = n - (Vector512.Floor(n * Vector512.Create(_inverseCodePeriod)) * total);
                outside = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(r, Vector512.Create(_signedLimit)), r - total, r);
            }
            else
            {
                outside = end;
            }

            code = Vector512.ConditionalSelect(inRange, n, outside);
        }

        // ±∞ (both overflow modes) and, when saturating, every |x| ≥ 2^(i+1) give the end code of their sign.
        Vector512<ulong> saturate = _wrap ? Vector512.Equals(absBits, Vector512.Create(InfinityBits)) : big;
        code = Vector512.ConditionalSelect(saturate.AsDouble(), end, code);
        Vector512<double> result = (code * Vector512.Create(_scaleDown)) + Vector512<double>.Zero;   // + 0: a zero code is +0
        return Vector512.ConditionalSelect(nan.AsDouble(), Vector512.Create(double.NaN), result);
    }

    /// <summary>
    /// The Vector512 float body of the deterministic modes: the same steps in binary32 lanes. Every operation is exact there too
    /// (the format is at most 24 bits wide, so codes, 2^(i+1), 2^(i+f) and every |x|·2^f below the saturation bound are
    /// binary32 values, and a fraction is only non-zero below 2^23), so each lane equals the narrowed binary64 result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> InvokeSingle(Vector512<float> x)
    {
        Vector512<uint> zero = Vector512<uint>.Zero;
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> absBits = bits & Vector512.Create(SingleAbsMask);
        Vector512<uint> negative = Vector512.Equals(bits & Vector512.Create(SingleSignMask), Vector512.Create(SingleSignMask));
        Vector512<uint> nan = Vector512.GreaterThan(absBits, Vector512.Create(SingleInfinityBits));
        Vector512<float> ax = absBits.AsSingle();
        Vector512<uint> big = Vector512.GreaterThanOrEqual(ax, Vector512.Create(_saturationBoundSingle)).AsUInt32();
        if (_wrap && !Vector512.EqualsAll(big, zero))
        {
            Vector512<float> reduced = ax - (Vector512.Truncate(ax * Vector512.Create(_inversePeriodSingle)) * Vector512.Create(_periodSingle));
            ax = Vector512.ConditionalSelect(big.AsSingle(), reduced, ax);
        }

        Vector512<float> a = ax * Vector512.Create(_scaleUpSingle);
        Vector512<float> fl = Vector512.Floor(a);
        Vector512<float> fr = a - fl;
        Vector512<uint> inexact = ~Vector512.Equals(fr, Vector512<float>.Zero).AsUInt32();

        // Parity of fl: only read when fr ≠ 0, hence a < 2^23 and fl + 2^23 holds fl in its low mantissa bits.
        Vector512<uint> odd = ~Vector512.Equals((fl + Vector512.Create(TwoPow23)).AsUInt32() & Vector512<uint>.One, zero);
        Vector512<float> half = Vector512.Create(0.5f);
        Vector512<uint> up;
        if (TMode.Mode == RoundingMode.NearestEven)
        {
            up = Vector512.GreaterThan(fr, half).AsUInt32() | (Vector512.Equals(fr, half).AsUInt32() & odd);
        }
        else if (TMode.Mode == RoundingMode.NearestAway)
        {
            up = Vector512.GreaterThanOrEqual(fr, half).AsUInt32();
        }
        else if (TMode.Mode == RoundingMode.NearestTowardZero)
        {
            up = Vector512.GreaterThan(fr, half).AsUInt32();
        }
        else if (TMode.Mode == RoundingMode.TowardPositive)
        {
            up = inexact & ~negative;
        }
        else if (TMode.Mode == RoundingMode.TowardNegative)
        {
            up = inexact & negative;
        }
        else if (TMode.Mode == RoundingMode.ToOdd)
        {
            up = inexact & ~odd;
        }
        else
        {
            up = zero;   // TowardZero (the stochastic modes never get here: they take the binary64 lanes for their 64-bit words)
        }

        Vector512<float> magnitude = fl + (up.AsSingle() & Vector512.Create(1.0f));
        Vector512<float> n = (magnitude.AsUInt32() | (negative & Vector512.Create(SingleSignMask))).AsSingle();
        Vector512<float> minCode = Vector512.Create(_minCodeSingle);
        Vector512<float> maxCode = Vector512.Create(_maxCodeSingle);
        Vector512<float> end = Vector512.ConditionalSelect(negative.AsSingle(), minCode, maxCode);
        Vector512<float> inRange = Vector512.GreaterThanOrEqual(n, minCode) & Vector512.LessThanOrEqual(n, maxCode);
        Vector512<float> code = n;
        if (!Vector512.EqualsAll(inRange.AsUInt32(), Vector512<uint>.AllBitsSet))
        {
            Vector512<float> outside;
            if (_wrap)
            {
                Vector512<float> total = Vector512.Create(_codePeriodSingle);
                Vector512<float> r = n - (Vector512.Floor(n * Vector512.Create(_inverseCodePeriodSingle)) * total);
                outside = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(r, Vector512.Create(_signedLimitSingle)), r - total, r);
            }
            else
            {
                outside = end;
            }

            code = Vector512.ConditionalSelect(inRange, n, outside);
        }

        Vector512<uint> saturate = _wrap ? Vector512.Equals(absBits, Vector512.Create(SingleInfinityBits)) : big;
        code = Vector512.ConditionalSelect(saturate.AsSingle(), end, code);
        Vector512<float> result = (code * Vector512.Create(_scaleDownSingle)) + Vector512<float>.Zero;
        return Vector512.ConditionalSelect(nan.AsSingle(), Vector512.Create(s_singleNaN), result);
    }

    /// <summary>The Vector512 driver over double storage, with an overlapping tail computed before any store (in-place safe).</summary>
    internal void Run512(ReadOnlySpan<double> source, Span<double> destination, long firstIndex)
    {
        ref double src = ref MemoryMarshal.GetReference(source);
        ref double dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length, w = (nuint)Vector512<double>.Count;
        if (n < w)
        {
            RunScalar(source, destination, firstIndex);
            return;
        }

        Vector512<double> tail = Invoke(Vector512.LoadUnsafe(ref src, n - w), firstIndex + (long)(n - w));
        for (nuint i = 0; i + w <= n; i += w)
        {
            Invoke(Vector512.LoadUnsafe(ref src, i), firstIndex + (long)i).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    /// <summary>The Vector512 driver over float storage: exact widening, the double body, and the narrowing the scalar path does.</summary>
    internal void Run512(ReadOnlySpan<float> source, Span<float> destination, long firstIndex)
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length, w = (nuint)Vector512<float>.Count;
        if (n < w)
        {
            RunScalar(source, destination, firstIndex);
            return;
        }

        if (TMode.Mode < RoundingMode.Stochastic)
        {
            Vector512<float> last = InvokeSingle(Vector512.LoadUnsafe(ref src, n - w));
            for (nuint i = 0; i + w <= n; i += w)
            {
                InvokeSingle(Vector512.LoadUnsafe(ref src, i)).StoreUnsafe(ref dst, i);
            }

            last.StoreUnsafe(ref dst, n - w);
            return;
        }

        Vector512<float> tail = Block512(ref src, n - w, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            Block512(ref src, i, firstIndex).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<float> Block512(ref float source, nuint offset, long firstIndex)
    {
        Vector512<float> v = Vector512.LoadUnsafe(ref source, offset);
        long start = firstIndex + (long)offset;
        Vector512<double> lower = Invoke(Vector512.WidenLower(v), start);
        Vector512<double> upper = Invoke(Vector512.WidenUpper(v), start + Vector512<double>.Count);
        return Vector512.Narrow(lower, upper);
    }
}
