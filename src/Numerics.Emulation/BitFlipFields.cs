// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Emulation;

/// <summary>Which fields of the <em>target</em> encoding a soft error (bit flip) may hit.</summary>
/// <remarks>
/// Flips are applied to the code of the rounded value in the target format (encode, XOR one bit, decode), never to the storage
/// encoding, so a flipped value is always a code of the target format (CPFloat flips storage bits and can leave the format).
/// </remarks>
[Flags]
#pragma warning disable CA1711 // "Fields" is the domain term (the sign, exponent and fraction fields of an encoding), not a suffix for a flags enum.
public enum BitFlipFields
#pragma warning restore CA1711
{
    /// <summary>No field: nothing is flipped.</summary>
    None = 0,

    /// <summary>The sign bit (absent in unsigned formats such as E8M0).</summary>
    Sign = 1,

    /// <summary>The exponent field.</summary>
    Exponent = 2,

    /// <summary>The fraction (trailing significand) field; the implicit leading bit is not stored and never flips (chop's behaviour).</summary>
    Fraction = 4,

    /// <summary>Every bit of the code.</summary>
    All = Sign | Exponent | Fraction,
}
