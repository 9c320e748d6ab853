// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;

namespace Numerics.Kernels;

/// <summary>
/// Decoding of one block of 32 quantized weights into two groups of 16 lanes (the only format-specific code of
/// <see cref="QuantizedGemm"/>).
/// </summary>
/// <remarks>
/// <para>
/// A block decodes to 32 exact integers or small binary fractions q (exact in FP32) and one scale s, so the weight is s·q.
/// Lane j (0 ≤ j &lt; 16) of the "low" group and lane j of the "high" group pair with activations
/// <c>a[32·b + j]</c> and <c>a[32·b + 16 + j]</c> of the (possibly lane-permuted, see <see cref="PermutesActivations"/>)
/// activation row.
/// </para>
/// <para>
/// Every implementation computes, per output element, 16 lane sums L_j over the blocks b in increasing order:
/// t = fma(hi_j, a_hi_j, lo_j·a_lo_j); L_j = fma(s_b, t, L_j); then the fixed tree
/// ((L_j + L_{j+8}) + (…+4)) + (…+2) + (…+1). That order does not depend on the vector width or the thread count.
/// E4M3FN has its own chunked order (see <see cref="E4M3FNBlock.Decode64"/> and <see cref="QuantizedGemm"/>).
/// </para>
/// </remarks>
internal unsafe interface IQuantizedBlock
{
    /// <summary>Bytes of one block of 32 weights in the weight rows (including any in-block scale).</summary>
    static abstract int BlockBytes { get; }

    /// <summary>
    /// Whether the block holds elements in the order 0, 2, 4, … (low nibbles) and 1, 3, 5, … (high nibbles), so the driver
    /// reorders each 32-element block of the activations into evens then odds before the dot products.
    /// </summary>
    static abstract bool PermutesActivations { get; }

    /// <summary>Whether the scale is stored in the block itself (ggml formats): the AVX-512 loop then reads it through <see cref="ScaleTable"/> as it goes.</summary>
    static abstract bool InBlockScale { get; }

    /// <summary>Whether <see cref="Decode512"/> reads an offset (INT4 zero points); formats without one and with external scales (E4M3FN) read those in the loop.</summary>
    static abstract bool UsesOffsets { get; }

    /// <summary>A table of the float of every scale encoding, exactly as <see cref="Scales"/> gives it (only when <see cref="InBlockScale"/>).</summary>
    static abstract float* ScaleTable { get; }

    /// <summary>The index in <see cref="ScaleTable"/> of the block's own scale (its encoding).</summary>
    /// <param name="block">The first byte of the block.</param>
    /// <returns>The encoding of s.</returns>
    static abstract nint ScaleIndex(byte* block);

    /// <summary>The scale s and the decoder's integer offset (0 when unused) of blocks [first, first + count) of a weight row.</summary>
    /// <param name="weights">The call's weight description (external scales and zero points).</param>
    /// <param name="rowStart">The first byte of the weight row.</param>
    /// <param name="row">The weight row index (output column n).</param>
    /// <param name="first">The first block.</param>
    /// <param name="count">Blocks to describe.</param>
    /// <param name="scales">Receives count scales (exact conversions, so the vector and scalar paths agree bit for bit).</param>
    /// <param name="offsets">Receives count offsets.</param>
    /// <param name="vector">Whether AVX-512 may be used.</param>
    static abstract void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector);

    /// <summary>Decodes the 32 values (unscaled) of a block with AVX-512.</summary>
    static abstract void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi);

    /// <summary>
    /// Decodes half of a block with AVX2 (formats with the scale in the block): lanes 8h … 8h + 7 of the low group in
    /// <paramref name="lo"/> and of the high group in <paramref name="hi"/>, for h = <paramref name="half"/> (0 or 1, a constant after inlining).
    /// </summary>
    static abstract void Decode256(byte* block, int half, out Vector256<float> lo, out Vector256<float> hi);

    /// <summary>The unscaled value of lane <paramref name="lane"/> (0-15: low group, 16-31: high group); the scalar reference.</summary>
    static abstract float DecodeScalar(byte* block, int offset, int lane);
}

/// <summary>The code paths of <see cref="QuantizedGemm"/>'s drivers (all give the same bits).</summary>
internal enum QuantizedPath
{
    /// <summary>The scalar reference.</summary>
    Scalar,

    /// <summary>AVX2 and FMA: the sixteen lanes as two 256-bit halves.</summary>
    Vector256,

    /// <summary>
    /// AVX-512 (E4M3FN also needs VBMI, else it takes <see cref="Vector256"/> or <see cref="Scalar"/>; the Q8_0-activation
    /// drivers need BW, VBMI and GFNI, see <see cref="IntegerDotDriver.Supported"/>).
    /// </summary>
    Vector512,
}

/// <summary>A validated weight matrix of N rows × K values and the call's operands, pinned by the caller.</summary>
internal unsafe struct QuantizedWeights
{
    /// <summary>First weight row.</summary>
    public byte* W;

    /// <summary>Bytes per weight row.</summary>
    public nint RowBytes;

    /// <summary>External scales (E4M3FN, INT4), or null.</summary>
    public float* Scales;

    /// <summary>External zero points (INT4), or null.</summary>
    public int* ZeroPoints;

    /// <summary>Scales per weight row (0 when one scale serves every row).</summary>
    public int ScalesPerRow;

    /// <summary>log2 of the 32-value blocks per scale group (a group is 32 · 2^shift values); 30 for "whole row".</summary>
    public int GroupShift;

    /// <summary>INT4: codes are two's complement.</summary>
    public bool Signed;

    /// <summary>Activations (M × K, row-major; lane-permuted when the format asks for it).</summary>
    public float* A;

    /// <summary>
    /// E4M3FN, AVX-512 and AVX2 paths: each activation row in the lane order of <see cref="E4M3FNBlock.Decode64"/> (per 64 values,
    /// vector t lane 4L + d holds value 16L + 8·(t / 2) + 2d + (t % 2); a last chunk of 32 is padded with zeros to 64); null elsewhere.
    /// </summary>
    public float* AChunked;

    /// <summary>Output (M × N, row-major).</summary>
    public float* C;

    /// <summary>Rows of A and C.</summary>
    public int M;

    /// <summary>Weight rows = columns of C.</summary>
    public int N;

    /// <summary>Values per weight row (a multiple of 32).</summary>
    public int K;

    /// <summary>The code path (all give the same bits).</summary>
    public QuantizedPath Path;

    /// <summary>The external scale group of block <paramref name="blockIndex"/> in <paramref name="row"/>.</summary>
    public readonly int Group(int row, int blockIndex) => (row * ScalesPerRow) + (blockIndex >> GroupShift);
}
