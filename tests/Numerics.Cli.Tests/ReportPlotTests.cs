// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.Tests;

/// <summary><c>numerics report --plot</c>: the pictures are written as real PNG/SVG files, bad extensions are rejected.</summary>
public sealed class ReportPlotTests
{
    private static int Run(out string stderr, params string[] args)
    {
        using var stdout = new StringWriter();
        using var error = new StringWriter();
        int code = NumericsApp.Run(args, stdout, error);
        stderr = error.ToString();
        return code;
    }

    [Fact]
    public void Plot_png_writes_error_bars_and_histogram()
    {
        string dir = Directory.CreateTempSubdirectory("numerics-plot-").FullName;
        try
        {
            string path = Path.Combine(dir, "report.png");
            int code = Run(out string err, "report", "--rows", "64", "--columns", "64", "--formats", "bf16 RNE,q4_0", "--plot", path);
            Assert.True(code == 0, err);
            byte[] pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
            foreach (string file in new[] { "report-default.weight.png", "report-default.activations.png", "report-histogram.png" })
            {
                byte[] bytes = File.ReadAllBytes(Path.Combine(dir, file));
                Assert.True(bytes.Length > 1000, $"{file} is only {bytes.Length} bytes");
                Assert.Equal(pngSignature, bytes[..8]);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Plot_svg_is_an_svg_document()
    {
        string dir = Directory.CreateTempSubdirectory("numerics-plot-").FullName;
        try
        {
            int code = Run(out string err, "report", "--rows", "32", "--columns", "32", "--formats", "bf16 RNE", "--plot", Path.Combine(dir, "r.svg"));
            Assert.True(code == 0, err);
            string text = File.ReadAllText(Path.Combine(dir, "r-default.weight.svg"));
            Assert.Contains("<svg", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Plot_with_unknown_extension_exits_2()
    {
        int code = Run(out string err, "report", "--rows", "8", "--columns", "8", "--plot", "out.txt");
        Assert.Equal(2, code);
        Assert.Contains("--plot", err, StringComparison.Ordinal);
    }
}
