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
/// <remarks>
/// Callers validate lengths and overlap first. Exact aliasing is safe: the tail is computed before any store. Normal stores by
/// default: non-temporal stores made these same-size outputs slower on the reference machine (see <see cref="BlockWriter"/>);
/// tests pass a minimum length of 0 to run that path too.
/// </remarks>
internal static unsafe class WideDriver
{
    private const ulong Gamma = StochasticRounding.GoldenGamma;
    private const ulong Multiplier1 = 0xBF58_476D_1CE4_E5B9;
    private const ulong Multiplier2 = 0x94D0_49BB_1331_11EB;

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
        TRule.UsesRandom ? StochasticRounding.Mix(key + (unchecked((ulong)index) * Gamma)) : 0;

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

        Vector128<ulong> z = Vector128.Create(key + (unchecked((ulong)start) * Gamma)) + (Vector128<ulong>.Indices * Vector128.Create(Gamma));
        z = (z ^ Vector128.ShiftRightLogical(z, 30)) * Vector128.Create(Multiplier1);
        z = (z ^ Vector128.ShiftRightLogical(z, 27)) * Vector128.Create(Multiplier2);
        return z ^ Vector128.ShiftRightLogical(z, 31);
    }

    internal static void Run128<TRule>(
        ReadOnlySpan<double> x, Span<double> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex, nuint nonTemporalMinLength = BlockWriter.Never)
        where TRule : struct, IWideRoundingRule
    {
        if (x.Length < Vector128<double>.Count)
        {
            RunScalar(x, destination, op, key, firstIndex);
            return;
        }

        fixed (double* src = &MemoryMarshal.GetReference(x))
        fixed (double* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write128(dst, (nuint)x.Length, new DoubleBlocks<TRule>(src, op, key, firstIndex), nonTemporalMinLength);
        }
    }

    internal static void Run128<TRule>(
        ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex, nuint nonTemporalMinLength = BlockWriter.Never)
        where TRule : struct, IWideRoundingRule
    {
        if (x.Length < Vector128<float>.Count)
        {
            RunScalar(x, destination, op, key, firstIndex);
            return;
        }

        fixed (float* src = &MemoryMarshal.GetReference(x))
        fixed (float* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write128(dst, (nuint)x.Length, new FloatBlocks<TRule>(src, op, key, firstIndex), nonTemporalMinLength);
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

        Vector256<ulong> z = Vector256.Create(key + (unchecked((ulong)start) * Gamma)) + (Vector256<ulong>.Indices * Vector256.Create(Gamma));
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(Multiplier1);
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(Multiplier2);
        return z ^ Vector256.ShiftRightLogical(z, 31);
    }

    internal static void Run256<TRule>(
        ReadOnlySpan<double> x, Span<double> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex, nuint nonTemporalMinLength = BlockWriter.Never)
        where TRule : struct, IWideRoundingRule
    {
        if (x.Length < Vector256<double>.Count)
        {
            Run128(x, destination, op, key, firstIndex, nonTemporalMinLength);
            return;
        }

        fixed (double* src = &MemoryMarshal.GetReference(x))
        fixed (double* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write256(dst, (nuint)x.Length, new DoubleBlocks<TRule>(src, op, key, firstIndex), nonTemporalMinLength);
        }
    }

    internal static void Run256<TRule>(
        ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex, nuint nonTemporalMinLength = BlockWriter.Never)
        where TRule : struct, IWideRoundingRule
    {
        if (x.Length < Vector256<float>.Count)
        {
            Run128(x, destination, op, key, firstIndex, nonTemporalMinLength);
            return;
        }

        fixed (float* src = &MemoryMarshal.GetReference(x))
        fixed (float* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write256(dst, (nuint)x.Length, new FloatBlocks<TRule>(src, op, key, firstIndex), nonTemporalMinLength);
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

        Vector512<ulong> z = Vector512.Create(key + (unchecked((ulong)start) * Gamma)) + (Vector512<ulong>.Indices * Vector512.Create(Gamma));
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(Multiplier1);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(Multiplier2);
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }

    internal static void Run512<TRule>(
        ReadOnlySpan<double> x, Span<double> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex, nuint nonTemporalMinLength = BlockWriter.Never)
        where TRule : struct, IWideRoundingRule
    {
        if (x.Length < Vector512<double>.Count)
        {
            Run256(x, destination, op, key, firstIndex, nonTemporalMinLength);
            return;
        }

        fixed (double* src = &MemoryMarshal.GetReference(x))
        fixed (double* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write512(dst, (nuint)x.Length, new DoubleBlocks<TRule>(src, op, key, firstIndex), nonTemporalMinLength);
        }
    }

    internal static void Run512<TRule>(
        ReadOnlySpan<float> x, Span<float> destination, in WideRoundOperator<TRule> op, ulong key, long firstIndex, nuint nonTemporalMinLength = BlockWriter.Never)
        where TRule : struct, IWideRoundingRule
    {
        if (x.Length < Vector512<float>.Count)
        {
            Run256(x, destination, op, key, firstIndex, nonTemporalMinLength);
            return;
        }

        fixed (float* src = &MemoryMarshal.GetReference(x))
        fixed (float* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write512(dst, (nuint)x.Length, new FloatBlocks<TRule>(src, op, key, firstIndex), nonTemporalMinLength);
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
        ReadOnlySpan<float> x,
        Span<float> destination,
        in WideRoundOperator<TRule> wide,
        in NarrowStochasticOperator<TRule> narrow,
        ulong key,
        long firstIndex,
        nuint nonTemporalMinLength = BlockWriter.Never)
        where TRule : struct, IWideRoundingRule
    {
        if (x.Length < Vector128<float>.Count)
        {
            RunScalar(x, destination, wide, key, firstIndex);
            return;
        }

        fixed (float* src = &MemoryMarshal.GetReference(x))
        fixed (float* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write128(dst, (nuint)x.Length, new StochasticBlocks<TRule>(src, wide, narrow, key, firstIndex), nonTemporalMinLength);
        }
    }

    internal static void RunStochastic256<TRule>(
        ReadOnlySpan<float> x,
        Span<float> destination,
        in WideRoundOperator<TRule> wide,
        in NarrowStochasticOperator<TRule> narrow,
        ulong key,
        long firstIndex,
        nuint nonTemporalMinLength = BlockWriter.Never)
        where TRule : struct, IWideRoundingRule
    {
        if (x.Length < Vector256<float>.Count)
        {
            RunStochastic128(x, destination, wide, narrow, key, firstIndex, nonTemporalMinLength);
            return;
        }

        fixed (float* src = &MemoryMarshal.GetReference(x))
        fixed (float* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write256(dst, (nuint)x.Length, new StochasticBlocks<TRule>(src, wide, narrow, key, firstIndex), nonTemporalMinLength);
        }
    }

    internal static void RunStochastic512<TRule>(
        ReadOnlySpan<float> x,
        Span<float> destination,
        in WideRoundOperator<TRule> wide,
        in NarrowStochasticOperator<TRule> narrow,
        ulong key,
        long firstIndex,
        nuint nonTemporalMinLength = BlockWriter.Never)
        where TRule : struct, IWideRoundingRule
    {
        if (x.Length < Vector512<float>.Count)
        {
            RunStochastic256(x, destination, wide, narrow, key, firstIndex, nonTemporalMinLength);
            return;
        }

        fixed (float* src = &MemoryMarshal.GetReference(x))
        fixed (float* dst = &MemoryMarshal.GetReference(destination))
        {
            BlockWriter.Write512(dst, (nuint)x.Length, new StochasticBlocks<TRule>(src, wide, narrow, key, firstIndex), nonTemporalMinLength);
        }
    }

    /// <summary>Binary64 lanes: the operator on one vector with the random words of its elements.</summary>
    private readonly struct DoubleBlocks<TRule>(double* source, WideRoundOperator<TRule> op, ulong key, long firstIndex) : IBlockSource<double>
        where TRule : struct, IWideRoundingRule
    {
        private readonly double* _source = source;
        private readonly WideRoundOperator<TRule> _op = op;
        private readonly ulong _key = key;
        private readonly long _firstIndex = firstIndex;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<double> Block128(nuint i) => _op.Invoke(Vector128.Load(_source + i), Words128<TRule>(_key, _firstIndex + (long)i));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Block256(nuint i) => _op.Invoke(Vector256.Load(_source + i), Words256<TRule>(_key, _firstIndex + (long)i));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Block512(nuint i) => _op.Invoke(Vector512.Load(_source + i), Words512<TRule>(_key, _firstIndex + (long)i));
    }

    /// <summary>Binary32 storage through binary64 lanes: widen (exact), round, narrow (exact for the formats that take this path).</summary>
    private readonly struct FloatBlocks<TRule>(float* source, WideRoundOperator<TRule> op, ulong key, long firstIndex) : IBlockSource<float>
        where TRule : struct, IWideRoundingRule
    {
        private readonly float* _source = source;
        private readonly WideRoundOperator<TRule> _op = op;
        private readonly ulong _key = key;
        private readonly long _firstIndex = firstIndex;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Block128(nuint i)
        {
            Vector128<float> v = Vector128.Load(_source + i);
            long start = _firstIndex + (long)i;
            Vector128<double> lower = _op.Invoke(Vector128.WidenLower(v), Words128<TRule>(_key, start));
            Vector128<double> upper = _op.Invoke(Vector128.WidenUpper(v), Words128<TRule>(_key, start + Vector128<double>.Count));
            return Vector128.Narrow(lower, upper);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Block256(nuint i)
        {
            Vector256<float> v = Vector256.Load(_source + i);
            long start = _firstIndex + (long)i;
            Vector256<double> lower = _op.Invoke(Vector256.WidenLower(v), Words256<TRule>(_key, start));
            Vector256<double> upper = _op.Invoke(Vector256.WidenUpper(v), Words256<TRule>(_key, start + Vector256<double>.Count));
            return Vector256.Narrow(lower, upper);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Block512(nuint i)
        {
            Vector512<float> v = Vector512.Load(_source + i);
            long start = _firstIndex + (long)i;
            Vector512<double> lower = _op.Invoke(Vector512.WidenLower(v), Words512<TRule>(_key, start));
            Vector512<double> upper = _op.Invoke(Vector512.WidenUpper(v), Words512<TRule>(_key, start + Vector512<double>.Count));
            return Vector512.Narrow(lower, upper);
        }
    }

    /// <summary>The stochastic modes on binary32 lanes: the 32-bit kernel, or the binary64-lane kernel for vectors with a rare lane.</summary>
    private readonly struct StochasticBlocks<TRule>(float* source, WideRoundOperator<TRule> wide, NarrowStochasticOperator<TRule> narrow, ulong key, long firstIndex)
        : IBlockSource<float>
        where TRule : struct, IWideRoundingRule
    {
        private readonly float* _source = source;
        private readonly WideRoundOperator<TRule> _wide = wide;
        private readonly NarrowStochasticOperator<TRule> _narrow = narrow;
        private readonly ulong _key = key;
        private readonly long _firstIndex = firstIndex;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Block128(nuint i)
        {
            Vector128<float> v = Vector128.Load(_source + i);
            long start = _firstIndex + (long)i;
            Vector128<ulong> lowerWords = Words128<TRule>(_key, start);
            Vector128<ulong> upperWords = Words128<TRule>(_key, start + Vector128<double>.Count);
            if (_narrow.IsRare(v))
            {
                return Vector128.Narrow(_wide.Invoke(Vector128.WidenLower(v), lowerWords), _wide.Invoke(Vector128.WidenUpper(v), upperWords));
            }

            return _narrow.Invoke(v, Vector128.Narrow(Vector128.ShiftRightLogical(lowerWords, 32), Vector128.ShiftRightLogical(upperWords, 32)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Block256(nuint i)
        {
            Vector256<float> v = Vector256.Load(_source + i);
            long start = _firstIndex + (long)i;
            Vector256<ulong> lowerWords = Words256<TRule>(_key, start);
            Vector256<ulong> upperWords = Words256<TRule>(_key, start + Vector256<double>.Count);
            if (_narrow.IsRare(v))
            {
                return Vector256.Narrow(_wide.Invoke(Vector256.WidenLower(v), lowerWords), _wide.Invoke(Vector256.WidenUpper(v), upperWords));
            }

            return _narrow.Invoke(v, Vector256.Narrow(Vector256.ShiftRightLogical(lowerWords, 32), Vector256.ShiftRightLogical(upperWords, 32)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Block512(nuint i)
        {
            Vector512<float> v = Vector512.Load(_source + i);
            long start = _firstIndex + (long)i;
            Vector512<ulong> lowerWords = Words512<TRule>(_key, start);
            Vector512<ulong> upperWords = Words512<TRule>(_key, start + Vector512<double>.Count);
            if (_narrow.IsRare(v))
            {
                return Vector512.Narrow(_wide.Invoke(Vector512.WidenLower(v), lowerWords), _wide.Invoke(Vector512.WidenUpper(v), upperWords));
            }

            return _narrow.Invoke(v, Vector512.Narrow(Vector512.ShiftRightLogical(lowerWords, 32), Vector512.ShiftRightLogical(upperWords, 32)));
        }
    }
}
