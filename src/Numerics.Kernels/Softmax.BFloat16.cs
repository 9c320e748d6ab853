// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Numerics.Formats;
using Numerics.Kernels.Common;

namespace Numerics.Kernels;

public static partial class Softmax
{
    /// <summary>Computes softmax over <see cref="BFloat16"/> values in float: x is widened exactly, the result of
    /// <see cref="Compute(ReadOnlySpan{float}, Span{float})"/> is rounded to the nearest <see cref="BFloat16"/> (ties to even).</summary>
    /// <param name="x">The input row.</param>
    /// <param name="y">The destination; at least as long as <paramref name="x"/>, or the same memory (in place).</param>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>, or the two overlap partially.</exception>
    /// <remarks>Uses a pooled float buffer of x.Length elements (no allocation once the pool is warm). Bit-identical across
    /// instruction-set tiers; special values as documented on <see cref="Softmax"/>.</remarks>
    public static void Compute(ReadOnlySpan<BFloat16> x, Span<BFloat16> y)
    {
        SoftmaxGuard.CheckSpans<BFloat16>(x, y);
        if (x.IsEmpty)
        {
            return;
        }

        float[] buffer = ArrayPool<float>.Shared.Rent(x.Length);
        try
        {
            Span<float> wide = buffer.AsSpan(0, x.Length);
            BFloat16.ConvertToSingle(x, wide);
            ComputeUnchecked(wide, wide);
            BFloat16.ConvertFromSingle(wide, y[..x.Length]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
