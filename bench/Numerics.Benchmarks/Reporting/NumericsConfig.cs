// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;

namespace Numerics.Benchmarks;

/// <summary>
/// The global configuration of every run: BenchmarkDotNet's defaults (CSV, GitHub markdown and HTML exporters) plus the memory
/// diagnoser, the full JSON exporter (what Numerics.BenchmarkReport reads), the <see cref="WorkDiagnoser"/> (work per
/// invocation into the JSON) and the throughput columns; with <c>--isa-tiers</c>, one job per instruction-set tier.
/// </summary>
public static class NumericsConfig
{
    /// <summary>How long the build of BenchmarkDotNet's generated project may take (its default is 2 minutes).</summary>
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);

    /// <summary>Builds the configuration.</summary>
    /// <param name="isaTiersBaseJob">When not null, the run gets the four tier jobs of <see cref="IsaTiersConfig"/> derived from this job.</param>
    /// <param name="lowerTierGlobs">When not empty, only cases whose full name matches one of these globs run on the scalar,
    /// v128 and v256 jobs; the others run on v512 only.</param>
    /// <returns>The configuration.</returns>
    public static IConfig Create(Job? isaTiersBaseJob = null, IReadOnlyList<string>? lowerTierGlobs = null)
    {
        ManualConfig config = ManualConfig.Create(DefaultConfig.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default, WorkDiagnoser.Default)
            .AddExporter(JsonExporter.Full)
            .AddColumn(ThroughputColumn.Rate, ThroughputColumn.PercentOfLimit, ThroughputColumn.Reference)
            .WithBuildTimeout(BuildTimeout); // BenchmarkDotNet's 2 minutes are not enough for its generated project on a loaded 2-core machine
        if (isaTiersBaseJob is not null)
        {
            config.AddJob([.. IsaTiersConfig.Jobs(isaTiersBaseJob)]);
            if (lowerTierGlobs is { Count: > 0 })
            {
                var glob = new GlobFilter([.. lowerTierGlobs]);
                config.AddFilter(new SimpleFilter(c => !IsaTiersConfig.IsLowerTier(c.Job) || glob.Predicate(c)));
            }
        }

        return config;
    }
}
