// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>Scalar conversions of the in-block scales (exact; no table, no dependence on the runtime's Half conversion).</summary>
internal static unsafe class QuantizedScales
{
    /// <summary>IEEE binary16 bits to float (exact, including subnormals, ±Inf and NaN).</summary>
    /// <remarks>
    /// Normal halves (the scales of real weights) take integer operations only: the fields move up 13 bits and the exponent
    /// bias grows by 112. Zero and subnormal halves multiply by 2^112 (the only float operation, kept off the common path
    /// because a float subnormal operand costs a microcode assist).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HalfToSingle(ushort h) => BitConverter.UInt32BitsToSingle(HalfToSingleBits(h));

    /// <summary>The float bits of <see cref="HalfToSingle"/>, by integer operations only (no call, no float operation: it runs inside the dot-product loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint HalfToSingleBits(uint h)
    {
        uint sign = (h & 0x8000) << 16;
        uint magnitude = h & 0x7FFF;
        uint bits;
        if (magnitude - 0x0400u < 0x7800u)
        {
            // Normal: fields up 13 bits, exponent bias 15 → 127.
            bits = (magnitude << 13) + 0x3800_0000u;
        }
        else if (magnitude >= 0x7C00)
        {
            bits = 0x7F80_0000u | ((magnitude & 0x3FF) << 13);
        }
        else if (magnitude == 0)
        {
            bits = 0;
        }
        else
        {
            // Subnormal m·2^-24 with its top bit at position t: exponent t − 24 + 127, the bits below t as the fraction.
            int t = 31 - System.Numerics.BitOperations.LeadingZeroCount(magnitude);
            bits = ((uint)(t + 103) << 23) | ((magnitude << (23 - t)) & 0x7F_FFFFu);
        }

        return bits | sign;
    }

    /// <summary>
    /// Binary16 scales at the start of each block (Q8_0, Q4_0), converted one by one with integer operations (both paths:
    /// collecting 16 strided halves for a vector conversion cost as much as the dot products, through store-to-load forwarding stalls).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void HalfScales(byte* rowStart, int blockBytes, int first, int count, float* scales, int* offsets, bool vector)
    {
        byte* p = rowStart + ((nint)first * blockBytes);
        for (int i = 0; i < count; i++, p += blockBytes)
        {
            scales[i] = HalfToSingle(Unsafe.ReadUnaligned<ushort>(p));
            offsets[i] = 0;
        }
    }

    /// <summary>
    /// <see cref="HalfScales"/> for the AVX-512 path: the binary16 scales of a row's blocks gathered 8 at a time and converted
    /// exactly (normal, infinite and NaN halves by moving the fields; zero and subnormal ones as integer · 2^-24), the same
    /// floats as <see cref="HalfToSingleBits"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void HalfScales512(byte* rowStart, int blockBytes, int blocks, float* scales)
    {
        Vector256<int> index = Vector256.CreateSequence(0, blockBytes);
        int b = 0;
        for (; b + 8 <= blocks; b += 8)
        {
            // Each gathered dword starts at a block, so its low half is the scale (the 2 bytes after it are block data).
            Vector256<int> h = Avx2.GatherVector256((int*)(rowStart + ((nint)b * blockBytes)), index, 1);
            Vector256<int> magnitude = h & Vector256.Create(0x7FFF);
            Vector256<int> normal = Vector256.ShiftLeft(magnitude, 13) + Vector256.Create(0x3800_0000);
            Vector256<int> special = normal + Vector256.Create(0x3800_0000); // Inf and NaN: exponent field all ones, payload kept
            Vector256<int> small = (Vector256.ConvertToSingle(magnitude) * Vector256.Create(5.9604645E-08f)).AsInt32(); // m·2^-24, exact
            Vector256<int> bits = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(0x0400)), small, normal);
            bits = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(0x7C00)), special, bits);
            bits |= Vector256.ShiftLeft(h & Vector256.Create(0x8000), 16);
            bits.AsSingle().Store(scales + b);
        }

        for (; b < blocks; b++)
        {
            scales[b] = HalfToSingle(Unsafe.ReadUnaligned<ushort>(rowStart + ((nint)b * blockBytes)));
        }
    }

    /// <summary><see cref="E8M0Scales"/> for the AVX-512 path, 8 at a time (the same floats as <see cref="E8M0HalfBits"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void E8M0Scales512(byte* rowStart, int blockBytes, int blocks, float* scales)
    {
        Vector256<int> index = Vector256.CreateSequence(0, blockBytes);
        int b = 0;
        for (; b + 8 <= blocks; b += 8)
        {
            // 4 bytes from each block start (the scale byte and 3 bytes of its codes; every MXFP4 block has 17 bytes).
            Vector256<int> e = Avx2.GatherVector256((int*)(rowStart + ((nint)b * blockBytes)), index, 1) & Vector256.Create(0xFF);
            Vector256<int> small = Avx2.ShiftLeftLogicalVariable(Vector256.Create(0x0020_0000), (e & Vector256.Create(1)).AsUInt32());
            Vector256<int> bits = Vector256.ConditionalSelect(Vector256.LessThan(e, Vector256.Create(2)), small, Vector256.ShiftLeft(e - Vector256.Create(1), 23));
            bits.AsSingle().Store(scales + b);
        }

        for (; b < blocks; b++)
        {
            scales[b] = E8M0Half(rowStart[(nint)b * blockBytes]);
        }
    }

    /// <summary>E8M0 exponents at the start of each block (MXFP4), halved as ggml does, one by one with integer operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void E8M0Scales(byte* rowStart, int blockBytes, int first, int count, float* scales, int* offsets, bool vector)
    {
        byte* p = rowStart + ((nint)first * blockBytes);
        for (int i = 0; i < count; i++, p += blockBytes)
        {
            scales[i] = E8M0Half(*p);
            offsets[i] = 0;
        }
    }

    /// <summary>ggml's <c>GGML_E8M0_TO_FP32_HALF</c>: 2^(e − 128) (half of the E8M0 scale, to match the doubled E2M1 table).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float E8M0Half(byte e) => BitConverter.UInt32BitsToSingle(E8M0HalfBits(e));

    /// <summary>The float bits of <see cref="E8M0Half"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint E8M0HalfBits(uint e) => e < 2 ? 0x0020_0000u << (int)e : (e - 1) << 23;
}

/// <summary>ggml Q8_0: 2-byte binary16 scale d, 32 signed bytes; weight = d·q.</summary>
internal readonly unsafe struct Q8_0Block : IQuantizedBlock
{
    public static bool UsesOffsets => false;

    public static int BlockBytes => 34;

    public static bool InBlockScale => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ScaleBits(byte* block) => QuantizedScales.HalfToSingleBits(Unsafe.ReadUnaligned<ushort>(block));

    public static bool PermutesActivations => false;

    public static void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector) =>
        QuantizedScales.HalfScales(rowStart, BlockBytes, first, count, scales, offsets, vector);

    public static void ScaleRow512(byte* rowStart, int blocks, float* scales) => QuantizedScales.HalfScales512(rowStart, BlockBytes, blocks, scales);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        lo = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)block + 2)));
        hi = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)block + 18)));
    }

    public static float DecodeScalar(byte* block, int offset, int lane) => ((sbyte*)block)[2 + lane];
}

/// <summary>ggml Q4_0: 2-byte binary16 scale d, 16 bytes of nibbles (element j low, j + 16 high); weight = d·(nibble − 8).</summary>
internal readonly unsafe struct Q4_0Block : IQuantizedBlock
{
    public static bool UsesOffsets => false;

    public static int BlockBytes => 18;

    public static bool InBlockScale => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ScaleBits(byte* block) => QuantizedScales.HalfToSingleBits(Unsafe.ReadUnaligned<ushort>(block));

    public static bool PermutesActivations => false;

    public static void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector) =>
        QuantizedScales.HalfScales(rowStart, BlockBytes, first, count, scales, offsets, vector);

    public static void ScaleRow512(byte* rowStart, int blocks, float* scales) => QuantizedScales.HalfScales512(rowStart, BlockBytes, blocks, scales);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        // vpermps reads only the low 4 bits of each index: a 16-entry table lookup of nibble − 8.
        Vector512<float> table = Vector512.Create(-8f, -7f, -6f, -5f, -4f, -3f, -2f, -1f, 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        Vector512<int> x = Avx512F.ConvertToVector512Int32(Vector128.Load(block + 2));
        lo = Avx512F.PermuteVar16x32(table, x);
        hi = Avx512F.PermuteVar16x32(table, Vector512.ShiftRightLogical(x, 4));
    }

    public static float DecodeScalar(byte* block, int offset, int lane) =>
        lane < 16 ? (block[2 + lane] & 15) - 8 : (block[2 + lane - 16] >> 4) - 8;
}

/// <summary>ggml MXFP4: 1-byte E8M0 exponent, 16 bytes of E2M1 nibbles (element j low, j + 16 high); weight = 2^(e−128)·kvalues[code].</summary>
internal readonly unsafe struct Mxfp4Block : IQuantizedBlock
{
    public static bool UsesOffsets => false;

    public static int BlockBytes => 17;

    public static bool InBlockScale => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ScaleBits(byte* block) => QuantizedScales.E8M0HalfBits(*block);

    public static bool PermutesActivations => false;

    /// <summary>ggml's <c>kvalues_mxfp4</c>: twice the E2M1 values.</summary>
    private static ReadOnlySpan<float> Table => [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

    public static void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector) =>
        QuantizedScales.E8M0Scales(rowStart, BlockBytes, first, count, scales, offsets, vector);

    public static void ScaleRow512(byte* rowStart, int blocks, float* scales) => QuantizedScales.E8M0Scales512(rowStart, BlockBytes, blocks, scales);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi)
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
    public static bool UsesOffsets => false;

    public static int BlockBytes => 32;

    public static bool InBlockScale => false;

    public static uint ScaleBits(byte* block) => throw new NotSupportedException();

    public static void ScaleRow512(byte* rowStart, int blocks, float* scales) => throw new NotSupportedException();

    public static bool PermutesActivations => false;

    public static void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector)
    {
        for (int i = 0; i < count; i++)
        {
            scales[i] = weights.Scales[weights.Group(row, first + i)];
            offsets[i] = 0;
        }
    }

    /// <summary>2^56: the AVX-512 path multiplies the activations by it (see <see cref="Decode512"/>).</summary>
    public const float ActivationScale = 72057594037927936f;

    /// <summary>The activations the AVX-512 path can take: |a| below 2^72 (so a·2^56 is finite and exact), or infinite or NaN.</summary>
    public const float ActivationLimit = 4.7223665E+21f;

    /// <summary>
    /// Decodes q·2^-56 (not q): the activations of this path are multiplied by 2^56 beforehand, so every product q·a is the
    /// same exact real number and the results keep their bits. NaN codes are not decoded here (they give ±480·2^-56): the
    /// driver detects them and recomputes those rows with the scalar reference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        lo = Decode16(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)block)));
        hi = Decode16(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)block + 16)));
    }

    /// <summary>q·2^-56 of 16 sign-extended codes, always a normal float (no float subnormal, which would cost a microcode assist).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Decode16(Vector512<int> x)
    {
        // The sign lands in bit 31 and the 7 exponent and mantissa bits in bits 26-20; OR-ing in 0x2000_0000 puts 64 on the
        // exponent, so a normal code reads 2^(e − 63)·(1 + m/8) = q·2^-56 (one vpternlogd: (s & 0x87F0_0000) | 0x2000_0000).
        Vector512<int> s = Vector512.ShiftLeft(x, 20);
        Vector512<float> v = Avx512F.TernaryLogic(s, Vector512.Create(unchecked((int)0x87F0_0000)), Vector512.Create(0x2000_0000), 0xEA).AsSingle();

        // Subnormal codes (exponent 0) read ±2^-63·(1 + m/8); their value m·2^-9·2^-56 = 2·that ∓ 2^-62 (exact).
        // The addend −2^-62 with the code's sign flipped in: (s & 0x8000_0000) ^ bits(−2^-62), one vpternlogd.
        Vector512<float> addend = Avx512F.TernaryLogic(s, Vector512.Create(unchecked((int)0x8000_0000)), Vector512.Create(unchecked((int)0xA080_0000)), 0x6A).AsSingle();
        Vector512<float> subnormal = Vector512.FusedMultiplyAdd(v, Vector512.Create(2f), addend);
        return Vector512.ConditionalSelect(Vector512.Equals(x & Vector512.Create(0x78), Vector512<int>.Zero).AsSingle(), subnormal, v);
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
    public static bool UsesOffsets => true;

    public static int BlockBytes => 16;

    public static bool InBlockScale => false;

    public static uint ScaleBits(byte* block) => throw new NotSupportedException();

    public static void ScaleRow512(byte* rowStart, int blocks, float* scales) => throw new NotSupportedException();

    public static bool PermutesActivations => true;

    public static void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector)
    {
        for (int i = 0; i < count; i++)
        {
            int g = weights.Group(row, first + i);

            // Bits 0-7: z + 16 (z is in [-8, 15]); bit 8: two's-complement codes.
            offsets[i] = (weights.ZeroPoints[g] + 16) | (weights.Signed ? 0x100 : 0);
            scales[i] = weights.Scales[g];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        // The code of each nibble by table lookup (vpermps reads the low 4 bits of each index), minus the zero point (exact).
        int o = *offset;
        Vector512<float> table = (o & 0x100) != 0
            ? Vector512.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, -8f, -7f, -6f, -5f, -4f, -3f, -2f, -1f)
            : Vector512.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f);
        // The zero point is subtracted from the table (exact small integers), so both halves take one lookup each.
        table -= Vector512.Create((float)((o & 0xFF) - 16));
        Vector512<int> x = Avx512F.ConvertToVector512Int32(Vector128.Load(block));
        lo = Avx512F.PermuteVar16x32(table, x);
        hi = Avx512F.PermuteVar16x32(table, Vector512.ShiftRightLogical(x, 4));
    }

    public static float DecodeScalar(byte* block, int offset, int lane)
    {
        int nibble = lane < 16 ? block[lane] & 15 : block[lane - 16] >> 4;
        int code = (offset & 0x100) != 0 ? (nibble ^ 8) - 8 : nibble;
        return code - ((offset & 0xFF) - 16);
    }
}
