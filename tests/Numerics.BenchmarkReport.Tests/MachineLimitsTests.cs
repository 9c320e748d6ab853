// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Benchmarks.Reporting;

namespace Numerics.BenchmarkReport.Tests;

/// <summary>Choice of the 100 % reference, on hand-made records (rates are work / median by construction).</summary>
public sealed class MachineLimitsTests
{
    internal static BenchmarkRecord Record(string type, string method, double medianNs, WorkAmount? work, string tier = "default", params (string Name, string Value)[] parameters) =>
        new(type, method, parameters.ToDictionary(p => p.Name, p => p.Value), tier == "default" ? "v512" : tier, tier, medianNs, medianNs, medianNs, 0, work, false);

    private static readonly BenchmarkRecord[] s_limits =
    [
        Record("MachineLimitsBenchmarks", "Copy", 1_000, new WorkAmount("B", 262_144), "default", ("Length", "32768")),          // 262.144 GB/s
        Record("MachineLimitsBenchmarks", "Copy", 100_000, new WorkAmount("B", 8_388_608), "default", ("Length", "1048576")),    // 83.88608 GB/s
        Record("MachineLimitsBenchmarks", "Copy", 4_000_000, new WorkAmount("B", 134_217_728), "default", ("Length", "16777216")), // 33.554432 GB/s
        Record("MachineLimitsBenchmarks", "Copy", 1, new WorkAmount("B", 134_217_728), "scalar", ("Length", "16777216")),         // another tier: ignored
        Record("MachineLimitsBenchmarks", "ReadSum", 1, new WorkAmount("B", 4), "default", ("Length", "16777216")),              // not the copy: ignored
        Record("MachineLimitsFmaBenchmarks", "PeakFma", 2_000_000, new WorkAmount("FLOP", 536_870_912), "default", ("Threads", "1")), // 268.435456
        Record("MachineLimitsFmaBenchmarks", "PeakFma", 2_000_000, new WorkAmount("FLOP", 1_073_741_824), "default", ("Threads", "2")), // 536.870912
    ];

    [Fact]
    public void Measured_limits_replace_the_anchors()
    {
        MachineLimits limits = MachineLimits.From(s_limits);
        Assert.Equal([262.144, 83.88608, 33.554432], limits.Copy.Select(l => l.Rate));
        Assert.All(limits.Copy, l => Assert.True(l.Measured));
        Assert.Equal([268.435456, 536.870912], limits.Fma.Select(l => l.Rate));
    }

    [Theory]
    [InlineData(8 * 1024.0, 262.144)]             // 8 KiB: nearest footprint 256 KiB
    [InlineData(6 * 32768.0, 262.144)]            // 192 KiB
    [InlineData(2 * 1024 * 1024.0, 83.88608)]     // 2 MiB: log2 distance 2 to 8 MiB, 3 to 256 KiB
    [InlineData(85 * 1024 * 1024.0, 33.554432)]   // 85 MiB: nearer 128 MiB than 8 MiB
    [InlineData(128 * 1024 * 1024.0, 33.554432)]
    public void Bytes_are_compared_with_the_copy_of_the_nearest_footprint(double bytes, double expectedLimit)
    {
        MachineLimit? limit = MachineLimits.From(s_limits).ReferenceFor(new WorkAmount("B", bytes), 1);
        Assert.NotNull(limit);
        Assert.Equal(expectedLimit, limit.Rate);
    }

    [Fact]
    public void Flops_are_compared_with_the_peak_for_the_thread_count()
    {
        MachineLimits limits = MachineLimits.From(s_limits);
        var gemm1 = Record("GemmBenchmarks", "Multiply", 10_000_000, new WorkAmount("FLOP", 2.0 * 1024 * 1024 * 1024), "default", ("Threads", "1"));
        var gemm2 = gemm1 with { Parameters = new Dictionary<string, string> { ["Threads"] = "2" } };
        Assert.Equal(100 * (2.0 * 1024 * 1024 * 1024 / 10_000_000) / 268.435456, limits.PercentOfLimit(gemm1)!.Value, 10);
        Assert.Equal(100 * (2.0 * 1024 * 1024 * 1024 / 10_000_000) / 536.870912, limits.PercentOfLimit(gemm2)!.Value, 10);
    }

    [Fact]
    public void Without_measurements_the_anchors_are_used_and_say_so()
    {
        MachineLimits limits = MachineLimits.From([Record("SoftmaxBenchmarks", "TwoPass", 10, new WorkAmount("B", 80))]);
        Assert.Equal([261.6, 46.4], limits.Copy.Select(l => l.Rate));
        Assert.Equal([275.0, 567.0], limits.Fma.Select(l => l.Rate));
        Assert.All(limits.Copy.Concat(limits.Fma), l => Assert.False(l.Measured));
        Assert.Contains("anchor", limits.ReferenceFor(new WorkAmount("B", 80), 1)!.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_work_means_no_percentage()
    {
        Assert.Null(MachineLimits.From(s_limits).PercentOfLimit(Record("X", "Y", 10, null)));
    }

    [Theory]
    [InlineData(262_144.0, "256 KiB")]
    [InlineData(134_217_728.0, "128 MiB")]
    [InlineData(1536.0, "1.5 KiB")]
    [InlineData(100.0, "100 B")]
    public void Bytes_are_printed_in_binary_units(double bytes, string expected) => Assert.Equal(expected, MachineLimits.FormatBytes(bytes));
}
