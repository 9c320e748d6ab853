// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Numerics.Formats;

/// <summary>The OCP MX scale format E8M0 (<c>float8_e8m0fnu</c>): an unsigned power of two 2^(c − 127), or NaN.</summary>
/// <remarks>
/// <para>
/// Layout: U E8 M0 (no sign bit, no fraction), exponent bias 127. Code c = 0 … 254 is 2^(c − 127), from 2^-127 (0x00, which is a
/// binary32 subnormal) to 2^127 (0xFE); 0xFF is the only NaN. There is no zero, no infinity, no negative value and no subnormal.
/// Spec: OCP Microscaling Formats (MX) v1.0 §5.4.1; <c>ml_dtypes.float8_e8m0fnu</c>, <c>torch.float8_e8m0fnu</c>.
/// </para>
/// <para>
/// Conversions from <see cref="float"/>, <see cref="double"/> and <see cref="Half"/> follow ml_dtypes' default cast
/// (FORMATS.md §1.3), rounding once: a mantissa fraction below 1.5 rounds down, from 1.5 up (the kept bit is the implicit 1, so
/// ties go up); below 2^-126 values up to 2^-127 give 0x00 and larger ones 0x01; zero, negative values, ±∞ and NaN give NaN, and
/// values from 1.5 · 2^127 up overflow to NaN. Conversions to <see cref="float"/> and <see cref="double"/> are exact.
/// </para>
/// <para>
/// Interfaces: only what a scale supports. It is not an <see cref="INumberBase{TSelf}"/> (that needs a zero, a sign and
/// addition); it has the comparison and equality operators, <see cref="IMinMaxValue{TSelf}"/>, the multiplicative identity and
/// the × and ÷ operators (computed in <see cref="float"/> and rounded once; a product or quotient beyond binary32's range
/// overflows to ∞ or flushes to 0 there, both of which give NaN, as in ml_dtypes). Comparisons order the codes, NaN is
/// unordered; <see cref="Equals(Float8E8M0FNU)"/> treats NaN as equal to NaN.
/// </para>
/// <para>Span conversions with every rounding and overflow mode: <see cref="ConvertFromSingle"/> and <see cref="ConvertToSingle"/>.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Float8E8M0FNU
    : IComparable,
      ISpanFormattable,
      IComparable<Float8E8M0FNU>,
      IEquatable<Float8E8M0FNU>,
      IComparisonOperators<Float8E8M0FNU, Float8E8M0FNU, bool>,
      IMultiplyOperators<Float8E8M0FNU, Float8E8M0FNU, Float8E8M0FNU>,
      IDivisionOperators<Float8E8M0FNU, Float8E8M0FNU, Float8E8M0FNU>,
      IMultiplicativeIdentity<Float8E8M0FNU, Float8E8M0FNU>,
      IMinMaxValue<Float8E8M0FNU>,
      ISpanParsable<Float8E8M0FNU>,
      IUtf8SpanFormattable,
      IUtf8SpanParsable<Float8E8M0FNU>
{
    private const byte NaNBits = 0xFF;
    private const byte MaxValueBits = 0xFE;
    private const byte MinValueBits = 0x00;
    private const byte OneBits = 0x7F;
    private const int ExponentBias = 127;
    private const uint SingleExponentShift = 23;
    private const uint SingleHalfFraction = 1u << 22;         // fraction 0.5: from here the significand rounds up
    private const uint SingleMinValueBits = 0x0040_0000;      // 2^-127, a binary32 subnormal
    private const uint SingleInfinityBits = 0x7F80_0000;
    private const ulong DoubleInfinityBits = 0x7FF0_0000_0000_0000;
    private const ulong DoubleHalfFraction = 1UL << 51;
    private const int DoubleExponentShift = 52;
    private const int DoubleBias = 1023;
    private const NumberStyles DefaultParseStyle = NumberStyles.Float | NumberStyles.AllowThousands;

    private readonly byte _bits;

    private Float8E8M0FNU(byte bits) => _bits = bits;

    /// <summary>Gets the raw bit pattern (the biased exponent, or 0xFF for NaN).</summary>
    public byte RawBits => _bits;

    /// <summary>Creates a value from its bit pattern.</summary>
    /// <param name="bits">The bit pattern: c = 0 … 254 is 2^(c − 127), 0xFF is NaN.</param>
    /// <returns>The value whose <see cref="RawBits"/> are <paramref name="bits"/>.</returns>
    public static Float8E8M0FNU FromBits(byte bits) => new(bits);

    // Constants

    /// <summary>Gets the largest value, 2^127 (0xFE).</summary>
    public static Float8E8M0FNU MaxValue => new(MaxValueBits);

    /// <summary>Gets the smallest value, 2^-127 (0x00); the format has no zero and no negative values.</summary>
    public static Float8E8M0FNU MinValue => new(MinValueBits);

    /// <summary>Gets the smallest positive value, 2^-127 (0x00), the same as <see cref="MinValue"/>.</summary>
    public static Float8E8M0FNU Epsilon => new(MinValueBits);

    /// <summary>Gets 1 = 2^0 (0x7F).</summary>
    public static Float8E8M0FNU One => new(OneBits);

    /// <summary>Gets NaN (0xFF, the only NaN).</summary>
    public static Float8E8M0FNU NaN => new(NaNBits);

    /// <inheritdoc cref="IMultiplicativeIdentity{TSelf, TResult}.MultiplicativeIdentity"/>
    static Float8E8M0FNU IMultiplicativeIdentity<Float8E8M0FNU, Float8E8M0FNU>.MultiplicativeIdentity => One;

    // Conversions

    /// <summary>Converts a <see cref="float"/> to E8M0 as ml_dtypes does (see the type's remarks).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The rounded power of two, or NaN.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator Float8E8M0FNU(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((int)bits <= 0 || bits >= SingleInfinityBits)
        {
            return new(NaNBits); // ±0, negative values (any sign bit), ±∞ and NaN
        }

        uint biased = bits >> (int)SingleExponentShift;
        if (biased == 0)
        {
            // Below 2^-126 ml_dtypes rounds on binary32's subnormal grid {0, 2^-126}, ties to 0, and 0 becomes code 0x00.
            return new(bits > SingleMinValueBits ? (byte)1 : (byte)0);
        }

        // The binary32 biased exponent is the E8M0 code; a fraction of at least one half rounds up (ties up), and code 255
        // (from 1.5 · 2^127 up) is the non-saturating overflow, NaN.
        uint code = biased + ((bits & ((1u << (int)SingleExponentShift) - 1)) >= SingleHalfFraction ? 1u : 0u);
        return new(code >= NaNBits ? NaNBits : (byte)code);
    }

    /// <summary>Converts a <see cref="double"/> to E8M0 directly, with one rounding (see the type's remarks).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The rounded power of two, or NaN.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator Float8E8M0FNU(double value)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        if ((long)bits <= 0 || bits >= DoubleInfinityBits)
        {
            return new(NaNBits);
        }

        int exponent = (int)(bits >> DoubleExponentShift) - DoubleBias;
        if (exponent < 1 - ExponentBias)
        {
            // Below 2^-126: up to 2^-127 gives 0x00, above it 0x01 (as the binary32 conversion).
            return new(value > Math.ScaleB(1.0, -ExponentBias) ? (byte)1 : (byte)0);
        }

        int code = exponent + ExponentBias + ((bits & ((1UL << DoubleExponentShift) - 1)) >= DoubleHalfFraction ? 1 : 0);
        return new(code >= NaNBits ? NaNBits : (byte)code);
    }

    /// <summary>Converts a <see cref="Half"/> to E8M0 (one rounding: binary16 widens exactly to binary32).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The rounded power of two, or NaN.</returns>
    public static explicit operator Float8E8M0FNU(Half value) => (Float8E8M0FNU)(float)value;

    /// <summary>Converts to <see cref="float"/> exactly (0x00 gives the binary32 subnormal 2^-127).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>2^(c − 127), or NaN.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator float(Float8E8M0FNU value) =>
        value._bits switch
        {
            MinValueBits => BitConverter.UInt32BitsToSingle(SingleMinValueBits),
            NaNBits => float.NaN,
            _ => BitConverter.UInt32BitsToSingle((uint)value._bits << (int)SingleExponentShift),
        };

    /// <summary>Converts to <see cref="double"/> exactly.</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>2^(c − 127), or NaN.</returns>
    public static explicit operator double(Float8E8M0FNU value) => (float)value;

    /// <summary>Converts to the nearest <see cref="Half"/> (values from 2^16 up give +∞, values below 2^-25 give 0).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The rounded value.</returns>
    public static explicit operator Half(Float8E8M0FNU value) => (Half)(float)value;

    // Span conversions

    /// <summary>Converts every element of <paramref name="source"/> to E8M0 in the given rounding and overflow mode.</summary>
    /// <param name="source">The values to convert.</param>
    /// <param name="destination">The converted values; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <param name="rounding">The rounding mode; <see cref="RoundingMode.NearestEven"/> gives the same bits as the explicit conversion.</param>
    /// <param name="overflow">What an overflow, a zero or a negative input gives (see <see cref="FloatFormat.Encode(double, RoundingMode, OverflowMode)"/>).</param>
    /// <param name="seed">The seed of the stochastic modes: element i uses <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, i).</param>
    /// <remarks>Runs <see cref="FloatFormat.Encode(ReadOnlySpan{float}, Span{byte}, RoundingMode, OverflowMode, ulong)"/> of <see cref="FloatFormat.E8M0FNU"/> on the raw codes.</remarks>
    /// <exception cref="ArgumentException">The lengths differ, or the spans overlap.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public static void ConvertFromSingle(
        ReadOnlySpan<float> source, Span<Float8E8M0FNU> destination, RoundingMode rounding = RoundingMode.NearestEven, OverflowMode overflow = OverflowMode.NonSaturating, ulong seed = 0) =>
        FloatFormat.E8M0FNU.Encode(source, MemoryMarshal.Cast<Float8E8M0FNU, byte>(destination), rounding, overflow, seed);

    /// <summary>Converts every element of <paramref name="source"/> to <see cref="float"/> exactly.</summary>
    /// <param name="source">The values to convert.</param>
    /// <param name="destination">The converted values; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <remarks>Runs <see cref="FloatFormat.Decode(ReadOnlySpan{byte}, Span{float})"/> of <see cref="FloatFormat.E8M0FNU"/> on the raw codes.</remarks>
    /// <exception cref="ArgumentException">The lengths differ, or the spans overlap.</exception>
    public static void ConvertToSingle(ReadOnlySpan<Float8E8M0FNU> source, Span<float> destination) =>
        FloatFormat.E8M0FNU.Decode(MemoryMarshal.Cast<Float8E8M0FNU, byte>(source), destination);

    // Classification

    /// <summary>Determines whether a value is NaN (0xFF).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for NaN.</returns>
    public static bool IsNaN(Float8E8M0FNU value) => value._bits == NaNBits;

    /// <summary>Determines whether a value is finite (every code except NaN; every finite value is a normal power of two).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> unless the value is NaN.</returns>
    public static bool IsFinite(Float8E8M0FNU value) => value._bits != NaNBits;

    /// <summary>Determines whether a value is an integer (2^0 and up).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for codes 0x7F … 0xFE.</returns>
    public static bool IsInteger(Float8E8M0FNU value) => value._bits is >= OneBits and < NaNBits;

    // Comparison and equality: the codes are ordered like the values; NaN is unordered

    /// <summary>Compares two values for equality (false when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when the values are equal.</returns>
    public static bool operator ==(Float8E8M0FNU left, Float8E8M0FNU right) => left._bits == right._bits && left._bits != NaNBits;

    /// <summary>Compares two values for inequality (true when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when the values are not equal.</returns>
    public static bool operator !=(Float8E8M0FNU left, Float8E8M0FNU right) => !(left == right);

    /// <summary>Compares two values (false when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is less than <paramref name="right"/>.</returns>
    public static bool operator <(Float8E8M0FNU left, Float8E8M0FNU right) => left._bits < right._bits && right._bits != NaNBits;

    /// <summary>Compares two values (false when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is greater than <paramref name="right"/>.</returns>
    public static bool operator >(Float8E8M0FNU left, Float8E8M0FNU right) => right < left;

    /// <summary>Compares two values (false when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is less than or equal to <paramref name="right"/>.</returns>
    public static bool operator <=(Float8E8M0FNU left, Float8E8M0FNU right) => left._bits <= right._bits && right._bits != NaNBits;

    /// <summary>Compares two values (false when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is greater than or equal to <paramref name="right"/>.</returns>
    public static bool operator >=(Float8E8M0FNU left, Float8E8M0FNU right) => right <= left;

    /// <summary>Compares this value with another; NaN sorts below every number and equals NaN, as <see cref="Half.CompareTo(Half)"/>.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns>A negative number, zero or a positive number.</returns>
    public int CompareTo(Float8E8M0FNU other) => (byte)(_bits + 1) - (byte)(other._bits + 1); // NaN (0xFF) wraps to 0, below 2^-127

    /// <summary>Compares this value with an object, as <see cref="Half.CompareTo(object)"/>.</summary>
    /// <param name="obj">A <see cref="Float8E8M0FNU"/> or <see langword="null"/> (which sorts first).</param>
    /// <returns>A negative number, zero or a positive number.</returns>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="Float8E8M0FNU"/>.</exception>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Float8E8M0FNU other => CompareTo(other),
        _ => throw new ArgumentException("The object is not a Float8E8M0FNU.", nameof(obj)),
    };

    /// <summary>Determines whether two values are equal; NaN equals NaN (as <see cref="Half.Equals(Half)"/>), so this is equality of the codes.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns><see langword="true"/> when the codes are equal.</returns>
    public bool Equals(Float8E8M0FNU other) => _bits == other._bits;

    /// <summary>Determines whether an object is an equal <see cref="Float8E8M0FNU"/>.</summary>
    /// <param name="obj">The object.</param>
    /// <returns><see langword="true"/> for an equal value.</returns>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Float8E8M0FNU other && Equals(other);

    /// <summary>Returns a hash code consistent with <see cref="Equals(Float8E8M0FNU)"/>.</summary>
    /// <returns>The code.</returns>
    public override int GetHashCode() => _bits;

    // Arithmetic: × and ÷ only (a scale has no zero and no sign)

    /// <summary>Multiplies two values in <see cref="float"/> and rounds the product once (see the type's remarks for the range).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>The rounded product.</returns>
    public static Float8E8M0FNU operator *(Float8E8M0FNU left, Float8E8M0FNU right) => (Float8E8M0FNU)((float)left * (float)right);

    /// <summary>Divides two values in <see cref="float"/> and rounds the quotient once (see the type's remarks for the range).</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor.</param>
    /// <returns>The rounded quotient.</returns>
    public static Float8E8M0FNU operator /(Float8E8M0FNU left, Float8E8M0FNU right) => (Float8E8M0FNU)((float)left / (float)right);

    // Formatting (through double) and parsing (to the nearest double, then one rounding). Formatting goes through double, not
    // float: code 0x00 = 2^-127 lies on the rounding boundary below 2^-126, and float's shortest string for it parses to a double
    // just above 2^-127, which rounds to 0x01; double's shortest string parses back to 2^-127 exactly.

    /// <summary>Formats the value as its <see cref="double"/> value does (current culture).</summary>
    /// <returns>The string.</returns>
    public override string ToString() => ((double)this).ToString(CultureInfo.CurrentCulture);

    /// <summary>Formats the value with a numeric format string and culture-specific information, as its <see cref="double"/> value does.</summary>
    /// <param name="format">A standard or custom numeric format string.</param>
    /// <param name="formatProvider">Culture-specific formatting information.</param>
    /// <returns>The string.</returns>
    public string ToString([StringSyntax(StringSyntaxAttribute.NumericFormat)] string? format, IFormatProvider? formatProvider) =>
        ((double)this).ToString(format, formatProvider);

    /// <summary>Formats the value into a character span, as its <see cref="double"/> value does.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <param name="format">A numeric format string.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns><see langword="true"/> when the destination was large enough.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, [StringSyntax(StringSyntaxAttribute.NumericFormat)] ReadOnlySpan<char> format, IFormatProvider? provider) =>
        ((double)this).TryFormat(destination, out charsWritten, format, provider);

    /// <summary>Formats the value as UTF-8 into a byte span, as its <see cref="double"/> value does.</summary>
    /// <param name="utf8Destination">The destination.</param>
    /// <param name="bytesWritten">The number of bytes written.</param>
    /// <param name="format">A numeric format string.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns><see langword="true"/> when the destination was large enough.</returns>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, [StringSyntax(StringSyntaxAttribute.NumericFormat)] ReadOnlySpan<char> format, IFormatProvider? provider) =>
        ((double)this).TryFormat(utf8Destination, out bytesWritten, format, provider);

    /// <summary>Parses a number (style <see cref="NumberStyles.Float"/> | <see cref="NumberStyles.AllowThousands"/>) and rounds it once.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The nearest E8M0 value to the parsed <see cref="double"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a number.</exception>
    public static Float8E8M0FNU Parse(string s, IFormatProvider? provider) => (Float8E8M0FNU)double.Parse(s, DefaultParseStyle, provider);

    /// <summary>Parses a number from characters and rounds it once.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The nearest E8M0 value to the parsed <see cref="double"/>.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a number.</exception>
    public static Float8E8M0FNU Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => (Float8E8M0FNU)double.Parse(s, DefaultParseStyle, provider);

    /// <summary>Parses a number from UTF-8 text and rounds it once.</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The nearest E8M0 value to the parsed <see cref="double"/>.</returns>
    /// <exception cref="FormatException"><paramref name="utf8Text"/> is not a number.</exception>
    public static Float8E8M0FNU Parse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider) => (Float8E8M0FNU)double.Parse(utf8Text, DefaultParseStyle, provider);

    /// <summary>Tries to parse a number and round it once.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <param name="result">The nearest E8M0 value to the parsed <see cref="double"/>, or code 0x00 on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a number.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Float8E8M0FNU result) =>
        Finish(double.TryParse(s, DefaultParseStyle, provider, out double d), d, out result);

    /// <summary>Tries to parse a number from characters and round it once.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <param name="result">The nearest E8M0 value to the parsed <see cref="double"/>, or code 0x00 on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a number.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Float8E8M0FNU result) =>
        Finish(double.TryParse(s, DefaultParseStyle, provider, out double d), d, out result);

    /// <summary>Tries to parse a number from UTF-8 text and round it once.</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <param name="result">The nearest E8M0 value to the parsed <see cref="double"/>, or code 0x00 on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="utf8Text"/> is a number.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider, out Float8E8M0FNU result) =>
        Finish(double.TryParse(utf8Text, DefaultParseStyle, provider, out double d), d, out result);

    private static bool Finish(bool parsed, double value, out Float8E8M0FNU result)
    {
        result = parsed ? (Float8E8M0FNU)value : default;
        return parsed;
    }
}
