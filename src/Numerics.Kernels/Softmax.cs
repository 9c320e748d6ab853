// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels.Common;

namespace Numerics.Kernels;

/// <summary>
/// Numerically safe softmax and log-softmax over spans of <see cref="float"/> (and <see cref="Half"/>), vectorized for
/// 128-, 256- and 512-bit SIMD, giving bit-identical results on every instruction-set tier.
/// </summary>
/// <remarks>
/// <para>softmax(x)_i = exp(x_i) / sum_j exp(x_j), computed in float with sums in double at block boundaries. Max relative error
/// against a double-precision reference is below 1e-5 for outputs in the normal float range (tested; a few 1e-7 in practice);
/// outputs below 2^-126 are accurate to a few units of 2^-149. The vectorized exp of the three-pass kernels (also used by
/// <see cref="Compute(ReadOnlySpan{float}, Span{float})"/> in cache and by <see cref="LogSoftmax(ReadOnlySpan{float}, Span{float})"/>)
/// is within 4.77 ulp of exp for every float argument in [-87.33, 0] (measured exhaustively; 3.9e-7 relative); the
/// (mantissa, exponent) exp of the two-pass kernel has a mantissa within 1.1 ulp (measured on 900K arguments over its
/// whole range).</para>
/// <para>Special values, the same for every variant: a NaN anywhere makes every output NaN; +inf entries share the mass equally
/// (each gets 1/count, every other entry 0); a row whose entries are all -inf gives NaN (0/0, as PyTorch and JAX); other -inf
/// entries give 0; finite entries of any magnitude (up to +-<see cref="float.MaxValue"/>) never overflow. An empty input
/// writes nothing.</para>
/// <para>Aliasing: <c>y</c> may be the same memory as <c>x</c> (in place); a partial overlap throws. <c>y</c> may be longer
/// than <c>x</c>: only its first <c>x.Length</c> elements are written.</para>
/// <para>Results are bit-identical across the scalar, Vector128, Vector256 and Vector512 code paths (and therefore across
/// machines with different SIMD support): every path performs the same per-lane operations in the same order.</para>
/// </remarks>
public static partial class Softmax
{
    /// <summary>Rows at least this long use <see cref="TwoPass(ReadOnlySpan{float}, Span{float})"/> in <see cref="Compute(ReadOnlySpan{float}, Span{float})"/>.</summary>
    /// <remarks>Measured (docs/benchmarks/softmax-2026-11-26.md): three-pass, which evaluates exp once, wins while x and y
    /// stay in cache (1.4x at 1M floats, 8 MiB of x and y in the 32 MiB L3); the two-pass algorithm, which moves 12 bytes per
    /// element instead of 16, wins out of cache (1.7x at 16M). The switch point 4M (x and y = 32 MiB, the L3 size) lies
    /// between those two measurements; it was not measured more finely.</remarks>
    internal const int TwoPassThreshold = 1 << 22;

    /// <summary>Computes softmax(x) into y with the variant that is fastest for the length on this machine kind.</summary>
    /// <param name="x">The input row.</param>
    /// <param name="y">The destination; at least as long as <paramref name="x"/>, or the same memory (in place).</param>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>, or the two overlap partially.</exception>
    /// <remarks>Short and in-cache rows use <see cref="ThreePass(ReadOnlySpan{float}, Span{float})"/>, long rows
    /// <see cref="TwoPass(ReadOnlySpan{float}, Span{float})"/>. The choice depends only on the length, so results are
    /// bit-identical across instruction-set tiers. See <see cref="Softmax"/> for accuracy and special values.</remarks>
    public static void Compute(ReadOnlySpan<float> x, Span<float> y)
    {
        SoftmaxGuard.CheckSpans<float>(x, y);
        ComputeUnchecked(x, y);
    }

    internal static void ComputeUnchecked(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length >= TwoPassThreshold)
        {
            TwoPassKernel.Run(x, y);
        }
        else
        {
            ThreePassKernel.Run(x, y);
        }
    }
}
