// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>
/// The M ≤ Mc paths: B read in place by the micro-kernel (M ≤ 2 row panels, FP32, op(B) = B) and B packed in chunks with the
/// next chunk prefetched (other small M). Every kernel, every thread count and both blockings give the scalar kernel's bits.
/// </summary>
public sealed class GemmSmallMTests
{
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        // m, n, k, extra ldb columns
        { 2, 33, 9, 0 },      // one partial row panel, one full and one partial column panel (packed edge)
        { 8, 64, 17, 3 },     // exactly one 8-row panel, padded ldb
        { 13, 95, 40, 1 },    // two row panels (the second partial), partial column panel
        { 16, 130, 1030, 0 }, // two full row panels of the 8-row kernel, two Kc blocks with the default blocking
        { 5, 32, 1, 7 },      // k = 1
        { 30, 100, 23, 2 },   // more than two row panels: packed small-M path with prefetch
        { 100, 300, 1100, 0 }, // packed small-M path, several chunks per thread
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_kernel_and_thread_count_gives_the_scalar_bits(int m, int n, int k, int pad)
    {
        var rng = new Random((m * 101) + (n * 7) + k + pad);
        int ldb = n + pad, ldc = n + 1;
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * ldb), c0 = GemmOracle.Random(rng, m * ldc);
        foreach (float beta in new[] { 0f, -0.5f })
        {
            var expected = GemmOracle.Compute(Transpose.None, Transpose.None, m, n, k, 0.75f, a, k, b, ldb, beta, c0, ldc);
            foreach (GemmBlocking blocking in new[] { GemmBlocking.Tiny, GemmF32Kernel8x32V512.Blocking, new GemmBlocking(128, 8, 32) })
            {
                float[] scalar = GemmKernelTests.RunWith<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, m, n, k, 0.75f, a, k, b, ldb, beta, c0, ldc, blocking, 1);
                GemmOracle.AssertClose(expected, scalar, m, n, ldc, $"scalar {blocking}");
                GemmTests.AssertPaddingUntouched(c0, scalar, m, n, ldc);
                for (int threads = 1; threads <= 3; threads++)
                {
                    string context = $"m={m} n={n} k={k} beta={beta} {blocking} threads={threads}";
                    GemmKernelTests.AssertSameBits(scalar, GemmKernelTests.RunWith<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, m, n, k, 0.75f, a, k, b, ldb, beta, c0, ldc, blocking, threads), "scalar " + context);
                    GemmKernelTests.AssertSameBits(scalar, GemmKernelTests.RunWith<GemmF32Kernel6x8V128>(Transpose.None, Transpose.None, m, n, k, 0.75f, a, k, b, ldb, beta, c0, ldc, blocking, threads), "V128 " + context);
                    GemmKernelTests.AssertSameBits(scalar, GemmKernelTests.RunWith<GemmF32Kernel6x16V256>(Transpose.None, Transpose.None, m, n, k, 0.75f, a, k, b, ldb, beta, c0, ldc, blocking, threads), "V256 " + context);
                    GemmKernelTests.AssertSameBits(scalar, GemmKernelTests.RunWith<GemmF32Kernel8x32V512>(Transpose.None, Transpose.None, m, n, k, 0.75f, a, k, b, ldb, beta, c0, ldc, blocking, threads), "V512 " + context);
                }
            }
        }
    }

    [Fact]
    public void B_read_in_place_ending_at_the_array_end_and_public_entry_agree()
    {
        // B is exactly k·n floats, so a kernel reading past the last row's used columns would run off the array; C = NaN
        // with beta = 0 must be overwritten.
        const int m = 16, n = 77, k = 50;
        var rng = new Random(5);
        float[] a = GemmOracle.Random(rng, m * k), b = GemmOracle.Random(rng, k * n);
        float[] c = new float[m * n];
        c.AsSpan().Fill(float.NaN);
        float[] reference = GemmKernelTests.RunWith<GemmF32Kernel4x4Scalar>(Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 0f, new float[m * n], n, GemmF32Kernel4x4Scalar.Blocking, 1);
        foreach (int threads in new[] { 1, 2 })
        {
            float[] cc = (float[])c.Clone();
            Gemm.Multiply(a, b, cc, m, n, k, threads);
            GemmKernelTests.AssertSameBits(reference, cc, $"public, {threads} threads");
        }
    }
}
