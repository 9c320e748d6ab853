// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics.X86;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>
/// INT8 × INT8 → INT32 GEMM against an independent naive loop in <see cref="long"/>, reduced modulo 2³² (the documented
/// wraparound contract): exact equality, every kernel, tiny blocking, every thread count.
/// </summary>
public sealed class GemmInt8Tests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 1, 0 }, { 0, 5, 3 }, { 3, 0, 2 }, { 2, 3, 1 }, { 1, 17, 5 }, { 7, 1, 9 }, { 6, 16, 4 }, { 6, 16, 8 },
        { 5, 15, 3 }, { 7, 17, 13 }, { 13, 31, 29 }, { 37, 41, 43 }, { 64, 64, 64 }, { 1, 300, 77 }, { 200, 3, 101 },
        { 97, 33, 1030 }, { 12, 48, 2049 },
    };

    /// <summary>The oracle: Σ a·b in long, wrapped to int (unchecked cast = reduction modulo 2³²).</summary>
    private static int[] Naive(sbyte[] a, sbyte[] b, int m, int n, int k)
    {
        var c = new int[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                long sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (long)a[(i * k) + p] * b[(p * n) + j];
                }

                c[(i * n) + j] = unchecked((int)sum);
            }
        }

        return c;
    }

    private static sbyte[] Random(Random rng, int count)
    {
        var x = new sbyte[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (sbyte)rng.Next(-128, 128);
        }

        return x;
    }

    private static int[] RunWith<TKernel>(sbyte[] a, sbyte[] b, int m, int n, int k, GemmBlocking blocking, int threads)
        where TKernel : struct, IGemmInt8MicroKernel
    {
        int[] c = new int[m * n];
        Array.Fill(c, 0x5A5A5A5A); // C is overwritten, never read
        Gemm.RunInt8<TKernel>(a, b, c, m, n, k, blocking, threads);
        return c;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Public_entry_equals_the_naive_long_loop(int m, int n, int k)
    {
        var rng = new Random((m * 131) + (n * 7) + k);
        sbyte[] a = Random(rng, m * k), b = Random(rng, k * n);
        int[] c = new int[m * n];
        Array.Fill(c, -1);
        Gemm.MultiplyInt8(a, b, c, m, n, k);
        Assert.Equal(Naive(a, b, m, n, k), c);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Scalar_kernel_with_tiny_blocking_equals_the_naive_loop(int m, int n, int k)
    {
        var rng = new Random((m * 31) + (n * 5) + k);
        sbyte[] a = Random(rng, m * k), b = Random(rng, k * n);
        int[] expected = Naive(a, b, m, n, k);
        foreach (GemmBlocking blocking in new[] { new GemmBlocking(12, 6, 32), new GemmBlocking(7, 5, 17), GemmInt8Driver.DefaultBlocking })
        {
            Assert.Equal(expected, RunWith<GemmI8Kernel6x16Scalar>(a, b, m, n, k, blocking, 1));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Vnni_kernel_equals_the_naive_loop_with_every_blocking_and_thread_count(int m, int n, int k) =>
        KernelEqualsTheNaiveLoop<GemmI8Kernel6x16AvxVnni>(m, n, k, "AVX-VNNI");

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Avx2_kernel_equals_the_naive_loop_with_every_blocking_and_thread_count(int m, int n, int k) =>
        KernelEqualsTheNaiveLoop<GemmI8Kernel6x16Avx2>(m, n, k, "AVX2");

    private static void KernelEqualsTheNaiveLoop<TKernel>(int m, int n, int k, string isa)
        where TKernel : struct, IGemmInt8MicroKernel
    {
        Assert.SkipUnless(TKernel.IsSupported, $"{isa} not available on this runtime/tier");
        var rng = new Random((m * 13) + (n * 3) + k);
        sbyte[] a = Random(rng, m * k), b = Random(rng, k * n);
        int[] expected = Naive(a, b, m, n, k);
        foreach (GemmBlocking blocking in new[] { new GemmBlocking(12, 6, 32), new GemmBlocking(7, 5, 17), GemmInt8Driver.DefaultBlocking })
        {
            for (int threads = 1; threads <= 3; threads++)
            {
                Assert.Equal(expected, RunWith<TKernel>(a, b, m, n, k, blocking, threads));
            }
        }
    }

    [Theory]
    [InlineData(-128, -128)]
    [InlineData(-128, 127)]
    [InlineData(127, -128)]
    [InlineData(127, 127)]
    public void Extreme_values_are_exact(sbyte av, sbyte bv)
    {
        // The worst case of the u8 × s8 offset trick: a + 128 = 0 or 255, and column sums of ±128·k.
        const int m = 13, n = 35, k = 1027;
        sbyte[] a = Enumerable.Repeat(av, m * k).ToArray(), b = Enumerable.Repeat(bv, k * n).ToArray();
        int[] c = new int[m * n];
        Gemm.MultiplyInt8(a, b, c, m, n, k);
        Assert.All(c, x => Assert.Equal(av * bv * k, x));
        Assert.Equal(c, RunWith<GemmI8Kernel6x16Scalar>(a, b, m, n, k, new GemmBlocking(12, 6, 32), 2));
        if (GemmI8Kernel6x16Avx2.IsSupported)
        {
            Assert.Equal(c, RunWith<GemmI8Kernel6x16Avx2>(a, b, m, n, k, new GemmBlocking(12, 6, 32), 2));
        }
    }

    [Fact]
    public void Largest_k_without_wraparound_is_exact_and_one_more_wraps()
    {
        // k = 131 071: (−128)·(−128)·k = 2 147 467 264 ≤ int.MaxValue. k = 131 073 exceeds it and wraps modulo 2³².
        foreach (int k in new[] { 131_071, 131_073 })
        {
            const int m = 2, n = 3;
            sbyte[] a = Enumerable.Repeat((sbyte)-128, m * k).ToArray(), b = Enumerable.Repeat((sbyte)-128, k * n).ToArray();
            int[] c = new int[m * n];
            Gemm.MultiplyInt8(a, b, c, m, n, k);
            int expected = unchecked((int)(16384L * k));
            Assert.All(c, x => Assert.Equal(expected, x));
            if (k == 131_071)
            {
                Assert.Equal(16384L * k, (long)c[0]);
            }
            else
            {
                Assert.True(c[0] < 0, "the sum exceeds int.MaxValue and wraps");
            }
        }
    }

    [Fact]
    public void Public_entry_threads_give_identical_results()
    {
        const int m = 150, n = 260, k = 300;
        var rng = new Random(3);
        sbyte[] a = Random(rng, m * k), b = Random(rng, k * n);
        int[] one = new int[m * n], two = new int[m * n];
        Gemm.MultiplyInt8(a, b, one, m, n, k, 1);
        Gemm.MultiplyInt8(a, b, two, m, n, k, 2);
        Assert.Equal(Naive(a, b, m, n, k), one);
        Assert.Equal(one, two);
    }

    public static TheoryData<int, int, int> APackingCases => new()
    {
        { 6, 16, 6 },     // one full panel, four vector groups
        { 12, 19, 6 },    // two panels, four vector groups, a scalar group and a group of three
        { 13, 33, 6 },    // a one-row panel, eight vector groups and a group of one
        { 6, 3, 6 },      // only a short group
        { 384, 4096, 6 }, // the default block
        { 9, 40, 4 },     // another Mr: the scalar path only
    };

    /// <summary>A random row-major A with room around the packed block (rows from i0, depths from p0) and the extremes at its corner.</summary>
    private static sbyte[] PackingSource(int mc, int kc, int seed, int i0, int p0, out int lda)
    {
        var rng = new Random(seed);
        lda = p0 + kc + 7;
        var a = new sbyte[(i0 + mc) * lda];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        a[(i0 * lda) + p0] = sbyte.MinValue;
        a[(i0 * lda) + p0 + 1] = sbyte.MaxValue;
        return a;
    }

    /// <summary>What the packing stores for (row, p) of the block, from the definition: a + 128, or 128 (a = 0) past the edges.</summary>
    private static int PackedValue(sbyte[] a, int lda, int i0, int p0, int mc, int kc, int row, int p) =>
        row < mc && p < kc ? a[((i0 + row) * lda) + p0 + p] + 128 : 128;

    [Theory]
    [MemberData(nameof(APackingCases))]
    public unsafe void Packing_of_A_writes_the_documented_bytes(int mc, int kc, int mr)
    {
        const int i0 = 2, p0 = 3;
        sbyte[] a = PackingSource(mc, kc, (mc * 131) + kc, i0, p0, out int lda);
        int groups = (kc + 3) / 4, panels = (mc + mr - 1) / mr;
        var expected = new byte[panels * mr * groups * 4];
        var actual = new byte[expected.Length];
        actual.AsSpan().Fill(0x55);
        fixed (sbyte* pa = a)
        fixed (byte* pe = expected, pp = actual)
        {
            GemmInt8Packing.PackAScalar(pa, lda, i0, mc, p0, kc, mr, pe);
            GemmInt8Packing.PackA(pa, lda, i0, mc, p0, kc, mr, pp);
        }

        // The layout, independently of both: byte (panel, group g, row i, t) = a[row, p0 + 4g + t] + 128, 0x80 past the edges.
        for (int panel = 0; panel < panels; panel++)
        {
            for (int g = 0; g < groups; g++)
            {
                for (int i = 0; i < mr; i++)
                {
                    for (int t = 0; t < 4; t++)
                    {
                        int value = PackedValue(a, lda, i0, p0, mc, kc, (panel * mr) + i, (4 * g) + t);
                        Assert.Equal(value, expected[(panel * mr * groups * 4) + (g * mr * 4) + (i * 4) + t]);
                    }
                }
            }
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(APackingCases))]
    public unsafe void Word_packing_of_A_writes_the_documented_words(int mc, int kc, int mr)
    {
        const int i0 = 1, p0 = 5;
        sbyte[] a = PackingSource(mc, kc, (mc * 37) + kc, i0, p0, out int lda);
        int groups = (kc + 3) / 4, panels = (mc + mr - 1) / mr;
        var actual = new ushort[panels * mr * groups * 4];
        actual.AsSpan().Fill(0x5555);
        fixed (sbyte* pa = a)
        fixed (ushort* pp = actual)
        {
            GemmInt8Packing.PackAWords(pa, lda, i0, mc, p0, kc, mr, (byte*)pp);
        }

        // Word (panel, group g, row i, slot s) = a[row, p0 + 4g + t] + 128 with t = 0, 2, 1, 3 for s = 0, 1, 2, 3; 128 past the edges.
        int[] depthOfSlot = [0, 2, 1, 3];
        for (int panel = 0; panel < panels; panel++)
        {
            for (int g = 0; g < groups; g++)
            {
                for (int i = 0; i < mr; i++)
                {
                    for (int slot = 0; slot < 4; slot++)
                    {
                        int value = PackedValue(a, lda, i0, p0, mc, kc, (panel * mr) + i, (4 * g) + depthOfSlot[slot]);
                        Assert.Equal(value, actual[(panel * mr * groups * 4) + (g * mr * 4) + (i * 4) + slot]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(16, 4)]
    [InlineData(64, 8)]
    [InlineData(65, 13)]  // one group of four panels, one partial panel, a last group of one row
    [InlineData(130, 1027)] // two quads, one full panel, one partial panel; last group of three rows
    [InlineData(192, 256)] // exactly four chunks of 16 groups
    [InlineData(80, 210)] // three chunks, the last of 4 groups; a last group of two rows
    [InlineData(2048, 4096)] // the default block at K = 4096
    [InlineData(48, 2)]   // only a short group
    [InlineData(7, 9)]
    public unsafe void Vector_packing_of_B_writes_the_scalar_bytes_and_corrections(int nc, int kc)
    {
        Assert.SkipUnless(Avx2.IsSupported, "the vector path needs AVX2; the scalar one is what runs here");

        var rng = new Random((nc * 31) + kc);
        const int j0 = 3, p0 = 2;
        int ldb = j0 + nc + 5;
        var b = new sbyte[(p0 + kc) * ldb];
        rng.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.AsSpan()));
        b[0] = sbyte.MinValue; // extremes
        int groups = (kc + 3) / 4, panels = (nc + 15) / 16;
        var expected = new sbyte[panels * 16 * groups * 4];
        var actual = new sbyte[expected.Length];
        var expectedCorr = new int[panels * 16];
        var actualCorr = new int[expectedCorr.Length];
        actual.AsSpan().Fill(0x55);
        actualCorr.AsSpan().Fill(12345);
        fixed (sbyte* pb = b, pe = expected, pa = actual)
        fixed (int* ce = expectedCorr, ca = actualCorr)
        {
            GemmInt8Packing.PackBScalar(pb, ldb, j0, nc, p0, kc, 16, pe, ce);
            GemmInt8Packing.PackBVector(pb, ldb, j0, nc, p0, kc, pa, ca);
        }

        Assert.Equal(expected, actual);
        Assert.Equal(expectedCorr, actualCorr);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        sbyte[] a = new sbyte[6], b = new sbyte[6];
        int[] c = new int[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyInt8(a, b, c, -1, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyInt8(a, b, c, 2, 2, 3, 0));
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Gemm.MultiplyInt8(a, b, c, 3, 2, 3)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Gemm.MultiplyInt8(a, b, c, 2, 3, 3)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.MultiplyInt8(a, b, new int[3], 2, 2, 3)).ParamName);
    }
}
