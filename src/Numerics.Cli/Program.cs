// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli;

/// <summary>The <c>numerics</c> command-line tool.</summary>
internal static class Program
{
    /// <summary>Runs the tool. Exit codes: 0 success, 1 unexpected failure, 2 bad arguments or malformed input.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args) => NumericsApp.Run(args, Console.Out, Console.Error);
}
