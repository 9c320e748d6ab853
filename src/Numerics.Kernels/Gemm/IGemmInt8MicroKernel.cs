// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Kernels;

/// <summary>
/// A register-blocked INT8 × INT8 → INT32 GEMM micro-kernel on the packed layout of <see cref="GemmInt8Packing"/>.
/// </summary>
/// <remarks>
/// <para>
/// The A panel holds Mr rows as unsigned bytes a + 128 (a XOR 0x80), four consecutive k per row and group
/// (group g: Mr × 4 bytes), or, for kernels whose <see cref="AGroupBytes"/> is 8, the same four values as unsigned
/// 16-bit words in the order a0, a2, a1, a3 (group g: Mr × 8 bytes; <see cref="GemmInt8Packing.PackAWords"/>). The B
/// panel holds Nr columns as signed bytes, four consecutive k per column and group (group g: Nr × 4 bytes), zero-padded
/// past the end of k. The correction row holds −128·Σ_p b[p, j] for the block.
/// </para>
/// <para>
/// <see cref="Run"/> computes C[i, j] ← (accumulate ? C[i, j] : 0) + corr[j] + Σ_p (a[i, p] + 128)·b[p, j], which equals
/// Σ_p a[i, p]·b[p, j] (+ C). All arithmetic is two's-complement int32 with wraparound, so every kernel (and every order of
/// the additions) gives the same bits: the exact sum reduced modulo 2³².
/// </para>
/// </remarks>
internal unsafe interface IGemmInt8MicroKernel
{
    /// <summary>Rows of the register tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the register tile.</summary>
    static abstract int Nr { get; }

    /// <summary>Bytes of one row of A in one group of the packed A panel: 4 (bytes) or 8 (words); see the type remarks.</summary>
    static abstract int AGroupBytes { get; }

    /// <summary>Whether the hardware runs this kernel natively.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>One tile; see the type remarks.</summary>
    /// <param name="groups">Groups of four k in the panels (k rounded up to a multiple of 4, divided by 4).</param>
    /// <param name="aPanel">Packed A: groups × Mr × <see cref="AGroupBytes"/> bytes.</param>
    /// <param name="bPanel">Packed B: groups × Nr × 4 signed bytes.</param>
    /// <param name="correction">Nr ints: −128 · column sums of B over the block.</param>
    /// <param name="c">Top-left element of the C tile (row-major).</param>
    /// <param name="ldc">Distance in ints between rows of C.</param>
    /// <param name="accumulate">Whether to add to C (false: C is written without being read).</param>
    static abstract void Run(int groups, byte* aPanel, sbyte* bPanel, int* correction, int* c, nint ldc, bool accumulate);
}
