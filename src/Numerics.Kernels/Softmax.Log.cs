// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels.Common;

namespace Numerics.Kernels;

public static partial class Softmax
{
    /// <summary>Computes log-softmax: y_i = (x_i - M) - log(sum_j exp(x_j - M)), with M the maximum of x.</summary>
    /// <param name="x">The input row.</param>
    /// <param name="y">The destination; at least as long as <paramref name="x"/>, or the same memory (in place).</param>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>, or the two overlap partially.</exception>
    /// <remarks>The error is absolute: at most a few float ulps of |x_i - M| plus about 2e-7 (the log of a sum accumulated in
    /// float lanes and double blocks). Special values: a NaN makes every output NaN; with +inf entries, those get -log(count)
    /// and the others -inf; an all -inf row gives NaN; other -inf entries give -inf. Bit-identical across instruction-set tiers.</remarks>
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y)
    {
        SoftmaxGuard.CheckSpans<float>(x, y);
        ThreePassKernel.RunLog(x, y);
    }
}
