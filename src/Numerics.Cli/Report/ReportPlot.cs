// Licensed under the MIT License. See LICENSE in the repository root.

using ScottPlot;

namespace Numerics.Cli.Report;

/// <summary>Pictures of a report: error per scheme (bar chart) and the value histogram before/after a scheme.</summary>
internal static class ReportPlot
{
    /// <summary>Writes a bar chart of SQNR (dB) per scheme for one tensor. The file type (.png or .svg) comes from the extension.</summary>
    public static void SaveErrorBars(string path, string tensor, IReadOnlyList<ReportRow> rows)
    {
        var plot = new Plot();
        double[] sqnr = rows.Select(r => double.IsFinite(r.Error.SqnrDb) ? r.Error.SqnrDb : 0).ToArray();
        var bars = plot.Add.Bars(sqnr);
        bars.Horizontal = true;
        Tick[] ticks = rows.Select((r, i) => new Tick(i, $"{r.Scheme} ({r.BitsPerElement:0.##} b)")).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0);
        plot.Title($"SQNR per scheme on {tensor} (higher is better)");
        plot.XLabel("SQNR (dB)");
        int height = Math.Max(300, 60 + (22 * rows.Count));
        Save(plot, path, 900, height);
    }

    /// <summary>Writes overlaid histograms of <paramref name="before"/> and <paramref name="after"/> (log-scale counts).</summary>
    public static void SaveHistogram(string path, string title, ReadOnlySpan<float> before, ReadOnlySpan<float> after, int bins = 200)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (float v in before)
        {
            if (float.IsFinite(v))
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }

        if (!(hi > lo))
        {
            hi = lo + 1;
        }

        double[] edges = Enumerable.Range(0, bins).Select(i => lo + ((hi - lo) * (i + 0.5) / bins)).ToArray();
        var plot = new Plot();
        var a = plot.Add.ScatterLine(edges, Counts(before, lo, hi, bins));
        a.LegendText = "original";
        var b = plot.Add.ScatterLine(edges, Counts(after, lo, hi, bins));
        b.LegendText = "after round trip";
        plot.Title(title);
        plot.XLabel("value");
        plot.YLabel("log10(count + 1)");
        plot.ShowLegend();
        Save(plot, path, 900, 500);
    }

    private static double[] Counts(ReadOnlySpan<float> values, float lo, float hi, int bins)
    {
        double[] counts = new double[bins];
        double scale = bins / (double)(hi - lo);
        foreach (float v in values)
        {
            if (float.IsFinite(v) && v >= lo && v <= hi)
            {
                counts[Math.Min(bins - 1, (int)((v - lo) * scale))]++;
            }
        }

        for (int i = 0; i < bins; i++)
        {
            counts[i] = Math.Log10(counts[i] + 1);
        }

        return counts;
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        string extension = Path.GetExtension(path).ToUpperInvariant();
        switch (extension)
        {
            case ".PNG":
                plot.SavePng(path, width, height);
                break;
            case ".SVG":
                plot.SaveSvg(path, width, height);
                break;
            default:
                throw new UsageException($"--plot '{path}': the file must end in .png or .svg.");
        }
    }
}
