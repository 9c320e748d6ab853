// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Numerics.Benchmarks;

/// <summary>
/// One job per instruction-set tier: scalar (<c>DOTNET_EnableHWIntrinsic=0</c>), 128-bit (<c>DOTNET_EnableAVX2=0</c>),
/// 256-bit (<c>DOTNET_EnableAVX512=0</c>) and 512-bit (no switch; the machine's widest). These are the switches that work on
/// .NET 10 (KERNELS.md §6). Select on the command line with <c>--isa-tiers</c> (see <see cref="Program"/>), or put
/// <c>[Config(typeof(IsaTiersConfig))]</c> on a class to always run it on every tier. Tiers need out-of-process jobs
/// (the environment variables take effect at process start), so <c>--inProcess</c> cannot be combined with them.
/// </summary>
public sealed class IsaTiersConfig : ManualConfig
{
    /// <summary>Initializes the four tier jobs from the default job.</summary>
    public IsaTiersConfig() => AddJob([.. Jobs(Job.Default)]);

    /// <summary>The four tier jobs derived from <paramref name="baseJob"/> (its run settings, e.g. ShortRun's counts).</summary>
    /// <param name="baseJob">The job to copy.</param>
    /// <returns>scalar, v128, v256, v512.</returns>
    public static IEnumerable<Job> Jobs(Job baseJob)
    {
        ArgumentNullException.ThrowIfNull(baseJob);
        yield return baseJob.WithId("scalar").WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0");
        yield return baseJob.WithId("v128").WithEnvironmentVariable("DOTNET_EnableAVX2", "0");
        yield return baseJob.WithId("v256").WithEnvironmentVariable("DOTNET_EnableAVX512", "0");
        yield return baseJob.WithId("v512");
    }

    /// <summary>True for the scalar, v128 and v256 jobs (the ones that switch vector widths off).</summary>
    /// <param name="job">A job.</param>
    /// <returns>Whether the job sets one of the tier switches.</returns>
    public static bool IsLowerTier(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Environment.EnvironmentVariables?.Any(v => v.Key is "DOTNET_EnableHWIntrinsic" or "DOTNET_EnableAVX2" or "DOTNET_EnableAVX512") == true;
    }
}
