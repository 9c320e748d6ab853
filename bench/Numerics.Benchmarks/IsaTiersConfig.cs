// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Numerics.Benchmarks;

/// <summary>One job per instruction-set tier: scalar, 128-bit, 256-bit and 512-bit vectors (the switches that work on .NET 10).</summary>
public sealed class IsaTiersConfig : ManualConfig
{
    /// <summary>Initializes the four tier jobs.</summary>
    public IsaTiersConfig()
    {
        AddJob(Job.Default.WithId("scalar").WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0"));
        AddJob(Job.Default.WithId("v128").WithEnvironmentVariable("DOTNET_EnableAVX2", "0"));
        AddJob(Job.Default.WithId("v256").WithEnvironmentVariable("DOTNET_EnableAVX512", "0"));
        AddJob(Job.Default.WithId("v512").AsBaseline());
    }
}
