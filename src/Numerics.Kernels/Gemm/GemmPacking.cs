// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>Packs blocks of op(A) and op(B) into the zero-padded panels the micro-kernels read (portable element loops, plus one AVX
/// transpose for full 8-row FP32 panels of A; every path copies the same values).</summary>
internal static unsafe class GemmPacking
{
    /// <summary>B rows copied per sweep over the panels: KERNELS.md §8 measured 16-row chunks 1.3x faster than panel by panel.</summary>
    private const int BRowChunk = 16;

    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] as ⌈mc/mr⌉ panels of kc columns of <paramref name="mr"/> values; rows past mc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    public static void PackA<T, TIn>(in GemmJob job, int i0, int mc, int p0, int kc, int mr, float* dst)
        where T : unmanaged
        where TIn : struct, IGemmInput<T>
    {
        T* a = (T*)job.A;
        for (int ir = 0; ir < mc; ir += mr, dst += (nint)mr * kc)
        {
            int rows = Math.Min(mr, mc - ir);
            if (!job.TransA)
            {
                if (typeof(T) == typeof(float) && mr == 8 && rows == 8 && Avx.IsSupported)
                {
                    Transpose8((float*)a + ((nint)(i0 + ir) * job.Lda) + p0, job.Lda, kc, dst);
                    continue;
                }

                // op(A)[i, p] = a[i·lda + p]: each row is read contiguously and written with stride mr (a transpose).
                for (int r = 0; r < rows; r++)
                {
                    T* src = a + (nint)(i0 + ir + r) * job.Lda + p0;
                    float* d = dst + r;
                    for (int p = 0; p < kc; p++)
                    {
                        d[(nint)p * mr] = TIn.ToSingle(src[p]);
                    }
                }

                for (int r = rows; r < mr; r++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        dst[((nint)p * mr) + r] = 0f;
                    }
                }
            }
            else
            {
                // op(A)[i, p] = a[p·lda + i]: each column of the panel is a contiguous run of the stored row p.
                for (int p = 0; p < kc; p++)
                {
                    T* src = a + (nint)(p0 + p) * job.Lda + i0 + ir;
                    float* d = dst + (nint)p * mr;
                    Widen<T, TIn>(src, d, rows);
                    new Span<float>(d + rows, mr - rows).Clear();
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, j0 .. j0+ncols] as ⌈ncols/nr⌉ panels of kc rows of <paramref name="nr"/> values; columns past ncols are zero.
    /// When op(B) = B and <paramref name="prefetchColumns"/> &gt; 0, the next prefetchColumns columns after the block in each row
    /// packed (the caller's next block) are prefetched into L2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // full JIT optimization at the first call: no tier-0 or OSR code in the loops
    public static void PackB<T, TIn>(in GemmJob job, int p0, int kc, int j0, int ncols, int nr, float* dst, int prefetchColumns = 0)
        where T : unmanaged
        where TIn : struct, IGemmInput<T>
    {
        T* b = (T*)job.B;
        int panels = (ncols + nr - 1) / nr;
        if (!job.TransB)
        {
            // op(B)[p, j] = b[p·ldb + j]: panel rows are contiguous runs; sweep all panels BRowChunk rows at a time.
            for (int pp = 0; pp < kc; pp += BRowChunk)
            {
                int pEnd = Math.Min(kc, pp + BRowChunk);
                if (prefetchColumns > 0 && Sse.IsSupported)
                {
                    // The caller's next chunk starts where this one ends: ask for its lines of these rows now, so they
                    // arrive from memory while this chunk is computed (rows ldb apart defeat the hardware prefetchers).
                    // Every line the chunk's row touches, from the line of its first element to that of its last: rows are
                    // rarely line-aligned, and a partial last line left out is a demand miss on every row.
                    for (int p = pp; p < pEnd; p++)
                    {
                        byte* next = (byte*)(b + (nint)(p0 + p) * job.Ldb + j0 + ncols);
                        byte* last = next + (prefetchColumns * sizeof(T)) - 1;
                        for (byte* line = (byte*)((nuint)next & ~(nuint)63); line <= last; line += 64)
                        {
                            Sse.Prefetch1(line);
                        }
                    }
                }

                for (int jp = 0; jp < panels; jp++)
                {
                    int cols = Math.Min(nr, ncols - (jp * nr));
                    float* panel = dst + (nint)jp * nr * kc;
                    for (int p = pp; p < pEnd; p++)
                    {
                        T* src = b + (nint)(p0 + p) * job.Ldb + j0 + (jp * nr);
                        float* d = panel + (nint)p * nr;
                        Widen<T, TIn>(src, d, cols);
                        if (cols < nr)
                        {
                            new Span<float>(d + cols, nr - cols).Clear();
                        }
                    }
                }
            }
        }
        else
        {
            // op(B)[p, j] = b[j·ldb + p]: each stored row j is read contiguously and written with stride nr.
            for (int jp = 0; jp < panels; jp++)
            {
                int cols = Math.Min(nr, ncols - (jp * nr));
                float* panel = dst + (nint)jp * nr * kc;
                for (int c = 0; c < cols; c++)
                {
                    T* src = b + (nint)(j0 + (jp * nr) + c) * job.Ldb + p0;
                    for (int p = 0; p < kc; p++)
                    {
                        panel[((nint)p * nr) + c] = TIn.ToSingle(src[p]);
                    }
                }

                for (int c = cols; c < nr; c++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        panel[((nint)p * nr) + c] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// One full panel of 8 FP32 rows: dst[p·8 + r] = src[r·lda + p] for p &lt; kc, r &lt; 8, in 8 × 8 blocks (8 row loads, the
    /// unpack / shuffle / lane-swap transpose, 8 contiguous stores), the last kc % 8 columns one by one. A plain copy, so the
    /// same values as the element loop of <see cref="PackA{T, TIn}"/>; 3.5x faster than that loop over a 4096² A in 512 × 1024
    /// blocks (4.2-4.8 vs 16 ms per pass; one pass is about 2 % of a 4096³ multiply on one thread).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose8(float* src, nint lda, int kc, float* dst)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8, dst += 64)
        {
            float* s = src + p;
            Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lda);
            Vector256<float> r2 = Avx.LoadVector256(s + (2 * lda)), r3 = Avx.LoadVector256(s + (3 * lda));
            Vector256<float> r4 = Avx.LoadVector256(s + (4 * lda)), r5 = Avx.LoadVector256(s + (5 * lda));
            Vector256<float> r6 = Avx.LoadVector256(s + (6 * lda)), r7 = Avx.LoadVector256(s + (7 * lda));

            // Pairs of rows interleaved, then groups of four rows per 128-bit lane, then the lanes swapped: column j lands in
            // output vector j.
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
            Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
            Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
            Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
            Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(dst + 8, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(dst + 16, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(dst + 24, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(dst + 32, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(dst + 40, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(dst + 48, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(dst + 56, Avx.Permute2x128(u3, u7, 0x31));
        }

        for (; p < kc; p++, dst += 8)
        {
            for (int r = 0; r < 8; r++)
            {
                dst[r] = src[(r * lda) + p];
            }
        }
    }

    /// <summary>dst[0 .. count) ← widened src[0 .. count); FP32 is a plain copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen<T, TIn>(T* src, float* dst, int count)
        where T : unmanaged
        where TIn : struct, IGemmInput<T>
    {
        if (typeof(T) == typeof(float))
        {
            new ReadOnlySpan<float>(src, count).CopyTo(new Span<float>(dst, count));
            return;
        }

        for (int i = 0; i < count; i++)
        {
            dst[i] = TIn.ToSingle(src[i]);
        }
    }
}
