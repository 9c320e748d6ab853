// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Benchmarks.Reporting;

namespace Numerics.BenchmarkReport;

/// <summary>Entry point: BenchmarkDotNet JSON exports in, <c>docs/benchmarks/results-&lt;date&gt;.md</c> and plots out.</summary>
internal static class Program
{
    /// <summary>Generates the page.</summary>
    /// <param name="args">See <see cref="ReportOptions.Usage"/>.</param>
    /// <returns>0 on success, 2 on bad usage or no results.</returns>
    public static int Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(ReportOptions.Usage);
            return 0;
        }

        ReportOptions options;
        ResultSet results;
        try
        {
            options = ReportOptions.Parse(args);
            results = new ResultSet(BdnJson.LoadDirectory(options.Results));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"benchmark report: {e.Message}");
            Console.Error.WriteLine(ReportOptions.Usage);
            return 2;
        }

        string page = ReportWriter.Write(results, options);
        Console.WriteLine($"wrote {page}");
        return 0;
    }
}
