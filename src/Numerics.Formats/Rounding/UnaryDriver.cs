// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>An element-wise operation with a scalar reference and three vector bodies that must match it bit for bit.</summary>
internal interface IUnaryOperator<T>
    where T : unmanaged
{
    T Invoke(T x);

    Vector128<T> Invoke(Vector128<T> x);

    Vector256<T> Invoke(Vector256<T> x);

    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>Runs an <see cref="IUnaryOperator{T}"/> over spans, widest vectors first, with an overlapping tail (STYLE-GUIDE §4).</summary>
/// <remarks>
/// Callers validate lengths and overlap first. Exact aliasing (in place) is safe: the tail vector is computed before any store, and
/// each full vector is loaded before it is stored.
/// </remarks>
internal static class UnaryDriver
{
    public static void Run<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, in TOp op)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<T>.Count)
        {
            Run512(x, destination, op);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<T>.Count)
        {
            Run256(x, destination, op);
        }
        else if (Vector128.IsHardwareAccelerated && x.Length >= Vector128<T>.Count)
        {
            Run128(x, destination, op);
        }
        else
        {
            RunScalar(x, destination, op);
        }
    }

    internal static void RunScalar<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, in TOp op)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = op.Invoke(x[i]);
        }
    }

    internal static void Run128<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, in TOp op)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        ref T src = ref MemoryMarshal.GetReference(x);
        ref T dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector128<T>.Count;
        if (n < w)
        {
            RunScalar(x, destination, op);
            return;
        }

        Vector128<T> tail = op.Invoke(Vector128.LoadUnsafe(ref src, n - w));
        for (nuint i = 0; i + w <= n; i += w)
        {
            op.Invoke(Vector128.LoadUnsafe(ref src, i)).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    internal static void Run256<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, in TOp op)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        ref T src = ref MemoryMarshal.GetReference(x);
        ref T dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector256<T>.Count;
        if (n < w)
        {
            Run128(x, destination, op);
            return;
        }

        Vector256<T> tail = op.Invoke(Vector256.LoadUnsafe(ref src, n - w));
        for (nuint i = 0; i + w <= n; i += w)
        {
            op.Invoke(Vector256.LoadUnsafe(ref src, i)).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    internal static void Run512<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, in TOp op)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        ref T src = ref MemoryMarshal.GetReference(x);
        ref T dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector512<T>.Count;
        if (n < w)
        {
            Run256(x, destination, op);
            return;
        }

        Vector512<T> tail = op.Invoke(Vector512.LoadUnsafe(ref src, n - w));
        for (nuint i = 0; i + w <= n; i += w)
        {
            op.Invoke(Vector512.LoadUnsafe(ref src, i)).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }
}
