// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Formats.Rounding;

/// <summary>
/// Computes one vector of results: elements i .. i + VectorNNN&lt;TOut&gt;.Count − 1 of the destination, from the same elements of
/// the (pinned) source. Element-wise: a block may be computed more than once (overlapping head and tail blocks).
/// </summary>
internal interface IBlockSource<TOut>
    where TOut : unmanaged
{
    Vector128<TOut> Block128(nuint i);

    Vector256<TOut> Block256(nuint i);

    Vector512<TOut> Block512(nuint i);
}

/// <summary>
/// The streaming store loop of the encoders (<see cref="EncodeDriver"/>) for spans far beyond the caches: non-temporal stores to
/// an aligned destination, with an unaligned head vector and an overlapping tail vector, both computed before any store.
/// </summary>
/// <remarks>
/// <para>
/// Out of cache a normal store may first read the destination line (read for ownership), and it fills the caches with lines the
/// caller will not read soon; non-temporal stores write whole lines around the caches. They need an aligned address, so the loop
/// starts at the first vector boundary; the head vector (elements 0 .. w − 1) and the tail vector (the last w elements) are
/// computed first and stored last with normal stores, overwriting a few loop results with the same values. A store fence orders
/// the weakly ordered stores before anything the caller does next. This is a separate method from the drivers' normal loops so
/// that their in-cache code stays as it was.
/// </para>
/// <para>
/// Whether streaming pays depends on the machine and the shapes, so the caller chooses the minimum length by measurement
/// (docs/benchmarks/formats-2026-11-26.md): on the reference machine (AMD EPYC Zen 5 VM) normal full-line stores already avoid
/// most of the read for ownership; non-temporal stores paid only for outputs narrower than the input with a footprint well beyond
/// the L3 cache, and made same-size outputs (float → float, double → double) 10-35 % slower out of cache, so the Round drivers
/// (<see cref="UnaryDriver"/>, <see cref="WideDriver"/>) do not stream.
/// </para>
/// </remarks>
internal static unsafe class BlockWriter
{
    /// <summary>A minimum length that no span reaches: the normal stores only.</summary>
    internal const nuint Never = uint.MaxValue; // spans hold at most int.MaxValue elements

    /// <summary>
    /// Writes <paramref name="n"/> elements to <paramref name="destination"/> with non-temporal stores, or returns false (and writes
    /// nothing) when the span is shorter than two vectors or the destination is not aligned to its element size.
    /// </summary>
    public static bool Stream128<TOut, TSource>(TOut* destination, nuint n, in TSource source)
        where TOut : unmanaged
        where TSource : struct, IBlockSource<TOut>
    {
        nuint w = (nuint)Vector128<TOut>.Count;
        if (n < 2 * w || (nuint)destination % (nuint)sizeof(TOut) != 0)
        {
            return false;
        }

        Vector128<TOut> tail = source.Block128(n - w), head = source.Block128(0); // before any store: in place safe
        for (nuint i = AlignmentOffset(destination, w); i + w <= n; i += w)
        {
            source.Block128(i).StoreAlignedNonTemporal(destination + i);
        }

        StoreFence();
        head.Store(destination);
        tail.Store(destination + (n - w));
        return true;
    }

    /// <summary>
    /// Writes <paramref name="n"/> elements to <paramref name="destination"/> with non-temporal stores, or returns false (and writes
    /// nothing) when the span is shorter than two vectors or the destination is not aligned to its element size.
    /// </summary>
    public static bool Stream256<TOut, TSource>(TOut* destination, nuint n, in TSource source)
        where TOut : unmanaged
        where TSource : struct, IBlockSource<TOut>
    {
        nuint w = (nuint)Vector256<TOut>.Count;
        if (n < 2 * w || (nuint)destination % (nuint)sizeof(TOut) != 0)
        {
            return false;
        }

        Vector256<TOut> tail = source.Block256(n - w), head = source.Block256(0); // before any store: in place safe
        for (nuint i = AlignmentOffset(destination, w); i + w <= n; i += w)
        {
            source.Block256(i).StoreAlignedNonTemporal(destination + i);
        }

        StoreFence();
        head.Store(destination);
        tail.Store(destination + (n - w));
        return true;
    }

    /// <summary>
    /// Writes <paramref name="n"/> elements to <paramref name="destination"/> with non-temporal stores, or returns false (and writes
    /// nothing) when the span is shorter than two vectors or the destination is not aligned to its element size.
    /// </summary>
    public static bool Stream512<TOut, TSource>(TOut* destination, nuint n, in TSource source)
        where TOut : unmanaged
        where TSource : struct, IBlockSource<TOut>
    {
        nuint w = (nuint)Vector512<TOut>.Count;
        if (n < 2 * w || (nuint)destination % (nuint)sizeof(TOut) != 0)
        {
            return false;
        }

        Vector512<TOut> tail = source.Block512(n - w), head = source.Block512(0); // before any store: in place safe
        for (nuint i = AlignmentOffset(destination, w); i + w <= n; i += w)
        {
            source.Block512(i).StoreAlignedNonTemporal(destination + i);
        }

        StoreFence();
        head.Store(destination);
        tail.Store(destination + (n - w));
        return true;
    }

    /// <summary>The number of elements (less than <paramref name="w"/>) before the first vector-aligned element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint AlignmentOffset<TOut>(TOut* destination, nuint w)
        where TOut : unmanaged =>
        ((nuint)(-(nint)destination) & ((w * (nuint)sizeof(TOut)) - 1)) / (nuint)sizeof(TOut);

    /// <summary>Orders the non-temporal stores before later stores (x86 SFENCE; other targets store normally and need nothing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFence()
    {
        if (Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }
}
