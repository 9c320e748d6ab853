// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>
/// The range [lo, hi] (lo ≤ 0 ≤ hi) each group's codes cover, for every <see cref="IntegerScaleMethod"/>. Non-finite values
/// (only present with <see cref="IntegerNonFiniteHandling.Saturate"/>) are left out.
/// </summary>
internal static class IntegerScaleSearch
{
    /// <summary>Number of clipping ratios tried by <see cref="IntegerScaleMethod.MseSearch"/>: α = 1 − i/100, i = 0 … 79.</summary>
    public const int MseGridSteps = 80;

    public static (double Lo, double Hi)[] Ranges(ReadOnlySpan<float> data, int rows, int columns, IntegerQuantizationOptions o, int groups, int qmin, int qmax)
    {
        var ranges = new (double Lo, double Hi)[groups];
        if (o.ScaleMethod == IntegerScaleMethod.MinMax)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    double v = data[(r * columns) + c];
                    if (double.IsFinite(v))
                    {
                        int g = IntegerQuantizer.GroupOf(o, rows, columns, r, c);
                        ranges[g] = (Math.Min(ranges[g].Lo, v), Math.Max(ranges[g].Hi, v)); // starting at 0: min(min, 0), max(max, 0)
                    }
                }
            }

            return ranges;
        }

        // Gather each group's finite members (a reference path: clarity over speed).
        var members = new List<float>[groups];
        for (int g = 0; g < groups; g++)
        {
            members[g] = [];
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                float v = data[(r * columns) + c];
                if (float.IsFinite(v))
                {
                    members[IntegerQuantizer.GroupOf(o, rows, columns, r, c)].Add(v);
                }
            }
        }

        for (int g = 0; g < groups; g++)
        {
            ranges[g] = o.ScaleMethod == IntegerScaleMethod.Percentile
                ? PercentileRange(members[g], o)
                : MseRange(members[g], o, qmin, qmax);
        }

        return ranges;
    }

    /// <summary>Nearest-rank percentile of sorted values: the value of rank ⌈p/100 · n⌉ (1-based, at least 1).</summary>
    public static double NearestRank(List<float> sorted, double percent)
    {
        int n = sorted.Count;
        int rank = (int)Math.Ceiling(percent / 100 * n);
        return sorted[Math.Clamp(rank, 1, n) - 1];
    }

    private static (double Lo, double Hi) PercentileRange(List<float> values, IntegerQuantizationOptions o)
    {
        if (values.Count == 0)
        {
            return (0, 0);
        }

        double p = o.ClipPercentile;
        if (o.Symmetric)
        {
            List<float> magnitudes = values.ConvertAll(MathF.Abs);
            magnitudes.Sort();
            double amax = NearestRank(magnitudes, p);
            return (-amax, amax);
        }

        var sorted = new List<float>(values);
        sorted.Sort();
        return (Math.Min(NearestRank(sorted, 100 - p), 0), Math.Max(NearestRank(sorted, p), 0));
    }

    private static (double Lo, double Hi) MseRange(List<float> values, IntegerQuantizationOptions o, int qmin, int qmax)
    {
        double lo = 0, hi = 0;
        foreach (float v in values)
        {
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }

        (double Lo, double Hi) best = (lo, hi);
        double bestError = double.PositiveInfinity;
        for (int i = 0; i < MseGridSteps; i++)
        {
            double alpha = 1 - (i / 100.0);
            (float scale, int zero) = IntegerQuantizer.ScaleAndZeroPoint(alpha * lo, alpha * hi, o, qmin, qmax);
            double error = 0;
            foreach (float v in values)
            {
                int q = IntegerQuantizer.Encode(v, scale, zero, qmin, qmax, Formats.RoundingMode.NearestEven, 0);
                double e = (float)((q - zero) * scale) - (double)v;
                error += e * e;
            }

            if (error < bestError)
            {
                bestError = error;
                best = (alpha * lo, alpha * hi);
            }
        }

        return best;
    }
}
