// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Numerics.Formats;

namespace Numerics.Testing;

public static partial class ExactRounding
{
    /// <summary>Rounds <paramref name="value"/> to <paramref name="format"/> exactly and returns the code of the result.</summary>
    /// <param name="value">The value to round; every double is accepted.</param>
    /// <param name="format">The target format.</param>
    /// <param name="rounding">A deterministic rounding mode.</param>
    /// <param name="overflow">What an overflow, an infinite input and (in FP6/FP4) a NaN input give; see the class remarks.</param>
    /// <returns>
    /// The code in the low <see cref="FloatFormat.BitCount"/> bits: sign bit (if any), exponent field, fraction field. NaN codes:
    /// IEEE layouts give the quiet NaN (fraction MSB set) with the sign kept; the "fn" formats S.1111…1 with the sign kept; the
    /// fnuz formats the sign-bit-only code; E8M0 0xFF.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="rounding"/> is a stochastic mode, or the result is NaN in an IEEE format with no fraction bit (precision 1 with
    /// infinity), which has no NaN code.
    /// </exception>
    public static ulong Encode(double value, FloatFormat format, RoundingMode rounding, OverflowMode overflow)
    {
        Validate(format, rounding, overflow, stochastic: false);
        return EncodeResult(RoundCore(value, format, rounding, overflow), format);
    }

    /// <summary>The code of an exact result, laid out as the format's sign, exponent and fraction fields.</summary>
    internal static ulong EncodeResult(OracleResult result, FloatFormat format)
    {
        int m = format.MantissaBits;
        ulong fractionMask = (1UL << m) - 1;
        ulong allOnesField = (1UL << format.ExponentBits) - 1;
        ulong signBit = format.IsSigned ? 1UL << (format.BitCount - 1) : 0UL;
        ulong sign = result.Negative ? signBit : 0UL;
        switch (result.Kind)
        {
            case OracleKind.Infinity:
                return sign | (allOnesField << m);
            case OracleKind.NaN:
                return format.SpecialValues switch
                {
                    SpecialValueEncoding.Ieee when m == 0 => throw new ArgumentException(
                        $"The format {format} has no NaN code (no fraction bit beside its infinity).", nameof(format)),
                    SpecialValueEncoding.Ieee or SpecialValueEncoding.IeeeNoInfinity =>
                        sign | (allOnesField << m) | (m == 0 ? 0UL : 1UL << (m - 1)),
                    SpecialValueEncoding.FiniteAllOnesNaN => sign | (allOnesField << m) | fractionMask,
                    SpecialValueEncoding.FiniteNegativeZeroNaN => signBit,
                    _ => throw new InvalidOperationException($"The format {format} has no NaN."),
                };
        }

        Dyadic magnitude = result.Magnitude;
        if (magnitude.IsZero)
        {
            return sign;
        }

        int e = checked((int)magnitude.FloorLog2);
        if (format.HasZero && e < format.MinExponent)
        {
            // Subnormal: exponent field 0, value = fraction · 2^(emin − m).
            return sign | (ulong)magnitude.ExactMultipleOf(format.MinExponent - m);
        }

        BigInteger significand = magnitude.ExactMultipleOf(e - m);
        ulong field = (ulong)(e + format.ExponentBias);
        return sign | (field << m) | ((ulong)significand & fractionMask);
    }
}
