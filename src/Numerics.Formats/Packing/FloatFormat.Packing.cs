// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats;

/// <content>Packed storage of 4- and 6-bit codes.</content>
/// <remarks>
/// The layout is the ONNX / PyTorch / OCP-MX-implementations convention, the same as Numerics.Quantization's MX packing:
/// 4-bit codes two per byte, element 2i in the low nibble (bits 3..0) and element 2i+1 in the high nibble (bits 7..4), like
/// <c>torch.float4_e2m1fn_x2</c> and ONNX FLOAT4E2M1; 6-bit codes four per three bytes as a little-endian bit stream, element k
/// at bits 6k .. 6k+5 of the stream (byte j holds stream bits 8j .. 8j+7, ONNX FLOAT6). An odd count of 4-bit codes, or a count
/// of 6-bit codes that is not a multiple of 4, leaves unused high bits in the last byte: they are written as zeros and ignored
/// when decoding.
/// </remarks>
public sealed partial class FloatFormat
{
    /// <summary>Returns the number of bytes that hold <paramref name="count"/> packed codes of this format: ceil(count · <see cref="BitCount"/> / 8).</summary>
    /// <param name="count">The number of codes.</param>
    /// <returns>The packed size in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is negative, or the byte count exceeds <see cref="long.MaxValue"/> (formats wider than 8 bits only).
    /// </exception>
    public long PackedByteCount(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int bits = BitCount;
        return count <= (long.MaxValue - 7) / bits ? ((count * bits) + 7) / 8 : PackedByteCountWide(count, bits);
    }

    /// <summary>
    /// <see cref="PackedByteCount"/> when count · bits might overflow a long: in 128 bits, since the result can still fit (4-bit
    /// codes). Out of line, like its throw: the span entry points call PackedByteCount on every call, and a larger body there
    /// changed the JIT's inlining of those paths (the same happened to ggml's row size, 2.7x slower under dynamic PGO).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long PackedByteCountWide(long count, int bits)
    {
        UInt128 bytes = (((UInt128)(ulong)count * (uint)bits) + 7) / 8;
        if (bytes > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, string.Create(CultureInfo.InvariantCulture, $"{count} codes of {bits} bits take more than {long.MaxValue} bytes."));
        }

        return (long)bytes;
    }

    /// <summary>
    /// Rounds every element of <paramref name="source"/> to this 4- or 6-bit format and writes the codes packed (layout in the
    /// remarks of this type: two FP4 per byte, low nibble first; four FP6 per three bytes, little-endian bit stream).
    /// </summary>
    /// <param name="source">The values to encode.</param>
    /// <param name="destination">The packed codes: exactly <see cref="PackedByteCount"/>(source.Length) bytes, not overlapping <paramref name="source"/>.</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when a rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="seed">The seed of the stochastic modes: element i uses <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, i).</param>
    /// <remarks>Element i's code is <c>Encode(source[i], rounding, overflow, RandomBits(seed, i))</c>; the rounding is vectorized as in <see cref="Encode(ReadOnlySpan{float}, Span{byte}, RoundingMode, OverflowMode, ulong)"/>.</remarks>
    /// <exception cref="ArgumentException">The format is not 4 or 6 bits wide, <paramref name="destination"/> has the wrong length, or the spans overlap.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public void EncodePacked(
        ReadOnlySpan<float> source, Span<byte> destination, RoundingMode rounding = RoundingMode.NearestEven, OverflowMode overflow = OverflowMode.NonSaturating, ulong seed = 0)
    {
        ValidatePacked(source.Length, destination.Length, nameof(destination));
        if (MemoryMarshal.AsBytes(source).Overlaps(destination))
        {
            throw new ArgumentException("The destination overlaps the source.", nameof(destination));
        }

        ValidateModes(rounding, overflow);

        // Chunks of 512 codes (a multiple of 2 and of 4, so every chunk but the last fills whole bytes).
        const int Chunk = 512;
        Span<byte> codes = stackalloc byte[Chunk];
        for (int offset = 0; offset < source.Length; offset += Chunk)
        {
            int length = Math.Min(Chunk, source.Length - offset);
            Encode(source.Slice(offset, length), codes[..length], rounding, overflow, seed, offset);
            int byteOffset = (int)PackedByteCount(offset);
            int byteLength = (int)PackedByteCount(length);
            if (BitCount == 4)
            {
                Pack4(codes[..length], destination.Slice(byteOffset, byteLength));
            }
            else
            {
                Pack6(codes[..length], destination.Slice(byteOffset, byteLength));
            }
        }
    }

    /// <summary>
    /// Unpacks codes of this 4- or 6-bit format (layout in the remarks of this type) and decodes them to binary32 values, as
    /// <see cref="Decode(ReadOnlySpan{byte}, Span{float})"/> does (exact for FP4/FP6; a custom format with values beyond binary32's
    /// range, such as <c>Create(2, 200, 200)</c>, rounds them).
    /// </summary>
    /// <param name="source">The packed codes: exactly <see cref="PackedByteCount"/>(destination.Length) bytes.</param>
    /// <param name="destination">The values, not overlapping <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException">The format is not 4 or 6 bits wide, <paramref name="source"/> has the wrong length, or the spans overlap.</exception>
    public void DecodePacked(ReadOnlySpan<byte> source, Span<float> destination)
    {
        ValidatePacked(destination.Length, source.Length, nameof(source));
        if (source.Overlaps(MemoryMarshal.AsBytes(destination)))
        {
            throw new ArgumentException("The destination overlaps the source.", nameof(destination));
        }

        const int Chunk = 512;
        Span<byte> codes = stackalloc byte[Chunk];
        for (int offset = 0; offset < destination.Length; offset += Chunk)
        {
            int length = Math.Min(Chunk, destination.Length - offset);
            ReadOnlySpan<byte> packed = source.Slice((int)PackedByteCount(offset), (int)PackedByteCount(length));
            if (BitCount == 4)
            {
                Unpack4(packed, codes[..length]);
            }
            else
            {
                Unpack6(packed, codes[..length]);
            }

            Decode(codes[..length], destination.Slice(offset, length));
        }
    }

    private void ValidatePacked(int count, int packedLength, string packedName)
    {
        if (BitCount is not (4 or 6))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Packed storage is for 4- and 6-bit formats; {Name} has {BitCount} bits."), packedName);
        }

        if (packedLength != PackedByteCount(count))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{count} codes of {Name} take {PackedByteCount(count)} bytes; the span has {packedLength}."), packedName);
        }
    }

    /// <summary>Two 4-bit codes per byte, the even element in the low nibble; 32 codes per step with Vector128, then a scalar tail.</summary>
    internal static void Pack4(ReadOnlySpan<byte> codes, Span<byte> packed)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // A ushort lane holds the pair (low byte = element 2j, high byte = element 2j+1): low | high << 4, narrowed to a byte.
            ReadOnlySpan<ushort> pairs = MemoryMarshal.Cast<byte, ushort>(codes);
            ref ushort src = ref MemoryMarshal.GetReference(pairs);
            ref byte dst = ref MemoryMarshal.GetReference(packed);
            for (; i + 32 <= codes.Length; i += 32)
            {
                Vector128<ushort> a = Vector128.LoadUnsafe(ref src, (nuint)(i / 2));
                Vector128<ushort> b = Vector128.LoadUnsafe(ref src, (nuint)(i / 2) + 8);
                a = (a & Vector128.Create((ushort)0x000F)) | Vector128.ShiftLeft(Vector128.ShiftRightLogical(a, 8) & Vector128.Create((ushort)0x000F), 4);
                b = (b & Vector128.Create((ushort)0x000F)) | Vector128.ShiftLeft(Vector128.ShiftRightLogical(b, 8) & Vector128.Create((ushort)0x000F), 4);
                Vector128.Narrow(a, b).StoreUnsafe(ref dst, (nuint)(i / 2));
            }
        }

        for (; i < codes.Length; i += 2)
        {
            int high = i + 1 < codes.Length ? codes[i + 1] & 0xF : 0;
            packed[i / 2] = (byte)((codes[i] & 0xF) | (high << 4));
        }
    }

    /// <summary>Unpacks two 4-bit codes per byte, low nibble first.</summary>
    internal static void Unpack4(ReadOnlySpan<byte> packed, Span<byte> codes)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref byte src = ref MemoryMarshal.GetReference(packed);
            ref byte dst = ref MemoryMarshal.GetReference(codes);
            for (; i + 32 <= codes.Length; i += 32)
            {
                (Vector128<ushort> lower, Vector128<ushort> upper) = Vector128.Widen(Vector128.LoadUnsafe(ref src, (nuint)(i / 2)));
                lower = (lower & Vector128.Create((ushort)0x000F)) | Vector128.ShiftLeft(Vector128.ShiftRightLogical(lower, 4), 8);
                upper = (upper & Vector128.Create((ushort)0x000F)) | Vector128.ShiftLeft(Vector128.ShiftRightLogical(upper, 4), 8);
                lower.AsByte().StoreUnsafe(ref dst, (nuint)i);
                upper.AsByte().StoreUnsafe(ref dst, (nuint)i + 16);
            }
        }

        for (; i < codes.Length; i++)
        {
            codes[i] = (byte)((packed[i / 2] >> (4 * (i & 1))) & 0xF);
        }
    }

    /// <summary>Four 6-bit codes per three bytes as a little-endian bit stream (element k at stream bits 6k .. 6k+5); 16 codes
    /// per step with Vector128 (while a full 16-byte store fits), then a scalar tail.</summary>
    internal static void Pack6(ReadOnlySpan<byte> codes, Span<byte> packed)
    {
        int i = 0, j = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // A uint lane holds four codes c0..c3 (one per byte); gather them into the 24-bit group c0 | c1 << 6 | c2 << 12 | c3 << 18,
            // then drop every fourth byte: 16 codes -> 12 bytes (the 4 bytes stored beyond are rewritten by the next step or the tail).
            Vector128<byte> compact = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0xFF, 0xFF, 0xFF, 0xFF);
            ref byte src = ref MemoryMarshal.GetReference(codes);
            ref byte dst = ref MemoryMarshal.GetReference(packed);
            for (; i + 16 <= codes.Length && j + 16 <= packed.Length; i += 16, j += 12)
            {
                Vector128<uint> v = Vector128.LoadUnsafe(ref src, (nuint)i).AsUInt32();
                Vector128<uint> group = (v & Vector128.Create(0x3Fu))
                    | (Vector128.ShiftRightLogical(v, 2) & Vector128.Create(0xFC0u))
                    | (Vector128.ShiftRightLogical(v, 4) & Vector128.Create(0x3F000u))
                    | (Vector128.ShiftRightLogical(v, 6) & Vector128.Create(0xFC0000u));
                Vector128.Shuffle(group.AsByte(), compact).StoreUnsafe(ref dst, (nuint)j);
            }
        }

        for (; i + 4 <= codes.Length; i += 4, j += 3)
        {
            uint group = (codes[i] & 0x3Fu) | ((codes[i + 1] & 0x3Fu) << 6) | ((codes[i + 2] & 0x3Fu) << 12) | ((codes[i + 3] & 0x3Fu) << 18);
            packed[j] = (byte)group;
            packed[j + 1] = (byte)(group >> 8);
            packed[j + 2] = (byte)(group >> 16);
        }

        if (i < codes.Length)
        {
            uint group = 0;
            for (int k = 0; i + k < codes.Length; k++)
            {
                group |= (codes[i + k] & 0x3Fu) << (6 * k);
            }

            for (; j < packed.Length; j++, group >>= 8)
            {
                packed[j] = (byte)group;
            }
        }
    }

    /// <summary>Unpacks four 6-bit codes per three bytes (little-endian bit stream); 16 codes per step with Vector128 (while a
    /// full 16-byte load fits), then a scalar tail.</summary>
    internal static void Unpack6(ReadOnlySpan<byte> packed, Span<byte> codes)
    {
        int i = 0, j = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // Spread each 3-byte group into a uint lane (the fourth byte zero: shuffle index 0xFF), then move code k of the group
            // from bits 6k .. 6k+5 to byte k.
            Vector128<byte> spread = Vector128.Create((byte)0, 1, 2, 0xFF, 3, 4, 5, 0xFF, 6, 7, 8, 0xFF, 9, 10, 11, 0xFF);
            ref byte src = ref MemoryMarshal.GetReference(packed);
            ref byte dst = ref MemoryMarshal.GetReference(codes);
            for (; i + 16 <= codes.Length && j + 16 <= packed.Length; i += 16, j += 12)
            {
                Vector128<uint> group = Vector128.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)j), spread).AsUInt32();
                Vector128<uint> v = (group & Vector128.Create(0x3Fu))
                    | (Vector128.ShiftLeft(group, 2) & Vector128.Create(0x3F00u))
                    | (Vector128.ShiftLeft(group, 4) & Vector128.Create(0x3F0000u))
                    | (Vector128.ShiftLeft(group, 6) & Vector128.Create(0x3F000000u));
                v.AsByte().StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i + 4 <= codes.Length; i += 4, j += 3)
        {
            uint group = packed[j] | ((uint)packed[j + 1] << 8) | ((uint)packed[j + 2] << 16);
            codes[i] = (byte)(group & 0x3F);
            codes[i + 1] = (byte)((group >> 6) & 0x3F);
            codes[i + 2] = (byte)((group >> 12) & 0x3F);
            codes[i + 3] = (byte)(group >> 18);
        }

        if (i < codes.Length)
        {
            uint group = 0;
            for (int k = 0; j + k < packed.Length; k++)
            {
                group |= (uint)packed[j + k] << (8 * k);
            }

            for (int k = 0; i + k < codes.Length; k++)
            {
                codes[i + k] = (byte)((group >> (6 * k)) & 0x3F);
            }
        }
    }
}
