// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Numerics.Quantization;

/// <summary>
/// llama.cpp / ggml block quantization, byte for byte: <see cref="Quantize"/> produces the bytes of ggml's reference
/// quantizers (<c>quantize_row_*_ref</c>, what <c>llama-quantize</c> uses without an importance matrix), so a row can be
/// written into a GGUF file; <see cref="Dequantize"/> returns the floats of ggml's <c>dequantize_row_*</c>.
/// </summary>
/// <remarks>
/// <para>Arithmetic is float32, one rounding per C operation, in ggml's order (no fused multiply-add); C <c>roundf</c>
/// rounds ties away from zero, ggml's <c>nearest_int</c> ties to even, and the Q4_0/Q4_1/Q5_0 <c>(int8_t)(v + k.5f)</c>
/// casts truncate. Scales are binary16 with round-to-nearest-even, so a scale can be stored as 0 (tiny blocks, with
/// non-zero codes) or ±Inf (amax/127 &gt; 65504 for Q8_0), exactly as ggml stores it.</para>
/// <para>Vectorized paths (Q8_0, Q4_0, MXFP4) produce bits identical to the scalar reference on every instruction-set tier.</para>
/// <para>Deliberate deviations, where ggml's C is undefined: non-finite inputs are rejected (llama.cpp's row validator
/// rejects them too); where 1/d overflows to ±Inf (Q4_0 amax below about 2^-125, Q5_0 2^-124, Q4_1 max − min below about
/// 15·2^-128, Q8_0/Q8_1 amax below about 3.7e-37) the float-to-int8 conversions saturate instead of being undefined (ggml's
/// x86-64 build writes codes 0 there; the stored scales are 0 either way, so those blocks decode to ±0); ggml's MXFP4
/// exponent for amax &lt; 2^-125 is saturated to 0; IQ4_NL blocks with amax &lt; 1e-15 get codes 0.</para>
/// </remarks>
public static partial class GgmlBlocks
{
    /// <summary>Number of values in one block of <paramref name="type"/> (ggml's <c>ggml_blck_size</c>): 32, 256 for Q4_K, 64 for NVFP4.</summary>
    /// <param name="type">The block format.</param>
    /// <returns>The block length in values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined <see cref="GgmlType"/>.</exception>
    public static int BlockSize(GgmlType type) => type switch
    {
        GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q8_0 or GgmlType.Q8_1 or GgmlType.IQ4_NL or GgmlType.MXFP4 => 32,
        GgmlType.Q4_K => QKK,
        GgmlType.NVFP4 => NVFP4BlockSize,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ggml type."),
    };

    /// <summary>Number of bytes of one block of <paramref name="type"/> (ggml's <c>ggml_type_size</c>).</summary>
    /// <param name="type">The block format.</param>
    /// <returns>The block size in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined <see cref="GgmlType"/>.</exception>
    public static int BlockBytes(GgmlType type) => type switch
    {
        GgmlType.Q4_0 => Q4_0BlockBytes,
        GgmlType.Q4_1 => Q4_1BlockBytes,
        GgmlType.Q5_0 => Q5_0BlockBytes,
        GgmlType.Q8_0 => Q8_0BlockBytes,
        GgmlType.Q8_1 => Q8_1BlockBytes,
        GgmlType.Q4_K => Q4_KBlockBytes,
        GgmlType.IQ4_NL => IQ4_NLBlockBytes,
        GgmlType.MXFP4 => MXFP4BlockBytes,
        GgmlType.NVFP4 => NVFP4BlockBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ggml type."),
    };

    /// <summary>Bytes needed for <paramref name="count"/> values of <paramref name="type"/> (ggml's <c>ggml_row_size</c>).</summary>
    /// <param name="type">The block format.</param>
    /// <param name="count">Number of values; a multiple of <see cref="BlockSize"/>.</param>
    /// <returns><paramref name="count"/> / block size × block bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is undefined, <paramref name="count"/> is negative, or the
    /// row would take more than <see cref="int.MaxValue"/> bytes (possible for the types with more bytes than values: Q8_0, Q8_1).</exception>
    /// <exception cref="ArgumentException"><paramref name="count"/> is not a multiple of the block size.</exception>
    public static int RowSize(GgmlType type, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return RowSizeFor(type, count, nameof(count));
    }

    /// <summary>
    /// Quantizes <paramref name="source"/> into ggml blocks of <paramref name="type"/>, byte for byte as ggml's reference
    /// quantizer. Writes <see cref="RowSize"/>(<paramref name="type"/>, <paramref name="source"/>.Length) bytes.
    /// </summary>
    /// <param name="type">The block format.</param>
    /// <param name="source">The values; the length must be a multiple of <see cref="BlockSize"/>. Every value must be finite.</param>
    /// <param name="destination">The blocks; at least <see cref="RowSize"/> bytes. Must not overlap <paramref name="source"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is undefined.</exception>
    /// <exception cref="ArgumentException">The source length is not a multiple of the block size, the destination is too
    /// short, the spans overlap, or a value is NaN or infinite (the message gives its index; the values are checked in chunks
    /// of 4096 as they are quantized, so blocks before the offending chunk may already have been written).</exception>
    public static void Quantize(GgmlType type, ReadOnlySpan<float> source, Span<byte> destination)
    {
        int bytes = RowSizeFor(type, source.Length, nameof(source));
        if (destination.Length < bytes)
        {
            throw new ArgumentException($"The destination needs {bytes} bytes for {source.Length} values of {type}; it has {destination.Length}.", nameof(destination));
        }

        if (MemoryMarshal.AsBytes(source).Overlaps(destination))
        {
            throw new ArgumentException("The destination overlaps the source.", nameof(destination));
        }

        // Validate and quantize chunk by chunk, so the finiteness scan reads the values from L1 instead of adding a pass over
        // memory. A chunk is a whole number of blocks of every type (256 values = one Q4_K block).
        int blockSize = BlockSize(type);
        int blockBytes = BlockBytes(type);
        for (int start = 0; start < source.Length; start += QuantizeChunk)
        {
            int length = Math.Min(QuantizeChunk, source.Length - start);
            ReadOnlySpan<float> x = source.Slice(start, length);
            ThrowIfNotFinite(x, nameof(source), start);
            QuantizeRows(type, x, destination.Slice(start / blockSize * blockBytes, length / blockSize * blockBytes));
        }
    }

    /// <summary>Values validated and quantized per step of <see cref="Quantize"/>.</summary>
    private const int QuantizeChunk = 4096;

    private static void QuantizeRows(GgmlType type, ReadOnlySpan<float> source, Span<byte> y)
    {
        switch (type)
        {
            case GgmlType.Q4_0: QuantizeQ4_0(source, y); break;
            case GgmlType.Q4_1: QuantizeQ4_1Ref(source, y); break;
            case GgmlType.Q5_0: QuantizeQ5_0Ref(source, y); break;
            case GgmlType.Q8_0: QuantizeQ8_0(source, y); break;
            case GgmlType.Q8_1: QuantizeQ8_1Ref(source, y); break;
            case GgmlType.Q4_K: QuantizeQ4_KRef(source, y); break;
            case GgmlType.IQ4_NL: QuantizeIQ4_NLRef(source, y); break;
            case GgmlType.MXFP4: QuantizeMxfp4(source, y); break;
            default: QuantizeNvfp4Ref(source, y); break;
        }
    }

    /// <summary>
    /// Dequantizes ggml blocks of <paramref name="type"/> into floats, exactly as ggml's <c>dequantize_row_*</c>
    /// (for Q8_1, which ggml cannot dequantize, q·d). A stored Inf scale gives ±Inf (and NaN for code 0), as in ggml.
    /// </summary>
    /// <param name="type">The block format.</param>
    /// <param name="source">The blocks; the length must be a multiple of <see cref="BlockBytes"/>.</param>
    /// <param name="destination">The values; at least blocks × <see cref="BlockSize"/> elements. Must not overlap <paramref name="source"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is undefined.</exception>
    /// <exception cref="ArgumentException">The source length is not a multiple of the block bytes, the destination is too short, or the spans overlap.</exception>
    public static void Dequantize(GgmlType type, ReadOnlySpan<byte> source, Span<float> destination)
    {
        int blockBytes = BlockBytes(type);
        if (source.Length % blockBytes != 0)
        {
            throw new ArgumentException($"{type} blocks are {blockBytes} bytes; the source has {source.Length}.", nameof(source));
        }

        int count = source.Length / blockBytes * BlockSize(type);
        if (destination.Length < count)
        {
            throw new ArgumentException($"The destination needs {count} values; it has {destination.Length}.", nameof(destination));
        }

        if (MemoryMarshal.AsBytes(destination).Overlaps(source))
        {
            throw new ArgumentException("The destination overlaps the source.", nameof(destination));
        }

        Span<float> y = destination[..count];
        switch (type)
        {
            case GgmlType.Q4_0: DequantizeQ4_0(source, y); break;
            case GgmlType.Q4_1: DequantizeQ4_1Ref(source, y); break;
            case GgmlType.Q5_0: DequantizeQ5_0Ref(source, y); break;
            case GgmlType.Q8_0: DequantizeQ8_0(source, y); break;
            case GgmlType.Q8_1: DequantizeQ8Ref(source, y, Q8_1BlockBytes); break;
            case GgmlType.Q4_K: DequantizeQ4_KRef(source, y); break;
            case GgmlType.IQ4_NL: DequantizeIQ4_NLRef(source, y); break;
            case GgmlType.MXFP4: DequantizeMxfp4(source, y); break;
            default: DequantizeNvfp4Ref(source, y); break;
        }
    }

    private static int RowSizeFor(GgmlType type, int count, string paramName)
    {
        int block = BlockSize(type);
        if (count % block != 0)
        {
            ThrowNotWholeBlocks(type, block, count, paramName);
        }

        long bytes = (long)(count / block) * BlockBytes(type);
        if (bytes > int.MaxValue)
        {
            ThrowRowTooLarge(type, count, bytes, paramName);
        }

        return (int)bytes;
    }

    // The throws are out of line: with the messages built inline, RowSizeFor grew past what the JIT inlines, and the
    // changed inlining in Quantize made Q4_0 and Q8_0 quantize 2.5x slower in some processes (dynamic PGO; BenchmarkDotNet,
    // 20 against 7.5 ms for 16M values on AMD Zen 4).
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotWholeBlocks(GgmlType type, int block, int count, string paramName) =>
        throw new ArgumentException($"{type} needs a multiple of {block} values; got {count}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowRowTooLarge(GgmlType type, int count, long bytes, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, count, $"{count} values of {type} take {bytes} bytes, more than a span can hold.");

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first NaN or infinite value.</summary>
    internal static void ThrowIfNotFinite(ReadOnlySpan<float> values, string paramName, int offset = 0)
    {
        int index = IndexOfNonFinite(values);
        if (index >= 0)
        {
            throw new ArgumentException($"{paramName}[{offset + index}] is {values[index]}; only finite values can be quantized.", paramName);
        }
    }

    /// <summary>The index of the first NaN or ±Inf value, or −1.</summary>
    internal static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        // A float is non-finite iff its exponent field is all ones: compare the magnitude bits with +Inf's.
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<uint> mask = Vector256.Create(0x7FFF_FFFFu);
            Vector256<uint> inf = Vector256.Create(0x7F80_0000u);
            for (; i + 8 <= bits.Length; i += 8)
            {
                Vector256<uint> v = Vector256.Create(bits.Slice(i, 8)) & mask;
                if (Vector256.GreaterThanOrEqualAny(v, inf))
                {
                    break;
                }
            }
        }

        for (; i < bits.Length; i++)
        {
            if ((bits[i] & 0x7FFF_FFFFu) >= 0x7F80_0000u)
            {
                return i;
            }
        }

        return -1;
    }
}
