// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>
/// Each micro-kernel against a scalar reference twin with the same Mr × Nr, and the whole GEMM forced onto each kernel with
/// tiny blocking (every loop edge runs) against the oracle and against each other (identical bits for every kernel).
/// </summary>
public sealed class GemmKernelTests
{
    private static readonly int[] s_depths = [0, 1, 2, 7, 33];

    [Fact]
    public void V512_kernel_matches_reference_twin() => MicroKernelMatchesTwin<GemmF32Kernel8x32V512>();

    [Fact]
    public void V256_kernel_matches_reference_twin() => MicroKernelMatchesTwin<GemmF32Kernel6x16V256>();

    [Fact]
    public void V128_kernel_matches_reference_twin() => MicroKernelMatchesTwin<GemmF32Kernel6x8V128>();

    [Fact]
    public void Scalar_kernel_matches_reference_twin() => MicroKernelMatchesTwin<GemmF32Kernel4x4Scalar>();

    [Fact]
    public void Kernels_report_their_tiles()
    {
        Assert.Equal((8, 32), (GemmF32Kernel8x32V512.Mr, GemmF32Kernel8x32V512.Nr));
        Assert.Equal((6, 16), (GemmF32Kernel6x16V256.Mr, GemmF32Kernel6x16V256.Nr));
        Assert.Equal((6, 8), (GemmF32Kernel6x8V128.Mr, GemmF32Kernel6x8V128.Nr));
        Assert.Equal((4, 4), (GemmF32Kernel4x4Scalar.Mr, GemmF32Kernel4x4Scalar.Nr));
        Assert.Equal(Vector512.IsHardwareAccelerated, GemmF32Kernel8x32V512.IsSupported);
        Assert.Equal(Vector256.IsHardwareAccelerated, GemmF32Kernel6x16V256.IsSupported);
    }

    public static TheoryData<int, int, int, Transpose, Transpose> TinyBlockingCases => new()
    {
        { 1, 1, 1, Transpose.None, Transpose.None },
        { 23, 71, 19, Transpose.None, Transpose.None },
        { 23, 71, 19, Transpose.Transposed, Transpose.None },
        { 23, 71, 19, Transpose.None, Transpose.Transposed },
        { 23, 71, 19, Transpose.Transposed, Transpose.Transposed },
        { 37, 5, 40, Transpose.None, Transpose.None },
        { 3, 97, 17, Transpose.Transposed, Transpose.None },
        { 12, 32, 8, Transpose.None, Transpose.None },
        { 24, 64, 16, Transpose.None, Transpose.Transposed },
    };

    /// <summary>With Mc = 12, Kc = 8, Nc = 32 every kernel hits partial Mc, Kc, Nc, Mr and Nr blocks; all must give the same bits.</summary>
    [Theory]
    [MemberData(nameof(TinyBlockingCases))]
    public void Every_kernel_with_tiny_blocking_matches_oracle_and_each_other(int m, int n, int k, Transpose ta, Transpose tb)
    {
        var rng = new Random((m * 31) + (n * 7) + k + (int)ta + (4 * (int)tb));
        (int aRows, int aCols) = ta == Transpose.None ? (m, k) : (k, m);
        (int bRows, int bCols) = tb == Transpose.None ? (k, n) : (n, k);
        int lda = aCols + 1, ldb = bCols + 2, ldc = n + 3;
        float[] a = GemmOracle.Random(rng, aRows * lda), b = GemmOracle.Random(rng, bRows * ldb);
        float[] c0 = GemmOracle.Random(rng, m * ldc);
        foreach (float beta in new[] { 0f, 0.75f })
        {
            const float alpha = -1.25f;
            var expected = GemmOracle.Compute(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc);
            float[] scalar = RunWith<GemmF32Kernel4x4Scalar>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc, GemmBlocking.Tiny, 1);
            GemmOracle.AssertClose(expected, scalar, m, n, ldc, "scalar");
            GemmTests.AssertPaddingUntouched(c0, scalar, m, n, ldc);
            AssertSameBits(scalar, RunWith<GemmF32Kernel6x8V128>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc, GemmBlocking.Tiny, 1), "V128");
            AssertSameBits(scalar, RunWith<GemmF32Kernel6x16V256>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc, GemmBlocking.Tiny, 1), "V256");
            AssertSameBits(scalar, RunWith<GemmF32Kernel8x32V512>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc, GemmBlocking.Tiny, 1), "V512");

            // Same Kc, other Mc/Nc: the bits do not depend on Mc or Nc either.
            AssertSameBits(scalar, RunWith<GemmF32Kernel8x32V512>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc, new GemmBlocking(40, 8, 64), 1), "V512 Mc=40 Nc=64");
        }
    }

    [Fact]
    public void Default_blocking_gives_the_same_bits_on_every_kernel()
    {
        // Kc = 1024 for every kernel, so the default path is identical on every ISA tier; k > Kc crosses a block.
        int m = 29, n = 45, k = Vector128.IsHardwareAccelerated ? 1500 : 1030;
        var rng = new Random(99);
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * n), c0 = GemmOracle.Random(rng, m * n);
        float[] scalar = RunWith<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 1f, c0, n, GemmF32Kernel4x4Scalar.Blocking, 1);
        var expected = GemmOracle.Compute(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 1f, c0, n);
        GemmOracle.AssertClose(expected, scalar, m, n, n, "scalar default blocking");
        AssertSameBits(scalar, RunWith<GemmF32Kernel6x8V128>(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 1f, c0, n, GemmF32Kernel6x8V128.Blocking, 1), "V128");
        AssertSameBits(scalar, RunWith<GemmF32Kernel6x16V256>(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 1f, c0, n, GemmF32Kernel6x16V256.Blocking, 1), "V256");
        AssertSameBits(scalar, RunWith<GemmF32Kernel8x32V512>(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 1f, c0, n, GemmF32Kernel8x32V512.Blocking, 1), "V512");

        float[] viaPublic = (float[])c0.Clone();
        Gemm.Multiply(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 1f, viaPublic, n);
        AssertSameBits(scalar, viaPublic, "public dispatch");
    }

    internal static float[] RunWith<TKernel>(
        Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c0, int ldc, GemmBlocking blocking, int threads)
        where TKernel : struct, IGemmMicroKernel
    {
        float[] c = (float[])c0.Clone();
        Gemm.Run<TKernel>(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, blocking, threads);
        return c;
    }

    internal static void AssertSameBits(float[] expected, float[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            uint e = BitConverter.SingleToUInt32Bits(expected[i]), g = BitConverter.SingleToUInt32Bits(actual[i]);
            Assert.True(e == g, $"{context}: element {i} is 0x{g:X8} ({actual[i]:R}), expected 0x{e:X8} ({expected[i]:R})");
        }
    }

    /// <summary>The reference twin: the documented order of operations, one element at a time.</summary>
    private static void Twin(int mr, int nr, int k, float[] aPanel, float[] bPanel, float[] c, int ldc, float alpha, float beta)
    {
        for (int i = 0; i < mr; i++)
        {
            for (int j = 0; j < nr; j++)
            {
                float acc = 0f;
                for (int p = 0; p < k; p++)
                {
                    acc = MathF.FusedMultiplyAdd(aPanel[(p * mr) + i], bPanel[(p * nr) + j], acc);
                }

                float t = beta == 0f ? 0f : c[(i * ldc) + j] * beta;
                c[(i * ldc) + j] = MathF.FusedMultiplyAdd(acc, alpha, t);
            }
        }
    }

    private static void MicroKernelMatchesTwin<TKernel>()
        where TKernel : struct, IGemmMicroKernel
    {
        int mr = TKernel.Mr, nr = TKernel.Nr, ldc = nr + 5;
        var rng = new Random(mr * 100 + nr);
        (float Alpha, float Beta)[] scales = [(1f, 0f), (1f, 1f), (-0.5f, 2f), (3f, 0f), (0.25f, -1f)];
        foreach (int k in s_depths)
        {
            foreach ((float alpha, float beta) in scales)
            {
                float[] aPanel = GemmOracle.Random(rng, Math.Max(1, mr * k)), bPanel = GemmOracle.Random(rng, Math.Max(1, nr * k));
                if (k > 1)
                {
                    aPanel[1] = 0f;
                    bPanel[nr] = -0f;
                    aPanel[mr] = 3e38f;   // overflow to ∞ in some products
                    bPanel[2] = 1e-40f;    // subnormal
                }

                float[] c = GemmOracle.Random(rng, mr * ldc);
                if (beta == 0f)
                {
                    c.AsSpan().Fill(float.NaN); // must be overwritten, not read
                }

                float[] expected = (float[])c.Clone();
                float[] actual = (float[])c.Clone();
                Twin(mr, nr, k, aPanel, bPanel, expected, ldc, alpha, beta);
                TKernel.Run(k, ref aPanel[0], ref bPanel[0], TKernel.Nr, 0, ref actual[0], ldc, alpha, beta);
                AssertSameBits(expected, actual, $"{typeof(TKernel).Name} k={k} alpha={alpha} beta={beta}");
            }
        }
    }
}
