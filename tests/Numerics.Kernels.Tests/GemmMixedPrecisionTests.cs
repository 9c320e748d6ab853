// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>BF16 and FP16 inputs with FP32 accumulation: exactly the FP32 GEMM of the widened inputs, on every kernel.</summary>
public sealed class GemmMixedPrecisionTests
{
    /// <summary>Independent widening: BF16 bits are the top half of the binary32 bits.</summary>
    private static float[] WidenBFloat16(ushort[] x) => x.Select(v => BitConverter.UInt32BitsToSingle((uint)v << 16)).ToArray();

    private static ushort[] RandomBFloat16(Random rng, int length)
    {
        var x = new ushort[length];
        for (int i = 0; i < length; i++)
        {
            // Truncated random floats in [-2, 2]; every 17th a special pattern (-0, the smallest subnormal, a large power of two).
            x[i] = (i % 17) switch
            {
                3 => 0x8000,
                5 => 0x0001,
                7 => 0x4780, // 65536: large, yet no product overflows binary32 (the double oracle would not overflow)
                _ => (ushort)(BitConverter.SingleToUInt32Bits((float)((rng.NextDouble() * 4) - 2)) >> 16),
            };
        }

        return x;
    }

    private static Half[] RandomHalf(Random rng, int length)
    {
        var x = new Half[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (i % 13) switch
            {
                4 => Half.Epsilon,       // subnormal
                6 => Half.MaxValue,
                8 => Half.NegativeZero,
                _ => (Half)((rng.NextDouble() * 4) - 2),
            };
        }

        return x;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(17, 45, 23)]
    [InlineData(64, 64, 64)]
    [InlineData(3, 130, 1100)]
    public void BFloat16_equals_FP32_gemm_of_the_widened_inputs(int m, int n, int k)
    {
        var rng = new Random(m + n + k);
        ushort[] a = RandomBFloat16(rng, m * k), b = RandomBFloat16(rng, k * n);
        float[] c = new float[m * n], reference = new float[m * n];
        Gemm.MultiplyBFloat16(a, b, c, m, n, k, 2);
        float[] wa = WidenBFloat16(a), wb = WidenBFloat16(b);
        Gemm.Run<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, m, n, k, 1f, wa, k, wb, n, 0f, reference, n, GemmF32Kernel4x4Scalar.Blocking, 1);
        GemmKernelTests.AssertSameBits(reference, c, "bf16");
        GemmOracle.AssertClose(GemmOracle.Compute(Transpose.None, Transpose.None, m, n, k, 1f, wa, k, wb, n, 0f, c, n), c, m, n, n, "bf16 oracle");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(19, 40, 31)]
    [InlineData(2, 77, 1030)]
    public void Half_equals_FP32_gemm_of_the_widened_inputs(int m, int n, int k)
    {
        var rng = new Random(m * n * k);
        Half[] a = RandomHalf(rng, m * k), b = RandomHalf(rng, k * n);
        float[] c = new float[m * n], reference = new float[m * n];
        Gemm.MultiplyHalf(a, b, c, m, n, k);
        float[] wa = a.Select(h => (float)h).ToArray(), wb = b.Select(h => (float)h).ToArray();
        Gemm.Run<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, m, n, k, 1f, wa, k, wb, n, 0f, reference, n, GemmF32Kernel4x4Scalar.Blocking, 1);
        GemmKernelTests.AssertSameBits(reference, c, "fp16");
    }

    [Theory]
    [InlineData(Transpose.None, Transpose.None)]
    [InlineData(Transpose.Transposed, Transpose.None)]
    [InlineData(Transpose.None, Transpose.Transposed)]
    [InlineData(Transpose.Transposed, Transpose.Transposed)]
    public void Every_kernel_widens_in_packing_with_tiny_blocking(Transpose ta, Transpose tb)
    {
        const int m = 23, n = 41, k = 19;
        var rng = new Random(5 + (int)ta + (2 * (int)tb));
        (int aRows, int aCols) = ta == Transpose.None ? (m, k) : (k, m);
        (int bRows, int bCols) = tb == Transpose.None ? (k, n) : (n, k);
        int lda = aCols + 2, ldb = bCols + 1;
        ushort[] a = RandomBFloat16(rng, aRows * lda), b = RandomBFloat16(rng, bRows * ldb);
        float[] wa = WidenBFloat16(a), wb = WidenBFloat16(b);
        float[] c0 = GemmOracle.Random(rng, m * n);
        float[] reference = GemmKernelTests.RunWith<GemmF32Kernel4x4Scalar>(ta, tb, m, n, k, 0.5f, wa, lda, wb, ldb, 1f, c0, n, GemmBlocking.Tiny, 1);
        GemmOracle.AssertClose(GemmOracle.Compute(ta, tb, m, n, k, 0.5f, wa, lda, wb, ldb, 1f, c0, n), reference, m, n, n, "widened");
        AssertBf16<GemmF32Kernel4x4Scalar>();
        AssertBf16<GemmF32Kernel6x8V128>();
        AssertBf16<GemmF32Kernel6x16V256>();
        AssertBf16<GemmF32Kernel8x32V512>();

        void AssertBf16<TKernel>()
            where TKernel : struct, IGemmMicroKernel
        {
            foreach (int threads in new[] { 1, 2 })
            {
                float[] c = (float[])c0.Clone();
                Gemm.Run<TKernel, ushort, BFloat16Input>(ta, tb, m, n, k, 0.5f, a, lda, b, ldb, 1f, c, n, GemmBlocking.Tiny, threads);
                GemmKernelTests.AssertSameBits(reference, c, $"{typeof(TKernel).Name} threads={threads}");
            }
        }
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Gemm.MultiplyBFloat16(new ushort[5], new ushort[6], new float[4], 2, 2, 3)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.MultiplyHalf(new Half[6], new Half[6], new float[3], 2, 2, 3)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyBFloat16([], [], [], 1, 1, -1)).ParamName);

        // C overlapping the 16-bit A in memory (compared as bytes).
        float[] buffer = new float[32];
        Assert.Equal("c", Assert.Throws<ArgumentException>(() =>
        {
            Span<ushort> asBf16 = System.Runtime.InteropServices.MemoryMarshal.Cast<float, ushort>(buffer.AsSpan(0, 4));
            Gemm.MultiplyBFloat16(asBf16[..6], new ushort[6], buffer.AsSpan(2, 4), 2, 2, 3);
        }).ParamName);
    }

    [Fact]
    public void K_zero_clears_C()
    {
        float[] c = [float.NaN, 1f];
        Gemm.MultiplyBFloat16([], [], c, 1, 2, 0);
        Assert.Equal(new[] { 0f, 0f }, c);
    }
}
