// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;

namespace Numerics.Benchmarks;

/// <summary>
/// The global configuration of every run: BenchmarkDotNet's defaults (CSV, GitHub markdown and HTML exporters) plus the memory
/// diagnoser, the full JSON exporter (what Numerics.BenchmarkReport reads), the <see cref="WorkDiagnoser"/> (work per
/// invocation into the JSON) and the throughput columns; with <c>--isa-tiers</c>, one job per instruction-set tier.
/// </summary>
public static class NumericsConfig
{
    /// <summary>Builds the configuration.</summary>
    /// <param name="isaTiersBaseJob">When not null, the run gets the four tier jobs of <see cref="IsaTiersConfig"/> derived from this job.</param>
    /// <returns>The configuration.</returns>
    public static IConfig Create(Job? isaTiersBaseJob = null)
    {
        ManualConfig config = ManualConfig.Create(DefaultConfig.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default, WorkDiagnoser.Default)
            .AddExporter(JsonExporter.Full)
            .AddColumn(ThroughputColumn.Rate, ThroughputColumn.PercentOfLimit, ThroughputColumn.Reference);
        if (isaTiersBaseJob is not null)
        {
            config.AddJob([.. IsaTiersConfig.Jobs(isaTiersBaseJob)]);
        }

        return config;
    }
}
