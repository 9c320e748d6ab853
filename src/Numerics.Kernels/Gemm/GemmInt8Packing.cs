// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;

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
                for (int g = 0; g < fullGroups; g++)
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
    /// Packs columns [j0, j0 + nc) and depths [p0, p0 + kc) of the row-major B (leading dimension ldb) into Nr-column panels,
    /// four k per column and group, zero past kc and nc; writes −128 · (column sum over the block) to
    /// <paramref name="correction"/> (Nr ints per panel, 0 for padding columns).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(sbyte* b, int ldb, int j0, int nc, int p0, int kc, int nr, sbyte* packed, int* correction)
    {
        int groups = (kc + 3) / 4;
        for (int jp = 0; jp < nc; jp += nr)
        {
            int cols = Math.Min(nr, nc - jp);
            uint* panel = (uint*)(packed + ((nint)jp * groups * 4));
            int* corr = correction + jp;
            for (int j = 0; j < nr; j++)
            {
                corr[j] = 0;
            }

            for (int g = 0; g < groups; g++)
            {
                int p = p0 + (g * 4);
                int depth = Math.Min(4, p0 + kc - p);
                uint* dst = panel + ((nint)g * nr);
                sbyte* r0 = b + ((nint)p * ldb) + j0 + jp;
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
    }
}
