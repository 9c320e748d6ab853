// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Numerics.Benchmarks.Reporting;

namespace Numerics.Benchmarks;

/// <summary>
/// Columns from the <see cref="WorkAttribute"/> contract, at the median time: throughput (GB/s or GFLOP/s), % of the machine
/// limit, and which limit (see <see cref="MachineLimits"/>: copy bandwidth at the nearest footprint, or the FMA peak for the
/// thread count, measured by the MachineLimits benchmarks in this run or an earlier export in the same results folder, else the
/// KERNELS.md anchors).
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    private static readonly ConditionalWeakTable<Summary, MachineLimits> s_limits = [];

    private readonly Kind _kind;

    private ThroughputColumn(Kind kind) => _kind = kind;

    private enum Kind
    {
        Rate,
        Percent,
        Reference,
    }

    /// <summary>GB/s or GFLOP/s.</summary>
    public static IColumn Rate { get; } = new ThroughputColumn(Kind.Rate);

    /// <summary>% of the machine limit.</summary>
    public static IColumn PercentOfLimit { get; } = new ThroughputColumn(Kind.Percent);

    /// <summary>The limit used.</summary>
    public static IColumn Reference { get; } = new ThroughputColumn(Kind.Reference);

    /// <inheritdoc/>
    public string Id => "Numerics" + _kind;

    /// <inheritdoc/>
    public string ColumnName => _kind switch
    {
        Kind.Rate => "Throughput",
        Kind.Percent => "% of limit",
        _ => "Limit",
    };

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => (int)_kind;

    /// <inheritdoc/>
    public bool IsNumeric => _kind == Kind.Percent;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => _kind switch
    {
        Kind.Rate => "[Work] bytes or FLOPs per invocation / median time (GB/s = 10^9 B/s)",
        Kind.Percent => "Throughput as % of the limit in the Limit column",
        _ => "Span.CopyTo bandwidth at the nearest footprint, or FP32 FMA peak for the thread count; measured (MachineLimits*) or KERNELS.md anchor",
    };

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        BenchmarkRecord? record = SummaryRecords.Of(summary, benchmarkCase);
        if (record?.Work is not { } work || record.Rate is not { } rate)
        {
            return "-";
        }

        MachineLimits limits = s_limits.GetValue(summary, SummaryRecords.LimitsOf);
        MachineLimit? limit = limits.ReferenceFor(work, record.Threads);
        return _kind switch
        {
            Kind.Rate => string.Create(CultureInfo.InvariantCulture, $"{rate:0.00} {work.RateUnit}"),
            Kind.Percent => limit is null ? "-" : (100 * rate / limit.Rate).ToString("0.0", CultureInfo.InvariantCulture),
            _ => limit is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{limit.Rate:0.0} {work.RateUnit} ({limit.Describe()})"),
        };
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.BenchmarksCases.Any(c => Work.Of(c) is not null);
    }

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public override string ToString() => ColumnName;
}

/// <summary>Turns a live BenchmarkDotNet summary into <see cref="BenchmarkRecord"/>s (the same shape the report reads from JSON).</summary>
internal static class SummaryRecords
{
    /// <summary>The record of one case, or null when it has no statistics.</summary>
    public static BenchmarkRecord? Of(Summary summary, BenchmarkCase benchmarkCase)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats)
        {
            return null;
        }

        string environment = string.Join(' ', benchmarkCase.Job.Environment.EnvironmentVariables?.Select(v => v.Key + "=" + v.Value) ?? []);
        var parameters = benchmarkCase.Parameters.Items.ToDictionary(
            p => p.Name,
            p => Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? string.Empty,
            StringComparer.Ordinal);
        WorkAmount? work = Work.Of(benchmarkCase) is { } w ? new WorkAmount(w.Unit, w.PerOperation) : null;
        return new BenchmarkRecord(
            benchmarkCase.Descriptor.Type.Name,
            benchmarkCase.Descriptor.WorkloadMethod.Name,
            parameters,
            benchmarkCase.Job.ResolvedId,
            BdnJson.TierOf(environment),
            stats.Median,
            stats.Mean,
            stats.Min,
            report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase),
            work,
            benchmarkCase.Descriptor.Baseline);
    }

    /// <summary>Limits from earlier exports in the results folder, overridden by MachineLimits cases of this summary.</summary>
    public static MachineLimits LimitsOf(Summary summary)
    {
        IEnumerable<BenchmarkRecord> earlier = [];
        try
        {
            earlier = BdnJson.LoadDirectory(summary.ResultsDirectoryPath).SelectMany(f => f.Records).ToList();
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or UnauthorizedAccessException or KeyNotFoundException)
        {
            Console.WriteLine($"// Numerics: could not read earlier exports in {summary.ResultsDirectoryPath}: {e.Message}");
        }

        IEnumerable<BenchmarkRecord> current = summary.BenchmarksCases.Select(c => Of(summary, c)).OfType<BenchmarkRecord>();
        return MachineLimits.From(earlier.Concat(current));
    }
}
