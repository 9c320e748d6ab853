// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Analysers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;
using Numerics.Benchmarks.Reporting;

namespace Numerics.Benchmarks;

/// <summary>
/// Puts the declared work (<see cref="WorkAttribute"/>) and the baseline flag of every case into BenchmarkDotNet's metrics, so
/// they land in the exported JSON (<c>Metrics</c>: ids <c>WorkBytes</c> / <c>WorkFlops</c> / <c>IsBaseline</c>) where
/// Numerics.BenchmarkReport reads them. The metrics are hidden in the console tables (the throughput columns show them).
/// </summary>
public sealed class WorkDiagnoser : IDiagnoser
{
    /// <summary>The shared instance.</summary>
    public static readonly WorkDiagnoser Default = new();

    /// <inheritdoc/>
    public IEnumerable<string> Ids => ["NumericsWork"];

    /// <inheritdoc/>
    public IEnumerable<IExporter> Exporters => [];

    /// <inheritdoc/>
    public IEnumerable<IAnalyser> Analysers => [];

    /// <inheritdoc/>
    public IColumnProvider? GetColumnProvider() => null;

    /// <inheritdoc/>
    public RunMode GetRunMode(BenchmarkCase benchmarkCase) => RunMode.NoOverhead;

    /// <inheritdoc/>
    public void Handle(HostSignal signal, DiagnoserActionParameters parameters)
    {
    }

    /// <inheritdoc/>
    public IEnumerable<Metric> ProcessResults(DiagnoserResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (Work.Of(results.BenchmarkCase) is { } work)
        {
            yield return new Metric(work.Unit == WorkUnits.Bytes ? HiddenMetric.Bytes : HiddenMetric.Flops, work.PerOperation);
        }

        yield return new Metric(HiddenMetric.Baseline, results.BenchmarkCase.Descriptor.Baseline ? 1 : 0);
    }

    /// <inheritdoc/>
    public void DisplayResults(ILogger logger)
    {
    }

    /// <inheritdoc/>
    public IEnumerable<ValidationError> Validate(ValidationParameters validationParameters) => [];

    private sealed class HiddenMetric(string id, string unit, string legend) : IMetricDescriptor
    {
        public static readonly HiddenMetric Bytes = new(WorkUnits.BytesMetricId, WorkUnits.Bytes, "Bytes moved per invocation ([Work] contract)");
        public static readonly HiddenMetric Flops = new(WorkUnits.FlopsMetricId, WorkUnits.Flops, "FLOPs per invocation ([Work] contract)");
        public static readonly HiddenMetric Baseline = new(BdnJson.BaselineMetricId, "flag", "1 for the class's baseline method");

        public string Id => id;

        public string DisplayName => id;

        public string Legend => legend;

        public string NumberFormat => "0";

        public UnitType UnitType => UnitType.Dimensionless;

        public string Unit => unit;

        public bool TheGreaterTheBetter => false;

        public int PriorityInCategory => 0;

        public bool GetIsAvailable(Metric metric) => false;
    }
}
