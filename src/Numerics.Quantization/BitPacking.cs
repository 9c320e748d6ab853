// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>
/// Little-endian bit-stream packing of n-bit codes: code k occupies bits n·k … n·k + n − 1 (LSB first). For 4 bits this is
/// code 2i in the low nibble and 2i+1 in the high nibble; for 2 bits, four codes per byte starting at bit 0.
/// </summary>
internal static class BitPacking
{
    public static int PackedBytes(int bits, int count) => (int)((((long)count * bits) + 7) / 8);

    public static void Pack(int bits, ReadOnlySpan<byte> codes, Span<byte> packed)
    {
        if (bits == 8)
        {
            codes.CopyTo(packed);
            return;
        }

        packed[..PackedBytes(bits, codes.Length)].Clear();
        for (int i = 0; i < codes.Length; i++)
        {
            long bit = (long)i * bits; // i · bits overflows an int from 2^31 / bits codes on
            int shift = (int)(bit & 7);
            int index = (int)(bit >> 3);
            int value = codes[i] << shift;
            packed[index] |= (byte)value;
            if (shift + bits > 8)
            {
                packed[index + 1] |= (byte)(value >> 8);
            }
        }
    }

    public static void Unpack(int bits, ReadOnlySpan<byte> packed, Span<byte> codes)
    {
        if (bits == 8)
        {
            packed[..codes.Length].CopyTo(codes);
            return;
        }

        int mask = (1 << bits) - 1;
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (byte)Get(bits, mask, packed, i);
        }
    }

    public static int Get(int bits, int mask, ReadOnlySpan<byte> packed, int i)
    {
        long bit = (long)i * bits; // i · bits overflows an int from 2^31 / bits codes on (2^28 INT8 codes)
        int shift = (int)(bit & 7);
        int index = (int)(bit >> 3);
        int word = packed[index];
        if (shift + bits > 8)
        {
            word |= packed[index + 1] << 8;
        }

        return (word >> shift) & mask;
    }
}
