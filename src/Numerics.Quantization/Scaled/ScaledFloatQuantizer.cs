// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>
/// Scaled low-precision float quantization (ZeroQuant-FP; the W8A8-FP scheme of "Give Me BF16 or Give Me Death"): FP8 E4M3 /
/// E5M2 or FP4 E2M1 elements with one float32 scale per tensor, channel or group.
/// </summary>
/// <remarks>
/// For each group: amax = max |x| over the group; scale = amax / M rounded to float32 (M = the element's max finite value:
/// 448, 57344 or 6), or with <see cref="ScaledFloatOptions.PowerOfTwoScales"/> the smallest power of two s with s·M ≥ amax
/// (computed exactly; at least 2^-149). Code = the element encoding of x / scale with the chosen rounding and satfinite overflow
/// (<see cref="OverflowMode.SaturatingFinite"/>), where x / scale is computed in double: the exact quotient of two float32 values
/// is never within 2^-53 (relative) of an FP8/FP4 rounding boundary unless it lies on it, so this equals rounding the exact
/// quotient. Power-of-two scales divide exactly in float32 and use the vectorized span encoder. A group with amax = 0 (or a
/// scale that underflows float32) gets scale 0 and zero codes. Dequantized value = decode(code) · scale rounded once to float32.
/// NaN and ±∞ are rejected with an <see cref="ArgumentException"/> naming the index.
/// </remarks>
public static class ScaledFloatQuantizer
{
    /// <summary>The <see cref="FloatFormat"/> of an element type.</summary>
    /// <param name="element">The element.</param>
    /// <returns><see cref="FloatFormat.E4M3FN"/>, <see cref="FloatFormat.E5M2"/> or <see cref="FloatFormat.E2M1FN"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="element"/> is not defined.</exception>
    public static FloatFormat Format(ScaledFloatElement element) => element switch
    {
        ScaledFloatElement.E4M3 => FloatFormat.E4M3FN,
        ScaledFloatElement.E5M2 => FloatFormat.E5M2,
        ScaledFloatElement.E2M1 => FloatFormat.E2M1FN,
        _ => throw new ArgumentOutOfRangeException(nameof(element), element, "Unknown scaled float element."),
    };

    /// <summary>Quantizes a row-major <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    /// <param name="data">rows × columns finite values, row-major.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="options">Element, granularity, axis, group size, scale constraint and rounding; null for FP8 E4M3 per tensor.</param>
    /// <returns>The quantized tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or an option is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has the wrong length or contains NaN or ±∞ (the message names the index).</exception>
    public static ScaledFloatTensor Quantize(ReadOnlySpan<float> data, int rows, int columns, ScaledFloatOptions? options = null)
    {
        options ??= new ScaledFloatOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        FloatFormat format = Validate(options);
        MatrixShape.Check(data.Length, rows, columns, nameof(data));

        int bad = GgmlBlocks.IndexOfNonFinite(data);
        if (bad >= 0)
        {
            throw new ArgumentException($"data[{bad}] is {data[bad]}; only finite values can be quantized.", nameof(data));
        }

        IntegerQuantizationOptions layout = Layout(options);
        int groups = IntegerQuantizer.GroupCount(layout, rows, columns);
        var amax = new float[groups];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int g = IntegerQuantizer.GroupOf(layout, rows, columns, r, c);
                amax[g] = MathF.Max(amax[g], MathF.Abs(data[(r * columns) + c]));
            }
        }

        var scales = new float[groups];
        for (int g = 0; g < groups; g++)
        {
            scales[g] = Scale(amax[g], format.MaxFinite, options.PowerOfTwoScales);
        }

        var codes = new byte[data.Length];
        Span<float> quotients = stackalloc float[256];
        Span<byte> chunkCodes = stackalloc byte[256];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int k = (r * columns) + c;
                float scale = scales[IntegerQuantizer.GroupOf(layout, rows, columns, r, c)];
                if (scale == 0)
                {
                    codes[k] = 0;
                }
                else if (!options.PowerOfTwoScales)
                {
                    codes[k] = (byte)format.Encode(data[k] / (double)scale, options.Rounding, OverflowMode.SaturatingFinite, StochasticRounding.RandomBits(options.Seed, k));
                }
            }
        }

        if (options.PowerOfTwoScales)
        {
            // x / 2^k is exact in float32 (or underflows/overflows where the element rounds to 0 / saturates anyway), so the
            // span encoder (vectorized for the deterministic modes) gives the codes of the exact quotients. The stochastic
            // stream of element i is RandomBits(seed, i) in both the span and the scalar encoders; chunks keep the global index
            // only for deterministic modes, so stochastic modes take the scalar path.
            if (options.Rounding >= RoundingMode.Stochastic)
            {
                for (int k = 0; k < codes.Length; k++)
                {
                    float scale = scales[IntegerQuantizer.GroupOf(layout, rows, columns, k / Math.Max(columns, 1), k % Math.Max(columns, 1))];
                    codes[k] = scale == 0 ? (byte)0 : (byte)format.Encode(data[k] / scale, options.Rounding, OverflowMode.SaturatingFinite, StochasticRounding.RandomBits(options.Seed, k));
                }
            }
            else
            {
                for (int k0 = 0; k0 < codes.Length; k0 += quotients.Length)
                {
                    int n = Math.Min(quotients.Length, codes.Length - k0);
                    for (int i = 0; i < n; i++)
                    {
                        int k = k0 + i;
                        float scale = scales[IntegerQuantizer.GroupOf(layout, rows, columns, k / columns, k % columns)];
                        quotients[i] = scale == 0 ? 0 : data[k] / scale;
                    }

                    format.Encode(quotients[..n], chunkCodes[..n], options.Rounding, OverflowMode.SaturatingFinite);
                    chunkCodes[..n].CopyTo(codes.AsSpan(k0, n));
                }
            }
        }

        return new ScaledFloatTensor(rows, columns, options, codes, scales);
    }

    /// <summary>The scale of a group with max magnitude <paramref name="amax"/>.</summary>
    internal static float Scale(float amax, double maxFinite, bool powerOfTwo)
    {
        if (amax == 0)
        {
            return 0;
        }

        if (!powerOfTwo)
        {
            return (float)(amax / maxFinite);
        }

        // Smallest k with 2^k · M ≥ amax (both sides exact in double), at least −149 (the smallest float32 power of two).
        int k = Math.ILogB(amax / maxFinite);
        while (Math.ScaleB(maxFinite, k) < amax)
        {
            k++;
        }

        while (Math.ScaleB(maxFinite, k - 1) >= amax)
        {
            k--;
        }

        return MathF.ScaleB(1, Math.Max(k, -149));
    }

    internal static IntegerQuantizationOptions Layout(ScaledFloatOptions o) =>
        new() { Granularity = o.Granularity, Axis = o.Axis, GroupSize = o.GroupSize };

    private static FloatFormat Validate(ScaledFloatOptions options)
    {
        ScaledFloatOptions o = options;
        FloatFormat format = Format(o.Element);
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

        if ((uint)o.Rounding > (uint)RoundingMode.StochasticUniform)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.Rounding, "Unknown options.Rounding.");
        }

        return format;
    }
}
