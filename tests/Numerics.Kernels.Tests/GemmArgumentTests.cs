// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>Bad arguments throw, naming the parameter.</summary>
public sealed class GemmArgumentTests
{
    private static void Blas(
        int m = 2, int n = 3, int k = 4, int lda = 4, int ldb = 3, int ldc = 3, int aLength = 8, int bLength = 12, int cLength = 6,
        Transpose ta = Transpose.None, Transpose tb = Transpose.None, int dop = 1)
    {
        float[] a = new float[aLength], b = new float[bLength], c = new float[cLength];
        Gemm.Multiply(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc, dop);
    }

    [Fact]
    public void Valid_minimal_call_does_not_throw() => Blas();

    [Fact]
    public void Negative_sizes_throw()
    {
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(m: -1)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(n: -1)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(k: -1)).ParamName);
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(new float[4], new float[4], new float[4], -2, 2, 2)).ParamName);
    }

    [Fact]
    public void Leading_dimensions_too_small_throw()
    {
        Assert.Equal("lda", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(lda: 3)).ParamName);
        Assert.Equal("ldb", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(ldb: 2)).ParamName);
        Assert.Equal("ldc", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(ldc: 2)).ParamName);

        // Transposed A is stored k × m, so lda ≥ m; transposed B is stored n × k, so ldb ≥ k.
        Assert.Equal("lda", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(ta: Transpose.Transposed, lda: 1, aLength: 100)).ParamName);
        Assert.Equal("ldb", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(tb: Transpose.Transposed, ldb: 3, bLength: 100)).ParamName);
        Blas(ta: Transpose.Transposed, lda: 2, tb: Transpose.Transposed, ldb: 4);

        // ld = 0 is rejected even for empty matrices (BLAS requires ld ≥ 1).
        Assert.Equal("lda", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(k: 0, lda: 0, aLength: 0, bLength: 0)).ParamName);
    }

    [Fact]
    public void Short_spans_throw()
    {
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Blas(aLength: 7)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Blas(bLength: 11)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Blas(cLength: 5)).ParamName);

        // Padded leading dimensions: the last row needs only its used columns.
        Blas(lda: 6, aLength: 10, ldb: 5, bLength: 18, ldc: 7, cLength: 10);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Blas(lda: 6, aLength: 9)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Blas(ldc: 7, cLength: 9)).ParamName);

        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], new float[6], new float[4], 2, 2, 3)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], new float[5], new float[4], 2, 2, 3)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], new float[6], new float[3], 2, 2, 3)).ParamName);
    }

    [Fact]
    public void C_overlapping_A_or_B_throws()
    {
        float[] buffer = new float[64];
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.Multiply(buffer.AsSpan(0, 6), buffer.AsSpan(20, 6), buffer.AsSpan(4, 4), 2, 2, 3)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.Multiply(buffer.AsSpan(0, 6), buffer.AsSpan(20, 6), buffer.AsSpan(25, 4), 2, 2, 3)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.Multiply(buffer.AsSpan(0, 6), buffer.AsSpan(20, 6), buffer.AsSpan(0, 4), 2, 2, 3)).ParamName);

        // A and B may overlap each other (both are only read), and C may sit right after them.
        Gemm.Multiply(buffer.AsSpan(0, 6), buffer.AsSpan(0, 6), buffer.AsSpan(6, 4), 2, 2, 3);
    }

    [Fact]
    public void Bad_parallelism_and_transpose_throw()
    {
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(dop: 0)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(dop: -2)).ParamName);
        Assert.Equal("transA", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(ta: (Transpose)2)).ParamName);
        Assert.Equal("transB", Assert.Throws<ArgumentOutOfRangeException>(() => Blas(tb: (Transpose)(-1))).ParamName);
        Blas(dop: -1);
        Blas(dop: 64);
    }

    [Fact]
    public void Empty_shapes_are_allowed()
    {
        Gemm.Multiply([], [], [], 0, 0, 0);
        Gemm.Multiply([], new float[5], [], 0, 5, 1);
        float[] c = [9f];
        Gemm.Multiply(Transpose.None, Transpose.None, 0, 1, 1, 1f, [], 1, [1f], 1, 0f, c, 1);
        Assert.Equal(9f, c[0]); // m = 0: nothing is written
    }
}
