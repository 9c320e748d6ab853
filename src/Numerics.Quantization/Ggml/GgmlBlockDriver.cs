// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Numerics.Quantization;

/// <summary>
/// One ggml block format of 32 values with a scalar reference and Vector128/256/512 block bodies that must reproduce the
/// reference bit for bit (STYLE-GUIDE §4: operator struct + shared driver). Quantize bodies take a group of up to 16 blocks
/// (so per-block scale arithmetic — divisions, float→half — can run across the group in vector lanes); dequantize bodies
/// take one block. Bodies read 32 floats per block at <c>x</c> and write <see cref="BlockBytes"/> bytes per block at <c>y</c>
/// (or the reverse for dequantization).
/// </summary>
internal interface IGgmlBlockCodec
{
    /// <summary>Bytes per block of 32 values.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>The scalar reference over whole rows.</summary>
    static abstract void QuantizeReference(ReadOnlySpan<float> x, Span<byte> y);

    /// <summary>The scalar reference over whole rows.</summary>
    static abstract void DequantizeReference(ReadOnlySpan<byte> x, Span<float> y);

    /// <summary>A group of 1 to <see cref="GgmlBlockDriver.GroupBlocks"/> blocks, Vector128 body.</summary>
    static abstract void Quantize128(ref float x, ref byte y, int blocks);

    /// <summary>A group of 1 to <see cref="GgmlBlockDriver.GroupBlocks"/> blocks, Vector256 body.</summary>
    static abstract void Quantize256(ref float x, ref byte y, int blocks);

    /// <summary>A group of 1 to <see cref="GgmlBlockDriver.GroupBlocks"/> blocks, Vector512 body.</summary>
    static abstract void Quantize512(ref float x, ref byte y, int blocks);

    /// <summary>One block, Vector128 body.</summary>
    static abstract void Dequantize128(ref byte x, ref float y);

    /// <summary>One block, Vector256 body.</summary>
    static abstract void Dequantize256(ref byte x, ref float y);

    /// <summary>One block, Vector512 body.</summary>
    static abstract void Dequantize512(ref byte x, ref float y);
}

/// <summary>
/// The shared driver of the 32-value ggml block codecs: dispatches widest accelerated width first (scalar reference when no
/// width is accelerated) and walks the blocks. The <c>Run*</c> methods are internal so tests can run every width on any machine
/// (an unaccelerated width runs in software with the same results).
/// </summary>
internal static class GgmlBlockDriver
{
    internal const int BlockSize = 32;

    /// <summary>Blocks per quantize group.</summary>
    internal const int GroupBlocks = 16;

    public static void Quantize<TCodec>(ReadOnlySpan<float> x, Span<byte> y)
        where TCodec : struct, IGgmlBlockCodec
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Quantize512<TCodec>(x, y);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Quantize256<TCodec>(x, y);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Quantize128<TCodec>(x, y);
        }
        else
        {
            TCodec.QuantizeReference(x, y);
        }
    }

    public static void Dequantize<TCodec>(ReadOnlySpan<byte> x, Span<float> y)
        where TCodec : struct, IGgmlBlockCodec
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Dequantize512<TCodec>(x, y);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Dequantize256<TCodec>(x, y);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Dequantize128<TCodec>(x, y);
        }
        else
        {
            TCodec.DequantizeReference(x, y);
        }
    }

    public static void Quantize128<TCodec>(ReadOnlySpan<float> x, Span<byte> y)
        where TCodec : struct, IGgmlBlockCodec
    {
        int nb = Blocks<TCodec>(x.Length, y.Length);
        ref float src = ref MemoryMarshal.GetReference(x);
        ref byte dst = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < nb; i += GroupBlocks)
        {
            TCodec.Quantize128(ref Unsafe.Add(ref src, (nint)i * BlockSize), ref Unsafe.Add(ref dst, (nint)i * TCodec.BlockBytes), Math.Min(GroupBlocks, nb - i));
        }
    }

    public static void Quantize256<TCodec>(ReadOnlySpan<float> x, Span<byte> y)
        where TCodec : struct, IGgmlBlockCodec
    {
        int nb = Blocks<TCodec>(x.Length, y.Length);
        ref float src = ref MemoryMarshal.GetReference(x);
        ref byte dst = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < nb; i += GroupBlocks)
        {
            TCodec.Quantize256(ref Unsafe.Add(ref src, (nint)i * BlockSize), ref Unsafe.Add(ref dst, (nint)i * TCodec.BlockBytes), Math.Min(GroupBlocks, nb - i));
        }
    }

    public static void Quantize512<TCodec>(ReadOnlySpan<float> x, Span<byte> y)
        where TCodec : struct, IGgmlBlockCodec
    {
        int nb = Blocks<TCodec>(x.Length, y.Length);
        ref float src = ref MemoryMarshal.GetReference(x);
        ref byte dst = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < nb; i += GroupBlocks)
        {
            TCodec.Quantize512(ref Unsafe.Add(ref src, (nint)i * BlockSize), ref Unsafe.Add(ref dst, (nint)i * TCodec.BlockBytes), Math.Min(GroupBlocks, nb - i));
        }
    }

    public static void Dequantize128<TCodec>(ReadOnlySpan<byte> x, Span<float> y)
        where TCodec : struct, IGgmlBlockCodec
    {
        int nb = Blocks<TCodec>(y.Length, x.Length);
        ref byte src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < nb; i++)
        {
            TCodec.Dequantize128(ref Unsafe.Add(ref src, (nint)i * TCodec.BlockBytes), ref Unsafe.Add(ref dst, (nint)i * BlockSize));
        }
    }

    public static void Dequantize256<TCodec>(ReadOnlySpan<byte> x, Span<float> y)
        where TCodec : struct, IGgmlBlockCodec
    {
        int nb = Blocks<TCodec>(y.Length, x.Length);
        ref byte src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < nb; i++)
        {
            TCodec.Dequantize256(ref Unsafe.Add(ref src, (nint)i * TCodec.BlockBytes), ref Unsafe.Add(ref dst, (nint)i * BlockSize));
        }
    }

    public static void Dequantize512<TCodec>(ReadOnlySpan<byte> x, Span<float> y)
        where TCodec : struct, IGgmlBlockCodec
    {
        int nb = Blocks<TCodec>(y.Length, x.Length);
        ref byte src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < nb; i++)
        {
            TCodec.Dequantize512(ref Unsafe.Add(ref src, (nint)i * TCodec.BlockBytes), ref Unsafe.Add(ref dst, (nint)i * BlockSize));
        }
    }

    /// <summary>The number of whole blocks, checked against both spans (the unsafe block bodies rely on it).</summary>
    private static int Blocks<TCodec>(int values, int bytes)
        where TCodec : struct, IGgmlBlockCodec
    {
        int nb = values / BlockSize;
        if ((long)nb * TCodec.BlockBytes > bytes)
        {
            ThrowShort();
        }

        return nb;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShort() => throw new ArgumentException("The block buffer is too short for the values.");

    /// <summary>max over the four lanes, broadcast to every lane (inputs are magnitudes: no NaN, no −0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> BroadcastMax(Vector128<float> m)
    {
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        return Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
    }

    /// <summary>max over the lanes as a scalar (inputs are magnitudes: no NaN, no −0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMax(Vector256<float> m) => BroadcastMax(Vector128.MaxNative(m.GetLower(), m.GetUpper())).ToScalar();

    /// <summary>max over the lanes as a scalar (inputs are magnitudes: no NaN, no −0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMax(Vector512<float> m) => HorizontalMax(Vector256.MaxNative(m.GetLower(), m.GetUpper()));

    /// <summary>16 table bytes looked up by the 16 indices (each &lt; 16): <c>pshufb</c> / <c>tbl</c> when available.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Lookup16(Vector128<byte> table, Vector128<byte> indices)
    {
        if (System.Runtime.Intrinsics.X86.Ssse3.IsSupported)
        {
            return System.Runtime.Intrinsics.X86.Ssse3.Shuffle(table, indices);
        }

        if (System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported)
        {
            return System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.VectorTableLookup(table, indices);
        }

        return Vector128.Shuffle(table, indices);
    }

    /// <summary>
    /// The scale step of the Q8_0/Q4_0-style codecs for a group: d = stat / <paramref name="divisor"/>, id = d ≠ 0 ? 1 / d : 0
    /// and the binary16 bits of d, in Vector128 lanes (IEEE division per lane: the same bits as the scalar reference).
    /// <paramref name="stats"/>, <paramref name="ids"/> and <paramref name="halves"/> hold <see cref="GroupBlocks"/> entries.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scales(ref float stats, float divisor, ref float ids, ref ushort halves)
    {
        for (nuint i = 0; i < GroupBlocks; i += 8)
        {
            Vector128<float> d0 = Vector128.LoadUnsafe(ref stats, i) / Vector128.Create(divisor);
            Vector128<float> d1 = Vector128.LoadUnsafe(ref stats, i + 4) / Vector128.Create(divisor);
            Vector128<float> z0 = Vector128.Equals(d0, Vector128<float>.Zero);
            Vector128<float> z1 = Vector128.Equals(d1, Vector128<float>.Zero);
            Vector128.AndNot(Vector128<float>.One / d0, z0).StoreUnsafe(ref ids, i);
            Vector128.AndNot(Vector128<float>.One / d1, z1).StoreUnsafe(ref ids, i + 4);
            Vector128.Narrow(FloatToHalfBits(d0), FloatToHalfBits(d1)).StoreUnsafe(ref halves, i);
        }
    }

    /// <summary>
    /// float32 → binary16 bits with round-to-nearest-even and overflow to ±∞, for finite inputs (the bits of
    /// <see cref="GgmlMath.FloatToHalf"/>): normals drop 13 fraction bits with half-ulp-minus-one plus the kept LSB and rebias;
    /// magnitudes below 2^−14 are rounded by adding 0.5f, whose ulp is the smallest binary16 subnormal.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> FloatToHalfBits(Vector128<float> v)
    {
        Vector128<uint> bits = v.AsUInt32();
        Vector128<uint> f = bits & Vector128.Create(0x7FFF_FFFFu);
        Vector128<uint> sign = Vector128.ShiftRightLogical(bits, 16) & Vector128.Create(0x8000u);
        Vector128<uint> half = Vector128.Create(126u << 23);
        Vector128<uint> sub = (f.AsSingle() + half.AsSingle()).AsUInt32() - half;
        Vector128<uint> normal = Vector128.ShiftRightLogical(
            f + Vector128.Create(unchecked((uint)((15 - 127) << 23)) + 0x0FFFu) + (Vector128.ShiftRightLogical(f, 13) & Vector128<uint>.One), 13);
        Vector128<uint> o = Vector128.ConditionalSelect(Vector128.LessThan(f, Vector128.Create(113u << 23)), sub, Vector128.Min(normal, Vector128.Create(0x7C00u)));
        return o | sign;
    }
}
