// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>How <see cref="IntegerQuantizer"/> chooses the range [lo, hi] of each group that the codes cover.</summary>
public enum IntegerScaleMethod
{
    /// <summary>The group's minimum and maximum (the default): nothing is clipped.</summary>
    MinMax = 0,

    /// <summary>
    /// Clip to a percentile (<see cref="IntegerQuantizationOptions.ClipPercentile"/>, nearest rank): symmetric groups use that
    /// percentile of |x|; asymmetric groups the (100 − p)-th and p-th percentiles of x. Values outside are clamped.
    /// </summary>
    Percentile = 1,

    /// <summary>
    /// Grid search for the clipping ratio α ∈ {1, 0.99, …, 0.21} (80 candidates, the GPTQ/AutoRound grid) applied to the
    /// min/max range; the α with the least Σ(x − dequantized)² over the group (in double; the largest α on ties) wins.
    /// </summary>
    MseSearch = 2,
}
