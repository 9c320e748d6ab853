// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Kernels;

/// <content>INT8 × INT8 → INT32 GEMM.</content>
public static unsafe partial class Gemm
{
    /// <summary>
    /// Computes C = A·B for row-major signed 8-bit A (m × k) and B (k × n) into 32-bit C (m × n), overwriting C.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Every element is Σ_p a[i, p]·b[p, j] computed in two's-complement int32 with wraparound: the exact sum reduced modulo
    /// 2³² (like C# <see langword="unchecked"/> arithmetic). It is therefore exact whenever it fits in an int, which is
    /// guaranteed for k ≤ 131 071 (each product is at most 128·128 = 2¹⁴ in magnitude); larger k or extreme data wrap
    /// rather than saturate. The result does not depend on the instruction set or the thread count.
    /// </para>
    /// <para>
    /// With AVX-VNNI the micro-kernel uses <c>vpdpbusd</c>, which multiplies unsigned by signed bytes: A is packed as
    /// a + 128 and −128·Σ_p b[p, j] is added to each column, which is exact modulo 2³². Without AVX-VNNI (AMD Zen 4, Intel
    /// Ice Lake and older) an AVX2 kernel runs on the same packed panels with <c>vpmaddwd</c> on bytes widened to
    /// words, and without AVX2 a scalar kernel; all give the same bits.
    /// </para>
    /// </remarks>
    /// <param name="a">A, row-major, at least m·k elements.</param>
    /// <param name="b">B, row-major, at least k·n elements.</param>
    /// <param name="c">C, row-major, at least m·n elements; overwritten. Must not overlap A or B.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A, rows of B. With k = 0, C is set to zero.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">A span is too short, or <paramref name="c"/> overlaps <paramref name="a"/> or <paramref name="b"/>.</exception>
    public static void MultiplyInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, Span<int> c, int m, int n, int k, int maxDegreeOfParallelism = 1)
    {
        int threads = ResolveThreads(maxDegreeOfParallelism);
        ValidateInt8(a, b, c, m, n, k);
        if ((long)m * n * k < ParallelThreshold * 4)
        {
            threads = 1;
        }

        if (GemmI8Kernel6x16AvxVnni.IsSupported)
        {
            RunInt8<GemmI8Kernel6x16AvxVnni>(a, b, c, m, n, k, GemmInt8Driver.DefaultBlocking, threads);
        }
        else if (GemmI8Kernel6x16Avx2.IsSupported)
        {
            RunInt8<GemmI8Kernel6x16Avx2>(a, b, c, m, n, k, GemmInt8Driver.DefaultBlocking, threads);
        }
        else
        {
            RunInt8<GemmI8Kernel6x16Scalar>(a, b, c, m, n, k, GemmInt8Driver.DefaultBlocking, threads);
        }
    }

    /// <summary>Test and benchmark hook: INT8 GEMM with a chosen micro-kernel, blocking and exact thread count.</summary>
    internal static void RunInt8<TKernel>(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, Span<int> c, int m, int n, int k, GemmBlocking blocking, int threads)
        where TKernel : struct, IGemmInt8MicroKernel
    {
        ValidateInt8(a, b, c, m, n, k);
        blocking.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            c[..(m * n)].Clear();
            return;
        }

        fixed (sbyte* pa = a, pb = b)
        fixed (int* pc = c)
        {
            GemmInt8Driver.Run<TKernel>(pa, k, pb, n, pc, n, m, n, k, blocking, threads);
        }
    }

    private static void ValidateInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, Span<int> c, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        long needA = (long)m * k, needB = (long)k * n, needC = (long)m * n;
        if (a.Length < needA)
        {
            throw new ArgumentException($"A needs {needA} elements for {m} × {k}; it has {a.Length}.", nameof(a));
        }

        if (b.Length < needB)
        {
            throw new ArgumentException($"B needs {needB} elements for {k} × {n}; it has {b.Length}.", nameof(b));
        }

        if (c.Length < needC)
        {
            throw new ArgumentException($"C needs {needC} elements for {m} × {n}; it has {c.Length}.", nameof(c));
        }

        ReadOnlySpan<byte> usedC = System.Runtime.InteropServices.MemoryMarshal.AsBytes(c[..(int)needC]);
        if (usedC.Overlaps(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a[..(int)needA])) ||
            usedC.Overlaps(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b[..(int)needB])))
        {
            throw new ArgumentException("C must not overlap A or B: it is written while they are read.", nameof(c));
        }
    }
}
