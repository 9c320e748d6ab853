// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats;

/// <summary>How a value that is not representable in a target format is rounded to one of its two neighbours.</summary>
/// <remarks>
/// Values that are exactly representable never change, in any mode. The directed and nearest modes follow IEEE 754-2019;
/// <see cref="ToOdd"/> is Boldo–Melquiond round-to-odd; the two stochastic modes are Pychop/MATLAB chop modes 5 and 6.
/// </remarks>
public enum RoundingMode
{
    /// <summary>Round to the nearest value; ties go to the neighbour with an even last significand bit (IEEE roundTiesToEven).</summary>
    NearestEven = 0,

    /// <summary>Round to the nearest value; ties go away from zero (IEEE roundTiesToAway, C <c>roundf</c>).</summary>
    NearestAway = 1,

    /// <summary>Round to the nearest value; ties go toward zero.</summary>
    NearestTowardZero = 2,

    /// <summary>Round toward zero (truncate the magnitude).</summary>
    TowardZero = 3,

    /// <summary>Round toward positive infinity.</summary>
    TowardPositive = 4,

    /// <summary>Round toward negative infinity.</summary>
    TowardNegative = 5,

    /// <summary>Round to odd: an inexact value takes the neighbour whose last significand bit is 1.</summary>
    ToOdd = 6,

    /// <summary>
    /// Stochastic rounding with probabilities proportional to distance: the value rounds away from the lower neighbour with
    /// probability (x - lower) / (upper - lower), so the expected result equals the input (chop mode 5).
    /// </summary>
    Stochastic = 7,

    /// <summary>Stochastic rounding with equal probabilities: an inexact value rounds up or down with probability 1/2 each (chop mode 6).</summary>
    StochasticUniform = 8,
}
