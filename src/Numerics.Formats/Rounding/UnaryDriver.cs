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
/// each full vector is loaded before it is stored. Normal stores by default: non-temporal stores made these same-size outputs
/// slower on the reference machine (see <see cref="BlockWriter"/>); tests pass a minimum length of 0 to run that path too.
/// </remarks>
internal static unsafe class UnaryDriver
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

    internal static void Run128<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, in TOp op, nuint nonTemporalMinLength = BlockWriter.Never)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        if (x.Length < Vector128<T>.Count)
        {
            RunScalar(x, destination, op);
            return;
        }

        fixed (T* src = &MemoryMarshal.GetReference(x))
        fixed (T* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write128(dst, (nuint)x.Length, new Blocks<T, TOp>(src, op), nonTemporalMinLength);
        }
    }

    internal static void Run256<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, in TOp op, nuint nonTemporalMinLength = BlockWriter.Never)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        if (x.Length < Vector256<T>.Count)
        {
            Run128(x, destination, op, nonTemporalMinLength);
            return;
        }

        fixed (T* src = &MemoryMarshal.GetReference(x))
        fixed (T* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write256(dst, (nuint)x.Length, new Blocks<T, TOp>(src, op), nonTemporalMinLength);
        }
    }

    internal static void Run512<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, in TOp op, nuint nonTemporalMinLength = BlockWriter.Never)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        if (x.Length < Vector512<T>.Count)
        {
            Run256(x, destination, op, nonTemporalMinLength);
            return;
        }

        fixed (T* src = &MemoryMarshal.GetReference(x))
        fixed (T* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write512(dst, (nuint)x.Length, new Blocks<T, TOp>(src, op), nonTemporalMinLength);
        }
    }

    /// <summary>One vector of results: the operator on the same elements of the pinned source.</summary>
    private readonly struct Blocks<T, TOp>(T* source, TOp op) : IBlockSource<T>
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        private readonly T* _source = source;
        private readonly TOp _op = op;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<T> Block128(nuint i) => _op.Invoke(Vector128.Load(_source + i));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Block256(nuint i) => _op.Invoke(Vector256.Load(_source + i));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<T> Block512(nuint i) => _op.Invoke(Vector512.Load(_source + i));
    }
}
