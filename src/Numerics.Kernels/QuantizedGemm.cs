// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Numerics.Quantization;

namespace Numerics.Kernels;

/// <summary>
/// GEMV and GEMM with quantized weights and FP32 activations: C[i, j] = Σ_p A[i, p]·W[j, p], with A (m × k) row-major and
/// W stored as n rows of k quantized values each (llama.cpp's layout: one row per output feature).
/// </summary>
/// <remarks>
/// <para>
/// Weights are dequantized block by block (32 values) in registers, never to a full FP32 copy; the activations stay FP32.
/// Summation order of every output element C[i, j] (the same on the AVX-512 path, the AVX2 + FMA path of processors
/// without AVX-512, the scalar path of other hardware and for every thread count, so the bits are identical): with q the
/// 32 unscaled values of block b of weight row j, s_b its scale and x = A[i, 32b …], sixteen lane sums start at +0 and
/// take, for b = 0, 1, … in order and each lane l = 0 … 15, t = fma(q[16 + l], x[16 + l], q[l]·x[l]) and
/// L_l = fma(s_b, t, L_l); then the tree
/// u_l = L_l + L_{l+8} (l &lt; 8), v_l = u_l + u_{l+4} (l &lt; 4), C = (v_0 + v_2) + (v_1 + v_3).
/// For ggml Q4_0 and MXFP4, q[l] is the low nibble and q[16 + l] the high nibble of byte l of the block; for INT4 tensors
/// (element 2m low, 2m + 1 high) the activations are reordered per block so the same pairing holds.
/// E4M3FN weights take another order (their AVX-512 decoder emits 64 values at a time in the lane order of byte unpacks):
/// per chunk c of 64 values (a last chunk of 32 is padded with code 0 and activation 0), lane p = 4L + d (0 ≤ L, d &lt; 4)
/// takes the values v_i = 64c + 16L + 8·(i / 2) + 2d + (i % 2), i = 0 … 3: t = q(v_0)·x(v_0), then t = fma(q(v_i), x(v_i), t) for i = 1, 2, 3,
/// and L_p = fma(s_p, t, L_p) with s_p the scale of the block of v_0 (0 on padding lanes); then the same tree.
/// The error against the exact Σ a·(s·q) is at most about (k/32 + 8)·2⁻²⁴·Σ|a·s·q|.
/// </para>
/// <para>NaN or infinite scales or activations propagate as in IEEE arithmetic.</para>
/// </remarks>
public static unsafe partial class QuantizedGemm
{
    /// <summary>Below this many multiply-adds a call runs on the calling thread alone.</summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>
    /// Computes C = A·Wᵀ for weights in a ggml block format: each of the n weight rows is k values quantized with
    /// <see cref="GgmlBlocks.Quantize"/> (<see cref="GgmlBlocks.RowSize"/> bytes per row, rows contiguous).
    /// </summary>
    /// <param name="weightType"><see cref="GgmlType.Q8_0"/>, <see cref="GgmlType.Q4_0"/> or <see cref="GgmlType.MXFP4"/>.</param>
    /// <param name="a">Activations, m × k row-major.</param>
    /// <param name="weights">n rows of ggml blocks.</param>
    /// <param name="c">Output, m × n row-major; overwritten. Must not overlap the inputs.</param>
    /// <param name="m">Rows of A and C (1 = GEMV).</param>
    /// <param name="n">Weight rows = columns of C.</param>
    /// <param name="k">Values per weight row: a multiple of 32 (the block size).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">The type is not supported, k is not a multiple of 32, a span is too short, or C overlaps an input.</exception>
    public static void Multiply(GgmlType weightType, ReadOnlySpan<float> a, ReadOnlySpan<byte> weights, Span<float> c, int m, int n, int k, int maxDegreeOfParallelism = 1) =>
        RunGgml(weightType, a, weights, c, m, n, k, ResolveThreads(maxDegreeOfParallelism), BestPath, heuristic: true);

    /// <summary>
    /// Computes C = A·Wᵀ for E4M3FN (OCP FP8, bias 7, no infinities, S.1111.111 = NaN) weight codes with one float scale per
    /// group of <paramref name="groupSize"/> consecutive values of a row: W[j, p] = scales[j·(k/groupSize) + p/groupSize]·e4m3(codes[j·k + p]).
    /// </summary>
    /// <param name="a">Activations, m × k row-major.</param>
    /// <param name="weights">n × k E4M3FN codes, row-major.</param>
    /// <param name="scales">n·(k / groupSize) scales, row by row. For one scale per row use groupSize = k.</param>
    /// <param name="groupSize">Values per scale: a multiple of 32 that divides k.</param>
    /// <param name="c">Output, m × n row-major; overwritten. Must not overlap the inputs.</param>
    /// <param name="m">Rows of A and C (1 = GEMV).</param>
    /// <param name="n">Weight rows = columns of C.</param>
    /// <param name="k">Values per weight row: a multiple of 32.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">k or the group size is invalid, a span is too short, or C overlaps an input.</exception>
    public static void MultiplyE4M3FN(ReadOnlySpan<float> a, ReadOnlySpan<byte> weights, ReadOnlySpan<float> scales, int groupSize, Span<float> c, int m, int n, int k, int maxDegreeOfParallelism = 1) =>
        RunE4M3FN(a, weights, scales, groupSize, c, m, n, k, ResolveThreads(maxDegreeOfParallelism), BestPath, heuristic: true);

    /// <summary>
    /// Computes C = A·Wᵀ for an INT4 <see cref="QuantizedTensor"/> W of n = <see cref="QuantizedTensor.Rows"/> rows and
    /// k = <see cref="QuantizedTensor.Columns"/> columns: W[j, p] = (code − zero point)·scale of its group, in the tensor's
    /// own layout (two codes per byte, element 2i in the low nibble).
    /// </summary>
    /// <param name="a">Activations, m × k row-major.</param>
    /// <param name="weights">4-bit codes, signed or unsigned, symmetric or not; per tensor, per channel along axis 0 (one scale per row),
    /// or per group along axis 1 with a power-of-two group size of at least 32.</param>
    /// <param name="c">Output, m × n row-major; overwritten. Must not overlap A.</param>
    /// <param name="m">Rows of A and C (1 = GEMV).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="m"/> is negative, <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">The tensor is not 4-bit, its granularity is not supported, its columns are not a multiple of 32, or a span is too short.</exception>
    public static void MultiplyInt4(ReadOnlySpan<float> a, QuantizedTensor weights, Span<float> c, int m, int maxDegreeOfParallelism = 1) =>
        RunInt4(a, weights, c, m, ResolveThreads(maxDegreeOfParallelism), BestPath, heuristic: true);

    /// <summary>Whether the AVX-512 path runs (else the AVX2 path or the scalar reference, with the same bits).</summary>
    internal static bool Vector512Path => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Whether the AVX2 + FMA path can run (it does when <see cref="Vector512Path"/> does not).</summary>
    internal static bool Vector256Path => Avx2.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>The path the public entry points take: AVX-512, else AVX2 + FMA, else the scalar reference.</summary>
    internal static QuantizedPath BestPath => Vector512Path ? QuantizedPath.Vector512 : Vector256Path ? QuantizedPath.Vector256 : QuantizedPath.Scalar;

    /// <summary>Whether a path can run here (for the test hooks, which run any supported path).</summary>
    internal static bool Supported(QuantizedPath path) => path switch
    {
        QuantizedPath.Vector512 => Vector512Path,
        QuantizedPath.Vector256 => Vector256Path,
        _ => true,
    };

    /// <summary>Test hook for ggml formats: exact thread count and path (an unsupported path falls back to the next one down).</summary>
    internal static void RunGgml(GgmlType weightType, ReadOnlySpan<float> a, ReadOnlySpan<byte> weights, Span<float> c, int m, int n, int k, int threads, QuantizedPath path, bool heuristic = false)
    {
        path = Resolve(path);
        int blockBytes = weightType switch
        {
            GgmlType.Q8_0 => Q8_0Block.BlockBytes,
            GgmlType.Q4_0 => Q4_0Block.BlockBytes,
            GgmlType.MXFP4 => Mxfp4Block.BlockBytes,
            _ => throw new ArgumentException($"{weightType} weights are not supported (Q8_0, Q4_0 and MXFP4 are).", nameof(weightType)),
        };
        nint rowBytes = ValidateShape(a, c, m, n, k, blockBytes);
        if (weights.Length < rowBytes * n)
        {
            throw new ArgumentException($"The weights need {rowBytes * n} bytes for {n} rows of {k} {weightType} values; they have {weights.Length}.", nameof(weights));
        }

        ThrowIfOverlaps(c, MemoryMarshal.AsBytes(a), weights);
        fixed (float* pa = a, pc = c)
        fixed (byte* pw = weights)
        {
            QuantizedWeights w = new() { W = pw, RowBytes = rowBytes, A = pa, C = pc, M = m, N = n, K = k, Path = path };
            switch (weightType)
            {
                case GgmlType.Q8_0: Run<Q8_0Block>(ref w, threads, heuristic); break;
                case GgmlType.Q4_0: Run<Q4_0Block>(ref w, threads, heuristic); break;
                default: Run<Mxfp4Block>(ref w, threads, heuristic); break;
            }
        }
    }

    /// <summary>Test hook for E4M3FN: exact thread count and path (an unsupported path falls back to the next one down).</summary>
    internal static void RunE4M3FN(ReadOnlySpan<float> a, ReadOnlySpan<byte> weights, ReadOnlySpan<float> scales, int groupSize, Span<float> c, int m, int n, int k, int threads, QuantizedPath path, bool heuristic = false)
    {
        path = Resolve(path);
        nint rowBytes = ValidateShape(a, c, m, n, k, E4M3FNBlock.BlockBytes);
        if (groupSize < 32 || groupSize % 32 != 0 || (k > 0 && k % groupSize != 0) || (groupSize & (groupSize - 1)) != 0 && groupSize != k)
        {
            throw new ArgumentException($"The group size must be a multiple of 32 that divides k = {k}, and a power of two or k itself; got {groupSize}.", nameof(groupSize));
        }

        if (weights.Length < rowBytes * n)
        {
            throw new ArgumentException($"The weights need {rowBytes * n} codes for {n} × {k}; they have {weights.Length}.", nameof(weights));
        }

        int perRow = k / groupSize;
        if (scales.Length < (long)perRow * n)
        {
            throw new ArgumentException($"The scales need {(long)perRow * n} values ({perRow} per row); they have {scales.Length}.", nameof(scales));
        }

        ThrowIfOverlaps(c, MemoryMarshal.AsBytes(a), weights, MemoryMarshal.AsBytes(scales));
        // The AVX-512 decoder looks codes up with vpermi2b (AVX-512 VBMI); without it the AVX2 path or the scalar reference
        // runs (same bits).
        if (path == QuantizedPath.Vector512 && !Avx512Vbmi.IsSupported)
        {
            path = Resolve(QuantizedPath.Vector256);
        }

        int stride = (k + 63) & ~63;
        float[]? chunked = path != QuantizedPath.Scalar && m > 0 && n > 0 && k > 0 ? ArrayPool<float>.Shared.Rent(m * stride) : null;
        try
        {
            if (chunked is not null)
            {
                ChunkActivations(a, chunked, m, k);
            }

            fixed (float* pa = a, pc = c, ps = scales, pchunked = chunked)
            fixed (byte* pw = weights)
            {
                QuantizedWeights w = new()
                {
                    W = pw, RowBytes = rowBytes, A = pa, AChunked = pchunked, C = pc, M = m, N = n, K = k, Path = path,
                    Scales = ps, ScalesPerRow = perRow, GroupShift = GroupShift(groupSize, k),
                };
                Run<E4M3FNBlock>(ref w, threads, heuristic);
            }
        }
        finally
        {
            if (chunked is not null)
            {
                ArrayPool<float>.Shared.Return(chunked);
            }
        }
    }

    /// <summary>
    /// Each activation row in the lane order of the E4M3FN decoder: per 64 values, vector t (of 4) lane 4L + d gets value
    /// 16L + 8·(t / 2) + 2d + (t % 2); rows padded with zeros to a multiple of 64.
    /// </summary>
    private static void ChunkActivations(ReadOnlySpan<float> a, Span<float> destination, int m, int k)
    {
        int stride = (k + 63) & ~63;
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> row = a.Slice(i * k, k);
            Span<float> to = destination.Slice(i * stride, stride);
            for (int c = 0; c < stride; c += 64)
            {
                for (int t = 0; t < 4; t++)
                {
                    for (int p = 0; p < 16; p++)
                    {
                        int v = c + (16 * (p >> 2)) + (8 * (t >> 1)) + (2 * (p & 3)) + (t & 1);
                        to[c + (16 * t) + p] = v < k ? row[v] : 0f;
                    }
                }
            }
        }
    }

    /// <summary>Test hook for INT4: exact thread count and path (an unsupported path falls back to the next one down).</summary>
    internal static void RunInt4(ReadOnlySpan<float> a, QuantizedTensor weights, Span<float> c, int m, int threads, QuantizedPath path, bool heuristic = false)
    {
        path = Resolve(path);
        (int n, int k, int perRow, int groupSize) = ValidateInt4(weights);
        IntegerQuantizationOptions options = weights.Options;
        nint rowBytes = ValidateShape(a, c, m, n, k, Int4Block.BlockBytes);
        if (n == 0 || k == 0 || m == 0)
        {
            c[..(m * n)].Clear();
            return;
        }

        float[] permuted = ArrayPool<float>.Shared.Rent(m * k);
        try
        {
            PermuteEvenOdd(a[..(m * k)], permuted);
            fixed (float* pa = permuted, pc = c, ps = weights.Scales.Span)
            fixed (byte* pw = weights.Data.Span)
            fixed (int* pz = weights.ZeroPoints.Span)
            {
                QuantizedWeights w = new()
                {
                    W = pw, RowBytes = rowBytes, A = pa, C = pc, M = m, N = n, K = k, Path = path,
                    Scales = ps, ZeroPoints = pz, ScalesPerRow = perRow, GroupShift = GroupShift(groupSize, k), Signed = options.IsSigned,
                };
                Run<Int4Block>(ref w, threads, heuristic);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(permuted);
        }
    }

    /// <summary>Reorders each 32-value block of the activations to its 16 even-indexed values, then its 16 odd ones.</summary>
    private static void PermuteEvenOdd(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (int b = 0; b < source.Length; b += 32)
        {
            for (int j = 0; j < 16; j++)
            {
                destination[b + j] = source[b + (2 * j)];
                destination[b + 16 + j] = source[b + (2 * j) + 1];
            }
        }
    }

    private static void Run<TBlock>(ref QuantizedWeights w, int threads, bool heuristic)
        where TBlock : struct, IQuantizedBlock
    {
        if (w.M == 0 || w.N == 0)
        {
            return;
        }

        if (w.K == 0)
        {
            new Span<float>(w.C, w.M * w.N).Clear();
            return;
        }

        QuantizedDriver.Run<TBlock>(ref w, CallThreads(threads, heuristic, w.M, w.N, w.K));
    }

    /// <summary>The threads a call runs on: one for products below <see cref="ParallelThreshold"/> when the public entry's heuristic applies (test hooks ask for exact counts).</summary>
    private static int CallThreads(int threads, bool heuristic, int m, int n, int k) =>
        heuristic && (long)m * n * k < ParallelThreshold ? 1 : threads;

    /// <summary>The path itself if it can run here, else the best one below it (a test hook may ask for any).</summary>
    private static QuantizedPath Resolve(QuantizedPath path) =>
        path == QuantizedPath.Vector512 && !Vector512Path ? Resolve(QuantizedPath.Vector256)
        : path == QuantizedPath.Vector256 && !Vector256Path ? QuantizedPath.Scalar
        : path;

    private static int GroupShift(int groupSize, int k) => groupSize >= k ? 30 : System.Numerics.BitOperations.Log2((uint)(groupSize / 32));

    private static nint ValidateShape(ReadOnlySpan<float> a, Span<float> c, int m, int n, int k, int blockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k % 32 != 0)
        {
            throw new ArgumentException($"k must be a multiple of the block size 32; got {k}.", nameof(k));
        }

        if (a.Length < (long)m * k)
        {
            throw new ArgumentException($"A needs {(long)m * k} values for {m} × {k}; it has {a.Length}.", nameof(a));
        }

        if (c.Length < (long)m * n)
        {
            throw new ArgumentException($"C needs {(long)m * n} values for {m} × {n}; it has {c.Length}.", nameof(c));
        }

        return (nint)(k / 32) * blockBytes;
    }

    private static void ThrowIfOverlaps(Span<float> c, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third = default)
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(c);
        if (bytes.Overlaps(first) || bytes.Overlaps(second) || bytes.Overlaps(third))
        {
            throw new ArgumentException("C must not overlap the inputs: it is written while they are read.", nameof(c));
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
}
