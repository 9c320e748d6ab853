// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>How <see cref="Mx.Quantize"/> chooses a block's shared E8M0 scale.</summary>
public enum MxScaleRounding
{
    /// <summary>
    /// OCP MX v1.0: 2^(floor(log2(amax)) − emax_elem), floor(log2) taken exactly from the float32 bits. The block maximum
    /// lands in the element's top binade and may be clamped to the element maximum (by design in the spec).
    /// </summary>
    Floor = 0,

    /// <summary>
    /// NVIDIA/torchao RCEIL: amax·(1/element max) computed in float32, then rounded toward +∞ to a power of two. No element
    /// of the block is clamped (up to the float32 rounding of that product).
    /// </summary>
    Ceil = 1,
}
