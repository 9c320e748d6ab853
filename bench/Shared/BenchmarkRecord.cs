// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Benchmarks.Reporting;

/// <summary>What one invocation of a benchmark moves or computes: bytes (<see cref="WorkUnits.Bytes"/>) or FLOPs.</summary>
/// <param name="Unit">"B" (bytes) or "FLOP".</param>
/// <param name="PerOperation">The amount per invocation.</param>
internal readonly record struct WorkAmount(string Unit, double PerOperation)
{
    /// <summary>True for bytes (a bandwidth figure), false for FLOPs.</summary>
    public bool IsBytes => Unit == WorkUnits.Bytes;

    /// <summary>The rate in GB/s (bytes) or GFLOP/s (FLOPs) for a time per invocation in nanoseconds.</summary>
    /// <param name="nanoseconds">Time per invocation.</param>
    /// <returns>Bytes or FLOPs per nanosecond, i.e. GB/s or GFLOP/s (10^9 per second).</returns>
    public double RatePerNanosecond(double nanoseconds) => PerOperation / nanoseconds;

    /// <summary>"GB/s" or "GFLOP/s".</summary>
    public string RateUnit => IsBytes ? "GB/s" : "GFLOP/s";
}

/// <summary>The unit names and the BenchmarkDotNet metric ids that carry a <see cref="WorkAmount"/> into the exported JSON.</summary>
internal static class WorkUnits
{
    /// <summary>Bytes.</summary>
    public const string Bytes = "B";

    /// <summary>Floating-point operations (an FMA counts 2).</summary>
    public const string Flops = "FLOP";

    /// <summary>Metric id of bytes per invocation.</summary>
    public const string BytesMetricId = "WorkBytes";

    /// <summary>Metric id of FLOPs per invocation.</summary>
    public const string FlopsMetricId = "WorkFlops";
}

/// <summary>One benchmark case of one job, as read from BenchmarkDotNet's exported JSON (or taken from a live summary).</summary>
/// <param name="Type">Benchmark class name without namespace, e.g. <c>SoftmaxBenchmarks</c>.</param>
/// <param name="Method">Benchmark method name.</param>
/// <param name="Parameters">Parameter name to its display text (invariant culture).</param>
/// <param name="Job">Job id as BenchmarkDotNet printed it (e.g. <c>DefaultJob</c>, <c>v256</c>).</param>
/// <param name="Tier">Instruction-set tier the job ran on: <c>scalar</c>, <c>v128</c>, <c>v256</c> or <c>default</c>.</param>
/// <param name="MedianNs">Median time per invocation, ns.</param>
/// <param name="MeanNs">Mean time per invocation, ns.</param>
/// <param name="MinNs">Fastest iteration, ns per invocation.</param>
/// <param name="AllocatedBytes">Managed bytes allocated per invocation, when the memory diagnoser ran.</param>
/// <param name="Work">Bytes or FLOPs per invocation, when the class declares its work.</param>
/// <param name="IsBaseline">True when the method is its class's baseline.</param>
internal sealed record BenchmarkRecord(
    string Type,
    string Method,
    IReadOnlyDictionary<string, string> Parameters,
    string Job,
    string Tier,
    double MedianNs,
    double MeanNs,
    double MinNs,
    double? AllocatedBytes,
    WorkAmount? Work,
    bool IsBaseline)
{
    /// <summary>The parameter's value, or null.</summary>
    /// <param name="name">Parameter name.</param>
    /// <returns>The display text or null.</returns>
    public string? Parameter(string name) => Parameters.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The parameter's value as an integer, or <paramref name="fallback"/>.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="fallback">Value when absent or not an integer.</param>
    /// <returns>The integer.</returns>
    public long IntParameter(string name, long fallback) =>
        long.TryParse(Parameter(name), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v : fallback;

    /// <summary>GB/s or GFLOP/s at the median time, or null without a declared work.</summary>
    public double? Rate => Work is { } w && MedianNs > 0 ? w.RatePerNanosecond(MedianNs) : null;

    /// <summary>Threads the case runs on: its <c>Threads</c> parameter, else 1.</summary>
    public int Threads => (int)IntParameter("Threads", 1);
}
