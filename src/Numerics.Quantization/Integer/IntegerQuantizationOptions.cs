// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>Settings of <see cref="IntegerQuantizer.Quantize"/>.</summary>
public sealed record IntegerQuantizationOptions
{
    /// <summary>Code width: 2, 3, 4 or 8 bits. Default 8.</summary>
    public int Bits { get; init; } = 8;

    /// <summary>Two's-complement codes in [−2^(b−1), 2^(b−1) − 1] (true, default) or unsigned codes in [0, 2^b − 1].</summary>
    public bool IsSigned { get; init; } = true;

    /// <summary>
    /// Symmetric (default): scale = amax / (2^(b−1) − 1) and zero point 0 (signed) or 2^(b−1) (unsigned). Asymmetric: the
    /// range [min(min, 0), max(max, 0)] maps onto the whole code range with an integer zero point (0 stays exact).
    /// </summary>
    public bool Symmetric { get; init; } = true;

    /// <summary>Which values share a scale. Default <see cref="QuantizationGranularity.PerTensor"/>.</summary>
    public QuantizationGranularity Granularity { get; init; } = QuantizationGranularity.PerTensor;

    /// <summary>Axis of the channels or groups: 0 (rows) or 1 (columns, default).</summary>
    public int Axis { get; init; } = 1;

    /// <summary>Group length for <see cref="QuantizationGranularity.PerGroup"/> (for example 32, 64 or 128). Default 128.</summary>
    public int GroupSize { get; init; } = 128;

    /// <summary>Rounding of x/scale: any <see cref="RoundingMode"/>; default ties to even. Stochastic modes use <see cref="Seed"/>.</summary>
    public RoundingMode Rounding { get; init; } = RoundingMode.NearestEven;

    /// <summary>How each group's range is chosen: min/max (default), a clipping percentile or an MSE search over clipping ratios.</summary>
    public IntegerScaleMethod ScaleMethod { get; init; } = IntegerScaleMethod.MinMax;

    /// <summary>The percentile p (in (0, 100]) of <see cref="IntegerScaleMethod.Percentile"/>. Default 99.9.</summary>
    public double ClipPercentile { get; init; } = 99.9;

    /// <summary>NaN and ±∞ inputs: throw (default) or saturate (see <see cref="IntegerNonFiniteHandling"/>).</summary>
    public IntegerNonFiniteHandling NonFinite { get; init; } = IntegerNonFiniteHandling.Throw;

    /// <summary>Seed of the stochastic modes: value i uses <see cref="StochasticRounding.RandomBits(ulong, long)"/>(Seed, i).</summary>
    public ulong Seed { get; init; }

    /// <summary>Signed symmetric INT8 per output channel (rows of a weight matrix), the usual W8 weight recipe.</summary>
    public static IntegerQuantizationOptions Int8PerChannel { get; } = new() { Bits = 8, Granularity = QuantizationGranularity.PerChannel, Axis = 0 };

    /// <summary>Signed symmetric INT4 in groups of 128 along the rows (W4A16-INT, GPTQ-style group size, round to nearest).</summary>
    public static IntegerQuantizationOptions Int4PerGroup128 { get; } = new() { Bits = 4, Granularity = QuantizationGranularity.PerGroup, Axis = 1, GroupSize = 128 };
}
