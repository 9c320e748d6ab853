// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>
/// Integer quantization (8/4/3/2 bits, signed or unsigned, symmetric or asymmetric) of a row-major matrix per tensor, per
/// channel or per group, with the scale from the group's min/max.
/// </summary>
/// <remarks>
/// For each group: symmetric: scale = amax / (2^(b−1) − 1), zero point z = 0 (signed) or 2^(b−1) (unsigned); asymmetric:
/// lo = min(min, 0), hi = max(max, 0), scale = (hi − lo) / (qmax − qmin), z = qmin − round(lo / scale). The scale is computed
/// in double and stored as float32; code = clamp(round(x / scale) + z, qmin, qmax) with x / scale in double and the chosen
/// rounding. A group whose scale is 0 (all zeros) gets codes z. Dequantized value = (code − z) · scale, rounded once to
/// float32, so |x − value| ≤ scale/2 (plus the float32 rounding of the product) for every x in the group's range.
/// NaN and ±∞ are rejected with an <see cref="ArgumentException"/> naming the index, or saturated
/// (<see cref="IntegerQuantizationOptions.NonFinite"/>). The range can also be clipped (<see cref="IntegerQuantizationOptions.ScaleMethod"/>:
/// a percentile, or an MSE search over clipping ratios); values outside the clipped range get the extreme codes.
/// INT8 and INT4 with round-to-nearest-even, min/max scales and contiguous groups (per tensor, per row, per group along the rows)
/// run vectorized paths (Vector128/256/512) that produce the same bits as the scalar reference on every instruction-set tier.
/// </remarks>
public static partial class IntegerQuantizer
{
    /// <summary>Quantizes a row-major <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    /// <param name="data">rows × columns finite values, row-major.</param>
    /// <param name="rows">Number of rows (a vector is 1 × n).</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="options">Bits, signedness, symmetry, granularity, axis, group size and rounding; null for the defaults (signed symmetric INT8 per tensor, RNE).</param>
    /// <returns>The quantized tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or an option is out of range (bits not 2, 3, 4 or 8; axis not 0 or 1; group size &lt; 1; undefined enum).</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has the wrong length, or contains NaN or ±∞ (the message names the index) and <see cref="IntegerQuantizationOptions.NonFinite"/> is <see cref="IntegerNonFiniteHandling.Throw"/>.</exception>
    public static QuantizedTensor Quantize(ReadOnlySpan<float> data, int rows, int columns, IntegerQuantizationOptions? options = null)
    {
        options ??= new IntegerQuantizationOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Validate(options);
        MatrixShape.Check(data.Length, rows, columns, nameof(data));

        if (options.Rounding == RoundingMode.NearestEven && options.ScaleMethod == IntegerScaleMethod.MinMax
            && IntegerKernels.Supports(options, rows, columns) && IntegerKernels.TryQuantize(data, rows, columns, options, out QuantizedTensor? fast))
        {
            return fast;
        }

        return QuantizeReference(data, rows, columns, options);
    }

    /// <summary>Number of scales (and zero points) a <paramref name="rows"/> × <paramref name="columns"/> matrix gets with
    /// <paramref name="options"/>: the length of the scale and zero-point buffers of
    /// <see cref="QuantizeInto"/>.</summary>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    /// <param name="options">Bits, granularity, axis and group size.</param>
    /// <returns>The number of groups.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, an option is out of range, or the matrix has more
    /// than <see cref="int.MaxValue"/> groups (it could not be held in a span anyway).</exception>
    public static int GroupCount(int rows, int columns, IntegerQuantizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Validate(options);
        if (options.Granularity == QuantizationGranularity.PerGroup)
        {
            // rows × groups per row (or groups per column × columns) can exceed an int only when rows × columns does.
            long count = options.Axis == 1 ? (long)rows * DivUp(columns, options.GroupSize) : (long)DivUp(rows, options.GroupSize) * columns;
            if (count > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(columns), columns, $"A {rows} x {columns} matrix has {count} groups of {options.GroupSize}, more than an int can count.");
            }
        }

        return GroupCount(options, rows, columns);
    }

    /// <summary>Quantizes a row-major matrix into caller buffers, the allocation-free form of
    /// <see cref="Quantize(ReadOnlySpan{float}, int, int, IntegerQuantizationOptions?)"/> with the same bits: packed codes
    /// (<see cref="BitPacking.PackedBytes"/> bytes, layout as <see cref="QuantizedTensor.Data"/>), one scale and one zero point
    /// per group (<see cref="GroupCount(int, int, IntegerQuantizationOptions)"/>, order as <see cref="QuantizedTensor.Scales"/>).</summary>
    /// <param name="data">rows × columns values, row-major.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    /// <param name="options">Bits, signedness, symmetry, granularity, rounding and scale method.</param>
    /// <param name="codes">Receives the packed codes; exactly <c>BitPacking.PackedBytes(options.Bits, rows * columns)</c> bytes.</param>
    /// <param name="scales">Receives one scale per group; exactly <c>GroupCount(rows, columns, options)</c> long.</param>
    /// <param name="zeroPoints">Receives one zero point per group; the same length as <paramref name="scales"/>.</param>
    /// <remarks>The vectorized layouts (8 or 4 bits, round to nearest even, min/max scales, groups contiguous in memory)
    /// allocate nothing; every other option runs the scalar reference and copies its result (it allocates).</remarks>
    /// <exception cref="ArgumentException">A buffer has the wrong length, or <paramref name="data"/> has the wrong length or
    /// contains NaN or ±∞ (the message names the index) and <see cref="IntegerQuantizationOptions.NonFinite"/> is <see cref="IntegerNonFiniteHandling.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or an option is out of range.</exception>
    public static void QuantizeInto(ReadOnlySpan<float> data, int rows, int columns, IntegerQuantizationOptions options, Span<byte> codes, Span<float> scales, Span<int> zeroPoints)
    {
        int groups = GroupCount(rows, columns, options);
        MatrixShape.Check(data.Length, rows, columns, nameof(data));

        int bytes = BitPacking.PackedBytes(options.Bits, data.Length);
        if (codes.Length != bytes)
        {
            throw new ArgumentException($"{data.Length} codes of {options.Bits} bits take {bytes} bytes; the span has {codes.Length}.", nameof(codes));
        }

        if (scales.Length != groups)
        {
            throw new ArgumentException($"The options give {groups} groups; the span has {scales.Length} scales.", nameof(scales));
        }

        if (zeroPoints.Length != groups)
        {
            throw new ArgumentException($"The options give {groups} groups; the span has {zeroPoints.Length} zero points.", nameof(zeroPoints));
        }

        if (options.Rounding == RoundingMode.NearestEven && options.ScaleMethod == IntegerScaleMethod.MinMax
            && IntegerKernels.Supports(options, rows, columns)
            && IntegerKernels.TryQuantizeInto(data, rows, columns, options, IntegerKernels.BestWidth, codes, scales, zeroPoints))
        {
            return;
        }

        QuantizedTensor reference = QuantizeReference(data, rows, columns, options);
        reference.Data.Span.CopyTo(codes);
        reference.Scales.Span.CopyTo(scales);
        reference.ZeroPoints.Span.CopyTo(zeroPoints);
    }

    /// <summary>The scalar reference of <see cref="Quantize"/> (the vector paths must reproduce its bits).</summary>
    internal static QuantizedTensor QuantizeReference(ReadOnlySpan<float> data, int rows, int columns, IntegerQuantizationOptions options)
    {
        long length = data.Length;
        int bad = GgmlBlocks.IndexOfNonFinite(data);
        if (bad >= 0 && options.NonFinite == IntegerNonFiniteHandling.Throw)
        {
            throw new ArgumentException($"data[{bad}] is {data[bad]}; only finite values can be quantized.", nameof(data));
        }

        int groups = GroupCount(options, rows, columns);
        (int qmin, int qmax) = CodeRange(options.Bits, options.IsSigned);
        var scales = new float[groups];
        var zeroPoints = new int[groups];
        (double Lo, double Hi)[] ranges = IntegerScaleSearch.Ranges(data, rows, columns, options, groups, qmin, qmax);
        for (int g = 0; g < groups; g++)
        {
            (scales[g], zeroPoints[g]) = ScaleAndZeroPoint(ranges[g].Lo, ranges[g].Hi, options, qmin, qmax);
        }

        var codes = new byte[length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int k = (r * columns) + c;
                int g = GroupOf(options, rows, columns, r, c);
                codes[k] = float.IsNaN(data[k])
                    ? (byte)zeroPoints[g] // only reached with NonFinite = Saturate
                    : (byte)Encode(data[k], scales[g], zeroPoints[g], qmin, qmax, options.Rounding, StochasticRounding.RandomBits(options.Seed, k));
            }
        }

        var packed = new byte[BitPacking.PackedBytes(options.Bits, codes.Length)];
        int mask = (1 << options.Bits) - 1;
        for (int k = 0; k < codes.Length; k++)
        {
            codes[k] = (byte)(codes[k] & mask); // the n-bit (two's complement) pattern
        }

        BitPacking.Pack(options.Bits, codes, packed);
        return new QuantizedTensor(rows, columns, options, packed, scales, zeroPoints);
    }

    /// <summary>
    /// Rounds one value to an n-bit integer code with scale 1 and zero point 0: clamp(round(x), qmin, qmax), returned as the
    /// n-bit pattern (two's complement when signed). NaN gives 0, ±∞ the clamped extreme.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="bits">2, 3, 4 or 8.</param>
    /// <param name="isSigned">Two's-complement or unsigned codes.</param>
    /// <param name="rounding">A deterministic rounding mode (there is no seed here, so the stochastic modes are rejected).</param>
    /// <returns>The code in the low <paramref name="bits"/> bits.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is not 2, 3, 4 or 8, or <paramref name="rounding"/> is
    /// undefined or stochastic.</exception>
    public static int EncodeElement(float value, int bits, bool isSigned, RoundingMode rounding = RoundingMode.NearestEven)
    {
        if (bits is not (2 or 3 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must be 2, 3, 4 or 8.");
        }

        if ((uint)rounding >= (uint)RoundingMode.Stochastic)
        {
            throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "A deterministic rounding mode is needed (the stochastic modes need a seed).");
        }

        (int qmin, int qmax) = CodeRange(bits, isSigned);
        int q = float.IsNaN(value) ? 0 : Encode(value, 1, 0, qmin, qmax, rounding, 0);
        return q & ((1 << bits) - 1);
    }

    internal static (int Min, int Max) CodeRange(int bits, bool isSigned) =>
        isSigned ? (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) : (0, (1 << bits) - 1);

    internal static int GroupCount(IntegerQuantizationOptions o, int rows, int columns) => o.Granularity switch
    {
        QuantizationGranularity.PerTensor => 1,
        QuantizationGranularity.PerChannel => o.Axis == 0 ? rows : columns,
        _ => o.Axis == 1 ? rows * DivUp(columns, o.GroupSize) : DivUp(rows, o.GroupSize) * columns,
    };

    internal static int GroupOf(IntegerQuantizationOptions o, int rows, int columns, int r, int c) => o.Granularity switch
    {
        QuantizationGranularity.PerTensor => 0,
        QuantizationGranularity.PerChannel => o.Axis == 0 ? r : c,
        _ => o.Axis == 1 ? (r * DivUp(columns, o.GroupSize)) + (c / o.GroupSize) : ((r / o.GroupSize) * columns) + c,
    };

    /// <summary>ceil(a / b) for a ≥ 0, b ≥ 1, without forming a + b − 1 (which overflows for group sizes near <see cref="int.MaxValue"/>).</summary>
    private static int DivUp(int a, int b) => (a / b) + (a % b != 0 ? 1 : 0);

    internal static (float Scale, int ZeroPoint) ScaleAndZeroPoint(double lo, double hi, IntegerQuantizationOptions o, int qmin, int qmax)
    {
        if (o.Symmetric)
        {
            int half = (1 << (o.Bits - 1)) - 1;
            double amax = Math.Max(-lo, hi);
            return ((float)(amax / half), o.IsSigned ? 0 : 1 << (o.Bits - 1));
        }

        float scale = (float)((hi - lo) / (qmax - qmin));
        if (scale == 0)
        {
            return (0, o.IsSigned ? 0 : qmin);
        }

        int zero = qmin - (int)Math.Round(lo / scale, MidpointRounding.ToEven);
        return (scale, Math.Clamp(zero, qmin, qmax));
    }

    internal static int Encode(float x, float scale, int zeroPoint, int qmin, int qmax, RoundingMode rounding, ulong random)
    {
        if (scale == 0)
        {
            return zeroPoint;
        }

        double q = IntegerRounding.Round(x / (double)scale, rounding, random) + zeroPoint;
        return (int)Math.Clamp(q, qmin, qmax);
    }

    private static void Validate(IntegerQuantizationOptions options)
    {
        IntegerQuantizationOptions o = options;
        if (o.Bits is not (2 or 3 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.Bits, "options.Bits must be 2, 3, 4 or 8.");
        }

        if ((uint)o.Granularity > (uint)QuantizationGranularity.PerGroup)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.Granularity, "Unknown options.Granularity.");
        }

        if (o.Axis is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.Axis, "options.Axis must be 0 (rows) or 1 (columns).");
        }

        if (o.GroupSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.GroupSize, "options.GroupSize must be at least 1.");
        }

        if ((uint)o.ScaleMethod > (uint)IntegerScaleMethod.MseSearch)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.ScaleMethod, "Unknown options.ScaleMethod.");
        }

        if (!(o.ClipPercentile > 0 && o.ClipPercentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.ClipPercentile, "options.ClipPercentile must be in (0, 100].");
        }

        if ((uint)o.NonFinite > (uint)IntegerNonFiniteHandling.Saturate)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.NonFinite, "Unknown options.NonFinite.");
        }

        if ((uint)o.Rounding > (uint)RoundingMode.StochasticUniform)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.Rounding, "Unknown options.Rounding.");
        }
    }
}
