// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// Runs a <see cref="WideRoundOperator{TRule}"/> over binary64 spans, and over binary32 spans through an exact widening to
/// binary64 and a narrowing back (the scalar reference narrows the same way), widest vectors first, with an overlapping tail.
/// Element i of the span is element <c>firstIndex + i</c> of the caller's array: its random word is
/// <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, firstIndex + i), computed lane by lane with the vectorized
/// SplitMix64 finalizer, so results do not depend on the width, the chunking or the start of the span.
/// </summary>
/// <remarks>Callers validate lengths and overlap first. Exact aliasing is safe: the tail is computed before any store.</remarks>
internal static class WideDriver
{
    public static void Run<TRule>(ReadOnlySpan<double> x, Span<double> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<double>.Count)
        {
            Run512(x, destination, op, key, firstIndex);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<double>.Count)
        {
            Run256(x, destination, op, key, firstIndex);
        }
        else if (Vector128.IsHardwareAccelerated && x.Length >= Vector128<double>.Count)
        {
            Run128(x, destination, op, key, firstIndex);
        }
        else
        {
            RunScalar(x, destination, op, key, firstIndex);
        }
    }

    public static void Run<TRule>(ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            Run512(x, destination, op, key, firstIndex);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            Run256(x, destination, op, key, firstIndex);
        }
        else if (Vector128.IsHardwareAccelerated && x.Length >= Vector128<float>.Count)
        {
            Run128(x, destination, op, key, firstIndex);
        }
        else
        {
            RunScalar(x, destination, op, key, firstIndex);
        }
    }

    /// <summary>The random word of element <paramref name="index"/> from the hoisted stream key (0 when the rule reads none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word<TRule>(ulong key, long index)
        where TRule : struct, IWideRoundingRule =>
        TRule.UsesRandom ? StochasticRounding.RandomBitsFromKey(key, index) : 0;

    internal static void RunScalar<TRule>(ReadOnlySpan<double> x, Span<double> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = op.Invoke(x[i], Word<TRule>(key, firstIndex + i));
        }
    }

    internal static void RunScalar<TRule>(ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = (float)op.Invoke(x[i], Word<TRule>(key, firstIndex + i));
        }
    }

    /// <summary>The random words of elements start .. start + Vector128&lt;ulong&gt;.Count − 1 (zero when the rule reads none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Words128<TRule>(ulong key, long start)
        where TRule : struct, IWideRoundingRule
    {
        if (!TRule.UsesRandom)
        {
            return Vector128<ulong>.Zero;
        }

        return StochasticRounding.RandomBitsVector128(key, start);
    }

    internal static void Run128<TRule>(ReadOnlySpan<double> x, Span<double> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        ref double src = ref MemoryMarshal.GetReference(x);
        ref double dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector128<double>.Count;
        if (n < w)
        {
            RunScalar(x, destination, op, key, firstIndex);
            return;
        }

        Vector128<double> tail = op.Invoke(Vector128.LoadUnsafe(ref src, n - w), Words128<TRule>(key, firstIndex + (long)(n - w)));
        for (nuint i = 0; i + w <= n; i += w)
        {
            op.Invoke(Vector128.LoadUnsafe(ref src, i), Words128<TRule>(key, firstIndex + (long)i)).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    internal static void Run128<TRule>(ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector128<float>.Count;
        if (n < w)
        {
            RunScalar(x, destination, op, key, firstIndex);
            return;
        }

        Vector128<float> tail = Block128(ref src, n - w, op, key, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            Block128(ref src, i, op, key, firstIndex).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);

        static Vector128<float> Block128(ref float src, nuint i, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref src, i);
            long start = firstIndex + (long)i;
            Vector128<double> lower = op.Invoke(Vector128.WidenLower(v), Words128<TRule>(key, start));
            Vector128<double> upper = op.Invoke(Vector128.WidenUpper(v), Words128<TRule>(key, start + Vector128<double>.Count));
            return Vector128.Narrow(lower, upper);
        }
    }

    /// <summary>The random words of elements start .. start + Vector256&lt;ulong&gt;.Count − 1 (zero when the rule reads none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Words256<TRule>(ulong key, long start)
        where TRule : struct, IWideRoundingRule
    {
        if (!TRule.UsesRandom)
        {
            return Vector256<ulong>.Zero;
        }

        return StochasticRounding.RandomBitsVector256(key, start);
    }

    internal static void Run256<TRule>(ReadOnlySpan<double> x, Span<double> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        ref double src = ref MemoryMarshal.GetReference(x);
        ref double dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector256<double>.Count;
        if (n < w)
        {
            Run128(x, destination, op, key, firstIndex);
            return;
        }

        Vector256<double> tail = op.Invoke(Vector256.LoadUnsafe(ref src, n - w), Words256<TRule>(key, firstIndex + (long)(n - w)));
        for (nuint i = 0; i + w <= n; i += w)
        {
            op.Invoke(Vector256.LoadUnsafe(ref src, i), Words256<TRule>(key, firstIndex + (long)i)).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    internal static void Run256<TRule>(ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector256<float>.Count;
        if (n < w)
        {
            Run128(x, destination, op, key, firstIndex);
            return;
        }

        Vector256<float> tail = Block256(ref src, n - w, op, key, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            Block256(ref src, i, op, key, firstIndex).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);

        static Vector256<float> Block256(ref float src, nuint i, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref src, i);
            long start = firstIndex + (long)i;
            Vector256<double> lower = op.Invoke(Vector256.WidenLower(v), Words256<TRule>(key, start));
            Vector256<double> upper = op.Invoke(Vector256.WidenUpper(v), Words256<TRule>(key, start + Vector256<double>.Count));
            return Vector256.Narrow(lower, upper);
        }
    }

    /// <summary>The random words of elements start .. start + Vector512&lt;ulong&gt;.Count − 1 (zero when the rule reads none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Words512<TRule>(ulong key, long start)
        where TRule : struct, IWideRoundingRule
    {
        if (!TRule.UsesRandom)
        {
            return Vector512<ulong>.Zero;
        }

        return StochasticRounding.RandomBitsVector512(key, start);
    }

    internal static void Run512<TRule>(ReadOnlySpan<double> x, Span<double> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        ref double src = ref MemoryMarshal.GetReference(x);
        ref double dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector512<double>.Count;
        if (n < w)
        {
            Run256(x, destination, op, key, firstIndex);
            return;
        }

        Vector512<double> tail = op.Invoke(Vector512.LoadUnsafe(ref src, n - w), Words512<TRule>(key, firstIndex + (long)(n - w)));
        for (nuint i = 0; i + w <= n; i += w)
        {
            op.Invoke(Vector512.LoadUnsafe(ref src, i), Words512<TRule>(key, firstIndex + (long)i)).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);
    }

    internal static void Run512<TRule>(ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector512<float>.Count;
        if (n < w)
        {
            Run256(x, destination, op, key, firstIndex);
            return;
        }

        Vector512<float> tail = Block512(ref src, n - w, op, key, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            Block512(ref src, i, op, key, firstIndex).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);

        static Vector512<float> Block512(ref float src, nuint i, in WideRoundOperator<TRule> op, ulong key, long firstIndex)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref src, i);
            long start = firstIndex + (long)i;
            Vector512<double> lower = op.Invoke(Vector512.WidenLower(v), Words512<TRule>(key, start));
            Vector512<double> upper = op.Invoke(Vector512.WidenUpper(v), Words512<TRule>(key, start + Vector512<double>.Count));
            return Vector512.Narrow(lower, upper);
        }
    }

    /// <summary>
    /// The stochastic modes on binary32 spans: blocks whose lanes are all in the target's normal range take the 32-bit
    /// <see cref="NarrowStochasticOperator{TRule}"/>, other blocks the binary64-lane kernel; both give the scalar reference's bits.
    /// </summary>
    public static void RunStochastic<TRule>(
        ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> wide, in NarrowStochasticOperator<TRule> narrow, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        if (Vector512.IsHardwareAccelerated && x.Length >= Vector512<float>.Count)
        {
            RunStochastic512(x, destination, wide, narrow, key, firstIndex);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            RunStochastic256(x, destination, wide, narrow, key, firstIndex);
        }
        else if (Vector128.IsHardwareAccelerated && x.Length >= Vector128<float>.Count)
        {
            RunStochastic128(x, destination, wide, narrow, key, firstIndex);
        }
        else
        {
            RunScalar(x, destination, wide, key, firstIndex);
        }
    }

    internal static void RunStochastic128<TRule>(
        ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> wide, in NarrowStochasticOperator<TRule> narrow, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector128<float>.Count;
        if (n < w)
        {
            RunScalar(x, destination, wide, key, firstIndex);
            return;
        }

        Vector128<float> tail = StochasticBlock128(ref src, n - w, wide, narrow, key, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            StochasticBlock128(ref src, i, wide, narrow, key, firstIndex).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);

        static Vector128<float> StochasticBlock128(ref float src, nuint i, in WideRoundOperator<TRule> wide, in NarrowStochasticOperator<TRule> narrow, ulong key, long firstIndex)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref src, i);
            long start = firstIndex + (long)i;
            Vector128<ulong> lowerWords = Words128<TRule>(key, start);
            Vector128<ulong> upperWords = Words128<TRule>(key, start + Vector128<double>.Count);
            if (narrow.IsRare(v))
            {
                return Vector128.Narrow(wide.Invoke(Vector128.WidenLower(v), lowerWords), wide.Invoke(Vector128.WidenUpper(v), upperWords));
            }

            return narrow.Invoke(v, Vector128.Narrow(Vector128.ShiftRightLogical(lowerWords, 32), Vector128.ShiftRightLogical(upperWords, 32)));
        }
    }

    internal static void RunStochastic256<TRule>(
        ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> wide, in NarrowStochasticOperator<TRule> narrow, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector256<float>.Count;
        if (n < w)
        {
            RunStochastic128(x, destination, wide, narrow, key, firstIndex);
            return;
        }

        Vector256<float> tail = StochasticBlock256(ref src, n - w, wide, narrow, key, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            StochasticBlock256(ref src, i, wide, narrow, key, firstIndex).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);

        static Vector256<float> StochasticBlock256(ref float src, nuint i, in WideRoundOperator<TRule> wide, in NarrowStochasticOperator<TRule> narrow, ulong key, long firstIndex)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref src, i);
            long start = firstIndex + (long)i;
            Vector256<ulong> lowerWords = Words256<TRule>(key, start);
            Vector256<ulong> upperWords = Words256<TRule>(key, start + Vector256<double>.Count);
            if (narrow.IsRare(v))
            {
                return Vector256.Narrow(wide.Invoke(Vector256.WidenLower(v), lowerWords), wide.Invoke(Vector256.WidenUpper(v), upperWords));
            }

            return narrow.Invoke(v, Vector256.Narrow(Vector256.ShiftRightLogical(lowerWords, 32), Vector256.ShiftRightLogical(upperWords, 32)));
        }
    }

    internal static void RunStochastic512<TRule>(
        ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> wide, in NarrowStochasticOperator<TRule> narrow, ulong key, long firstIndex)
        where TRule : struct, IWideRoundingRule
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length, w = (nuint)Vector512<float>.Count;
        if (n < w)
        {
            RunStochastic256(x, destination, wide, narrow, key, firstIndex);
            return;
        }

        Vector512<float> tail = StochasticBlock512(ref src, n - w, wide, narrow, key, firstIndex);
        for (nuint i = 0; i + w <= n; i += w)
        {
            StochasticBlock512(ref src, i, wide, narrow, key, firstIndex).StoreUnsafe(ref dst, i);
        }

        tail.StoreUnsafe(ref dst, n - w);

        static Vector512<float> StochasticBlock512(ref float src, nuint i, in WideRoundOperator<TRule> wide, in NarrowStochasticOperator<TRule> narrow, ulong key, long firstIndex)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref src, i);
            long start = firstIndex + (long)i;
            Vector512<ulong> lowerWords = Words512<TRule>(key, start);
            Vector512<ulong> upperWords = Words512<TRule>(key, start + Vector512<double>.Count);
            if (narrow.IsRare(v))
            {
                return Vector512.Narrow(wide.Invoke(Vector512.WidenLower(v), lowerWords), wide.Invoke(Vector512.WidenUpper(v), upperWords));
            }

            return narrow.Invoke(v, Vector512.Narrow(Vector512.ShiftRightLogical(lowerWords, 32), Vector512.ShiftRightLogical(upperWords, 32)));
        }
    }
}
