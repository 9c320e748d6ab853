// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Kernels;

/// <summary>Whether a GEMM operand is used as stored or transposed (the <c>CBLAS_TRANSPOSE</c> of <c>cblas_sgemm</c>).</summary>
public enum Transpose
{
    /// <summary>Use the operand as stored (<c>CblasNoTrans</c>): op(X) = X.</summary>
    None = 0,

    /// <summary>Use the transpose of the stored operand (<c>CblasTrans</c>): op(X) = Xᵀ.</summary>
    Transposed = 1,
}
