// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Numerics.Quantization;

namespace Numerics.Kernels;

public static unsafe partial class QuantizedGemm
{
    /// <summary>
    /// Computes C ≈ A·Wᵀ for 4-bit ggml weights the way llama.cpp's CPU backend does: each row of A is quantized to ggml Q8_0
    /// (<see cref="GgmlBlocks.Quantize"/>, byte for byte as ggml), then every block's dot product is exact integer arithmetic
    /// and only the block's scale product is rounded. <see cref="MultiplyPrequantized"/> gives the order of the float sum; this
    /// method returns exactly what it returns for the quantized rows.
    /// </summary>
    /// <remarks>
    /// Unlike <see cref="Multiply"/>, the result carries the activations' Q8_0 rounding (each activation moves by up to about
    /// 0.562/127 of its block's largest magnitude: half a code step plus the binary16 rounding of the scale) in exchange for
    /// fewer instructions per weight: it is the product llama.cpp computes for these types, not the FP32-activation product.
    /// The quantized activations are held in a pooled buffer for the call.
    /// </remarks>
    /// <param name="weightType"><see cref="GgmlType.Q4_0"/> or <see cref="GgmlType.MXFP4"/>.</param>
    /// <param name="a">Activations, m × k row-major; every value finite.</param>
    /// <param name="weights">n rows of ggml blocks (<see cref="GgmlBlocks.RowSize"/> bytes per row).</param>
    /// <param name="c">Output, m × n row-major; overwritten. Must not overlap the inputs.</param>
    /// <param name="m">Rows of A and C (1 = GEMV).</param>
    /// <param name="n">Weight rows = columns of C.</param>
    /// <param name="k">Values per row: a multiple of 32 (the block size).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">The type is not supported, k is not a multiple of 32, a span is too short, an
    /// activation is NaN or infinite, or C overlaps an input.</exception>
    public static void MultiplyQuantizedActivations(GgmlType weightType, ReadOnlySpan<float> a, ReadOnlySpan<byte> weights, Span<float> c, int m, int n, int k, int maxDegreeOfParallelism = 1)
    {
        int threads = ResolveThreads(maxDegreeOfParallelism);
        nint rowBytes = ValidateShape(a, c, m, n, k, Q8_0WeightBlockBytes(weightType));
        ValidateQ8_0Weights(weightType, weights, rowBytes, n, k);
        ThrowIfOverlaps(c, MemoryMarshal.AsBytes(a), weights);
        byte[] quantized = QuantizeActivations(a[..(m * k)], m, k, out int bytes);
        try
        {
            RunQ8_0Activations(weightType, quantized.AsSpan(0, bytes), weights, c, m, n, k, threads, IntegerDotDriver.Best, heuristic: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(quantized);
        }
    }

    /// <summary>
    /// Computes C = A·Wᵀ for 4-bit ggml weights and activations already quantized to ggml Q8_0 (for example once per token,
    /// and used for several weight matrices): llama.cpp's <c>vec_dot_q4_0_q8_0</c> / <c>vec_dot_mxfp4_q8_0</c> arithmetic.
    /// </summary>
    /// <remarks>
    /// <para>
    /// With d_w the weight block's scale (binary16 for Q4_0; for MXFP4 ggml's halved E8M0 scale 2^(e − 128), against the
    /// doubled E2M1 values of kvalues_mxfp4), d_a the activation block's binary16 scale, w and q the integer codes (Q4_0: nibble
    /// − 8), each block contributes σ_b·P with σ_b = RN(d_w·d_a) and P an exact integer. Order of every output element (the same
    /// on every path and for every thread count, so the bits are identical): sixteen lane sums L start at
    /// +0 and, for blocks b = 0, 1, … in order, s = b mod 4 and t = 0 … 3, take P_t = Σ_{j=4t}^{4t+3} (w_j·q_j + w_{16+j}·q_{16+j})
    /// and L_{4s+t} = fma(P_t, σ_b, L_{4s+t}); then u_l = L_l + L_{l+8} (l &lt; 8), v_l = u_l + u_{l+4} (l &lt; 4), C = (v_0 + v_2) + (v_1 + v_3).
    /// The paths: AVX-512 (BW, VBMI and GFNI), AVX2 with FMA, and the scalar reference.
    /// The error against the exact Σ σ_b·P_b is at most about (k/128 + 8)·2⁻²⁴·Σ|σ_b·P_b|.
    /// </para>
    /// <para>NaN or infinite scales propagate as in IEEE arithmetic (a NaN's payload is not specified).</para>
    /// </remarks>
    /// <param name="weightType"><see cref="GgmlType.Q4_0"/> or <see cref="GgmlType.MXFP4"/>.</param>
    /// <param name="activations">m rows of k / 32 ggml Q8_0 blocks (34 bytes each), as <see cref="GgmlBlocks.Quantize"/> writes them.</param>
    /// <param name="weights">n rows of ggml blocks (<see cref="GgmlBlocks.RowSize"/> bytes per row).</param>
    /// <param name="c">Output, m × n row-major; overwritten. Must not overlap the inputs.</param>
    /// <param name="m">Rows of A and C (1 = GEMV).</param>
    /// <param name="n">Weight rows = columns of C.</param>
    /// <param name="k">Values per row: a multiple of 32 (the block size).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">The type is not supported, k is not a multiple of 32, a span is too short, or C overlaps an input.</exception>
    public static void MultiplyPrequantized(GgmlType weightType, ReadOnlySpan<byte> activations, ReadOnlySpan<byte> weights, Span<float> c, int m, int n, int k, int maxDegreeOfParallelism = 1) =>
        RunQ8_0Activations(weightType, activations, weights, c, m, n, k, ResolveThreads(maxDegreeOfParallelism), IntegerDotDriver.Best, heuristic: true);

    /// <summary>Test hook for Q8_0 activations: exact thread count and path.</summary>
    internal static void RunQ8_0Activations(GgmlType weightType, ReadOnlySpan<byte> activations, ReadOnlySpan<byte> weights, Span<float> c, int m, int n, int k, int threads, QuantizedPath path, bool heuristic = false)
    {
        int blockBytes = Q8_0WeightBlockBytes(weightType);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k % 32 != 0)
        {
            throw new ArgumentException($"k must be a multiple of the block size 32; got {k}.", nameof(k));
        }

        ValidateSpans(activations, c, m, n, k);

        nint rowBytes = (nint)(k / 32) * blockBytes;
        ValidateQ8_0Weights(weightType, weights, rowBytes, n, k);
        ThrowIfOverlaps(c, activations, weights);
        if (Trivial(c, m, n, k))
        {
            return;
        }

        threads = CallThreads(threads, heuristic, m, n, k);

        bool vector = path != QuantizedPath.Scalar;
        byte[]? prepared = vector ? RentPrepared(m, k) : null;
        try
        {
            fixed (byte* pa = activations, pw = weights, pp = prepared)
            fixed (float* pc = c)
            {
                bool mxfp4 = weightType == GgmlType.MXFP4;
                if (vector)
                {
                    IntegerDotDriver.Prepare(pa, m, k, mxfp4, lift: !mxfp4 && path == QuantizedPath.Vector512, pp);
                }

                IntegerDotOperands operands = new()
                {
                    W = pw, RowBytes = rowBytes, A = pa, Prepared = pp, C = pc, M = m, N = n, K = k, Mxfp4 = mxfp4, Path = path,
                };
                IntegerDotDriver.Run(ref operands, threads);
            }
        }
        finally
        {
            if (prepared is not null)
            {
                ArrayPool<byte>.Shared.Return(prepared);
            }
        }
    }

    /// <summary>
    /// Computes C ≈ A·Wᵀ for an INT4 <see cref="QuantizedTensor"/> W the way <see cref="MultiplyQuantizedActivations"/> does
    /// for ggml weights: each row of A is quantized to ggml Q8_0 (<see cref="GgmlBlocks.Quantize"/>), then each block of 32 is
    /// an exact integer dot product of (code − zero point) and the activation codes, times RN(scale·d_a).
    /// </summary>
    /// <remarks>
    /// Order of every output element (the same on every path and thread count): sixteen lane sums L start at +0 and, for
    /// blocks b = 0, 1, … in order, s = b mod 4 and t = 0 … 3, take P_t = Σ_{i=4t}^{4t+3} (w_{2i}·q_{2i} + w_{2i+1}·q_{2i+1})
    /// (w: code − zero point of b's group, q: the Q8_0 codes) and L_{4s+t} = fma(P_t, RN(s_g·d_a), L_{4s+t}); then
    /// u_l = L_l + L_{l+8} (l &lt; 8), v_l = u_l + u_{l+4} (l &lt; 4), C = (v_0 + v_2) + (v_1 + v_3). The result carries the
    /// activations' Q8_0 rounding, unlike <see cref="MultiplyInt4"/>.
    /// </remarks>
    /// <param name="a">Activations, m × k row-major; every value finite.</param>
    /// <param name="weights">4-bit codes, signed or unsigned, symmetric or not; per tensor, per channel along axis 0 (one scale per row),
    /// or per group along axis 1 with a power-of-two group size of at least 32; as <see cref="IntegerQuantizer"/> writes them.</param>
    /// <param name="c">Output, m × n row-major; overwritten. Must not overlap A.</param>
    /// <param name="m">Rows of A and C (1 = GEMV).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="m"/> is negative, <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">The tensor is not 4-bit, its granularity is not supported, its columns are not a
    /// multiple of 32, a span is too short, or an activation is NaN or infinite.</exception>
    public static void MultiplyInt4QuantizedActivations(ReadOnlySpan<float> a, QuantizedTensor weights, Span<float> c, int m, int maxDegreeOfParallelism = 1)
    {
        int threads = ResolveThreads(maxDegreeOfParallelism);
        (int n, int k, _, _) = ValidateInt4(weights);
        ValidateShape(a, c, m, n, k, Int4Block.BlockBytes);
        if (MemoryMarshal.AsBytes(c).Overlaps(MemoryMarshal.AsBytes(a)))
        {
            throw new ArgumentException("C must not overlap the inputs: it is written while they are read.", nameof(c));
        }

        byte[] quantized = QuantizeActivations(a[..(m * k)], m, k, out int bytes);
        try
        {
            RunInt4Q8_0(quantized.AsSpan(0, bytes), weights, c, m, threads, IntegerDotDriver.Best, heuristic: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(quantized);
        }
    }

    /// <summary>
    /// <see cref="MultiplyInt4QuantizedActivations"/> for activations already quantized to ggml Q8_0 (m rows of k / 32
    /// blocks of 34 bytes, as <see cref="GgmlBlocks.Quantize"/> writes them).
    /// </summary>
    /// <param name="activations">m rows of k / 32 Q8_0 blocks.</param>
    /// <param name="weights">The INT4 tensor (see <see cref="MultiplyInt4QuantizedActivations"/>).</param>
    /// <param name="c">Output, m × n row-major; overwritten. Must not overlap the activations.</param>
    /// <param name="m">Rows of A and C (1 = GEMV).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use at most (the caller included), or -1 for one per processor. The result does not depend on it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="m"/> is negative, <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">The tensor is not 4-bit, its granularity is not supported, its columns are not a multiple of 32, or a span is too short.</exception>
    public static void MultiplyInt4Prequantized(ReadOnlySpan<byte> activations, QuantizedTensor weights, Span<float> c, int m, int maxDegreeOfParallelism = 1) =>
        RunInt4Q8_0(activations, weights, c, m, ResolveThreads(maxDegreeOfParallelism), IntegerDotDriver.Best, heuristic: true);

    /// <summary>Test hook for INT4 × Q8_0: exact thread count and path.</summary>
    internal static void RunInt4Q8_0(ReadOnlySpan<byte> activations, QuantizedTensor weights, Span<float> c, int m, int threads, QuantizedPath path, bool heuristic = false)
    {
        (int n, int k, int perRow, int groupSize) = ValidateInt4(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ValidateSpans(activations, c, m, n, k);

        ThrowIfOverlaps(c, activations, weights.Data.Span);
        if (Trivial(c, m, n, k))
        {
            return;
        }

        threads = CallThreads(threads, heuristic, m, n, k);

        bool vector = path != QuantizedPath.Scalar;
        byte[]? prepared = vector ? RentPrepared(m, k) : null;
        try
        {
            fixed (byte* pa = activations, pw = weights.Data.Span, pp = prepared)
            fixed (float* pc = c, ps = weights.Scales.Span)
            fixed (int* pz = weights.ZeroPoints.Span)
            {
                if (vector)
                {
                    Int4DotDriver.Prepare(pa, m, k, pp);
                }

                Int4DotOperands operands = new()
                {
                    W = pw, Scales = ps, ZeroPoints = pz, ScalesPerRow = perRow, GroupShift = GroupShift(groupSize, k), Signed = weights.Options.IsSigned,
                    A = pa, Prepared = pp, C = pc, M = m, N = n, K = k, Path = path,
                };
                Int4DotDriver.Run(ref operands, threads);
            }
        }
        finally
        {
            if (prepared is not null)
            {
                ArrayPool<byte>.Shared.Return(prepared);
            }
        }
    }

    /// <summary>The INT4 tensor checks of every INT4 entry: (rows, columns, scales per row, group size).</summary>
    private static (int N, int K, int PerRow, int GroupSize) ValidateInt4(QuantizedTensor weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        IntegerQuantizationOptions options = weights.Options;
        if (options.Bits != 4)
        {
            throw new ArgumentException($"Only 4-bit tensors are supported; this one has {options.Bits} bits.", nameof(weights));
        }

        int n = weights.Rows, k = weights.Columns;
        (int perRow, int groupSize) = options.Granularity switch
        {
            QuantizationGranularity.PerTensor => (0, k),
            QuantizationGranularity.PerChannel when options.Axis == 0 => (1, k),
            QuantizationGranularity.PerGroup when options.Axis == 1 && options.GroupSize % 32 == 0 && (options.GroupSize & (options.GroupSize - 1)) == 0 =>
                ((k + options.GroupSize - 1) / options.GroupSize, options.GroupSize),
            _ => throw new ArgumentException("Supported INT4 layouts: per tensor, per channel along axis 0, per group along axis 1 with a power-of-two group size ≥ 32.", nameof(weights)),
        };

        if (k % 32 != 0)
        {
            // Checked here so the exception names the weights (ValidateShape would name k, which the INT4 entries do not have).
            throw new ArgumentException($"The tensor's columns must be a multiple of the block size 32; it has {k}.", nameof(weights));
        }

        return (n, k, perRow, groupSize);
    }

    private static int Q8_0WeightBlockBytes(GgmlType weightType) => weightType switch
    {
        GgmlType.Q4_0 => Q4_0Block.BlockBytes,
        GgmlType.MXFP4 => Mxfp4Block.BlockBytes,
        _ => throw new ArgumentException($"{weightType} weights are not supported against Q8_0 activations (Q4_0 and MXFP4 are).", nameof(weightType)),
    };

    private static void ValidateQ8_0Weights(GgmlType weightType, ReadOnlySpan<byte> weights, nint rowBytes, int n, int k)
    {
        if (weights.Length < (long)rowBytes * n)
        {
            throw new ArgumentException($"The weights need {(long)rowBytes * n} bytes for {n} rows of {k} {weightType} values; they have {weights.Length}.", nameof(weights));
        }
    }

    /// <summary>The Q8_0 activation rows and C of an m × n × k call are long enough (sizes already checked non-negative).</summary>
    private static void ValidateSpans(ReadOnlySpan<byte> activations, Span<float> c, int m, int n, int k)
    {
        long activationBytes = (long)m * (k / 32) * IntegerDotDriver.Q8_0BlockBytes;
        if (activations.Length < activationBytes)
        {
            throw new ArgumentException($"The activations need {activationBytes} bytes for {m} rows of {k} Q8_0 values; they have {activations.Length}.", nameof(activations));
        }

        if (c.Length < (long)m * n)
        {
            throw new ArgumentException($"C needs {(long)m * n} values for {m} × {n}; it has {c.Length}.", nameof(c));
        }
    }

    /// <summary>Whether there is nothing to multiply (m or n is 0), or only C to clear (k = 0, done here).</summary>
    private static bool Trivial(Span<float> c, int m, int n, int k)
    {
        if (m != 0 && n != 0 && k == 0)
        {
            c[..(m * n)].Clear();
        }

        return m == 0 || n == 0 || k == 0;
    }

    /// <summary>A pooled buffer for the prepared activations of the vector paths (the caller returns it).</summary>
    private static byte[] RentPrepared(int m, int k)
    {
        long bytes = (long)m * IntegerDotDriver.Groups(k) * IntegerDotDriver.PreparedGroupBytes;
        if (bytes > Array.MaxLength)
        {
            throw new ArgumentException($"m = {m} activation rows of k = {k} are too many for one call; split the rows.", nameof(m));
        }

        return ArrayPool<byte>.Shared.Rent((int)bytes);
    }

    /// <summary>
    /// The m × k activations (checked finite; an exception names the parameter <c>a</c>) quantized to ggml Q8_0 rows in a
    /// pooled buffer of which the first <paramref name="bytes"/> bytes are used; the caller returns it to the pool.
    /// </summary>
    private static byte[] QuantizeActivations(ReadOnlySpan<float> values, int m, int k, out int bytes)
    {
        int bad = IndexOfNonFinite(values);
        if (bad >= 0)
        {
            ThrowNotFinite("a", bad, values[bad]);
        }

        long size = (long)m * (k / 32) * IntegerDotDriver.Q8_0BlockBytes;
        if (size > Array.MaxLength)
        {
            throw new ArgumentException($"m = {m} activation rows of k = {k} are too many for one call; split the rows.", nameof(m));
        }

        bytes = (int)size;
        byte[] quantized = ArrayPool<byte>.Shared.Rent(Math.Max(bytes, 1));
        GgmlBlocks.Quantize(GgmlType.Q8_0, values, quantized.AsSpan(0, bytes));
        return quantized;
    }

    /// <summary>The first index of a NaN or infinity (all exponent bits set), or -1; a vector at a time.</summary>
    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
        Vector<uint> exponent = new(0x7F80_0000u);
        int i = 0;
        for (; i <= bits.Length - Vector<uint>.Count; i += Vector<uint>.Count)
        {
            if (Vector.EqualsAny(new Vector<uint>(bits[i..]) & exponent, exponent))
            {
                break;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void ThrowNotFinite(string parameter, int index, float value) =>
        throw new ArgumentException($"Activation {index} is {value}; Q8_0 quantization needs finite values.", parameter);
}
