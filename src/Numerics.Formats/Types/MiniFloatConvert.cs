// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using System.Runtime.CompilerServices;

namespace Numerics.Formats.Types;

/// <summary>
/// Generic-math conversions of the scalar types from and to the primitive numeric types (the <c>TryConvertFrom*</c> /
/// <c>TryConvertTo*</c> members of <see cref="INumberBase{TSelf}"/>), and the correctly rounded fused multiply-add.
/// </summary>
internal static class MiniFloatConvert
{
    /// <summary>
    /// Converts a primitive number to a <see cref="double"/> from which one more rounding to a format of at most 51 bits of precision
    /// gives the correctly rounded result: exact for every type up to 32-bit integers, <see cref="float"/> and <see cref="Half"/>;
    /// rounded to odd for 64- and 128-bit integers (Boldo–Melquiond: a round-to-odd intermediate with at least two more bits
    /// than the target makes the second rounding correct); <see cref="decimal"/> goes through <see cref="double"/> (two roundings).
    /// </summary>
    /// <returns><see langword="false"/> when <typeparamref name="TOther"/> is not a primitive number type.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryToDouble<TOther>(TOther value, out double result)
        where TOther : INumberBase<TOther>
    {
        if (typeof(TOther) == typeof(double))
        {
            result = (double)(object)value;
        }
        else if (typeof(TOther) == typeof(float))
        {
            result = (float)(object)value;
        }
        else if (typeof(TOther) == typeof(Half))
        {
            result = (double)(Half)(object)value;
        }
        else if (typeof(TOther) == typeof(byte))
        {
            result = (byte)(object)value;
        }
        else if (typeof(TOther) == typeof(sbyte))
        {
            result = (sbyte)(object)value;
        }
        else if (typeof(TOther) == typeof(short))
        {
            result = (short)(object)value;
        }
        else if (typeof(TOther) == typeof(ushort))
        {
            result = (ushort)(object)value;
        }
        else if (typeof(TOther) == typeof(char))
        {
            result = (char)(object)value;
        }
        else if (typeof(TOther) == typeof(int))
        {
            result = (int)(object)value;
        }
        else if (typeof(TOther) == typeof(uint))
        {
            result = (uint)(object)value;
        }
        else if (typeof(TOther) == typeof(long))
        {
            long v = (long)(object)value;
            result = RoundToOdd(v < 0 ? (UInt128)(0UL - (ulong)v) : (ulong)v, v < 0);
        }
        else if (typeof(TOther) == typeof(nint))
        {
            long v = (nint)(object)value;
            result = RoundToOdd(v < 0 ? (UInt128)(0UL - (ulong)v) : (ulong)v, v < 0);
        }
        else if (typeof(TOther) == typeof(ulong))
        {
            result = RoundToOdd((ulong)(object)value, false);
        }
        else if (typeof(TOther) == typeof(nuint))
        {
            result = RoundToOdd((nuint)(object)value, false);
        }
        else if (typeof(TOther) == typeof(Int128))
        {
            Int128 v = (Int128)(object)value;
            result = RoundToOdd(Int128.IsNegative(v) ? (UInt128)0 - (UInt128)v : (UInt128)v, Int128.IsNegative(v));
        }
        else if (typeof(TOther) == typeof(UInt128))
        {
            result = RoundToOdd((UInt128)(object)value, false);
        }
        else if (typeof(TOther) == typeof(decimal))
        {
            result = (double)(decimal)(object)value;
        }
        else
        {
            result = 0;
            return false;
        }

        return true;
    }

    /// <summary>Converts an exact binary32 value to a primitive number type with <typeparamref name="TOther"/>'s own checked, saturating or truncating rules.</summary>
    /// <returns><see langword="false"/> when <typeparamref name="TOther"/> is not a primitive number type.</returns>
    public static bool TryFromSingle<TOther>(float value, ConversionKind kind, out TOther result)
        where TOther : INumberBase<TOther>
    {
        if (typeof(TOther) == typeof(double) || typeof(TOther) == typeof(float) || typeof(TOther) == typeof(Half)
            || typeof(TOther) == typeof(byte) || typeof(TOther) == typeof(sbyte) || typeof(TOther) == typeof(short)
            || typeof(TOther) == typeof(ushort) || typeof(TOther) == typeof(char) || typeof(TOther) == typeof(int)
            || typeof(TOther) == typeof(uint) || typeof(TOther) == typeof(long) || typeof(TOther) == typeof(ulong)
            || typeof(TOther) == typeof(nint) || typeof(TOther) == typeof(nuint) || typeof(TOther) == typeof(Int128)
            || typeof(TOther) == typeof(UInt128) || typeof(TOther) == typeof(decimal))
        {
            result = kind switch
            {
                ConversionKind.Checked => TOther.CreateChecked(value),
                ConversionKind.Saturating => TOther.CreateSaturating(value),
                _ => TOther.CreateTruncating(value),
            };
            return true;
        }

        result = TOther.Zero;
        return false;
    }

    /// <summary>
    /// a · b + c for values of a format with at most 8 bits of precision, rounded to odd in <see cref="double"/>: the product is exact
    /// (at most 16 significant bits, exponents far inside binary64's range), the sum's rounding error is recovered exactly with
    /// TwoSum, and an inexact sum with an even last bit moves one ulp toward the exact value. Rounding the result once more to the
    /// format (at least 45 bits narrower) then gives the correctly rounded a · b + c.
    /// </summary>
    public static double FusedMultiplyAddToOdd(double a, double b, double c)
    {
        double product = a * b;
        double sum = product + c;
        if (!double.IsFinite(sum))
        {
            return sum;
        }

        double productPart = sum - c;
        double addendPart = sum - productPart;
        double error = (product - productPart) + (c - addendPart);
        if (error != 0 && (BitConverter.DoubleToUInt64Bits(sum) & 1) == 0)
        {
            sum = error > 0 ? Math.BitIncrement(sum) : Math.BitDecrement(sum);
        }

        return sum;
    }

    private static double RoundToOdd(UInt128 magnitude, bool negative)
    {
        const int DoublePrecision = 53;
        int length = 128 - (int)UInt128.LeadingZeroCount(magnitude);
        double result;
        if (length <= DoublePrecision)
        {
            result = (ulong)magnitude;
        }
        else
        {
            int drop = length - DoublePrecision;
            ulong kept = (ulong)(magnitude >> drop);
            if ((magnitude & ((UInt128.One << drop) - 1)) != 0)
            {
                kept |= 1; // sticky: the truncated value made odd
            }

            result = Math.ScaleB(kept, drop);
        }

        return negative ? -result : result;
    }
}

/// <summary>The three conversion flavours of generic math.</summary>
internal enum ConversionKind
{
    Checked,
    Saturating,
    Truncating,
}
