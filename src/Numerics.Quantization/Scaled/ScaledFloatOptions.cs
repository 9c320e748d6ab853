// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>Settings of <see cref="ScaledFloatQuantizer.Quantize"/>.</summary>
public sealed record ScaledFloatOptions
{
    /// <summary>Element format. Default <see cref="ScaledFloatElement.E4M3"/>.</summary>
    public ScaledFloatElement Element { get; init; } = ScaledFloatElement.E4M3;

    /// <summary>Which values share a scale. Default <see cref="QuantizationGranularity.PerTensor"/>.</summary>
    public QuantizationGranularity Granularity { get; init; } = QuantizationGranularity.PerTensor;

    /// <summary>Axis of the channels or groups: 0 (rows; per channel = one scale per row, per token for activations) or 1 (columns, default).</summary>
    public int Axis { get; init; } = 1;

    /// <summary>Group length for <see cref="QuantizationGranularity.PerGroup"/>. Default 128.</summary>
    public int GroupSize { get; init; } = 128;

    /// <summary>
    /// Round every scale up to a power of two (ZeroQuant-FP's constraint M1, so that FP4→FP8 casts are exponent shifts and
    /// dequantization is exact). Default false: scale = amax / max finite of the element.
    /// </summary>
    public bool PowerOfTwoScales { get; init; }

    /// <summary>Rounding of x / scale to the element format (default ties to even); stochastic modes use <see cref="Seed"/>.</summary>
    public RoundingMode Rounding { get; init; } = RoundingMode.NearestEven;

    /// <summary>Seed of the stochastic modes: value i uses <see cref="StochasticRounding.RandomBits(ulong, long)"/>(Seed, i).</summary>
    public ulong Seed { get; init; }
}
