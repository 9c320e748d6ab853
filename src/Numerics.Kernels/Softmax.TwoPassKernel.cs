// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>
/// The two-pass softmax of Dukhan and Ablavatski (arXiv:2001.04438): pass 1 sums exp(x) as (mantissa, exponent) pairs with no
/// max pass, so nothing overflows; pass 2 recomputes exp(x) and scales it by the reciprocal of the sum.
/// </summary>
/// <remarks>
/// <para><b>Same bits on every tier.</b> The reduction has a fixed logical shape that does not depend on the vector width:
/// each block of <see cref="Block"/> elements is cut into steps of <see cref="Step"/> = 64 elements; element i of a step
/// belongs to logical lane i % 16, and each lane folds its four elements of the step into its (sum, exponent) accumulator
/// with one shared max (the paper's "several inputs share one max"). The 512-bit body keeps the 16 lanes in one register,
/// the 256-bit body in two, the 128-bit body in four, the scalar body in a 16-entry array; the operations per lane and their
/// order are the same text in all four (see <see cref="StepLane"/>). The last partial step of a block runs through the scalar
/// lane step in every body. At the end of each block the 16 lanes are merged, in lane order, into a running (sum, exponent)
/// pair in double (<see cref="Merge"/>), which also keeps the rounding error of the float lane sums local to a block.</para>
/// <para><b>Rescaling.</b> (a, d) -> a*2^d uses AVX-512 vscalefps where present and a portable form that gives the same bits
/// (see <see cref="ScaleByPowerOfTwo"/>). The mantissas it sees are 0 or in [0.59, 2^11] in pass 1 (a lane sum holds at most
/// 1024 mantissas of at most 1.42, and always includes one mantissa scaled by 2^0), and p/S in [2^-33, 2.9] in pass 2.</para>
/// <para><b>Safety.</b> exp is split for x clamped to +-32768 (<see cref="ExpSplit.ClampLimit"/>). If the row's largest exponent
/// is within 274 of either clamp exponent (+-47274), i.e. a row whose maximum is above about 32579 or below about -32579,
/// an infinity or a NaN is present, the kernel falls back to the three-pass kernel of the same tier, which handles every input
/// exactly. Otherwise every clamped-low element is more than 190 below the row maximum, so its true softmax is below 2^-270
/// and rounds to 0, which is what the kernel writes.</para>
/// </remarks>
[SkipLocalsInit]
internal static class TwoPassKernel
{
    internal const int Lanes = 16;
    internal const int Step = 64;
    internal const int Block = 16384;

    /// <summary>Exponent given to padding positions of the last partial step (their mantissa is 0).</summary>
    internal const float PadExponent = -1073741824f;

    /// <summary>Rows whose largest split exponent reaches +-47000 go to the three-pass kernel (the clamp exponent is 47274).</summary>
    internal const double FallbackExponent = 47000;

    /// <summary>The 512-bit reduce prefetches x this many elements (8 KiB) ahead.</summary>
    /// <remarks>Measured at 16M floats (docs/benchmarks, round 5, under load): in three pairs of processes (without, with), the
    /// median of the whole two-pass was 1-13 % lower with it; the reduce alone 3 % (2.93 vs 3.02 ms). Small, within the spread.</remarks>
    internal const int PrefetchDistance = 2048;

    /// <summary>Rows at least this long (4 MiB) prefetch in the reduce; in cache the hints cost 2-4 % (measured at 32K).</summary>
    internal const int PrefetchMinLength = 1 << 20;

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

    // ---------------------------------------------------------------- scalar reference

    internal static void RunScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty)
        {
            return;
        }

        double s = 0, e = double.NegativeInfinity;
        for (int start = 0; start < x.Length; start += Block)
        {
            (double bs, double be) = ReduceBlockScalar(x.Slice(start, System.Math.Min(Block, x.Length - start)));
            Merge(ref s, ref e, bs, be);
        }

        if (NeedsFallback(s, e))
        {
            ThreePassKernel.RunScalar(x, y);
            return;
        }

        ScaleTail(x, y, 0, (float)(1.0 / s), (float)e);
    }

    internal static (double Sum, double Exponent) ReduceBlockScalar(ReadOnlySpan<float> block)
    {
        Span<float> accv = stackalloc float[Lanes];
        Span<float> acce = stackalloc float[Lanes];
        accv.Clear();
        acce.Fill(float.NegativeInfinity);
        ReduceTail(block, 0, accv, acce);
        return MergeLanes(accv, acce);
    }

    /// <summary>Scalar steps from <paramref name="i"/> (a multiple of <see cref="Step"/>) to the end of the block.</summary>
    internal static void ReduceTail(ReadOnlySpan<float> block, int i, Span<float> accv, Span<float> acce)
    {
        for (; i < block.Length; i += Step)
        {
            for (int j = 0; j < Lanes; j++)
            {
                float p0 = SplitOrPad(block, i + j, out float n0);
                float p1 = SplitOrPad(block, i + Lanes + j, out float n1);
                float p2 = SplitOrPad(block, i + (2 * Lanes) + j, out float n2);
                float p3 = SplitOrPad(block, i + (3 * Lanes) + j, out float n3);
                StepLane(ref accv[j], ref acce[j], p0, n0, p1, n1, p2, n2, p3, n3);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SplitOrPad(ReadOnlySpan<float> block, int k, out float n)
    {
        if (k < block.Length)
        {
            return ExpSplit.Split(block[k], out n);
        }

        n = PadExponent;
        return 0f;
    }

    /// <summary>One lane folds four (p, n) pairs into its (accv, acce) accumulator. The vector steps are this text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StepLane(ref float accv, ref float acce, float p0, float n0, float p1, float n1, float p2, float n2, float p3, float n3)
    {
        float m = MaxNative(acce, MaxNative(MaxNative(n0, n1), MaxNative(n2, n3)));
        float s = ScaleByPowerOfTwo.Scale(accv, acce - m);
        float a = ScaleByPowerOfTwo.Scale(p0, n0 - m) + ScaleByPowerOfTwo.Scale(p1, n1 - m);
        float b = ScaleByPowerOfTwo.Scale(p2, n2 - m) + ScaleByPowerOfTwo.Scale(p3, n3 - m);
        accv = s + (a + b);
        acce = m;
    }

    /// <summary>x86 maxps(a, b): a when a &gt; b, else b (so b when either is NaN), the semantics of Vector*.MaxNative here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float MaxNative(float a, float b) => a > b ? a : b;

    /// <summary>Pass 2 for elements from <paramref name="i"/> on: y = (p / S) * 2^(n - E).</summary>
    internal static void ScaleTail(ReadOnlySpan<float> x, Span<float> y, int i, float inv, float e)
    {
        for (; i < x.Length; i++)
        {
            float p = ExpSplit.Split(x[i], out float n);
            y[i] = ScaleByPowerOfTwo.Scale(p * inv, n - e);
        }
    }

    /// <summary>A block's (sum, exponent): its lanes merged in lane order, starting from an empty pair.</summary>
    internal static (double Sum, double Exponent) MergeLanes(ReadOnlySpan<float> accv, ReadOnlySpan<float> acce)
    {
        double s = 0, e = double.NegativeInfinity;
        for (int j = 0; j < accv.Length; j++)
        {
            Merge(ref s, ref e, accv[j], acce[j]);
        }

        return (s, e);
    }

    /// <summary>(s, e) += (v, ve) as s*2^e + v*2^ve, in double. Lanes that saw only padding have v = 0 and are skipped.</summary>
    internal static void Merge(ref double s, ref double e, double v, double ve)
    {
        if (v == 0)
        {
            return;
        }

        if (s == 0)
        {
            s = v;
            e = ve;
        }
        else if (ve > e)
        {
            s = double.ScaleB(s, (int)(e - ve)) + v;
            e = ve;
        }
        else
        {
            s += double.ScaleB(v, (int)(ve - e));
        }
    }

    /// <summary>NaN sum (a NaN input), or an exponent near a clamp limit (infinities, |max| above ~32579, all very negative).</summary>
    internal static bool NeedsFallback(double s, double e) => !(s > 0) || e >= FallbackExponent || e <= -FallbackExponent;

    // ---------------------------------------------------------------- 512-bit

    internal static void Run512(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty)
        {
            return;
        }

        double s = 0, e = double.NegativeInfinity;
        for (int start = 0; start < x.Length; start += Block)
        {
            (double bs, double be) = ReduceBlock512(x.Slice(start, System.Math.Min(Block, x.Length - start)), x.Length >= PrefetchMinLength);
            Merge(ref s, ref e, bs, be);
        }

        if (NeedsFallback(s, e))
        {
            ThreePassKernel.Run512(x, y);
            return;
        }

        Scale512(x, y, (float)(1.0 / s), (float)e);
    }

    internal static unsafe (double Sum, double Exponent) ReduceBlock512(ReadOnlySpan<float> block, bool prefetch = false)
    {
        Span<float> accv = stackalloc float[Lanes];
        Span<float> acce = stackalloc float[Lanes];
        ref float src = ref MemoryMarshal.GetReference(block);
        Vector512<float> v = Vector512<float>.Zero;
        Vector512<float> ve = Vector512.Create(float.NegativeInfinity);
        int i = 0;
        if (prefetch && Sse.IsSupported)
        {
            // Software prefetch PrefetchDistance elements ahead (into the next block at the end of this one; past the end of
            // the row it only wastes a few lines). Hints only: the bits do not change, and a stale address (the GC may move an
            // unpinned x) costs nothing but the hint.
            byte* ahead = (byte*)Unsafe.AsPointer(ref src) + (PrefetchDistance * sizeof(float));
            for (; i + Step <= block.Length; i += Step)
            {
                byte* p = ahead + (i * sizeof(float));
                Sse.Prefetch0(p);
                Sse.Prefetch0(p + 64);
                Sse.Prefetch0(p + 128);
                Sse.Prefetch0(p + 192);
                Step512(ref v, ref ve, ref src, (nuint)i);
            }
        }

        for (; i + Step <= block.Length; i += Step)
        {
            Step512(ref v, ref ve, ref src, (nuint)i);
        }

        v.StoreUnsafe(ref MemoryMarshal.GetReference(accv));
        ve.StoreUnsafe(ref MemoryMarshal.GetReference(acce));
        ReduceTail(block, i, accv, acce);
        return MergeLanes(accv, acce);
    }

    /// <summary>Pass 2, 512-bit: y = (p / S) * 2^(n - E), four vectors per step (their exps interleaved stage by stage).</summary>
    /// <remarks>Not inlined: inlined into <see cref="Run512"/> the same loop measured 1.2x slower at 32K (CPU time, same run).
    /// Non-temporal stores of y (aligned by a peeled head) were measured again and were slower at 4M and 16M (docs/benchmarks,
    /// round 4), so y is written with ordinary stores.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Scale512(ReadOnlySpan<float> x, Span<float> y, float inv, float ef)
    {
        ref float yd = ref MemoryMarshal.GetReference(y);
        int k = 0;
        Vector512<float> vinv = Vector512.Create(inv), vef = Vector512.Create(ef);
        ref float xs = ref MemoryMarshal.GetReference(x);
        for (; k + (4 * Vector512<float>.Count) <= x.Length; k += 4 * Vector512<float>.Count)
        {
            Vector512<float> p0 = Vector512.LoadUnsafe(ref xs, (nuint)k);
            Vector512<float> p1 = Vector512.LoadUnsafe(ref xs, (nuint)(k + 16));
            Vector512<float> p2 = Vector512.LoadUnsafe(ref xs, (nuint)(k + 32));
            Vector512<float> p3 = Vector512.LoadUnsafe(ref xs, (nuint)(k + 48));
            ExpSplit.Split4(ref p0, ref p1, ref p2, ref p3, out Vector512<float> n0, out Vector512<float> n1, out Vector512<float> n2, out Vector512<float> n3);
            ScaleByPowerOfTwo.Scale(p0 * vinv, n0 - vef).StoreUnsafe(ref yd, (nuint)k);
            ScaleByPowerOfTwo.Scale(p1 * vinv, n1 - vef).StoreUnsafe(ref yd, (nuint)(k + 16));
            ScaleByPowerOfTwo.Scale(p2 * vinv, n2 - vef).StoreUnsafe(ref yd, (nuint)(k + 32));
            ScaleByPowerOfTwo.Scale(p3 * vinv, n3 - vef).StoreUnsafe(ref yd, (nuint)(k + 48));
        }

        for (; k + Vector512<float>.Count <= x.Length; k += Vector512<float>.Count)
        {
            Vector512<float> p = ExpSplit.Split(Vector512.LoadUnsafe(ref xs, (nuint)k), out Vector512<float> n);
            ScaleByPowerOfTwo.Scale(p * vinv, n - vef).StoreUnsafe(ref yd, (nuint)k);
        }

        ScaleTail(x, y, k, inv, ef);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step512(ref Vector512<float> accv, ref Vector512<float> acce, ref float src, nuint i)
    {
        Vector512<float> p0 = Vector512.LoadUnsafe(ref src, i);
        Vector512<float> p1 = Vector512.LoadUnsafe(ref src, i + Lanes);
        Vector512<float> p2 = Vector512.LoadUnsafe(ref src, i + (2 * Lanes));
        Vector512<float> p3 = Vector512.LoadUnsafe(ref src, i + (3 * Lanes));
        ExpSplit.Split4(ref p0, ref p1, ref p2, ref p3, out Vector512<float> n0, out Vector512<float> n1, out Vector512<float> n2, out Vector512<float> n3);
        Vector512<float> m = Vector512.MaxNative(acce, Vector512.MaxNative(Vector512.MaxNative(n0, n1), Vector512.MaxNative(n2, n3)));
        Vector512<float> s = ScaleByPowerOfTwo.Scale(accv, acce - m);
        Vector512<float> a = ScaleByPowerOfTwo.Scale(p0, n0 - m) + ScaleByPowerOfTwo.Scale(p1, n1 - m);
        Vector512<float> b = ScaleByPowerOfTwo.Scale(p2, n2 - m) + ScaleByPowerOfTwo.Scale(p3, n3 - m);
        accv = s + (a + b);
        acce = m;
    }

    // ---------------------------------------------------------------- 256-bit

    internal static void Run256(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty)
        {
            return;
        }

        double s = 0, e = double.NegativeInfinity;
        for (int start = 0; start < x.Length; start += Block)
        {
            (double bs, double be) = ReduceBlock256(x.Slice(start, System.Math.Min(Block, x.Length - start)));
            Merge(ref s, ref e, bs, be);
        }

        if (NeedsFallback(s, e))
        {
            ThreePassKernel.Run256(x, y);
            return;
        }

        Scale256(x, y, (float)(1.0 / s), (float)e);
    }

    internal static (double Sum, double Exponent) ReduceBlock256(ReadOnlySpan<float> block)
    {
        Span<float> accv = stackalloc float[Lanes];
        Span<float> acce = stackalloc float[Lanes];
        ref float src = ref MemoryMarshal.GetReference(block);
        Vector256<float> v0 = Vector256<float>.Zero, v1 = Vector256<float>.Zero;
        Vector256<float> e0 = Vector256.Create(float.NegativeInfinity), e1 = e0;
        int i = 0;
        for (; i + Step <= block.Length; i += Step)
        {
            Step256(ref v0, ref e0, ref src, (nuint)i);
            Step256(ref v1, ref e1, ref src, (nuint)(i + 8));
        }

        ref float av = ref MemoryMarshal.GetReference(accv);
        ref float ae = ref MemoryMarshal.GetReference(acce);
        v0.StoreUnsafe(ref av);
        v1.StoreUnsafe(ref av, 8);
        e0.StoreUnsafe(ref ae);
        e1.StoreUnsafe(ref ae, 8);
        ReduceTail(block, i, accv, acce);
        return MergeLanes(accv, acce);
    }

    internal static void Scale256(ReadOnlySpan<float> x, Span<float> y, float inv, float ef)
    {
        Vector256<float> vinv = Vector256.Create(inv), vef = Vector256.Create(ef);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float yd = ref MemoryMarshal.GetReference(y);
        int k = 0;
        for (; k + Vector256<float>.Count <= x.Length; k += Vector256<float>.Count)
        {
            Vector256<float> p = ExpSplit.Split(Vector256.LoadUnsafe(ref xs, (nuint)k), out Vector256<float> n);
            ScaleByPowerOfTwo.Scale(p * vinv, n - vef).StoreUnsafe(ref yd, (nuint)k);
        }

        ScaleTail(x, y, k, inv, ef);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step256(ref Vector256<float> accv, ref Vector256<float> acce, ref float src, nuint i)
    {
        Vector256<float> p0 = ExpSplit.Split(Vector256.LoadUnsafe(ref src, i), out Vector256<float> n0);
        Vector256<float> p1 = ExpSplit.Split(Vector256.LoadUnsafe(ref src, i + Lanes), out Vector256<float> n1);
        Vector256<float> p2 = ExpSplit.Split(Vector256.LoadUnsafe(ref src, i + (2 * Lanes)), out Vector256<float> n2);
        Vector256<float> p3 = ExpSplit.Split(Vector256.LoadUnsafe(ref src, i + (3 * Lanes)), out Vector256<float> n3);
        Vector256<float> m = Vector256.MaxNative(acce, Vector256.MaxNative(Vector256.MaxNative(n0, n1), Vector256.MaxNative(n2, n3)));
        Vector256<float> s = ScaleByPowerOfTwo.Scale(accv, acce - m);
        Vector256<float> a = ScaleByPowerOfTwo.Scale(p0, n0 - m) + ScaleByPowerOfTwo.Scale(p1, n1 - m);
        Vector256<float> b = ScaleByPowerOfTwo.Scale(p2, n2 - m) + ScaleByPowerOfTwo.Scale(p3, n3 - m);
        accv = s + (a + b);
        acce = m;
    }

    // ---------------------------------------------------------------- 128-bit

    internal static void Run128(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty)
        {
            return;
        }

        double s = 0, e = double.NegativeInfinity;
        for (int start = 0; start < x.Length; start += Block)
        {
            (double bs, double be) = ReduceBlock128(x.Slice(start, System.Math.Min(Block, x.Length - start)));
            Merge(ref s, ref e, bs, be);
        }

        if (NeedsFallback(s, e))
        {
            ThreePassKernel.Run128(x, y);
            return;
        }

        Scale128(x, y, (float)(1.0 / s), (float)e);
    }

    internal static (double Sum, double Exponent) ReduceBlock128(ReadOnlySpan<float> block)
    {
        Span<float> accv = stackalloc float[Lanes];
        Span<float> acce = stackalloc float[Lanes];
        ref float src = ref MemoryMarshal.GetReference(block);
        Vector128<float> v0 = Vector128<float>.Zero, v1 = v0, v2 = v0, v3 = v0;
        Vector128<float> e0 = Vector128.Create(float.NegativeInfinity), e1 = e0, e2 = e0, e3 = e0;
        int i = 0;
        for (; i + Step <= block.Length; i += Step)
        {
            Step128(ref v0, ref e0, ref src, (nuint)i);
            Step128(ref v1, ref e1, ref src, (nuint)(i + 4));
            Step128(ref v2, ref e2, ref src, (nuint)(i + 8));
            Step128(ref v3, ref e3, ref src, (nuint)(i + 12));
        }

        ref float av = ref MemoryMarshal.GetReference(accv);
        ref float ae = ref MemoryMarshal.GetReference(acce);
        v0.StoreUnsafe(ref av);
        v1.StoreUnsafe(ref av, 4);
        v2.StoreUnsafe(ref av, 8);
        v3.StoreUnsafe(ref av, 12);
        e0.StoreUnsafe(ref ae);
        e1.StoreUnsafe(ref ae, 4);
        e2.StoreUnsafe(ref ae, 8);
        e3.StoreUnsafe(ref ae, 12);
        ReduceTail(block, i, accv, acce);
        return MergeLanes(accv, acce);
    }

    internal static void Scale128(ReadOnlySpan<float> x, Span<float> y, float inv, float ef)
    {
        Vector128<float> vinv = Vector128.Create(inv), vef = Vector128.Create(ef);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float yd = ref MemoryMarshal.GetReference(y);
        int k = 0;
        for (; k + Vector128<float>.Count <= x.Length; k += Vector128<float>.Count)
        {
            Vector128<float> p = ExpSplit.Split(Vector128.LoadUnsafe(ref xs, (nuint)k), out Vector128<float> n);
            ScaleByPowerOfTwo.Scale(p * vinv, n - vef).StoreUnsafe(ref yd, (nuint)k);
        }

        ScaleTail(x, y, k, inv, ef);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step128(ref Vector128<float> accv, ref Vector128<float> acce, ref float src, nuint i)
    {
        Vector128<float> p0 = ExpSplit.Split(Vector128.LoadUnsafe(ref src, i), out Vector128<float> n0);
        Vector128<float> p1 = ExpSplit.Split(Vector128.LoadUnsafe(ref src, i + Lanes), out Vector128<float> n1);
        Vector128<float> p2 = ExpSplit.Split(Vector128.LoadUnsafe(ref src, i + (2 * Lanes)), out Vector128<float> n2);
        Vector128<float> p3 = ExpSplit.Split(Vector128.LoadUnsafe(ref src, i + (3 * Lanes)), out Vector128<float> n3);
        Vector128<float> m = Vector128.MaxNative(acce, Vector128.MaxNative(Vector128.MaxNative(n0, n1), Vector128.MaxNative(n2, n3)));
        Vector128<float> s = ScaleByPowerOfTwo.Scale(accv, acce - m);
        Vector128<float> a = ScaleByPowerOfTwo.Scale(p0, n0 - m) + ScaleByPowerOfTwo.Scale(p1, n1 - m);
        Vector128<float> b = ScaleByPowerOfTwo.Scale(p2, n2 - m) + ScaleByPowerOfTwo.Scale(p3, n3 - m);
        accv = s + (a + b);
        acce = m;
    }
}
