// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.Tests;

/// <summary>Runs the tool in process and captures what it writes.</summary>
internal static class CliRun
{
    /// <summary><see cref="NumericsApp.Run"/> with captured standard output and error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = NumericsApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
