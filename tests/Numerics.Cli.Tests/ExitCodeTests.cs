// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.Tests;

/// <summary>The tool's exit-code contract: 0 success, 2 bad arguments with one line on stderr, never a stack trace.</summary>
public sealed class ExitCodeTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    [Theory]
    [InlineData("--no-such-option")]
    [InlineData("frobnicate")]
    [InlineData("report", "--rows", "abc")]
    [InlineData("report", "--rows", "0")]
    [InlineData("report", "--formats", "no-such-format-xyz", "--rows", "8", "--columns", "8")]
    public void Bad_arguments_exit_2_with_one_line(params string[] args)
    {
        (int code, string output, string error) = Run(args);
        Assert.Equal(2, code);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("numerics: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Formats_lists_every_preset()
    {
        (int code, string output, _) = Run("formats");
        Assert.Equal(0, code);
        foreach (Numerics.Formats.FloatFormat f in Numerics.Formats.FloatFormat.Presets)
        {
            Assert.Contains(f.Name, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Help_exits_0()
    {
        (int code, string output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("report", output, StringComparison.Ordinal);
    }
}
