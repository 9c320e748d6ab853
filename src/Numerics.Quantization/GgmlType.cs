// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;

namespace Numerics.Quantization;

/// <summary>
/// The llama.cpp / ggml block formats that <see cref="GgmlBlocks"/> reads and writes byte for byte
/// (layouts from <c>ggml/src/ggml-common.h</c>, algorithms from the <c>quantize_row_*_ref</c> functions of
/// <c>ggml/src/ggml-quants.c</c>).
/// </summary>
/// <remarks>
/// Every multi-byte field is little-endian; <c>half</c> is IEEE binary16 written with round-to-nearest-even.
/// The member names are the ggml type names so that GGUF tooling can map them one to one.
/// </remarks>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "The names are ggml's own type names (GGML_TYPE_Q4_0, ...), which users search for.")]
public enum GgmlType
{
    /// <summary>32 values in 18 bytes: half d; 16 bytes of 4-bit codes q (value = (q − 8)·d). Byte j holds q[j] (low nibble) and q[j+16] (high nibble).</summary>
    Q4_0 = 0,

    /// <summary>32 values in 20 bytes: half d; half m; 16 bytes of 4-bit codes q (value = q·d + m), nibbles as <see cref="Q4_0"/>.</summary>
    Q4_1 = 1,

    /// <summary>32 values in 22 bytes: half d; uint32 qh (bit j = fifth bit of q[j]); 16 bytes of low nibbles as <see cref="Q4_0"/> (value = (q − 16)·d).</summary>
    Q5_0 = 2,

    /// <summary>32 values in 34 bytes: half d; 32 signed bytes q (value = q·d).</summary>
    Q8_0 = 3,

    /// <summary>32 values in 36 bytes: half d; half s = d·Σq; 32 signed bytes q (value = q·d). ggml has no dequantizer for it; <see cref="GgmlBlocks.Dequantize"/> returns q·d.</summary>
    Q8_1 = 4,

    /// <summary>256 values in 144 bytes: half d; half dmin; 12 bytes of eight 6-bit scales and mins; 128 bytes of 4-bit codes (value = d·sc·q − dmin·m).</summary>
    Q4_K = 5,

    /// <summary>32 values in 18 bytes: half d; 16 bytes of 4-bit indices into the non-linear table {−127, −104, …, 113} (value = d·table[q]).</summary>
    IQ4_NL = 6,

    /// <summary>32 values in 17 bytes: E8M0 exponent e; 16 bytes of E2M1 codes (value = E2M1(q)·2^(e−127)). ggml's variant: scale from float32 log2 and ties toward zero, not OCP-exact.</summary>
    MXFP4 = 7,

    /// <summary>ggml's NVFP4 layout, 64 values in 36 bytes: four UE4M3 sub-block scales (one per 16 values); 32 bytes of E2M1 codes (byte j of sub-block s = q[j] low, q[j+8] high). No per-tensor scale; not NVIDIA's byte layout.</summary>
    NVFP4 = 8,
}
