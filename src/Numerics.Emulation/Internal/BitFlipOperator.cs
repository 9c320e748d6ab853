// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Numerics.Formats;

namespace Numerics.Emulation.Internal;

/// <summary>
/// The soft-error pass of <see cref="Chopper"/>: with the flip probability, element i (a value of the target format, after
/// rounding) has one bit of its code in the target format inverted, the bit chosen uniformly among the selected fields. The
/// decision and the bit come from the counter-based streams of <see cref="CounterRandom"/> keyed by (seed, i), so the result is a
/// pure function of (value, seed, i): identical for every width, chunking and thread count.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Invoke(double, long)"/> is the scalar reference (encode with <see cref="FloatFormat.Encode(double, RoundingMode, OverflowMode)"/>,
/// XOR, <see cref="FloatFormat.Decode(ulong)"/>). The vector bodies compute the same three steps on the binary64 bit pattern,
/// for every lane, then keep the lanes whose decision word is below the threshold (a vector with none is returned untouched).
/// </para>
/// <para>
/// Vectorized for signed formats with a zero whose normal exponents start at 1 − bias (every preset but E8M0, every custom format)
/// and whose selected bits form at most two runs (always: the fields are adjacent, only Fraction | Sign leaves a gap). Other
/// formats run the scalar loop.
/// </para>
/// </remarks>
[SkipLocalsInit]
internal sealed class BitFlipOperator
{
    private const ulong SignMask = 0x8000_0000_0000_0000;
    private const ulong AbsMask = 0x7FFF_FFFF_FFFF_FFFF;
    private const ulong InfinityBits = 0x7FF0_0000_0000_0000;
    private const ulong QuietNaNBits = 0x7FF8_0000_0000_0000;
    private const ulong MantissaMask = 0x000F_FFFF_FFFF_FFFF;
    private const ulong TwoPow52Bits = 0x4330_0000_0000_0000;
    private const ulong LowWordMask = 0xFFFF_FFFF;
    private const double TwoPow52 = 4503599627370496.0;

    private readonly FloatFormat _target;
    private readonly OverflowMode _overflow;
    private readonly byte[] _positions;
    private readonly bool _alwaysFlip;
    private readonly ulong _threshold;
    private readonly ulong _decisionKey;
    private readonly ulong _bitKey;
    private readonly ulong _decisionStream;
    private readonly ulong _bitStream;

    // Pick → bit position: positions[k] = firstPosition + k, plus gapSize from index gapIndex on.
    private readonly ulong _count;
    private readonly ulong _firstPosition;
    private readonly ulong _gapIndex;
    private readonly ulong _gapSize;

    // Encoding and decoding constants (see the vector body).
    private readonly int _mantissaBits;
    private readonly int _fractionShift;
    private readonly ulong _normalOffset;
    private readonly ulong _exponentOffset;
    private readonly ulong _minNormalBits;
    private readonly double _encodeScale1;
    private readonly double _encodeScale2;
    private readonly double _decodeScale;
    private readonly ulong _signBit;
    private readonly ulong _zeroSignCode;
    private readonly ulong _infinityCode;
    private readonly ulong _nanCodePositive;
    private readonly ulong _nanCodeNegative;
    private readonly ulong _exponentAllOnes;
    private readonly ulong _fractionMask;
    private readonly ulong _unusedFieldLimit;
    private readonly ulong _topNaNMask;
    private readonly ulong _topNaNValue;
    private readonly ulong _topNaNInvert;
    private readonly ulong _topNaNEnabled;
    private readonly ulong _negativeZeroNaNCode;
    private readonly ulong _infinityEnabled;

    /// <summary>Initializes a new instance of the <see cref="BitFlipOperator"/> class.</summary>
    /// <param name="target">The format whose codes are flipped.</param>
    /// <param name="overflow">The chopper's overflow mode (it picks the code of NaN in formats without NaN).</param>
    /// <param name="positions">The selectable bit positions, ascending (at least one).</param>
    /// <param name="probability">The flip probability, in (0, 1].</param>
    /// <param name="seed">The chopper's seed.</param>
    public BitFlipOperator(FloatFormat target, OverflowMode overflow, byte[] positions, double probability, ulong seed)
    {
        _target = target;
        _overflow = overflow;
        _positions = positions;
        _alwaysFlip = probability >= 1;
        _threshold = _alwaysFlip ? ulong.MaxValue : (ulong)Math.ScaleB(probability, 64);
        _decisionKey = CounterRandom.Key(seed, CounterRandom.FlipDecisionStream);
        _bitKey = CounterRandom.Key(seed, CounterRandom.FlipBitStream);
        _decisionStream = StochasticRounding.StreamKey(_decisionKey);
        _bitStream = StochasticRounding.StreamKey(_bitKey);

        _count = (ulong)positions.Length;
        _firstPosition = positions.Length > 0 ? positions[0] : 0UL;
        _gapIndex = 64;
        _gapSize = 0;
        int gaps = 0;
        for (int k = 1; k < positions.Length; k++)
        {
            if (positions[k] != positions[k - 1] + 1)
            {
                gaps++;
                _gapIndex = (ulong)k;
                _gapSize = (ulong)(positions[k] - positions[k - 1] - 1);
            }
        }

        int m = target.MantissaBits;
        int e = target.ExponentBits;
        int emin = target.MinExponent;
        IsVectorized = target.IsSigned && target.HasZero && emin == 1 - target.ExponentBias && emin >= -1022 && m <= 52
            && target.BitCount <= 64 && positions.Length is > 0 and <= 64 && gaps <= 1;
        _mantissaBits = m;
        _fractionShift = 52 - m;
        _normalOffset = unchecked((ulong)(1023 - target.ExponentBias) << m);
        _exponentOffset = unchecked((ulong)(1023 - target.ExponentBias));
        _minNormalBits = BitConverter.DoubleToUInt64Bits(Math.ScaleB(1.0, Math.Max(emin, -1022)));

        // 2^(m − emin) can exceed binary64's range (up to 2^1074): split it into two factors, each a finite power of two.
        int up = m - emin;
        int first = Math.Min(up, 1000);
        _encodeScale1 = Math.ScaleB(1.0, first);
        _encodeScale2 = Math.ScaleB(1.0, up - first);
        _decodeScale = Math.ScaleB(1.0, Math.Max(emin - m, -1074));

        _exponentAllOnes = e >= 64 ? ulong.MaxValue : (1UL << e) - 1;
        _fractionMask = m >= 64 ? ulong.MaxValue : (1UL << m) - 1;
        _signBit = target.IsSigned && e + m < 64 ? 1UL << (e + m) : 0;
        _zeroSignCode = target.HasNegativeZero ? _signBit : 0;
        _infinityCode = _exponentAllOnes << m;
        _nanCodePositive = target.Encode(BitConverter.UInt64BitsToDouble(QuietNaNBits), RoundingMode.NearestEven, overflow);
        _nanCodeNegative = target.Encode(BitConverter.UInt64BitsToDouble(QuietNaNBits | SignMask), RoundingMode.NearestEven, overflow);

        SpecialValueEncoding specials = target.SpecialValues;
        bool ieeeLayout = specials is SpecialValueEncoding.Ieee or SpecialValueEncoding.IeeeNoInfinity;

        // Custom formats may have exponent fields above the top binade and below all-ones: they decode as NaN.
        _unusedFieldLimit = ieeeLayout ? (ulong)(target.MaxExponent + target.ExponentBias) : _exponentAllOnes;

        // NaN in the all-ones field: IEEE when the fraction is non-zero; without infinity always; "fn" when the fraction is all ones.
        (_topNaNMask, _topNaNValue, _topNaNInvert, _topNaNEnabled) = specials switch
        {
            SpecialValueEncoding.Ieee => (_fractionMask, 0UL, ulong.MaxValue, ulong.MaxValue),
            SpecialValueEncoding.IeeeNoInfinity => (0UL, 0UL, 0UL, ulong.MaxValue),
            SpecialValueEncoding.FiniteAllOnesNaN => (_fractionMask, _fractionMask, 0UL, ulong.MaxValue),
            _ => (0UL, 0UL, 0UL, 0UL),
        };

        // "fnuz": the code of −0 is the only NaN. Other encodings use the all-ones code as "never": it is NaN anyway wherever it
        // is a code (the all-ones field rules above), and beyond the code width elsewhere.
        _negativeZeroNaNCode = specials == SpecialValueEncoding.FiniteNegativeZeroNaN ? _signBit : ulong.MaxValue;
        _infinityEnabled = specials == SpecialValueEncoding.Ieee ? ulong.MaxValue : 0;
    }

    /// <summary>Gets whether the vector bodies handle this format (otherwise <see cref="Run(Span{double}, long)"/> runs the scalar loop).</summary>
    public bool IsVectorized { get; }

    /// <summary>The scalar reference: with the flip probability, inverts one bit (uniform among the selected fields) of the value's code.</summary>
    /// <param name="rounded">A value of the target (as the rounding returned it).</param>
    /// <param name="index">The element index.</param>
    /// <returns>The value, possibly flipped.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Invoke(double rounded, long index)
    {
        if (!_alwaysFlip && CounterRandom.Next(_decisionKey, index) >= _threshold)
        {
            return rounded;
        }

        ReadOnlySpan<byte> positions = _positions;
        ulong pick = Math.BigMul(CounterRandom.Next(_bitKey, index), (ulong)positions.Length, out _);   // uniform in [0, count)
        ulong code = _target.Encode(rounded, RoundingMode.NearestEven, _overflow);   // exact: rounded is a value of the target
        return _target.Decode(code ^ (1UL << positions[(int)pick]));
    }

    /// <summary>Flips elements firstIndex, firstIndex + 1, … of double storage in place, widest vectors first.</summary>
    /// <param name="values">The rounded values.</param>
    /// <param name="firstIndex">The index of <paramref name="values"/>[0] in the whole array.</param>
    public void Run(Span<double> values, long firstIndex)
    {
        if (IsVectorized && Vector512.IsHardwareAccelerated && values.Length >= Vector512<double>.Count)
        {
            Run512(values, firstIndex);
        }
        else if (IsVectorized && Vector256.IsHardwareAccelerated && values.Length >= Vector256<double>.Count)
        {
            Run256(values, firstIndex);
        }
        else if (IsVectorized && Vector128.IsHardwareAccelerated && values.Length >= Vector128<double>.Count)
        {
            Run128(values, firstIndex);
        }
        else
        {
            RunScalar(values, firstIndex);
        }
    }

    /// <summary>Flips elements firstIndex, firstIndex + 1, … of float storage in place (the target's values are all floats).</summary>
    /// <param name="values">The rounded values.</param>
    /// <param name="firstIndex">The index of <paramref name="values"/>[0] in the whole array.</param>
    public void Run(Span<float> values, long firstIndex)
    {
        if (IsVectorized && Vector512.IsHardwareAccelerated && values.Length >= Vector512<float>.Count)
        {
            Run512(values, firstIndex);
        }
        else if (IsVectorized && Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            Run256(values, firstIndex);
        }
        else if (IsVectorized && Vector128.IsHardwareAccelerated && values.Length >= Vector128<float>.Count)
        {
            Run128(values, firstIndex);
        }
        else
        {
            RunScalar(values, firstIndex);
        }
    }

    /// <summary>The scalar loop over double storage (the reference of every width).</summary>
    internal void RunScalar(Span<double> values, long firstIndex)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Invoke(values[i], firstIndex + i);
        }
    }

    /// <summary>The scalar loop over float storage (the reference of every width).</summary>
    internal void RunScalar(Span<float> values, long firstIndex)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)Invoke(values[i], firstIndex + i);
        }
    }

    /// <summary>The Vector128 body (the same text at every width); <paramref name="start"/> is the element index of lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<double> Invoke(Vector128<double> value, long start)
    {
        Vector128<ulong> zero = Vector128<ulong>.Zero;
        Vector128<ulong> flip;
        if (_alwaysFlip)
        {
            flip = Vector128<ulong>.AllBitsSet;
        }
        else
        {
            flip = Vector128.LessThan(StochasticRounding.RandomBitsVector128(_decisionStream, start), Vector128.Create(_threshold));
            if (Vector128.EqualsAll(flip, zero))
            {
                return value;   // the common case at small probabilities: no lane is hit
            }
        }

        // pick = floor(r · count / 2^64), as Math.BigMul's high word: count < 2^7, so both partial products fit in 64 bits and
        // floor((hi·c·2^32 + lo·c) / 2^64) = floor((hi·c + floor(lo·c / 2^32)) / 2^32).
        Vector128<ulong> r = StochasticRounding.RandomBitsVector128(_bitStream, start);
        Vector128<ulong> count = Vector128.Create(_count);
        Vector128<ulong> pick = Vector128.ShiftRightLogical(
            (Vector128.ShiftRightLogical(r, 32) * count) + Vector128.ShiftRightLogical((r & Vector128.Create(LowWordMask)) * count, 32), 32);
        Vector128<ulong> position = pick + Vector128.Create(_firstPosition)
            + (Vector128.GreaterThanOrEqual(pick, Vector128.Create(_gapIndex)) & Vector128.Create(_gapSize));

        // Encode: the value is a value of the target (or ±∞, NaN), so its code is read off the binary64 bit pattern exactly.
        Vector128<ulong> bits = value.AsUInt64();
        Vector128<ulong> sign = bits & Vector128.Create(SignMask);
        Vector128<ulong> absBits = bits & Vector128.Create(AbsMask);
        Vector128<ulong> negative = Vector128.Equals(sign, Vector128.Create(SignMask));

        // Normal: the binary64 fraction has at most m significant bits, so shifting drops only zeros; rebias the exponent.
        Vector128<ulong> normal = Vector128.ShiftRightLogical(absBits, _fractionShift) - Vector128.Create(_normalOffset);

        // Below 2^emin (and zero): the code is |v| · 2^(m − emin), an integer below 2^m, scaled up exactly in two steps and read
        // off the mantissa of (t + 2^52).
        Vector128<double> t = absBits.AsDouble() * Vector128.Create(_encodeScale1) * Vector128.Create(_encodeScale2);
        Vector128<ulong> small = (t + Vector128.Create(TwoPow52)).AsUInt64() & Vector128.Create(MantissaMask);
        Vector128<ulong> code = Vector128.ConditionalSelect(Vector128.LessThan(absBits, Vector128.Create(_minNormalBits)), small, normal);
        code = Vector128.ConditionalSelect(Vector128.Equals(absBits, Vector128.Create(InfinityBits)), Vector128.Create(_infinityCode), code);
        Vector128<ulong> signCode = negative & Vector128.Create(_signBit);
        signCode = Vector128.ConditionalSelect(Vector128.Equals(absBits, zero), signCode & Vector128.Create(_zeroSignCode), signCode);
        code |= signCode;
        code = Vector128.ConditionalSelect(
            Vector128.GreaterThan(absBits, Vector128.Create(InfinityBits)),
            Vector128.ConditionalSelect(negative, Vector128.Create(_nanCodeNegative), Vector128.Create(_nanCodePositive)),
            code);

        code ^= ShiftOneLeft(position);

        // Decode.
        Vector128<ulong> negativeOut = ~Vector128.Equals(code & Vector128.Create(_signBit), zero);
        Vector128<ulong> field = Vector128.ShiftRightLogical(code, _mantissaBits) & Vector128.Create(_exponentAllOnes);
        Vector128<ulong> fraction = code & Vector128.Create(_fractionMask);
        Vector128<ulong> top = Vector128.Equals(field, Vector128.Create(_exponentAllOnes));
        Vector128<ulong> nan = Vector128.GreaterThan(field, Vector128.Create(_unusedFieldLimit)) & ~top;
        Vector128<ulong> topNaN = Vector128.Equals(fraction & Vector128.Create(_topNaNMask), Vector128.Create(_topNaNValue)) ^ Vector128.Create(_topNaNInvert);
        nan |= top & topNaN & Vector128.Create(_topNaNEnabled);
        nan |= Vector128.Equals(code, Vector128.Create(_negativeZeroNaNCode));
        Vector128<double> subnormal = (fraction | Vector128.Create(TwoPow52Bits)).AsDouble() - Vector128.Create(TwoPow52);
        Vector128<ulong> magnitude = (subnormal * Vector128.Create(_decodeScale)).AsUInt64();
        Vector128<ulong> normalOut = Vector128.ShiftLeft(field + Vector128.Create(_exponentOffset), 52) | Vector128.ShiftLeft(fraction, _fractionShift);
        magnitude = Vector128.ConditionalSelect(Vector128.Equals(field, zero), magnitude, normalOut);
        magnitude = Vector128.ConditionalSelect(top & Vector128.Create(_infinityEnabled), Vector128.Create(InfinityBits), magnitude);
        Vector128<ulong> decoded = Vector128.ConditionalSelect(nan, Vector128.Create(QuietNaNBits), magnitude) | (negativeOut & Vector128.Create(SignMask));
        return Vector128.ConditionalSelect(flip, decoded, bits).AsDouble();
    }

    /// <summary>1 &lt;&lt; position lane by lane (position &lt; 64): the ISA's variable shift, or six constant-shift steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> ShiftOneLeft(Vector128<ulong> position)
    {
        if (Avx2.IsSupported)
        {
            return Avx2.ShiftLeftLogicalVariable(Vector128<ulong>.One, position);
        }

        Vector128<ulong> zero = Vector128<ulong>.Zero;
        Vector128<ulong> x = Vector128<ulong>.One;
        x = Vector128.ConditionalSelect(Vector128.Equals(position & Vector128.Create(1UL), zero), x, Vector128.ShiftLeft(x, 1));
        x = Vector128.ConditionalSelect(Vector128.Equals(position & Vector128.Create(2UL), zero), x, Vector128.ShiftLeft(x, 2));
        x = Vector128.ConditionalSelect(Vector128.Equals(position & Vector128.Create(4UL), zero), x, Vector128.ShiftLeft(x, 4));
        x = Vector128.ConditionalSelect(Vector128.Equals(position & Vector128.Create(8UL), zero), x, Vector128.ShiftLeft(x, 8));
        x = Vector128.ConditionalSelect(Vector128.Equals(position & Vector128.Create(16UL), zero), x, Vector128.ShiftLeft(x, 16));
        return Vector128.ConditionalSelect(Vector128.Equals(position & Vector128.Create(32UL), zero), x, Vector128.ShiftLeft(x, 32));
    }

    /// <summary>Whether no element of start .. start + Vector128&lt;double&gt;.Count − 1 is flipped (the decision words only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NoFlip128(long start) =>
        Vector128.EqualsAll(Vector128.LessThan(StochasticRounding.RandomBitsVector128(_decisionStream, start), Vector128.Create(_threshold)), Vector128<ulong>.Zero);

    /// <summary>The Vector128 driver over double storage, in place, with an overlapping tail computed before any store.</summary>
    internal void Run128(Span<double> values, long firstIndex)
    {
        ref double p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, w = (nuint)Vector128<double>.Count;
        if (n < w || !IsVectorized)
        {
            RunScalar(values, firstIndex);
            return;
        }

        Vector128<double> tail = Invoke(Vector128.LoadUnsafe(ref p, n - w), firstIndex + (long)(n - w));
        for (nuint i = 0; i + w <= n; i += w)
        {
            // In place: a vector with no flipped lane needs no store (the tail, stored last, was computed from the same values).
            if (!_alwaysFlip && NoFlip128(firstIndex + (long)i))
            {
                continue;
            }

            Invoke(Vector128.LoadUnsafe(ref p, i), firstIndex + (long)i).StoreUnsafe(ref p, i);
        }

        tail.StoreUnsafe(ref p, n - w);
    }

    /// <summary>The Vector128 driver over float storage: exact widening to binary64, the flip, and the narrowing the scalar path does.</summary>
    internal void Run128(Span<float> values, long firstIndex)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, w = (nuint)Vector128<float>.Count;
        if (n < w || !IsVectorized)
        {
            RunScalar(values, firstIndex);
            return;
        }

        Vector128<float> tail = Block(ref p, n - w, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            long start = firstIndex + (long)i;
            if (!_alwaysFlip && NoFlip128(start) && NoFlip128(start + Vector128<double>.Count))
            {
                continue;   // no widening, narrowing or store for a block without a flip
            }

            Block(ref p, i, firstIndex).StoreUnsafe(ref p, i);
        }

        tail.StoreUnsafe(ref p, n - w);

        Vector128<float> Block(ref float source, nuint offset, long first)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref source, offset);
            long start = first + (long)offset;
            Vector128<double> lower = Invoke(Vector128.WidenLower(v), start);
            Vector128<double> upper = Invoke(Vector128.WidenUpper(v), start + Vector128<double>.Count);
            return Vector128.Narrow(lower, upper);
        }
    }

    /// <summary>The Vector256 body (the same text at every width); <paramref name="start"/> is the element index of lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Invoke(Vector256<double> value, long start)
    {
        Vector256<ulong> zero = Vector256<ulong>.Zero;
        Vector256<ulong> flip;
        if (_alwaysFlip)
        {
            flip = Vector256<ulong>.AllBitsSet;
        }
        else
        {
            flip = Vector256.LessThan(StochasticRounding.RandomBitsVector256(_decisionStream, start), Vector256.Create(_threshold));
            if (Vector256.EqualsAll(flip, zero))
            {
                return value;   // the common case at small probabilities: no lane is hit
            }
        }

        // pick = floor(r · count / 2^64), as Math.BigMul's high word: count < 2^7, so both partial products fit in 64 bits and
        // floor((hi·c·2^32 + lo·c) / 2^64) = floor((hi·c + floor(lo·c / 2^32)) / 2^32).
        Vector256<ulong> r = StochasticRounding.RandomBitsVector256(_bitStream, start);
        Vector256<ulong> count = Vector256.Create(_count);
        Vector256<ulong> pick = Vector256.ShiftRightLogical(
            (Vector256.ShiftRightLogical(r, 32) * count) + Vector256.ShiftRightLogical((r & Vector256.Create(LowWordMask)) * count, 32), 32);
        Vector256<ulong> position = pick + Vector256.Create(_firstPosition)
            + (Vector256.GreaterThanOrEqual(pick, Vector256.Create(_gapIndex)) & Vector256.Create(_gapSize));

        // Encode: the value is a value of the target (or ±∞, NaN), so its code is read off the binary64 bit pattern exactly.
        Vector256<ulong> bits = value.AsUInt64();
        Vector256<ulong> sign = bits & Vector256.Create(SignMask);
        Vector256<ulong> absBits = bits & Vector256.Create(AbsMask);
        Vector256<ulong> negative = Vector256.Equals(sign, Vector256.Create(SignMask));

        // Normal: the binary64 fraction has at most m significant bits, so shifting drops only zeros; rebias the exponent.
        Vector256<ulong> normal = Vector256.ShiftRightLogical(absBits, _fractionShift) - Vector256.Create(_normalOffset);

        // Below 2^emin (and zero): the code is |v| · 2^(m − emin), an integer below 2^m, scaled up exactly in two steps and read
        // off the mantissa of (t + 2^52).
        Vector256<double> t = absBits.AsDouble() * Vector256.Create(_encodeScale1) * Vector256.Create(_encodeScale2);
        Vector256<ulong> small = (t + Vector256.Create(TwoPow52)).AsUInt64() & Vector256.Create(MantissaMask);
        Vector256<ulong> code = Vector256.ConditionalSelect(Vector256.LessThan(absBits, Vector256.Create(_minNormalBits)), small, normal);
        code = Vector256.ConditionalSelect(Vector256.Equals(absBits, Vector256.Create(InfinityBits)), Vector256.Create(_infinityCode), code);
        Vector256<ulong> signCode = negative & Vector256.Create(_signBit);
        signCode = Vector256.ConditionalSelect(Vector256.Equals(absBits, zero), signCode & Vector256.Create(_zeroSignCode), signCode);
        code |= signCode;
        code = Vector256.ConditionalSelect(
            Vector256.GreaterThan(absBits, Vector256.Create(InfinityBits)),
            Vector256.ConditionalSelect(negative, Vector256.Create(_nanCodeNegative), Vector256.Create(_nanCodePositive)),
            code);

        code ^= ShiftOneLeft(position);

        // Decode.
        Vector256<ulong> negativeOut = ~Vector256.Equals(code & Vector256.Create(_signBit), zero);
        Vector256<ulong> field = Vector256.ShiftRightLogical(code, _mantissaBits) & Vector256.Create(_exponentAllOnes);
        Vector256<ulong> fraction = code & Vector256.Create(_fractionMask);
        Vector256<ulong> top = Vector256.Equals(field, Vector256.Create(_exponentAllOnes));
        Vector256<ulong> nan = Vector256.GreaterThan(field, Vector256.Create(_unusedFieldLimit)) & ~top;
        Vector256<ulong> topNaN = Vector256.Equals(fraction & Vector256.Create(_topNaNMask), Vector256.Create(_topNaNValue)) ^ Vector256.Create(_topNaNInvert);
        nan |= top & topNaN & Vector256.Create(_topNaNEnabled);
        nan |= Vector256.Equals(code, Vector256.Create(_negativeZeroNaNCode));
        Vector256<double> subnormal = (fraction | Vector256.Create(TwoPow52Bits)).AsDouble() - Vector256.Create(TwoPow52);
        Vector256<ulong> magnitude = (subnormal * Vector256.Create(_decodeScale)).AsUInt64();
        Vector256<ulong> normalOut = Vector256.ShiftLeft(field + Vector256.Create(_exponentOffset), 52) | Vector256.ShiftLeft(fraction, _fractionShift);
        magnitude = Vector256.ConditionalSelect(Vector256.Equals(field, zero), magnitude, normalOut);
        magnitude = Vector256.ConditionalSelect(top & Vector256.Create(_infinityEnabled), Vector256.Create(InfinityBits), magnitude);
        Vector256<ulong> decoded = Vector256.ConditionalSelect(nan, Vector256.Create(QuietNaNBits), magnitude) | (negativeOut & Vector256.Create(SignMask));
        return Vector256.ConditionalSelect(flip, decoded, bits).AsDouble();
    }

    /// <summary>1 &lt;&lt; position lane by lane (position &lt; 64): the ISA's variable shift, or six constant-shift steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> ShiftOneLeft(Vector256<ulong> position)
    {
        if (Avx2.IsSupported)
        {
            return Avx2.ShiftLeftLogicalVariable(Vector256<ulong>.One, position);
        }

        Vector256<ulong> zero = Vector256<ulong>.Zero;
        Vector256<ulong> x = Vector256<ulong>.One;
        x = Vector256.ConditionalSelect(Vector256.Equals(position & Vector256.Create(1UL), zero), x, Vector256.ShiftLeft(x, 1));
        x = Vector256.ConditionalSelect(Vector256.Equals(position & Vector256.Create(2UL), zero), x, Vector256.ShiftLeft(x, 2));
        x = Vector256.ConditionalSelect(Vector256.Equals(position & Vector256.Create(4UL), zero), x, Vector256.ShiftLeft(x, 4));
        x = Vector256.ConditionalSelect(Vector256.Equals(position & Vector256.Create(8UL), zero), x, Vector256.ShiftLeft(x, 8));
        x = Vector256.ConditionalSelect(Vector256.Equals(position & Vector256.Create(16UL), zero), x, Vector256.ShiftLeft(x, 16));
        return Vector256.ConditionalSelect(Vector256.Equals(position & Vector256.Create(32UL), zero), x, Vector256.ShiftLeft(x, 32));
    }

    /// <summary>Whether no element of start .. start + Vector256&lt;double&gt;.Count − 1 is flipped (the decision words only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NoFlip256(long start) =>
        Vector256.EqualsAll(Vector256.LessThan(StochasticRounding.RandomBitsVector256(_decisionStream, start), Vector256.Create(_threshold)), Vector256<ulong>.Zero);

    /// <summary>The Vector256 driver over double storage, in place, with an overlapping tail computed before any store.</summary>
    internal void Run256(Span<double> values, long firstIndex)
    {
        ref double p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, w = (nuint)Vector256<double>.Count;
        if (n < w || !IsVectorized)
        {
            RunScalar(values, firstIndex);
            return;
        }

        Vector256<double> tail = Invoke(Vector256.LoadUnsafe(ref p, n - w), firstIndex + (long)(n - w));
        for (nuint i = 0; i + w <= n; i += w)
        {
            // In place: a vector with no flipped lane needs no store (the tail, stored last, was computed from the same values).
            if (!_alwaysFlip && NoFlip256(firstIndex + (long)i))
            {
                continue;
            }

            Invoke(Vector256.LoadUnsafe(ref p, i), firstIndex + (long)i).StoreUnsafe(ref p, i);
        }

        tail.StoreUnsafe(ref p, n - w);
    }

    /// <summary>The Vector256 driver over float storage: exact widening to binary64, the flip, and the narrowing the scalar path does.</summary>
    internal void Run256(Span<float> values, long firstIndex)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, w = (nuint)Vector256<float>.Count;
        if (n < w || !IsVectorized)
        {
            RunScalar(values, firstIndex);
            return;
        }

        Vector256<float> tail = Block(ref p, n - w, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            long start = firstIndex + (long)i;
            if (!_alwaysFlip && NoFlip256(start) && NoFlip256(start + Vector256<double>.Count))
            {
                continue;   // no widening, narrowing or store for a block without a flip
            }

            Block(ref p, i, firstIndex).StoreUnsafe(ref p, i);
        }

        tail.StoreUnsafe(ref p, n - w);

        Vector256<float> Block(ref float source, nuint offset, long first)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref source, offset);
            long start = first + (long)offset;
            Vector256<double> lower = Invoke(Vector256.WidenLower(v), start);
            Vector256<double> upper = Invoke(Vector256.WidenUpper(v), start + Vector256<double>.Count);
            return Vector256.Narrow(lower, upper);
        }
    }

    /// <summary>The Vector512 body (the same text at every width); <paramref name="start"/> is the element index of lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<double> Invoke(Vector512<double> value, long start)
    {
        Vector512<ulong> zero = Vector512<ulong>.Zero;
        Vector512<ulong> flip;
        if (_alwaysFlip)
        {
            flip = Vector512<ulong>.AllBitsSet;
        }
        else
        {
            flip = Vector512.LessThan(StochasticRounding.RandomBitsVector512(_decisionStream, start), Vector512.Create(_threshold));
            if (Vector512.EqualsAll(flip, zero))
            {
                return value;   // the common case at small probabilities: no lane is hit
            }
        }

        // pick = floor(r · count / 2^64), as Math.BigMul's high word: count < 2^7, so both partial products fit in 64 bits and
        // floor((hi·c·2^32 + lo·c) / 2^64) = floor((hi·c + floor(lo·c / 2^32)) / 2^32).
        Vector512<ulong> r = StochasticRounding.RandomBitsVector512(_bitStream, start);
        Vector512<ulong> count = Vector512.Create(_count);
        Vector512<ulong> pick = Vector512.ShiftRightLogical(
            (Vector512.ShiftRightLogical(r, 32) * count) + Vector512.ShiftRightLogical((r & Vector512.Create(LowWordMask)) * count, 32), 32);
        Vector512<ulong> position = pick + Vector512.Create(_firstPosition)
            + (Vector512.GreaterThanOrEqual(pick, Vector512.Create(_gapIndex)) & Vector512.Create(_gapSize));

        // Encode: the value is a value of the target (or ±∞, NaN), so its code is read off the binary64 bit pattern exactly.
        Vector512<ulong> bits = value.AsUInt64();
        Vector512<ulong> sign = bits & Vector512.Create(SignMask);
        Vector512<ulong> absBits = bits & Vector512.Create(AbsMask);
        Vector512<ulong> negative = Vector512.Equals(sign, Vector512.Create(SignMask));

        // Normal: the binary64 fraction has at most m significant bits, so shifting drops only zeros; rebias the exponent.
        Vector512<ulong> normal = Vector512.ShiftRightLogical(absBits, _fractionShift) - Vector512.Create(_normalOffset);

        // Below 2^emin (and zero): the code is |v| · 2^(m − emin), an integer below 2^m, scaled up exactly in two steps and read
        // off the mantissa of (t + 2^52).
        Vector512<double> t = absBits.AsDouble() * Vector512.Create(_encodeScale1) * Vector512.Create(_encodeScale2);
        Vector512<ulong> small = (t + Vector512.Create(TwoPow52)).AsUInt64() & Vector512.Create(MantissaMask);
        Vector512<ulong> code = Vector512.ConditionalSelect(Vector512.LessThan(absBits, Vector512.Create(_minNormalBits)), small, normal);
        code = Vector512.ConditionalSelect(Vector512.Equals(absBits, Vector512.Create(InfinityBits)), Vector512.Create(_infinityCode), code);
        Vector512<ulong> signCode = negative & Vector512.Create(_signBit);
        signCode = Vector512.ConditionalSelect(Vector512.Equals(absBits, zero), signCode & Vector512.Create(_zeroSignCode), signCode);
        code |= signCode;
        code = Vector512.ConditionalSelect(
            Vector512.GreaterThan(absBits, Vector512.Create(InfinityBits)),
            Vector512.ConditionalSelect(negative, Vector512.Create(_nanCodeNegative), Vector512.Create(_nanCodePositive)),
            code);

        code ^= ShiftOneLeft(position);

        // Decode.
        Vector512<ulong> negativeOut = ~Vector512.Equals(code & Vector512.Create(_signBit), zero);
        Vector512<ulong> field = Vector512.ShiftRightLogical(code, _mantissaBits) & Vector512.Create(_exponentAllOnes);
        Vector512<ulong> fraction = code & Vector512.Create(_fractionMask);
        Vector512<ulong> top = Vector512.Equals(field, Vector512.Create(_exponentAllOnes));
        Vector512<ulong> nan = Vector512.GreaterThan(field, Vector512.Create(_unusedFieldLimit)) & ~top;
        Vector512<ulong> topNaN = Vector512.Equals(fraction & Vector512.Create(_topNaNMask), Vector512.Create(_topNaNValue)) ^ Vector512.Create(_topNaNInvert);
        nan |= top & topNaN & Vector512.Create(_topNaNEnabled);
        nan |= Vector512.Equals(code, Vector512.Create(_negativeZeroNaNCode));
        Vector512<double> subnormal = (fraction | Vector512.Create(TwoPow52Bits)).AsDouble() - Vector512.Create(TwoPow52);
        Vector512<ulong> magnitude = (subnormal * Vector512.Create(_decodeScale)).AsUInt64();
        Vector512<ulong> normalOut = Vector512.ShiftLeft(field + Vector512.Create(_exponentOffset), 52) | Vector512.ShiftLeft(fraction, _fractionShift);
        magnitude = Vector512.ConditionalSelect(Vector512.Equals(field, zero), magnitude, normalOut);
        magnitude = Vector512.ConditionalSelect(top & Vector512.Create(_infinityEnabled), Vector512.Create(InfinityBits), magnitude);
        Vector512<ulong> decoded = Vector512.ConditionalSelect(nan, Vector512.Create(QuietNaNBits), magnitude) | (negativeOut & Vector512.Create(SignMask));
        return Vector512.ConditionalSelect(flip, decoded, bits).AsDouble();
    }

    /// <summary>1 &lt;&lt; position lane by lane (position &lt; 64): the ISA's variable shift, or six constant-shift steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> ShiftOneLeft(Vector512<ulong> position)
    {
        if (Avx512F.IsSupported)
        {
            return Avx512F.ShiftLeftLogicalVariable(Vector512<ulong>.One, position);
        }

        Vector512<ulong> zero = Vector512<ulong>.Zero;
        Vector512<ulong> x = Vector512<ulong>.One;
        x = Vector512.ConditionalSelect(Vector512.Equals(position & Vector512.Create(1UL), zero), x, Vector512.ShiftLeft(x, 1));
        x = Vector512.ConditionalSelect(Vector512.Equals(position & Vector512.Create(2UL), zero), x, Vector512.ShiftLeft(x, 2));
        x = Vector512.ConditionalSelect(Vector512.Equals(position & Vector512.Create(4UL), zero), x, Vector512.ShiftLeft(x, 4));
        x = Vector512.ConditionalSelect(Vector512.Equals(position & Vector512.Create(8UL), zero), x, Vector512.ShiftLeft(x, 8));
        x = Vector512.ConditionalSelect(Vector512.Equals(position & Vector512.Create(16UL), zero), x, Vector512.ShiftLeft(x, 16));
        return Vector512.ConditionalSelect(Vector512.Equals(position & Vector512.Create(32UL), zero), x, Vector512.ShiftLeft(x, 32));
    }

    /// <summary>Whether no element of start .. start + Vector512&lt;double&gt;.Count − 1 is flipped (the decision words only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NoFlip512(long start) =>
        Vector512.EqualsAll(Vector512.LessThan(StochasticRounding.RandomBitsVector512(_decisionStream, start), Vector512.Create(_threshold)), Vector512<ulong>.Zero);

    /// <summary>The Vector512 driver over double storage, in place, with an overlapping tail computed before any store.</summary>
    internal void Run512(Span<double> values, long firstIndex)
    {
        ref double p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, w = (nuint)Vector512<double>.Count;
        if (n < w || !IsVectorized)
        {
            RunScalar(values, firstIndex);
            return;
        }

        Vector512<double> tail = Invoke(Vector512.LoadUnsafe(ref p, n - w), firstIndex + (long)(n - w));
        for (nuint i = 0; i + w <= n; i += w)
        {
            // In place: a vector with no flipped lane needs no store (the tail, stored last, was computed from the same values).
            if (!_alwaysFlip && NoFlip512(firstIndex + (long)i))
            {
                continue;
            }

            Invoke(Vector512.LoadUnsafe(ref p, i), firstIndex + (long)i).StoreUnsafe(ref p, i);
        }

        tail.StoreUnsafe(ref p, n - w);
    }

    /// <summary>The Vector512 driver over float storage: exact widening to binary64, the flip, and the narrowing the scalar path does.</summary>
    internal void Run512(Span<float> values, long firstIndex)
    {
        ref float p = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length, w = (nuint)Vector512<float>.Count;
        if (n < w || !IsVectorized)
        {
            RunScalar(values, firstIndex);
            return;
        }

        Vector512<float> tail = Block(ref p, n - w, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            long start = firstIndex + (long)i;
            if (!_alwaysFlip && NoFlip512(start) && NoFlip512(start + Vector512<double>.Count))
            {
                continue;   // no widening, narrowing or store for a block without a flip
            }

            Block(ref p, i, firstIndex).StoreUnsafe(ref p, i);
        }

        tail.StoreUnsafe(ref p, n - w);

        Vector512<float> Block(ref float source, nuint offset, long first)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref source, offset);
            long start = first + (long)offset;
            Vector512<double> lower = Invoke(Vector512.WidenLower(v), start);
            Vector512<double> upper = Invoke(Vector512.WidenUpper(v), start + Vector512<double>.Count);
            return Vector512.Narrow(lower, upper);
        }
    }
}
