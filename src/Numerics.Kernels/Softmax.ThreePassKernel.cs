// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Numerics.Kernels;

/// <summary>
/// Three-pass softmax that evaluates exp once: pass 1 finds the maximum M; pass 2 stores e_i = exp(x_i - M) into y and sums
/// it; pass 3 multiplies y by 1/sum. The same passes also give log-softmax (pass 2 without the store, pass 3 writes
/// (x_i - M) - log(sum)).
/// </summary>
/// <remarks>
/// <para><b>Same bits on every tier.</b> The maximum is exact whatever the order. The sum has a fixed logical shape: element i
/// of a block of <see cref="Block"/> elements is added to logical lane i % 64 (four 512-bit registers, eight 256-bit,
/// sixteen 128-bit or a 64-entry array, all kept in a 64-float stack array between steps), elements after the last full
/// step go through the scalar code into the same lanes, and at the end of the block the 64 lanes are added in lane order
/// into a double, then the block sums are added in block order.</para>
/// <para><b>Speed.</b> exp is <see cref="ExpNonPositive"/> (degree 5, one-constant reduction: 8 floating-point operations per
/// vector besides the subtraction of M, the clamp and the sum), and the clamp is skipped when pass 1, which finds the minimum
/// too, shows that every x_i - M is in range. Passes 1 and 3 run 4 vectors per step after a scalar prologue to a 64-byte
/// boundary (misaligned 512-bit accesses touch two cache lines); the sum pass cannot peel (its lanes are fixed by the index).</para>
/// <para><b>Special values.</b> The maximum skips NaN (maxps(x, acc) keeps acc when x is NaN); a NaN input then makes its e_i,
/// hence the sum, NaN, and the whole row becomes NaN. If the maximum is +inf, the +inf entries share the mass equally and
/// the others get 0 (the limit of softmax as those entries grow together); a NaN still makes the row NaN. If the maximum is
/// -inf (every entry -inf), the row is NaN: softmax is 0/0 there (PyTorch and JAX return NaN too). For finite M the sum is at
/// least 1 (the maximum contributes exp(0) = 1 exactly), so nothing overflows; x_i - M may round to -inf, which gives 0.</para>
/// </remarks>
[SkipLocalsInit]
internal static unsafe class ThreePassKernel
{
    internal const int SumLanes = 64;
    internal const int Block = 16384;

    internal static void Run(ReadOnlySpan<float> x, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Run512(x, y);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run256(x, y);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Run128(x, y);
        }
        else
        {
            RunScalar(x, y);
        }
    }

    internal static void RunLog(ReadOnlySpan<float> x, Span<float> y)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            RunLog512(x, y);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            RunLog256(x, y);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            RunLog128(x, y);
        }
        else
        {
            RunLogScalar(x, y);
        }
    }

    // Tier entry points: the passes are written per width below; the special-value logic is shared.
    internal static void RunScalar(ReadOnlySpan<float> x, Span<float> y) => Softmax(x, y, Tier.Scalar);

    internal static void Run128(ReadOnlySpan<float> x, Span<float> y) => Softmax(x, y, Tier.V128);

    internal static void Run256(ReadOnlySpan<float> x, Span<float> y) => Softmax(x, y, Tier.V256);

    internal static void Run512(ReadOnlySpan<float> x, Span<float> y) => Softmax(x, y, Tier.V512);

    internal static void RunLogScalar(ReadOnlySpan<float> x, Span<float> y) => LogSoftmax(x, y, Tier.Scalar);

    internal static void RunLog128(ReadOnlySpan<float> x, Span<float> y) => LogSoftmax(x, y, Tier.V128);

    internal static void RunLog256(ReadOnlySpan<float> x, Span<float> y) => LogSoftmax(x, y, Tier.V256);

    internal static void RunLog512(ReadOnlySpan<float> x, Span<float> y) => LogSoftmax(x, y, Tier.V512);

    /// <summary>The widest accelerated tier, as the dispatchers pick it.</summary>
    internal static Tier CurrentTier
        => Vector512.IsHardwareAccelerated ? Tier.V512
        : Vector256.IsHardwareAccelerated ? Tier.V256
        : Vector128.IsHardwareAccelerated ? Tier.V128
        : Tier.Scalar;

    internal static void RunTier(ReadOnlySpan<float> x, Span<float> y, Tier tier) => Softmax(x, y, tier);

    internal enum Tier
    {
        Scalar,
        V128,
        V256,
        V512,
    }

    private static void Softmax(ReadOnlySpan<float> x, Span<float> y, Tier tier)
    {
        if (x.IsEmpty)
        {
            return;
        }

        float max = MaxMin(x, tier, out float min);
        if (float.IsPositiveInfinity(max))
        {
            InfiniteMaximum(x, y, log: false);
            return;
        }

        if (float.IsNegativeInfinity(max))
        {
            // Every entry is -inf (or NaN): 0/0.
            y[..x.Length].Fill(float.NaN);
            return;
        }

        double sum = SumExp(x, y, max, store: true, InRange(min, max), tier);
        if (!(sum >= 1))
        {
            y[..x.Length].Fill(float.NaN);
            return;
        }

        Multiply(y[..x.Length], (float)(1.0 / sum), tier);
    }

    private static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y, Tier tier)
    {
        if (x.IsEmpty)
        {
            return;
        }

        float max = MaxMin(x, tier, out float min);
        if (float.IsPositiveInfinity(max))
        {
            InfiniteMaximum(x, y, log: true);
            return;
        }

        if (float.IsNegativeInfinity(max))
        {
            y[..x.Length].Fill(float.NaN);
            return;
        }

        double sum = SumExp(x, y, max, store: false, InRange(min, max), tier);
        if (!(sum >= 1))
        {
            y[..x.Length].Fill(float.NaN);
            return;
        }

        ShiftSubtract(x, y, max, (float)System.Math.Log(sum), tier);
    }

    /// <summary>Maximum is +inf: the +inf entries share the mass (log: -log(count)), the rest get 0 (log: -inf); NaN wins.</summary>
    private static void InfiniteMaximum(ReadOnlySpan<float> x, Span<float> y, bool log)
    {
        int count = 0;
        foreach (float v in x)
        {
            if (float.IsNaN(v))
            {
                y[..x.Length].Fill(float.NaN);
                return;
            }

            if (float.IsPositiveInfinity(v))
            {
                count++;
            }
        }

        float share = log ? (float)-System.Math.Log(count) : (float)(1.0 / count);
        float rest = log ? float.NegativeInfinity : 0f;
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = float.IsPositiveInfinity(x[i]) ? share : rest;
        }
    }

    // ---------------------------------------------------------------- pass 1: maximum

    /// <summary>Elements before the first 64-byte boundary at or after <paramref name="p"/> (0 if p is not float-aligned).</summary>
    internal static unsafe int ElementsToAlignment(ref float p)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref p);
        return (address & 3) != 0 ? 0 : (int)(((64 - (address & 63)) & 63) / 4);
    }

    /// <summary>The maximum of x (NaN skipped; -inf when x is empty or all NaN).</summary>
    internal static float Max(ReadOnlySpan<float> x, Tier tier) => MaxMin(x, tier, out _);

    /// <summary>The maximum and the minimum of x in one pass, NaN skipped (maxps/minps(x, acc) keep acc when x is NaN). Both
    /// are exact whatever the order, except that the sign of a zero extremum may depend on it, which no result depends on.</summary>
    internal static float MaxMin(ReadOnlySpan<float> x, Tier tier, out float min)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        int i = 0;
        float max = float.NegativeInfinity;
        min = float.PositiveInfinity;
        if (tier != Tier.Scalar)
        {
            // Scalar prologue up to a 64-byte boundary: aligned loads are faster, and the extrema do not depend on the order.
            for (int peel = System.Math.Min(x.Length, ElementsToAlignment(ref src)); i < peel; i++)
            {
                max = TwoPassKernel.MaxNative(x[i], max);
                min = MinNative(x[i], min);
            }
        }

        if (tier == Tier.V512 && x.Length >= Vector512<float>.Count)
        {
            Vector512<float> a0 = Vector512.Create(float.NegativeInfinity), a1 = a0, a2 = a0, a3 = a0;
            Vector512<float> b0 = Vector512.Create(float.PositiveInfinity), b1 = b0, b2 = b0, b3 = b0;
            for (; i + (4 * Vector512<float>.Count) <= x.Length; i += 4 * Vector512<float>.Count)
            {
                int k = i;
                Vector512<float> v0 = Vector512.LoadUnsafe(ref src, (nuint)k);
                Vector512<float> v1 = Vector512.LoadUnsafe(ref src, (nuint)(k + Vector512<float>.Count));
                Vector512<float> v2 = Vector512.LoadUnsafe(ref src, (nuint)(k + (2 * Vector512<float>.Count)));
                Vector512<float> v3 = Vector512.LoadUnsafe(ref src, (nuint)(k + (3 * Vector512<float>.Count)));
                a0 = Vector512.MaxNative(v0, a0);
                a1 = Vector512.MaxNative(v1, a1);
                a2 = Vector512.MaxNative(v2, a2);
                a3 = Vector512.MaxNative(v3, a3);
                b0 = Vector512.MinNative(v0, b0);
                b1 = Vector512.MinNative(v1, b1);
                b2 = Vector512.MinNative(v2, b2);
                b3 = Vector512.MinNative(v3, b3);
            }

            for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
            {
                Vector512<float> v0 = Vector512.LoadUnsafe(ref src, (nuint)i);
                a0 = Vector512.MaxNative(v0, a0);
                b0 = Vector512.MinNative(v0, b0);
            }

            a0 = Vector512.MaxNative(Vector512.MaxNative(a0, a1), Vector512.MaxNative(a2, a3));
            b0 = Vector512.MinNative(Vector512.MinNative(b0, b1), Vector512.MinNative(b2, b3));
            for (int j = 0; j < Vector512<float>.Count; j++)
            {
                max = TwoPassKernel.MaxNative(a0.GetElement(j), max);
                min = MinNative(b0.GetElement(j), min);
            }
        }
        else if (tier == Tier.V256 && x.Length >= Vector256<float>.Count)
        {
            Vector256<float> a0 = Vector256.Create(float.NegativeInfinity), a1 = a0, a2 = a0, a3 = a0;
            Vector256<float> b0 = Vector256.Create(float.PositiveInfinity), b1 = b0, b2 = b0, b3 = b0;
            for (; i + (4 * Vector256<float>.Count) <= x.Length; i += 4 * Vector256<float>.Count)
            {
                int k = i;
                Vector256<float> v0 = Vector256.LoadUnsafe(ref src, (nuint)k);
                Vector256<float> v1 = Vector256.LoadUnsafe(ref src, (nuint)(k + Vector256<float>.Count));
                Vector256<float> v2 = Vector256.LoadUnsafe(ref src, (nuint)(k + (2 * Vector256<float>.Count)));
                Vector256<float> v3 = Vector256.LoadUnsafe(ref src, (nuint)(k + (3 * Vector256<float>.Count)));
                a0 = Vector256.MaxNative(v0, a0);
                a1 = Vector256.MaxNative(v1, a1);
                a2 = Vector256.MaxNative(v2, a2);
                a3 = Vector256.MaxNative(v3, a3);
                b0 = Vector256.MinNative(v0, b0);
                b1 = Vector256.MinNative(v1, b1);
                b2 = Vector256.MinNative(v2, b2);
                b3 = Vector256.MinNative(v3, b3);
            }

            for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
            {
                Vector256<float> v0 = Vector256.LoadUnsafe(ref src, (nuint)i);
                a0 = Vector256.MaxNative(v0, a0);
                b0 = Vector256.MinNative(v0, b0);
            }

            a0 = Vector256.MaxNative(Vector256.MaxNative(a0, a1), Vector256.MaxNative(a2, a3));
            b0 = Vector256.MinNative(Vector256.MinNative(b0, b1), Vector256.MinNative(b2, b3));
            for (int j = 0; j < Vector256<float>.Count; j++)
            {
                max = TwoPassKernel.MaxNative(a0.GetElement(j), max);
                min = MinNative(b0.GetElement(j), min);
            }
        }
        else if (tier == Tier.V128 && x.Length >= Vector128<float>.Count)
        {
            Vector128<float> a0 = Vector128.Create(float.NegativeInfinity), a1 = a0, a2 = a0, a3 = a0;
            Vector128<float> b0 = Vector128.Create(float.PositiveInfinity), b1 = b0, b2 = b0, b3 = b0;
            for (; i + (4 * Vector128<float>.Count) <= x.Length; i += 4 * Vector128<float>.Count)
            {
                int k = i;
                Vector128<float> v0 = Vector128.LoadUnsafe(ref src, (nuint)k);
                Vector128<float> v1 = Vector128.LoadUnsafe(ref src, (nuint)(k + Vector128<float>.Count));
                Vector128<float> v2 = Vector128.LoadUnsafe(ref src, (nuint)(k + (2 * Vector128<float>.Count)));
                Vector128<float> v3 = Vector128.LoadUnsafe(ref src, (nuint)(k + (3 * Vector128<float>.Count)));
                a0 = Vector128.MaxNative(v0, a0);
                a1 = Vector128.MaxNative(v1, a1);
                a2 = Vector128.MaxNative(v2, a2);
                a3 = Vector128.MaxNative(v3, a3);
                b0 = Vector128.MinNative(v0, b0);
                b1 = Vector128.MinNative(v1, b1);
                b2 = Vector128.MinNative(v2, b2);
                b3 = Vector128.MinNative(v3, b3);
            }

            for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
            {
                Vector128<float> v0 = Vector128.LoadUnsafe(ref src, (nuint)i);
                a0 = Vector128.MaxNative(v0, a0);
                b0 = Vector128.MinNative(v0, b0);
            }

            a0 = Vector128.MaxNative(Vector128.MaxNative(a0, a1), Vector128.MaxNative(a2, a3));
            b0 = Vector128.MinNative(Vector128.MinNative(b0, b1), Vector128.MinNative(b2, b3));
            for (int j = 0; j < Vector128<float>.Count; j++)
            {
                max = TwoPassKernel.MaxNative(a0.GetElement(j), max);
                min = MinNative(b0.GetElement(j), min);
            }
        }

        for (; i < x.Length; i++)
        {
            // maxps(x, acc): NaN inputs are skipped, so the accumulators never become NaN.
            max = TwoPassKernel.MaxNative(x[i], max);
            min = MinNative(x[i], min);
        }

        return max;
    }

    /// <summary>x86 minps(a, b): a when a &lt; b, else b (so b when either is NaN), the semantics of Vector*.MinNative here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float MinNative(float a, float b) => a < b ? a : b;

    // ---------------------------------------------------------------- pass 2: sum of exp(x - max)

    /// <summary>Sum of exp(x_i - max) in the fixed 64-lane order; stores the exps into y when <paramref name="store"/>.</summary>
    /// <remarks>With <paramref name="inRange"/> (every x_i - max is at least <see cref="ExpNonPositive.InRangeLimit"/>) the
    /// exp skips its clamp; the bits are the same either way, only one operation per vector is saved.</remarks>
    internal static double SumExp(ReadOnlySpan<float> x, Span<float> y, float max, bool store, bool inRange, Tier tier)
        => inRange ? SumExp<InRangeExp>(x, y, max, store, tier) : SumExp<ClampedExp>(x, y, max, store, tier);

    /// <summary>min - max &gt;= the limit (false for NaN or infinite min - max), so every x_i - max is in range.</summary>
    internal static bool InRange(float min, float max) => min - max >= ExpNonPositive.InRangeLimit;

    private static double SumExp<TExp>(ReadOnlySpan<float> x, Span<float> y, float max, bool store, Tier tier)
        where TExp : struct, IExp
    {
        Span<float> lanes = stackalloc float[SumLanes];
        double total = 0;
        for (int start = 0; start < x.Length; start += Block)
        {
            int length = System.Math.Min(Block, x.Length - start);
            ReadOnlySpan<float> xb = x.Slice(start, length);
            Span<float> yb = store ? y.Slice(start, length) : default;
            lanes.Clear();
            int i = tier switch
            {
                Tier.V512 => SumExp512<TExp>(xb, yb, max, store, lanes),
                Tier.V256 => SumExp256<TExp>(xb, yb, max, store, lanes),
                Tier.V128 => SumExp128<TExp>(xb, yb, max, store, lanes),
                _ => 0,
            };
            for (; i < length; i++)
            {
                float e = TExp.Exp(xb[i] - max);
                if (store)
                {
                    yb[i] = e;
                }

                lanes[i % SumLanes] += e;
            }

            double blockSum = 0;
            for (int j = 0; j < SumLanes; j++)
            {
                blockSum += lanes[j];
            }

            total += blockSum;
        }

        return total;
    }

    private static int SumExp512<TExp>(ReadOnlySpan<float> x, Span<float> y, float max, bool store, Span<float> lanes)
        where TExp : struct, IExp
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(y);
        ref float acc = ref MemoryMarshal.GetReference(lanes);
        Vector512<float> m = Vector512.Create(max);
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + SumLanes <= x.Length; i += SumLanes)
        {
            Vector512<float> e0 = Vector512.LoadUnsafe(ref src, (nuint)i) - m;
            Vector512<float> e1 = Vector512.LoadUnsafe(ref src, (nuint)(i + 16)) - m;
            Vector512<float> e2 = Vector512.LoadUnsafe(ref src, (nuint)(i + 32)) - m;
            Vector512<float> e3 = Vector512.LoadUnsafe(ref src, (nuint)(i + 48)) - m;
            TExp.Exp4(ref e0, ref e1, ref e2, ref e3);
            if (store)
            {
                e0.StoreUnsafe(ref dst, (nuint)i);
                e1.StoreUnsafe(ref dst, (nuint)(i + 16));
                e2.StoreUnsafe(ref dst, (nuint)(i + 32));
                e3.StoreUnsafe(ref dst, (nuint)(i + 48));
            }

            a0 += e0;
            a1 += e1;
            a2 += e2;
            a3 += e3;
        }

        a0.StoreUnsafe(ref acc);
        a1.StoreUnsafe(ref acc, 16);
        a2.StoreUnsafe(ref acc, 32);
        a3.StoreUnsafe(ref acc, 48);
        return i;
    }

    private static int SumExp256<TExp>(ReadOnlySpan<float> x, Span<float> y, float max, bool store, Span<float> lanes)
        where TExp : struct, IExp
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(y);
        ref float acc = ref MemoryMarshal.GetReference(lanes);
        Vector256<float> m = Vector256.Create(max);
        int i = 0;
        for (; i + SumLanes <= x.Length; i += SumLanes)
        {
            for (int g = 0; g < SumLanes; g += Vector256<float>.Count)
            {
                Vector256<float> e = TExp.Exp(Vector256.LoadUnsafe(ref src, (nuint)(i + g)) - m);
                if (store)
                {
                    e.StoreUnsafe(ref dst, (nuint)(i + g));
                }

                (Vector256.LoadUnsafe(ref acc, (nuint)g) + e).StoreUnsafe(ref acc, (nuint)g);
            }
        }

        return i;
    }

    private static int SumExp128<TExp>(ReadOnlySpan<float> x, Span<float> y, float max, bool store, Span<float> lanes)
        where TExp : struct, IExp
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(y);
        ref float acc = ref MemoryMarshal.GetReference(lanes);
        Vector128<float> m = Vector128.Create(max);
        int i = 0;
        for (; i + SumLanes <= x.Length; i += SumLanes)
        {
            for (int g = 0; g < SumLanes; g += Vector128<float>.Count)
            {
                Vector128<float> e = TExp.Exp(Vector128.LoadUnsafe(ref src, (nuint)(i + g)) - m);
                if (store)
                {
                    e.StoreUnsafe(ref dst, (nuint)(i + g));
                }

                (Vector128.LoadUnsafe(ref acc, (nuint)g) + e).StoreUnsafe(ref acc, (nuint)g);
            }
        }

        return i;
    }

    /// <summary>The exp of the sum pass, chosen once per row: clamped, or (same bits, one operation less) in range.</summary>
    internal interface IExp
    {
        static abstract float Exp(float d);

        static abstract Vector128<float> Exp(Vector128<float> d);

        static abstract Vector256<float> Exp(Vector256<float> d);

        static abstract Vector512<float> Exp(Vector512<float> d);

        /// <summary>Four 512-bit <see cref="Exp(Vector512{float})"/> in place, interleaved stage by stage (same bits).</summary>
        static abstract void Exp4(ref Vector512<float> d0, ref Vector512<float> d1, ref Vector512<float> d2, ref Vector512<float> d3);
    }

    internal readonly struct ClampedExp : IExp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Exp(float d) => ExpNonPositive.Exp(d);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Exp(Vector128<float> d) => ExpNonPositive.Exp(d);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Exp(Vector256<float> d) => ExpNonPositive.Exp(d);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Exp(Vector512<float> d) => ExpNonPositive.Exp(d);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Exp4(ref Vector512<float> d0, ref Vector512<float> d1, ref Vector512<float> d2, ref Vector512<float> d3)
            => ExpNonPositive.Exp4(ref d0, ref d1, ref d2, ref d3);
    }

    internal readonly struct InRangeExp : IExp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Exp(float d) => ExpNonPositive.ExpInRange(d);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Exp(Vector128<float> d) => ExpNonPositive.ExpInRange(d);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Exp(Vector256<float> d) => ExpNonPositive.ExpInRange(d);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Exp(Vector512<float> d) => ExpNonPositive.ExpInRange(d);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Exp4(ref Vector512<float> d0, ref Vector512<float> d1, ref Vector512<float> d2, ref Vector512<float> d3)
            => ExpNonPositive.ExpInRange4(ref d0, ref d1, ref d2, ref d3);
    }

    // ---------------------------------------------------------------- pass 3

    /// <summary>y *= factor, element-wise, 4 vectors per step after a scalar prologue that makes the vector accesses 64-byte
    /// aligned (a misaligned 512-bit access touches two cache lines; element-wise work gives the same bits in any split).</summary>
    internal static void Multiply(Span<float> y, float factor, Tier tier)
    {
        ref float dst = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (tier != Tier.Scalar)
        {
            for (int peel = System.Math.Min(y.Length, ElementsToAlignment(ref dst)); i < peel; i++)
            {
                y[i] *= factor;
            }
        }

        if (tier == Tier.V512)
        {
            Vector512<float> f = Vector512.Create(factor);
            for (; i + (4 * Vector512<float>.Count) <= y.Length; i += 4 * Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref dst, (nuint)i) * f).StoreUnsafe(ref dst, (nuint)i);
                (Vector512.LoadUnsafe(ref dst, (nuint)(i + Vector512<float>.Count)) * f).StoreUnsafe(ref dst, (nuint)(i + Vector512<float>.Count));
                (Vector512.LoadUnsafe(ref dst, (nuint)(i + (2 * Vector512<float>.Count))) * f).StoreUnsafe(ref dst, (nuint)(i + (2 * Vector512<float>.Count)));
                (Vector512.LoadUnsafe(ref dst, (nuint)(i + (3 * Vector512<float>.Count))) * f).StoreUnsafe(ref dst, (nuint)(i + (3 * Vector512<float>.Count)));
            }

            for (; i + Vector512<float>.Count <= y.Length; i += Vector512<float>.Count)
            {
                (Vector512.LoadUnsafe(ref dst, (nuint)i) * f).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        else if (tier == Tier.V256)
        {
            Vector256<float> f = Vector256.Create(factor);
            for (; i + (4 * Vector256<float>.Count) <= y.Length; i += 4 * Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref dst, (nuint)i) * f).StoreUnsafe(ref dst, (nuint)i);
                (Vector256.LoadUnsafe(ref dst, (nuint)(i + Vector256<float>.Count)) * f).StoreUnsafe(ref dst, (nuint)(i + Vector256<float>.Count));
                (Vector256.LoadUnsafe(ref dst, (nuint)(i + (2 * Vector256<float>.Count))) * f).StoreUnsafe(ref dst, (nuint)(i + (2 * Vector256<float>.Count)));
                (Vector256.LoadUnsafe(ref dst, (nuint)(i + (3 * Vector256<float>.Count))) * f).StoreUnsafe(ref dst, (nuint)(i + (3 * Vector256<float>.Count)));
            }

            for (; i + Vector256<float>.Count <= y.Length; i += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref dst, (nuint)i) * f).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        else if (tier == Tier.V128)
        {
            Vector128<float> f = Vector128.Create(factor);
            for (; i + (4 * Vector128<float>.Count) <= y.Length; i += 4 * Vector128<float>.Count)
            {
                (Vector128.LoadUnsafe(ref dst, (nuint)i) * f).StoreUnsafe(ref dst, (nuint)i);
                (Vector128.LoadUnsafe(ref dst, (nuint)(i + Vector128<float>.Count)) * f).StoreUnsafe(ref dst, (nuint)(i + Vector128<float>.Count));
                (Vector128.LoadUnsafe(ref dst, (nuint)(i + (2 * Vector128<float>.Count))) * f).StoreUnsafe(ref dst, (nuint)(i + (2 * Vector128<float>.Count)));
                (Vector128.LoadUnsafe(ref dst, (nuint)(i + (3 * Vector128<float>.Count))) * f).StoreUnsafe(ref dst, (nuint)(i + (3 * Vector128<float>.Count)));
            }

            for (; i + Vector128<float>.Count <= y.Length; i += Vector128<float>.Count)
            {
                (Vector128.LoadUnsafe(ref dst, (nuint)i) * f).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < y.Length; i++)
        {
            y[i] *= factor;
        }
    }

    /// <summary>Log-softmax pass 3: y = (x - max) - logSum.</summary>
    internal static void ShiftSubtract(ReadOnlySpan<float> x, Span<float> y, float max, float logSum, Tier tier)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (tier == Tier.V512)
        {
            Vector512<float> m = Vector512.Create(max), l = Vector512.Create(logSum);
            for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
            {
                ((Vector512.LoadUnsafe(ref src, (nuint)i) - m) - l).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        else if (tier == Tier.V256)
        {
            Vector256<float> m = Vector256.Create(max), l = Vector256.Create(logSum);
            for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
            {
                ((Vector256.LoadUnsafe(ref src, (nuint)i) - m) - l).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        else if (tier == Tier.V128)
        {
            Vector128<float> m = Vector128.Create(max), l = Vector128.Create(logSum);
            for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
            {
                ((Vector128.LoadUnsafe(ref src, (nuint)i) - m) - l).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = (x[i] - max) - logSum;
        }
    }
}
