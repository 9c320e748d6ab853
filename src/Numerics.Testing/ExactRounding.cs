// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Numerics;
using Numerics.Formats;

namespace Numerics.Testing;

/// <summary>
/// An exact rounding oracle: rounds a double to any <see cref="FloatFormat"/> in exact (BigInteger) arithmetic, for checking
/// fast converters, kernels and hardware models against the right answer.
/// </summary>
/// <remarks>
/// <para>
/// The oracle shares no code with the conversions of <c>Numerics.Formats</c>: it reads only the format's descriptive properties
/// (precision, exponent range, <see cref="FloatFormat.MaxFinite"/>, which special values exist and where they are encoded) and
/// computes on exact dyadic rationals. It is slow (microseconds per value) and allocates; use it in tests.
/// </para>
/// <para>Semantics (OCP OFP8 / ml_dtypes / CPFloat, as in <c>specs/FORMATS.md</c> §1.3 and <c>goldens/README.md</c>):</para>
/// <list type="bullet">
/// <item><description>The exact value of the input is rounded to the format's grid with an unbounded exponent; overflow is judged on the
/// rounded value (for <see cref="FloatFormat.E4M3FN"/> under round-to-nearest-even, 464 gives 448 and anything above gives the
/// overflow result).</description></item>
/// <item><description>Without subnormals the only values below 2^emin are 0 and 2^emin, and 0 counts as even.</description></item>
/// <item><description>Overflow: <see cref="OverflowMode.NonSaturating"/> gives infinity where the format has one, otherwise NaN, otherwise
/// (FP6/FP4) the signed maximum; modes that round toward zero for the value's sign (<see cref="RoundingMode.TowardZero"/>,
/// <see cref="RoundingMode.ToOdd"/>, <see cref="RoundingMode.TowardPositive"/> for negative and
/// <see cref="RoundingMode.TowardNegative"/> for positive values) give the signed maximum. The saturating modes give the signed
/// maximum.</description></item>
/// <item><description>Infinite inputs stay infinite where the format has infinity, else give NaN, else the signed maximum; under
/// <see cref="OverflowMode.SaturatingFinite"/> they give the signed maximum.</description></item>
/// <item><description>NaN gives NaN. Formats without NaN (FP6/FP4) follow ml_dtypes: NaN encodes as the zero whose sign is the opposite of
/// the NaN's (+NaN gives the code of −0), and under <see cref="OverflowMode.SaturatingFinite"/> as +max (ONNX).</description></item>
/// <item><description>A zero result keeps the input's sign where the format has −0; the fnuz formats give +0.</description></item>
/// <item><description><see cref="FloatFormat.E8M0FNU"/> (no zero, no sign; values 2^−127 … 2^127, every one with significand 1): under
/// round-to-nearest ties (1.5·2^e) round up, since the kept bit is always odd. Values at or below 2^−127 give code 00 (2^−127) in
/// every mode, stochastic ones included: nothing lies below it. For 2^−127 &lt; x &lt; 2^−126 the modes use two different grids
/// (from 2^−126 up the two agree):
/// <list type="bullet">
/// <item><description>The nearest modes (<see cref="RoundingMode.NearestEven"/>, <see cref="RoundingMode.NearestAway"/>,
/// <see cref="RoundingMode.NearestTowardZero"/>) follow ml_dtypes: code 00 plays the zero of the grid {0, 2^−126, 2^−125, …}, so x
/// gives 2^−126 (1.25·2^−127 gives 2^−126, not the nearer 2^−127).</description></item>
/// <item><description>The directed modes (<see cref="RoundingMode.TowardZero"/>, <see cref="RoundingMode.TowardPositive"/>,
/// <see cref="RoundingMode.TowardNegative"/>, <see cref="RoundingMode.ToOdd"/>) round on the format's own values
/// {2^−127, 2^−126, …}: <see cref="RoundingMode.TowardPositive"/> gives 2^−126, the others 2^−127 (every value has significand 1,
/// which is odd, so <see cref="RoundingMode.ToOdd"/> truncates in every binade).</description></item>
/// <item><description><see cref="Neighbours"/> (both stochastic modes) also uses the format's own values: the candidates are 2^−127 and
/// 2^−126, and <see cref="RoundingMode.Stochastic"/> goes up with probability (x − 2^−127) / (2^−126 − 2^−127) (1/4 for
/// 1.25·2^−127).</description></item>
/// </list>
/// Zero and negative inputs give NaN (<see cref="OverflowMode.NonSaturating"/>) or code 00 (saturating modes).</description></item>
/// </list>
/// </remarks>
public static partial class ExactRounding
{
    internal enum OracleKind
    {
        Finite,
        Infinity,
        NaN,
    }

    /// <summary>An exact result: a finite format value (magnitude and sign), an infinity or a NaN (with the sign its encoding keeps).</summary>
    internal readonly record struct OracleResult(OracleKind Kind, bool Negative, Dyadic Magnitude)
    {
        public static OracleResult Finite(Dyadic magnitude, bool negative) => new(OracleKind.Finite, negative, magnitude);

        public static OracleResult Infinity(bool negative) => new(OracleKind.Infinity, negative, Dyadic.Zero);

        public static OracleResult NaN(bool negative) => new(OracleKind.NaN, negative, Dyadic.Zero);

        public double ToDouble() => Kind switch
        {
            OracleKind.Infinity => Negative ? double.NegativeInfinity : double.PositiveInfinity,
            OracleKind.NaN => BitConverter.UInt64BitsToDouble(Negative ? Binary64.SignMask | Binary64.QuietNaN : Binary64.QuietNaN),
            _ => Magnitude.ToDouble(Negative),
        };
    }

    /// <summary>The two grid points around a finite non-zero magnitude, on the format's grid with an unbounded exponent.</summary>
    /// <param name="Magnitude">The exact input magnitude.</param>
    /// <param name="LowerQuotient">q = floor(magnitude / quantum); the lower point is q · quantum, the upper one (q + 1) · quantum.</param>
    /// <param name="QuantumExponent">The grid spacing is 2^QuantumExponent.</param>
    /// <param name="Exact">Whether the magnitude is on the grid (then both points equal it).</param>
    /// <param name="HalfComparison">The sign of (magnitude − lower) − quantum / 2: negative below the midpoint, 0 at a tie.</param>
    /// <param name="LowerIsEven">
    /// Whether the lower point has an even last significand bit. On the ml_dtypes grid of a format without zero (E8M0), the zero
    /// that stands in for the smallest value counts as odd, like that value's significand 1.
    /// </param>
    internal readonly record struct Bracket(Dyadic Magnitude, BigInteger LowerQuotient, int QuantumExponent, bool Exact, int HalfComparison, bool LowerIsEven)
    {
        public Dyadic Lower => new(LowerQuotient, QuantumExponent);

        public Dyadic Upper => Exact ? Lower : new(LowerQuotient + 1, QuantumExponent);
    }

    internal static void Validate(FloatFormat format, RoundingMode rounding, OverflowMode overflow, bool stochastic)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (!Enum.IsDefined(overflow))
        {
            throw new ArgumentOutOfRangeException(nameof(overflow), overflow, "Unknown overflow mode.");
        }

        if (!Enum.IsDefined(rounding))
        {
            throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Unknown rounding mode.");
        }

        bool isStochastic = rounding is RoundingMode.Stochastic or RoundingMode.StochasticUniform;
        if (isStochastic != stochastic)
        {
            throw new ArgumentException(
                stochastic
                    ? $"Neighbours describes the stochastic modes; use Round or Encode for {rounding}."
                    : $"{rounding} is random: use ExactRounding.Neighbours to get the two candidates and their probabilities.",
                nameof(rounding));
        }
    }

    /// <summary>The smallest positive value of the format that is not zero-like: 2^emin for a format without zero.</summary>
    private static Dyadic SmallestOfUnsignedWithoutZero(FloatFormat format) => Dyadic.PowerOfTwo(format.MinExponent);

    private static Dyadic MaxFinite(FloatFormat format) => Dyadic.FromDouble(format.MaxFinite);

    /// <summary>Handles NaN, infinite and zero inputs and inputs outside an unsigned format; false for finite non-zero values to round.</summary>
    internal static bool TrySpecial(double value, FloatFormat format, OverflowMode overflow, out OracleResult result)
    {
        bool negative = double.IsNegative(value);
        if (double.IsNaN(value))
        {
            if (format.HasNaN)
            {
                result = OracleResult.NaN(negative);
            }
            else if (overflow == OverflowMode.SaturatingFinite)
            {
                // ONNX Cast(saturate=1) into FP6/FP4: NaN gives +max.
                result = OracleResult.Finite(MaxFinite(format), negative: false);
            }
            else
            {
                // ml_dtypes: the MX quiet_NaN() is the sign-bit-only code, and a negative NaN flips that sign bit.
                result = OracleResult.Finite(Dyadic.Zero, negative: !negative);
            }

            return true;
        }

        if (double.IsInfinity(value))
        {
            if (overflow == OverflowMode.SaturatingFinite || !(format.HasInfinity || format.HasNaN))
            {
                result = SignedMax(format, negative, overflow);
            }
            else
            {
                result = format.HasInfinity ? OracleResult.Infinity(negative) : OracleResult.NaN(negative);
            }

            return true;
        }

        if (!format.IsSigned && (negative || value == 0))
        {
            result = OutsideUnsigned(format, overflow);
            return true;
        }

        if (value == 0)
        {
            result = OracleResult.Finite(Dyadic.Zero, negative && format.HasNegativeZero);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>A zero or negative input of an unsigned format: NaN without saturation, else the smallest value.</summary>
    private static OracleResult OutsideUnsigned(FloatFormat format, OverflowMode overflow) =>
        overflow == OverflowMode.NonSaturating && format.HasNaN
            ? OracleResult.NaN(negative: false)
            : OracleResult.Finite(format.HasZero ? Dyadic.Zero : SmallestOfUnsignedWithoutZero(format), negative: false);

    private static OracleResult SignedMax(FloatFormat format, bool negative, OverflowMode overflow) =>
        negative && !format.IsSigned
            ? OutsideUnsigned(format, overflow)
            : OracleResult.Finite(MaxFinite(format), negative);

    /// <summary>Whether a deterministic mode rounds to nearest (and so, in a format without zero, on the ml_dtypes grid).</summary>
    internal static bool IsNearest(RoundingMode rounding) =>
        rounding is RoundingMode.NearestEven or RoundingMode.NearestAway or RoundingMode.NearestTowardZero;

    /// <summary>Brackets a finite non-zero magnitude between two points of the format's grid (unbounded exponent).</summary>
    /// <param name="magnitude">The magnitude; for a format without zero it must lie above the smallest value 2^emin.</param>
    /// <param name="format">The format.</param>
    /// <param name="nearestGrid">
    /// For a format without zero (E8M0): whether to use the grid of the nearest modes, on which, as in ml_dtypes, the smallest code
    /// acts as the zero of a grid that starts one binade higher ({0, 2^(emin+1), …}). Otherwise the grid is the format's own values
    /// {2^emin, 2^(emin+1), …} (directed and stochastic modes). The two grids agree from 2^(emin+1) up. Ignored for formats with zero.
    /// </param>
    internal static Bracket BracketOf(Dyadic magnitude, FloatFormat format, bool nearestGrid)
    {
        int p = format.Precision;
        Debug.Assert(format.HasZero || magnitude > SmallestOfUnsignedWithoutZero(format), "Nothing lies below the smallest value of a format without zero.");

        int gridMinExponent = format.HasZero || !nearestGrid ? format.MinExponent : format.MinExponent + 1;
        bool subnormals = format.HasSubnormals && format.HasZero;

        long e = magnitude.FloorLog2;
        int quantumExponent;
        if (e >= gridMinExponent)
        {
            quantumExponent = checked((int)e - p + 1);
        }
        else if (subnormals)
        {
            quantumExponent = gridMinExponent - p + 1;
        }
        else
        {
            // No subnormals: the only grid points below 2^emin are 0 and 2^emin (quotient 0, which is even, or 1).
            quantumExponent = gridMinExponent;
        }

        // q = floor(m · 2^(E − k)), r = the remainder scaled to 2^-(k − E) units; compare 2r with one quantum for the tie.
        BigInteger s = magnitude.Significand;
        int shift = magnitude.Exponent - quantumExponent;
        if (shift >= 0)
        {
            BigInteger exact = s << shift;
            return new Bracket(magnitude, exact, quantumExponent, Exact: true, HalfComparison: -1, LowerIsEven: exact.IsEven);
        }

        BigInteger q = s >> -shift;
        BigInteger r = s - (q << -shift);
        bool lowerIsEven = q.IsEven && (format.HasZero || !q.IsZero);
        if (r.IsZero)
        {
            return new Bracket(magnitude, q, quantumExponent, Exact: true, HalfComparison: -1, lowerIsEven);
        }

        BigInteger half = BigInteger.One << (-shift - 1);
        return new Bracket(magnitude, q, quantumExponent, Exact: false, HalfComparison: r.CompareTo(half), lowerIsEven);
    }

    /// <summary>Whether the deterministic mode picks the upper (away-from-zero) grid point.</summary>
    internal static bool PicksUpper(Bracket b, RoundingMode rounding, bool negative)
    {
        if (b.Exact)
        {
            return false;
        }

        return rounding switch
        {
            RoundingMode.NearestEven => b.HalfComparison > 0 || (b.HalfComparison == 0 && !b.LowerIsEven),
            RoundingMode.NearestAway => b.HalfComparison >= 0,
            RoundingMode.NearestTowardZero => b.HalfComparison > 0,
            RoundingMode.TowardZero => false,
            RoundingMode.TowardPositive => !negative,
            RoundingMode.TowardNegative => negative,
            RoundingMode.ToOdd => b.LowerIsEven,
            _ => throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Not a deterministic rounding mode."),
        };
    }

    /// <summary>Whether an overflow in this mode is a rounding toward zero for the value's sign (IEEE 754 §7.4: gives the maximum).</summary>
    internal static bool RoundsTowardZero(RoundingMode rounding, bool negative) => rounding switch
    {
        RoundingMode.TowardZero or RoundingMode.ToOdd => true,
        RoundingMode.TowardPositive => negative,
        RoundingMode.TowardNegative => !negative,
        _ => false,
    };

    /// <summary>Turns a chosen grid point into the format's result: zero without a sign, the zero of E8M0, overflow.</summary>
    internal static OracleResult Finish(Dyadic chosen, bool negative, bool towardZero, FloatFormat format, OverflowMode overflow)
    {
        if (chosen.IsZero)
        {
            return format.HasZero
                ? OracleResult.Finite(Dyadic.Zero, negative && format.HasNegativeZero)
                : OracleResult.Finite(SmallestOfUnsignedWithoutZero(format), negative: false);
        }

        if (chosen > MaxFinite(format))
        {
            if (overflow != OverflowMode.NonSaturating || towardZero || !(format.HasInfinity || format.HasNaN))
            {
                return SignedMax(format, negative, overflow);
            }

            return format.HasInfinity ? OracleResult.Infinity(negative) : OracleResult.NaN(negative);
        }

        return OracleResult.Finite(chosen, negative);
    }

    /// <summary>The exact result of a deterministic mode.</summary>
    internal static OracleResult RoundCore(double value, FloatFormat format, RoundingMode rounding, OverflowMode overflow)
    {
        if (TrySpecial(value, format, overflow, out OracleResult special))
        {
            return special;
        }

        bool negative = value < 0;
        Dyadic magnitude = Dyadic.FromDouble(Math.Abs(value));
        if (!format.HasZero && magnitude <= SmallestOfUnsignedWithoutZero(format))
        {
            // Nothing lies below the smallest value of a format without zero: every mode gives it.
            return OracleResult.Finite(SmallestOfUnsignedWithoutZero(format), negative: false);
        }

        Bracket b = BracketOf(magnitude, format, nearestGrid: IsNearest(rounding));
        Dyadic chosen = PicksUpper(b, rounding, negative) ? b.Upper : b.Lower;
        return Finish(chosen, negative, RoundsTowardZero(rounding, negative), format, overflow);
    }
}
