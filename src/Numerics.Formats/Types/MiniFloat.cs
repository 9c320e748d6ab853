// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Numerics.Formats.Types;

/// <summary>
/// The shared core of the scalar types: round-to-nearest-even, non-saturating conversions from binary32 and binary64 (ml_dtypes'
/// default cast), decoding, and classification on the bits, written once and specialized per format through
/// <see cref="IMiniFloatFormat"/>.
/// </summary>
internal static class MiniFloat
{
    private const uint SingleAbsMask = 0x7FFF_FFFF;
    private const uint SingleInfinityBits = 0x7F80_0000;
    private const int SingleFractionBits = 23;
    private const int SingleBias = 127;
    private const ulong DoubleAbsMask = 0x7FFF_FFFF_FFFF_FFFF;
    private const ulong DoubleInfinityBits = 0x7FF0_0000_0000_0000;
    private const int DoubleFractionBits = 52;
    private const int DoubleBias = 1023;

    /// <summary>Gets the sign bit of a code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SignBit<TFormat>()
        where TFormat : struct, IMiniFloatFormat => 1u << (TFormat.BitCount - 1);

    /// <summary>Gets the mask of the valid code bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint CodeMask<TFormat>()
        where TFormat : struct, IMiniFloatFormat => (1u << TFormat.BitCount) - 1;

    /// <summary>Gets the code of +∞ for <see cref="MiniFloatKind.Ieee"/> (the all-ones exponent field, zero fraction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint InfinityCode<TFormat>()
        where TFormat : struct, IMiniFloatFormat => SignBit<TFormat>() - (1u << TFormat.MantissaBits);

    /// <summary>The code a NaN input converts to, with the sign of the input in <paramref name="sign"/> (the code's sign bit or 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint NaNCode<TFormat>(uint sign)
        where TFormat : struct, IMiniFloatFormat => TFormat.Kind switch
        {
            // IEEE-like: the quiet NaN, all-ones exponent with the top fraction bit (bfloat16 0x7FC0, e5m2 0x7E), sign kept.
            MiniFloatKind.Ieee => sign | InfinityCode<TFormat>() | (1u << (TFormat.MantissaBits - 1)),

            // fn: S.1111.111, sign kept.
            MiniFloatKind.FiniteAllOnesNaN => sign | (SignBit<TFormat>() - 1),

            // fnuz: the only NaN is the sign-bit-only code.
            MiniFloatKind.FiniteNegativeZeroNaN => SignBit<TFormat>(),

            // FP6/FP4 have no NaN: ml_dtypes gives the sign-bit-only code (−0) for +NaN and +0 for −NaN (FORMATS.md §1.3).
            _ => sign ^ SignBit<TFormat>(),
        };

    /// <summary>The code of a non-saturating overflow (and of ±∞ inputs): ±∞, NaN, or ±max for the formats without either.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint OverflowCode<TFormat>(uint sign)
        where TFormat : struct, IMiniFloatFormat => TFormat.Kind switch
        {
            MiniFloatKind.Ieee => sign | InfinityCode<TFormat>(),
            MiniFloatKind.FiniteAllOnesNaN => sign | (SignBit<TFormat>() - 1),
            MiniFloatKind.FiniteNegativeZeroNaN => SignBit<TFormat>(),
            _ => sign | TFormat.MaxFiniteCode,
        };

    /// <summary>Rounds a binary32 value to the nearest code, ties to even, non-saturating (ml_dtypes' default cast).</summary>
    /// <remarks>
    /// After F. Giesen's float_to_half_fast3_rtne. Normal results: adding the exponent rebias, half an ulp minus one and the kept
    /// LSB to the bit pattern rounds to nearest even, and a carry out of the fraction moves into the exponent field (which is the
    /// correctly rounded next binade). Results below the min normal: adding the magnitude to 2^k, whose ulp is the format's
    /// smallest subnormal, makes the FPU round it to a multiple of that subnormal (ties to even); the sum's low bits are then the
    /// code (a carry into the min normal gives the min normal's code). Overflow is decided on the input against the RNE threshold
    /// (the midpoint above the max, FORMATS.md §1.3), which is the same as deciding it after rounding with an unbounded exponent.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromSingle<TFormat>(float value)
        where TFormat : struct, IMiniFloatFormat
    {
        const int FractionBits = SingleFractionBits;
        int drop = FractionBits - TFormat.MantissaBits;
        int minExponent = 1 - TFormat.ExponentBias;
        uint minNormalBits = (uint)(minExponent + SingleBias) << FractionBits;
        uint magicBits = (uint)(minExponent - TFormat.MantissaBits + FractionBits + SingleBias) << FractionBits;
        uint rebias = unchecked((uint)((TFormat.ExponentBias - SingleBias) << FractionBits));

        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint abs = bits & SingleAbsMask;
        uint sign = (bits >> 31) << (TFormat.BitCount - 1);
        float magnitude = BitConverter.UInt32BitsToSingle(abs);
        if (abs > SingleInfinityBits)
        {
            return NaNCode<TFormat>(sign);
        }

        if (TFormat.MidpointRoundsToMax ? magnitude > TFormat.OverflowMidpoint : magnitude >= TFormat.OverflowMidpoint)
        {
            return OverflowCode<TFormat>(sign);
        }

        uint code;
        if (abs < minNormalBits)
        {
            float magic = BitConverter.UInt32BitsToSingle(magicBits);
            code = BitConverter.SingleToUInt32Bits(magnitude + magic) - magicBits;
        }
        else
        {
            uint odd = (abs >> drop) & 1;
            code = (abs + rebias + ((1u << (drop - 1)) - 1) + odd) >> drop;
        }

        // fnuz: there is no −0 (its code is NaN), so a negative value that rounds to zero gives +0 (FORMATS.md §1.3).
        return TFormat.Kind == MiniFloatKind.FiniteNegativeZeroNaN && code == 0 ? 0 : code | sign;
    }

    /// <summary>Rounds a binary64 value directly (one rounding, no detour through binary32) to the nearest code, as <see cref="FromSingle{TFormat}(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromDouble<TFormat>(double value)
        where TFormat : struct, IMiniFloatFormat
    {
        const int FractionBits = DoubleFractionBits;
        int drop = FractionBits - TFormat.MantissaBits;
        int minExponent = 1 - TFormat.ExponentBias;
        ulong minNormalBits = (ulong)(minExponent + DoubleBias) << FractionBits;
        ulong magicBits = (ulong)(minExponent - TFormat.MantissaBits + FractionBits + DoubleBias) << FractionBits;
        ulong rebias = unchecked((ulong)((long)(TFormat.ExponentBias - DoubleBias) << FractionBits));

        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        ulong abs = bits & DoubleAbsMask;
        uint sign = (uint)(bits >> 63) << (TFormat.BitCount - 1);
        double magnitude = BitConverter.UInt64BitsToDouble(abs);
        if (abs > DoubleInfinityBits)
        {
            return NaNCode<TFormat>(sign);
        }

        // The midpoint is exact in binary32, hence in binary64.
        double midpoint = TFormat.OverflowMidpoint;
        if (TFormat.MidpointRoundsToMax ? magnitude > midpoint : magnitude >= midpoint)
        {
            return OverflowCode<TFormat>(sign);
        }

        uint code;
        if (abs < minNormalBits)
        {
            double magic = BitConverter.UInt64BitsToDouble(magicBits);
            code = (uint)(BitConverter.DoubleToUInt64Bits(magnitude + magic) - magicBits);
        }
        else
        {
            ulong odd = (abs >> drop) & 1;
            code = (uint)((abs + rebias + ((1UL << (drop - 1)) - 1) + odd) >> drop);
        }

        return TFormat.Kind == MiniFloatKind.FiniteNegativeZeroNaN && code == 0 ? 0 : code | sign;
    }

    /// <summary>Decodes a code (valid bits only) to its exact binary32 value through the format's 2^BitCount-entry table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(DecodeTable<TFormat>.Values), (nint)code);

    /// <summary>Gets a value indicating whether the code is a NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNaN<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat
    {
        uint magnitude = code & (SignBit<TFormat>() - 1);
        return TFormat.Kind switch
        {
            MiniFloatKind.Ieee => magnitude > InfinityCode<TFormat>(),
            MiniFloatKind.FiniteAllOnesNaN => magnitude == SignBit<TFormat>() - 1,
            MiniFloatKind.FiniteNegativeZeroNaN => code == SignBit<TFormat>(),
            _ => false,
        };
    }

    /// <summary>Gets a value indicating whether the code is ±∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsInfinity<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat =>
        TFormat.Kind == MiniFloatKind.Ieee && (code & (SignBit<TFormat>() - 1)) == InfinityCode<TFormat>();

    /// <summary>Gets a value indicating whether the code is finite (not ∞, not NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFinite<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat => TFormat.Kind switch
        {
            MiniFloatKind.Ieee => (code & (SignBit<TFormat>() - 1)) < InfinityCode<TFormat>(),
            MiniFloatKind.FiniteOnly => true,
            _ => !IsNaN<TFormat>(code),
        };

    /// <summary>Gets a value indicating whether the code is ±0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsZero<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat =>
        TFormat.Kind == MiniFloatKind.FiniteNegativeZeroNaN ? code == 0 : (code & (SignBit<TFormat>() - 1)) == 0;

    /// <summary>Gets a value indicating whether the code is subnormal (zero exponent field, non-zero fraction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSubnormal<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat => (code & (SignBit<TFormat>() - 1)) - 1 < (1u << TFormat.MantissaBits) - 1;

    /// <summary>Gets a value indicating whether the code is normal (finite, non-zero exponent field).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNormal<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat =>
        (code & (SignBit<TFormat>() - 1)) >= 1u << TFormat.MantissaBits && IsFinite<TFormat>(code);

    /// <summary>Gets a value indicating whether the sign bit is set (also for a NaN with the sign bit, as <see cref="Half.IsNegative(Half)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNegative<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat => (code & SignBit<TFormat>()) != 0;

    /// <summary>A hash code consistent with IEEE equality plus NaN == NaN: every NaN hashes alike, and so do +0 and −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetHashCode<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat =>
        IsNaN<TFormat>(code) ? int.MinValue : IsZero<TFormat>(code) ? 0 : (int)code;

    /// <summary>Returns the code with the largest magnitude less than <paramref name="code"/>'s neighbour toward +∞ (IEEE kind only).</summary>
    public static uint BitIncrement<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat
    {
        uint signBit = SignBit<TFormat>();
        uint infinity = InfinityCode<TFormat>();
        if ((code & (signBit - 1)) >= infinity)
        {
            // NaN returns NaN; −∞ returns the lowest finite value; +∞ stays +∞.
            return code == (signBit | infinity) ? signBit | TFormat.MaxFiniteCode : code;
        }

        if (code == signBit)
        {
            return 1; // −0 -> the smallest positive subnormal
        }

        return (code & signBit) != 0 ? code - 1 : code + 1;
    }

    /// <summary>Returns the neighbour toward −∞ (IEEE kind only).</summary>
    public static uint BitDecrement<TFormat>(uint code)
        where TFormat : struct, IMiniFloatFormat
    {
        uint signBit = SignBit<TFormat>();
        uint infinity = InfinityCode<TFormat>();
        if ((code & (signBit - 1)) >= infinity)
        {
            // NaN returns NaN; +∞ returns the largest finite value; −∞ stays −∞.
            return code == infinity ? TFormat.MaxFiniteCode : code;
        }

        if (code == 0)
        {
            return signBit | 1; // +0 -> the smallest negative subnormal
        }

        return (code & signBit) != 0 ? code + 1 : code - 1;
    }

    /// <summary>The exact values of every code, from the preset's exact decoder.</summary>
    private static class DecodeTable<TFormat>
        where TFormat : struct, IMiniFloatFormat
    {
        public static readonly float[] Values = Build();

        private static float[] Build()
        {
            var values = new float[1 << TFormat.BitCount];
            for (int c = 0; c < values.Length; c++)
            {
                values[c] = (float)TFormat.Format.Decode((ulong)c);
            }

            return values;
        }
    }
}
