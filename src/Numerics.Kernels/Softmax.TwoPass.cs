// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels.Common;

namespace Numerics.Kernels;

public static partial class Softmax
{
    /// <summary>
    /// Computes softmax(x) into y with the two-pass algorithm of Dukhan and Ablavatski: pass 1 sums exp(x) as
    /// (mantissa, exponent) pairs, needing no maximum and never overflowing; pass 2 recomputes exp(x) and scales it.
    /// </summary>
    /// <param name="x">The input row.</param>
    /// <param name="y">The destination; at least as long as <paramref name="x"/>, or the same memory (in place).</param>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>, or the two overlap partially.</exception>
    /// <remarks>Reads x twice and writes y once (12 bytes per element), so it is the fastest variant out of cache. Rows with an
    /// infinity, a NaN or a maximum beyond about +-32579 are finished by the three-pass algorithm instead (same results as
    /// documented on <see cref="Softmax"/>). Bit-identical across instruction-set tiers.</remarks>
    public static void TwoPass(ReadOnlySpan<float> x, Span<float> y)
    {
        SoftmaxGuard.CheckSpans<float>(x, y);
        TwoPassKernel.Run(x, y);
    }
}
