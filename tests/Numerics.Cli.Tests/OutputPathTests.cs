// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Cli.IO;

namespace Numerics.Cli.Tests;

/// <summary>
/// Input and output paths that cannot be used (a directory, the input itself): exit code 2 and one line on stderr (the tool's
/// contract in <see cref="Program.Main"/>), never exit code 1 "unexpected failure", and the input file left untouched.
/// </summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("numerics-paths-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private string Input(string name)
    {
        float[] values = [.. Enumerable.Range(0, 64).Select(i => i * 0.37f)];
        string path = Path.Combine(_dir, name);
        if (name.EndsWith(".npy", StringComparison.Ordinal))
        {
            NpyFile.Write(path, TensorData.FromSingle(values, [2, 32]));
        }
        else
        {
            SafetensorsFile.Write(path, [new("w", TensorData.FromSingle(values, [2, 32]))]);
        }

        return path;
    }

    private static void AssertBadInput((int Code, string Out, string Err) result, string mention)
    {
        Assert.Equal(2, result.Code);
        string[] lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("numerics: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected failure", lines[0], StringComparison.Ordinal);
        Assert.Contains(mention, lines[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Theory]
    [InlineData("chop", "--format", "bf16", ".npy")]
    [InlineData("chop", "--format", "bf16", ".safetensors")]
    [InlineData("quantize", "--format", "int4", ".safetensors")]
    [InlineData("quantize", "--format", "q8_0", ".bin")]
    public void An_output_path_that_is_a_directory_exits_2(string command, string option, string value, string extension)
    {
        string input = Input("in.safetensors");
        string output = Path.Combine(_dir, "dir" + extension);
        Directory.CreateDirectory(output);
        AssertBadInput(Run(command, option, value, "--input", input, "--output", output), "dir" + extension);
    }

    [Fact]
    public void A_plot_path_that_is_a_directory_exits_2()
    {
        string input = Input("in.npy");
        string plot = Path.Combine(_dir, "plot.png");
        Directory.CreateDirectory(plot);
        AssertBadInput(Run("report", "--input", input, "--formats", "bf16 RNE", "--plot", plot), "plot.png");
    }

    [Theory]
    [InlineData("chop", "bf16", "in.npy")]
    [InlineData("chop", "bf16", "in.safetensors")]
    [InlineData("quantize", "int4", "in.safetensors")]
    public void The_input_as_output_exits_2_and_leaves_the_input_intact(string command, string format, string name)
    {
        string input = Input(name);
        byte[] before = File.ReadAllBytes(input);

        // The same file under another spelling of its path, too.
        string sameFile = Path.Combine(_dir, ".", name);
        AssertBadInput(Run(command, "--format", format, "--input", input, "--output", sameFile), "input");
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void An_input_that_is_a_directory_says_so()
    {
        string input = Path.Combine(_dir, "d.npy");
        Directory.CreateDirectory(input);
        AssertBadInput(Run("chop", "--format", "bf16", "--input", input, "--output", Path.Combine(_dir, "o.npy")), "directory");
    }
}
