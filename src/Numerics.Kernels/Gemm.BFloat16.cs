// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Kernels;

public static partial class Gemm
{
    /// <summary>
    /// Computes C = A·B for row-major BF16 A (m × k) and B (k × n) given as raw bit patterns, with FP32 accumulation and an
    /// FP32 C (m × n), overwritten (LayerCast: store 16-bit, compute in FP32).
    /// </summary>
    /// <remarks>
    /// Each BF16 value widens exactly to FP32 (the upper half of its binary32 bits) while the operands are packed, so no FP32
    /// copy of A or B is made and the result has the same bits as <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, int)"/>
    /// on the widened matrices.
    /// </remarks>
    /// <param name="a">A as BF16 bits, row-major, at least m·k elements.</param>
    /// <param name="b">B as BF16 bits, row-major, at least k·n elements.</param>
    /// <param name="c">C, row-major, at least m·n elements; overwritten. Must not overlap A or B.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A, rows of B. With k = 0, C is set to zero.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">A span is too short, or <paramref name="c"/> overlaps <paramref name="a"/> or <paramref name="b"/>.</exception>
    public static void MultiplyBFloat16(ReadOnlySpan<ushort> a, ReadOnlySpan<ushort> b, Span<float> c, int m, int n, int k, int maxDegreeOfParallelism = 1)
    {
        int threads = ResolveThreads(maxDegreeOfParallelism);
        if ((long)m * n * k < ParallelThreshold)
        {
            threads = 1;
        }

        Dispatch<ushort, BFloat16Input>(Transpose.None, Transpose.None, m, n, k, 1f, a, Math.Max(1, k), b, Math.Max(1, n), 0f, c, Math.Max(1, n), threads);
    }
}
