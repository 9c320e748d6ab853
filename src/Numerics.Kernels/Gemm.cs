// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;

namespace Numerics.Kernels;

/// <summary>
/// Single-precision general matrix multiplication (SGEMM) in managed code: a BLIS-style macro-kernel with cache blocking,
/// packing and register-blocked AVX-512 / AVX2 / Vector128 / scalar micro-kernels, optionally on several threads.
/// </summary>
/// <remarks>
/// <para>
/// Each element of C is a dot product of length k accumulated with fused multiply-adds in order of increasing k, in blocks
/// of 1024 (C is updated after each block), then combined as fma(acc, alpha, beta·C). That order does not depend on the
/// instruction-set tier, the micro-kernel or the thread count, so results are bit-identical across all of them.
/// The error against the exact result is bounded by about (k + 2)·2⁻²⁴·(|alpha|·Σ|a||b| + |beta·c|).
/// </para>
/// <para>NaN and infinity propagate as IEEE 754 arithmetic does, except that beta = 0 never reads C (a NaN in C is
/// overwritten) and alpha = 0 or k = 0 never reads A or B (C becomes beta·C, as in the reference BLAS).</para>
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>Below this many multiply-adds a call runs on the calling thread alone (waking workers costs microseconds).</summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>Computes C = A·B for row-major A (m × k), B (k × n) and C (m × n), overwriting C.</summary>
    /// <param name="a">A, row-major, at least m·k elements (only the first m·k are read).</param>
    /// <param name="b">B, row-major, at least k·n elements.</param>
    /// <param name="c">C, row-major, at least m·n elements; overwritten (its previous contents are not read). Must not overlap A or B.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A, rows of B. With k = 0, C is set to zero.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">A span is too short, or <paramref name="c"/> overlaps <paramref name="a"/> or <paramref name="b"/>.</exception>
#pragma warning disable RS0026 // Optional parameter on two overloads: the (a, b, c, m, n, k) and cblas-shaped signatures cannot be confused.
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, int maxDegreeOfParallelism = 1) =>
        Multiply(Transpose.None, Transpose.None, m, n, k, 1f, a, Math.Max(1, k), b, Math.Max(1, n), 0f, c, Math.Max(1, n), maxDegreeOfParallelism);
#pragma warning restore RS0026

    /// <summary>
    /// Computes C ← alpha·op(A)·op(B) + beta·C with row-major storage, following <c>cblas_sgemm(CblasRowMajor, …)</c>.
    /// </summary>
    /// <param name="transA">Whether op(A) is A (stored m × k) or Aᵀ (A stored k × m).</param>
    /// <param name="transB">Whether op(B) is B (stored k × n) or Bᵀ (B stored n × k).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product. When 0, A and B are not read.</param>
    /// <param name="a">A as stored; needs (rows − 1)·lda + columns elements of its stored shape.</param>
    /// <param name="lda">Distance between rows of A as stored: at least max(1, k) without transpose, max(1, m) with.</param>
    /// <param name="b">B as stored; needs (rows − 1)·ldb + columns elements of its stored shape.</param>
    /// <param name="ldb">Distance between rows of B as stored: at least max(1, n) without transpose, max(1, k) with.</param>
    /// <param name="beta">Scale of C. When 0, C is not read, so NaN or infinity in C does not propagate.</param>
    /// <param name="c">C (m × n), updated in place; needs (m − 1)·ldc + n elements. Its used part must not overlap the used parts of A or B.</param>
    /// <param name="ldc">Distance between rows of C: at least max(1, n).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A transpose is undefined, a size is negative, a leading dimension is too small, or <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">A span is too short, or <paramref name="c"/> overlaps <paramref name="a"/> or <paramref name="b"/>.</exception>
#pragma warning disable RS0026 // Optional parameter on two overloads: the (a, b, c, m, n, k) and cblas-shaped signatures cannot be confused.
    public static void Multiply(
        Transpose transA,
        Transpose transB,
        int m,
        int n,
        int k,
        float alpha,
        ReadOnlySpan<float> a,
        int lda,
        ReadOnlySpan<float> b,
        int ldb,
        float beta,
        Span<float> c,
        int ldc,
        int maxDegreeOfParallelism = 1)
#pragma warning restore RS0026
    {
        int threads = ResolveThreads(maxDegreeOfParallelism);
        Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if ((long)m * n * k < ParallelThreshold)
        {
            threads = 1;
        }

        if (m == 1 && transB == Transpose.None)
        {
            // A row vector times a matrix is memory-bound: stream B once instead of packing it.
            RunGemv(transA, n, k, alpha, a, lda, b, ldb, beta, c, new GemmBlocking(1, GemmBlocking.DefaultKc, 1), threads, GemmGemv.HardwareVectorBits);
        }
        else
        {
            Dispatch<float, SingleInput>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads);
        }
    }

    /// <summary>Runs a validated call on the widest micro-kernel the hardware accelerates (its blocking from the table).</summary>
    private static void Dispatch<T, TIn>(
        Transpose transA, Transpose transB, int m, int n, int k, float alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, float beta, Span<float> c, int ldc, int threads)
        where T : unmanaged
        where TIn : struct, IGemmInput<T>
    {
        if (GemmF32Kernel8x32V512.IsSupported)
        {
            Run<GemmF32Kernel8x32V512, T, TIn>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmF32Kernel8x32V512.Blocking, threads);
        }
        else if (GemmF32Kernel6x16V256.IsSupported)
        {
            Run<GemmF32Kernel6x16V256, T, TIn>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmF32Kernel6x16V256.Blocking, threads);
        }
        else if (GemmF32Kernel6x8V128.IsSupported)
        {
            Run<GemmF32Kernel6x8V128, T, TIn>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmF32Kernel6x8V128.Blocking, threads);
        }
        else
        {
            Run<GemmF32Kernel4x4Scalar, T, TIn>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmF32Kernel4x4Scalar.Blocking, threads);
        }
    }

    /// <summary>
    /// Test and benchmark hook for the M = 1 path (op(B) = B): a chosen Kc (from <paramref name="blocking"/>), exact thread count
    /// and vector width in bits (512, 256, 128, or 0 for scalar).
    /// </summary>
    internal static void RunGemv(
        Transpose transA, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, GemmBlocking blocking, int threads, int vectorBits)
    {
        Validate(transA, Transpose.None, 1, n, k, a, lda, b, ldb, c, Math.Max(1, n));
        blocking.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (n == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            ScaleC(c, 1, n, n, beta);
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmGemv.Run(MakeJob(transA, Transpose.None, 1, n, k, alpha, pa, lda, pb, ldb, beta, pc, Math.Max(1, n), blocking, threads), vectorBits);
        }
    }

    /// <summary>
    /// Test and benchmark hook: a validated call with a chosen micro-kernel, blocking and exact thread count (no size heuristic,
    /// no cap at the processor count).
    /// </summary>
    internal static void Run<TKernel>(
        Transpose transA, Transpose transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, GemmBlocking blocking, int threads)
        where TKernel : struct, IGemmMicroKernel =>
        Run<TKernel, float, SingleInput>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, blocking, threads);

    /// <summary>The same hook for operands stored as <typeparamref name="T"/> (widened to FP32 while packing).</summary>
    internal static void Run<TKernel, T, TIn>(
        Transpose transA, Transpose transB, int m, int n, int k, float alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, float beta, Span<float> c, int ldc, GemmBlocking blocking, int threads)
        where TKernel : struct, IGemmMicroKernel
        where T : unmanaged
        where TIn : struct, IGemmInput<T>
    {
        Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        blocking.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            ScaleC(c, m, n, ldc, beta);
            return;
        }

        fixed (T* pa = a, pb = b)
        fixed (float* pc = c)
        {
            GemmDriver.Run<TKernel, T, TIn>(MakeJob(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, blocking, threads));
        }
    }

    private static GemmJob MakeJob(
        Transpose transA, Transpose transB, int m, int n, int k, float alpha, void* a, int lda, void* b, int ldb, float beta, float* c, int ldc,
        GemmBlocking blocking, int threads) => new()
        {
            A = a, B = b, C = c,
            M = m, N = n, K = k,
            Lda = lda, Ldb = ldb, Ldc = ldc,
            TransA = transA == Transpose.Transposed, TransB = transB == Transpose.Transposed,
            Alpha = alpha, Beta = beta,
            Blocking = blocking,
            Threads = threads,
        };

    /// <summary>C ← beta·C (C ← 0 when beta = 0, without reading C).</summary>
    private static void ScaleC(Span<float> c, int m, int n, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    private static int ResolveThreads(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Must be -1 (one thread per processor) or at least 1.");
        }

        return maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount);
    }

    private static void Validate<T>(
        Transpose transA, Transpose transB, int m, int n, int k, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, Span<float> c, int ldc)
        where T : unmanaged
    {
        if (transA is not (Transpose.None or Transpose.Transposed))
        {
            throw new ArgumentOutOfRangeException(nameof(transA), transA, "Undefined transpose.");
        }

        if (transB is not (Transpose.None or Transpose.Transposed))
        {
            throw new ArgumentOutOfRangeException(nameof(transB), transB, "Undefined transpose.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);

        // Stored shapes (rows × columns) of A and B.
        (int aRows, int aCols) = transA == Transpose.None ? (m, k) : (k, m);
        (int bRows, int bCols) = transB == Transpose.None ? (k, n) : (n, k);
        ArgumentOutOfRangeException.ThrowIfLessThan(lda, Math.Max(1, aCols));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldb, Math.Max(1, bCols));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldc, Math.Max(1, n));

        long needA = Required(aRows, aCols, lda), needB = Required(bRows, bCols, ldb), needC = Required(m, n, ldc);
        if (a.Length < needA)
        {
            throw new ArgumentException($"A needs {needA} elements for its {aRows} × {aCols} shape with lda = {lda}; it has {a.Length}.", nameof(a));
        }

        if (b.Length < needB)
        {
            throw new ArgumentException($"B needs {needB} elements for its {bRows} × {bCols} shape with ldb = {ldb}; it has {b.Length}.", nameof(b));
        }

        if (c.Length < needC)
        {
            throw new ArgumentException($"C needs {needC} elements for its {m} × {n} shape with ldc = {ldc}; it has {c.Length}.", nameof(c));
        }

        // Compared as bytes: A and B may hold 16-bit elements while C holds floats.
        ReadOnlySpan<byte> usedC = MemoryMarshal.AsBytes(c[..(int)needC]);
        if (usedC.Overlaps(MemoryMarshal.AsBytes(a[..(int)needA])) || usedC.Overlaps(MemoryMarshal.AsBytes(b[..(int)needB])))
        {
            throw new ArgumentException("C must not overlap A or B: it is written while they are read.", nameof(c));
        }
    }

    private static long Required(int rows, int columns, int ld) => rows == 0 || columns == 0 ? 0 : ((long)(rows - 1) * ld) + columns;
}
