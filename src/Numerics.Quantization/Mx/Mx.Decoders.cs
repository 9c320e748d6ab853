// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Quantization;

/// <content>
/// The whole-block dequantize bodies of <see cref="DecodeBlocks{TDecoder}"/>, one operator struct per element kind and
/// width. Each gives the bits of <see cref="DequantizeTable"/> (the tests compare them on every width).
/// </content>
public static partial class Mx
{
    /// <summary>One block body: 32 codes to 32 floats, given the block's power-of-two factor.</summary>
    private interface IMxBlockDecoder
    {
        /// <summary>The factor is <see cref="Pow2"/>(scale − ScaleBias).</summary>
        static abstract int ScaleBias { get; }

        /// <summary>Decodes the block's codes at <paramref name="src"/> + <paramref name="offset"/> to <paramref name="dst"/> + <paramref name="offset"/>.</summary>
        void Decode(ref byte src, ref float dst, nuint offset, float factor);
    }

    // E2M1: value = (2·|v|) · 2^(shared − 1), sign from code bit 3 (so code 8 gives −0). 2^(shared − 1) ≥ 2^−128 is exact in float32.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<byte> Magnitudes, Vector128<byte> Codes) E2M1Lookup(ref byte codes, nuint offset)
    {
        Vector128<byte> c = Vector128.LoadUnsafe(ref codes, offset);
        return (GgmlBlockDriver.Lookup16(Vector128.Create(E2M1DoubledMagnitudes), c), c);
    }

    /// <summary>The magnitudes and codes of a whole block (two lookups of 16) as one 256-bit pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<byte> Magnitudes, Vector256<byte> Codes) E2M1Lookup32(ref byte codes, nuint offset)
    {
        (Vector128<byte> mag0, Vector128<byte> c0) = E2M1Lookup(ref codes, offset);
        (Vector128<byte> mag1, Vector128<byte> c1) = E2M1Lookup(ref codes, offset + 16);
        return (Vector256.Create(mag0, mag1), Vector256.Create(c0, c1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void E2M1Store(Vector128<uint> mag, Vector128<uint> code, Vector128<float> h, ref float dst, nuint offset)
    {
        Vector128<uint> sign = Vector128.ShiftLeft(code & Vector128.Create((uint)E2M1SignBit), 28);
        ((Vector128.ConvertToSingle(mag.AsInt32()) * h).AsUInt32() | sign).AsSingle().StoreUnsafe(ref dst, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void E2M1Store(Vector256<uint> mag, Vector256<uint> code, Vector256<float> h, ref float dst, nuint offset)
    {
        Vector256<uint> sign = Vector256.ShiftLeft(code & Vector256.Create((uint)E2M1SignBit), 28);
        ((Vector256.ConvertToSingle(mag.AsInt32()) * h).AsUInt32() | sign).AsSingle().StoreUnsafe(ref dst, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void E2M1Store(Vector512<uint> mag, Vector512<uint> code, Vector512<float> h, ref float dst, nuint offset)
    {
        Vector512<uint> sign = Vector512.ShiftLeft(code & Vector512.Create((uint)E2M1SignBit), 28);
        ((Vector512.ConvertToSingle(mag.AsInt32()) * h).AsUInt32() | sign).AsSingle().StoreUnsafe(ref dst, offset);
    }

    /// <summary>E2M1 with Vector128: 16 codes per lookup, widened to four vectors of 4.</summary>
    private readonly struct E2M1Decoder128 : IMxBlockDecoder
    {
        public static int ScaleBias => E8M0Bias + 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Decode(ref byte src, ref float dst, nuint offset, float factor)
        {
            Vector128<float> h = Vector128.Create(factor);
            for (nuint j = 0; j < BlockSize; j += 16)
            {
                (Vector128<byte> mag, Vector128<byte> c) = E2M1Lookup(ref src, offset + j);
                Vector128<ushort> m0 = Vector128.WidenLower(mag), m1 = Vector128.WidenUpper(mag);
                Vector128<ushort> c0 = Vector128.WidenLower(c), c1 = Vector128.WidenUpper(c);
                E2M1Store(Vector128.WidenLower(m0), Vector128.WidenLower(c0), h, ref dst, offset + j);
                E2M1Store(Vector128.WidenUpper(m0), Vector128.WidenUpper(c0), h, ref dst, offset + j + 4);
                E2M1Store(Vector128.WidenLower(m1), Vector128.WidenLower(c1), h, ref dst, offset + j + 8);
                E2M1Store(Vector128.WidenUpper(m1), Vector128.WidenUpper(c1), h, ref dst, offset + j + 12);
            }
        }
    }

    /// <summary>E2M1 with Vector256: both lookups of the block joined, widened to four vectors of 8.</summary>
    private readonly struct E2M1Decoder256 : IMxBlockDecoder
    {
        public static int ScaleBias => E8M0Bias + 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Decode(ref byte src, ref float dst, nuint offset, float factor)
        {
            Vector256<float> h = Vector256.Create(factor);
            (Vector256<byte> mag, Vector256<byte> c) = E2M1Lookup32(ref src, offset);
            Vector256<ushort> ml = Vector256.WidenLower(mag), mh = Vector256.WidenUpper(mag);
            Vector256<ushort> cl = Vector256.WidenLower(c), ch = Vector256.WidenUpper(c);
            E2M1Store(Vector256.WidenLower(ml), Vector256.WidenLower(cl), h, ref dst, offset);
            E2M1Store(Vector256.WidenUpper(ml), Vector256.WidenUpper(cl), h, ref dst, offset + 8);
            E2M1Store(Vector256.WidenLower(mh), Vector256.WidenLower(ch), h, ref dst, offset + 16);
            E2M1Store(Vector256.WidenUpper(mh), Vector256.WidenUpper(ch), h, ref dst, offset + 24);
        }
    }

    /// <summary>E2M1 with Vector512: both lookups of the block joined, widened to two vectors of 16.</summary>
    private readonly struct E2M1Decoder512 : IMxBlockDecoder
    {
        public static int ScaleBias => E8M0Bias + 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Decode(ref byte src, ref float dst, nuint offset, float factor)
        {
            Vector512<float> h = Vector512.Create(factor);
            (Vector256<byte> mag, Vector256<byte> codes) = E2M1Lookup32(ref src, offset);
            Vector512<ushort> m = Vector512.WidenLower(mag.ToVector512Unsafe());
            Vector512<ushort> c = Vector512.WidenLower(codes.ToVector512Unsafe());
            E2M1Store(Vector512.WidenLower(m), Vector512.WidenLower(c), h, ref dst, offset);
            E2M1Store(Vector512.WidenUpper(m), Vector512.WidenUpper(c), h, ref dst, offset + 16);
        }
    }

    /// <summary>
    /// MXINT8 with Vector512: the code sign-extended and converted (exact), times 2^-6 (exact: a small integer times a power
    /// of two), times the factor: the table value q / 64 and the same float32 product as <see cref="DequantizeTable"/>.
    /// </summary>
    private readonly struct Int8Decoder512 : IMxBlockDecoder
    {
        public static int ScaleBias => E8M0Bias;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Decode(ref byte src, ref float dst, nuint offset, float factor)
        {
            Vector512<float> vf = Vector512.Create(factor), sixtyFourth = Vector512.Create(1f / 64);
            for (nuint i = 0; i < BlockSize; i += 16)
            {
                Vector128<sbyte> q = Vector128.LoadUnsafe(ref src, offset + i).AsSByte();
                Vector512<int> w = Avx512F.IsSupported
                    ? Avx512F.ConvertToVector512Int32(q) // vpmovsxbd
                    : Vector512.WidenLower(Vector256.WidenLower(q.ToVector256Unsafe()).ToVector512Unsafe());
                (Vector512.ConvertToSingle(w) * sixtyFourth * vf).StoreUnsafe(ref dst, offset + i);
            }
        }
    }

    /// <summary>MXINT8 with Vector256: the products of <see cref="Int8Decoder512"/>, eight at a time.</summary>
    private readonly struct Int8Decoder256 : IMxBlockDecoder
    {
        public static int ScaleBias => E8M0Bias;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Decode(ref byte src, ref float dst, nuint offset, float factor)
        {
            Vector256<float> vf = Vector256.Create(factor), sixtyFourth = Vector256.Create(1f / 64);
            for (nuint i = 0; i < BlockSize; i += 16)
            {
                Vector256<short> w = Vector256.WidenLower(Vector128.LoadUnsafe(ref src, offset + i).AsSByte().ToVector256Unsafe());
                (Vector256.ConvertToSingle(Vector256.WidenLower(w)) * sixtyFourth * vf).StoreUnsafe(ref dst, offset + i);
                (Vector256.ConvertToSingle(Vector256.WidenUpper(w)) * sixtyFourth * vf).StoreUnsafe(ref dst, offset + i + 8);
            }
        }
    }

    /// <summary>FP6 (E3M2, E2M3) by one 64-entry <c>vpermi2w</c> lookup per 16 codes (<see cref="Fp6Values"/>), times the factor.</summary>
    private readonly struct Fp6PermuteDecoder(Vector512<ushort> t0, Vector512<ushort> t1) : IMxBlockDecoder
    {
        public static int ScaleBias => E8M0Bias;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Decode(ref byte src, ref float dst, nuint offset, float factor)
        {
            Vector512<float> f = Vector512.Create(factor);
            for (nuint i = 0; i < BlockSize; i += 16)
            {
                (Fp6Values(Vector128.LoadUnsafe(ref src, offset + i), t0, t1) * f).StoreUnsafe(ref dst, offset + i);
            }
        }
    }

    /// <summary>FP8 (E4M3, E5M2) by two 64-entry <c>vpermi2w</c> lookups per 16 codes (<see cref="Fp8Values"/>), times the factor.</summary>
    private readonly struct Fp8PermuteDecoder(Vector512<ushort> t0, Vector512<ushort> t1, Vector512<ushort> t2, Vector512<ushort> t3) : IMxBlockDecoder
    {
        public static int ScaleBias => E8M0Bias;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Decode(ref byte src, ref float dst, nuint offset, float factor)
        {
            Vector512<float> f = Vector512.Create(factor);
            for (nuint i = 0; i < BlockSize; i += 16)
            {
                (Fp8Values(Vector128.LoadUnsafe(ref src, offset + i), t0, t1, t2, t3) * f).StoreUnsafe(ref dst, offset + i);
            }
        }
    }

    /// <summary>Any table with AVX2 gathers (8 codes per gather, the code masked to the table), times the factor.</summary>
    private readonly unsafe struct GatherDecoder256(float* table, int mask) : IMxBlockDecoder
    {
        public static int ScaleBias => E8M0Bias;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Decode(ref byte src, ref float dst, nuint offset, float factor)
        {
            Vector256<float> f = Vector256.Create(factor);
            Vector256<int> m = Vector256.Create(mask);
            Vector256<byte> c = Vector256.LoadUnsafe(ref src, offset);
            Vector256<ushort> lo = Vector256.WidenLower(c), hi = Vector256.WidenUpper(c);
            Vector256<int> i0 = Vector256.WidenLower(lo).AsInt32() & m, i1 = Vector256.WidenUpper(lo).AsInt32() & m;
            Vector256<int> i2 = Vector256.WidenLower(hi).AsInt32() & m, i3 = Vector256.WidenUpper(hi).AsInt32() & m;
            (Avx2.GatherVector256(table, i0, 4) * f).StoreUnsafe(ref dst, offset);
            (Avx2.GatherVector256(table, i1, 4) * f).StoreUnsafe(ref dst, offset + 8);
            (Avx2.GatherVector256(table, i2, 4) * f).StoreUnsafe(ref dst, offset + 16);
            (Avx2.GatherVector256(table, i3, 4) * f).StoreUnsafe(ref dst, offset + 24);
        }
    }
}
