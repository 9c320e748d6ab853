// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>What <see cref="IntegerQuantizer"/> does with NaN and ±∞ inputs.</summary>
public enum IntegerNonFiniteHandling
{
    /// <summary>Throw an <see cref="ArgumentException"/> naming the index of the first non-finite value (the default).</summary>
    Throw = 0,

    /// <summary>
    /// Saturate: ±∞ are left out of the group's range and get the group's largest / smallest code; NaN gets the zero point (it
    /// dequantizes to 0). In a group whose finite values are all zero (scale 0) every value, ±∞ included, dequantizes to 0.
    /// </summary>
    Saturate = 1,
}
