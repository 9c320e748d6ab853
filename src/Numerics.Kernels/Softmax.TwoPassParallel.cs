// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.Runtime.CompilerServices;
using Numerics.Kernels.Common;
using Tier = Numerics.Kernels.ThreePassKernel.Tier;

namespace Numerics.Kernels;

public static partial class Softmax
{
    /// <summary>
    /// Computes softmax(x) into y with the two-pass algorithm on up to <paramref name="maxDegreeOfParallelism"/> threads,
    /// bit-identical to <see cref="TwoPass(ReadOnlySpan{float}, Span{float})"/> whatever the thread count.
    /// </summary>
    /// <param name="x">The input row.</param>
    /// <param name="y">The destination; at least as long as <paramref name="x"/>, or the same memory (in place).</param>
    /// <param name="maxDegreeOfParallelism">The largest number of threads to use; 1 runs on the calling thread only.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>, or the two overlap partially.</exception>
    /// <remarks>The work is cut at fixed block boundaries (16384 elements for the sums, 65536 for the scaling) that do not
    /// depend on the thread count, and the block sums are merged in block order, so the result has the same bits as the
    /// single-threaded call. Rows shorter than two blocks run on the calling thread. Uses <see cref="Parallel"/> (it allocates
    /// a little per call); worth it only for long rows, and only when memory bandwidth scales with cores.</remarks>
    public static void TwoPass(ReadOnlySpan<float> x, Span<float> y, int maxDegreeOfParallelism)
    {
        SoftmaxGuard.CheckSpans<float>(x, y);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        TwoPassParallel.Run(x, y, maxDegreeOfParallelism, ThreePassKernel.CurrentTier);
    }
}

/// <summary>Multithreaded driver of <see cref="TwoPassKernel"/>: same blocks, same merge order, so the same bits.</summary>
[SkipLocalsInit]
internal static unsafe class TwoPassParallel
{
    /// <summary>Pass-2 work items are this many blocks (element-wise work, so any cut gives the same bits).</summary>
    internal const int BlocksPerChunk = 4;

    internal static void Run(ReadOnlySpan<float> x, Span<float> y, int degree, Tier tier)
    {
        int blocks = (x.Length + TwoPassKernel.Block - 1) / TwoPassKernel.Block;
        if (degree <= 1 || blocks < 2)
        {
            RunSingle(x, y, tier);
            return;
        }

        double[] sums = ArrayPool<double>.Shared.Rent(blocks);
        double[] exponents = ArrayPool<double>.Shared.Rent(blocks);
        try
        {
            fixed (float* px = x)
            fixed (float* py = y)
            {
                nint xa = (nint)px, ya = (nint)py;
                int n = x.Length;
                var options = new ParallelOptions { MaxDegreeOfParallelism = degree };
                Parallel.For(0, blocks, options, b =>
                {
                    int start = b * TwoPassKernel.Block;
                    var block = new ReadOnlySpan<float>((float*)xa + start, System.Math.Min(TwoPassKernel.Block, n - start));
                    (sums[b], exponents[b]) = ReduceBlock(block, tier);
                });

                double s = 0, e = double.NegativeInfinity;
                for (int b = 0; b < blocks; b++)
                {
                    TwoPassKernel.Merge(ref s, ref e, sums[b], exponents[b]);
                }

                if (TwoPassKernel.NeedsFallback(s, e))
                {
                    ThreePassKernel.RunTier(x, y, tier);
                    return;
                }

                float inv = (float)(1.0 / s), ef = (float)e;
                const int ChunkLength = TwoPassKernel.Block * BlocksPerChunk;
                int chunks = (n + ChunkLength - 1) / ChunkLength;
                Parallel.For(0, chunks, options, c =>
                {
                    int start = c * ChunkLength;
                    int length = System.Math.Min(ChunkLength, n - start);
                    Scale(new ReadOnlySpan<float>((float*)xa + start, length), new Span<float>((float*)ya + start, length), inv, ef, tier);
                });
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
            ArrayPool<double>.Shared.Return(exponents);
        }
    }

    private static void RunSingle(ReadOnlySpan<float> x, Span<float> y, Tier tier)
    {
        switch (tier)
        {
            case Tier.V512:
                TwoPassKernel.Run512(x, y);
                break;
            case Tier.V256:
                TwoPassKernel.Run256(x, y);
                break;
            case Tier.V128:
                TwoPassKernel.Run128(x, y);
                break;
            default:
                TwoPassKernel.RunScalar(x, y);
                break;
        }
    }

    private static (double Sum, double Exponent) ReduceBlock(ReadOnlySpan<float> block, Tier tier) => tier switch
    {
        Tier.V512 => TwoPassKernel.ReduceBlock512(block),
        Tier.V256 => TwoPassKernel.ReduceBlock256(block),
        Tier.V128 => TwoPassKernel.ReduceBlock128(block),
        _ => TwoPassKernel.ReduceBlockScalar(block),
    };

    private static void Scale(ReadOnlySpan<float> x, Span<float> y, float inv, float ef, Tier tier)
    {
        switch (tier)
        {
            case Tier.V512:
                TwoPassKernel.Scale512(x, y, inv, ef);
                break;
            case Tier.V256:
                TwoPassKernel.Scale256(x, y, inv, ef);
                break;
            case Tier.V128:
                TwoPassKernel.Scale128(x, y, inv, ef);
                break;
            default:
                TwoPassKernel.ScaleTail(x, y, 0, inv, ef);
                break;
        }
    }
}
