// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Running;

namespace Numerics.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/Numerics.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line (BenchmarkDotNet switcher).</summary>
    /// <param name="args">BenchmarkDotNet arguments, for example <c>--list flat</c> or <c>--filter *Softmax*</c>.</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
