// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Numerics.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Numerics.Benchmarks -- --filter '*Softmax*' --job short</c>.
/// Every run uses <see cref="NumericsConfig"/> (memory diagnoser, full JSON + CSV exports, GB/s / GFLOP/s and % of limit
/// columns). One option is added to BenchmarkDotNet's: <c>--isa-tiers</c> runs each selected benchmark on the scalar, 128-,
/// 256- and 512-bit tiers (jobs <c>scalar</c>, <c>v128</c>, <c>v256</c>, <c>v512</c>); <c>--isa-tiers=GLOB</c> (repeatable)
/// runs every selected benchmark on <c>v512</c> and only those whose full name (with parameters, as in
/// <c>*SoftmaxBenchmarks*(Length: 32768)</c>) matches a GLOB also on the lower tiers. Combined with <c>--job short|medium|dry|...</c>
/// the tiers take that job's settings, and BenchmarkDotNet's own options (<c>--iterationCount</c>, <c>--warmupCount</c>, ...)
/// apply to every tier.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Job> s_jobs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["default"] = Job.Default,
        ["dry"] = Job.Dry,
        ["short"] = Job.ShortRun,
        ["medium"] = Job.MediumRun,
        ["long"] = Job.LongRun,
        ["verylong"] = Job.VeryLongRun,
    };

    /// <summary>Runs the benchmarks selected on the command line (BenchmarkDotNet switcher).</summary>
    /// <param name="args">BenchmarkDotNet arguments (for example <c>--list flat</c> or <c>--filter *Softmax*</c>) and <c>--isa-tiers</c>.</param>
    /// <returns>0 on success, 2 on a bad <c>--job</c> with <c>--isa-tiers</c>.</returns>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        List<string> rest = [.. args];
        Job? tiersBase = null;
        List<string> tierGlobs = [];
        int tierOptions = rest.RemoveAll(a =>
        {
            if (a.Equals("--isa-tiers", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (a.StartsWith("--isa-tiers=", StringComparison.OrdinalIgnoreCase))
            {
                tierGlobs.Add(a["--isa-tiers=".Length..]);
                return true;
            }

            return false;
        });
        if (tierOptions > 0)
        {
            tiersBase = Job.Default;
            int j = rest.FindIndex(a => a is "--job" or "-j");
            if (j >= 0 && j + 1 < rest.Count)
            {
                // BenchmarkDotNet would add the named job beside the tier jobs; take it as the tiers' base instead.
                if (!s_jobs.TryGetValue(rest[j + 1], out tiersBase))
                {
                    Console.Error.WriteLine($"--job {rest[j + 1]}: expected one of {string.Join(", ", s_jobs.Keys)}");
                    return 2;
                }

                rest.RemoveRange(j, 2);
            }
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], NumericsConfig.Create(tiersBase, tierGlobs));
        return 0;
    }
}
