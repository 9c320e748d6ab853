// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Benchmarks.Reporting;
using ScottPlot;

namespace Numerics.BenchmarkReport;

/// <summary>
/// The plots of a results page: softmax GB/s vs length per variant (with TensorPrimitives and the copy bandwidth), GEMM
/// GFLOP/s vs size for Numerics, OpenBLAS and the naive loop (with the FMA peaks), and bar charts of chop, quantize and
/// conversion throughput per format beside the copy bandwidth.
/// </summary>
internal static class ReportPlots
{
    /// <summary>Saves every plot whose data is present.</summary>
    /// <param name="results">The results.</param>
    /// <param name="directory">Output folder (exists).</param>
    /// <param name="format">"svg" or "png".</param>
    /// <returns>Section title to the files written for it.</returns>
    public static IReadOnlyDictionary<string, List<string>> SaveAll(ResultSet results, string directory, string format)
    {
        ArgumentNullException.ThrowIfNull(results);
        var written = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(int section, string? file)
        {
            if (file is not null)
            {
                string title = ReportWriter.Sections[section].Title;
                if (!written.TryGetValue(title, out List<string>? list))
                {
                    written[title] = list = [];
                }

                list.Add(file);
            }
        }

        Add(1, Softmax(results, Path.Combine(directory, "softmax." + format)));
        Add(2, GemmSquares(results, Path.Combine(directory, "gemm." + format)));
        Add(2, GemmSkinny(results, Path.Combine(directory, "gemm-llm-shapes." + format)));
        Add(3, ElementWise(results, "EmulationBenchmarks", "Chop, 16M elements: throughput per format vs copy", Path.Combine(directory, "chop." + format)));
        Add(4, ElementWise(results, "QuantizationBenchmarks", "Quantize / dequantize, 16M floats: throughput vs copy", Path.Combine(directory, "quantize." + format)));
        Add(5, ElementWise(results, "FormatsConversionBenchmarks", "float → codes: throughput per format vs copy", Path.Combine(directory, "conversion." + format)));
        return written;
    }

    /// <summary>M, N, K of <c>MxNxK</c>, or null.</summary>
    /// <param name="shape">The text.</param>
    /// <returns>The dimensions.</returns>
    internal static (int M, int N, int K)? ParseShape(string shape)
    {
        string[] parts = shape.Split('x');
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int m)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
            && int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k)
            ? (m, n, k)
            : null;
    }

    private static string? Softmax(ResultSet results, string path)
    {
        List<BenchmarkRecord> records = [.. results.OfType("SoftmaxBenchmarks").Where(r => r.Rate is not null && r.IntParameter("Length", 0) > 0)];
        if (records.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        foreach (var series in records.GroupBy(r => r.Tier == "default" ? r.Method : $"{r.Method} ({r.Tier})"))
        {
            var points = series.OrderBy(r => r.IntParameter("Length", 0)).ToList();
            var line = plot.Add.Scatter(
                points.Select(r => Math.Log2(r.IntParameter("Length", 0))).ToArray(),
                points.Select(r => r.Rate!.Value).ToArray());
            line.LegendText = series.Key;
            line.MarkerSize = 7;
            if (series.First().IsBaseline)
            {
                line.LinePattern = LinePattern.Dashed;
            }
        }

        // The copy of the same bytes (8 B per element) is the bandwidth any softmax could reach at best.
        if (results.Limits.Copy.Count > 0)
        {
            var copy = plot.Add.Scatter(
                results.Limits.Copy.Select(l => Math.Log2(l.Key / 8)).ToArray(),
                results.Limits.Copy.Select(l => l.Rate).ToArray());
            copy.LegendText = "Span.CopyTo, same bytes (" + (results.Limits.Copy[0].Measured ? "measured" : "anchor") + ")";
            copy.LinePattern = LinePattern.Dotted;
            copy.Color = Colors.Gray;
        }

        LengthTicks(plot, records.Select(r => r.IntParameter("Length", 0)).Concat(results.Limits.Copy.Select(l => (long)(l.Key / 8))));
        double top = records.Max(r => r.Rate!.Value);
        top = Math.Max(top, results.Limits.Copy.Count > 0 ? results.Limits.Copy.Max(l => l.Rate) : 0);
        plot.Title("Softmax, one row, one thread: GB/s (8 B per element) vs length");
        plot.XLabel("row length (floats, log scale)");
        plot.YLabel("GB/s");
        plot.Axes.SetLimitsY(0, top * 1.1);
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path, 1000, 560);
        return path;
    }

    private static string? GemmSquares(ResultSet results, string path)
    {
        List<BenchmarkRecord> records = [.. GemmRecords(results).Where(r => ParseShape(r.Parameter("Shape") ?? string.Empty) is { } s && s.M == s.N && s.N == s.K)];
        if (records.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        foreach (var series in records.GroupBy(r => $"{r.Parameter("Implementation") ?? r.Type} {r.Threads} thr"))
        {
            var points = series.OrderBy(r => ParseShape(r.Parameter("Shape")!)!.Value.N).ToList();
            var line = plot.Add.Scatter(points.Select(r => (double)ParseShape(r.Parameter("Shape")!)!.Value.N).ToArray(), points.Select(r => r.Rate!.Value).ToArray());
            line.LegendText = series.Key;
            line.MarkerSize = 7;
        }

        foreach (MachineLimit peak in results.Limits.Fma)
        {
            var h = plot.Add.HorizontalLine(peak.Rate);
            h.LegendText = string.Create(CultureInfo.InvariantCulture, $"FMA peak {peak.Key:0} thr ({(peak.Measured ? "measured" : "anchor")})");
            h.LinePattern = LinePattern.Dotted;
        }

        plot.Title("SGEMM N×N×N: GFLOP/s vs size");
        plot.XLabel("N");
        plot.YLabel("GFLOP/s");
        double top = Math.Max(records.Max(r => r.Rate!.Value), results.Limits.Fma.Count > 0 ? results.Limits.Fma.Max(l => l.Rate) : 0);
        plot.Axes.SetLimitsY(0, top * 1.1);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, 1000, 560);
        return path;
    }

    private static string? GemmSkinny(ResultSet results, string path)
    {
        List<BenchmarkRecord> records = [.. GemmRecords(results).Where(r => ParseShape(r.Parameter("Shape") ?? string.Empty) is { } s && s.M < s.N)];
        if (records.Count == 0)
        {
            return null;
        }

        var items = records
            .OrderBy(r => ParseShape(r.Parameter("Shape")!)!.Value.M).ThenBy(r => r.Threads).ThenBy(r => r.Parameter("Implementation"), StringComparer.Ordinal)
            .Select(r => ($"{r.Parameter("Shape")} {r.Parameter("Implementation") ?? r.Type} {r.Threads} thr", r.Rate!.Value, r.Parameter("Implementation") != "Numerics"))
            .ToList();
        SaveBars(path, "SGEMM LLM shapes (M×N×K, K = N = 4096): GFLOP/s", "GFLOP/s", items, []);
        return path;
    }

    private static IEnumerable<BenchmarkRecord> GemmRecords(ResultSet results) =>
        results.OfType("GemmBenchmarks").Concat(results.OfType("GemmNaiveBenchmarks")).Where(r => r.Rate is not null && r.Tier == "default");

    private static string? ElementWise(ResultSet results, string type, string title, string path)
    {
        List<BenchmarkRecord> records = [.. results.OfType(type).Where(r => r.Rate is not null)];
        if (records.Count == 0)
        {
            return null;
        }

        bool lengths = records.Select(r => r.Parameter("Length")).Distinct().Count() > 1;
        var items = records
            .OrderBy(r => r.IntParameter("Length", 0))
            .Select(r => (
                r.Method + (lengths ? " n=" + ReportWriter.FormatCount(r.IntParameter("Length", 0)) : string.Empty) + (r.Tier == "default" ? string.Empty : $" ({r.Tier})"),
                r.Rate!.Value,
                r.IsBaseline))
            .ToList();
        var lines = new List<(string, double)>();
        foreach (MachineLimit copy in results.Limits.Copy)
        {
            lines.Add(($"copy limit {MachineLimits.FormatBytes(copy.Key)} ({(copy.Measured ? "measured" : "anchor")})", copy.Rate));
        }

        SaveBars(path, title + " (GB/s, gray = baseline)", "GB/s (bytes read + written per second)", items, lines);
        return path;
    }

    private static void SaveBars(string path, string title, string axis, List<(string Label, double Value, bool Highlight)> items, List<(string Label, double Value)> lines)
    {
        var plot = new Plot();
        var bars = plot.Add.Bars(items.Select(i => i.Value).ToArray());
        bars.Horizontal = true;
        for (int i = 0; i < items.Count; i++)
        {
            bars.Bars[i].FillColor = items[i].Highlight ? Colors.Gray : Colors.SteelBlue;
            bars.Bars[i].Label = items[i].Value.ToString("0.0", CultureInfo.InvariantCulture);
        }

        bars.ValueLabelStyle.FontSize = 11;
        Tick[] ticks = [.. items.Select((item, i) => new Tick(i, item.Label))];
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        double max = items.Count == 0 ? 1 : items.Max(i => i.Value);
        ScottPlot.Color[] palette = [Colors.DarkRed, Colors.DarkOrange, Colors.DarkGreen, Colors.Purple];
        for (int i = 0; i < lines.Count; i++)
        {
            var v = plot.Add.VerticalLine(lines[i].Value);
            v.LegendText = lines[i].Label;
            v.LinePattern = LinePattern.Dashed;
            v.Color = palette[i % palette.Length];
            max = Math.Max(max, lines[i].Value);
        }

        plot.Axes.SetLimitsX(0, max * 1.12);
        plot.Title(title);
        plot.XLabel(axis);
        if (lines.Count > 0)
        {
            plot.ShowLegend(Alignment.LowerRight);
        }

        Save(plot, path, 1000, Math.Max(320, 90 + (26 * items.Count)));
    }

    private static void LengthTicks(Plot plot, IEnumerable<long> lengths)
    {
        Tick[] ticks = [.. lengths.Where(n => n > 0).Distinct().Order().Select(n => new Tick(Math.Log2(n), ReportWriter.FormatCount(n)))];
        // Odd lengths next to a power of two (32771 beside 32K) would print on top of each other: keep the first of a cluster.
        var kept = new List<Tick>();
        foreach (Tick t in ticks)
        {
            if (kept.Count == 0 || t.Position - kept[^1].Position > 0.5)
            {
                kept.Add(t);
            }
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. kept]);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            plot.SavePng(path, width, height);
        }
        else
        {
            plot.SaveSvg(path, width, height);
        }
    }
}
