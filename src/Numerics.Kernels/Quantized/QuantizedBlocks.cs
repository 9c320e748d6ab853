// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>Scalar conversions of the in-block scales (exact; no table, no dependence on the runtime's Half conversion).</summary>
internal static class QuantizedScales
{
    /// <summary>IEEE binary16 bits to float (exact, including subnormals, ±Inf and NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HalfToSingle(ushort h)
    {
        uint sign = (uint)(h & 0x8000) << 16;
        uint magnitude = (uint)(h & 0x7FFF);
        if (magnitude >= 0x7C00)
        {
            return BitConverter.UInt32BitsToSingle(sign | 0x7F80_0000u | ((magnitude & 0x3FF) << 13));
        }

        // The half's exponent and fraction shifted into a float read as 2^-112 too small (subnormals become float subnormals).
        float value = BitConverter.UInt32BitsToSingle(magnitude << 13) * 5.192296858534828e33f; // 2^112
        return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(value) | sign);
    }

    /// <summary>ggml's <c>GGML_E8M0_TO_FP32_HALF</c>: 2^(e − 128) (half of the E8M0 scale, to match the doubled E2M1 table).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float E8M0Half(byte e) => BitConverter.UInt32BitsToSingle(e < 2 ? 0x0020_0000u << e : (uint)(e - 1) << 23);
}

/// <summary>ggml Q8_0: 2-byte binary16 scale d, 32 signed bytes; weight = d·q.</summary>
internal readonly unsafe struct Q8_0Block : IQuantizedBlock
{
    public static int BlockBytes => 34;

    public static bool PermutesActivations => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(in QuantizedWeights weights, byte* block, int row, int blockIndex, out int offset)
    {
        offset = 0;
        return QuantizedScales.HalfToSingle(Unsafe.ReadUnaligned<ushort>(block));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        lo = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)block + 2)));
        hi = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)block + 18)));
    }

    public static float DecodeScalar(byte* block, int offset, int lane) => ((sbyte*)block)[2 + lane];
}

/// <summary>ggml Q4_0: 2-byte binary16 scale d, 16 bytes of nibbles (element j low, j + 16 high); weight = d·(nibble − 8).</summary>
internal readonly unsafe struct Q4_0Block : IQuantizedBlock
{
    public static int BlockBytes => 18;

    public static bool PermutesActivations => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(in QuantizedWeights weights, byte* block, int row, int blockIndex, out int offset)
    {
        offset = 8;
        return QuantizedScales.HalfToSingle(Unsafe.ReadUnaligned<ushort>(block));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        Vector512<int> x = Avx512F.ConvertToVector512Int32(Vector128.Load(block + 2));
        Vector512<int> eight = Vector512.Create(8);
        lo = Avx512F.ConvertToVector512Single((x & Vector512.Create(15)) - eight);
        hi = Avx512F.ConvertToVector512Single(Vector512.ShiftRightLogical(x, 4) - eight);
    }

    public static float DecodeScalar(byte* block, int offset, int lane) =>
        lane < 16 ? (block[2 + lane] & 15) - 8 : (block[2 + lane - 16] >> 4) - 8;
}

/// <summary>ggml MXFP4: 1-byte E8M0 exponent, 16 bytes of E2M1 nibbles (element j low, j + 16 high); weight = 2^(e−128)·kvalues[code].</summary>
internal readonly unsafe struct Mxfp4Block : IQuantizedBlock
{
    public static int BlockBytes => 17;

    public static bool PermutesActivations => false;

    /// <summary>ggml's <c>kvalues_mxfp4</c>: twice the E2M1 values.</summary>
    private static ReadOnlySpan<float> Table => [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(in QuantizedWeights weights, byte* block, int row, int blockIndex, out int offset)
    {
        offset = 0;
        return QuantizedScales.E8M0Half(block[0]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        Vector512<float> table = Vector512.Create(Table);
        Vector512<int> x = Avx512F.ConvertToVector512Int32(Vector128.Load(block + 1));
        lo = Avx512F.PermuteVar16x32(table, x); // vpermps reads only the low 4 bits of each index
        hi = Avx512F.PermuteVar16x32(table, Vector512.ShiftRightLogical(x, 4));
    }

    public static float DecodeScalar(byte* block, int offset, int lane) =>
        Table[lane < 16 ? block[1 + lane] & 15 : block[1 + lane - 16] >> 4];
}

/// <summary>E4M3FN codes (one byte per weight, 32 per block, element j and j + 16 in the two groups) with external float scales per group.</summary>
internal readonly unsafe struct E4M3FNBlock : IQuantizedBlock
{
    public static int BlockBytes => 32;

    public static bool PermutesActivations => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(in QuantizedWeights weights, byte* block, int row, int blockIndex, out int offset)
    {
        offset = 0;
        return weights.Scales[weights.Group(row, blockIndex)];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        lo = Decode16(Avx512F.ConvertToVector512Int32(Vector128.Load(block)));
        hi = Decode16(Avx512F.ConvertToVector512Int32(Vector128.Load(block + 16)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Decode16(Vector512<int> x)
    {
        // Exponent and mantissa moved into a float's fields read 2^-120 too small, subnormal codes included; × 2^120 is exact.
        Vector512<int> magnitude = x & Vector512.Create(0x7F);
        Vector512<float> value = Vector512.ShiftLeft(magnitude, 20).AsSingle() * Vector512.Create(1.329228e36f); // 2^120
        value |= Vector512.ShiftLeft(x & Vector512.Create(0x80), 24).AsSingle();
        return Vector512.ConditionalSelect(Vector512.Equals(magnitude, Vector512.Create(0x7F)).AsSingle(), Vector512.Create(float.NaN), value);
    }

    public static float DecodeScalar(byte* block, int offset, int lane)
    {
        int code = block[lane];
        int magnitude = code & 0x7F;
        if (magnitude == 0x7F)
        {
            return float.NaN;
        }

        float value = BitConverter.Int32BitsToSingle(magnitude << 20) * 1.329228e36f;
        return (code & 0x80) != 0 ? -value : value;
    }
}

/// <summary>
/// INT4 codes of <see cref="Numerics.Quantization.QuantizedTensor"/> (element 2i in the low nibble, 2i + 1 in the high
/// nibble; two's complement when signed) with external per-group scales and zero points; weight = (code − z)·s.
/// The activations are reordered per block (evens, then odds) to meet the nibble order.
/// </summary>
internal readonly unsafe struct Int4Block : IQuantizedBlock
{
    public static int BlockBytes => 16;

    public static bool PermutesActivations => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(in QuantizedWeights weights, byte* block, int row, int blockIndex, out int offset)
    {
        int g = weights.Group(row, blockIndex);

        // Signed: code = (nibble XOR 8) − 8, so code − z = (nibble XOR 8) − (8 + z). The XOR is folded into offset's sign bit.
        offset = weights.Signed ? (8 + weights.ZeroPoints[g]) | int.MinValue : weights.ZeroPoints[g];
        return weights.Scales[g];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        Vector512<int> x = Avx512F.ConvertToVector512Int32(Vector128.Load(block));
        Vector512<int> flip = Vector512.Create(offset < 0 ? 8 : 0), sub = Vector512.Create(offset & int.MaxValue);
        lo = Avx512F.ConvertToVector512Single(((x & Vector512.Create(15)) ^ flip) - sub);
        hi = Avx512F.ConvertToVector512Single((Vector512.ShiftRightLogical(x, 4) ^ flip) - sub);
    }

    public static float DecodeScalar(byte* block, int offset, int lane)
    {
        int nibble = lane < 16 ? block[lane] & 15 : block[lane - 16] >> 4;
        return ((nibble ^ (offset < 0 ? 8 : 0)) - (offset & int.MaxValue));
    }
}
