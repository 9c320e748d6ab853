// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

/// <summary>
/// Every binary16 and E8M0 scale converted once (by <see cref="QuantizedScales"/>, so the same floats): the AVX-512 loop takes a
/// block's scale as an embedded broadcast from its table entry, with no conversion work in the loop.
/// </summary>
internal static unsafe class QuantizedScaleTables
{
    private static readonly float[] s_half = Build(65536, h => QuantizedScales.HalfToSingle((ushort)h));
    private static readonly float[] s_e8m0 = Build(256, e => QuantizedScales.E8M0Half((byte)e));

    /// <summary>The float of each binary16 pattern (pinned).</summary>
    public static float* Half => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s_half));

    /// <summary><see cref="QuantizedScales.E8M0Half"/> of each byte (pinned).</summary>
    public static float* E8M0 => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s_e8m0));

    private static float[] Build(int count, Func<int, float> convert)
    {
        float[] table = GC.AllocateUninitializedArray<float>(count, pinned: true);
        for (int i = 0; i < count; i++)
        {
            table[i] = convert(i);
        }

        return table;
    }
}

/// <summary>ggml Q8_0: 2-byte binary16 scale d, 32 signed bytes; weight = d·q.</summary>
internal readonly unsafe struct Q8_0Block : IQuantizedBlock
{
    public static bool UsesOffsets => false;

    public static int BlockBytes => 34;

    public static bool InBlockScale => true;

    public static float* ScaleTable => QuantizedScaleTables.Half;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint ScaleIndex(byte* block) => Unsafe.ReadUnaligned<ushort>(block);

    public static bool PermutesActivations => false;

    public static void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector) =>
        QuantizedScales.HalfScales(rowStart, BlockBytes, first, count, scales, offsets, vector);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        lo = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)block + 2)));
        hi = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)block + 18)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* block, int half, out Vector256<float> lo, out Vector256<float> hi)
    {
        sbyte* q = (sbyte*)block + 2 + (8 * half);
        lo = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q));
        hi = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q + 16));
    }

    public static float DecodeScalar(byte* block, int offset, int lane) => ((sbyte*)block)[2 + lane];
}

/// <summary>ggml Q4_0: 2-byte binary16 scale d, 16 bytes of nibbles (element j low, j + 16 high); weight = d·(nibble − 8).</summary>
internal readonly unsafe struct Q4_0Block : IQuantizedBlock
{
    public static bool UsesOffsets => false;

    public static int BlockBytes => 18;

    public static bool InBlockScale => true;

    public static float* ScaleTable => QuantizedScaleTables.Half;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint ScaleIndex(byte* block) => Unsafe.ReadUnaligned<ushort>(block);

    public static bool PermutesActivations => false;

    public static void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector) =>
        QuantizedScales.HalfScales(rowStart, BlockBytes, first, count, scales, offsets, vector);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        // vpermps reads only the low 4 bits of each index: a 16-entry table lookup of nibble − 8.
        Vector512<float> table = Vector512.Create(-8f, -7f, -6f, -5f, -4f, -3f, -2f, -1f, 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        Vector512<int> x = Avx512F.ConvertToVector512Int32(Vector128.Load(block + 2));
        lo = Avx512F.PermuteVar16x32(table, x);
        hi = Avx512F.PermuteVar16x32(table, Vector512.ShiftRightLogical(x, 4));
    }

    /// <summary>Nibble − 8 as integers (bytes zero-extended to 32 bits, masked or shifted), then converted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* block, int half, out Vector256<float> lo, out Vector256<float> hi)
    {
        Vector256<int> x = Avx2.ConvertToVector256Int32(block + 2 + (8 * half));
        lo = Avx.ConvertToVector256Single((x & Vector256.Create(15)) - Vector256.Create(8));
        hi = Avx.ConvertToVector256Single(Vector256.ShiftRightLogical(x, 4) - Vector256.Create(8));
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

    public static float* ScaleTable => QuantizedScaleTables.E8M0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint ScaleIndex(byte* block) => *block;

    public static bool PermutesActivations => false;

    /// <summary>ggml's <c>kvalues_mxfp4</c>: twice the E2M1 values.</summary>
    private static ReadOnlySpan<float> Table => [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

    public static void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector) =>
        QuantizedScales.E8M0Scales(rowStart, BlockBytes, first, count, scales, offsets, vector);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi)
    {
        Vector512<float> table = Vector512.Create(Table);
        Vector512<int> x = Avx512F.ConvertToVector512Int32(Vector128.Load(block + 1));
        lo = Avx512F.PermuteVar16x32(table, x); // vpermps reads only the low 4 bits of each index
        hi = Avx512F.PermuteVar16x32(table, Vector512.ShiftRightLogical(x, 4));
    }

    /// <summary>
    /// The 8 bytes of the half and their high nibbles side by side in one 128-bit register, masked to nibbles, looked up in a
    /// 16-byte table of kvalues (<c>vpshufb</c>), sign-extended to 32 bits (<c>vpmovsxbd</c>) and converted: the same exact
    /// integers as <see cref="Table"/> (code 8 gives +0, as the table does).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* block, int half, out Vector256<float> lo, out Vector256<float> hi)
    {
        Vector128<ulong> v = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(block + 1 + (8 * half)));
        Vector128<byte> both = Sse2.UnpackLow(v, Sse2.ShiftRightLogical(v.AsUInt16(), 4).AsUInt64()).AsByte() & Vector128.Create((byte)15);
        Vector128<sbyte> values = Ssse3.Shuffle(Vector128.Create((sbyte)0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12), both.AsSByte());
        lo = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(values));
        hi = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(values, 8)));
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

    public static float* ScaleTable => throw new NotSupportedException();

    public static nint ScaleIndex(byte* block) => throw new NotSupportedException();

    public static bool PermutesActivations => false;

    public static void Scales(in QuantizedWeights weights, byte* rowStart, int row, int first, int count, float* scales, int* offsets, bool vector)
    {
        for (int i = 0; i < count; i++)
        {
            scales[i] = weights.Scales[weights.Group(row, first + i)];
            offsets[i] = 0;
        }
    }

    /// <summary>
    /// Byte 3 (sign and top 7 exponent bits) and byte 2 (last exponent bit, top 7 fraction bits) of the float of each
    /// magnitude code 0-127 (0x7F: float.NaN); bytes 0-1 are zero for every E4M3FN value.
    /// </summary>
    private static readonly byte[] s_high = MakeTable(3), s_low = MakeTable(2);

    private static byte[] MakeTable(int b)
    {
        byte[] table = new byte[128];
        for (int code = 0; code < 128; code++)
        {
            table[code] = (byte)(BitConverter.SingleToUInt32Bits(Value(code)) >> (8 * b));
        }

        return table;
    }

    /// <summary>The value of a code (float.NaN for S.1111.111), exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Value(int code)
    {
        int magnitude = code & 0x7F;
        if (magnitude == 0x7F)
        {
            return float.NaN;
        }

        float value = BitConverter.Int32BitsToSingle(magnitude << 20) * 1.329228e36f;
        return (code & 0x80) != 0 ? -value : value;
    }

    /// <summary>A half of a 128-entry byte table, for <see cref="Decode64"/> (returned by value so the caller keeps it in a register).</summary>
    /// <param name="high">The sign-and-exponent byte table, else the low byte table.</param>
    /// <param name="upper">Entries 64-127, else 0-63.</param>
    public static Vector512<byte> Table(bool high, bool upper) => Vector512.Create((high ? s_high : s_low).AsSpan(upper ? 64 : 0, 64));

    /// <summary>
    /// Decodes 64 codes to their exact floats (NaN codes to float.NaN) with two 128-entry byte lookups (vpermi2b reads the
    /// low 7 bits of each code), the sign OR-ed into the top byte, one round of byte unpacking into bfloat16 pairs, and a
    /// shift or a mask per pair (no more shuffles). Vector t, lane 4L + d holds code 16L + 8·(t / 2) + 2d + (t % 2), which
    /// the reordered activations meet.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode64(Vector512<byte> codes, Vector512<byte> high0, Vector512<byte> high1, Vector512<byte> low0, Vector512<byte> low1,
        out Vector512<float> f0, out Vector512<float> f1, out Vector512<float> f2, out Vector512<float> f3)
    {
        Vector512<byte> high = Avx512Vbmi.PermuteVar64x8x2(high0, codes, high1) | (codes & Vector512.Create((byte)0x80));
        Vector512<byte> low = Avx512Vbmi.PermuteVar64x8x2(low0, codes, low1);

        // Each dword of an unpack holds two bfloat16 values: the even code in its low half, the odd one in its high half.
        Vector512<uint> w0 = Avx512BW.UnpackLow(low, high).AsUInt32(), w1 = Avx512BW.UnpackHigh(low, high).AsUInt32();
        f0 = Vector512.ShiftLeft(w0, 16).AsSingle();
        f1 = (w0 & Vector512.Create(0xFFFF_0000u)).AsSingle();
        f2 = Vector512.ShiftLeft(w1, 16).AsSingle();
        f3 = (w1 & Vector512.Create(0xFFFF_0000u)).AsSingle();
    }

    /// <summary>Not used: E4M3FN has its own chunked path (<see cref="Decode64"/>).</summary>
    public static void Decode512(byte* block, int* offset, out Vector512<float> lo, out Vector512<float> hi) => throw new NotSupportedException();

    /// <summary>Not used: E4M3FN has its own path (<see cref="QuantizedDriver.DecodeE4M3FN256"/>).</summary>
    public static void Decode256(byte* block, int half, out Vector256<float> lo, out Vector256<float> hi) => throw new NotSupportedException();

    public static float DecodeScalar(byte* block, int offset, int lane) => Value(block[lane]);
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

    public static float* ScaleTable => throw new NotSupportedException();

    public static nint ScaleIndex(byte* block) => throw new NotSupportedException();

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

    /// <summary>Not used: INT4 has its own path with per-group offsets (<see cref="QuantizedDriver.INibbleSign"/>).</summary>
    public static void Decode256(byte* block, int half, out Vector256<float> lo, out Vector256<float> hi) => throw new NotSupportedException();

    public static float DecodeScalar(byte* block, int offset, int lane)
    {
        int nibble = lane < 16 ? block[lane] & 15 : block[lane - 16] >> 4;
        int code = (offset & 0x100) != 0 ? (nibble ^ 8) - 8 : nibble;
        return code - ((offset & 0xFF) - 16);
    }
}
