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
/// The store loop shared by the span drivers: full vectors with an overlapping last vector (computed before any store, so exact
/// aliasing of source and destination is safe), and, from a minimum length the caller chooses, non-temporal stores to an aligned
/// destination, four vectors per iteration.
/// </summary>
/// <remarks>
/// <para>
/// Out of cache a normal store may first read the destination line (read for ownership), and it fills the caches with lines the
/// caller will not read soon; non-temporal stores write whole lines around the caches. They need an aligned address, so the head
/// is one unaligned vector and the aligned loop starts at the first vector boundary (the overlap is recomputed, and both blocks
/// are computed before either is stored, so in-place calls never read a result as input). A store fence at the end orders the
/// weakly ordered stores before anything the caller does next.
/// </para>
/// <para>
/// Whether they pay depends on the machine and the shapes, so each driver chooses its minimum length by measurement
/// (docs/benchmarks/formats-2026-11-26.md): on the reference machine (AMD EPYC Zen 5 VM) normal full-line stores already avoid
/// most of the read for ownership; non-temporal stores paid only for outputs narrower than the input with a footprint well beyond
/// the L3 cache, and made same-size outputs (float → float, double → double) 10-35 % slower out of cache.
/// </para>
/// </remarks>
internal static unsafe class BlockWriter
{
    /// <summary>A minimum length that no span reaches: the normal stores only.</summary>
    internal const nuint Never = uint.MaxValue; // spans hold at most int.MaxValue elements

    /// <summary>Writes <paramref name="n"/> ≥ Vector128&lt;TOut&gt;.Count elements to <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write128<TOut, TSource>(TOut* destination, nuint n, in TSource source, nuint nonTemporalMinLength)
        where TOut : unmanaged
        where TSource : struct, IBlockSource<TOut>
    {
        nuint w = (nuint)Vector128<TOut>.Count;
        Vector128<TOut> tail = source.Block128(n - w); // before any store: in place safe
        nuint i = 0;
        if (UseNonTemporal(destination, n, w, nonTemporalMinLength))
        {
            nuint k = AlignmentOffset(destination, w);
            if (k != 0)
            {
                Vector128<TOut> head = source.Block128(0), first = source.Block128(k);
                head.Store(destination);
                first.StoreAlignedNonTemporal(destination + k);
                i = k + w;
            }

            for (; i + (4 * w) <= n; i += 4 * w)
            {
                source.Block128(i).StoreAlignedNonTemporal(destination + i);
                source.Block128(i + w).StoreAlignedNonTemporal(destination + i + w);
                source.Block128(i + (2 * w)).StoreAlignedNonTemporal(destination + i + (2 * w));
                source.Block128(i + (3 * w)).StoreAlignedNonTemporal(destination + i + (3 * w));
            }

            for (; i + w <= n; i += w)
            {
                source.Block128(i).StoreAlignedNonTemporal(destination + i);
            }

            StoreFence();
        }
        else
        {
            for (; i + w <= n; i += w)
            {
                source.Block128(i).Store(destination + i);
            }
        }

        tail.Store(destination + (n - w));
    }

    /// <summary>Writes <paramref name="n"/> ≥ Vector256&lt;TOut&gt;.Count elements to <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write256<TOut, TSource>(TOut* destination, nuint n, in TSource source, nuint nonTemporalMinLength)
        where TOut : unmanaged
        where TSource : struct, IBlockSource<TOut>
    {
        nuint w = (nuint)Vector256<TOut>.Count;
        Vector256<TOut> tail = source.Block256(n - w); // before any store: in place safe
        nuint i = 0;
        if (UseNonTemporal(destination, n, w, nonTemporalMinLength))
        {
            nuint k = AlignmentOffset(destination, w);
            if (k != 0)
            {
                Vector256<TOut> head = source.Block256(0), first = source.Block256(k);
                head.Store(destination);
                first.StoreAlignedNonTemporal(destination + k);
                i = k + w;
            }

            for (; i + (4 * w) <= n; i += 4 * w)
            {
                source.Block256(i).StoreAlignedNonTemporal(destination + i);
                source.Block256(i + w).StoreAlignedNonTemporal(destination + i + w);
                source.Block256(i + (2 * w)).StoreAlignedNonTemporal(destination + i + (2 * w));
                source.Block256(i + (3 * w)).StoreAlignedNonTemporal(destination + i + (3 * w));
            }

            for (; i + w <= n; i += w)
            {
                source.Block256(i).StoreAlignedNonTemporal(destination + i);
            }

            StoreFence();
        }
        else
        {
            for (; i + w <= n; i += w)
            {
                source.Block256(i).Store(destination + i);
            }
        }

        tail.Store(destination + (n - w));
    }

    /// <summary>Writes <paramref name="n"/> ≥ Vector512&lt;TOut&gt;.Count elements to <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write512<TOut, TSource>(TOut* destination, nuint n, in TSource source, nuint nonTemporalMinLength)
        where TOut : unmanaged
        where TSource : struct, IBlockSource<TOut>
    {
        nuint w = (nuint)Vector512<TOut>.Count;
        Vector512<TOut> tail = source.Block512(n - w); // before any store: in place safe
        nuint i = 0;
        if (UseNonTemporal(destination, n, w, nonTemporalMinLength))
        {
            nuint k = AlignmentOffset(destination, w);
            if (k != 0)
            {
                Vector512<TOut> head = source.Block512(0), first = source.Block512(k);
                head.Store(destination);
                first.StoreAlignedNonTemporal(destination + k);
                i = k + w;
            }

            for (; i + (4 * w) <= n; i += 4 * w)
            {
                source.Block512(i).StoreAlignedNonTemporal(destination + i);
                source.Block512(i + w).StoreAlignedNonTemporal(destination + i + w);
                source.Block512(i + (2 * w)).StoreAlignedNonTemporal(destination + i + (2 * w));
                source.Block512(i + (3 * w)).StoreAlignedNonTemporal(destination + i + (3 * w));
            }

            for (; i + w <= n; i += w)
            {
                source.Block512(i).StoreAlignedNonTemporal(destination + i);
            }

            StoreFence();
        }
        else
        {
            for (; i + w <= n; i += w)
            {
                source.Block512(i).Store(destination + i);
            }
        }

        tail.Store(destination + (n - w));
    }

    /// <summary>
    /// Whether to stream: at least the minimum length, at least two vectors long (the head and the first aligned vector), and a
    /// destination address that is a multiple of the element size (so some element starts on a vector boundary).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool UseNonTemporal<TOut>(TOut* destination, nuint n, nuint w, nuint minLength)
        where TOut : unmanaged =>
        n >= minLength && n >= 2 * w && (nuint)destination % (nuint)sizeof(TOut) == 0;

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
