// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels.Common;

namespace Numerics.Kernels;

public static partial class Softmax
{
    /// <summary>
    /// Computes softmax(x) into y with three passes: the maximum M; e_i = exp(x_i - M) stored into y while summing; y *= 1/sum.
    /// </summary>
    /// <param name="x">The input row.</param>
    /// <param name="y">The destination; at least as long as <paramref name="x"/>, or the same memory (in place).</param>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>, or the two overlap partially.</exception>
    /// <remarks>Evaluates exp once per element (a degree-5 polynomial, within 4.77 ulp of exp, measured exhaustively), so it
    /// is the fastest variant while x and y fit in cache. The first pass also finds the minimum: when every x_i - M is above
    /// -2^20 the exp skips its clamp (same bits). Bit-identical across instruction-set tiers; special values as documented on
    /// <see cref="Softmax"/>.</remarks>
    public static void ThreePass(ReadOnlySpan<float> x, Span<float> y)
    {
        SoftmaxGuard.CheckSpans<float>(x, y);
        ThreePassKernel.Run(x, y);
    }
}
