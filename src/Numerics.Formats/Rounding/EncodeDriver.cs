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
/// Spans whose footprint is far beyond the caches take the streaming loop (<see cref="BlockWriter"/>: non-temporal aligned stores);
/// tests pass a minimum length of 0 to run it on short spans.
/// </summary>
internal static unsafe class EncodeDriver
{
    /// <summary>
    /// The footprint (source plus destination bytes) from which the encoders use non-temporal stores: 32 MiB, the L3 cache of one
    /// core complex of the reference machine (beyond it the codes would not stay cached for the next reader anyway). Measured there
    /// in one process, alternating with TensorPrimitives.ConvertToHalf on the same buffers (docs/benchmarks/formats-2026-11-26.md,
    /// "Streaming stores, same process"): at 6, 8, 16 and 24 Mi elements streaming beat normal stores for binary16, bfloat16 and
    /// E4M3FN by 0-20 % (e.g. 16 Mi: 1.08-1.10x / 1.11-1.14x / 1.28-1.32x TensorPrimitives against 0.99x / 0.99x / 1.06-1.09x with
    /// normal stores). An earlier threshold of 128 MiB came from comparing separate processes, whose memory speed differs by up to
    /// 1.6x on that VM.
    /// </summary>
    internal const nuint NonTemporalFootprint = 32 * 1024 * 1024;

    /// <summary>The span length from which <typeparamref name="TCode"/> codes are written with non-temporal stores.</summary>
    /// <remarks>Byte codes do not stream by default (the general encoders of E5M2, FP6, FP4 were not measured with it); the fast
    /// E4M3FN encoder streams from <see cref="E4M3FNNonTemporalMinLength"/>. The full quiet run of 2026-11-26 15:00 UTC had its
    /// streaming loop at 0.57-0.68x ConvertToHalf at 16 Mi elements, but the in-process runs of 16:40-16:50 UTC (one process, the
    /// same buffers) had it ahead of both ConvertToHalf (1.2-1.4x) and its own normal-store loop (BenchmarkDotNet, same buffers:
    /// 2.70 ms streaming against 3.87 ms normal, ConvertToHalf 3.95 ms; docs/benchmarks/formats-2026-11-26.md).</remarks>
    internal static nuint NonTemporalMinLength<TCode>()
        where TCode : unmanaged =>
        sizeof(TCode) == 1 ? BlockWriter.Never : NonTemporalFootprint / (nuint)(sizeof(float) + sizeof(TCode));

    /// <summary>The span length from which the fast E4M3FN encoder streams its byte codes (a 32 MiB footprint).</summary>
    internal static readonly nuint E4M3FNNonTemporalMinLength = NonTemporalFootprint / (sizeof(float) + sizeof(byte));

    /// <summary>Whether <see cref="Run"/> takes the streaming loop for <paramref name="length"/> elements (the destination's
    /// alignment aside): the dispatcher then picks the branch-free instantiation of an encoder.</summary>
    internal static bool Streams<TCode>(int length, nuint? nonTemporalMinLength = null)
        where TCode : unmanaged =>
        (nuint)length >= (nonTemporalMinLength ?? NonTemporalMinLength<TCode>());

    public static void Run<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op, nuint? nonTemporalMinLength = null)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        int block = Vector128<TCode>.Count;
        if (Vector512.IsHardwareAccelerated && x.Length >= block * 4)
        {
            Run512(x, destination, op, nonTemporalMinLength);
        }
        else if (Vector256.IsHardwareAccelerated && x.Length >= block * 2)
        {
            Run256(x, destination, op, nonTemporalMinLength);
        }
        else if (Vector128.IsHardwareAccelerated && x.Length >= block)
        {
            Run128(x, destination, op, nonTemporalMinLength);
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

    internal static void Run128<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op, nuint? nonTemporalMinLength = null)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        nuint n = (nuint)x.Length, w = (nuint)Vector128<TCode>.Count;
        if (n >= (nonTemporalMinLength ?? NonTemporalMinLength<TCode>()) && Stream128(x, destination, op))
        {
            return;
        }

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

    internal static void Run256<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op, nuint? nonTemporalMinLength = null)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        nuint n = (nuint)x.Length, w = (nuint)Vector256<TCode>.Count;
        if (n >= (nonTemporalMinLength ?? NonTemporalMinLength<TCode>()) && Stream256(x, destination, op))
        {
            return;
        }

        if (n < w)
        {
            Run128(x, destination, op, nonTemporalMinLength);
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

    internal static void Run512<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op, nuint? nonTemporalMinLength = null)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        nuint n = (nuint)x.Length, w = (nuint)Vector512<TCode>.Count;
        if (n >= (nonTemporalMinLength ?? NonTemporalMinLength<TCode>()) && Stream512(x, destination, op))
        {
            return;
        }

        if (n < w)
        {
            Run256(x, destination, op, nonTemporalMinLength);
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

    /// <summary>The streaming loop (a separate method, so the normal loop's code does not change).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Stream128<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        fixed (float* src = &MemoryMarshal.GetReference(x))
        fixed (TCode* dst = &MemoryMarshal.GetReference(destination))
        {
            return BlockWriter.Stream128(dst, (nuint)x.Length, new Blocks<TOp, TCode>(src, op));
        }
    }

    /// <summary>The streaming loop (a separate method, so the normal loop's code does not change).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Stream256<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        fixed (float* src = &MemoryMarshal.GetReference(x))
        fixed (TCode* dst = &MemoryMarshal.GetReference(destination))
        {
            return BlockWriter.Stream256(dst, (nuint)x.Length, new Blocks<TOp, TCode>(src, op));
        }
    }

    /// <summary>The streaming loop (a separate method, so the normal loop's code does not change).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Stream512<TOp, TCode>(ReadOnlySpan<float> x, Span<TCode> destination, in TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        fixed (float* src = &MemoryMarshal.GetReference(x))
        fixed (TCode* dst = &MemoryMarshal.GetReference(destination))
        {
            return BlockWriter.Stream512(dst, (nuint)x.Length, new Blocks<TOp, TCode>(src, op));
        }
    }

    /// <summary>One full code vector: four (bytes) or two (ushorts) float vectors encoded and narrowed.</summary>
    private readonly struct Blocks<TOp, TCode>(float* source, TOp op) : IBlockSource<TCode>
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged
    {
        private readonly float* _source = source;
        private readonly TOp _op = op;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<TCode> Block128(nuint i)
        {
            float* p = _source + i;
            if (typeof(TCode) == typeof(ushort))
            {
                return Vector128.Narrow(_op.Encode(Vector128.Load(p)), _op.Encode(Vector128.Load(p + 4))).As<ushort, TCode>();
            }

            Vector128<ushort> lo = Vector128.Narrow(_op.Encode(Vector128.Load(p)), _op.Encode(Vector128.Load(p + 4)));
            Vector128<ushort> hi = Vector128.Narrow(_op.Encode(Vector128.Load(p + 8)), _op.Encode(Vector128.Load(p + 12)));
            return Vector128.Narrow(lo, hi).As<byte, TCode>();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<TCode> Block256(nuint i)
        {
            float* p = _source + i;
            if (typeof(TCode) == typeof(ushort))
            {
                return Vector256.Narrow(_op.Encode(Vector256.Load(p)), _op.Encode(Vector256.Load(p + 8))).As<ushort, TCode>();
            }

            Vector256<ushort> lo = Vector256.Narrow(_op.Encode(Vector256.Load(p)), _op.Encode(Vector256.Load(p + 8)));
            Vector256<ushort> hi = Vector256.Narrow(_op.Encode(Vector256.Load(p + 16)), _op.Encode(Vector256.Load(p + 24)));
            return Vector256.Narrow(lo, hi).As<byte, TCode>();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<TCode> Block512(nuint i)
        {
            float* p = _source + i;
            if (typeof(TCode) == typeof(ushort))
            {
                return Vector512.Narrow(_op.Encode(Vector512.Load(p)), _op.Encode(Vector512.Load(p + 16))).As<ushort, TCode>();
            }

            Vector512<ushort> lo = Vector512.Narrow(_op.Encode(Vector512.Load(p)), _op.Encode(Vector512.Load(p + 16)));
            Vector512<ushort> hi = Vector512.Narrow(_op.Encode(Vector512.Load(p + 32)), _op.Encode(Vector512.Load(p + 48)));
            return Vector512.Narrow(lo, hi).As<byte, TCode>();
        }
    }
}
