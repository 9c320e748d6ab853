// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>Packing of INT8 GEMM operands into the panels of <see cref="IGemmInt8MicroKernel"/>.</summary>
internal static unsafe class GemmInt8Packing
{
    /// <summary>
    /// Packs rows [i0, i0 + mc) and depths [p0, p0 + kc) of the row-major A (leading dimension lda) into Mr-row panels of
    /// unsigned bytes a + 128, four k per row and group; rows past mc and depths past kc are packed as 0x80 (a = 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(sbyte* a, int lda, int i0, int mc, int p0, int kc, int mr, byte* packed)
    {
        int groups = (kc + 3) / 4;
        int fullGroups = kc / 4;
        for (int ip = 0; ip < mc; ip += mr)
        {
            int rows = Math.Min(mr, mc - ip);
            byte* panel = packed + ((nint)ip * groups * 4);
            int first = 0;
            if (mr == 6 && rows == 6 && Sse2.IsSupported)
            {
                first = PackSixRows(a + ((nint)(i0 + ip) * lda) + p0, lda, fullGroups, panel);
            }

            for (int i = 0; i < mr; i++)
            {
                uint* dst = (uint*)(panel + (i * 4));
                if (i >= rows)
                {
                    for (int g = 0; g < groups; g++)
                    {
                        dst[g * mr] = 0x8080_8080u;
                    }

                    continue;
                }

                sbyte* src = a + ((nint)(i0 + ip + i) * lda) + p0;
                for (int g = first; g < fullGroups; g++)
                {
                    dst[g * mr] = Unsafe.ReadUnaligned<uint>(src + (g * 4)) ^ 0x8080_8080u;
                }

                if (fullGroups < groups)
                {
                    uint word = 0x8080_8080u;
                    for (int t = 0; t < kc - (fullGroups * 4); t++)
                    {
                        word ^= (uint)(byte)src[(fullGroups * 4) + t] << (8 * t);
                    }

                    dst[fullGroups * mr] = word;
                }
            }
        }
    }

    /// <summary>
    /// The full groups of a full 6-row panel, four groups (16 bytes of each row) at a time: two rounds of unpacks make each
    /// group's first four rows one 16-byte store and its last two rows one 8-byte store (the bytes of the scalar loop,
    /// 3x fewer instructions). Returns the number of groups packed (a multiple of 4); the caller packs the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackSixRows(sbyte* row0, int lda, int fullGroups, byte* panel)
    {
        int done = fullGroups & ~3;
        Vector128<byte> flip = Vector128.Create((byte)0x80);
        byte* r0 = (byte*)row0, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
        for (int g = 0; g < done; g += 4)
        {
            nint at = (nint)g * 4;
            Vector128<uint> x0 = (Vector128.Load(r0 + at) ^ flip).AsUInt32(), x1 = (Vector128.Load(r1 + at) ^ flip).AsUInt32();
            Vector128<uint> x2 = (Vector128.Load(r2 + at) ^ flip).AsUInt32(), x3 = (Vector128.Load(r3 + at) ^ flip).AsUInt32();
            Vector128<uint> x4 = (Vector128.Load(r4 + at) ^ flip).AsUInt32(), x5 = (Vector128.Load(r5 + at) ^ flip).AsUInt32();
            Vector128<ulong> a01 = Sse2.UnpackLow(x0, x1).AsUInt64(), b01 = Sse2.UnpackHigh(x0, x1).AsUInt64(); // rows 0, 1 of groups 0-1 / 2-3
            Vector128<ulong> a23 = Sse2.UnpackLow(x2, x3).AsUInt64(), b23 = Sse2.UnpackHigh(x2, x3).AsUInt64();
            Vector128<ulong> a45 = Sse2.UnpackLow(x4, x5).AsUInt64(), b45 = Sse2.UnpackHigh(x4, x5).AsUInt64();
            byte* d = panel + ((nint)g * 24);
            Sse2.UnpackLow(a01, a23).Store((ulong*)d);
            *(ulong*)(d + 16) = a45.ToScalar();
            Sse2.UnpackHigh(a01, a23).Store((ulong*)(d + 24));
            *(ulong*)(d + 40) = a45.GetElement(1);
            Sse2.UnpackLow(b01, b23).Store((ulong*)(d + 48));
            *(ulong*)(d + 64) = b45.ToScalar();
            Sse2.UnpackHigh(b01, b23).Store((ulong*)(d + 72));
            *(ulong*)(d + 88) = b45.GetElement(1);
        }

        return done;
    }

    /// <summary>
    /// <see cref="PackA"/> in the word layout of kernels with <see cref="IGemmInt8MicroKernel.AGroupBytes"/> = 8: each row and
    /// group is the four values a + 128 of <see cref="PackA"/> as unsigned 16-bit words in the order a0, a2, a1, a3, so a kernel
    /// broadcasts the even pair and the odd pair with one load each. Rows past mc and depths past kc are 128 (a = 0).
    /// </summary>
    /// <remarks>Four groups of a row at a time: one 16-byte load, a byte shuffle (a0 a2 a1 a3 in each group) and two widenings
    /// to words; the last kc mod 16 depths and short panels go element by element.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackAWords(sbyte* a, int lda, int i0, int mc, int p0, int kc, int mr, byte* packed)
    {
        int groups = (kc + 3) / 4;
        int vectorGroups = kc / 16 * 4;
        Vector128<byte> order = Vector128.Create((byte)0, 2, 1, 3, 4, 6, 5, 7, 8, 10, 9, 11, 12, 14, 13, 15);
        Vector128<byte> flip = Vector128.Create((byte)0x80);
        nint groupStride = (nint)mr * 8;
        for (int ip = 0; ip < mc; ip += mr)
        {
            int rows = Math.Min(mr, mc - ip);
            byte* panel = packed + ((nint)ip * groups * 8);
            for (int i = 0; i < mr; i++)
            {
                byte* dst = panel + (i * 8);
                if (i >= rows)
                {
                    for (int g = 0; g < groups; g++)
                    {
                        *(ulong*)(dst + (g * groupStride)) = 0x0080_0080_0080_0080ul;
                    }

                    continue;
                }

                byte* src = (byte*)(a + ((nint)(i0 + ip + i) * lda) + p0);
                int g0 = 0;
                for (; g0 < vectorGroups; g0 += 4)
                {
                    Vector128<byte> x = Vector128.Shuffle(Vector128.Load(src + (g0 * 4)) ^ flip, order);
                    (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(x);
                    byte* d = dst + (g0 * groupStride);
                    *(ulong*)d = lo.AsUInt64().ToScalar();
                    *(ulong*)(d + groupStride) = lo.AsUInt64().GetElement(1);
                    *(ulong*)(d + (2 * groupStride)) = hi.AsUInt64().ToScalar();
                    *(ulong*)(d + (3 * groupStride)) = hi.AsUInt64().GetElement(1);
                }

                for (int g = g0; g < groups; g++)
                {
                    ulong word = 0;
                    for (int t = 0; t < 4; t++)
                    {
                        int p = (4 * g) + t;
                        ulong value = p < kc ? (byte)(src[p] ^ 0x80) : 0x80u;
                        word |= value << (16 * ((t >> 1) | ((t & 1) << 1))); // t = 0, 1, 2, 3 → word 0, 2, 1, 3
                    }

                    *(ulong*)(dst + (g * groupStride)) = word;
                }
            }
        }
    }

    /// <summary>The element-by-element <see cref="PackA"/> (the reference for its vector path in tests).</summary>
    internal static void PackAScalar(sbyte* a, int lda, int i0, int mc, int p0, int kc, int mr, byte* packed)
    {
        int groups = (kc + 3) / 4;
        for (int ip = 0; ip < mc; ip += mr)
        {
            int rows = Math.Min(mr, mc - ip);
            byte* panel = packed + ((nint)ip * groups * 4);
            for (int i = 0; i < mr; i++)
            {
                for (int p = 0; p < groups * 4; p++)
                {
                    bool inside = i < rows && p < kc;
                    panel[((p / 4) * mr * 4) + (i * 4) + (p % 4)] = (byte)(inside ? a[((nint)(i0 + ip + i) * lda) + p0 + p] ^ 0x80 : 0x80);
                }
            }
        }
    }

    /// <summary>
    /// Packs columns [j0, j0 + nc) and depths [p0, p0 + kc) of the row-major B (leading dimension ldb) into Nr-column panels,
    /// four k per column and group, zero past kc and nc; writes −128 · (column sum over the block) to
    /// <paramref name="correction"/> (Nr ints per panel, 0 for padding columns). Full 16-column panels take the AVX2 path
    /// (<see cref="PackBVector"/>), everything else the scalar one; both write the same bytes and corrections.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(sbyte* b, int ldb, int j0, int nc, int p0, int kc, int nr, sbyte* packed, int* correction)
    {
        if (nr == 16 && Avx2.IsSupported)
        {
            PackBVector(b, ldb, j0, nc, p0, kc, packed, correction);
        }
        else
        {
            PackBScalar(b, ldb, j0, nc, p0, kc, nr, packed, correction);
        }
    }

    /// <summary>The portable <see cref="PackB"/> (reference for the vector path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackBScalar(sbyte* b, int ldb, int j0, int nc, int p0, int kc, int nr, sbyte* packed, int* correction)
    {
        int groups = (kc + 3) / 4;
        for (int jp = 0; jp < nc; jp += nr)
        {
            PackBPanelScalar(b, ldb, j0 + jp, Math.Min(nr, nc - jp), p0, kc, nr, (uint*)(packed + ((nint)jp * groups * 4)), correction + jp);
        }
    }

    /// <summary>Groups of four rows of B packed across the whole block before the next rows are read (<see cref="PackBVector"/>).</summary>
    internal const int ChunkGroups = 16;

    /// <summary>
    /// <see cref="PackB"/> with Nr = 16 on AVX2 hardware: the 4 × 16 byte transpose of each full group by two rounds of
    /// unpacks (SSE2), and the column sums of the packed words (<see cref="SumQuads"/>: four signed bytes summed exactly into
    /// each int lane, the same integers the scalar path adds). Partial panels and a last group shorter than 4 use the
    /// scalar code. The scalar path cost 44 % of the INT8 GEMM at 128 × 4096 × 4096.
    /// </summary>
    /// <remarks>
    /// B is read <see cref="ChunkGroups"/> groups (64 rows) at a time across every panel of the block, four panels (whole
    /// 64-byte lines) per step, so the rows in use at any time are 64 pages that stay in the L1 TLB. The earlier order, four
    /// panels down all kc rows, touched a new page (B rows are ldb bytes apart) on every load and cost a page walk each: 2.4-2.5
    /// ms per call at 128 × 4096 × 4096, a sixth of the whole multiply (docs/benchmarks/kernels-2026-11-27.md). The column
    /// sums of each chunk are added to <paramref name="correction"/> as plain sums, and turned into −128 · sum at the end.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackBVector(sbyte* b, int ldb, int j0, int nc, int p0, int kc, sbyte* packed, int* correction)
    {
        const int nr = 16;
        int groups = (kc + 3) / 4, fullGroups = kc / 4;
        int fullPanels = nc / nr, quadEnd = nc / (4 * nr) * (4 * nr);
        nint panelStride = (nint)groups * nr; // uints between panels
        new Span<int>(correction, fullPanels * nr).Clear();

        for (int g0 = 0; g0 < fullGroups; g0 += ChunkGroups)
        {
            int g1 = Math.Min(fullGroups, g0 + ChunkGroups);
            sbyte* rows = b + ((nint)(p0 + (4 * g0)) * ldb) + j0;
            int jp = 0;

            // Four panels at once: each group then reads whole 64-byte lines of its four rows.
            for (; jp < quadEnd; jp += 4 * nr)
            {
                Vector256<int> s0 = Vector256<int>.Zero, s1 = Vector256<int>.Zero, s2 = Vector256<int>.Zero, s3 = Vector256<int>.Zero;
                Vector256<int> s4 = Vector256<int>.Zero, s5 = Vector256<int>.Zero, s6 = Vector256<int>.Zero, s7 = Vector256<int>.Zero;
                uint* panel = (uint*)(packed + ((nint)jp * groups * 4));
                sbyte* r0 = rows + jp;
                for (int g = g0; g < g1; g++, r0 += 4 * (nint)ldb)
                {
                    uint* dst = panel + ((nint)g * nr);
                    (Vector256<sbyte> lo, Vector256<sbyte> hi) = TransposeGroup(r0, ldb, dst);
                    s0 = SumQuads(s0, lo);
                    s1 = SumQuads(s1, hi);
                    (lo, hi) = TransposeGroup(r0 + nr, ldb, dst + panelStride);
                    s2 = SumQuads(s2, lo);
                    s3 = SumQuads(s3, hi);
                    (lo, hi) = TransposeGroup(r0 + (2 * nr), ldb, dst + (2 * panelStride));
                    s4 = SumQuads(s4, lo);
                    s5 = SumQuads(s5, hi);
                    (lo, hi) = TransposeGroup(r0 + (3 * nr), ldb, dst + (3 * panelStride));
                    s6 = SumQuads(s6, lo);
                    s7 = SumQuads(s7, hi);
                }

                int* corr = correction + jp;
                AddTo(corr, s0);
                AddTo(corr + 8, s1);
                AddTo(corr + 16, s2);
                AddTo(corr + 24, s3);
                AddTo(corr + 32, s4);
                AddTo(corr + 40, s5);
                AddTo(corr + 48, s6);
                AddTo(corr + 56, s7);
            }

            // The remaining full panels one at a time.
            for (; jp + nr <= nc; jp += nr)
            {
                Vector256<int> sumLo = Vector256<int>.Zero, sumHi = Vector256<int>.Zero;
                uint* panel = (uint*)(packed + ((nint)jp * groups * 4));
                sbyte* r0 = rows + jp;
                for (int g = g0; g < g1; g++, r0 += 4 * (nint)ldb)
                {
                    (Vector256<sbyte> lo, Vector256<sbyte> hi) = TransposeGroup(r0, ldb, panel + ((nint)g * nr));
                    sumLo = SumQuads(sumLo, lo);
                    sumHi = SumQuads(sumHi, hi);
                }

                AddTo(correction + jp, sumLo);
                AddTo(correction + jp + 8, sumHi);
            }
        }

        // Column sums to corrections, then the last, shorter group (scalar, subtracting from them) of every full panel.
        for (int j = 0; j < fullPanels * nr; j += 8)
        {
            (Vector256<int>.Zero - (Vector256.Load(correction + j) << 7)).Store(correction + j);
        }

        for (int jp = 0; jp < fullPanels * nr; jp += nr)
        {
            if (fullGroups < groups)
            {
                uint* panel = (uint*)(packed + ((nint)jp * groups * 4));
                PackBGroupScalar(b, ldb, j0 + jp, nr, p0 + (fullGroups * 4), kc - (fullGroups * 4), nr, panel + ((nint)fullGroups * nr), correction + jp);
            }
        }

        // A partial panel: scalar, corrections from zero.
        if (fullPanels * nr < nc)
        {
            int jp = fullPanels * nr;
            PackBPanelScalar(b, ldb, j0 + jp, nc - jp, p0, kc, nr, (uint*)(packed + ((nint)jp * groups * 4)), correction + jp);
        }
    }

    /// <summary>
    /// Adds the sum of the four signed bytes of each int lane of <paramref name="quads"/> to <paramref name="sums"/>: one
    /// vpdpbusd with bytes of 1 on AVX-VNNI, else vpmaddubsw with bytes of 1 (pair sums, at most 256 in magnitude, so no
    /// saturation) and vpmaddwd with words of 1. Exact either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> SumQuads(Vector256<int> sums, Vector256<sbyte> quads) =>
        AvxVnni.IsSupported
            ? AvxVnni.MultiplyWideningAndAdd(sums, Vector256.Create((byte)1), quads)
            : sums + Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Vector256.Create((byte)1), quads), Vector256.Create((short)1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(int* destination, Vector256<int> sums) => (Vector256.Load(destination) + sums).Store(destination);

    /// <summary>
    /// Packs one full group (4 rows × 16 columns from <paramref name="r0"/>, rows ldb apart) as 16 words of 4 bytes at
    /// <paramref name="dst"/>: columns 0-7 (returned as lo) and 8-15 (hi).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<sbyte> Lo, Vector256<sbyte> Hi) TransposeGroup(sbyte* r0, int ldb, uint* dst)
    {
        Vector128<byte> x0 = Vector128.Load((byte*)r0), x1 = Vector128.Load((byte*)(r0 + ldb));
        Vector128<byte> x2 = Vector128.Load((byte*)(r0 + (2 * (nint)ldb))), x3 = Vector128.Load((byte*)(r0 + (3 * (nint)ldb)));
        Vector128<short> t0 = Sse2.UnpackLow(x0, x1).AsInt16(), t1 = Sse2.UnpackHigh(x0, x1).AsInt16();
        Vector128<short> t2 = Sse2.UnpackLow(x2, x3).AsInt16(), t3 = Sse2.UnpackHigh(x2, x3).AsInt16();
        Vector256<sbyte> lo = Vector256.Create(Sse2.UnpackLow(t0, t2), Sse2.UnpackHigh(t0, t2)).AsSByte();
        Vector256<sbyte> hi = Vector256.Create(Sse2.UnpackLow(t1, t3), Sse2.UnpackHigh(t1, t3)).AsSByte();
        lo.Store((sbyte*)dst);
        hi.Store((sbyte*)(dst + 8));
        return (lo, hi);
    }

    /// <summary>One panel of <paramref name="cols"/> ≤ <paramref name="nr"/> columns: all groups, corrections from zero.</summary>
    private static void PackBPanelScalar(sbyte* b, int ldb, int col0, int cols, int p0, int kc, int nr, uint* panel, int* corr)
    {
        for (int j = 0; j < nr; j++)
        {
            corr[j] = 0;
        }

        for (int g = 0; g * 4 < kc; g++)
        {
            PackBGroupScalar(b, ldb, col0, cols, p0 + (g * 4), Math.Min(4, kc - (g * 4)), nr, panel + ((nint)g * nr), corr);
        }
    }

    /// <summary>One group of <paramref name="depth"/> ≤ 4 rows starting at row <paramref name="p"/>; subtracts 128 · (its column sums) from <paramref name="corr"/>.</summary>
    private static void PackBGroupScalar(sbyte* b, int ldb, int col0, int cols, int p, int depth, int nr, uint* dst, int* corr)
    {
        sbyte* r0 = b + ((nint)p * ldb) + col0;
        if (depth == 4)
        {
            sbyte* r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
            for (int j = 0; j < cols; j++)
            {
                int b0 = r0[j], b1 = r1[j], b2 = r2[j], b3 = r3[j];
                dst[j] = (uint)(byte)b0 | ((uint)(byte)b1 << 8) | ((uint)(byte)b2 << 16) | ((uint)(byte)b3 << 24);
                corr[j] -= (b0 + b1 + b2 + b3) << 7;
            }
        }
        else
        {
            for (int j = 0; j < cols; j++)
            {
                uint word = 0;
                int sum = 0;
                for (int t = 0; t < depth; t++)
                {
                    int v = r0[((nint)t * ldb) + j];
                    word |= (uint)(byte)v << (8 * t);
                    sum += v;
                }

                dst[j] = word;
                corr[j] -= sum << 7;
            }
        }

        for (int j = cols; j < nr; j++)
        {
            dst[j] = 0;
        }
    }
}
