// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization;

/// <content>Packed element storage for MX codes.</content>
/// <remarks>
/// OCP MX does not prescribe element packing. This SDK uses the ONNX / PyTorch conventions: FP8 and INT8 one code per byte;
/// FP4 two codes per byte, code 2i in the low nibble (bits 3..0) and code 2i+1 in the high nibble (bits 7..4), like
/// <c>torch.float4_e2m1fn_x2</c> and ONNX FLOAT4E2M1; FP6 four codes in three bytes as a little-endian bit stream, code k
/// at bits 6k..6k+5 (ONNX FLOAT6). Unused trailing bits are zero. This is not ggml's nibble order
/// (<see cref="GgmlType.MXFP4"/> pairs element j with j+16).
/// </remarks>
public static partial class Mx
{
    /// <summary>Bytes needed to pack <paramref name="count"/> codes of <paramref name="element"/>: n, ceil(n·6/8) or ceil(n/2).</summary>
    /// <param name="element">The element format.</param>
    /// <param name="count">Number of codes.</param>
    /// <returns>The packed size in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="element"/> is undefined or <paramref name="count"/> is negative.</exception>
    public static int PackedCodeBytes(MxElement element, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int bits = ElementBits(element);
        return (int)(((long)count * bits + 7) / 8);
    }

    /// <summary>Packs unpacked element codes (one per byte, low bits) into the packed layout described in the remarks.</summary>
    /// <param name="element">The element format.</param>
    /// <param name="codes">The codes; each must fit in the element width.</param>
    /// <param name="packed">Receives <see cref="PackedCodeBytes"/> bytes. Must not overlap <paramref name="codes"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="element"/> is undefined.</exception>
    /// <exception cref="ArgumentException"><paramref name="packed"/> is too short or overlaps, or a code does not fit (the message names the index).</exception>
    public static void PackCodes(MxElement element, ReadOnlySpan<byte> codes, Span<byte> packed)
    {
        int bits = ElementBits(element);
        int bytes = PackedCodeBytes(element, codes.Length);
        if (packed.Length < bytes)
        {
            throw new ArgumentException($"{codes.Length} codes need {bytes} packed bytes; the span has {packed.Length}.", nameof(packed));
        }

        if (packed[..bytes].Overlaps(codes) && bits != 8)
        {
            throw new ArgumentException("The packed output overlaps the codes.", nameof(packed));
        }

        for (int i = 0; i < codes.Length; i++)
        {
            if (codes[i] >> bits != 0)
            {
                throw new ArgumentException($"codes[{i}] = 0x{codes[i]:X2} does not fit in {bits} bits.", nameof(codes));
            }
        }

        PackCore(bits, codes, packed[..bytes]);
    }

    /// <summary>Unpacks <paramref name="codes"/>.Length codes from the packed layout described in the remarks.</summary>
    /// <param name="element">The element format.</param>
    /// <param name="packed">The packed codes: at least <see cref="PackedCodeBytes"/>(element, codes.Length) bytes.</param>
    /// <param name="codes">Receives one code per byte. Must not overlap <paramref name="packed"/> (except for FP8/INT8, where it may alias it exactly).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="element"/> is undefined.</exception>
    /// <exception cref="ArgumentException"><paramref name="packed"/> is too short or the spans overlap.</exception>
    public static void UnpackCodes(MxElement element, ReadOnlySpan<byte> packed, Span<byte> codes)
    {
        int bits = ElementBits(element);
        int bytes = PackedCodeBytes(element, codes.Length);
        if (packed.Length < bytes)
        {
            throw new ArgumentException($"{codes.Length} codes need {bytes} packed bytes; the span has {packed.Length}.", nameof(packed));
        }

        if (packed[..bytes].Overlaps(codes, out int offset) && !(bits == 8 && offset == 0))
        {
            throw new ArgumentException("The codes overlap the packed input.", nameof(codes));
        }

        UnpackCore(bits, packed, codes);
    }

    /// <summary>
    /// <see cref="Quantize"/> followed by <see cref="PackCodes"/>, without an intermediate buffer.
    /// </summary>
    /// <param name="element">The element format.</param>
    /// <param name="source">The values.</param>
    /// <param name="scales">Receives <see cref="ScaleCount"/> E8M0 scale codes.</param>
    /// <param name="packedCodes">Receives <see cref="PackedCodeBytes"/>(element, source.Length) bytes.</param>
    /// <param name="scaleRounding">How the shared scale is chosen.</param>
    /// <param name="elementRounding">A deterministic rounding mode for the elements.</param>
    /// <exception cref="ArgumentOutOfRangeException">An enum argument is undefined.</exception>
    /// <exception cref="ArgumentException">An output is too short or overlaps, or <paramref name="elementRounding"/> is stochastic.</exception>
    public static void QuantizePacked(
        MxElement element,
        ReadOnlySpan<float> source,
        Span<byte> scales,
        Span<byte> packedCodes,
        MxScaleRounding scaleRounding = MxScaleRounding.Floor,
        RoundingMode elementRounding = RoundingMode.NearestEven)
    {
        int bits = ElementBits(element);

        // The per-block Quantize below checks these too, but an empty source has no block.
        if ((uint)scaleRounding > (uint)MxScaleRounding.Ceil)
        {
            throw new ArgumentOutOfRangeException(nameof(scaleRounding), scaleRounding, "Unknown scale rounding.");
        }

        if ((uint)elementRounding > (uint)RoundingMode.StochasticUniform)
        {
            throw new ArgumentOutOfRangeException(nameof(elementRounding), elementRounding, "Unknown rounding mode.");
        }

        if (elementRounding is RoundingMode.Stochastic or RoundingMode.StochasticUniform)
        {
            throw new ArgumentException("Stochastic element rounding needs a seed: use Mx.QuantizeStochastic and Mx.PackCodes.", nameof(elementRounding));
        }

        int bytes = PackedCodeBytes(element, source.Length);
        if (packedCodes.Length < bytes)
        {
            throw new ArgumentException($"{source.Length} values need {bytes} packed bytes; the span has {packedCodes.Length}.", nameof(packedCodes));
        }

        ReadOnlySpan<byte> sourceBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(source);
        if (sourceBytes.Overlaps(packedCodes[..bytes]) || scales.Overlaps(packedCodes[..bytes]))
        {
            throw new ArgumentException("The packed output overlaps another argument.", nameof(packedCodes));
        }

        if (scales.Length < ScaleCount(source.Length))
        {
            throw new ArgumentException($"{source.Length} values need {ScaleCount(source.Length)} scales; the span has {scales.Length}.", nameof(scales));
        }

        // Blocks of 32 codes pack into whole bytes for every element width (32·bits is a multiple of 8). Quantize validates
        // the enums and the remaining overlaps on the first block.
        Span<byte> blockCodes = stackalloc byte[BlockSize];
        for (int start = 0; start < source.Length; start += BlockSize)
        {
            int n = Math.Min(BlockSize, source.Length - start);
            Quantize(element, source.Slice(start, n), scales.Slice(start / BlockSize, 1), blockCodes, scaleRounding, elementRounding);
            PackCore(bits, blockCodes[..n], packedCodes.Slice(PackedBlockOffset(start, bits), ((n * bits) + 7) / 8));
        }
    }

    /// <summary><see cref="UnpackCodes"/> followed by <see cref="Dequantize"/>; the value count is <paramref name="destination"/>.Length.</summary>
    /// <param name="element">The element format.</param>
    /// <param name="scales">ceil(n / 32) E8M0 scale codes.</param>
    /// <param name="packedCodes">At least <see cref="PackedCodeBytes"/>(element, n) bytes.</param>
    /// <param name="destination">Receives the n values.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="element"/> is undefined.</exception>
    /// <exception cref="ArgumentException">An input is too short or overlaps the destination.</exception>
    public static void DequantizePacked(MxElement element, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> packedCodes, Span<float> destination)
    {
        int bits = ElementBits(element);
        int bytes = PackedCodeBytes(element, destination.Length);
        if (packedCodes.Length < bytes)
        {
            throw new ArgumentException($"{destination.Length} values need {bytes} packed bytes; the span has {packedCodes.Length}.", nameof(packedCodes));
        }

        if (scales.Length < ScaleCount(destination.Length))
        {
            throw new ArgumentException($"{destination.Length} values need {ScaleCount(destination.Length)} scales; got {scales.Length}.", nameof(scales));
        }

        Span<byte> destinationBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(destination);
        if (destinationBytes.Overlaps(packedCodes[..bytes]) || destinationBytes.Overlaps(scales))
        {
            throw new ArgumentException("The destination overlaps an input.", nameof(destination));
        }

        Span<byte> blockCodes = stackalloc byte[BlockSize];
        for (int start = 0; start < destination.Length; start += BlockSize)
        {
            int n = Math.Min(BlockSize, destination.Length - start);
            UnpackCore(bits, packedCodes.Slice(PackedBlockOffset(start, bits), ((n * bits) + 7) / 8), blockCodes[..n]);
            Dequantize(element, scales.Slice(start / BlockSize, 1), blockCodes[..n], destination.Slice(start, n));
        }
    }

    private static int ElementBits(MxElement element) => ElementFormat(element)?.BitCount ?? 8;

    /// <summary>
    /// The byte offset of the packed codes of the block that starts at value <paramref name="start"/> (a multiple of
    /// <see cref="BlockSize"/>): block index × 4·bits bytes. start·bits would overflow an int from 2^28 FP8/INT8 values on.
    /// </summary>
    internal static int PackedBlockOffset(int start, int bits) => start / BlockSize * (BlockSize / 8 * bits);

    private static void PackCore(int bits, ReadOnlySpan<byte> codes, Span<byte> packed) => BitPacking.Pack(bits, codes, packed);

    private static void UnpackCore(int bits, ReadOnlySpan<byte> packed, Span<byte> codes) => BitPacking.Unpack(bits, packed, codes);
}
