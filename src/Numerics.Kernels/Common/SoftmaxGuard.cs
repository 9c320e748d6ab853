// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;

namespace Numerics.Kernels.Common;

/// <summary>Argument checks shared by the softmax entry points (throws name the public parameters x and y).</summary>
internal static class SoftmaxGuard
{
    /// <summary>y must be at least as long as x, and the two may alias only exactly (same start).</summary>
    internal static void CheckSpans<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
    {
        if (y.Length < x.Length)
        {
            ThrowDestinationTooShort(nameof(y));
        }

        if (x.Overlaps(y, out int offset) && offset != 0)
        {
            ThrowPartialOverlap(nameof(y));
        }
    }

    /// <summary>x is a row-major matrix of rows of <paramref name="rowLength"/> elements.</summary>
    internal static void CheckRows<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int rowLength)
    {
        if (rowLength <= 0)
        {
            ThrowRowLength(rowLength);
        }

        if (x.Length % rowLength != 0)
        {
            ThrowRaggedRows(nameof(x));
        }

        CheckSpans(x, y);
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(string paramName)
        => throw new ArgumentException("The destination span is shorter than the source span x.", paramName);

    [DoesNotReturn]
    private static void ThrowPartialOverlap(string paramName)
        => throw new ArgumentException("The source and destination overlap partially; only exact in-place aliasing (same start) is allowed.", paramName);

    [DoesNotReturn]
    private static void ThrowRowLength(int rowLength)
        => throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, "The row length must be positive.");

    [DoesNotReturn]
    private static void ThrowRaggedRows(string paramName)
        => throw new ArgumentException("The source length is not a multiple of the row length.", paramName);
}
