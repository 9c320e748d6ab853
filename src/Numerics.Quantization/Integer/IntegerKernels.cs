// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Quantization;

/// <summary>
/// Vectorized INT8 / INT4 quantize and dequantize for the layouts whose groups are contiguous runs of the row-major data (per
/// tensor, per row, per group along the rows) with round-to-nearest-even and min/max scales. Every width (Vector128/256/512)
/// gives the bits of the scalar reference (<see cref="IntegerQuantizer.QuantizeReference"/>, <see cref="QuantizedTensor.DequantizeReference"/>):
/// <list type="bullet">
/// <item>min/max: exact and order-free for finite values (signed zeros may differ, which changes neither scale nor zero point);
/// non-finite input is detected (x − x is +0 only for finite x) and the caller falls back to the reference.</item>
/// <item>code: the same IEEE operations as the scalar path — x widened to double, divided by (double)scale, rounded to nearest
/// even (<c>roundpd</c>), plus the zero point, clamped; the clamped integer is exact in float32 and int32.</item>
/// <item>dequantize: (code − z) is an exact small integer, converted to float32 exactly, times the float32 scale: one rounding.</item>
/// </list>
/// </summary>
internal static class IntegerKernels
{
    /// <summary>Whether the vector paths apply: 8 or 4 bits, RNE, min/max scale, contiguous groups starting on whole bytes.</summary>
    public static bool Supports(IntegerQuantizationOptions o, int rows, int columns)
    {
        if (o.Bits is not (8 or 4) || rows == 0 || columns == 0)
        {
            return false;
        }

        int segment = SegmentLength(o, columns);
        if (segment == 0)
        {
            return false;
        }

        // INT4: every segment must start on a byte (even element index).
        return o.Bits == 8 || o.Granularity == QuantizationGranularity.PerTensor || (columns % 2 == 0 && segment % 2 == 0);
    }

    /// <summary>Length of the contiguous runs that share a scale (the last run of a row may be shorter); 0 if the layout is strided.</summary>
    private static int SegmentLength(IntegerQuantizationOptions o, int columns) => o.Granularity switch
    {
        QuantizationGranularity.PerTensor => int.MaxValue,
        QuantizationGranularity.PerChannel => o.Axis == 0 ? columns : 0,
        _ => o.Axis == 1 ? Math.Min(o.GroupSize, columns) : 0,
    };

    /// <summary>Quantizes with the vector paths; false (nothing usable written) if the data contains NaN or ±∞.</summary>
    public static bool TryQuantize(ReadOnlySpan<float> data, int rows, int columns, IntegerQuantizationOptions o, [NotNullWhen(true)] out QuantizedTensor? result) =>
        TryQuantize(data, rows, columns, o, BestWidth, out result);

    /// <summary>The widest accelerated vector width in bits (512, 256, 128), or 1 for the scalar loops.</summary>
    public static int BestWidth =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 1;

    /// <summary><see cref="TryQuantize(ReadOnlySpan{float}, int, int, IntegerQuantizationOptions, out QuantizedTensor?)"/> at a given width (tests run every width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call per tensor: run optimized code from the first call
    public static bool TryQuantize(ReadOnlySpan<float> data, int rows, int columns, IntegerQuantizationOptions o, int width, [NotNullWhen(true)] out QuantizedTensor? result)
    {
        result = null;
        int groups = IntegerQuantizer.GroupCount(o, rows, columns);
        var scales = new float[groups];
        var zeroPoints = new int[groups];
        var packed = new byte[BitPacking.PackedBytes(o.Bits, data.Length)];
        if (!TryQuantizeInto(data, rows, columns, o, width, packed, scales, zeroPoints))
        {
            return false;
        }

        result = new QuantizedTensor(rows, columns, o, packed, scales, zeroPoints);
        return true;
    }

    /// <summary>The vector paths into caller buffers (packed: PackedBytes long; scales and zero points: one per group);
    /// false (buffers partly written) if the data contains NaN or ±∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryQuantizeInto(ReadOnlySpan<float> data, int rows, int columns, IntegerQuantizationOptions o, int width, Span<byte> packed, Span<float> scales, Span<int> zeroPoints)
    {
        (int qmin, int qmax) = IntegerQuantizer.CodeRange(o.Bits, o.IsSigned);
        if (o.Granularity == QuantizationGranularity.PerTensor)
        {
            if (!MinMax(data, width, out double lo, out double hi))
            {
                return false;
            }

            (scales[0], zeroPoints[0]) = IntegerQuantizer.ScaleAndZeroPoint(lo, hi, o, qmin, qmax);
            Encode(data, 0, scales[0], zeroPoints[0], qmin, qmax, o.Bits, packed, width);
        }
        else
        {
            int segment = SegmentLength(o, columns);
            return width switch
            {
                512 => QuantizeSegments<Width512>(data, rows, columns, segment, o, qmin, qmax, packed, scales, zeroPoints),
                256 => QuantizeSegments<Width256>(data, rows, columns, segment, o, qmin, qmax, packed, scales, zeroPoints),
                128 => QuantizeSegments<Width128>(data, rows, columns, segment, o, qmin, qmax, packed, scales, zeroPoints),
                _ => QuantizeSegments<WidthScalar>(data, rows, columns, segment, o, qmin, qmax, packed, scales, zeroPoints),
            };
        }

        return true;
    }

    /// <summary>
    /// The groups of a segmented layout (runs of <paramref name="segment"/> values along the rows), in batches: the ranges of up
    /// to <see cref="Batch"/> groups, then their scales and codes. Group by group, each group's chain (range reduction, scale
    /// division, reciprocal, codes) ran one after the other and bounded the loop: groups of 32 took twice as long as groups of
    /// 128 for the same data. One instantiation per width, so the 512-bit range and encode are inlined into their own loop only
    /// (inlined into a shared loop, their software form slowed the 256-bit path down by half).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool QuantizeSegments<TWidth>(
        ReadOnlySpan<float> data, int rows, int columns, int segment, IntegerQuantizationOptions o, int qmin, int qmax, Span<byte> packed, Span<float> scales, Span<int> zeroPoints)
        where TWidth : struct, IIntegerKernelWidth
    {
        Span<double> los = stackalloc double[Batch], his = stackalloc double[Batch];
        int g = 0;
        for (int r = 0; r < rows; r++)
        {
            int row = r * columns;
            for (int c = 0; c < columns;)
            {
                int first = c, count = 0;
                for (; count < Batch && c < columns; count++)
                {
                    int n = Math.Min(segment, columns - c);
                    if (!TWidth.MinMax(data.Slice(row + c, n), out los[count], out his[count]))
                    {
                        return false;
                    }

                    c += n;
                }

                c = first;
                for (int j = 0; j < count; j++, g++)
                {
                    int n = Math.Min(segment, columns - c);
                    (float scale, int zeroPoint) = IntegerQuantizer.ScaleAndZeroPoint(los[j], his[j], o, qmin, qmax);
                    scales[g] = scale;
                    zeroPoints[g] = zeroPoint;
                    TWidth.Encode(data.Slice(row + c, n), row + c, scale, zeroPoint, qmin, qmax, o.Bits, packed);
                    c += n;
                }
            }
        }

        return true;
    }

    /// <summary>The range and encode routines of one vector width, for <see cref="QuantizeSegments{TWidth}"/>.</summary>
    private interface IIntegerKernelWidth
    {
        static abstract bool MinMax(ReadOnlySpan<float> x, out double lo, out double hi);

        static abstract void Encode(ReadOnlySpan<float> x, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed);
    }

    private readonly struct Width512 : IIntegerKernelWidth
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool MinMax(ReadOnlySpan<float> x, out double lo, out double hi) => MinMax512(x, out lo, out hi);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Encode(ReadOnlySpan<float> x, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed) =>
            Encode512(x, start, scale, zeroPoint, qmin, qmax, bits, packed);
    }

    private readonly struct Width256 : IIntegerKernelWidth
    {
        public static bool MinMax(ReadOnlySpan<float> x, out double lo, out double hi) => MinMax256(x, out lo, out hi);

        public static void Encode(ReadOnlySpan<float> x, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed) =>
            Encode256(x, start, scale, zeroPoint, qmin, qmax, bits, packed);
    }

    private readonly struct Width128 : IIntegerKernelWidth
    {
        public static bool MinMax(ReadOnlySpan<float> x, out double lo, out double hi) => MinMax128(x, out lo, out hi);

        public static void Encode(ReadOnlySpan<float> x, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed) =>
            Encode128(x, start, scale, zeroPoint, qmin, qmax, bits, packed);
    }

    private readonly struct WidthScalar : IIntegerKernelWidth
    {
        public static bool MinMax(ReadOnlySpan<float> x, out double lo, out double hi) => MinMaxTail(x, 0, 0, 0, out lo, out hi);

        public static void Encode(ReadOnlySpan<float> x, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed) =>
            EncodeTail(x, 0, start, scale, zeroPoint, qmin, qmax, bits, packed);
    }

    /// <summary>Groups whose ranges are found before their codes are written (<see cref="TryQuantizeInto"/>).</summary>
    private const int Batch = 16;

    /// <summary>Dequantizes a tensor whose layout <see cref="Supports"/> accepts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dequantize(QuantizedTensor t, ReadOnlySpan<byte> packed, ReadOnlySpan<float> scales, ReadOnlySpan<int> zeroPoints, Span<float> destination, int width)
    {
        IntegerQuantizationOptions o = t.Options;
        if (o.Granularity == QuantizationGranularity.PerTensor)
        {
            Decode(packed, 0, t.Length, scales[0], zeroPoints[0], o.Bits, o.IsSigned, destination, width);
            return;
        }

        int segment = SegmentLength(o, t.Columns);
        int g = 0;
        for (int r = 0; r < t.Rows; r++)
        {
            for (int c = 0; c < t.Columns; c += segment, g++)
            {
                int start = (r * t.Columns) + c;
                Decode(packed, start, Math.Min(segment, t.Columns - c), scales[g], zeroPoints[g], o.Bits, o.IsSigned, destination, width);
            }
        }
    }

    // ---------------------------------------------------------------- min / max

    /// <summary>min(min x, 0) and max(max x, 0) in double; false if some x is NaN or ±∞.</summary>
    internal static bool MinMax(ReadOnlySpan<float> x, int width, out double lo, out double hi) => width switch
    {
        512 => MinMax512(x, out lo, out hi),
        256 => MinMax256(x, out lo, out hi),
        128 => MinMax128(x, out lo, out hi),
        _ => MinMaxTail(x, 0, 0, 0, out lo, out hi),
    };

    private static bool MinMaxTail(ReadOnlySpan<float> x, int i, float mn, float mx, out double lo, out double hi)
    {
        for (; i < x.Length; i++)
        {
            float v = x[i];
            if (!float.IsFinite(v))
            {
                lo = hi = 0;
                return false;
            }

            mn = Math.Min(mn, v);
            mx = Math.Max(mx, v);
        }

        lo = mn;
        hi = mx;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the Width512 group loop (QuantizeSegments)
    internal static bool MinMax512(ReadOnlySpan<float> x, out double lo, out double hi)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        Vector512<float> mn = Vector512<float>.Zero, mx = Vector512<float>.Zero, bad = Vector512<float>.Zero;
        int i = 0;
        for (; i + 16 <= x.Length; i += 16)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref src, (nuint)i);
            mn = Vector512.MinNative(mn, v);
            mx = Vector512.MaxNative(mx, v);
            bad |= v - v; // +0 (no bits set) for finite v, NaN otherwise
        }

        if (bad != Vector512<float>.Zero)
        {
            lo = hi = 0;
            return false;
        }

        float mn1 = Min(Vector256.MinNative(mn.GetLower(), mn.GetUpper())), mx1 = Max(Vector256.MaxNative(mx.GetLower(), mx.GetUpper()));
        if (i == x.Length)
        {
            // Whole vectors (groups of 16·j): no call for an empty tail.
            lo = mn1;
            hi = mx1;
            return true;
        }

        return MinMaxTail(x, i, mn1, mx1, out lo, out hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier 0 (called once per group)
    internal static bool MinMax256(ReadOnlySpan<float> x, out double lo, out double hi)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        Vector256<float> mn = Vector256<float>.Zero, mx = Vector256<float>.Zero, bad = Vector256<float>.Zero;
        int i = 0;
        for (; i + 8 <= x.Length; i += 8)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref src, (nuint)i);
            mn = Vector256.MinNative(mn, v);
            mx = Vector256.MaxNative(mx, v);
            bad |= v - v;
        }

        if (bad != Vector256<float>.Zero)
        {
            lo = hi = 0;
            return false;
        }

        return MinMaxTail(x, i, Min(mn), Max(mx), out lo, out hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier 0 (called once per group)
    internal static bool MinMax128(ReadOnlySpan<float> x, out double lo, out double hi)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        Vector128<float> mn = Vector128<float>.Zero, mx = Vector128<float>.Zero, bad = Vector128<float>.Zero;
        int i = 0;
        for (; i + 4 <= x.Length; i += 4)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref src, (nuint)i);
            mn = Vector128.MinNative(mn, v);
            mx = Vector128.MaxNative(mx, v);
            bad |= v - v;
        }

        if (bad != Vector128<float>.Zero)
        {
            lo = hi = 0;
            return false;
        }

        return MinMaxTail(x, i, Min(mn), Max(mx), out lo, out hi);
    }

    private static float Min(Vector256<float> v) => Min(Vector128.MinNative(v.GetLower(), v.GetUpper()));

    private static float Max(Vector256<float> v) => Max(Vector128.MaxNative(v.GetLower(), v.GetUpper()));

    private static float Min(Vector128<float> v) => Math.Min(Math.Min(v[0], v[1]), Math.Min(v[2], v[3]));

    private static float Max(Vector128<float> v) => Math.Max(Math.Max(v[0], v[1]), Math.Max(v[2], v[3]));

    // ---------------------------------------------------------------- encode

    /// <summary>Writes the codes of <paramref name="x"/> (elements start … start + n − 1 of the stream) into <paramref name="packed"/>, every byte they touch (a run starts on a byte: no clearing pass).</summary>
    internal static void Encode(ReadOnlySpan<float> x, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed, int width)
    {
        if (width == 512)
        {
            Encode512(x, start, scale, zeroPoint, qmin, qmax, bits, packed);
        }
        else if (width == 256)
        {
            Encode256(x, start, scale, zeroPoint, qmin, qmax, bits, packed);
        }
        else if (width == 128)
        {
            Encode128(x, start, scale, zeroPoint, qmin, qmax, bits, packed);
        }
        else
        {
            EncodeTail(x, 0, start, scale, zeroPoint, qmin, qmax, bits, packed);
        }
    }

    /// <summary>The scalar reference code of one value (RNE), as in <see cref="IntegerQuantizer"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Code(float x, double scale, int zeroPoint, int qmin, int qmax) =>
        (int)Math.Clamp(Math.Round(x / scale, MidpointRounding.ToEven) + zeroPoint, qmin, qmax);

    private static void EncodeTail(ReadOnlySpan<float> x, int i, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed)
    {
        for (; i < x.Length; i++)
        {
            int q = scale == 0 ? zeroPoint : Code(x[i], scale, zeroPoint, qmin, qmax);
            int k = start + i;
            if (bits == 8)
            {
                packed[k] = (byte)q;
            }
            else if ((k & 1) == 0)
            {
                packed[k >> 1] = (byte)(q & 0xF); // a byte's first code (every group starts on a byte): no clearing pass needed
            }
            else
            {
                packed[k >> 1] |= (byte)((q & 0xF) << 4);
            }
        }
    }

    /// <summary>Packs INT4 codes held in 16-bit lanes (pairs in 32-bit lanes): byte = low code | high code &lt;&lt; 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> PackNibbles(Vector512<uint> pairs) => (pairs & Vector512.Create(0xFu)) | ((pairs >>> 12) & Vector512.Create(0xF0u));

    /// <summary>Each 64-bit lane's two codes (elements 2j, 2j + 1) as its low byte: low code | high code &lt;&lt; 4 (higher bits are don't-care).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> NibblePairs(Vector512<int> codes) =>
        Vector512.ConditionalSelect(Vector512.Create(0xFul), codes.AsUInt64(), codes.AsUInt64() >>> 28);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> PackNibbles(Vector256<uint> pairs) => (pairs & Vector256.Create(0xFu)) | ((pairs >>> 12) & Vector256.Create(0xF0u));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> PackNibbles(Vector128<uint> pairs) => (pairs & Vector128.Create(0xFu)) | ((pairs >>> 12) & Vector128.Create(0xF0u));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Codes(Vector512<float> v, Vector512<double> s, Vector512<double> z, Vector512<double> lo, Vector512<double> hi)
    {
        Vector512<double> a = Vector512.Round(Vector512.WidenLower(v) / s) + z;
        Vector512<double> b = Vector512.Round(Vector512.WidenUpper(v) / s) + z;
        a = Vector512.MinNative(Vector512.MaxNative(a, lo), hi);
        b = Vector512.MinNative(Vector512.MaxNative(b, lo), hi);
        return Vector512.ConvertToInt32Native(Vector512.Narrow(a, b)); // integers in [qmin, qmax]: exact in float32 (the native conversion: one instruction)
    }

    /// <summary>The codes of 16 values through a float product with the reciprocal of the scale, when that provably gives the
    /// bits of the double path (<see cref="Codes(Vector512{float}, Vector512{double}, Vector512{double}, Vector512{double}, Vector512{double})"/>).</summary>
    /// <remarks>
    /// The reference rounds RN_double(x / s) to even; since x and s are floats, that equals rounding the exact quotient Q to
    /// even (Q is either a half-integer or at least ~2^-48 |Q| away from one, far beyond a double rounding). With a normal
    /// reciprocal r = RN_float(1 / s), the product q = RN_float(x · r) is Q(1 + d1)(1 + d2) with |d1|, |d2| &lt;= 2^-24, so
    /// |q − Q| &lt;= 2^-13 · (1 + 2^-21) when |q| &lt; 1024 (a product in the subnormal range is off by at most 2^-150, an overflow to ±∞
    /// clamps like the huge Q it stands for). So whenever q is more than 2^-12 from every half-integer (|q − round(q)| &lt;
    /// 0.5 − 2^-12), q and Q round to the same integer. Lanes with |q| &gt;= 1024 clamp to the same end either way (|zero
    /// point| &lt;= 256 and the code range within ±256 are required by the caller). Any other lane sends the whole vector
    /// down the double path. A multiply instead of a divide: the divider's throughput bounded the loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> CodesViaReciprocal(
        Vector512<float> v, Vector512<float> reciprocal, Vector512<float> zf, Vector512<float> lof, Vector512<float> hif,
        float scale, int zeroPoint, int qmin, int qmax)
    {
        Vector512<float> q = v * reciprocal;
        Vector512<float> r = Vector512.Round(q);
        Vector512<float> risky = Vector512.GreaterThanOrEqual(Vector512.Abs(q - r), Vector512.Create(0.5f - (1f / 4096)));
        if (risky != Vector512<float>.Zero)
        {
            // The double path's constants are made here, in the rare branch, not once per group (groups of 32 are one step).
            return Codes512(v, scale, zeroPoint, qmin, qmax);
        }

        return Vector512.ConvertToInt32Native(Vector512.MinNative(Vector512.MaxNative(r + zf, lof), hif));
    }

    /// <summary>The double path of 16 values with scalar parameters (scales whose reciprocal is not a normal float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Codes512(Vector512<float> v, float scale, int zeroPoint, int qmin, int qmax) =>
        Codes(v, Vector512.Create((double)scale), Vector512.Create((double)zeroPoint), Vector512.Create((double)qmin), Vector512.Create((double)qmax));

    /// <summary>The Vector256 form of <see cref="CodesViaReciprocal(Vector512{float}, Vector512{float}, Vector512{float}, Vector512{float}, Vector512{float}, float, int, int, int)"/> (the same argument).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> CodesViaReciprocal(
        Vector256<float> v, Vector256<float> reciprocal, Vector256<float> zf, Vector256<float> lof, Vector256<float> hif,
        Vector256<double> s, Vector256<double> z, Vector256<double> lo, Vector256<double> hi)
    {
        Vector256<float> q = v * reciprocal;
        Vector256<float> r = Vector256.Round(q);
        if (Vector256.GreaterThanOrEqualAny(Vector256.Abs(q - r), Vector256.Create(0.5f - (1f / 4096))))
        {
            return Codes(v, s, z, lo, hi);
        }

        return Vector256.ConvertToInt32Native(Vector256.MinNative(Vector256.MaxNative(r + zf, lof), hif));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Codes(Vector256<float> v, Vector256<double> s, Vector256<double> z, Vector256<double> lo, Vector256<double> hi)
    {
        Vector256<double> a = Vector256.Round(Vector256.WidenLower(v) / s) + z;
        Vector256<double> b = Vector256.Round(Vector256.WidenUpper(v) / s) + z;
        a = Vector256.MinNative(Vector256.MaxNative(a, lo), hi);
        b = Vector256.MinNative(Vector256.MaxNative(b, lo), hi);
        return Vector256.ConvertToInt32Native(Vector256.Narrow(a, b));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Codes(Vector128<float> v, Vector128<double> s, Vector128<double> z, Vector128<double> lo, Vector128<double> hi)
    {
        Vector128<double> a = Vector128.Round(Vector128.WidenLower(v) / s) + z;
        Vector128<double> b = Vector128.Round(Vector128.WidenUpper(v) / s) + z;
        a = Vector128.MinNative(Vector128.MaxNative(a, lo), hi);
        b = Vector128.MinNative(Vector128.MaxNative(b, lo), hi);
        return Vector128.ConvertToInt32Native(Vector128.Narrow(a, b));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into the Width512 group loop (QuantizeSegments)
    internal static void Encode512(ReadOnlySpan<float> x, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed)
    {
        int i = 0;
        if (scale != 0)
        {
            ref float src = ref MemoryMarshal.GetReference(x);
            ref byte dst = ref MemoryMarshal.GetReference(packed);
            float reciprocal = 1f / scale;
            Vector512<float> rf = Vector512.Create(reciprocal), zf = Vector512.Create((float)zeroPoint);
            Vector512<float> lof = Vector512.Create((float)qmin), hif = Vector512.Create((float)qmax);
            bool viaFloat = Math.Abs(zeroPoint) <= 256 && qmin >= -256 && qmax <= 256 && float.IsNormal(reciprocal);
            for (; i + 32 <= x.Length; i += 32)
            {
                Vector512<float> x0 = Vector512.LoadUnsafe(ref src, (nuint)i), x1 = Vector512.LoadUnsafe(ref src, (nuint)i + 16);
                Vector512<int> c0 = viaFloat ? CodesViaReciprocal(x0, rf, zf, lof, hif, scale, zeroPoint, qmin, qmax) : Codes512(x0, scale, zeroPoint, qmin, qmax);
                Vector512<int> c1 = viaFloat ? CodesViaReciprocal(x1, rf, zf, lof, hif, scale, zeroPoint, qmin, qmax) : Codes512(x1, scale, zeroPoint, qmin, qmax);
                if (Avx512F.IsSupported)
                {
                    // vpmovdb / vpmovqb: one truncating narrow per 16 codes (the pair of nibbles built in each 64-bit lane first).
                    if (bits == 8)
                    {
                        Avx512F.ConvertToVector128Byte(c0).StoreUnsafe(ref dst, (nuint)(start + i));
                        Avx512F.ConvertToVector128Byte(c1).StoreUnsafe(ref dst, (nuint)(start + i + 16));
                    }
                    else
                    {
                        ref byte at = ref Unsafe.Add(ref dst, (start + i) >> 1);
                        Unsafe.WriteUnaligned(ref at, Avx512F.ConvertToVector128Byte(NibblePairs(c0)).AsUInt64().ToScalar());
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 8), Avx512F.ConvertToVector128Byte(NibblePairs(c1)).AsUInt64().ToScalar());
                    }

                    continue;
                }

                Vector512<ushort> w = Vector512.Narrow(c0, c1).AsUInt16(); // 32 codes, one per 16-bit lane (values -128..255)
                if (bits == 8)
                {
                    Vector512.Narrow(w & Vector512.Create((ushort)0xFF), Vector512<ushort>.Zero).GetLower().StoreUnsafe(ref dst, (nuint)(start + i));
                }
                else
                {
                    Vector512<ushort> p = PackNibbles(w.AsUInt32()).AsUInt16(); // 16 packed bytes in the low 16 bits of 32-bit lanes
                    Vector512<ushort> q = Vector512.Narrow(p.AsUInt32(), Vector512<uint>.Zero);
                    Vector512.Narrow(q, Vector512<ushort>.Zero).GetLower().GetLower().StoreUnsafe(ref dst, (nuint)((start + i) >> 1));
                }
            }
        }

        if (i < x.Length)
        {
            EncodeTail(x, i, start, scale, zeroPoint, qmin, qmax, bits, packed);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier 0 (called once per group)
    internal static void Encode256(ReadOnlySpan<float> x, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed)
    {
        int i = 0;
        if (scale != 0)
        {
            ref float src = ref MemoryMarshal.GetReference(x);
            ref byte dst = ref MemoryMarshal.GetReference(packed);
            Vector256<double> s = Vector256.Create((double)scale), z = Vector256.Create((double)zeroPoint);
            Vector256<double> lo = Vector256.Create((double)qmin), hi = Vector256.Create((double)qmax);
            float reciprocal = 1f / scale;
            Vector256<float> rf = Vector256.Create(reciprocal), zf = Vector256.Create((float)zeroPoint);
            Vector256<float> lof = Vector256.Create((float)qmin), hif = Vector256.Create((float)qmax);
            bool viaFloat = Math.Abs(zeroPoint) <= 256 && qmin >= -256 && qmax <= 256 && float.IsNormal(reciprocal);
            for (; i + 16 <= x.Length; i += 16)
            {
                Vector256<float> x0 = Vector256.LoadUnsafe(ref src, (nuint)i), x1 = Vector256.LoadUnsafe(ref src, (nuint)i + 8);
                Vector256<int> c0 = viaFloat ? CodesViaReciprocal(x0, rf, zf, lof, hif, s, z, lo, hi) : Codes(x0, s, z, lo, hi);
                Vector256<int> c1 = viaFloat ? CodesViaReciprocal(x1, rf, zf, lof, hif, s, z, lo, hi) : Codes(x1, s, z, lo, hi);
                Vector256<ushort> w = Vector256.Narrow(c0, c1).AsUInt16();
                if (bits == 8)
                {
                    Vector256.Narrow(w & Vector256.Create((ushort)0xFF), Vector256<ushort>.Zero).GetLower().StoreUnsafe(ref dst, (nuint)(start + i));
                }
                else
                {
                    Vector256<ushort> p = PackNibbles(w.AsUInt32()).AsUInt16();
                    Vector256<ushort> q = Vector256.Narrow(p.AsUInt32(), Vector256<uint>.Zero);
                    ulong eight = Vector256.Narrow(q, Vector256<ushort>.Zero).AsUInt64()[0];
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, (start + i) >> 1), eight);
                }
            }
        }

        EncodeTail(x, i, start, scale, zeroPoint, qmin, qmax, bits, packed);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier 0 (called once per group)
    internal static void Encode128(ReadOnlySpan<float> x, int start, float scale, int zeroPoint, int qmin, int qmax, int bits, Span<byte> packed)
    {
        int i = 0;
        if (scale != 0)
        {
            ref float src = ref MemoryMarshal.GetReference(x);
            ref byte dst = ref MemoryMarshal.GetReference(packed);
            Vector128<double> s = Vector128.Create((double)scale), z = Vector128.Create((double)zeroPoint);
            Vector128<double> lo = Vector128.Create((double)qmin), hi = Vector128.Create((double)qmax);
            for (; i + 8 <= x.Length; i += 8)
            {
                Vector128<int> c0 = Codes(Vector128.LoadUnsafe(ref src, (nuint)i), s, z, lo, hi);
                Vector128<int> c1 = Codes(Vector128.LoadUnsafe(ref src, (nuint)i + 4), s, z, lo, hi);
                Vector128<ushort> w = Vector128.Narrow(c0, c1).AsUInt16();
                if (bits == 8)
                {
                    ulong eight = Vector128.Narrow(w & Vector128.Create((ushort)0xFF), Vector128<ushort>.Zero).AsUInt64()[0];
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, start + i), eight);
                }
                else
                {
                    Vector128<ushort> p = PackNibbles(w.AsUInt32()).AsUInt16();
                    Vector128<ushort> q = Vector128.Narrow(p.AsUInt32(), Vector128<uint>.Zero);
                    uint four = Vector128.Narrow(q, Vector128<ushort>.Zero).AsUInt32()[0];
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, (start + i) >> 1), four);
                }
            }
        }

        EncodeTail(x, i, start, scale, zeroPoint, qmin, qmax, bits, packed);
    }

    // ---------------------------------------------------------------- decode

    /// <summary>Writes (code − z)·scale of stream elements start … start + n − 1 into destination[start …].</summary>
    internal static void Decode(ReadOnlySpan<byte> packed, int start, int n, float scale, int zeroPoint, int bits, bool isSigned, Span<float> destination, int width)
    {
        if (width == 512)
        {
            Decode512(packed, start, n, scale, zeroPoint, bits, isSigned, destination);
        }
        else if (width == 256)
        {
            Decode256(packed, start, n, scale, zeroPoint, bits, isSigned, destination);
        }
        else if (width == 128)
        {
            Decode128(packed, start, n, scale, zeroPoint, bits, isSigned, destination);
        }
        else
        {
            DecodeTail(packed, start, 0, n, scale, zeroPoint, bits, isSigned, destination);
        }
    }

    private static void DecodeTail(ReadOnlySpan<byte> packed, int start, int i, int n, float scale, int zeroPoint, int bits, bool isSigned, Span<float> destination)
    {
        for (; i < n; i++)
        {
            int k = start + i;
            int raw = bits == 8 ? packed[k] : (packed[k >> 1] >> ((k & 1) * 4)) & 0xF;
            int code = isSigned ? (raw << (32 - bits)) >> (32 - bits) : raw;
            destination[k] = (code - zeroPoint) * scale;
        }
    }

    // Codes are brought to signed bytes b' = (b ^ xor) − sub, with value = (b' − z') · scale: INT8 signed: b' = b; INT8 unsigned:
    // b' = b − 128 (b ^ 0x80) and z' = z − 128; INT4 signed: (b ^ 8) − 8 sign-extends the nibble; INT4 unsigned: b' = b.
    private static (byte Xor, byte Sub, int Zero) Bias(int bits, bool isSigned, int zeroPoint) => (bits, isSigned) switch
    {
        (8, false) => (0x80, 0, zeroPoint - 128),
        (4, true) => (8, 8, zeroPoint),
        _ => (0, 0, zeroPoint),
    };

    /// <summary>Expands 16 packed INT4 bytes (low nibble first) to 32 codes, one per byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Unpack(Vector128<byte> b)
    {
        Vector256<ushort> u = Vector256.WidenLower(b.ToVector256Unsafe());
        return ((u & Vector256.Create((ushort)0xF)) | ((u << 4) & Vector256.Create((ushort)0xF00))).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Unpack(ulong eightBytes)
    {
        Vector128<ushort> u = Vector128.WidenLower(Vector128.CreateScalar(eightBytes).AsByte());
        return ((u & Vector128.Create((ushort)0xF)) | ((u << 4) & Vector128.Create((ushort)0xF00))).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier 0 (called once per group)
    internal static void Decode512(ReadOnlySpan<byte> packed, int start, int n, float scale, int zeroPoint, int bits, bool isSigned, Span<float> destination)
    {
        (byte xor, byte sub, int zero) = Bias(bits, isSigned, zeroPoint);
        ref byte src = ref MemoryMarshal.GetReference(packed);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        Vector256<byte> vx = Vector256.Create(xor), vs = Vector256.Create(sub);
        Vector512<int> z = Vector512.Create(zero);
        Vector512<float> d = Vector512.Create(scale);
        int i = 0;
        for (; i + 32 <= n; i += 32)
        {
            int k = start + i;
            Vector256<byte> b = bits == 8 ? Vector256.LoadUnsafe(ref src, (nuint)k) : Unpack(Vector128.LoadUnsafe(ref src, (nuint)(k >> 1)));
            Vector512<short> w = Vector512.WidenLower(((b ^ vx) - vs).AsSByte().ToVector512Unsafe());
            (Vector512.ConvertToSingle(Vector512.WidenLower(w) - z) * d).StoreUnsafe(ref dst, (nuint)k);
            (Vector512.ConvertToSingle(Vector512.WidenUpper(w) - z) * d).StoreUnsafe(ref dst, (nuint)k + 16);
        }

        DecodeTail(packed, start, i, n, scale, zeroPoint, bits, isSigned, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier 0 (called once per group)
    internal static void Decode256(ReadOnlySpan<byte> packed, int start, int n, float scale, int zeroPoint, int bits, bool isSigned, Span<float> destination)
    {
        (byte xor, byte sub, int zero) = Bias(bits, isSigned, zeroPoint);
        ref byte src = ref MemoryMarshal.GetReference(packed);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        Vector128<byte> vx = Vector128.Create(xor), vs = Vector128.Create(sub);
        Vector256<int> z = Vector256.Create(zero);
        Vector256<float> d = Vector256.Create(scale);
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            int k = start + i;
            Vector128<byte> b = bits == 8 ? Vector128.LoadUnsafe(ref src, (nuint)k) : Unpack(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, k >> 1)));
            Vector256<short> w = Vector256.WidenLower(((b ^ vx) - vs).AsSByte().ToVector256Unsafe());
            (Vector256.ConvertToSingle(Vector256.WidenLower(w) - z) * d).StoreUnsafe(ref dst, (nuint)k);
            (Vector256.ConvertToSingle(Vector256.WidenUpper(w) - z) * d).StoreUnsafe(ref dst, (nuint)k + 8);
        }

        DecodeTail(packed, start, i, n, scale, zeroPoint, bits, isSigned, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier 0 (called once per group)
    internal static void Decode128(ReadOnlySpan<byte> packed, int start, int n, float scale, int zeroPoint, int bits, bool isSigned, Span<float> destination)
    {
        (byte xor, byte sub, int zero) = Bias(bits, isSigned, zeroPoint);
        ref byte src = ref MemoryMarshal.GetReference(packed);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        Vector128<byte> vx = Vector128.Create(xor), vs = Vector128.Create(sub);
        Vector128<int> z = Vector128.Create(zero);
        Vector128<float> d = Vector128.Create(scale);
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            int k = start + i;
            Vector128<byte> b = bits == 8
                ? Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, k))).AsByte()
                : Unpack(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref src, k >> 1)));
            Vector128<short> w = Vector128.WidenLower(((b ^ vx) - vs).AsSByte());
            (Vector128.ConvertToSingle(Vector128.WidenLower(w) - z) * d).StoreUnsafe(ref dst, (nuint)k);
            (Vector128.ConvertToSingle(Vector128.WidenUpper(w) - z) * d).StoreUnsafe(ref dst, (nuint)k + 4);
        }

        DecodeTail(packed, start, i, n, scale, zeroPoint, bits, isSigned, destination);
    }
}
