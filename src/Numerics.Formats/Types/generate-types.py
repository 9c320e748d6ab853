import textwrap, sys

TYPES = [
  # name, raw, traits, kind, bits, summary, remarks
  dict(name="BFloat16", raw="ushort", fmt="BFloat16Format", preset="BFloat16", kind="ieee", bits=16, m=7,
       summary="A 16-bit brain floating-point number (bfloat16): the top half of a binary32.",
       layout="S1 E8 M7 (the top 16 bits of a <see cref=\"float\"/>), exponent bias 127",
       specials="±∞ are 0x7F80/0xFF80; every code with the all-ones exponent field and a non-zero fraction is NaN (a NaN input converts to 0x7FC0 with its sign, as ml_dtypes and Eigen)",
       maxdesc="0x7F7F ≈ 3.3895314e38; the smallest normal is 2^-126 (0x0080) and the smallest subnormal 2^-133 (0x0001)",
       spec="Google Brain bfloat16, as <c>ml_dtypes.bfloat16</c> and <c>torch.bfloat16</c>",
       ovf="±∞ (from (2 − 2^-8) · 2^127 up)"),
  dict(name="Float8E4M3FN", raw="byte", fmt="E4M3FNFormat", preset="E4M3FN", kind="fn", bits=8, m=3,
       summary="An 8-bit floating-point number in the OCP OFP8 E4M3 format (<c>float8_e4m3fn</c>): finite values and NaN.",
       layout="S1 E4 M3, exponent bias 7",
       specials="no infinities; only 0x7F and 0xFF (S.1111.111) are NaN, so the top binade keeps 256 … 448",
       maxdesc="448 (0x7E); the smallest normal is 2^-6 (0x08) and the smallest subnormal 2^-9 (0x01)",
       spec="OCP 8-bit Floating Point Specification (OFP8) rev 1.0; <c>ml_dtypes.float8_e4m3fn</c>, <c>torch.float8_e4m3fn</c>",
       ovf="NaN with the input's sign (above 464; 464 itself rounds to 448)"),
  dict(name="Float8E5M2", raw="byte", fmt="E5M2Format", preset="E5M2", kind="ieee", bits=8, m=2,
       summary="An 8-bit floating-point number in the OCP OFP8 E5M2 format (<c>float8_e5m2</c>): IEEE-like, with infinities and NaNs.",
       layout="S1 E5 M2 (the top byte of a <see cref=\"Half\"/>), exponent bias 15",
       specials="±∞ are 0x7C/0xFC; 0x7D–0x7F and 0xFD–0xFF are NaN (a NaN input converts to the quiet 0x7E with its sign, as ml_dtypes)",
       maxdesc="57344 (0x7B); the smallest normal is 2^-14 (0x04) and the smallest subnormal 2^-16 (0x01)",
       spec="OCP 8-bit Floating Point Specification (OFP8) rev 1.0; <c>ml_dtypes.float8_e5m2</c>, <c>torch.float8_e5m2</c>",
       ovf="±∞ (from 61440 up)"),
  dict(name="Float8E4M3FNUZ", raw="byte", fmt="E4M3FNUZFormat", preset="E4M3FNUZ", kind="fnuz", bits=8, m=3,
       summary="An 8-bit floating-point number in the <c>float8_e4m3fnuz</c> format (AMD/Graphcore): finite values, one NaN, no negative zero.",
       layout="S1 E4 M3, exponent bias 8",
       specials="no infinities and no −0: 0x80 is the only NaN, and a negative value that rounds to zero gives +0 (0x00)",
       maxdesc="240 (0x7F); the smallest normal is 2^-7 (0x08) and the smallest subnormal 2^-10 (0x01)",
       spec="<c>ml_dtypes.float8_e4m3fnuz</c>, <c>torch.float8_e4m3fnuz</c> (Graphcore/AMD 8-bit formats)",
       ovf="NaN 0x80 (from 248 up)"),
  dict(name="Float8E5M2FNUZ", raw="byte", fmt="E5M2FNUZFormat", preset="E5M2FNUZ", kind="fnuz", bits=8, m=2,
       summary="An 8-bit floating-point number in the <c>float8_e5m2fnuz</c> format: finite values, one NaN, no negative zero.",
       layout="S1 E5 M2, exponent bias 16",
       specials="no infinities and no −0: 0x80 is the only NaN, and a negative value that rounds to zero gives +0 (0x00)",
       maxdesc="57344 (0x7F); the smallest normal is 2^-15 (0x04) and the smallest subnormal 2^-17 (0x01)",
       spec="<c>ml_dtypes.float8_e5m2fnuz</c>, <c>torch.float8_e5m2fnuz</c> (Graphcore/AMD 8-bit formats)",
       ovf="NaN 0x80 (from 61440 up)"),
  dict(name="Float6E2M3FN", raw="byte", fmt="E2M3FNFormat", preset="E2M3FN", kind="finite", bits=6, m=3,
       summary="A 6-bit floating-point number in the OCP MX FP6 E2M3 format (<c>float6_e2m3fn</c>), stored unpacked in the low 6 bits of a byte.",
       layout="S1 E2 M3 in bits 5…0 (bits 7 and 6 are always zero), exponent bias 1",
       specials="no infinities and no NaN: every code is a number (0x20 is −0)",
       maxdesc="7.5 (0x1F); the smallest normal is 1 (0x08) and the smallest subnormal 0.125 (0x01)",
       spec="OCP Microscaling Formats (MX) v1.0; <c>ml_dtypes.float6_e2m3fn</c>",
       ovf="±7.5 (there is nothing larger); a NaN input gives −0 for +NaN and +0 for −NaN (ml_dtypes)"),
  dict(name="Float6E3M2FN", raw="byte", fmt="E3M2FNFormat", preset="E3M2FN", kind="finite", bits=6, m=2,
       summary="A 6-bit floating-point number in the OCP MX FP6 E3M2 format (<c>float6_e3m2fn</c>), stored unpacked in the low 6 bits of a byte.",
       layout="S1 E3 M2 in bits 5…0 (bits 7 and 6 are always zero), exponent bias 3",
       specials="no infinities and no NaN: every code is a number (0x20 is −0)",
       maxdesc="28 (0x1F); the smallest normal is 0.25 (0x04) and the smallest subnormal 0.0625 (0x01)",
       spec="OCP Microscaling Formats (MX) v1.0; <c>ml_dtypes.float6_e3m2fn</c>",
       ovf="±28 (there is nothing larger); a NaN input gives −0 for +NaN and +0 for −NaN (ml_dtypes)"),
  dict(name="Float4E2M1FN", raw="byte", fmt="E2M1FNFormat", preset="E2M1FN", kind="finite", bits=4, m=1,
       summary="A 4-bit floating-point number in the OCP MX FP4 E2M1 format (<c>float4_e2m1fn</c>), stored unpacked in the low 4 bits of a byte.",
       layout="S1 E2 M1 in bits 3…0 (bits 7…4 are always zero), exponent bias 1; the values are ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}",
       specials="no infinities and no NaN: every code is a number (0x8 is −0)",
       maxdesc="6 (0x7); the smallest normal is 1 (0x2) and the smallest subnormal 0.5 (0x1)",
       spec="OCP Microscaling Formats (MX) v1.0; <c>ml_dtypes.float4_e2m1fn</c>",
       ovf="±6 (there is nothing larger); a NaN input gives −0 for +NaN and +0 for −NaN (ml_dtypes)"),
]

def gen(t):
    T, R, F, kind, bits, m = t["name"], t["raw"], t["fmt"], t["kind"], t["bits"], t["m"]
    ieee = kind == "ieee"
    hasnan = kind != "finite"
    hasnegzero = kind != "fnuz"
    sign = 1 << (bits - 1)
    mask = (1 << bits) - 1
    hexw = 4 if bits == 16 else 2
    def hx(v): return "0x%0*X" % (hexw, v)
    bf16 = T == "BFloat16"
    out = []
    w = out.append
    ifaces = ["IComparable", "ISpanFormattable", "IComparable<%s>" % T, "IEquatable<%s>" % T]
    if ieee:
        ifaces += ["IBinaryFloatingPointIeee754<%s>" % T]
    else:
        ifaces += ["IFloatingPoint<%s>" % T]
    ifaces += ["IMinMaxValue<%s>" % T, "IUtf8SpanFormattable"]
    if ieee:
        whyifaces = "It implements <see cref=\"IBinaryFloatingPointIeee754{TSelf}\"/>, as <see cref=\"Half\"/> does: the format has ±∞, NaN and −0."
    elif kind == "fn" or kind == "fnuz":
        whyifaces = ("It implements <see cref=\"IFloatingPoint{TSelf}\"/> (with <see cref=\"INumber{TSelf}\"/> and <see cref=\"ISignedNumber{TSelf}\"/>) but not "
                     "<see cref=\"IFloatingPointIeee754{TSelf}\"/>, whose contract needs ±∞ (and a −0) that the format does not have. Floor, Ceiling, Round and "
                     "Truncate give the integer rounded once like a conversion, which is exact (every integer up to 2^p is a value and every value "
                     "from 2^(p−1) up is an integer) unless it exceeds the largest finite value (8 from 7.5 in FP6 E2M3, which overflows like a conversion).")
    else:
        whyifaces = ("It implements <see cref=\"IFloatingPoint{TSelf}\"/> (with <see cref=\"INumber{TSelf}\"/> and <see cref=\"ISignedNumber{TSelf}\"/>) but not "
                     "<see cref=\"IFloatingPointIeee754{TSelf}\"/>, whose contract needs ±∞ and NaN; the format has neither. Floor, Ceiling, Round and "
                     "Truncate give the integer rounded once like a conversion, which is exact (every integer up to 2^p is a value and every value "
                     "from 2^(p−1) up is an integer) unless it exceeds the largest finite value (8 from 7.5 in FP6 E2M3, which overflows like a conversion).")
    fmadoc = '; <see cref="FusedMultiplyAdd"/> is rounded once from an exact intermediate' if ieee else ''
    w(f"""// Licensed under the MIT License. See LICENSE in the repository root.
// Generated by generate-types.py in this folder (one template for the eight signed types): edit the generator and re-run it.

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Numerics.Formats.Types;

namespace Numerics.Formats;

/// <summary>{t['summary']}</summary>
/// <remarks>
/// <para>
/// Layout: {t['layout']}. Specials: {t['specials']}. The largest finite value is {t['maxdesc']}. Spec: {t['spec']}.
/// </para>
/// <para>
/// Conversions from <see cref="float"/>, <see cref="double"/> and <see cref="Half"/> round to nearest, ties to even, once
/// (a <see cref="double"/> converts directly, never through <see cref="float"/>), and are non-saturating like ml_dtypes' default
/// cast: an overflow gives {t['ovf']}. Conversions to <see cref="float"/> and <see cref="double"/> are exact. Arithmetic widens to
/// <see cref="float"/>, computes there and rounds the result once (for + − × ÷ and √ this is the correctly rounded result:
/// binary32 has more than twice the precision plus two bits){fmadoc}. Comparisons follow IEEE 754 (NaN is unordered, −0 == +0);
/// <see cref="Equals({T})"/> treats every NaN as equal to every NaN, as <see cref="Half"/> does. Sign, absolute value,
/// classification{' and next-up/down' if ieee else ''} work on the bits.
/// </para>
/// <para>{whyifaces}</para>
/// <para>Span conversions with every rounding and overflow mode: <see cref="ConvertFromSingle"/> and <see cref="ConvertToSingle"/>.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly struct {T}
    : """ + ",\n      ".join(ifaces) + "\n{")
    w(f"""    private const {R} SignMask = {hx(sign)};
    private const {R} MagnitudeMask = {hx(sign - 1)};
    private const {R} CodeMask = {hx(mask)};
    private const {R} PositiveZeroBits = 0;
    private const {R} EpsilonBits = 1;
    private const NumberStyles DefaultParseStyle = NumberStyles.Float | NumberStyles.AllowThousands;

    private readonly {R} _bits;

    private {T}({R} bits) => _bits = bits;
""")
    maxcode = {"BFloat16":0x7F7F,"Float8E4M3FN":0x7E,"Float8E5M2":0x7B,"Float8E4M3FNUZ":0x7F,"Float8E5M2FNUZ":0x7F,"Float6E2M3FN":0x1F,"Float6E3M2FN":0x1F,"Float4E2M1FN":0x7}[T]
    bias = {"BFloat16":127,"Float8E4M3FN":7,"Float8E5M2":15,"Float8E4M3FNUZ":8,"Float8E5M2FNUZ":16,"Float6E2M3FN":1,"Float6E3M2FN":3,"Float4E2M1FN":1}[T]
    onecode = bias << m
    w(f"""    private const {R} MaxValueBits = {hx(maxcode)};
    private const {R} OneBits = {hx(onecode)};
""")
    if ieee:
        inf = sign - (1 << m)
        w(f"""    private const {R} PositiveInfinityBits = {hx(inf)};
    private const {R} NegativeInfinityBits = {hx(inf | sign)};
    private const {R} NaNBits = {hx(sign | inf | (1 << (m-1)))};
""")
    elif kind == "fn":
        w(f"""    private const {R} NaNBits = {hx(sign | (sign-1))};
""")
    elif kind == "fnuz":
        w(f"""    private const {R} NaNBits = {hx(sign)};
""")
    # ---------------- bits and construction
    if bits < 8:
        frombitsdoc = f"""    /// <summary>Creates a value from its code.</summary>
    /// <param name="bits">The code, in the low {bits} bits.</param>
    /// <returns>The value whose <see cref="RawBits"/> are <paramref name="bits"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> has a bit set above the low {bits} (codes are unpacked, one per byte).</exception>
    public static {T} FromBits({R} bits)
    {{
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, CodeMask);
        return new {T}(bits);
    }}
"""
    else:
        frombitsdoc = f"""    /// <summary>Creates a value from its bit pattern.</summary>
    /// <param name="bits">The bit pattern.</param>
    /// <returns>The value whose <see cref="RawBits"/> are <paramref name="bits"/>.</returns>
    public static {T} FromBits({R} bits) => new(bits);
"""
    w(f"""    /// <summary>Gets the raw bit pattern (the code){' in the low %d bits' % bits if bits < 8 else ''}.</summary>
    public {R} RawBits => _bits;

{frombitsdoc}
    // Constants

    /// <summary>Gets the smallest positive value (the smallest subnormal), as <see cref="Half.Epsilon"/>.</summary>
    public static {T} Epsilon => new(EpsilonBits);

    /// <summary>Gets the largest finite value.</summary>
    public static {T} MaxValue => new(MaxValueBits);

    /// <summary>Gets the most negative finite value.</summary>
    public static {T} MinValue => new(({R})(MaxValueBits | SignMask));

    /// <summary>Gets +0.</summary>
    public static {T} Zero => new(PositiveZeroBits);

    /// <summary>Gets 1.</summary>
    public static {T} One => new(OneBits);

    /// <summary>Gets −1.</summary>
    public static {T} NegativeOne => new(({R})(OneBits | SignMask));
""")
    if hasnan:
        w(f"""    /// <summary>Gets a NaN ({hx(sign | (sign - (1 << m)) | (1 << (m-1))) if ieee else ('0x%02X' % (sign|(sign-1)) if kind=='fn' else '0x80, the only NaN')}).</summary>
    public static {T} NaN => new(NaNBits);
""")
    if ieee:
        w(f"""    /// <summary>Gets +∞.</summary>
    public static {T} PositiveInfinity => new(PositiveInfinityBits);

    /// <summary>Gets −∞.</summary>
    public static {T} NegativeInfinity => new(NegativeInfinityBits);
""")
    if hasnegzero:
        w(f"""    /// <summary>Gets −0.</summary>
    public static {T} NegativeZero => new(SignMask);
""")
    w(f"""    /// <summary>Gets e rounded to this format.</summary>
    public static {T} E => ({T})Math.E;

    /// <summary>Gets π rounded to this format.</summary>
    public static {T} Pi => ({T})Math.PI;

    /// <summary>Gets τ = 2π rounded to this format.</summary>
    public static {T} Tau => ({T})Math.Tau;

    /// <inheritdoc cref="INumberBase{{TSelf}}.Radix"/>
    static int INumberBase<{T}>.Radix => 2;

    /// <inheritdoc cref="IAdditiveIdentity{{TSelf, TResult}}.AdditiveIdentity"/>
    static {T} IAdditiveIdentity<{T}, {T}>.AdditiveIdentity => Zero;

    /// <inheritdoc cref="IMultiplicativeIdentity{{TSelf, TResult}}.MultiplicativeIdentity"/>
    static {T} IMultiplicativeIdentity<{T}, {T}>.MultiplicativeIdentity => One;
""")
    if ieee:
        w(f"""    /// <inheritdoc cref="IBinaryNumber{{TSelf}}.AllBitsSet"/>
    static {T} IBinaryNumber<{T}>.AllBitsSet => new(CodeMask);
""")
    # ---------------- conversions
    if bf16:
        fromsingle = """    /// <summary>Converts a <see cref="float"/> to the nearest bfloat16, ties to even; overflow gives ±∞, NaN gives 0x7FC0 with its sign.</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The rounded value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator BFloat16(float value)
    {
        // bits + 0x7FFF + lsb rounds the low half to nearest even; a carry moves into the exponent, and FLT_MAX's carry gives +∞.
        const uint AbsMask = 0x7FFF_FFFF;
        const uint InfinityBits = 0x7F80_0000;
        const uint QuietNaNBits = 0x7FC0;
        const int DroppedBits = 16;
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & AbsMask) > InfinityBits)
        {
            return new((ushort)(((bits >> DroppedBits) & 0x8000) | QuietNaNBits)); // the quiet NaN with the input's sign (payload dropped)
        }

        uint lsb = (bits >> DroppedBits) & 1;
        return new((ushort)((bits + 0x7FFFu + lsb) >> DroppedBits));
    }
"""
        tosingle = """    /// <summary>Converts a bfloat16 to <see cref="float"/> exactly (the bits become the top half).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The same value as a <see cref="float"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value._bits << 16);
"""
    else:
        fromsingle = f"""    /// <summary>Converts a <see cref="float"/> to the nearest {T}, ties to even, non-saturating (see the type's remarks for overflow and NaN).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The rounded value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator {T}(float value) => new(({R})MiniFloat.FromSingle<{F}>(value));
"""
        tosingle = f"""    /// <summary>Converts a {T} to <see cref="float"/> exactly.</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The same value as a <see cref="float"/> (a NaN code gives a NaN).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator float({T} value) => MiniFloat.ToSingle<{F}>(value._bits);
"""
    w(f"""    // Conversions

{fromsingle}
    /// <summary>Converts a <see cref="double"/> to the nearest {T}, ties to even, non-saturating, with one rounding (not through <see cref="float"/>).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The rounded value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator {T}(double value) => new(({R})MiniFloat.FromDouble<{F}>(value));

    /// <summary>Converts a <see cref="Half"/> to the nearest {T}, ties to even, non-saturating (one rounding: binary16 widens exactly to binary32).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The rounded value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator {T}(Half value) => ({T})(float)value;

{tosingle}
    /// <summary>Converts a {T} to <see cref="double"/> exactly.</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The same value as a <see cref="double"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator double({T} value) => (float)value;

    /// <summary>Converts a {T} to the nearest <see cref="Half"/>, ties to even (one rounding: the value widens exactly to binary32).</summary>
    /// <param name="value">The value to convert.</param>
    /// <returns>The rounded value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator Half({T} value) => (Half)(float)value;

    // Span conversions

    /// <summary>Converts every element of <paramref name="source"/> to {T} in the given rounding and overflow mode (like <c>TensorPrimitives.ConvertToHalf</c>).</summary>
    /// <param name="source">The values to convert.</param>
    /// <param name="destination">The converted values; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <param name="rounding">The rounding mode; <see cref="RoundingMode.NearestEven"/> gives the same bits as the explicit conversion.</param>
    /// <param name="overflow">What an overflow gives; <see cref="OverflowMode.NonSaturating"/> gives the same bits as the explicit conversion.</param>
    /// <param name="seed">The seed of the stochastic modes: element i uses <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, i).</param>
    /// <remarks>
    /// Runs <see cref="FloatFormat.Encode(ReadOnlySpan{{float}}, Span{{{'ushort' if bits == 16 else 'byte'}}}, RoundingMode, OverflowMode, ulong)"/> of
    /// <see cref="FloatFormat.{t['preset']}"/> on the raw codes: vectorized for the deterministic modes, bit-identical on every instruction-set tier.
    /// </remarks>
    /// <exception cref="ArgumentException">The lengths differ, or the spans overlap.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public static void ConvertFromSingle(
        ReadOnlySpan<float> source, Span<{T}> destination, RoundingMode rounding = RoundingMode.NearestEven, OverflowMode overflow = OverflowMode.NonSaturating, ulong seed = 0) =>
        FloatFormat.{t['preset']}.Encode(source, MemoryMarshal.Cast<{T}, {R}>(destination), rounding, overflow, seed);

    /// <summary>Converts every element of <paramref name="source"/> to <see cref="float"/> exactly (like <c>TensorPrimitives.ConvertToSingle</c>).</summary>
    /// <param name="source">The values to convert.</param>
    /// <param name="destination">The converted values; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <remarks>Runs <see cref="FloatFormat.Decode(ReadOnlySpan{{{'ushort' if bits == 16 else 'byte'}}}, Span{{float}})"/> of <see cref="FloatFormat.{t['preset']}"/> on the raw codes.</remarks>
    /// <exception cref="ArgumentException">The lengths differ, or the spans overlap.</exception>
    public static void ConvertToSingle(ReadOnlySpan<{T}> source, Span<float> destination) =>
        FloatFormat.{t['preset']}.Decode(MemoryMarshal.Cast<{T}, {R}>(source), destination);
""")
    # ---------------- classification
    w(f"""    // Classification

    /// <summary>Determines whether a value is NaN.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for a NaN code{' (the format has none: always false)' if not hasnan else ''}.</returns>
    public static bool IsNaN({T} value) => MiniFloat.IsNaN<{F}>(value._bits);

    /// <summary>Determines whether a value is ±∞.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for ±∞{' (the format has none: always false)' if not ieee else ''}.</returns>
    public static bool IsInfinity({T} value) => MiniFloat.IsInfinity<{F}>(value._bits);

    /// <summary>Determines whether a value is +∞.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for +∞.</returns>
    public static bool IsPositiveInfinity({T} value) => IsInfinity(value) && !IsNegative(value);

    /// <summary>Determines whether a value is −∞.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for −∞.</returns>
    public static bool IsNegativeInfinity({T} value) => IsInfinity(value) && IsNegative(value);

    /// <summary>Determines whether a value is finite (zero, subnormal or normal).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> unless the value is NaN or ±∞.</returns>
    public static bool IsFinite({T} value) => MiniFloat.IsFinite<{F}>(value._bits);

    /// <summary>Determines whether a value is normal (finite, non-zero exponent field).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for a normal value.</returns>
    public static bool IsNormal({T} value) => MiniFloat.IsNormal<{F}>(value._bits);

    /// <summary>Determines whether a value is subnormal (zero exponent field, non-zero fraction).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for a subnormal value.</returns>
    public static bool IsSubnormal({T} value) => MiniFloat.IsSubnormal<{F}>(value._bits);

    /// <summary>Determines whether a value is zero{' (+0 or −0)' if hasnegzero else ''}.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for zero.</returns>
    public static bool IsZero({T} value) => MiniFloat.IsZero<{F}>(value._bits);

    /// <summary>Determines whether the sign bit is set (as <see cref="Half.IsNegative(Half)"/>: also for −0{' and a NaN with the sign bit' if hasnan else ''}).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the sign bit is set.</returns>
    public static bool IsNegative({T} value) => MiniFloat.IsNegative<{F}>(value._bits);

    /// <summary>Determines whether the sign bit is clear.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the sign bit is clear.</returns>
    public static bool IsPositive({T} value) => !IsNegative(value);

    /// <summary>Determines whether a value is an integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for a finite integral value.</returns>
    public static bool IsInteger({T} value) => float.IsInteger((float)value);

    /// <summary>Determines whether a value is an even integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for an even integral value.</returns>
    public static bool IsEvenInteger({T} value) => float.IsEvenInteger((float)value);

    /// <summary>Determines whether a value is an odd integer.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for an odd integral value.</returns>
    public static bool IsOddInteger({T} value) => float.IsOddInteger((float)value);

    /// <summary>Determines whether a value is a real number (not NaN).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> unless the value is NaN.</returns>
    public static bool IsRealNumber({T} value) => !IsNaN(value);

    /// <inheritdoc cref="INumberBase{{TSelf}}.IsCanonical(TSelf)"/>
    static bool INumberBase<{T}>.IsCanonical({T} value) => true;

    /// <inheritdoc cref="INumberBase{{TSelf}}.IsComplexNumber(TSelf)"/>
    static bool INumberBase<{T}>.IsComplexNumber({T} value) => false;

    /// <inheritdoc cref="INumberBase{{TSelf}}.IsImaginaryNumber(TSelf)"/>
    static bool INumberBase<{T}>.IsImaginaryNumber({T} value) => false;
""")
    if ieee:
        w(f"""    /// <summary>Determines whether a value is a positive power of two.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for a positive finite power of two (including the subnormal ones).</returns>
    public static bool IsPow2({T} value)
    {{
        uint bits = value._bits;
        if ((bits & SignMask) != 0 || !IsFinite(value) || bits == 0)
        {{
            return false;
        }}

        uint fraction = bits & ((1u << {m}) - 1);
        return IsSubnormal(value) ? BitOperations.IsPow2(fraction) : fraction == 0;
    }}
""")
    # ---------------- comparison, equality
    w(f"""    // Comparison and equality (IEEE: NaN is unordered, −0 == +0)

    /// <summary>Compares two values for equality (IEEE: false when either is NaN; −0 equals +0).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when the values are equal.</returns>
    public static bool operator ==({T} left, {T} right) => (float)left == (float)right;

    /// <summary>Compares two values for inequality (true when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when the values are not equal.</returns>
    public static bool operator !=({T} left, {T} right) => (float)left != (float)right;

    /// <summary>Compares two values (false when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is less than <paramref name="right"/>.</returns>
    public static bool operator <({T} left, {T} right) => (float)left < (float)right;

    /// <summary>Compares two values (false when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is greater than <paramref name="right"/>.</returns>
    public static bool operator >({T} left, {T} right) => (float)left > (float)right;

    /// <summary>Compares two values (false when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is less than or equal to <paramref name="right"/>.</returns>
    public static bool operator <=({T} left, {T} right) => (float)left <= (float)right;

    /// <summary>Compares two values (false when either is NaN).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is greater than or equal to <paramref name="right"/>.</returns>
    public static bool operator >=({T} left, {T} right) => (float)left >= (float)right;

    /// <summary>Compares this value with another; NaN sorts below every number and equals NaN, as <see cref="Half.CompareTo(Half)"/>.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns>A negative number, zero or a positive number.</returns>
    public int CompareTo({T} other) => ((float)this).CompareTo((float)other);

    /// <summary>Compares this value with an object, as <see cref="Half.CompareTo(object)"/>.</summary>
    /// <param name="obj">A {T} or <see langword="null"/> (which sorts first).</param>
    /// <returns>A negative number, zero or a positive number.</returns>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a {T}.</exception>
    public int CompareTo(object? obj) => obj switch
    {{
        null => 1,
        {T} other => CompareTo(other),
        _ => throw new ArgumentException("The object is not a {T}.", nameof(obj)),
    }};

    /// <summary>Determines whether two values are equal: IEEE equality, except that NaN equals NaN (as <see cref="Half.Equals(Half)"/>).</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns><see langword="true"/> when the values are equal or both NaN.</returns>
    public bool Equals({T} other) => this == other || (IsNaN(this) && IsNaN(other));

    /// <summary>Determines whether an object is an equal {T} (see <see cref="Equals({T})"/>).</summary>
    /// <param name="obj">The object.</param>
    /// <returns><see langword="true"/> for an equal {T}.</returns>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is {T} other && Equals(other);

    /// <summary>Returns a hash code consistent with <see cref="Equals({T})"/>: all NaNs hash alike, and so do +0 and −0.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => MiniFloat.GetHashCode<{F}>(_bits);
""")
    # ---------------- arithmetic
    if kind == "fnuz":
        neg = f"""    public static {T} operator -({T} value) => value._bits is 0 or NaNBits ? value : new(({R})(value._bits ^ SignMask));"""
        negdoc = "(on the bits; 0 and NaN are unchanged: the format has no −0)"
        absbody = f"value._bits == NaNBits ? value : new(({R})(value._bits & MagnitudeMask))"
        copysign = f"""    public static {T} CopySign({T} value, {T} sign) =>
        IsNaN(value) || IsZero(value) ? value : new(({R})((value._bits & MagnitudeMask) | (IsNaN(sign) ? 0 : sign._bits & SignMask)));"""
        copysigndoc = "(on the bits; zero and NaN keep their only code, and a NaN sign counts as positive)"
    else:
        neg = f"""    public static {T} operator -({T} value) => new(({R})(value._bits ^ SignMask));"""
        negdoc = "(flips the sign bit)"
        absbody = f"new(({R})(value._bits & MagnitudeMask))"
        copysign = f"""    public static {T} CopySign({T} value, {T} sign) => new(({R})((value._bits & MagnitudeMask) | (sign._bits & SignMask)));"""
        copysigndoc = "(on the bits)"
    w(f"""    // Arithmetic: widen to float, compute, round once

    /// <summary>Adds two values in <see cref="float"/> and rounds the sum once.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>The rounded sum.</returns>
    public static {T} operator +({T} left, {T} right) => ({T})((float)left + (float)right);

    /// <summary>Subtracts two values in <see cref="float"/> and rounds the difference once.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>The rounded difference.</returns>
    public static {T} operator -({T} left, {T} right) => ({T})((float)left - (float)right);

    /// <summary>Multiplies two values in <see cref="float"/> and rounds the product once.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>The rounded product.</returns>
    public static {T} operator *({T} left, {T} right) => ({T})((float)left * (float)right);

    /// <summary>Divides two values in <see cref="float"/> and rounds the quotient once.</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor.</param>
    /// <returns>The rounded quotient.</returns>
    public static {T} operator /({T} left, {T} right) => ({T})((float)left / (float)right);

    /// <summary>Computes the remainder of a truncated division in <see cref="float"/> (exact) and rounds it once.</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor.</param>
    /// <returns>The remainder.</returns>
    public static {T} operator %({T} left, {T} right) => ({T})((float)left % (float)right);

    /// <summary>Returns the value unchanged.</summary>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="value"/>.</returns>
    public static {T} operator +({T} value) => value;

    /// <summary>Negates a value {negdoc}.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The negated value.</returns>
{neg}

    /// <summary>Adds one (rounded once).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The rounded value + 1.</returns>
    public static {T} operator ++({T} value) => value + One;

    /// <summary>Subtracts one (rounded once).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The rounded value − 1.</returns>
    public static {T} operator --({T} value) => value - One;

    // INumber

    /// <summary>Computes the absolute value (on the bits{'; NaN stays NaN' if kind == 'fnuz' else ''}).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The magnitude.</returns>
    public static {T} Abs({T} value) => {absbody};

    /// <summary>Copies the sign of one value to the magnitude of another {copysigndoc}.</summary>
    /// <param name="value">The magnitude source.</param>
    /// <param name="sign">The sign source.</param>
    /// <returns>The value with the sign of <paramref name="sign"/>.</returns>
{copysign}

    /// <summary>Clamps a value to an inclusive range.</summary>
    /// <param name="value">The value.</param>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound.</param>
    /// <returns><paramref name="value"/> limited to [<paramref name="min"/>, <paramref name="max"/>]; NaN stays NaN.</returns>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>.</exception>
    public static {T} Clamp({T} value, {T} min, {T} max)
    {{
        if (min > max)
        {{
            throw new ArgumentException("min is greater than max.", nameof(min));
        }}

        return Min(Max(value, min), max);
    }}

    /// <summary>Returns the larger value; NaN propagates, and +0 is larger than −0 (IEEE 754:2019 maximum).</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The larger value.</returns>
    public static {T} Max({T} x, {T} y) => x != y ? (IsNaN(x) ? x : y < x ? x : y) : IsNegative(y) ? x : y;

    /// <summary>Returns the smaller value; NaN propagates, and −0 is smaller than +0 (IEEE 754:2019 minimum).</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The smaller value.</returns>
    public static {T} Min({T} x, {T} y) => x != y ? (IsNaN(x) ? x : x < y ? x : y) : IsNegative(x) ? x : y;

    /// <summary>Returns the larger value, preferring a number to NaN (IEEE 754:2019 maximumNumber).</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The larger value.</returns>
    public static {T} MaxNumber({T} x, {T} y) => x != y ? (IsNaN(y) ? x : y < x ? x : y) : IsNegative(y) ? x : y;

    /// <summary>Returns the smaller value, preferring a number to NaN (IEEE 754:2019 minimumNumber).</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The smaller value.</returns>
    public static {T} MinNumber({T} x, {T} y) => x != y ? (IsNaN(y) ? x : x < y ? x : y) : IsNegative(x) ? x : y;

    /// <summary>Returns the value with the larger magnitude; NaN propagates.</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The value with the larger magnitude.</returns>
    public static {T} MaxMagnitude({T} x, {T} y)
    {{
        {T} ax = Abs(x);
        {T} ay = Abs(y);
        return ax > ay || IsNaN(ax) ? x : ax == ay ? (IsNegative(x) ? y : x) : y;
    }}

    /// <summary>Returns the value with the larger magnitude, preferring a number to NaN.</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The value with the larger magnitude.</returns>
    public static {T} MaxMagnitudeNumber({T} x, {T} y)
    {{
        {T} ax = Abs(x);
        {T} ay = Abs(y);
        return ax > ay || IsNaN(ay) ? x : ax == ay ? (IsNegative(x) ? y : x) : y;
    }}

    /// <summary>Returns the value with the smaller magnitude; NaN propagates.</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The value with the smaller magnitude.</returns>
    public static {T} MinMagnitude({T} x, {T} y)
    {{
        {T} ax = Abs(x);
        {T} ay = Abs(y);
        return ax < ay || IsNaN(ax) ? x : ax == ay ? (IsNegative(x) ? x : y) : y;
    }}

    /// <summary>Returns the value with the smaller magnitude, preferring a number to NaN.</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The value with the smaller magnitude.</returns>
    public static {T} MinMagnitudeNumber({T} x, {T} y)
    {{
        {T} ax = Abs(x);
        {T} ay = Abs(y);
        return ax < ay || IsNaN(ay) ? x : ax == ay ? (IsNegative(x) ? x : y) : y;
    }}

    /// <summary>Returns the sign of a value: −1, 0 or +1.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The sign (0 for ±0).</returns>
    /// <exception cref="ArithmeticException"><paramref name="value"/> is NaN.</exception>
    public static int Sign({T} value) => MathF.Sign((float)value);

    // IFloatingPoint: rounding to integers stays in the format

    /// <summary>Rounds up to an integer.</summary>
    /// <param name="x">The value.</param>
    /// <returns>The smallest integer not less than <paramref name="x"/>.</returns>
    public static {T} Ceiling({T} x) => ({T})MathF.Ceiling((float)x);

    /// <summary>Rounds down to an integer.</summary>
    /// <param name="x">The value.</param>
    /// <returns>The largest integer not greater than <paramref name="x"/>.</returns>
    public static {T} Floor({T} x) => ({T})MathF.Floor((float)x);

    /// <summary>Rounds to the nearest integer, ties to even.</summary>
    /// <param name="x">The value.</param>
    /// <returns>The nearest integer.</returns>
    public static {T} Round({T} x) => ({T})MathF.Round((float)x);

    /// <summary>Rounds to a number of fractional decimal digits, ties to even (computed in <see cref="float"/>, as <see cref="Half"/>).</summary>
    /// <param name="x">The value.</param>
    /// <param name="digits">The number of fractional digits.</param>
    /// <returns>The rounded value.</returns>
    public static {T} Round({T} x, int digits) => ({T})MathF.Round((float)x, digits);

    /// <summary>Rounds to an integer with the given midpoint rule.</summary>
    /// <param name="x">The value.</param>
    /// <param name="mode">The midpoint rule.</param>
    /// <returns>The rounded value.</returns>
    public static {T} Round({T} x, MidpointRounding mode) => ({T})MathF.Round((float)x, mode);

    /// <summary>Rounds to a number of fractional decimal digits with the given midpoint rule (computed in <see cref="float"/>, as <see cref="Half"/>).</summary>
    /// <param name="x">The value.</param>
    /// <param name="digits">The number of fractional digits.</param>
    /// <param name="mode">The midpoint rule.</param>
    /// <returns>The rounded value.</returns>
    public static {T} Round({T} x, int digits, MidpointRounding mode) => ({T})MathF.Round((float)x, digits, mode);

    /// <summary>Rounds toward zero to an integer.</summary>
    /// <param name="x">The value.</param>
    /// <returns>The integer part.</returns>
    public static {T} Truncate({T} x) => ({T})MathF.Truncate((float)x);

    private sbyte Exponent => (sbyte)(((_bits & MagnitudeMask) >> {m}) - {bias}); // the biased field minus the bias, as Half (subnormals: 0 - bias)

    private byte Significand => (byte)((_bits & ((1 << {m}) - 1)) | (IsSubnormal(this) || IsZero(this) ? 0 : 1 << {m}));

    /// <inheritdoc cref="IFloatingPoint{{TSelf}}.GetExponentByteCount"/>
    int IFloatingPoint<{T}>.GetExponentByteCount() => sizeof(sbyte);

    /// <inheritdoc cref="IFloatingPoint{{TSelf}}.GetExponentShortestBitLength"/>
    int IFloatingPoint<{T}>.GetExponentShortestBitLength()
    {{
        sbyte exponent = Exponent;
        return exponent >= 0 ? 8 - sbyte.LeadingZeroCount(exponent) : 9 - sbyte.LeadingZeroCount((sbyte)~exponent);
    }}

    /// <inheritdoc cref="IFloatingPoint{{TSelf}}.GetSignificandByteCount"/>
    int IFloatingPoint<{T}>.GetSignificandByteCount() => sizeof(byte);

    /// <inheritdoc cref="IFloatingPoint{{TSelf}}.GetSignificandBitLength"/>
    int IFloatingPoint<{T}>.GetSignificandBitLength() => {m + 1};

    /// <inheritdoc cref="IFloatingPoint{{TSelf}}.TryWriteExponentBigEndian(Span{{byte}}, out int)"/>
    bool IFloatingPoint<{T}>.TryWriteExponentBigEndian(Span<byte> destination, out int bytesWritten) => TryWriteByte(destination, (byte)Exponent, out bytesWritten);

    /// <inheritdoc cref="IFloatingPoint{{TSelf}}.TryWriteExponentLittleEndian(Span{{byte}}, out int)"/>
    bool IFloatingPoint<{T}>.TryWriteExponentLittleEndian(Span<byte> destination, out int bytesWritten) => TryWriteByte(destination, (byte)Exponent, out bytesWritten);

    /// <inheritdoc cref="IFloatingPoint{{TSelf}}.TryWriteSignificandBigEndian(Span{{byte}}, out int)"/>
    bool IFloatingPoint<{T}>.TryWriteSignificandBigEndian(Span<byte> destination, out int bytesWritten) => TryWriteByte(destination, Significand, out bytesWritten);

    /// <inheritdoc cref="IFloatingPoint{{TSelf}}.TryWriteSignificandLittleEndian(Span{{byte}}, out int)"/>
    bool IFloatingPoint<{T}>.TryWriteSignificandLittleEndian(Span<byte> destination, out int bytesWritten) => TryWriteByte(destination, Significand, out bytesWritten);

    private static bool TryWriteByte(Span<byte> destination, byte value, out int bytesWritten)
    {{
        if (destination.IsEmpty)
        {{
            bytesWritten = 0;
            return false;
        }}

        destination[0] = value;
        bytesWritten = 1;
        return true;
    }}
""")
    # ---------------- IEEE extras
    if ieee:
        def f1(name, doc, expr=None):
            expr = expr or f"MathF.{name}((float)x)"
            return f"""    /// <summary>{doc} (computed in <see cref="float"/>, rounded once).</summary>
    /// <param name="x">The value.</param>
    /// <returns>The rounded result.</returns>
    public static {T} {name}({T} x) => ({T}){expr};
"""
        w(f"""    // IFloatingPointIeee754

    /// <summary>Returns the next value toward +∞ (on the bits).</summary>
    /// <param name="x">The value.</param>
    /// <returns>The next larger value; NaN and +∞ are unchanged, −∞ gives <see cref="MinValue"/>, −0 gives <see cref="Epsilon"/>.</returns>
    public static {T} BitIncrement({T} x) => new(({R})MiniFloat.BitIncrement<{F}>(x._bits));

    /// <summary>Returns the next value toward −∞ (on the bits).</summary>
    /// <param name="x">The value.</param>
    /// <returns>The next smaller value; NaN and −∞ are unchanged, +∞ gives <see cref="MaxValue"/>, +0 gives −<see cref="Epsilon"/>.</returns>
    public static {T} BitDecrement({T} x) => new(({R})MiniFloat.BitDecrement<{F}>(x._bits));

    /// <summary>Computes (left · right) + addend with a single rounding (exact intermediate, see the type's remarks).</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="addend">The addend.</param>
    /// <returns>The correctly rounded result.</returns>
    public static {T} FusedMultiplyAdd({T} left, {T} right, {T} addend) =>
        ({T})MiniFloatConvert.FusedMultiplyAddToOdd((double)left, (double)right, (double)addend);

    /// <summary>Computes the IEEE 754 remainder x − n·y with n = x / y rounded to nearest even (exact).</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor.</param>
    /// <returns>The remainder.</returns>
    public static {T} Ieee754Remainder({T} left, {T} right) => ({T})Math.IEEERemainder((double)left, (double)right);

    /// <summary>Returns the unbiased exponent of a value (as <see cref="MathF.ILogB(float)"/>).</summary>
    /// <param name="x">The value.</param>
    /// <returns>floor(log2 |x|); <see cref="int.MinValue"/> for zero, <see cref="int.MaxValue"/> for NaN and ±∞.</returns>
    public static int ILogB({T} x) => MathF.ILogB((float)x);

    /// <summary>Computes x · 2^n, rounded once.</summary>
    /// <param name="x">The value.</param>
    /// <param name="n">The power of two.</param>
    /// <returns>The rounded result.</returns>
    public static {T} ScaleB({T} x, int n) => ({T})Math.ScaleB((double)x, n);

    /// <summary>Computes the arctangent of y / x in the quadrant of (x, y) (computed in <see cref="float"/>, rounded once).</summary>
    /// <param name="y">The y coordinate.</param>
    /// <param name="x">The x coordinate.</param>
    /// <returns>The angle in radians.</returns>
    public static {T} Atan2({T} y, {T} x) => ({T})MathF.Atan2((float)y, (float)x);

    /// <summary>Computes the arctangent of y / x divided by π (computed in <see cref="float"/>, rounded once).</summary>
    /// <param name="y">The y coordinate.</param>
    /// <param name="x">The x coordinate.</param>
    /// <returns>The angle in half-turns.</returns>
    public static {T} Atan2Pi({T} y, {T} x) => ({T})float.Atan2Pi((float)y, (float)x);

    /// <summary>Interpolates linearly between two values (computed in <see cref="float"/>, rounded once).</summary>
    /// <param name="value1">The first value.</param>
    /// <param name="value2">The second value.</param>
    /// <param name="amount">The weight of the second value.</param>
    /// <returns>The interpolated value.</returns>
    public static {T} Lerp({T} value1, {T} value2, {T} amount) => ({T})float.Lerp((float)value1, (float)value2, (float)amount);

{f1("ReciprocalEstimate", "Computes 1 / x", "(1f / (float)x)")}
{f1("ReciprocalSqrtEstimate", "Computes 1 / √x", "(1f / MathF.Sqrt((float)x))")}
    // IBinaryNumber: bitwise operators on the codes, as Half

    /// <summary>Returns the base-2 logarithm (computed in <see cref="float"/>, rounded once).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The rounded logarithm.</returns>
    public static {T} Log2({T} value) => ({T})MathF.Log2((float)value);

    /// <summary>Computes the bitwise AND of two codes.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>The value whose code is the AND of the codes.</returns>
    public static {T} operator &({T} left, {T} right) => new(({R})(left._bits & right._bits));

    /// <summary>Computes the bitwise OR of two codes.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>The value whose code is the OR of the codes.</returns>
    public static {T} operator |({T} left, {T} right) => new(({R})(left._bits | right._bits));

    /// <summary>Computes the bitwise XOR of two codes.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>The value whose code is the XOR of the codes.</returns>
    public static {T} operator ^({T} left, {T} right) => new(({R})(left._bits ^ right._bits));

    /// <summary>Computes the bitwise complement of a code.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value whose code is the complement of the code.</returns>
    public static {T} operator ~({T} value) => new(({R})~value._bits);

    // Elementary functions (IExponentialFunctions, IHyperbolicFunctions, ILogarithmicFunctions, IPowerFunctions, IRootFunctions,
    // ITrigonometricFunctions): computed in float, rounded once.

""")
        for name, doc in [("Exp","Computes e^x"),("ExpM1","Computes e^x − 1"),("Exp2","Computes 2^x"),("Exp2M1","Computes 2^x − 1"),
                          ("Exp10","Computes 10^x"),("Exp10M1","Computes 10^x − 1"),("Acosh","Computes the hyperbolic arc-cosine"),
                          ("Asinh","Computes the hyperbolic arc-sine"),("Atanh","Computes the hyperbolic arc-tangent"),("Cosh","Computes the hyperbolic cosine"),
                          ("Sinh","Computes the hyperbolic sine"),("Tanh","Computes the hyperbolic tangent"),("Log","Computes the natural logarithm"),
                          ("LogP1","Computes ln(x + 1)"),("Log2P1","Computes log2(x + 1)"),("Log10","Computes the base-10 logarithm"),
                          ("Log10P1","Computes log10(x + 1)"),("Cbrt","Computes the cube root"),("Sqrt","Computes the square root (correctly rounded)"),
                          ("Acos","Computes the arc-cosine"),("AcosPi","Computes the arc-cosine divided by π"),("Asin","Computes the arc-sine"),
                          ("AsinPi","Computes the arc-sine divided by π"),("Atan","Computes the arc-tangent"),("AtanPi","Computes the arc-tangent divided by π"),
                          ("Cos","Computes the cosine"),("CosPi","Computes cos(πx)"),("DegreesToRadians","Converts degrees to radians"),
                          ("RadiansToDegrees","Converts radians to degrees"),("Sin","Computes the sine"),("SinPi","Computes sin(πx)"),
                          ("Tan","Computes the tangent"),("TanPi","Computes tan(πx)")]:
            mathf = {"Exp","Acosh","Asinh","Atanh","Cosh","Sinh","Tanh","Log","Log10","Cbrt","Sqrt","Acos","Asin","Atan","Cos","Sin","Tan"}
            expr = f"MathF.{name}((float)x)" if name in mathf else f"float.{name}((float)x)"
            w(f1(name, doc, expr))
        w(f"""    /// <summary>Computes the logarithm in a base (computed in <see cref="float"/>, rounded once).</summary>
    /// <param name="x">The value.</param>
    /// <param name="newBase">The base.</param>
    /// <returns>The rounded logarithm.</returns>
    public static {T} Log({T} x, {T} newBase) => ({T})MathF.Log((float)x, (float)newBase);

    /// <summary>Computes x^y (computed in <see cref="float"/>, rounded once).</summary>
    /// <param name="x">The base.</param>
    /// <param name="y">The exponent.</param>
    /// <returns>The rounded power.</returns>
    public static {T} Pow({T} x, {T} y) => ({T})MathF.Pow((float)x, (float)y);

    /// <summary>Computes √(x² + y²) (computed in <see cref="float"/>, rounded once).</summary>
    /// <param name="x">The first value.</param>
    /// <param name="y">The second value.</param>
    /// <returns>The rounded hypotenuse.</returns>
    public static {T} Hypot({T} x, {T} y) => ({T})float.Hypot((float)x, (float)y);

    /// <summary>Computes the n-th root (computed in <see cref="float"/>, rounded once).</summary>
    /// <param name="x">The value.</param>
    /// <param name="n">The degree of the root.</param>
    /// <returns>The rounded root.</returns>
    public static {T} RootN({T} x, int n) => ({T})float.RootN((float)x, n);

    /// <summary>Computes the sine and cosine (computed in <see cref="float"/>, each rounded once).</summary>
    /// <param name="x">The angle in radians.</param>
    /// <returns>The rounded sine and cosine.</returns>
    public static ({T} Sin, {T} Cos) SinCos({T} x)
    {{
        (float sin, float cos) = MathF.SinCos((float)x);
        return (({T})sin, ({T})cos);
    }}

    /// <summary>Computes sin(πx) and cos(πx) (computed in <see cref="float"/>, each rounded once).</summary>
    /// <param name="x">The angle in half-turns.</param>
    /// <returns>The rounded sine and cosine.</returns>
    public static ({T} SinPi, {T} CosPi) SinCosPi({T} x)
    {{
        (float sin, float cos) = float.SinCosPi((float)x);
        return (({T})sin, ({T})cos);
    }}
""")
    # ---------------- generic math conversions
    w(f"""    // INumberBase conversions: primitive types only (other types return false, so their own converters are tried)

    /// <inheritdoc cref="INumberBase{{TSelf}}.TryConvertFromChecked{{TOther}}(TOther, out TSelf)"/>
    static bool INumberBase<{T}>.TryConvertFromChecked<TOther>(TOther value, out {T} result) => TryConvertFrom(value, out result);

    /// <inheritdoc cref="INumberBase{{TSelf}}.TryConvertFromSaturating{{TOther}}(TOther, out TSelf)"/>
    static bool INumberBase<{T}>.TryConvertFromSaturating<TOther>(TOther value, out {T} result) => TryConvertFrom(value, out result);

    /// <inheritdoc cref="INumberBase{{TSelf}}.TryConvertFromTruncating{{TOther}}(TOther, out TSelf)"/>
    static bool INumberBase<{T}>.TryConvertFromTruncating<TOther>(TOther value, out {T} result) => TryConvertFrom(value, out result);

    /// <inheritdoc cref="INumberBase{{TSelf}}.TryConvertToChecked{{TOther}}(TSelf, out TOther)"/>
    static bool INumberBase<{T}>.TryConvertToChecked<TOther>({T} value, [MaybeNullWhen(false)] out TOther result) =>
        MiniFloatConvert.TryFromSingle((float)value, ConversionKind.Checked, out result);

    /// <inheritdoc cref="INumberBase{{TSelf}}.TryConvertToSaturating{{TOther}}(TSelf, out TOther)"/>
    static bool INumberBase<{T}>.TryConvertToSaturating<TOther>({T} value, [MaybeNullWhen(false)] out TOther result) =>
        MiniFloatConvert.TryFromSingle((float)value, ConversionKind.Saturating, out result);

    /// <inheritdoc cref="INumberBase{{TSelf}}.TryConvertToTruncating{{TOther}}(TSelf, out TOther)"/>
    static bool INumberBase<{T}>.TryConvertToTruncating<TOther>({T} value, [MaybeNullWhen(false)] out TOther result) =>
        MiniFloatConvert.TryFromSingle((float)value, ConversionKind.Truncating, out result);

    // A value of this format is rounded once from the primitive (see MiniFloatConvert.TryToDouble): out-of-range values follow the
    // non-saturating conversion in all three flavours, as Half's do.
    private static bool TryConvertFrom<TOther>(TOther value, out {T} result)
        where TOther : INumberBase<TOther>
    {{
        if (MiniFloatConvert.TryToDouble(value, out double d))
        {{
            result = ({T})d;
            return true;
        }}

        result = default;
        return false;
    }}

    // Formatting (through float: every value is a float, and float's shortest round-trip string parses back to the same code)

    /// <summary>Formats the value as its <see cref="float"/> value does (shortest round-trip string, current culture).</summary>
    /// <returns>The string.</returns>
    public override string ToString() => ((float)this).ToString(CultureInfo.CurrentCulture);

    /// <summary>Formats the value with a numeric format string, as its <see cref="float"/> value does.</summary>
    /// <param name="format">A standard or custom numeric format string.</param>
    /// <returns>The string.</returns>
    public string ToString([StringSyntax(StringSyntaxAttribute.NumericFormat)] string? format) => ((float)this).ToString(format, CultureInfo.CurrentCulture);

    /// <summary>Formats the value with culture-specific information, as its <see cref="float"/> value does.</summary>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The string.</returns>
    public string ToString(IFormatProvider? provider) => ((float)this).ToString(provider);

    /// <summary>Formats the value with a numeric format string and culture-specific information, as its <see cref="float"/> value does.</summary>
    /// <param name="format">A standard or custom numeric format string.</param>
    /// <param name="formatProvider">Culture-specific formatting information.</param>
    /// <returns>The string.</returns>
    public string ToString([StringSyntax(StringSyntaxAttribute.NumericFormat)] string? format, IFormatProvider? formatProvider) =>
        ((float)this).ToString(format, formatProvider);

    /// <summary>Formats the value into a character span, as its <see cref="float"/> value does.</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <param name="format">A numeric format string.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns><see langword="true"/> when the destination was large enough.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, [StringSyntax(StringSyntaxAttribute.NumericFormat)] ReadOnlySpan<char> format, IFormatProvider? provider) =>
        ((float)this).TryFormat(destination, out charsWritten, format, provider);

    /// <summary>Formats the value as UTF-8 into a byte span, as its <see cref="float"/> value does.</summary>
    /// <param name="utf8Destination">The destination.</param>
    /// <param name="bytesWritten">The number of bytes written.</param>
    /// <param name="format">A numeric format string.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns><see langword="true"/> when the destination was large enough.</returns>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, [StringSyntax(StringSyntaxAttribute.NumericFormat)] ReadOnlySpan<char> format, IFormatProvider? provider) =>
        ((float)this).TryFormat(utf8Destination, out bytesWritten, format, provider);

    // Parsing: the text is parsed to the nearest double, which is then rounded once to this format

    /// <summary>Parses a number (style <see cref="NumberStyles.Float"/> | <see cref="NumberStyles.AllowThousands"/>, current culture).</summary>
    /// <param name="s">The text.</param>
    /// <returns>The nearest {T} to the parsed <see cref="double"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a number.</exception>
    public static {T} Parse(string s) => ({T})double.Parse(s, DefaultParseStyle, null);

    /// <summary>Parses a number in the given style (current culture).</summary>
    /// <param name="s">The text.</param>
    /// <param name="style">The allowed number style.</param>
    /// <returns>The nearest {T} to the parsed <see cref="double"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a number.</exception>
    public static {T} Parse(string s, NumberStyles style) => ({T})double.Parse(s, style, null);

    /// <summary>Parses a number with culture-specific information.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The nearest {T} to the parsed <see cref="double"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a number.</exception>
    public static {T} Parse(string s, IFormatProvider? provider) => ({T})double.Parse(s, DefaultParseStyle, provider);

    /// <summary>Parses a number in the given style with culture-specific information.</summary>
    /// <param name="s">The text.</param>
    /// <param name="style">The allowed number style.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The nearest {T} to the parsed <see cref="double"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="s"/> is not a number.</exception>
    public static {T} Parse(string s, NumberStyles style, IFormatProvider? provider) => ({T})double.Parse(s, style, provider);

    /// <summary>Parses a number from characters with culture-specific information.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The nearest {T} to the parsed <see cref="double"/>.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a number.</exception>
    public static {T} Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => ({T})double.Parse(s, DefaultParseStyle, provider);

    /// <summary>Parses a number from characters in the given style with culture-specific information.</summary>
    /// <param name="s">The text.</param>
    /// <param name="style">The allowed number style.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The nearest {T} to the parsed <see cref="double"/>.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a number.</exception>
    public static {T} Parse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider) => ({T})double.Parse(s, style, provider);

    /// <summary>Parses a number from UTF-8 text with culture-specific information.</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The nearest {T} to the parsed <see cref="double"/>.</returns>
    /// <exception cref="FormatException"><paramref name="utf8Text"/> is not a number.</exception>
    public static {T} Parse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider) => ({T})double.Parse(utf8Text, DefaultParseStyle, provider);

    /// <summary>Parses a number from UTF-8 text in the given style with culture-specific information.</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <param name="style">The allowed number style.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <returns>The nearest {T} to the parsed <see cref="double"/>.</returns>
    /// <exception cref="FormatException"><paramref name="utf8Text"/> is not a number.</exception>
    public static {T} Parse(ReadOnlySpan<byte> utf8Text, NumberStyles style, IFormatProvider? provider) => ({T})double.Parse(utf8Text, style, provider);

    /// <summary>Tries to parse a number (style <see cref="NumberStyles.Float"/> | <see cref="NumberStyles.AllowThousands"/>, current culture).</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The nearest {T} to the parsed <see cref="double"/>, or zero on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a number.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out {T} result) => Finish(double.TryParse(s, DefaultParseStyle, null, out double d), d, out result);

    /// <summary>Tries to parse a number with culture-specific information.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <param name="result">The nearest {T} to the parsed <see cref="double"/>, or zero on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a number.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out {T} result) =>
        Finish(double.TryParse(s, DefaultParseStyle, provider, out double d), d, out result);

    /// <summary>Tries to parse a number in the given style with culture-specific information.</summary>
    /// <param name="s">The text.</param>
    /// <param name="style">The allowed number style.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <param name="result">The nearest {T} to the parsed <see cref="double"/>, or zero on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a number.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, NumberStyles style, IFormatProvider? provider, out {T} result) =>
        Finish(double.TryParse(s, style, provider, out double d), d, out result);

    /// <summary>Tries to parse a number from characters (current culture).</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The nearest {T} to the parsed <see cref="double"/>, or zero on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a number.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, out {T} result) => Finish(double.TryParse(s, DefaultParseStyle, null, out double d), d, out result);

    /// <summary>Tries to parse a number from characters with culture-specific information.</summary>
    /// <param name="s">The text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <param name="result">The nearest {T} to the parsed <see cref="double"/>, or zero on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a number.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out {T} result) =>
        Finish(double.TryParse(s, DefaultParseStyle, provider, out double d), d, out result);

    /// <summary>Tries to parse a number from characters in the given style with culture-specific information.</summary>
    /// <param name="s">The text.</param>
    /// <param name="style">The allowed number style.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <param name="result">The nearest {T} to the parsed <see cref="double"/>, or zero on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a number.</returns>
    public static bool TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out {T} result) =>
        Finish(double.TryParse(s, style, provider, out double d), d, out result);

    /// <summary>Tries to parse a number from UTF-8 text (current culture).</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <param name="result">The nearest {T} to the parsed <see cref="double"/>, or zero on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="utf8Text"/> is a number.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, out {T} result) => Finish(double.TryParse(utf8Text, DefaultParseStyle, null, out double d), d, out result);

    /// <summary>Tries to parse a number from UTF-8 text with culture-specific information.</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <param name="result">The nearest {T} to the parsed <see cref="double"/>, or zero on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="utf8Text"/> is a number.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider, out {T} result) =>
        Finish(double.TryParse(utf8Text, DefaultParseStyle, provider, out double d), d, out result);

    /// <summary>Tries to parse a number from UTF-8 text in the given style with culture-specific information.</summary>
    /// <param name="utf8Text">The UTF-8 text.</param>
    /// <param name="style">The allowed number style.</param>
    /// <param name="provider">Culture-specific formatting information.</param>
    /// <param name="result">The nearest {T} to the parsed <see cref="double"/>, or zero on failure.</param>
    /// <returns><see langword="true"/> when <paramref name="utf8Text"/> is a number.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, NumberStyles style, IFormatProvider? provider, out {T} result) =>
        Finish(double.TryParse(utf8Text, style, provider, out double d), d, out result);

    private static bool Finish(bool parsed, double value, out {T} result)
    {{
        result = parsed ? ({T})value : default;
        return parsed;
    }}
}}
""")
    return "\n".join(out)

import os
outdir = sys.argv[1]
for t in TYPES:
    with open(os.path.join(outdir, t["name"] + ".cs"), "w") as f:
        f.write(gen(t))
