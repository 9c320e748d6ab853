// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>Encodes binary32 values to codes: a scalar reference and three vector bodies that must match it bit for bit.</summary>
internal interface IEncodeOperator
{
    uint Encode(float x);

    Vector128<uint> Encode(Vector128<float> x);

    Vector256<uint> Encode(Vector256<float> x);

    Vector512<uint> Encode(Vector512<float> x);
}

/// <summary>
/// Runs an <see cref="IEncodeOperator"/> from binary32 spans to 8- or 16-bit code spans: blocks of four (bytes) or two
/// (ushorts) float vectors are encoded and narrowed into one full code vector, with an overlapping last block instead of a scalar tail.
/// </summary>
internal static class EncodeDriver
{
    public static void Run<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        int block = Vector128<TCode>.Count;
        if (Vector512.IsHardwareAccelerated && x.Length >= block * 4)
        {
            Run512(x, destination, op);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= block * 2)
        {
            Run256(x, destination, op);
        }
        else if (Vector128.IsHardwareAccelerated && x.Length >= block)
        {
            Run128(x, destination, op);
        }
        else
        {
            RunScalar(x, destination, op);
        }
    }

    internal static void RunScalar<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        for (int i = 0; i < x.Length; i++)
        {
            uint code = op.Encode(x[i]);
            if (typeof(TCode) == typeof(byte))
            {
                byte b = (byte)code;
                destination[i] = Unsafe.As<byte, TCode>(ref b);
            }
            else
            {
                ushort u = (ushort)code;
                destination[i] = Unsafe.As<ushort, TCode>(ref u);
            }
        }
    }

    internal static void Run128<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        nuint n = (nuint)x.Length, w = (nuint)Vector128<TCode>.Count;
        if (n < w)
        {
            RunScalar(x, destination, op);
            return;
        }

        ref float src = ref MemoryMarshal.GetReference(x);
        ref TCode dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += w)
        {
            if (i + w > n)
            {
                i = n - w; // the overlapping last block recomputes a few codes: the same values
            }

            Block128(ref src, i, op).As<byte, TCode>().StoreUnsafe(ref dst, i);
            if (i + w == n)
            {
                break;
            }
        }

        static Vector128<byte> Block128(ref float src, nuint i, in TOp op)
        {
            if (typeof(TCode) == typeof(ushort))
            {
                Vector128<uint> a = op.Encode(Vector128.LoadUnsafe(ref src, i)), b = op.Encode(Vector128.LoadUnsafe(ref src, i + 4));
                return Vector128.Narrow(a, b).AsByte();
            }

            Vector128<ushort> lo = Vector128.Narrow(op.Encode(Vector128.LoadUnsafe(ref src, i)), op.Encode(Vector128.LoadUnsafe(ref src, i + 4)));
            Vector128<ushort> hi = Vector128.Narrow(op.Encode(Vector128.LoadUnsafe(ref src, i + 8)), op.Encode(Vector128.LoadUnsafe(ref src, i + 12)));
            return Vector128.Narrow(lo, hi);
        }
    }

    internal static void Run256<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        nuint n = (nuint)x.Length, w = (nuint)Vector256<TCode>.Count;
        if (n < w)
        {
            Run128(x, destination, op);
            return;
        }

        ref float src = ref MemoryMarshal.GetReference(x);
        ref TCode dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += w)
        {
            if (i + w > n)
            {
                i = n - w;
            }

            Block256(ref src, i, op).As<byte, TCode>().StoreUnsafe(ref dst, i);
            if (i + w == n)
            {
                break;
            }
        }

        static Vector256<byte> Block256(ref float src, nuint i, in TOp op)
        {
            if (typeof(TCode) == typeof(ushort))
            {
                Vector256<uint> a = op.Encode(Vector256.LoadUnsafe(ref src, i)), b = op.Encode(Vector256.LoadUnsafe(ref src, i + 8));
                return Vector256.Narrow(a, b).AsByte();
            }

            Vector256<ushort> lo = Vector256.Narrow(op.Encode(Vector256.LoadUnsafe(ref src, i)), op.Encode(Vector256.LoadUnsafe(ref src, i + 8)));
            Vector256<ushort> hi = Vector256.Narrow(op.Encode(Vector256.LoadUnsafe(ref src, i + 16)), op.Encode(Vector256.LoadUnsafe(ref src, i + 24)));
            return Vector256.Narrow(lo, hi);
        }
    }

    internal static void Run512<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        nuint n = (nuint)x.Length, w = (nuint)Vector512<TCode>.Count;
        if (n < w)
        {
            Run256(x, destination, op);
            return;
        }

        ref float src = ref MemoryMarshal.GetReference(x);
        ref TCode dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; ; i += w)
        {
            if (i + w > n)
            {
                i = n - w;
            }

            Block512(ref src, i, op).As<byte, TCode>().StoreUnsafe(ref dst, i);
            if (i + w == n)
            {
                break;
            }
        }

        static Vector512<byte> Block512(ref float src, nuint i, in TOp op)
        {
            if (typeof(TCode) == typeof(ushort))
            {
                Vector512<uint> a = op.Encode(Vector512.LoadUnsafe(ref src, i)), b = op.Encode(Vector512.LoadUnsafe(ref src, i + 16));
                return Vector512.Narrow(a, b).AsByte();
            }

            Vector512<ushort> lo = Vector512.Narrow(op.Encode(Vector512.LoadUnsafe(ref src, i)), op.Encode(Vector512.LoadUnsafe(ref src, i + 16)));
            Vector512<ushort> hi = Vector512.Narrow(op.Encode(Vector512.LoadUnsafe(ref src, i + 32)), op.Encode(Vector512.LoadUnsafe(ref src, i + 48)));
            return Vector512.Narrow(lo, hi);
        }
    }
}
