// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using Numerics.Benchmarks.Reporting;

namespace Numerics.BenchmarkReport;

/// <summary>Writes the results page (markdown) and its plots.</summary>
internal static class ReportWriter
{
    /// <summary>Known sections, in page order: title, classes, a sentence on what is measured.</summary>
    internal static readonly (string Title, string[] Types, string Note)[] Sections =
    [
        ("Machine limits (the 100 % references)", [MachineLimits.CopyType, MachineLimits.FmaType],
            "`Span<float>.CopyTo` counts 8 B per element (read + write), the Vector512 sum 4 B; the FMA peak is 16 independent Vector512 FMA chains per thread."),
        ("Softmax", ["SoftmaxBenchmarks"],
            "One row, one thread; GB/s counts 8 B per element (read x once, write y once: the minimum any softmax moves). Baseline: `TensorPrimitives.SoftMax`."),
        ("GEMM (SGEMM, row-major, C = A·B)", ["GemmBenchmarks", "GemmNaiveBenchmarks"],
            "GFLOP/s = 2·M·N·K / median time; % of limit = of the measured FMA peak for the same thread count. OpenBLAS through P/Invoke (sgemv for M = 1)."),
        ("Chop (Numerics.Emulation)", ["EmulationBenchmarks"],
            "`Chopper.Chop` out of place on 16M elements (out of cache), one thread; GB/s counts storage read + written. Baseline: `Span<T>.CopyTo` of the same array."),
        ("Quantize / dequantize (Numerics.Quantization)", ["QuantizationBenchmarks"],
            "16M floats (64 MiB), one thread; GB/s counts the floats plus the packed blocks (scales included). Baseline: `Span<float>.CopyTo`."),
        ("Format conversion (Numerics.Formats)", ["FormatsConversionBenchmarks"],
            "float → 16-bit / 8-bit codes, RNE; GB/s counts 4 B in + the code out. Baseline: `TensorPrimitives.ConvertToHalf`."),
    ];

    private static readonly string[] s_tierOrder = ["scalar", "v128", "v256", "default"];

    /// <summary>Writes <c>&lt;out&gt;/&lt;stem&gt;.md</c> and <c>&lt;out&gt;/plots/&lt;stem&gt;/*.png</c> (or .svg).</summary>
    /// <param name="results">The results.</param>
    /// <param name="options">The options.</param>
    /// <returns>Path of the page.</returns>
    public static string Write(ResultSet results, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(options);
        string plotDirectory = Path.Combine(options.Out, "plots", options.Stem);
        Directory.CreateDirectory(plotDirectory);
        IReadOnlyDictionary<string, List<string>> plots = ReportPlots.SaveAll(results, plotDirectory, options.Format);
        string relative = "plots/" + options.Stem + "/";
        var bySection = plots.ToDictionary(p => p.Key, p => p.Value.Select(f => relative + Path.GetFileName(f)).ToList());
        string page = Path.Combine(options.Out, options.Stem + ".md");
        File.WriteAllText(page, RenderPage(results, options, bySection));
        return page;
    }

    /// <summary>The page text.</summary>
    /// <param name="results">The results.</param>
    /// <param name="options">Date, commit, command, smoke label.</param>
    /// <param name="plots">Section title to plot paths relative to the page.</param>
    /// <returns>Markdown.</returns>
    public static string RenderPage(ResultSet results, ReportOptions options, IReadOnlyDictionary<string, List<string>> plots)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(plots);
        var s = new StringBuilder();
        HostInfo h = results.Host;
        s.Append(CultureInfo.InvariantCulture, $"# Benchmark results, {options.Date}{(options.Smoke ? " (SMOKE RUN, not for quoting)" : string.Empty)}\n\n");
        if (options.Smoke)
        {
            s.Append("> **Smoke run.** Short job on a loaded machine, to check the pipeline end to end. The numbers are lower bounds with wide\n");
            s.Append("> error; do not quote them. Publishable runs come from `eng/run-benchmarks.sh` (without `--short`) on a quiet machine.\n\n");
        }

        s.Append(CultureInfo.InvariantCulture, $"- Machine: {h.ProcessorName}, {h.PhysicalCoreCount} physical / {h.LogicalCoreCount} logical cores, {h.Architecture}\n");
        s.Append(CultureInfo.InvariantCulture, $"- OS: {h.OsVersion}\n");
        s.Append(CultureInfo.InvariantCulture, $"- .NET: runtime {h.RuntimeVersion}, SDK {h.DotNetSdkVersion}; BenchmarkDotNet {h.BenchmarkDotNetVersion}\n");
        s.Append(CultureInfo.InvariantCulture, $"- Commit: `{options.Commit}`\n");
        s.Append(CultureInfo.InvariantCulture, $"- Command: `{options.Command}`\n");
        s.Append(CultureInfo.InvariantCulture, $"- Date: {options.Date}\n\n");
        s.Append("How to read: times are medians per invocation. Throughput = the benchmark's declared work (`[Work]`: bytes moved or\n");
        s.Append("FLOPs per invocation) / median time. **% of limit** compares with the machine limit measured in the same run: copy\n");
        s.Append("bandwidth (`Span<float>.CopyTo`) at the footprint nearest the case's bytes per call, or the FP32 FMA peak for the same\n");
        s.Append("thread count (\"anchor\" = quiet-machine figure of KERNELS.md, used only when the limit was not measured). **Speed** is\n");
        s.Append("baseline time / time for the class's baseline in the same job (> 1 = faster than the baseline). Tier `default` is the\n");
        s.Append("machine's widest vectors; `v256`, `v128`, `scalar` ran with `DOTNET_EnableAVX512=0`, `DOTNET_EnableAVX2=0`, `DOTNET_EnableHWIntrinsic=0`.\n\n");

        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string title, string[] types, string note) in Sections)
        {
            List<BenchmarkRecord> records = [.. types.SelectMany(results.OfType)];
            done.UnionWith(types);
            if (records.Count == 0 && !plots.ContainsKey(title))
            {
                continue;
            }

            AppendSection(s, results, title, note, types, plots.TryGetValue(title, out List<string>? p) ? p : []);
        }

        foreach (string type in results.Records.Select(r => r.Type).Distinct().Where(t => !done.Contains(t)))
        {
            AppendSection(s, results, type, string.Empty, [type], []);
        }

        return s.ToString();
    }

    private static void AppendSection(StringBuilder s, ResultSet results, string title, string note, string[] types, List<string> plots)
    {
        s.Append(CultureInfo.InvariantCulture, $"## {title}\n\n");
        if (note.Length > 0)
        {
            s.Append(note).Append("\n\n");
        }

        foreach (string plot in plots)
        {
            s.Append(CultureInfo.InvariantCulture, $"![{title}]({plot})\n\n");
        }

        foreach (string type in types)
        {
            IReadOnlyList<BenchmarkRecord> records = results.OfType(type);
            if (records.Count > 0)
            {
                if (types.Length > 1)
                {
                    s.Append(CultureInfo.InvariantCulture, $"`{type}`\n\n");
                }

                AppendTable(s, results, records);
            }
        }
    }

    /// <summary>One markdown table for the records of one class.</summary>
    internal static void AppendTable(StringBuilder s, ResultSet results, IReadOnlyList<BenchmarkRecord> records)
    {
        List<string> parameters = [.. records.SelectMany(r => r.Parameters.Keys).Distinct()];
        bool tiers = records.Any(r => r.Tier != "default");
        bool baselines = records.Any(r => r.IsBaseline);
        bool work = records.Any(r => r.Work is not null);
        var header = new List<string> { "Method" };
        header.AddRange(parameters);
        if (tiers)
        {
            header.Add("Tier");
        }

        header.AddRange(["Median", "Min"]);
        if (work)
        {
            header.AddRange(["Throughput", "% of limit", "Limit"]);
        }

        if (baselines)
        {
            header.Add("Speed vs baseline");
        }

        header.Add("Allocated");
        s.Append("| ").AppendJoin(" | ", header).Append(" |\n|");
        foreach (string column in header)
        {
            s.Append(column is "Method" or "Tier" or "Limit" ? "---|" : "---:|");
        }

        s.Append('\n');
        var order = records.Select((r, i) => (r, i))
            .OrderBy(x => string.Join('|', parameters.Select(p => SortKey(x.r.Parameter(p)))), StringComparer.Ordinal)
            .ThenBy(x => Array.IndexOf(s_tierOrder, x.r.Tier))
            .ThenBy(x => x.i)
            .Select(x => x.r);
        foreach (BenchmarkRecord r in order)
        {
            var cells = new List<string> { r.IsBaseline ? $"**{r.Method}**" : r.Method };
            cells.AddRange(parameters.Select(p => r.Parameter(p) ?? string.Empty));
            if (tiers)
            {
                cells.Add(r.Tier);
            }

            cells.Add(FormatTime(r.MedianNs));
            cells.Add(FormatTime(r.MinNs));
            if (work)
            {
                MachineLimit? limit = r.Work is { } w ? results.Limits.ReferenceFor(w, r.Threads) : null;
                cells.Add(r.Rate is { } rate && r.Work is { } wk ? string.Create(CultureInfo.InvariantCulture, $"{rate:0.00} {wk.RateUnit}") : "-");
                cells.Add(results.Limits.PercentOfLimit(r) is { } pct ? pct.ToString("0.0", CultureInfo.InvariantCulture) : "-");
                cells.Add(limit is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{limit.Rate:0.0} ({limit.Describe()})"));
            }

            if (baselines)
            {
                BenchmarkRecord? b = results.BaselineOf(r);
                cells.Add(b is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{b.MedianNs / r.MedianNs:0.00}x"));
            }

            cells.Add(r.AllocatedBytes is { } a ? FormatAllocated(a) : "-");
            s.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        }

        s.Append('\n');
    }

    /// <summary>Time with three significant digits and a unit (ns, us, ms, s).</summary>
    /// <param name="nanoseconds">Time in ns.</param>
    /// <returns>e.g. <c>7.69 ms</c>.</returns>
    internal static string FormatTime(double nanoseconds)
    {
        if (!double.IsFinite(nanoseconds))
        {
            return "-";
        }

        (double value, string unit) = nanoseconds switch
        {
            < 1e3 => (nanoseconds, "ns"),
            < 1e6 => (nanoseconds / 1e3, "us"),
            < 1e9 => (nanoseconds / 1e6, "ms"),
            _ => (nanoseconds / 1e9, "s"),
        };
        string format = value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + unit;
    }

    /// <summary>Element counts as 1K / 32K / 1M / 16M when exact powers of 1024 multiples, else the number.</summary>
    /// <param name="n">A count.</param>
    /// <returns>The label.</returns>
    internal static string FormatCount(long n) =>
        n >= 1 << 20 && n % (1 << 20) == 0 ? (n >> 20).ToString(CultureInfo.InvariantCulture) + "M"
        : n >= 1 << 10 && n % (1 << 10) == 0 ? (n >> 10).ToString(CultureInfo.InvariantCulture) + "K"
        : n.ToString(CultureInfo.InvariantCulture);

    private static string FormatAllocated(double bytes) => bytes == 0 ? "0 B" : MachineLimits.FormatBytes(bytes);

    private static string SortKey(string? value) =>
        value is null ? string.Empty
        : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n.ToString("D20", CultureInfo.InvariantCulture)
        : ReportPlots.ParseShape(value) is { } shape ? ((long)shape.M * shape.N * shape.K).ToString("D20", CultureInfo.InvariantCulture) + value
        : value;
}
