// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels.Common;

namespace Numerics.Kernels;

public static partial class Softmax
{
    /// <summary>Computes softmax over each row of a row-major matrix (the attention case): every row of
    /// <paramref name="rowLength"/> elements is normalized on its own with <see cref="Compute(ReadOnlySpan{float}, Span{float})"/>.</summary>
    /// <param name="x">The matrix, row-major, <c>rows * rowLength</c> elements.</param>
    /// <param name="y">The destination, same shape; at least as long as <paramref name="x"/>, or the same memory (in place).</param>
    /// <param name="rowLength">The number of columns; must be positive and divide <c>x.Length</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowLength"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not a multiple of <paramref name="rowLength"/>,
    /// <paramref name="y"/> is shorter than <paramref name="x"/>, or the two overlap partially.</exception>
    /// <remarks>Each row gets exactly the bits <see cref="Compute(ReadOnlySpan{float}, Span{float})"/> gives for it alone.</remarks>
    public static void ComputeRows(ReadOnlySpan<float> x, Span<float> y, int rowLength)
    {
        SoftmaxGuard.CheckRows<float>(x, y, rowLength);
        for (int start = 0; start < x.Length; start += rowLength)
        {
            ComputeUnchecked(x.Slice(start, rowLength), y.Slice(start, rowLength));
        }
    }

    /// <summary>Computes log-softmax over each row of a row-major matrix, as <see cref="LogSoftmax(ReadOnlySpan{float}, Span{float})"/> per row.</summary>
    /// <param name="x">The matrix, row-major, <c>rows * rowLength</c> elements.</param>
    /// <param name="y">The destination, same shape; at least as long as <paramref name="x"/>, or the same memory (in place).</param>
    /// <param name="rowLength">The number of columns; must be positive and divide <c>x.Length</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowLength"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="x"/> is not a multiple of <paramref name="rowLength"/>,
    /// <paramref name="y"/> is shorter than <paramref name="x"/>, or the two overlap partially.</exception>
    public static void LogSoftmaxRows(ReadOnlySpan<float> x, Span<float> y, int rowLength)
    {
        SoftmaxGuard.CheckRows<float>(x, y, rowLength);
        for (int start = 0; start < x.Length; start += rowLength)
        {
            ThreePassKernel.RunLog(x.Slice(start, rowLength), y.Slice(start, rowLength));
        }
    }
}
