// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats.Types;

/// <summary>Where a scalar type keeps its specials (the subset of <see cref="SpecialValueEncoding"/> the public types use).</summary>
internal enum MiniFloatKind
{
    /// <summary>IEEE-like: the all-ones exponent field holds ±∞ (zero fraction) and the NaNs (bfloat16, float8_e5m2).</summary>
    Ieee,

    /// <summary>"fn": no ∞; only S.1…1 is NaN (float8_e4m3fn).</summary>
    FiniteAllOnesNaN,

    /// <summary>"fnuz": no ∞, no −0; the sign-bit-only code is the only NaN.</summary>
    FiniteNegativeZeroNaN,

    /// <summary>Every code is finite: no ∞ and no NaN (FP6, FP4).</summary>
    FiniteOnly,
}

/// <summary>
/// The traits of a signed binary format with a zero, as <c>static abstract</c> members, so that one generic conversion serves every
/// scalar type and the JIT folds the traits into immediates (STYLE-GUIDE §3).
/// </summary>
internal interface IMiniFloatFormat
{
    /// <summary>Gets the preset that describes the format (decode tables, span conversions, slow paths).</summary>
    static abstract FloatFormat Format { get; }

    /// <summary>Gets the total number of bits (sign, exponent, fraction): 4, 6, 8 or 16.</summary>
    static abstract int BitCount { get; }

    /// <summary>Gets the width of the fraction field.</summary>
    static abstract int MantissaBits { get; }

    /// <summary>Gets the exponent bias.</summary>
    static abstract int ExponentBias { get; }

    /// <summary>Gets the code of the largest finite value (sign clear).</summary>
    static abstract uint MaxFiniteCode { get; }

    /// <summary>Gets how the format encodes its specials.</summary>
    static abstract MiniFloatKind Kind { get; }

    /// <summary>
    /// Gets the overflow threshold of round-to-nearest-even: the midpoint between the largest finite value and the next value of
    /// the grid with an unbounded exponent (exact in binary32).
    /// </summary>
    static abstract float OverflowMidpoint { get; }

    /// <summary>
    /// Gets a value indicating whether a tie at <see cref="OverflowMidpoint"/> rounds down to the largest finite value (its
    /// significand is even, as in float8_e4m3fn where 464 gives 448); otherwise the tie overflows (FORMATS.md §1.3).
    /// </summary>
    static abstract bool MidpointRoundsToMax { get; }
}
