// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Formats;

/// <summary>
/// Describes a binary floating-point format: its precision, exponent range, bit layout and special values.
/// </summary>
/// <remarks>
/// <para>
/// A format has <see cref="Precision"/> significand bits including the implicit leading bit, normal numbers
/// (-1)^s · m · 2^e with 1 ≤ m &lt; 2 and <see cref="MinExponent"/> ≤ e ≤ <see cref="MaxExponent"/>, optionally subnormal
/// numbers below 2^<see cref="MinExponent"/>, and special values laid out as <see cref="SpecialValues"/> says.
/// </para>
/// <para>
/// The presets follow the LLVM/ml_dtypes names and semantics (OCP OFP8 rev 1.0, OCP MX v1.0, IEEE 754-2019).
/// <see cref="Create"/> builds a custom format in CPFloat's (precision, emin, emax) model, whose largest finite value is
/// 2^emax · (2 − 2^(1−p)); its bit layout is IEEE-like (bias 1 − emin, the all-ones exponent field reserved for infinities
/// and NaNs), with as many exponent bits as the range needs.
/// </para>
/// <para>Instances are immutable and thread-safe. Two formats are equal when every parameter is equal; the name is not compared.</para>
/// </remarks>
public sealed partial class FloatFormat : IEquatable<FloatFormat>
{
    private FloatFormat(
        string name,
        int exponentBits,
        int mantissaBits,
        int exponentBias,
        SpecialValueEncoding specialValues,
        bool isSigned,
        bool hasSubnormals,
        int maxExponent,
        double maxFinite)
    {
        Name = name;
        ExponentBits = exponentBits;
        MantissaBits = mantissaBits;
        ExponentBias = exponentBias;
        SpecialValues = specialValues;
        IsSigned = isSigned;
        HasSubnormals = hasSubnormals;
        MaxExponent = maxExponent;
        MaxFinite = maxFinite;
        HasZero = specialValues != SpecialValueEncoding.FiniteAllOnesNaN || isSigned;
        MinExponent = HasZero ? 1 - exponentBias : -exponentBias;
    }

    /// <summary>Gets a short name for the format (for example <c>"float8_e4m3fn"</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the total number of bits of an encoded value (sign, exponent and fraction fields).</summary>
    public int BitCount => (IsSigned ? 1 : 0) + ExponentBits + MantissaBits;

    /// <summary>Gets the width of the exponent field.</summary>
    public int ExponentBits { get; }

    /// <summary>Gets the width of the stored fraction (trailing significand) field; the precision is one more.</summary>
    public int MantissaBits { get; }

    /// <summary>Gets the precision p: the number of significand bits, including the implicit leading bit.</summary>
    public int Precision => MantissaBits + 1;

    /// <summary>Gets the exponent bias of the encoding.</summary>
    public int ExponentBias { get; }

    /// <summary>Gets emin, the exponent of the smallest positive normal number 2^emin.</summary>
    public int MinExponent { get; }

    /// <summary>Gets emax, the exponent of the largest finite number.</summary>
    public int MaxExponent { get; }

    /// <summary>Gets where the format keeps its infinities, NaNs and zeros.</summary>
    public SpecialValueEncoding SpecialValues { get; }

    /// <summary>Gets a value indicating whether the format has a sign bit (every preset except <see cref="E8M0FNU"/>).</summary>
    public bool IsSigned { get; }

    /// <summary>Gets a value indicating whether the format has subnormal numbers between zero and <see cref="MinNormal"/>.</summary>
    public bool HasSubnormals { get; }

    /// <summary>Gets a value indicating whether the format can represent zero (every preset except <see cref="E8M0FNU"/>).</summary>
    public bool HasZero { get; }

    /// <summary>Gets a value indicating whether the format has infinities.</summary>
    public bool HasInfinity => SpecialValues == SpecialValueEncoding.Ieee;

    /// <summary>Gets a value indicating whether the format has at least one NaN encoding.</summary>
    public bool HasNaN => SpecialValues != SpecialValueEncoding.FiniteOnly;

    /// <summary>Gets a value indicating whether the format has a negative zero distinct from +0.</summary>
    public bool HasNegativeZero => IsSigned && HasZero && SpecialValues != SpecialValueEncoding.FiniteNegativeZeroNaN;

    /// <summary>Gets the largest finite value.</summary>
    public double MaxFinite { get; }

    /// <summary>Gets the smallest positive normal value, 2^<see cref="MinExponent"/>.</summary>
    public double MinNormal => Math.ScaleB(1.0, MinExponent);

    /// <summary>Gets the smallest positive value: the smallest subnormal, or <see cref="MinNormal"/> for a format without subnormals.</summary>
    public double MinSubnormal => HasSubnormals ? Math.ScaleB(1.0, MinExponent - MantissaBits) : MinNormal;

    /// <summary>Gets the machine epsilon 2^(1−p): the distance from 1 to the next larger representable value.</summary>
    public double Epsilon => Math.ScaleB(1.0, -MantissaBits);

    /// <summary>Gets the unit roundoff u = 2^(−p), the relative error bound of round-to-nearest for normal values.</summary>
    public double UnitRoundoff => Math.ScaleB(1.0, -Precision);

    /// <summary>Gets the number of distinct codes, 2^<see cref="BitCount"/>.</summary>
    /// <exception cref="InvalidOperationException">
    /// The format is wider than 30 bits (for example <see cref="Binary32"/>), so 2^<see cref="BitCount"/> does not fit in an <see cref="int"/>.
    /// </exception>
    public int CodeCount => BitCount <= 30
        ? 1 << BitCount
        : throw new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"{Name} has 2^{BitCount} codes, more than an int can count."));

    /// <summary>IEEE 754 binary64 (double): p = 53, emin = −1022, emax = 1023.</summary>
    public static FloatFormat Binary64 { get; } = Ieee("binary64", 11, 52);

    /// <summary>IEEE 754 binary32 (float): p = 24, emin = −126, emax = 127.</summary>
    public static FloatFormat Binary32 { get; } = Ieee("binary32", 8, 23);

    /// <summary>IEEE 754 binary16 (<see cref="Half"/>): p = 11, emin = −14, emax = 15, max 65504.</summary>
    public static FloatFormat Binary16 { get; } = Ieee("binary16", 5, 10);

    /// <summary>bfloat16: the top 16 bits of binary32; p = 8, emin = −126, emax = 127.</summary>
    public static FloatFormat BFloat16 { get; } = Ieee("bfloat16", 8, 7);

    /// <summary>NVIDIA TensorFloat-32: binary32's exponent with a 10-bit fraction (19 bits); p = 11, emin = −126, emax = 127.</summary>
    public static FloatFormat TensorFloat32 { get; } = Ieee("tf32", 8, 10);

    /// <summary>OCP OFP8 E5M2 (<c>float8_e5m2</c>): IEEE-like, bias 15, max 57344, infinities and NaNs.</summary>
    public static FloatFormat E5M2 { get; } = Ieee("float8_e5m2", 5, 2);

    /// <summary>OCP OFP8 E4M3 (<c>float8_e4m3fn</c>): bias 7, max 448, no infinities, S.1111.111 is NaN.</summary>
    public static FloatFormat E4M3FN { get; } = Finite("float8_e4m3fn", 4, 3, 7, SpecialValueEncoding.FiniteAllOnesNaN);

    /// <summary><c>float8_e4m3fnuz</c> (AMD/Graphcore): bias 8, max 240, no infinities, no −0; 0x80 is the only NaN.</summary>
    public static FloatFormat E4M3FNUZ { get; } = Finite("float8_e4m3fnuz", 4, 3, 8, SpecialValueEncoding.FiniteNegativeZeroNaN);

    /// <summary><c>float8_e5m2fnuz</c>: bias 16, max 57344, no infinities, no −0; 0x80 is the only NaN.</summary>
    public static FloatFormat E5M2FNUZ { get; } = Finite("float8_e5m2fnuz", 5, 2, 16, SpecialValueEncoding.FiniteNegativeZeroNaN);

    /// <summary><c>float8_e4m3b11fnuz</c>: bias 11, max 30, no infinities, no −0; 0x80 is the only NaN.</summary>
    public static FloatFormat E4M3B11FNUZ { get; } = Finite("float8_e4m3b11fnuz", 4, 3, 11, SpecialValueEncoding.FiniteNegativeZeroNaN);

    /// <summary>IEEE-like <c>float8_e4m3</c>: bias 7, max 240, infinities 0x78/0xF8 and NaNs.</summary>
    public static FloatFormat E4M3 { get; } = Ieee("float8_e4m3", 4, 3);

    /// <summary>IEEE-like <c>float8_e3m4</c>: bias 3, max 15.5, infinities 0x70/0xF0 and NaNs.</summary>
    public static FloatFormat E3M4 { get; } = Ieee("float8_e3m4", 3, 4);

    /// <summary>OCP MX FP6 E3M2 (<c>float6_e3m2fn</c>): bias 3, max 28, no infinities and no NaN.</summary>
    public static FloatFormat E3M2FN { get; } = Finite("float6_e3m2fn", 3, 2, 3, SpecialValueEncoding.FiniteOnly);

    /// <summary>OCP MX FP6 E2M3 (<c>float6_e2m3fn</c>): bias 1, max 7.5, no infinities and no NaN.</summary>
    public static FloatFormat E2M3FN { get; } = Finite("float6_e2m3fn", 2, 3, 1, SpecialValueEncoding.FiniteOnly);

    /// <summary>OCP MX FP4 E2M1 (<c>float4_e2m1fn</c>): bias 1, values {0, 0.5, 1, 1.5, 2, 3, 4, 6} and their negatives.</summary>
    public static FloatFormat E2M1FN { get; } = Finite("float4_e2m1fn", 2, 1, 1, SpecialValueEncoding.FiniteOnly);

    /// <summary>
    /// OCP MX scale E8M0 (<c>float8_e8m0fnu</c>): unsigned powers of two 2^(c−127) for codes c = 0..254, 0xFF is NaN; no zero,
    /// no sign, no infinities.
    /// </summary>
    public static FloatFormat E8M0FNU { get; } = new(
        "float8_e8m0fnu", 8, 0, 127, SpecialValueEncoding.FiniteAllOnesNaN, isSigned: false, hasSubnormals: false, maxExponent: 127, maxFinite: Math.ScaleB(1.0, 127));

    /// <summary>Gets every preset, narrowest last.</summary>
    public static IReadOnlyList<FloatFormat> Presets { get; } =
    [
        Binary64, Binary32, TensorFloat32, Binary16, BFloat16, E5M2, E4M3FN, E4M3FNUZ, E5M2FNUZ, E4M3B11FNUZ, E4M3, E3M4,
        E8M0FNU, E3M2FN, E2M3FN, E2M1FN,
    ];

    /// <summary>
    /// Creates a custom format in CPFloat's model: <paramref name="precision"/> significand bits (including the implicit bit),
    /// normal exponents from <paramref name="minExponent"/> to <paramref name="maxExponent"/>.
    /// </summary>
    /// <param name="precision">The precision p ≥ 1, counting the implicit bit; at most 53.</param>
    /// <param name="minExponent">emin, the exponent of the smallest normal number; at least −1022.</param>
    /// <param name="maxExponent">emax, the exponent of the largest finite number; at least <paramref name="minExponent"/> and at most 1023.</param>
    /// <param name="subnormals">
    /// Whether the format has subnormal numbers. Without them the only values below 2^emin are 0 and 2^emin, and the rounding
    /// mode picks between them (0 counts as even).
    /// </param>
    /// <param name="infinity">Whether the format has infinities. Without them a non-saturating overflow gives NaN.</param>
    /// <returns>The format. Its largest finite value is 2^emax · (2 − 2^(1−p)).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the range stated above.</exception>
    public static FloatFormat Create(int precision, int minExponent, int maxExponent, bool subnormals = true, bool infinity = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, 53);
        ArgumentOutOfRangeException.ThrowIfLessThan(minExponent, -1022);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxExponent, 1023);
        if (maxExponent < minExponent)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxExponent), maxExponent, $"The exponent range is empty: maxExponent ({maxExponent}) is less than minExponent ({minExponent}).");
        }

        // Exponent fields: 0 for zero/subnormals, 1..(emax - emin + 1) for the normal binades, and one all-ones field for
        // infinities and NaNs (a format without infinity still needs a NaN for non-saturating overflow).
        int fields = maxExponent - minExponent + 3;
        int exponentBits = 32 - int.LeadingZeroCount(fields - 1);
        int mantissaBits = precision - 1;
        double maxFinite = Math.ScaleB(2.0 - Math.ScaleB(1.0, 1 - precision), maxExponent);
        string name = string.Create(
            CultureInfo.InvariantCulture,
            $"custom(p={precision},emin={minExponent},emax={maxExponent}{(subnormals ? string.Empty : ",ftz")}{(infinity ? string.Empty : ",noinf")})");
        return new FloatFormat(
            name,
            exponentBits,
            mantissaBits,
            1 - minExponent,
            infinity ? SpecialValueEncoding.Ieee : SpecialValueEncoding.IeeeNoInfinity,
            isSigned: true,
            hasSubnormals: subnormals,
            maxExponent,
            maxFinite);
    }

    private static FloatFormat Ieee(string name, int exponentBits, int mantissaBits)
    {
        int bias = (1 << (exponentBits - 1)) - 1;
        return new FloatFormat(
            name, exponentBits, mantissaBits, bias, SpecialValueEncoding.Ieee, isSigned: true, hasSubnormals: true, maxExponent: bias,
            maxFinite: Math.ScaleB(2.0 - Math.ScaleB(1.0, -mantissaBits), bias));
    }

    private static FloatFormat Finite(string name, int exponentBits, int mantissaBits, int bias, SpecialValueEncoding specials)
    {
        int emax = (1 << exponentBits) - 1 - bias;

        // In the "fn" encoding the all-ones fraction of the top binade is NaN, so the largest fraction is all-ones minus one.
        double topFraction = specials == SpecialValueEncoding.FiniteAllOnesNaN
            ? 2.0 - Math.ScaleB(2.0, -mantissaBits)
            : 2.0 - Math.ScaleB(1.0, -mantissaBits);
        return new FloatFormat(
            name, exponentBits, mantissaBits, bias, specials, isSigned: true, hasSubnormals: true, maxExponent: emax, maxFinite: Math.ScaleB(topFraction, emax));
    }

    /// <inheritdoc/>
    public bool Equals(FloatFormat? other) =>
        other is not null
        && ExponentBits == other.ExponentBits
        && MantissaBits == other.MantissaBits
        && ExponentBias == other.ExponentBias
        && SpecialValues == other.SpecialValues
        && IsSigned == other.IsSigned
        && HasSubnormals == other.HasSubnormals
        && MaxExponent == other.MaxExponent;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FloatFormat);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(ExponentBits, MantissaBits, ExponentBias, SpecialValues, IsSigned, HasSubnormals, MaxExponent);

    /// <summary>Returns the format's name.</summary>
    /// <returns>The name, for example <c>"float8_e4m3fn"</c>.</returns>
    public override string ToString() => Name;
}
