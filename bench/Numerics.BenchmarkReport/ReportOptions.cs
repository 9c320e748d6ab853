// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.BenchmarkReport;

/// <summary>Command line of the report generator.</summary>
internal sealed class ReportOptions
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        Usage: dotnet run --project bench/Numerics.BenchmarkReport -- [options]
          --results DIR    BenchmarkDotNet results folder (default BenchmarkDotNet.Artifacts/results)
          --out DIR        where the page and plots go (default docs/benchmarks)
          --name STEM      page name (default results-<date>); plots go to <out>/plots/<STEM>/
          --date DATE      date on the page (default: today, UTC, yyyy-MM-dd)
          --commit SHA     commit measured (default: unknown)
          --command TEXT   command that produced the results
          --smoke          label the page as a smoke run (loaded machine, short job): not for publishing
          --format svg|png plot format (default png; SVG loses dashed lines)
        """;

    /// <summary>Results folder.</summary>
    public string Results { get; private set; } = Path.Combine("BenchmarkDotNet.Artifacts", "results");

    /// <summary>Output folder.</summary>
    public string Out { get; private set; } = Path.Combine("docs", "benchmarks");

    /// <summary>Date.</summary>
    public string Date { get; private set; } = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Page stem (explicit, or null for results-&lt;date&gt;).</summary>
    public string? Name { get; private set; }

    /// <summary>Commit.</summary>
    public string Commit { get; private set; } = "unknown";

    /// <summary>Command.</summary>
    public string Command { get; private set; } = "(not given)";

    /// <summary>Smoke-run label.</summary>
    public bool Smoke { get; private set; }

    /// <summary>Plot file extension: svg or png.</summary>
    public string Format { get; private set; } = "png";

    /// <summary>Page stem.</summary>
    public string Stem => Name ?? "results-" + Date;

    /// <summary>Parses the arguments.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">Unknown option or missing value.</exception>
    public static ReportOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new ReportOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--smoke")
            {
                o.Smoke = true;
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{a}: missing value or unknown option", nameof(args));
            }

            string v = args[++i];
            switch (a)
            {
                case "--results": o.Results = v; break;
                case "--out": o.Out = v; break;
                case "--name": o.Name = v; break;
                case "--date": o.Date = v; break;
                case "--commit": o.Commit = v; break;
                case "--command": o.Command = v; break;
                case "--format" when v is "svg" or "png": o.Format = v; break;
                default: throw new ArgumentException($"{a} {v}: unknown option or value", nameof(args));
            }
        }

        return o;
    }
}
