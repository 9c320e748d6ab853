// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json.Nodes;
using Numerics.Benchmarks.Reporting;

namespace Numerics.BenchmarkReport.Tests;

/// <summary>The reader of BenchmarkDotNet's full JSON export, on the checked-in sample and on hand-written strings.</summary>
public sealed class BdnJsonTests
{
    internal static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "Samples", "sample-report-full.json");

    [Fact]
    public void Sample_host_section_is_read()
    {
        BdnResultFile file = BdnJson.Load(SamplePath);
        Assert.Equal("0.15.8", file.Host.BenchmarkDotNetVersion);
        Assert.Equal("Linux Debian GNU/Linux 12 (bookworm)", file.Host.OsVersion);
        Assert.Equal(2, file.Host.LogicalCoreCount);
        Assert.StartsWith(".NET 10.0", file.Host.RuntimeVersion, StringComparison.Ordinal);
        Assert.Equal("10.0.401", file.Host.DotNetSdkVersion);
    }

    [Fact]
    public void Every_sample_benchmark_becomes_a_record_with_the_statistics_of_the_file()
    {
        // Independent path: the raw JSON through System.Text.Json.Nodes.
        JsonArray raw = JsonNode.Parse(File.ReadAllText(SamplePath))!["Benchmarks"]!.AsArray();
        IReadOnlyList<BenchmarkRecord> records = BdnJson.Load(SamplePath).Records;
        Assert.Equal(raw.Count, records.Count);
        for (int i = 0; i < raw.Count; i++)
        {
            JsonNode b = raw[i]!;
            BenchmarkRecord r = records[i];
            Assert.Equal((string)b["Type"]!, r.Type);
            Assert.Equal((string)b["Method"]!, r.Method);
            Assert.Equal((double)b["Statistics"]!["Median"]!, r.MedianNs);
            Assert.Equal((double)b["Statistics"]!["Min"]!, r.MinNs);
            JsonNode? work = b["Metrics"]!.AsArray().FirstOrDefault(m => (string)m!["Descriptor"]!["Id"]! is "WorkBytes" or "WorkFlops");
            Assert.NotNull(work);
            Assert.Equal((double)work["Value"]!, r.Work!.Value.PerOperation);
            Assert.Equal((string)work["Descriptor"]!["Id"]! == "WorkBytes", r.Work.Value.IsBytes);
            Assert.Equal((double)work["Value"]! / (double)b["Statistics"]!["Median"]!, r.Rate!.Value, 12);
        }
    }

    [Fact]
    public void Sample_has_every_section_of_the_page()
    {
        var types = BdnJson.Load(SamplePath).Records.Select(r => r.Type).ToHashSet();
        foreach (string t in new[] { "MachineLimitsBenchmarks", "MachineLimitsFmaBenchmarks", "SoftmaxBenchmarks", "GemmNaiveBenchmarks", "EmulationBenchmarks", "QuantizationBenchmarks", "FormatsConversionBenchmarks" })
        {
            Assert.Contains(t, types);
        }
    }

    [Fact]
    public void Sample_baselines_and_jobs_are_recognised()
    {
        IReadOnlyList<BenchmarkRecord> records = BdnJson.Load(SamplePath).Records;
        Assert.Contains(records, r => r.Method == "TensorPrimitivesSoftMax" && r.IsBaseline);
        Assert.Contains(records, r => r.Method == "CopyFloat" && r.IsBaseline);
        Assert.Contains(records, r => r.Method == "Compute" && !r.IsBaseline);
        Assert.All(records, r => Assert.Equal("Dry", r.Job));
        Assert.All(records, r => Assert.Equal("default", r.Tier));
    }

    [Theory]
    [InlineData("SoftmaxBenchmarks.TwoPass: v256(EnvironmentVariables=DOTNET_EnableAVX512=0, IterationCount=3) [Length=32768]", "v256", "v256")]
    [InlineData("SoftmaxBenchmarks.TwoPass: v128(EnvironmentVariables=DOTNET_EnableAVX2=0) [Length=32768]", "v128", "v128")]
    [InlineData("SoftmaxBenchmarks.TwoPass: scalar(EnvironmentVariables=DOTNET_EnableHWIntrinsic=0) [Length=1024]", "scalar", "scalar")]
    [InlineData("MachineLimitsBenchmarks.Copy: Dry(IterationCount=1, LaunchCount=1) [Length=32768]", "Dry", "default")]
    [InlineData("GemmBenchmarks.Multiply: DefaultJob [Shape=1024x1024x1024, Threads=1]", "DefaultJob", "default")]
    [InlineData("X.Y: ShortRun", "ShortRun", "default")]
    public void Job_and_tier_come_from_DisplayInfo(string displayInfo, string job, string tier)
    {
        Assert.Equal(job, BdnJson.JobOf(displayInfo));
        Assert.Equal(tier, BdnJson.TierOf(displayInfo));
    }

    [Fact]
    public void Parameters_text_is_split_on_ampersands()
    {
        IReadOnlyDictionary<string, string> p = BdnJson.ParseParameters("Shape=1x4096x4096&Implementation=OpenBLAS&Threads=2");
        Assert.Equal(3, p.Count);
        Assert.Equal("1x4096x4096", p["Shape"]);
        Assert.Equal("OpenBLAS", p["Implementation"]);
        Assert.Equal("2", p["Threads"]);
        Assert.Empty(BdnJson.ParseParameters(string.Empty));
    }

    [Fact]
    public void A_case_without_statistics_is_skipped()
    {
        const string Json = """
            {"Title":"t","HostEnvironmentInfo":{"BenchmarkDotNetVersion":"0.15.8","OsVersion":"os","ProcessorName":"cpu","PhysicalCoreCount":2,
             "LogicalCoreCount":2,"RuntimeVersion":"rt","DotNetCliVersion":"sdk","Architecture":"X64"},
             "Benchmarks":[
              {"DisplayInfo":"A.M: DefaultJob","Type":"A","Method":"M","Parameters":"","Statistics":null},
              {"DisplayInfo":"A.N: DefaultJob","Type":"A","Method":"N","Parameters":"Length=4","Statistics":{"Median":2,"Mean":3,"Min":1},
               "Memory":{"BytesAllocatedPerOperation":0},
               "Metrics":[{"Value":32,"Descriptor":{"Id":"WorkBytes"}},{"Value":1,"Descriptor":{"Id":"IsBaseline"}}]}]}
            """;
        BdnResultFile file = BdnJson.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Json)));
        BenchmarkRecord r = Assert.Single(file.Records);
        Assert.Equal("N", r.Method);
        Assert.Equal(16.0, r.Rate); // 32 B in 2 ns = 16 GB/s
        Assert.True(r.IsBaseline);
        Assert.Equal(0.0, r.AllocatedBytes);
        Assert.Equal(4, r.IntParameter("Length", 0));
    }
}
