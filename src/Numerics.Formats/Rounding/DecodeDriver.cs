// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Formats.Rounding;

/// <summary>
/// Runs an <see cref="ICodeDecodeOperator"/> over byte or <see cref="ushort"/> codes, widest vectors first: a block of codes is
/// loaded, zero-extended to 32-bit lanes and decoded; the last block overlaps the previous one (decoding is element-wise and
/// the spans do not overlap, so rewriting elements is harmless); spans shorter than the narrowest block use the scalar body.
/// </summary>
/// <remarks>Callers validate the lengths, overlap and code range first.</remarks>
internal static class DecodeDriver
{
    public static void Run<TOp>(ReadOnlySpan<byte> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        if (Vector512.IsHardwareAccelerated && source.Length >= Vector512<byte>.Count)
        {
            Run512(source, destination, op);
        }
        else if (Vector256.IsHardwareAccelerated && source.Length >= Vector256<byte>.Count)
        {
            Run256(source, destination, op);
        }
        else if (Vector128.IsHardwareAccelerated && source.Length >= Vector128<byte>.Count)
        {
            Run128(source, destination, op);
        }
        else
        {
            RunScalar(source, destination, op);
        }
    }

    public static void Run<TOp>(ReadOnlySpan<ushort> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        if (Vector512.IsHardwareAccelerated && source.Length >= Vector512<ushort>.Count)
        {
            Run512(source, destination, op);
        }
        else if (Vector256.IsHardwareAccelerated && source.Length >= Vector256<ushort>.Count)
        {
            Run256(source, destination, op);
        }
        else if (Vector128.IsHardwareAccelerated && source.Length >= Vector128<ushort>.Count)
        {
            Run128(source, destination, op);
        }
        else
        {
            RunScalar(source, destination, op);
        }
    }

    internal static void RunScalar<TOp>(ReadOnlySpan<byte> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = op.Invoke(source[i]);
        }
    }

    internal static void RunScalar<TOp>(ReadOnlySpan<ushort> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = op.Invoke(source[i]);
        }
    }

    internal static void Run128<TOp>(ReadOnlySpan<byte> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        nuint n = (nuint)source.Length, w = (nuint)Vector128<byte>.Count, q = w / 4;
        if (n < w)
        {
            RunScalar(source, destination, op);
            return;
        }

        ref byte src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += w)
        {
            if (i + w > n)
            {
                i = n - w;
            }

            (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref src, i));
            (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(lo);
            (Vector128<uint> c, Vector128<uint> d) = Vector128.Widen(hi);
            op.Invoke(a).StoreUnsafe(ref dst, i);
            op.Invoke(b).StoreUnsafe(ref dst, i + q);
            op.Invoke(c).StoreUnsafe(ref dst, i + (2 * q));
            op.Invoke(d).StoreUnsafe(ref dst, i + (3 * q));
            if (i + w == n)
            {
                return;
            }
        }
    }

    internal static void Run256<TOp>(ReadOnlySpan<byte> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        nuint n = (nuint)source.Length, w = (nuint)Vector256<byte>.Count, q = w / 4;
        if (n < w)
        {
            Run128(source, destination, op);
            return;
        }

        ref byte src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += w)
        {
            if (i + w > n)
            {
                i = n - w;
            }

            if (Avx2.IsSupported)
            {
                // vpmovzxbd: 16 codes per load, widened in two halves.
                for (nuint k = 0; k < 4; k += 2)
                {
                    Vector128<byte> codes = Vector128.LoadUnsafe(ref src, i + (k * q));
                    op.Invoke(Avx2.ConvertToVector256Int32(codes).AsUInt32()).StoreUnsafe(ref dst, i + (k * q));
                    op.Invoke(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(codes, 8)).AsUInt32()).StoreUnsafe(ref dst, i + ((k + 1) * q));
                }
            }
            else
            {
                (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref src, i));
                (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(lo);
                (Vector256<uint> c, Vector256<uint> d) = Vector256.Widen(hi);
                op.Invoke(a).StoreUnsafe(ref dst, i);
                op.Invoke(b).StoreUnsafe(ref dst, i + q);
                op.Invoke(c).StoreUnsafe(ref dst, i + (2 * q));
                op.Invoke(d).StoreUnsafe(ref dst, i + (3 * q));
            }
            if (i + w == n)
            {
                return;
            }
        }
    }

    internal static void Run512<TOp>(ReadOnlySpan<byte> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        nuint n = (nuint)source.Length, w = (nuint)Vector512<byte>.Count, q = w / 4;
        if (n < w)
        {
            Run256(source, destination, op);
            return;
        }

        ref byte src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += w)
        {
            if (i + w > n)
            {
                i = n - w;
            }

            if (Avx512F.IsSupported)
            {
                // vpmovzxbd from memory: one instruction per 16 codes.
                for (nuint k = 0; k < 4; k++)
                {
                    op.Invoke(Avx512F.ConvertToVector512UInt32(Vector128.LoadUnsafe(ref src, i + (k * q)))).StoreUnsafe(ref dst, i + (k * q));
                }
            }
            else
            {
                (Vector512<ushort> lo, Vector512<ushort> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref src, i));
                (Vector512<uint> a, Vector512<uint> b) = Vector512.Widen(lo);
                (Vector512<uint> c, Vector512<uint> d) = Vector512.Widen(hi);
                op.Invoke(a).StoreUnsafe(ref dst, i);
                op.Invoke(b).StoreUnsafe(ref dst, i + q);
                op.Invoke(c).StoreUnsafe(ref dst, i + (2 * q));
                op.Invoke(d).StoreUnsafe(ref dst, i + (3 * q));
            }
            if (i + w == n)
            {
                return;
            }
        }
    }

    internal static void Run128<TOp>(ReadOnlySpan<ushort> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        nuint n = (nuint)source.Length, w = (nuint)Vector128<ushort>.Count, h = w / 2;
        if (n < w)
        {
            RunScalar(source, destination, op);
            return;
        }

        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += w)
        {
            if (i + w > n)
            {
                i = n - w;
            }

            (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(Vector128.LoadUnsafe(ref src, i));
            op.Invoke(a).StoreUnsafe(ref dst, i);
            op.Invoke(b).StoreUnsafe(ref dst, i + h);
            if (i + w == n)
            {
                return;
            }
        }
    }

    internal static void Run256<TOp>(ReadOnlySpan<ushort> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        nuint n = (nuint)source.Length, w = (nuint)Vector256<ushort>.Count, h = w / 2;
        if (n < w)
        {
            Run128(source, destination, op);
            return;
        }

        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += w)
        {
            if (i + w > n)
            {
                i = n - w;
            }

            (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(Vector256.LoadUnsafe(ref src, i));
            op.Invoke(a).StoreUnsafe(ref dst, i);
            op.Invoke(b).StoreUnsafe(ref dst, i + h);
            if (i + w == n)
            {
                return;
            }
        }
    }

    internal static void Run512<TOp>(ReadOnlySpan<ushort> source, Span<float> destination, in TOp op)
        where TOp : struct, ICodeDecodeOperator
    {
        nuint n = (nuint)source.Length, w = (nuint)Vector512<ushort>.Count, h = w / 2;
        if (n < w)
        {
            Run256(source, destination, op);
            return;
        }

        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += w)
        {
            if (i + w > n)
            {
                i = n - w;
            }

            (Vector512<uint> a, Vector512<uint> b) = Vector512.Widen(Vector512.LoadUnsafe(ref src, i));
            op.Invoke(a).StoreUnsafe(ref dst, i);
            op.Invoke(b).StoreUnsafe(ref dst, i + h);
            if (i + w == n)
            {
                return;
            }
        }
    }
}
