// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Quantization;

/// <content>
/// Fast MX paths, bit-identical to the general ones (the tests compare them on every width): round-to-nearest-even quantization
/// of whole blocks through an <see cref="IMxElementCodec"/> operator struct (scale from the same <see cref="ScaleCode"/>, elements
/// v = x · 2^−shared in float32, which is exact except below 2^−126 where every element format rounds to ±0 anyway), and
/// table decoding (value = table[code] · 2^shared in float32: both factors are exact float32 values, so the one IEEE rounding
/// of the product equals rounding the exact double product once), with a vectorized body for E2M1. FP8/FP6 (E4M3, E5M2,
/// E3M2, E2M3) decode with AVX-512 word permutes where <see cref="Avx512BW"/> is supported: every element value is a
/// bfloat16, so its float32 is a 16-bit table word shifted left 16 (exact), and the product is the same float32 multiply.
/// Without AVX-512 they, and INT8 everywhere, use AVX2 gathers (8 codes per gather; slow on AMD); the scalar table
/// (<see cref="DequantizeTable"/>, the reference) does partial blocks and the rest.
/// </content>
public static partial class Mx
{
    private const int E2M1SignBit = 0x8;

    /// <summary>Decoded element values as float32 (exact), indexed by code, one table per <see cref="MxElement"/>.</summary>
    private static readonly float[][] DecodeTables = BuildDecodeTables();

    /// <summary>
    /// The high 16 bits (the bfloat16) of the FP8/FP6 table values, for <see cref="DequantizePermuteAvx512"/>: FP8 the 128
    /// magnitudes (codes 0x00-0x7F; the sign is code bit 7 and float bit 31), FP6 all 64 codes (sign included). Null for
    /// E2M1 and INT8, and for any table that this form would not reproduce bit for bit (see <see cref="BuildBfloat16Table"/>).
    /// </summary>
    private static readonly ushort[]?[] Bfloat16Tables = [.. DecodeTables.Select((t, e) => BuildBfloat16Table((MxElement)e, t))];

    /// <summary>Twice the E2M1 magnitudes by code (sign bit ignored): 0, 1, 2, 3, 4, 6, 8, 12.</summary>
    private static ReadOnlySpan<byte> E2M1DoubledMagnitudes => [0, 1, 2, 3, 4, 6, 8, 12, 0, 1, 2, 3, 4, 6, 8, 12];

    private static float[][] BuildDecodeTables()
    {
        var tables = new float[(int)MxElement.Int8 + 1][];
        for (int e = 0; e < tables.Length; e++)
        {
            Numerics.Formats.FloatFormat? format = ElementFormat((MxElement)e);
            int count = 1 << (format?.BitCount ?? 8);
            var table = new float[count];
            for (int c = 0; c < count; c++)
            {
                table[c] = format is null ? (sbyte)c / 64.0f : (float)format.Decode((ulong)c);
            }

            tables[e] = table;
        }

        return tables;
    }

    /// <summary>
    /// The bfloat16 words of <paramref name="table"/> if every value is table[c] = word[c] &lt;&lt; 16 exactly (FP8: also
    /// table[c | 0x80] = table[c] with bit 31 set, so the sign can be or-ed in), and code 0 is +0 (the permute path's
    /// unused low words index entry 0); else null, and that element keeps the gathers.
    /// </summary>
    private static ushort[]? BuildBfloat16Table(MxElement element, float[] table)
    {
        if (element is not (MxElement.E4M3 or MxElement.E5M2 or MxElement.E3M2 or MxElement.E2M3)
            || BitConverter.SingleToUInt32Bits(table[0]) != 0)
        {
            return null;
        }

        var words = new ushort[Math.Min(table.Length, 128)];
        for (int c = 0; c < table.Length; c++)
        {
            uint bits = BitConverter.SingleToUInt32Bits(table[c]);
            uint magnitude = BitConverter.SingleToUInt32Bits(table[c % words.Length]);
            uint expected = c < words.Length ? magnitude : magnitude | 0x8000_0000u;
            if ((bits & 0xFFFF) != 0 || bits != expected)
            {
                return null;
            }

            if (c < words.Length)
            {
                words[c] = (ushort)(bits >> 16);
            }
        }

        return words;
    }

    /// <summary>2^k as float32 for k in [−149, 127] (below −126 a subnormal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Pow2(int k) => BitConverter.UInt32BitsToSingle(k >= -126 ? (uint)(k + 127) << 23 : 0x0080_0000u >> (-126 - k));

    /// <summary>Whole blocks with round-to-nearest-even through the element's codec; returns the number of values done.</summary>
    internal static int QuantizeNearestEvenFast(MxElement element, ReadOnlySpan<float> x, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding)
    {
        int emax = ElementMaxExponent(element);
        float inverseMax = 1.0f / (float)ElementMax(element);
        int n = x.Length / BlockSize * BlockSize;
        ReadOnlySpan<float> xs = x[..n];
        switch (element)
        {
            case MxElement.E4M3: QuantizeFast<MxFloatCodec<MxE4M3>>(xs, scales, codes, scaleRounding, emax, inverseMax); break;
            case MxElement.E5M2: QuantizeFast<MxFloatCodec<MxE5M2>>(xs, scales, codes, scaleRounding, emax, inverseMax); break;
            case MxElement.E3M2: QuantizeFast<MxFloatCodec<MxE3M2>>(xs, scales, codes, scaleRounding, emax, inverseMax); break;
            case MxElement.E2M3: QuantizeFast<MxFloatCodec<MxE2M3>>(xs, scales, codes, scaleRounding, emax, inverseMax); break;
            case MxElement.E2M1: QuantizeFast<MxFloatCodec<MxE2M1>>(xs, scales, codes, scaleRounding, emax, inverseMax); break;
            default: QuantizeFast<MxInt8Codec>(xs, scales, codes, scaleRounding, emax, inverseMax); break;
        }

        return n;
    }

    /// <summary>Dispatches widest accelerated width first; <paramref name="x"/> holds whole blocks.</summary>
    internal static void QuantizeFast<TCodec>(ReadOnlySpan<float> x, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding, int emax, float inverseMax)
        where TCodec : struct, IMxElementCodec
    {
        if (Vector512.IsHardwareAccelerated)
        {
            QuantizeFast512<TCodec>(x, scales, codes, scaleRounding, emax, inverseMax);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            QuantizeFast256<TCodec>(x, scales, codes, scaleRounding, emax, inverseMax);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            QuantizeFast128<TCodec>(x, scales, codes, scaleRounding, emax, inverseMax);
        }
        else
        {
            QuantizeFastScalar<TCodec>(x, scales, codes, scaleRounding, emax, inverseMax);
        }
    }

    /// <summary>The block's scale code from its largest magnitude bits (0xFF for NaN/∞, 0 for an all-zero block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte BlockScale(uint amaxBits, MxScaleRounding scaleRounding, int emax, float inverseMax) =>
        amaxBits >= Float32ExponentMask ? NaNScale : amaxBits == 0 ? (byte)0 : ScaleCode(amaxBits, scaleRounding, emax, inverseMax);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint HorizontalMax(Vector128<uint> m)
    {
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2u, 3, 0, 1)));
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(1u, 0, 3, 2)));
        return m.ToScalar();
    }

    internal static void QuantizeFastScalar<TCodec>(ReadOnlySpan<float> x, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding, int emax, float inverseMax)
        where TCodec : struct, IMxElementCodec
    {
        int nb = x.Length / BlockSize;
        for (int b = 0; b < nb; b++)
        {
            ReadOnlySpan<float> xb = x.Slice(b * BlockSize, BlockSize);
            Span<byte> cb = codes.Slice(b * BlockSize, BlockSize);
            uint amaxBits = 0;
            foreach (float v in xb)
            {
                amaxBits = Math.Max(amaxBits, BitConverter.SingleToUInt32Bits(v) & Float32MagnitudeMask);
            }

            byte scale = BlockScale(amaxBits, scaleRounding, emax, inverseMax);
            scales[b] = scale;
            if (scale == NaNScale)
            {
                cb.Clear();
                continue;
            }

            float f = Pow2(E8M0Bias - scale);
            for (int i = 0; i < BlockSize; i++)
            {
                cb[i] = (byte)TCodec.Encode(xb[i] * f);
            }
        }
    }

    internal static void QuantizeFast128<TCodec>(ReadOnlySpan<float> x, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding, int emax, float inverseMax)
        where TCodec : struct, IMxElementCodec
    {
        int nb = x.Length / BlockSize;
        CheckFast(nb, scales.Length, codes.Length);
        ref float src = ref MemoryMarshal.GetReference(x);
        ref byte dst = ref MemoryMarshal.GetReference(codes);
        Vector128<uint> abs = Vector128.Create(Float32MagnitudeMask);
        for (int b = 0; b < nb; b++)
        {
            ref float xb = ref Unsafe.Add(ref src, (nint)b * BlockSize);
            ref byte cb = ref Unsafe.Add(ref dst, (nint)b * BlockSize);
            Vector128<uint> m = Vector128<uint>.Zero;
            for (nuint j = 0; j < BlockSize; j += 4)
            {
                m = Vector128.Max(m, Vector128.LoadUnsafe(ref xb, j).AsUInt32() & abs);
            }

            byte scale = BlockScale(HorizontalMax(m), scaleRounding, emax, inverseMax);
            scales[b] = scale;
            if (scale == NaNScale)
            {
                Vector256<byte>.Zero.StoreUnsafe(ref cb);
                continue;
            }

            Vector128<float> f = Vector128.Create(Pow2(E8M0Bias - scale));
            for (nuint j = 0; j < BlockSize; j += 16)
            {
                Vector128<uint> c0 = TCodec.Encode(Vector128.LoadUnsafe(ref xb, j) * f).AsUInt32();
                Vector128<uint> c1 = TCodec.Encode(Vector128.LoadUnsafe(ref xb, j + 4) * f).AsUInt32();
                Vector128<uint> c2 = TCodec.Encode(Vector128.LoadUnsafe(ref xb, j + 8) * f).AsUInt32();
                Vector128<uint> c3 = TCodec.Encode(Vector128.LoadUnsafe(ref xb, j + 12) * f).AsUInt32();
                Vector128.Narrow(Vector128.Narrow(c0, c1), Vector128.Narrow(c2, c3)).StoreUnsafe(ref cb, j);
            }
        }
    }

    internal static void QuantizeFast256<TCodec>(ReadOnlySpan<float> x, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding, int emax, float inverseMax)
        where TCodec : struct, IMxElementCodec
    {
        int nb = x.Length / BlockSize;
        CheckFast(nb, scales.Length, codes.Length);
        ref float src = ref MemoryMarshal.GetReference(x);
        ref byte dst = ref MemoryMarshal.GetReference(codes);
        Vector256<uint> abs = Vector256.Create(Float32MagnitudeMask);
        for (int b = 0; b < nb; b++)
        {
            ref float xb = ref Unsafe.Add(ref src, (nint)b * BlockSize);
            ref byte cb = ref Unsafe.Add(ref dst, (nint)b * BlockSize);
            Vector256<float> v0 = Vector256.LoadUnsafe(ref xb);
            Vector256<float> v1 = Vector256.LoadUnsafe(ref xb, 8);
            Vector256<float> v2 = Vector256.LoadUnsafe(ref xb, 16);
            Vector256<float> v3 = Vector256.LoadUnsafe(ref xb, 24);
            Vector256<uint> m = Vector256.Max(
                Vector256.Max(v0.AsUInt32() & abs, v1.AsUInt32() & abs),
                Vector256.Max(v2.AsUInt32() & abs, v3.AsUInt32() & abs));
            byte scale = BlockScale(HorizontalMax(Vector128.Max(m.GetLower(), m.GetUpper())), scaleRounding, emax, inverseMax);
            scales[b] = scale;
            if (scale == NaNScale)
            {
                Vector256<byte>.Zero.StoreUnsafe(ref cb);
                continue;
            }

            Vector256<float> f = Vector256.Create(Pow2(E8M0Bias - scale));
            Vector256<ushort> s0 = Vector256.Narrow(TCodec.Encode(v0 * f).AsUInt32(), TCodec.Encode(v1 * f).AsUInt32());
            Vector256<ushort> s1 = Vector256.Narrow(TCodec.Encode(v2 * f).AsUInt32(), TCodec.Encode(v3 * f).AsUInt32());
            Vector256.Narrow(s0, s1).StoreUnsafe(ref cb);
        }
    }

    internal static void QuantizeFast512<TCodec>(ReadOnlySpan<float> x, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding, int emax, float inverseMax)
        where TCodec : struct, IMxElementCodec
    {
        int nb = x.Length / BlockSize;
        CheckFast(nb, scales.Length, codes.Length);
        ref float src = ref MemoryMarshal.GetReference(x);
        ref byte dst = ref MemoryMarshal.GetReference(codes);
        Vector512<uint> abs = Vector512.Create(Float32MagnitudeMask);
        for (int b = 0; b < nb; b++)
        {
            ref float xb = ref Unsafe.Add(ref src, (nint)b * BlockSize);
            ref byte cb = ref Unsafe.Add(ref dst, (nint)b * BlockSize);
            Vector512<float> v0 = Vector512.LoadUnsafe(ref xb);
            Vector512<float> v1 = Vector512.LoadUnsafe(ref xb, 16);
            Vector512<uint> m512 = Vector512.Max(v0.AsUInt32() & abs, v1.AsUInt32() & abs);
            Vector256<uint> m256 = Vector256.Max(m512.GetLower(), m512.GetUpper());
            byte scale = BlockScale(HorizontalMax(Vector128.Max(m256.GetLower(), m256.GetUpper())), scaleRounding, emax, inverseMax);
            scales[b] = scale;
            if (scale == NaNScale)
            {
                Vector256<byte>.Zero.StoreUnsafe(ref cb);
                continue;
            }

            Vector512<float> f = Vector512.Create(Pow2(E8M0Bias - scale));
            Vector512<ushort> s = Vector512.Narrow(TCodec.Encode(v0 * f).AsUInt32(), TCodec.Encode(v1 * f).AsUInt32());
            Vector512.Narrow(s, s).GetLower().StoreUnsafe(ref cb);
        }
    }

    private static void CheckFast(int blocks, int scales, int codes)
    {
        if (scales < blocks || codes < blocks * BlockSize)
        {
            throw new ArgumentException("The outputs are too short for the blocks.");
        }
    }

    /// <summary>Table decoding of <paramref name="codes"/> (already validated) into <paramref name="destination"/>.</summary>
    internal static void DequantizeFast(MxElement element, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination)
    {
        int n = codes.Length;
        int whole = 0;
        if (element == MxElement.E2M1)
        {
            whole = n / BlockSize;
            if (Vector512.IsHardwareAccelerated)
            {
                DequantizeE2M1Blocks512(scales, codes, destination, whole);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                DequantizeE2M1Blocks256(scales, codes, destination, whole);
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                DequantizeE2M1Blocks128(scales, codes, destination, whole);
            }
            else
            {
                whole = 0;
            }
        }
        else if (element == MxElement.Int8 && (Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated))
        {
            whole = n / BlockSize;
            DequantizeInt8Blocks(scales, codes, destination, whole, Vector512.IsHardwareAccelerated ? 512 : 256);
        }
        else if (Avx512BW.IsSupported && Bfloat16Tables[(int)element] is not null)
        {
            whole = n / BlockSize;
            DequantizePermuteAvx512(element, scales, codes, destination, whole);
        }
        else if (Avx2.IsSupported)
        {
            whole = n / BlockSize;
            DequantizeGatherAvx2(DecodeTables[(int)element], scales, codes, destination, whole);
        }

        DequantizeTable(DecodeTables[(int)element], scales, codes, destination, whole);
    }

    /// <summary>The scalar table path from block <paramref name="firstBlock"/> on (also the reference for the E2M1 vector bodies).</summary>
    internal static void DequantizeTable(float[] table, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination, int firstBlock)
    {
        int n = codes.Length;
        ref float t = ref MemoryMarshal.GetArrayDataReference(table);
        for (int b = firstBlock; b * BlockSize < n; b++)
        {
            int start = b * BlockSize;
            int end = Math.Min(n, start + BlockSize);
            byte scale = scales[b];
            if (scale == NaNScale)
            {
                destination[start..end].Fill(float.NaN);
                continue;
            }

            float f = Pow2(scale - E8M0Bias);
            ReadOnlySpan<byte> cb = codes[start..end];
            Span<float> yb = destination[start..end];
            for (int i = 0; i < cb.Length; i++)
            {
                yb[i] = Unsafe.Add(ref t, cb[i] & (table.Length - 1)) * f;
            }
        }
    }

    internal static float[] DecodeTable(MxElement element) => DecodeTables[(int)element];

    internal static ushort[]? Bfloat16Table(MxElement element) => Bfloat16Tables[(int)element];

    internal static void DequantizeE2M1Blocks128(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination, int blocks) =>
        DecodeBlocks(default(E2M1Decoder128), scales, codes, destination, blocks);

    internal static void DequantizeE2M1Blocks256(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination, int blocks) =>
        DecodeBlocks(default(E2M1Decoder256), scales, codes, destination, blocks);

    internal static void DequantizeE2M1Blocks512(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination, int blocks) =>
        DecodeBlocks(default(E2M1Decoder512), scales, codes, destination, blocks);

    /// <summary>
    /// The block loop of every whole-block dequantize body: a NaN scale fills its block with NaN, any other gives the body
    /// the factor <see cref="Pow2"/>(scale − <see cref="IMxBlockDecoder.ScaleBias"/>).
    /// </summary>
    private static void DecodeBlocks<TDecoder>(TDecoder decoder, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination, int blocks)
        where TDecoder : struct, IMxBlockDecoder
    {
        CheckDequantizeFast(blocks, scales.Length, codes.Length, destination.Length);
        ref byte src = ref MemoryMarshal.GetReference(codes);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        for (int b = 0; b < blocks; b++)
        {
            byte scale = scales[b];
            if (scale == NaNScale)
            {
                destination.Slice(b * BlockSize, BlockSize).Fill(float.NaN);
                continue;
            }

            decoder.Decode(ref src, ref dst, (nuint)b * BlockSize, Pow2(scale - TDecoder.ScaleBias));
        }
    }

    private static void CheckDequantizeFast(int blocks, int scales, int codes, int destination)
    {
        if (scales < blocks || codes < blocks * BlockSize || destination < blocks * BlockSize)
        {
            throw new ArgumentException("The spans are too short for the blocks.");
        }
    }

    /// <summary>
    /// MXINT8 decoding of whole blocks (width 512 or 256): the code sign-extended and converted (exact), times 2^-6 (exact: a
    /// small integer times a power of two), times <see cref="Pow2"/>(scale − 127): the table value q / 64 and the same float32
    /// product as <see cref="DequantizeTable"/>, so the bits are the same. NaN scales fill the block with NaN.
    /// </summary>
    internal static void DequantizeInt8Blocks(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination, int blocks, int width)
    {
        if (width == 512)
        {
            DecodeBlocks(default(Int8Decoder512), scales, codes, destination, blocks);
        }
        else
        {
            DecodeBlocks(default(Int8Decoder256), scales, codes, destination, blocks);
        }
    }

    /// <summary>
    /// Table decoding of whole FP8/FP6 blocks without gathers: each code's bfloat16 word comes from <c>vpermi2w</c> lookups
    /// in <see cref="Bfloat16Tables"/> (held in registers), shifted into the high half of its float32 lane, which gives the
    /// table's float exactly; then the same float32 product as <see cref="DequantizeTable"/>, so the bits are the same. FP6:
    /// one 64-entry lookup (vpermi2w reads index bits 0-5, as the table path masks codes with 63). FP8: two 64-entry lookups
    /// for the 128 magnitudes, chosen by code bit 6, and code bit 7 or-ed in as the float's sign. Only called when
    /// <see cref="Avx512BW.IsSupported"/> and the element has a <see cref="Bfloat16Tables"/> entry.
    /// </summary>
    internal static void DequantizePermuteAvx512(MxElement element, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination, int blocks)
    {
        ushort[] words = Bfloat16Tables[(int)element] ?? throw new ArgumentException($"{element} has no bfloat16 table.", nameof(element));
        ref ushort w = ref MemoryMarshal.GetArrayDataReference(words);
        Vector512<ushort> t0 = Vector512.LoadUnsafe(ref w), t1 = Vector512.LoadUnsafe(ref w, 32);
        if (words.Length == 64)
        {
            DecodeBlocks(new Fp6PermuteDecoder(t0, t1), scales, codes, destination, blocks);
        }
        else
        {
            DecodeBlocks(new Fp8PermuteDecoder(t0, t1, Vector512.LoadUnsafe(ref w, 64), Vector512.LoadUnsafe(ref w, 96)), scales, codes, destination, blocks);
        }
    }

    /// <summary>16 codes, each zero-extended into the high word of a 32-bit lane (the low word is 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ushort> HighWordIndices(Vector128<byte> codes) =>
        Vector512.ShiftLeft(Avx512F.ConvertToVector512UInt32(codes), 16).AsUInt16();

    /// <summary>The exact FP6 table values of 16 codes: word[code &amp; 63] &lt;&lt; 16 (the low words look up entry 0, +0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fp6Values(Vector128<byte> codes, Vector512<ushort> t0, Vector512<ushort> t1) =>
        Avx512BW.PermuteVar32x16x2(t0, HighWordIndices(codes), t1).AsSingle();

    /// <summary>
    /// The exact FP8 table values of 16 codes: magnitude word[code &amp; 127] &lt;&lt; 16 (entries 0-63 from t0:t1, 64-127
    /// from t2:t3 by code bit 6; the low words have index 0 and take entry 0, +0) with code bit 7 as bit 31.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fp8Values(Vector128<byte> codes, Vector512<ushort> t0, Vector512<ushort> t1, Vector512<ushort> t2, Vector512<ushort> t3)
    {
        Vector512<ushort> i = HighWordIndices(codes);
        Vector512<ushort> low = Avx512BW.PermuteVar32x16x2(t0, i, t1);
        Vector512<ushort> high = Avx512BW.PermuteVar32x16x2(t2, i, t3);
        Vector512<ushort> inLow = Vector512.Equals(i & Vector512.Create((ushort)0x40), Vector512<ushort>.Zero);
        Vector512<ushort> sign = Vector512.ShiftLeft(i, 8) & Vector512.Create((ushort)0x8000);
        return (Vector512.ConditionalSelect(inLow, low, high) | sign).AsSingle();
    }

    /// <summary>
    /// Table decoding of whole blocks with AVX2 gathers (8 codes per gather): the same table and the same float32 product as
    /// <see cref="DequantizeTable"/>. Only called when <see cref="Avx2.IsSupported"/>.
    /// </summary>
    internal static unsafe void DequantizeGatherAvx2(float[] table, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination, int blocks)
    {
        fixed (float* t = table)
        {
            DecodeBlocks(new GatherDecoder256(t, table.Length - 1), scales, codes, destination, blocks);
        }
    }
}
