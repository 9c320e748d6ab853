// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: the only instruction-set-specific part of the BLIS design (STYLE-GUIDE §5).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Run"/> computes an <see cref="Mr"/> × <see cref="Nr"/> tile C ← alpha·acc + beta·C, where
/// acc[i, j] = Σ_p aPanel[p·Mr + i] · bPanel[p·Nr + j] over p = 0 … k−1. The A panel is packed column by column
/// (Mr values per p) and the B panel row by row (Nr values per p, rows ldb apart: Nr when packed, the stride of B when read in place).
/// </para>
/// <para>
/// Every implementation computes each element in exactly the same order, so all kernels give identical bits:
/// acc starts at +0 and takes acc ← fma(a_p, b_p, acc) for p = 0, 1, …, k−1; then
/// C ← fma(acc, alpha, t) with t = +0 when beta = 0 (C is not read, so NaN in C is overwritten) and t = C·beta otherwise.
/// </para>
/// </remarks>
internal interface IGemmMicroKernel
{
    /// <summary>Rows of the register tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the register tile.</summary>
    static abstract int Nr { get; }

    /// <summary>Whether the hardware runs this kernel natively (dispatch picks the widest supported).</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Cache blocking for this kernel (one table: <see cref="GemmBlocking.For{TKernel}"/>).</summary>
    static abstract GemmBlocking Blocking { get; }

    /// <summary>C[Mr × Nr] ← alpha · (A panel · B panel) + beta · C; see the type remarks for the exact order of operations.</summary>
    /// <param name="k">Depth of the panels (k ≥ 0).</param>
    /// <param name="aPanel">Packed A: k columns of Mr floats.</param>
    /// <param name="bPanel">B: k rows of Nr floats, <paramref name="ldb"/> apart (a packed panel, or op(B) itself read in place).</param>
    /// <param name="ldb">Distance in floats between the rows of B: Nr for a packed panel, the row stride of B when read in place.</param>
    /// <param name="prefetch">0, or the distance in floats from each row of B to memory to prefetch while it is read (a panel of B ahead, read in place); a hint that kernels may ignore.</param>
    /// <param name="c">Top-left element of the C tile (row-major).</param>
    /// <param name="ldc">Distance in floats between rows of C.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of C; 0 means C is written without being read.</param>
    static abstract void Run(int k, ref float aPanel, ref float bPanel, nint ldb, nint prefetch, ref float c, nint ldc, float alpha, float beta);
}
