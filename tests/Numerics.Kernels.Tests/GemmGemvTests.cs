// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>The M = 1 streaming path: every vector width gives the packed path's bits, for every length 0 … 4·16+1 and beyond.</summary>
public sealed class GemmGemvTests
{
    private static readonly int[] s_widths = [0, 128, 256, 512];

    private static float[] Gemv(Transpose ta, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c0, GemmBlocking blocking, int threads, int bits)
    {
        float[] c = (float[])c0.Clone();
        Gemm.RunGemv(ta, n, k, alpha, a, lda, b, ldb, beta, c, blocking, threads, bits);
        return c;
    }

    [Fact]
    public void Every_width_and_thread_count_matches_packed_scalar_path_for_lengths_0_to_65()
    {
        const int k = 13; // three groups of four rows and one single row
        var rng = new Random(21);
        for (int n = 0; n <= 65; n++)
        {
            float[] a = GemmOracle.Random(rng, k), b = GemmOracle.Random(rng, (k * (n + 1)) + 1), c0 = GemmOracle.Random(rng, n + 1);
            int ldb = n + 1;
            float[] reference = GemmKernelTests.RunWith<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, 1, n, k, 0.5f, a, k, b, ldb, 2f, c0, Math.Max(1, n), GemmBlocking.Tiny, 1);
            if (n > 0)
            {
                var expected = GemmOracle.Compute(Transpose.None, Transpose.None, 1, n, k, 0.5f, a, k, b, ldb, 2f, c0, n);
                GemmOracle.AssertClose(expected, reference, 1, n, n, $"n={n}");
            }

            foreach (int bits in s_widths)
            {
                // Two threads split the two Kc blocks (beta applied by the first block only), three split the columns.
                for (int threads = 1; threads <= 3; threads++)
                {
                    GemmKernelTests.AssertSameBits(reference, Gemv(Transpose.None, n, k, 0.5f, a, k, b, ldb, 2f, c0, GemmBlocking.Tiny, threads, bits), $"n={n} bits={bits} threads={threads}");
                }
            }
        }
    }

    [Theory]
    [InlineData(15)] // one group of eight rows, one of four, three single rows, in one Kc block
    [InlineData(29)] // three groups of eight, one of four, one single row
    [InlineData(8)]
    public void Groups_of_eight_four_and_one_rows_match_packed_path_for_every_width(int k)
    {
        var rng = new Random(k);
        foreach (int n in new[] { 1, 15, 16, 17, 33, 100 })
        {
            float[] a = GemmOracle.Random(rng, k), b = GemmOracle.Random(rng, k * n), c0 = GemmOracle.Random(rng, n);
            float[] reference = GemmKernelTests.RunWith<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, 1, n, k, 0.75f, a, k, b, n, -1.5f, c0, n, GemmF32Kernel8x32V512.Blocking, 1);
            var expected = GemmOracle.Compute(Transpose.None, Transpose.None, 1, n, k, 0.75f, a, k, b, n, -1.5f, c0, n);
            GemmOracle.AssertClose(expected, reference, 1, n, n, $"n={n}");
            foreach (int bits in s_widths)
            {
                foreach (int threads in new[] { 1, 2, 3 })
                {
                    GemmKernelTests.AssertSameBits(reference, Gemv(Transpose.None, n, k, 0.75f, a, k, b, n, -1.5f, c0, GemmF32Kernel8x32V512.Blocking, threads, bits), $"k={k} n={n} bits={bits} threads={threads}");
                }
            }
        }
    }

    [Theory]
    [InlineData(1030, 9, Transpose.None)]
    [InlineData(2100, 40, Transpose.Transposed)]
    [InlineData(77, 1100, Transpose.None)]
    public void Long_rows_and_deep_k_match_packed_path_for_every_width_and_thread_count(int n, int k, Transpose ta)
    {
        var rng = new Random(n + k);
        int lda = ta == Transpose.None ? k : 3; // transposed A is stored k × 1: one element per row, lda apart
        float[] a = GemmOracle.Random(rng, ta == Transpose.None ? k : ((k - 1) * lda) + 1), b = GemmOracle.Random(rng, k * n), c0 = GemmOracle.Random(rng, n);
        foreach (GemmBlocking blocking in new[] { GemmBlocking.Tiny, GemmF32Kernel8x32V512.Blocking })
        {
            float[] reference = GemmKernelTests.RunWith<GemmF32Kernel6x16V256>(ta, Transpose.None, 1, n, k, -1f, a, lda, b, n, 0f, c0, n, blocking, 1);
            var expected = GemmOracle.Compute(ta, Transpose.None, 1, n, k, -1f, a, lda, b, n, 0f, c0, n);
            GemmOracle.AssertClose(expected, reference, 1, n, n, "packed");
            foreach (int bits in s_widths)
            {
                foreach (int threads in new[] { 1, 2, 3 })
                {
                    GemmKernelTests.AssertSameBits(reference, Gemv(ta, n, k, -1f, a, lda, b, n, 0f, c0, blocking, threads, bits), $"bits={bits} threads={threads} {blocking}");
                }
            }
        }
    }

    /// <summary>
    /// The two per-processor choices of the streaming path (a scalar head up to each row's first 64-byte boundary, and the
    /// prefetch of the next rows' first lines) change only the speed: both ways, at every alignment of B and every width,
    /// the bits are the packed path's. Flipping them here covers the choice that the test machine does not make by default.
    /// </summary>
    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void Row_start_alignment_and_prefetch_choices_leave_the_bits_unchanged(bool alignRowStarts, int prefetchLines)
    {
        const int k = 45;
        var blocking = new GemmBlocking(12, 40, 32); // a Kc block of five passes of eight rows (the prefetch runs in the first four), then four rows and one
        var rng = new Random(prefetchLines + (alignRowStarts ? 10 : 0));
        bool align = GemmGemv.AlignRowStarts;
        int lines = GemmGemv.RowStartPrefetchLines;
        try
        {
            GemmGemv.AlignRowStarts = alignRowStarts;
            GemmGemv.RowStartPrefetchLines = prefetchLines;
            foreach (int n in new[] { 5, 16, 48, 131 })
            {
                int ldb = n + 16;
                float[] a = GemmOracle.Random(rng, k), storage = GemmOracle.Random(rng, (k * ldb) + 16), c0 = GemmOracle.Random(rng, n);
                for (int offset = 0; offset < 16; offset += 3)
                {
                    float[] b = storage.AsSpan(offset, k * ldb).ToArray(); // the reference reads a copy; the gemv reads the slice in place
                    float[] reference = GemmKernelTests.RunWith<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, 1, n, k, 1.25f, a, k, b, ldb, 0.5f, c0, n, blocking, 1);
                    foreach (int bits in s_widths)
                    {
                        foreach (int threads in new[] { 1, 2 })
                        {
                            float[] c = (float[])c0.Clone();
                            Gemm.RunGemv(Transpose.None, n, k, 1.25f, a, k, storage.AsSpan(offset, k * ldb), ldb, 0.5f, c, blocking, threads, bits);
                            GemmKernelTests.AssertSameBits(reference, c, $"align={alignRowStarts} lines={prefetchLines} n={n} offset={offset} bits={bits} threads={threads}");
                        }
                    }
                }
            }
        }
        finally
        {
            GemmGemv.AlignRowStarts = align;
            GemmGemv.RowStartPrefetchLines = lines;
        }
    }

    [Fact]
    public void Public_entry_with_one_row_matches_packed_path()
    {
        const int n = 300, k = 1500;
        var rng = new Random(4);
        float[] a = GemmOracle.Random(rng, k), b = GemmOracle.Random(rng, k * n), c = new float[n];
        c.AsSpan().Fill(float.NaN);
        Gemm.Multiply(a, b, c, 1, n, k, 2);
        float[] reference = GemmKernelTests.RunWith<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, 1, n, k, 1f, a, k, b, n, 0f, new float[n], n, GemmF32Kernel4x4Scalar.Blocking, 1);
        GemmKernelTests.AssertSameBits(reference, c, "public M = 1");
    }
}
