// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;

namespace Numerics.Quantization;

/// <summary>Element formats of OCP Microscaling (MX v1.0) blocks: 32 elements sharing one E8M0 scale.</summary>
public enum MxElement
{
    /// <summary>MXFP8 with FP8 E4M3 elements (OCP E4M3FN: max 448, no infinity). emax 8.</summary>
    E4M3 = 0,

    /// <summary>MXFP8 with FP8 E5M2 elements (max 57344). emax 15.</summary>
    E5M2 = 1,

    /// <summary>MXFP6 with FP6 E3M2 elements (max 28). emax 4.</summary>
    E3M2 = 2,

    /// <summary>MXFP6 with FP6 E2M3 elements (max 7.5). emax 2.</summary>
    E2M3 = 3,

    /// <summary>MXFP4 with FP4 E2M1 elements (values 0, 0.5, 1, 1.5, 2, 3, 4, 6). emax 2.</summary>
    E2M1 = 4,

    /// <summary>MXINT8: two's-complement 8-bit integers with an implicit scale of 2^-6 (value q/64), clamped to ±127. emax 0.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "MXINT8 is the format's name in the OCP MX specification; the enum name is a published contract.")]
    Int8 = 5,
}
