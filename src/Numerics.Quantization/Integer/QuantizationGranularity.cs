// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>Which values of a row-major matrix share one scale and zero point.</summary>
public enum QuantizationGranularity
{
    /// <summary>One scale for the whole tensor.</summary>
    PerTensor = 0,

    /// <summary>One scale per index along the channel axis (axis 0: per row, axis 1: per column).</summary>
    PerChannel = 1,

    /// <summary>One scale per group of <see cref="IntegerQuantizationOptions.GroupSize"/> consecutive values along the axis
    /// (axis 1: groups within each row, the usual reduction-axis grouping; axis 0: groups of rows within each column).</summary>
    PerGroup = 2,
}
