// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Emulation;

/// <summary>What fixed-point chopping does with a rounded code outside the format's range.</summary>
public enum FixedPointOverflow
{
    /// <summary>Clamp to the smallest or largest code (Pychop <c>Chopf</c>, DSP saturating arithmetic). Infinities give the end codes.</summary>
    Saturate = 0,

    /// <summary>
    /// Keep the low i + f bits of the rounded code (two's complement wrap-around, as integer hardware does). Infinities still
    /// saturate, because they have no low bits.
    /// </summary>
    Wrap = 1,
}
