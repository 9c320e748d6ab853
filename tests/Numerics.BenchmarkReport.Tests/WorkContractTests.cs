// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Running;
using Numerics.Benchmarks;

namespace Numerics.BenchmarkReport.Tests;

/// <summary>The [Work] contract evaluated on the real benchmark classes (expected amounts are the formats' byte counts by hand).</summary>
public sealed class WorkContractTests
{
    private static (string Unit, double PerOperation)? WorkOf(Type type, string method, string? parameters = null)
    {
        BenchmarkRunInfo info = BenchmarkConverter.TypeToBenchmarks(type);
        BenchmarkCase c = info.BenchmarksCases.First(b =>
            b.Descriptor.WorkloadMethod.Name == method && (parameters is null || b.Parameters.DisplayInfo.Contains(parameters, StringComparison.Ordinal)));
        return Work.Of(c);
    }

    [Fact]
    public void Class_attribute_with_the_Length_parameter()
    {
        Assert.Equal(("B", 8.0 * 1024), WorkOf(typeof(SoftmaxBenchmarks), "Compute", "Length=1024"));
        Assert.Equal(("B", 8.0 * 16 * 1024 * 1024), WorkOf(typeof(SoftmaxBenchmarks), "TwoPass", "Length=16777216"));
        Assert.Equal(("B", 6.0 * 32 * 1024), WorkOf(typeof(FormatsConversionBenchmarks), "EncodeBinary16", "Length=32768"));
    }

    [Fact]
    public void Method_attribute_overrides_bytes_and_keeps_the_class_count()
    {
        const double N = 16 * 1024 * 1024;
        Assert.Equal(("B", 5.0 * 32 * 1024), WorkOf(typeof(FormatsConversionBenchmarks), "EncodeE4M3FN", "Length=32768"));
        Assert.Equal(("B", 8 * N), WorkOf(typeof(EmulationBenchmarks), "CopyFloat"));
        Assert.Equal(("B", 16 * N), WorkOf(typeof(EmulationBenchmarks), "ChopDoubleToBFloat16"));

        // Q8_0: 4 B float + 34 B per 32-value block; Q4_0: 18 B per block; INT4 group 128: 0.5 B + a 4 B scale per 128.
        Assert.Equal(("B", (4 + (34.0 / 32)) * N), WorkOf(typeof(QuantizationBenchmarks), "QuantizeQ8_0"));
        Assert.Equal(("B", (4 + (18.0 / 32)) * N), WorkOf(typeof(QuantizationBenchmarks), "DequantizeQ4_0"));
        Assert.Equal(("B", (4 + 0.5 + (4.0 / 128)) * N), WorkOf(typeof(QuantizationBenchmarks), "QuantizeInt4PerGroup"));
    }

    [Fact]
    public void Gemm_counts_two_flops_per_multiply_add_from_the_shape()
    {
        Assert.Equal(("FLOP", 2.0 * 1024 * 1024 * 1024), WorkOf(typeof(GemmBenchmarks), "Multiply", "Shape=1024x1024x1024"));
        Assert.Equal(("FLOP", 2.0 * 16 * 4096 * 4096), WorkOf(typeof(GemmNaiveBenchmarks), "Multiply", "Shape=16x4096x4096"));
    }

    [Fact]
    public void Machine_limits_declare_their_work()
    {
        Assert.Equal(("B", 8.0 * 1024 * 1024), WorkOf(typeof(MachineLimitsBenchmarks), "Copy", "Length=1048576"));
        Assert.Equal(("B", 4.0 * 1024 * 1024), WorkOf(typeof(MachineLimitsBenchmarks), "ReadSum", "Length=1048576"));

        // 16 accumulators x 16 lanes x 2 FLOP x 2^20 iterations per thread.
        Assert.Equal(("FLOP", 2.0 * 16 * 16 * 2 * (1 << 20)), WorkOf(typeof(MachineLimitsFmaBenchmarks), "PeakFma", "Threads=2"));
    }

    [Fact]
    public void Every_publishable_benchmark_declares_its_work()
    {
        Type[] types =
        [
            typeof(MachineLimitsBenchmarks), typeof(MachineLimitsFmaBenchmarks), typeof(SoftmaxBenchmarks), typeof(GemmBenchmarks),
            typeof(GemmNaiveBenchmarks), typeof(EmulationBenchmarks), typeof(QuantizationBenchmarks), typeof(FormatsConversionBenchmarks),
            typeof(GemmInt8Benchmarks), typeof(IntegerQuantizationBenchmarks), typeof(EmulationExtrasBenchmarks),
        ];
        foreach (Type type in types)
        {
            foreach (BenchmarkCase c in BenchmarkConverter.TypeToBenchmarks(type).BenchmarksCases)
            {
                Assert.True(Work.Of(c) is { PerOperation: > 0 }, $"{c.DisplayInfo} has no [Work]");
            }
        }
    }
}
