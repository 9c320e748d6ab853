// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>Gemm against the double oracle: shapes, transposes, alpha/beta, leading dimensions, special values.</summary>
public sealed class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 2, 3, 5 }, { 7, 11, 13 }, { 17, 19, 23 }, { 31, 37, 41 }, { 64, 64, 64 }, { 8, 32, 16 },
        { 97, 1, 89 }, { 1, 103, 67 }, { 1, 1, 300 }, { 3, 200, 2 }, { 129, 65, 33 }, { 9, 33, 1030 }, { 200, 5, 7 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_matches_double_oracle(int m, int n, int k)
    {
        var rng = new Random((m * 1000003) + (n * 1009) + k);
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * n);
        float[] c = new float[m * n];
        c.AsSpan().Fill(float.NaN); // C is overwritten without being read
        Gemm.Multiply(a, b, c, m, n, k);
        var expected = GemmOracle.Compute(Transpose.None, Transpose.None, m, n, k, 1f, a, Math.Max(1, k), b, Math.Max(1, n), 0f, c, n);
        GemmOracle.AssertClose(expected, c, m, n, n, $"{m}x{n}x{k}");
    }

    [Theory]
    [InlineData(Transpose.None, Transpose.None)]
    [InlineData(Transpose.None, Transpose.Transposed)]
    [InlineData(Transpose.Transposed, Transpose.None)]
    [InlineData(Transpose.Transposed, Transpose.Transposed)]
    public void Blas_entry_matches_oracle_for_every_alpha_beta_and_padded_leading_dimensions(Transpose ta, Transpose tb)
    {
        const int m = 13, n = 37, k = 21;
        float[] alphas = [1f, -0.5f, 0f, 3f];
        float[] betas = [0f, 1f, 2.5f, -1f];
        var rng = new Random(42 + (int)ta + (2 * (int)tb));
        (int aRows, int aCols) = ta == Transpose.None ? (m, k) : (k, m);
        (int bRows, int bCols) = tb == Transpose.None ? (k, n) : (n, k);
        int lda = aCols + 3, ldb = bCols + 5, ldc = n + 2;
        float[] a = GemmOracle.Random(rng, aRows * lda), b = GemmOracle.Random(rng, bRows * ldb);
        foreach (float alpha in alphas)
        {
            foreach (float beta in betas)
            {
                float[] c0 = GemmOracle.Random(rng, (m * ldc) + 4);
                float[] c = (float[])c0.Clone();
                Gemm.Multiply(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                var expected = GemmOracle.Compute(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc);
                GemmOracle.AssertClose(expected, c, m, n, ldc, $"{ta}/{tb} alpha={alpha} beta={beta}");
                AssertPaddingUntouched(c0, c, m, n, ldc);
            }
        }
    }

    [Fact]
    public void K_zero_gives_beta_times_C_and_beta_zero_clears_NaN()
    {
        float[] c = [1f, -2f, float.NaN, 4f];
        Gemm.Multiply(Transpose.None, Transpose.None, 2, 2, 0, 1f, [], 1, [], 2, 3f, c, 2);
        Assert.Equal(new[] { 3f, -6f }, c[..2]);
        Assert.True(float.IsNaN(c[2]));
        Assert.Equal(12f, c[3]);

        float[] d = [float.NaN, float.PositiveInfinity, 5f, -0f];
        Gemm.Multiply(Transpose.None, Transpose.None, 2, 2, 0, 1f, [], 1, [], 2, 0f, d, 2);
        Assert.Equal(new[] { 0f, 0f, 0f, 0f }, d);

        float[] e = [7f, 7f];
        Gemm.Multiply([], [], e, 1, 2, 0);
        Assert.Equal(new[] { 0f, 0f }, e);
    }

    [Fact]
    public void Beta_zero_overwrites_NaN_in_C()
    {
        const int m = 19, n = 45, k = 10;
        var rng = new Random(7);
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * n);
        float[] c = new float[m * n];
        c.AsSpan().Fill(float.NaN);
        Gemm.Multiply(Transpose.None, Transpose.None, m, n, k, 2f, a, k, b, n, 0f, c, n);
        Assert.DoesNotContain(c, float.IsNaN);
        var expected = GemmOracle.Compute(Transpose.None, Transpose.None, m, n, k, 2f, a, k, b, n, 0f, c, n);
        GemmOracle.AssertClose(expected, c, m, n, n, "beta=0 over NaN");
    }

    [Fact]
    public void Alpha_zero_does_not_read_A_or_B()
    {
        float[] a = [float.NaN, float.NaN, float.NaN, float.NaN];
        float[] b = [float.PositiveInfinity, float.NaN, float.NaN, float.NaN];
        float[] c = [1f, 2f, 3f, 4f];
        Gemm.Multiply(Transpose.None, Transpose.None, 2, 2, 2, 0f, a, 2, b, 2, 0.5f, c, 2);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f }, c);
    }

    [Fact]
    public void NaN_and_infinity_propagate_to_their_row_and_column_only()
    {
        const int m = 20, n = 40, k = 9;
        var rng = new Random(3);
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * n);
        a[(5 * k) + 4] = float.NaN;         // row 5 of C
        b[(2 * n) + 33] = float.PositiveInfinity; // column 33 of C: ±∞, or NaN in row 5
        float[] c = new float[m * n];
        Gemm.Multiply(a, b, c, m, n, k);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float x = c[(i * n) + j];
                if (i == 5)
                {
                    Assert.True(float.IsNaN(x), $"C[{i},{j}] = {x}");
                }
                else if (j == 33)
                {
                    Assert.True(float.IsInfinity(x), $"C[{i},{j}] = {x}");
                }
                else
                {
                    Assert.True(float.IsFinite(x), $"C[{i},{j}] = {x}");
                }
            }
        }
    }

    [Fact]
    public void Exact_small_integers_give_exact_products()
    {
        // With small integers every product and partial sum is exact in binary32, so any kernel must give the exact result.
        const int m = 33, n = 70, k = 50;
        var rng = new Random(11);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = rng.Next(-8, 9);
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = rng.Next(-8, 9);
        }

        Gemm.Multiply(a, b, c, m, n, k);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                long sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (long)a[(i * k) + p] * (long)b[(p * n) + j];
                }

                Assert.Equal(sum, (long)c[(i * n) + j]);
            }
        }
    }

    [Fact]
    public void Tall_matrix_crosses_Mc_blocks_with_default_blocking()
    {
        // M > Mc of every kernel (512 for AVX-512): the general path with several Mc blocks, a partial one, two Kc blocks and a
        // partial Nr panel, on 1 and 2 threads; smaller where vectors are emulated (software FMA makes the big case slow there).
        bool fast = Vector128.IsHardwareAccelerated;
        int m = fast ? 600 : 150, n = fast ? 70 : 20, k = fast ? 1100 : 130;
        var rng = new Random(9);
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * n);
        var expected = GemmOracle.Compute(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 0f, new float[m * n], n);
        float[] c1 = new float[m * n], c2 = new float[m * n];
        Gemm.Multiply(a, b, c1, m, n, k);
        Gemm.Multiply(a, b, c2, m, n, k, maxDegreeOfParallelism: 2);
        GemmOracle.AssertClose(expected, c1, m, n, n, "tall, 1 thread");
        Assert.Equal(c1, c2);
    }

    [Fact]
    public void Large_square_matches_oracle_with_default_blocking()
    {
        // Crosses one Kc = 1024 block boundary on the default tier (one Mc block with AVX-512, several with the smaller
        // kernels); smaller where vectors are emulated.
        int s = Vector128.IsHardwareAccelerated ? 150 : 60, k = Vector128.IsHardwareAccelerated ? 1100 : 130;
        var rng = new Random(5);
        float[] a = GemmOracle.Random(rng, s * k), b = GemmOracle.Random(rng, k * s), c = new float[s * s];
        Gemm.Multiply(a, b, c, s, s, k, maxDegreeOfParallelism: 2);
        var expected = GemmOracle.Compute(Transpose.None, Transpose.None, s, s, k, 1f, a, k, b, s, 0f, c, s);
        GemmOracle.AssertClose(expected, c, s, s, s, "large");
    }

    internal static void AssertPaddingUntouched(float[] before, float[] after, int m, int n, int ldc)
    {
        for (int idx = 0; idx < before.Length; idx++)
        {
            int i = idx / ldc, j = idx % ldc;
            if (i < m && j < n)
            {
                continue;
            }

            Assert.True(
                BitConverter.SingleToUInt32Bits(before[idx]) == BitConverter.SingleToUInt32Bits(after[idx]),
                $"C[{idx}] outside the m × n view changed");
        }
    }
}
