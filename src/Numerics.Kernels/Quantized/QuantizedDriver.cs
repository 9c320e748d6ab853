// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Kernels;

/// <summary>
/// C[m, n] = Σ_k A[m, k]·W[n, k] over quantized weight rows, dequantized block by block in registers (never to memory).
/// </summary>
/// <remarks>
/// Weight rows are taken four at a time (four independent accumulator chains, and the activation loads shared); a tile of four
/// rows is reused, hot in L1, for every row of A. Threads split the weight rows in whole tiles. Each output element follows the
/// order of <see cref="IQuantizedBlock"/>, so neither the tiling, the thread count nor the vector width changes its bits.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class QuantizedDriver
{
    /// <summary>Weight rows per register tile.</summary>
    private const int Rows = 4;

    /// <summary>Runs the validated call on <paramref name="threads"/> threads.</summary>
    public static void Run<TBlock>(ref QuantizedWeights weights, int threads)
        where TBlock : struct, IQuantizedBlock
    {
        fixed (QuantizedWeights* payload = &weights)
        {
            GemmJob job = new() { M = weights.M, N = weights.N, K = weights.K, Threads = threads, Payload = payload };
            if (threads > 1 && GemmThreadPool.TryRun(&Work<TBlock>, job))
            {
                return;
            }

            job.Threads = 1;
            Work<TBlock>(job, 0, null);
        }
    }

    private static void Work<TBlock>(GemmJob job, int thread, GemmSpinBarrier? barrier)
        where TBlock : struct, IQuantizedBlock
    {
        QuantizedWeights* w = (QuantizedWeights*)job.Payload;
        int tiles = (w->N + Rows - 1) / Rows;
        (int first, int end) = GemmDriver.Split(tiles, thread, job.Threads);
        int n0 = first * Rows, n1 = Math.Min(w->N, end * Rows);
        if (n0 < n1)
        {
            if (w->Vector)
            {
                Range512<TBlock>(w, n0, n1);
            }
            else
            {
                RangeScalar<TBlock>(w, n0, n1);
            }
        }

        barrier?.SignalAndWait();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Range512<TBlock>(QuantizedWeights* w, int n0, int n1)
        where TBlock : struct, IQuantizedBlock
    {
        int blocks = w->K / 32, bb = TBlock.BlockBytes;
        nint rowBytes = w->RowBytes;
        int* offsets = null;
        bool direct = TBlock.InBlockScale || !TBlock.UsesOffsets;
        float* scales = direct ? null : Workspace(blocks, out offsets);

        // In-block scales are converted in the loop by integer operations (they overlap the vector work) and passed through
        // these four slots, which the FMAs read as embedded broadcasts.
        uint* slots = stackalloc uint[Rows];
        for (int n = n0; n < n1; n += Rows)
        {
            int rows = Math.Min(Rows, n1 - n);
            byte* w0 = w->W + (n * rowBytes);
            if (!direct)
            {
                for (int r = 0; r < rows; r++)
                {
                    TBlock.Scales(in *w, w0 + (r * rowBytes), n + r, 0, blocks, scales + (r * blocks), offsets + (r * blocks), vector: true);
                }
            }

            for (int m = 0; m < w->M; m++)
            {
                float* a = w->A + ((nint)m * w->K);
                float* c = w->C + ((nint)m * w->N) + n;
                if (rows == Rows)
                {
                    byte* w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
                    Vector512<float> l0 = default, l1 = default, l2 = default, l3 = default;
                    if (TBlock.InBlockScale)
                    {
                        float* s = (float*)slots;
                        for (int b = 0; b < blocks; b++)
                        {
                            nint at = (nint)b * bb;
                            slots[0] = TBlock.ScaleBits(w0 + at);
                            slots[1] = TBlock.ScaleBits(w1 + at);
                            slots[2] = TBlock.ScaleBits(w2 + at);
                            slots[3] = TBlock.ScaleBits(w3 + at);
                            Vector512<float> aLo = Vector512.Load(a + (b * 32)), aHi = Vector512.Load(a + (b * 32) + 16);
                            l0 = Step<TBlock>(w0 + at, s, null, aLo, aHi, l0);
                            l1 = Step<TBlock>(w1 + at, s + 1, null, aLo, aHi, l1);
                            l2 = Step<TBlock>(w2 + at, s + 2, null, aLo, aHi, l2);
                            l3 = Step<TBlock>(w3 + at, s + 3, null, aLo, aHi, l3);
                        }
                    }
                    else if (direct)
                    {
                        // External scales without offsets (E4M3FN): the FMAs broadcast them straight from the caller's array.
                        int shift = w->GroupShift;
                        float* s0 = w->Scales + ((nint)n * w->ScalesPerRow), s1 = s0 + w->ScalesPerRow, s2 = s1 + w->ScalesPerRow, s3 = s2 + w->ScalesPerRow;
                        for (int b = 0; b < blocks; b++)
                        {
                            nint at = (nint)b * bb;
                            int g = b >> shift;
                            Vector512<float> aLo = Vector512.Load(a + (b * 32)), aHi = Vector512.Load(a + (b * 32) + 16);
                            l0 = Step<TBlock>(w0 + at, s0 + g, null, aLo, aHi, l0);
                            l1 = Step<TBlock>(w1 + at, s1 + g, null, aLo, aHi, l1);
                            l2 = Step<TBlock>(w2 + at, s2 + g, null, aLo, aHi, l2);
                            l3 = Step<TBlock>(w3 + at, s3 + g, null, aLo, aHi, l3);
                        }
                    }
                    else
                    {
                        float* s0 = scales, s1 = s0 + blocks, s2 = s1 + blocks, s3 = s2 + blocks;
                        int* o0 = offsets, o1 = o0 + blocks, o2 = o1 + blocks, o3 = o2 + blocks;
                        for (int b = 0; b < blocks; b++)
                        {
                            nint at = (nint)b * bb;
                            Vector512<float> aLo = Vector512.Load(a + (b * 32)), aHi = Vector512.Load(a + (b * 32) + 16);
                            l0 = Step<TBlock>(w0 + at, s0 + b, o0 + b, aLo, aHi, l0);
                            l1 = Step<TBlock>(w1 + at, s1 + b, o1 + b, aLo, aHi, l1);
                            l2 = Step<TBlock>(w2 + at, s2 + b, o2 + b, aLo, aHi, l2);
                            l3 = Step<TBlock>(w3 + at, s3 + b, o3 + b, aLo, aHi, l3);
                        }
                    }

                    c[0] = Reduce(l0);
                    c[1] = Reduce(l1);
                    c[2] = Reduce(l2);
                    c[3] = Reduce(l3);
                }
                else
                {
                    for (int r = 0; r < rows; r++)
                    {
                        byte* wr = w0 + (r * rowBytes);
                        Vector512<float> l = default;
                        for (int b = 0; b < blocks; b++)
                        {
                            nint at = (nint)b * bb;
                            float* s;
                            int* o;
                            if (TBlock.InBlockScale)
                            {
                                slots[0] = TBlock.ScaleBits(wr + at);
                                s = (float*)slots;
                                o = null;
                            }
                            else if (direct)
                            {
                                s = w->Scales + ((nint)(n + r) * w->ScalesPerRow) + (b >> w->GroupShift);
                                o = null;
                            }
                            else
                            {
                                s = scales + (r * blocks) + b;
                                o = offsets + (r * blocks) + b;
                            }

                            l = Step<TBlock>(wr + at, s, o, Vector512.Load(a + (b * 32)), Vector512.Load(a + (b * 32) + 16), l);
                        }

                        c[r] = Reduce(l);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step<TBlock>(byte* block, float* s, int* offset, Vector512<float> aLo, Vector512<float> aHi, Vector512<float> l)
        where TBlock : struct, IQuantizedBlock
    {
        TBlock.Decode512(block, offset, out Vector512<float> lo, out Vector512<float> hi);
        Vector512<float> t = Vector512.FusedMultiplyAdd(hi, aHi, lo * aLo);
        return Vector512.FusedMultiplyAdd(Vector512.Create(*s), t, l);
    }

    [ThreadStatic]
    private static float[]? t_scales;

    [ThreadStatic]
    private static int[]? t_offsets;

    /// <summary>This thread's buffers for the scales and offsets of a tile of weight rows (pinned, grown, never per call).</summary>
    private static float* Workspace(int blocks, out int* offsets)
    {
        int need = Rows * blocks;
        if (t_scales is null || t_scales.Length < need)
        {
            t_scales = GC.AllocateUninitializedArray<float>(need, pinned: true);
            t_offsets = GC.AllocateUninitializedArray<int>(need, pinned: true);
        }

        offsets = (int*)Unsafe.AsPointer(ref t_offsets![0]);
        return (float*)Unsafe.AsPointer(ref t_scales[0]);
    }

    /// <summary>((L_j + L_{j+8}) then +4, +2, +1): the fixed tree of <see cref="IQuantizedBlock"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector512<float> l)
    {
        Vector256<float> s8 = l.GetLower() + l.GetUpper();
        Vector128<float> s4 = s8.GetLower() + s8.GetUpper();
        float s20 = s4.GetElement(0) + s4.GetElement(2), s21 = s4.GetElement(1) + s4.GetElement(3);
        return s20 + s21;
    }

    /// <summary>The scalar reference: the same per-lane operations in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeScalar<TBlock>(QuantizedWeights* w, int n0, int n1)
        where TBlock : struct, IQuantizedBlock
    {
        int blocks = w->K / 32, bb = TBlock.BlockBytes;
        float* l = stackalloc float[16];
        float* scales = Workspace(blocks, out int* offsets);
        for (int n = n0; n < n1; n++)
        {
            byte* wr = w->W + (n * w->RowBytes);
            TBlock.Scales(in *w, wr, n, 0, blocks, scales, offsets, vector: false);
            for (int m = 0; m < w->M; m++)
            {
                float* a = w->A + ((nint)m * w->K);
                new Span<float>(l, 16).Clear();
                for (int b = 0; b < blocks; b++)
                {
                    byte* block = wr + (b * bb);
                    float s = scales[b];
                    int offset = offsets[b];
                    for (int j = 0; j < 16; j++)
                    {
                        float lo = TBlock.DecodeScalar(block, offset, j), hi = TBlock.DecodeScalar(block, offset, j + 16);
                        float t = MathF.FusedMultiplyAdd(hi, a[(b * 32) + 16 + j], lo * a[(b * 32) + j]);
                        l[j] = MathF.FusedMultiplyAdd(s, t, l[j]);
                    }
                }

                for (int j = 0; j < 8; j++)
                {
                    l[j] += l[j + 8];
                }

                for (int j = 0; j < 4; j++)
                {
                    l[j] += l[j + 4];
                }

                w->C[((nint)m * w->N) + n] = (l[0] + l[2]) + (l[1] + l[3]);
            }
        }
    }
}
