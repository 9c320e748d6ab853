// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>
/// Vectorized round-to-nearest-even block floating point (<see cref="BlockFloat.Quantize"/>) for block sizes that are a multiple
/// of 16, with the bits of the scalar reference (<see cref="BlockFloat.QuantizeBlock"/>) at every width.
/// </summary>
/// <remarks>
/// The largest magnitude is an unsigned maximum of the float32 bits with the sign cleared (exact and order-free). The mantissas
/// are the reference's float32 operations lane by lane: x · 2^(m − 1 − E) (one IEEE multiply), round to nearest even, clamp to
/// ±(2^m − 1), then the exact small integer narrowed to a byte. All-zero, NaN/∞ and tiny blocks (whose 2^(m − 1 − E) is not a
/// float32, so the reference takes its double path) and a partial last block run the scalar reference. The maxima of up to 16
/// blocks are found before their mantissas, so a block's chain (reduction, exponent, mantissas) does not wait for the previous
/// block's.
/// </remarks>
internal static class BlockFloatKernels
{
    /// <summary>Blocks whose maxima are found before their mantissas.</summary>
    private const int Group = 16;

    /// <summary>The widest accelerated width in bits (512 or 256), or 1 when only the scalar reference runs.</summary>
    public static int BestWidth => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 1;

    /// <summary>
    /// Quantizes the whole blocks from the start (validated spans); returns the number of values done, a whole number of blocks
    /// (0 when the width is 1 or the block size is not a multiple of 16). The caller runs the reference on the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int QuantizeNearestEven(ReadOnlySpan<float> source, Span<byte> exponents, Span<sbyte> mantissas, int blockSize, int mantissaBits, int width)
    {
        if (width is not (512 or 256) || blockSize % 16 != 0)
        {
            return 0;
        }

        int blocks = source.Length / blockSize;
        float limit = (1 << mantissaBits) - 1;
        Span<uint> amax = stackalloc uint[Group];
        for (int b0 = 0; b0 < blocks; b0 += Group)
        {
            int count = Math.Min(Group, blocks - b0);
            for (int j = 0; j < count; j++)
            {
                ReadOnlySpan<float> x = source.Slice((b0 + j) * blockSize, blockSize);
                amax[j] = width == 512 ? MaxMagnitudeBits512(x) : MaxMagnitudeBits256(x);
            }

            for (int j = 0; j < count; j++)
            {
                int b = b0 + j, start = b * blockSize;
                ReadOnlySpan<float> x = source.Slice(start, blockSize);
                Span<sbyte> m = mantissas.Slice(start, blockSize);
                uint a = amax[j];
                if (a == 0 || BlockFloat.IsNonFinite(a) || !BlockFloat.HasSingleFastPath(BlockFloat.SharedExponent(a), mantissaBits))
                {
                    BlockFloat.QuantizeBlock(x, ref exponents[b], m, mantissaBits, RoundingMode.NearestEven, 0, start);
                    continue;
                }

                int e = BlockFloat.SharedExponent(a);
                exponents[b] = BlockFloat.StoredExponent(e);
                float inverseQuantum = (float)Math.ScaleB(1.0, mantissaBits - 1 - e);
                if (width == 512)
                {
                    Mantissas512(x, m, inverseQuantum, limit);
                }
                else
                {
                    Mantissas256(x, m, inverseQuantum, limit);
                }
            }
        }

        return blocks * blockSize;
    }

    /// <summary>
    /// Dequantizes the whole blocks from the start (validated spans, mantissas in range); returns the number of values done, a
    /// whole number of blocks (0 when the width is 1 or the block size is not a multiple of 16). Each value is M · q, exact.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Dequantize(ReadOnlySpan<byte> exponents, ReadOnlySpan<sbyte> mantissas, Span<float> destination, int blockSize, int mantissaBits, int width)
    {
        if (width is not (512 or 256) || blockSize % 16 != 0)
        {
            return 0;
        }

        int blocks = mantissas.Length / blockSize;
        ref sbyte src = ref MemoryMarshal.GetReference(mantissas);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        for (int b = 0; b < blocks; b++)
        {
            int start = b * blockSize;
            if (exponents[b] == BlockFloat.NaNExponent)
            {
                destination.Slice(start, blockSize).Fill(float.NaN);
                continue;
            }

            float q = BlockFloat.DequantizeQuantum(exponents[b], mantissaBits);
            int end = start + blockSize;
            if (width == 512)
            {
                Vector512<float> vq = Vector512.Create(q);
                for (int i = start; i < end; i += 16)
                {
                    Vector128<sbyte> b16 = Vector128.LoadUnsafe(ref src, (nuint)i);
                    Vector512<int> m = Avx512F.IsSupported
                        ? Avx512F.ConvertToVector512Int32(b16) // vpmovsxbd
                        : Vector512.WidenLower(Vector256.WidenLower(b16.ToVector256Unsafe()).ToVector512Unsafe());
                    (Vector512.ConvertToSingle(m) * vq).StoreUnsafe(ref dst, (nuint)i);
                }
            }
            else
            {
                Vector256<float> vq = Vector256.Create(q);
                for (int i = start; i < end; i += 16)
                {
                    Vector256<short> w = Vector256.WidenLower(Vector128.LoadUnsafe(ref src, (nuint)i).ToVector256Unsafe());
                    (Vector256.ConvertToSingle(Vector256.WidenLower(w)) * vq).StoreUnsafe(ref dst, (nuint)i);
                    (Vector256.ConvertToSingle(Vector256.WidenUpper(w)) * vq).StoreUnsafe(ref dst, (nuint)i + 8);
                }
            }
        }

        return blocks * blockSize;
    }

    /// <summary>max |x| as float32 bits (sign cleared), 16 lanes at a time; the length is a multiple of 16.</summary>
    internal static uint MaxMagnitudeBits512(ReadOnlySpan<float> x)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        Vector512<uint> mask = Vector512.Create(0x7FFF_FFFFu), m = Vector512<uint>.Zero;
        for (int i = 0; i < x.Length; i += 16)
        {
            m = Vector512.Max(m, Vector512.LoadUnsafe(ref src, (nuint)i).AsUInt32() & mask);
        }

        return Max(Vector256.Max(m.GetLower(), m.GetUpper()));
    }

    /// <summary>max |x| as float32 bits (sign cleared), 8 lanes at a time; the length is a multiple of 8.</summary>
    internal static uint MaxMagnitudeBits256(ReadOnlySpan<float> x)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        Vector256<uint> mask = Vector256.Create(0x7FFF_FFFFu), m = Vector256<uint>.Zero;
        for (int i = 0; i < x.Length; i += 8)
        {
            m = Vector256.Max(m, Vector256.LoadUnsafe(ref src, (nuint)i).AsUInt32() & mask);
        }

        return Max(m);
    }

    private static uint Max(Vector256<uint> v)
    {
        Vector128<uint> m = Vector128.Max(v.GetLower(), v.GetUpper());
        return Math.Max(Math.Max(m[0], m[1]), Math.Max(m[2], m[3]));
    }

    /// <summary>The mantissas of one block, 16 at a time: clamp(round(x · 2^(m − 1 − E)), ±limit) as bytes.</summary>
    private static void Mantissas512(ReadOnlySpan<float> x, Span<sbyte> mantissas, float inverseQuantum, float limit)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref sbyte dst = ref MemoryMarshal.GetReference(mantissas);
        Vector512<float> f = Vector512.Create(inverseQuantum), hi = Vector512.Create(limit), lo = -hi;
        for (int i = 0; i < x.Length; i += 16)
        {
            Vector512<float> r = Vector512.MinNative(Vector512.MaxNative(Vector512.Round(Vector512.LoadUnsafe(ref src, (nuint)i) * f), lo), hi);
            Vector512<int> c = Vector512.ConvertToInt32Native(r); // exact small integers: the native conversion is exact
            if (Avx512F.IsSupported)
            {
                Avx512F.ConvertToVector128SByte(c).StoreUnsafe(ref dst, (nuint)i); // vpmovdb
            }
            else
            {
                Vector512<short> s = Vector512.Narrow(c, c);
                Vector512.Narrow(s, s).GetLower().GetLower().StoreUnsafe(ref dst, (nuint)i);
            }
        }
    }

    /// <summary>The Vector256 form of <see cref="Mantissas512"/>, 16 values a step.</summary>
    private static void Mantissas256(ReadOnlySpan<float> x, Span<sbyte> mantissas, float inverseQuantum, float limit)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref sbyte dst = ref MemoryMarshal.GetReference(mantissas);
        Vector256<float> f = Vector256.Create(inverseQuantum), hi = Vector256.Create(limit), lo = -hi;
        for (int i = 0; i < x.Length; i += 16)
        {
            Vector256<int> c0 = Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.MaxNative(Vector256.Round(Vector256.LoadUnsafe(ref src, (nuint)i) * f), lo), hi));
            Vector256<int> c1 = Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.MaxNative(Vector256.Round(Vector256.LoadUnsafe(ref src, (nuint)i + 8) * f), lo), hi));
            Vector256<short> s = Vector256.Narrow(c0, c1);
            Vector256.Narrow(s, s).GetLower().StoreUnsafe(ref dst, (nuint)i);
        }
    }
}
