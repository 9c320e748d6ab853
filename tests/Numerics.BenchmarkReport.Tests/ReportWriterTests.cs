// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Benchmarks.Reporting;

namespace Numerics.BenchmarkReport.Tests;

/// <summary>The page and the plots generated from the checked-in sample.</summary>
public sealed class ReportWriterTests
{
    private static ResultSet Sample() => new([BdnJson.Load(BdnJsonTests.SamplePath)]);

    private static ReportOptions Options(params string[] extra) =>
        ReportOptions.Parse(["--date", "2026-11-26", "--commit", "abc1234", "--command", "eng/run-benchmarks.sh --short", .. extra]);

    [Fact]
    public void Page_header_names_machine_os_dotnet_commit_command_and_date()
    {
        string page = ReportWriter.RenderPage(Sample(), Options(), new Dictionary<string, List<string>>());
        Assert.Contains("# Benchmark results, 2026-11-26", page, StringComparison.Ordinal);
        Assert.Contains("- Machine: AMD EPYC", page, StringComparison.Ordinal);
        Assert.Contains("- OS: Linux Debian GNU/Linux 12 (bookworm)", page, StringComparison.Ordinal);
        Assert.Contains("runtime .NET 10.0", page, StringComparison.Ordinal);
        Assert.Contains("SDK 10.0.401", page, StringComparison.Ordinal);
        Assert.Contains("- Commit: `abc1234`", page, StringComparison.Ordinal);
        Assert.Contains("- Command: `eng/run-benchmarks.sh --short`", page, StringComparison.Ordinal);
        Assert.DoesNotContain("SMOKE", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Smoke_pages_say_so_in_the_title()
    {
        string page = ReportWriter.RenderPage(Sample(), Options("--smoke"), new Dictionary<string, List<string>>());
        Assert.Contains("SMOKE RUN, not for quoting", page.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_known_section_has_a_table_with_one_row_per_record()
    {
        ResultSet results = Sample();
        string page = ReportWriter.RenderPage(results, Options(), new Dictionary<string, List<string>>());
        foreach ((string title, string[] types, _) in ReportWriter.Sections)
        {
            Assert.Contains("## " + title, page, StringComparison.Ordinal);
        }

        // One table row per record: rows start with "| " and the method name (bold for baselines).
        int rows = page.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Method", StringComparison.Ordinal));
        Assert.Equal(results.Records.Count, rows);
    }

    [Fact]
    public void Softmax_row_shows_throughput_percent_and_speed_computed_from_the_sample()
    {
        ResultSet results = Sample();
        BenchmarkRecord compute = results.Records.First(r => r.Type == "SoftmaxBenchmarks" && r.Method == "Compute" && r.Tier == "default" && r.Parameter("Length") == "32768");
        BenchmarkRecord tp = results.Records.First(r => r.Type == "SoftmaxBenchmarks" && r.Method == "TensorPrimitivesSoftMax" && r.Tier == "default" && r.Parameter("Length") == "32768");
        BenchmarkRecord copy = results.Records.First(r => r.Type == "MachineLimitsBenchmarks" && r.Method == "Copy" && r.Parameter("Length") == "32768");

        // Independent arithmetic: 8 B x 32768 per call; the copy of 32768 floats moves the same 256 KiB.
        double gbps = 8.0 * 32768 / compute.MedianNs;
        double copyGbps = 8.0 * 32768 / copy.MedianNs;
        string expected = string.Create(
            CultureInfo.InvariantCulture,
            $"| Compute | 32768 | {ReportWriter.FormatTime(compute.MedianNs)} | {ReportWriter.FormatTime(compute.MinNs)} | {gbps:0.00} GB/s | {100 * gbps / copyGbps:0.0} | {copyGbps:0.0} (copy 256 KiB, measured) | {tp.MedianNs / compute.MedianNs:0.00}x |");
        string page = ReportWriter.RenderPage(results, Options(), new Dictionary<string, List<string>>());
        Assert.Contains(expected, page, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_creates_the_page_and_png_plots()
    {
        string dir = Path.Combine(Path.GetTempPath(), "numerics-report-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string page = ReportWriter.Write(Sample(), Options("--out", dir, "--name", "t"));
            Assert.Equal(Path.Combine(dir, "t.md"), page);
            string text = File.ReadAllText(page);
            foreach (string plot in new[] { "softmax", "gemm", "chop", "quantize", "conversion" })
            {
                string file = Path.Combine(dir, "plots", "t", plot + ".png");
                Assert.True(File.Exists(file), file);
                byte[] head = File.ReadAllBytes(file)[..8];
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head);
                Assert.Contains($"](plots/t/{plot}.png)", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void No_exports_or_no_measured_case_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => new ResultSet([]));
        var empty = new BdnResultFile("t", new HostInfo("0", "os", "cpu", 1, 1, "rt", "sdk", "X64"), []);
        Assert.Throws<ArgumentException>(() => new ResultSet([empty]));
    }

    [Fact]
    public void Unknown_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ReportOptions.Parse(["--nope", "x"]));
        Assert.Throws<ArgumentException>(() => ReportOptions.Parse(["--format", "gif"]));
        Assert.Throws<ArgumentException>(() => ReportOptions.Parse(["--date"]));
        Assert.Equal("results-2026-01-02", ReportOptions.Parse(["--date", "2026-01-02"]).Stem);
    }

    [Theory]
    [InlineData(468.4, "468 ns")]
    [InlineData(7_684.8, "7.68 us")]
    [InlineData(14_705_707.9, "14.7 ms")]
    [InlineData(2_050_980_000.0, "2.05 s")]
    public void Times_have_three_significant_digits(double ns, string expected) => Assert.Equal(expected, ReportWriter.FormatTime(ns));

    [Theory]
    [InlineData(1024, "1K")]
    [InlineData(32768, "32K")]
    [InlineData(32771, "32771")]
    [InlineData(16777216, "16M")]
    public void Counts_use_K_and_M_when_exact(long n, string expected) => Assert.Equal(expected, ReportWriter.FormatCount(n));
}
