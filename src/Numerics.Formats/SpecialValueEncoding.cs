// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats;

/// <summary>Where a binary floating-point format keeps its infinities, NaNs and zeros.</summary>
public enum SpecialValueEncoding
{
    /// <summary>IEEE 754 style: the all-ones exponent field holds the infinities (zero fraction) and the NaNs (non-zero fraction).</summary>
    Ieee = 0,

    /// <summary>
    /// The "fn" formats (finite, NaN): no infinities; only the code whose exponent and fraction fields are all ones is NaN
    /// (OCP E4M3, <c>float8_e4m3fn</c>), and the other codes of the top exponent field are finite. The MX scale E8M0 uses this
    /// encoding too (its only special is 0xFF = NaN).
    /// </summary>
    FiniteAllOnesNaN = 1,

    /// <summary>The "fnuz" formats (finite, NaN, unsigned zero): no infinities and no negative zero; the code of −0 is the only NaN.</summary>
    FiniteNegativeZeroNaN = 2,

    /// <summary>Every code is a finite number: no infinities and no NaN (OCP MX FP6 and FP4 elements).</summary>
    FiniteOnly = 3,

    /// <summary>
    /// IEEE 754 layout without infinities (custom formats created with <c>infinity: false</c>): every code of the all-ones
    /// exponent field is NaN, and a non-saturating overflow gives NaN.
    /// </summary>
    IeeeNoInfinity = 4,
}
