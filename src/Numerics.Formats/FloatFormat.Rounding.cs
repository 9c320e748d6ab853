// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Numerics.Formats;

public sealed partial class FloatFormat
{
    private const ulong DoubleFractionMask = (1UL << 52) - 1;
    private const int DoubleExponentBias = 1023;
    private const ulong DoubleQuietNaNBits = 0x7FF8_0000_0000_0000;

    // double.NaN has its sign bit set on x64; the sign of a NaN result is meaningful here (it selects the NaN code's sign).
    private static double PositiveNaN => BitConverter.UInt64BitsToDouble(DoubleQuietNaNBits);

    // RS0027 wants the overload with optional parameters to have the most parameters. The contract other packages build on is
    // Round(value, rounding = .., overflow = ..) plus an explicit-random-bits overload, like Math.Round's overload set.
#pragma warning disable RS0026, RS0027

    /// <summary>
    /// Rounds <paramref name="value"/> to the nearest value of this format in the given mode (a single rounding, directly from
    /// <see cref="double"/>) and returns it as a <see cref="double"/>.
    /// </summary>
    /// <param name="value">The value to round.</param>
    /// <param name="rounding">The rounding mode. The stochastic modes draw their random word as 0 in this overload (so
    /// <see cref="RoundingMode.Stochastic"/> then rounds every inexact value up unless it is within 2^-64 of a gap below, and
    /// <see cref="RoundingMode.StochasticUniform"/> rounds down); use the overload with <c>randomBits</c> for real stochastic rounding.</param>
    /// <param name="overflow">What happens when the rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <returns>
    /// The rounded value: a value of the format, ±∞ or NaN. Exactly representable values are returned unchanged in every mode. A
    /// zero result keeps the sign of <paramref name="value"/> where the format has −0. A NaN input is returned unchanged, except in
    /// formats without NaN (FP6, FP4), where the result is the value of the code <see cref="Encode(double, RoundingMode, OverflowMode)"/>
    /// picks (ml_dtypes: +NaN gives −0 and −NaN gives +0; <see cref="OverflowMode.SaturatingFinite"/> gives +max), so that
    /// <c>Round(x) == Decode(Encode(x))</c> for every input. See <see cref="OverflowMode"/> for overflows and infinite inputs.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public double Round(double value, RoundingMode rounding = RoundingMode.NearestEven, OverflowMode overflow = OverflowMode.NonSaturating) =>
        Round(value, rounding, overflow, 0);

    /// <summary>
    /// Rounds <paramref name="value"/> to this format like <see cref="Round(double, RoundingMode, OverflowMode)"/>, with an explicit
    /// uniform random word for the stochastic modes.
    /// </summary>
    /// <param name="value">The value to round.</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when the rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="randomBits">
    /// A uniformly distributed 64-bit word (for example <see cref="StochasticRounding.RandomBits(ulong, long)"/>), used only by the
    /// stochastic modes. <see cref="RoundingMode.Stochastic"/> rounds the magnitude away from zero iff
    /// <c>randomBits &lt; floor(f · 2^64)</c>, where f ∈ (0, 1) is the distance of the magnitude from the lower neighbour divided by
    /// the gap, so the probability is f truncated to 64 bits. <see cref="RoundingMode.StochasticUniform"/> rounds away from zero iff
    /// the top bit of <paramref name="randomBits"/> is set. Deterministic modes ignore it.
    /// </param>
    /// <returns>The rounded value, as for <see cref="Round(double, RoundingMode, OverflowMode)"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public double Round(double value, RoundingMode rounding, OverflowMode overflow, ulong randomBits)
    {
        ValidateModes(rounding, overflow);
        return RoundCore(value, rounding, overflow, randomBits);
    }

    /// <summary>Rounds <paramref name="value"/> to this format and returns its code (the encoding in the low <see cref="BitCount"/> bits).</summary>
    /// <param name="value">The value to encode.</param>
    /// <param name="rounding">The rounding mode (see <see cref="Round(double, RoundingMode, OverflowMode, ulong)"/> for the stochastic modes).</param>
    /// <param name="overflow">What happens when the rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <returns>
    /// The code of <see cref="Round(double, RoundingMode, OverflowMode)"/>'s result. NaN encodes as the format's quiet NaN with the
    /// input's sign (IEEE-like: all-ones exponent and the top fraction bit; fn: S.1…1; fnuz: the −0 code; E8M0: 0xFF). Formats without
    /// NaN (FP6, FP4) follow ml_dtypes: +NaN gives the sign-bit-only code (−0) and −NaN gives 0, except that
    /// <see cref="OverflowMode.SaturatingFinite"/> gives +max (ONNX). For <see cref="E8M0FNU"/>, zero and negative inputs give NaN
    /// (0xFF) when non-saturating and 0x00 otherwise.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public ulong Encode(double value, RoundingMode rounding = RoundingMode.NearestEven, OverflowMode overflow = OverflowMode.NonSaturating) =>
        Encode(value, rounding, overflow, 0);
#pragma warning restore RS0026, RS0027

    /// <summary>Rounds <paramref name="value"/> to this format with an explicit random word and returns its code.</summary>
    /// <param name="value">The value to encode.</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when the rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="randomBits">A uniformly distributed 64-bit word used only by the stochastic modes (see <see cref="Round(double, RoundingMode, OverflowMode, ulong)"/>).</param>
    /// <returns>The code, as for <see cref="Encode(double, RoundingMode, OverflowMode)"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public ulong Encode(double value, RoundingMode rounding, OverflowMode overflow, ulong randomBits)
    {
        ValidateModes(rounding, overflow);
        if (double.IsNaN(value))
        {
            return EncodeNaN(double.IsNegative(value), overflow);
        }

        return EncodeRepresentable(RoundCore(value, rounding, overflow, randomBits));
    }

    /// <summary>Decodes a code of this format (in the low <see cref="BitCount"/> bits) to its exact value.</summary>
    /// <param name="code">The code, less than 2^<see cref="BitCount"/>.</param>
    /// <returns>
    /// The exact value (every value of every format here is a <see cref="double"/>), ±∞, or NaN for NaN codes. Custom formats whose
    /// exponent field has unused values above <see cref="MaxExponent"/> decode those codes as NaN.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not less than 2^<see cref="BitCount"/>.</exception>
    public double Decode(ulong code)
    {
        if (BitCount < 64 && code >> BitCount != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(code), code, string.Create(CultureInfo.InvariantCulture, $"The code does not fit in the format's {BitCount} bits."));
        }

        return DecodeCore(code);
    }

    /// <summary>Returns this format with or without subnormal numbers (every other parameter unchanged).</summary>
    /// <param name="subnormals">Whether the returned format has subnormals.</param>
    /// <returns>
    /// This instance when <see cref="HasSubnormals"/> already equals <paramref name="subnormals"/>; otherwise a new format whose name
    /// gains (or loses) the suffix <c>"_ftz"</c>. Without subnormals the only values below <see cref="MinNormal"/> are 0 and
    /// <see cref="MinNormal"/>, and the rounding mode picks between them (0 counts as even); the codes of the subnormals are unused
    /// (they still decode to their subnormal values).
    /// </returns>
    public FloatFormat WithSubnormals(bool subnormals)
    {
        if (subnormals == HasSubnormals)
        {
            return this;
        }

        const string Suffix = "_ftz";
        string name = subnormals
            ? (Name.EndsWith(Suffix, StringComparison.Ordinal) ? Name[..^Suffix.Length] : Name + "_subnormals")
            : Name + Suffix;
        return new FloatFormat(name, ExponentBits, MantissaBits, ExponentBias, SpecialValues, IsSigned, subnormals, MaxExponent, MaxFinite);
    }

    internal static void ValidateModes(RoundingMode rounding, OverflowMode overflow)
    {
        if ((uint)rounding > (uint)RoundingMode.StochasticUniform)
        {
            throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Unknown rounding mode.");
        }

        if ((uint)overflow > (uint)OverflowMode.SaturatingFinite)
        {
            throw new ArgumentOutOfRangeException(nameof(overflow), overflow, "Unknown overflow mode.");
        }
    }

    /// <summary>Gets the exponent of the smallest normal number used for rounding.</summary>
    /// <remarks>
    /// For E8M0 (no zero) the rounding grid below 2^-126 is {0, 2^-126} with ties to 0 (ml_dtypes rounds through the binary32
    /// subnormal range, where the kept bit is 0), and a zero result encodes as code 0x00 = 2^-127 (FORMATS.md §1.3).
    /// </remarks>
    private int RoundingMinExponent => HasZero ? MinExponent : MinExponent + 1;

    private bool RoundingHasSubnormals => HasZero && HasSubnormals;

    internal double RoundCore(double value, RoundingMode rounding, OverflowMode overflow, ulong randomBits)
    {
        bool negative = double.IsNegative(value);
        if (!double.IsFinite(value))
        {
            if (double.IsNaN(value))
            {
                // FP6/FP4 have no NaN: the result is the value of the code Encode picks (ml_dtypes: +NaN -> −0, −NaN -> +0; satfinite: +max).
                return SpecialValues == SpecialValueEncoding.FiniteOnly ? DecodeCore(EncodeNaN(negative, overflow)) : value;
            }

            return RoundInfinity(negative, overflow);
        }

        if (!IsSigned && (negative || value == 0))
        {
            // E8M0: zero and negative inputs are NaN (ml_dtypes non-saturating) or the smallest code 0x00 (saturating policies).
            return overflow == OverflowMode.NonSaturating ? PositiveNaN : MinNormal;
        }

        if (value == 0)
        {
            return HasNegativeZero ? value : 0.0;
        }

        double magnitude = !HasZero && Math.Abs(value) < Math.ScaleB(MinNormal, 1)
            ? RoundBelowE8M0Normal(Math.Abs(value), rounding, randomBits)
            : RoundMagnitude(Math.Abs(value), negative, rounding, randomBits);
        if (magnitude == 0)
        {
            return !HasZero ? MinNormal : negative && HasNegativeZero ? -0.0 : 0.0;
        }

        if (magnitude > MaxFinite)
        {
            magnitude = OverflowMagnitude(negative, rounding, overflow);
        }

        return negative ? -magnitude : magnitude;
    }

    /// <summary>The magnitude a finite value gets when its rounded magnitude exceeds <see cref="MaxFinite"/> (the vector kernels read it too).</summary>
    internal double OverflowMagnitude(bool negative, RoundingMode rounding, OverflowMode overflow)
    {
        bool towardZero = rounding switch
        {
            RoundingMode.TowardZero or RoundingMode.ToOdd => true,
            RoundingMode.TowardPositive => negative,
            RoundingMode.TowardNegative => !negative,
            _ => false,
        };
        return towardZero || overflow != OverflowMode.NonSaturating ? MaxFinite
            : HasInfinity ? double.PositiveInfinity
            : HasNaN ? PositiveNaN
            : MaxFinite;
    }

    private double RoundInfinity(bool negative, OverflowMode overflow)
    {
        if (!IsSigned)
        {
            // E8M0: ±∞ is NaN unless satfinite clamps it (+∞ to the max, −∞ to the smallest code 0x00).
            return overflow != OverflowMode.SaturatingFinite ? PositiveNaN : negative ? MinNormal : MaxFinite;
        }

        double magnitude = overflow == OverflowMode.SaturatingFinite ? MaxFinite
            : HasInfinity ? double.PositiveInfinity
            : HasNaN ? PositiveNaN
            : MaxFinite;
        return negative ? -magnitude : magnitude;
    }

    /// <summary>E8M0 below 2^-126, where the codes are 0x00 = 2^-127 and 0x01 = 2^-126 and nothing is smaller.</summary>
    /// <remarks>
    /// The nearest modes follow ml_dtypes (FORMATS.md §1.3): x ≤ 2^-127 gives 0x00 and x &gt; 2^-127 gives 0x01 (ml_dtypes rounds
    /// through the binary32 subnormal grid {0, 2^-126}, ties to 0, and maps 0 to the code 0x00). The other modes use the format's own
    /// grid {2^-127, 2^-126}; values at or below 2^-127 give 2^-127 in every mode (there is no smaller value to round down to).
    /// </remarks>
    private double RoundBelowE8M0Normal(double magnitude, RoundingMode rounding, ulong randomBits)
    {
        double low = MinNormal;
        double high = Math.ScaleB(low, 1);
        if (magnitude <= low)
        {
            return low;
        }

        // (magnitude - low) / low is exact: both lie in [2^-127, 2^-126), so the difference needs no more bits than the magnitude.
        double fraction = (magnitude - low) / low;
        bool up = rounding switch
        {
            RoundingMode.NearestEven or RoundingMode.NearestAway or RoundingMode.NearestTowardZero or RoundingMode.TowardPositive => true,
            RoundingMode.Stochastic => randomBits < (ulong)Math.ScaleB(fraction, 64),
            RoundingMode.StochasticUniform => (long)randomBits < 0,
            _ => false, // TowardZero, TowardNegative, and ToOdd (with p = 1 every value has an odd significand: truncation)
        };
        return up ? high : low;
    }

    /// <summary>Rounds a finite positive magnitude onto the format's grid with an unbounded exponent (no overflow handling).</summary>
    /// <remarks>
    /// The magnitude is m · 2^lsb with a 53-bit integer m. The grid spacing (quantum) at the magnitude is 2^q with
    /// q = max(e, emin) − (p − 1), or 2^emin below the normal range of a format without subnormals (the grid {0, 2^emin}). The
    /// integer part i = m >> (q − lsb) is the lower neighbour in quanta and the shifted-out bits decide the rounding; adding one
    /// quantum to i = 2^p − 1 carries into the next binade, which is exactly the value i + 1 at the same quantum.
    /// </remarks>
    private double RoundMagnitude(double magnitude, bool negative, RoundingMode rounding, ulong randomBits)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(magnitude);
        int biased = (int)(bits >> 52);
        ulong m = bits & DoubleFractionMask;
        int e;
        if (biased == 0)
        {
            // binary64 subnormal: normalize so that the leading bit is bit 52.
            int shift = BitOperations.LeadingZeroCount(m) - 11;
            m <<= shift;
            e = 1 - DoubleExponentBias - shift;
        }
        else
        {
            m |= 1UL << 52;
            e = biased - DoubleExponentBias;
        }

        int lsb = e - 52;
        int emin = RoundingMinExponent;
        int q = e >= emin ? e - MantissaBits : RoundingHasSubnormals ? emin - MantissaBits : emin;
        int s = q - lsb; // >= 53 - p >= 0, because q >= e - (p - 1)
        ulong i, r;
        if (s >= 64)
        {
            i = 0;
            r = m;
        }
        else
        {
            i = m >> s;
            r = m & ((1UL << s) - 1);
        }

        if (r != 0 && RoundsAwayFromZero(i, r, s, negative, rounding, randomBits))
        {
            i++;
        }

        return Math.ScaleB((double)i, q);
    }

    /// <summary>Decides whether an inexact magnitude i + r/2^s (in quanta, r ≠ 0) rounds up to i + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool RoundsAwayFromZero(ulong i, ulong r, int s, bool negative, RoundingMode rounding, ulong randomBits)
    {
        // Compare the remainder with half a quantum; for s > 64 the remainder (< 2^53) is always below half.
        int half = s > 64 ? -1 : r.CompareTo(1UL << (s - 1));
        return rounding switch
        {
            RoundingMode.NearestEven => half > 0 || (half == 0 && (i & 1) != 0),
            RoundingMode.NearestAway => half >= 0,
            RoundingMode.NearestTowardZero => half > 0,
            RoundingMode.TowardZero => false,
            RoundingMode.TowardPositive => !negative,
            RoundingMode.TowardNegative => negative,
            RoundingMode.ToOdd => (i & 1) == 0,
            RoundingMode.Stochastic => randomBits < StochasticThreshold(r, s),
            _ => (long)randomBits < 0, // StochasticUniform: the top bit
        };
    }

    /// <summary>floor(r / 2^s · 2^64): the fraction of the gap, truncated to 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong StochasticThreshold(ulong r, int s) =>
        s <= 64 ? r << (64 - s) : s - 64 >= 64 ? 0 : r >> (s - 64);

    private ulong SignBit => IsSigned ? 1UL << (BitCount - 1) : 0;

    private ulong ExponentAllOnes => (1UL << ExponentBits) - 1;

    private ulong EncodeNaN(bool negative, OverflowMode overflow)
    {
        ulong sign = negative ? SignBit : 0;
        switch (SpecialValues)
        {
            case SpecialValueEncoding.Ieee:
            case SpecialValueEncoding.IeeeNoInfinity:
                ulong quiet = MantissaBits > 0 ? 1UL << (MantissaBits - 1) : 0;
                return sign | (ExponentAllOnes << MantissaBits) | quiet;
            case SpecialValueEncoding.FiniteAllOnesNaN:
                return sign | (ExponentAllOnes << MantissaBits) | ((1UL << MantissaBits) - 1);
            case SpecialValueEncoding.FiniteNegativeZeroNaN:
                return SignBit;
            default:
                // FiniteOnly (FP6/FP4) has no NaN: ml_dtypes gives the sign-bit-only code for +NaN and 0 for −NaN; satfinite gives +max.
                return overflow == OverflowMode.SaturatingFinite ? EncodeRepresentable(MaxFinite) : negative ? 0 : SignBit;
        }
    }

    /// <summary>Encodes a value that <see cref="RoundCore"/> returned (a value of the format, ±∞ where it has them, or NaN).</summary>
    private ulong EncodeRepresentable(double value)
    {
        bool negative = double.IsNegative(value);
        if (double.IsNaN(value))
        {
            return EncodeNaN(negative, OverflowMode.NonSaturating);
        }

        ulong sign = negative && IsSigned ? SignBit : 0;
        double magnitude = Math.Abs(value);
        if (double.IsInfinity(value))
        {
            return sign | (ExponentAllOnes << MantissaBits);
        }

        if (magnitude == 0)
        {
            return HasNegativeZero ? sign : 0;
        }

        int e = Math.ILogB(magnitude);
        if (e < MinExponent)
        {
            return sign | (ulong)Math.ScaleB(magnitude, MantissaBits - MinExponent);
        }

        ulong field = (ulong)(e + ExponentBias);
        ulong fraction = (ulong)Math.ScaleB(magnitude, MantissaBits - e) - (1UL << MantissaBits);
        return sign | (field << MantissaBits) | fraction;
    }

    internal double DecodeCore(ulong code)
    {
        bool negative = IsSigned && (code & SignBit) != 0;
        ulong field = (code >> MantissaBits) & ExponentAllOnes;
        ulong fraction = code & ((1UL << MantissaBits) - 1);
        bool nan = SpecialValues switch
        {
            SpecialValueEncoding.Ieee => field == ExponentAllOnes && fraction != 0,
            SpecialValueEncoding.IeeeNoInfinity => field == ExponentAllOnes,
            SpecialValueEncoding.FiniteAllOnesNaN => field == ExponentAllOnes && fraction == (1UL << MantissaBits) - 1,
            SpecialValueEncoding.FiniteNegativeZeroNaN => code == SignBit,
            _ => false,
        };

        // Custom formats may have unused exponent fields between the top binade and the all-ones field: not values, so NaN.
        bool ieeeLayout = SpecialValues is SpecialValueEncoding.Ieee or SpecialValueEncoding.IeeeNoInfinity;
        if (nan || (ieeeLayout && field != ExponentAllOnes && (int)field - ExponentBias > MaxExponent))
        {
            return negative ? -PositiveNaN : PositiveNaN;
        }

        double magnitude;
        if (SpecialValues == SpecialValueEncoding.Ieee && field == ExponentAllOnes)
        {
            magnitude = double.PositiveInfinity;
        }
        else if (field == 0 && HasZero)
        {
            magnitude = Math.ScaleB((double)fraction, MinExponent - MantissaBits);
        }
        else
        {
            magnitude = Math.ScaleB((double)((1UL << MantissaBits) | fraction), (int)field - ExponentBias - MantissaBits);
        }

        return negative ? -magnitude : magnitude;
    }
}
