// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>The element format of <see cref="ScaledFloatQuantizer"/>.</summary>
public enum ScaledFloatElement
{
    /// <summary>FP8 E4M3 (<c>float8_e4m3fn</c>: max 448, no infinities).</summary>
    E4M3 = 0,

    /// <summary>FP8 E5M2 (<c>float8_e5m2</c>: max 57344).</summary>
    E5M2 = 1,

    /// <summary>FP4 E2M1 (<c>float4_e2m1fn</c>: values 0, 0.5, 1, 1.5, 2, 3, 4, 6).</summary>
    E2M1 = 2,
}
