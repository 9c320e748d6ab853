// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Numerics.Cli.Report;

namespace Numerics.Cli.Commands;

/// <summary><c>numerics report</c>: the accuracy and throughput table of every scheme on a tensor.</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var formats = new Option<string?>("--formats") { Description = "Comma-separated filters on scheme names (default: every scheme)." };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON instead of tables." };
        var rows = new Option<int>("--rows") { Description = "Rows of the built-in weight matrix.", DefaultValueFactory = _ => 4096 };
        var columns = new Option<int>("--columns") { Description = "Columns of the built-in weight and activation matrices.", DefaultValueFactory = _ => 4096 };
        var input = new Option<string?>("--input") { Description = "Report on the float tensors of this .npy or .safetensors file instead of the built-in ones (an .npy 'u2' array is read as bfloat16).", HelpName = "FILE" };
        var plot = new Option<string?>("--plot") { Description = "Also draw the SQNR of every scheme (bar chart, one file per tensor) and the value histogram before/after the narrowest scheme into FILE.png or FILE.svg.", HelpName = "FILE" };
        var tensor = new Option<string?>("--tensor") { Description = "With a .safetensors --input: only the tensor of this name (default: every non-empty float tensor).", HelpName = "NAME" };
        var command = new Command(
            "report",
            "Run every format, rounding mode and quantizer on a seeded LLM-like tensor (a 4096x4096 Gaussian weight matrix with outlier channels, plus activations) and print bits per element, RMSE, SQNR, max abs error, cosine similarity and throughput.")
        {
            formats, json, rows, columns, input, tensor, plot,
        };
        command.SetAction(parse =>
        {
            int r = parse.GetValue(rows), c = parse.GetValue(columns);
            if (r < 1 || c < 1 || (long)r * c > 1L << 28)
            {
                throw new UsageException($"--rows and --columns must be positive with at most 2^28 elements (got {r}x{c}).");
            }

            string? file = parse.GetValue(input), name = parse.GetValue(tensor), plotPath = parse.GetValue(plot);
            if (plotPath is not null && !(plotPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || plotPath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)))
            {
                throw new UsageException($"--plot '{plotPath}': the file must end in .png or .svg.");
            }

            if (name is not null && file is null)
            {
                throw new UsageException("--tensor needs --input FILE.");
            }

            IReadOnlyList<ReportScheme> schemes = ReportSchemes.Select(parse.GetValue(formats));
            using TensorSource? source = file is null ? null : TensorSource.Open(file, name);
            IReadOnlyList<NamedTensor> tensors = source ?? (IReadOnlyList<NamedTensor>)DefaultTensors.Create(r, c, Math.Max(1, r / 64)).ToList();
            var progress = new ConsoleProgress(stderr);
            List<ReportRow> results = ReportRunner.Run(tensors, schemes, progress);
            progress.Clear();
            if (plotPath is not null)
            {
                WritePlots(plotPath, tensors, schemes, results);
            }

            if (parse.GetValue(json))
            {
                WriteJson(stdout, results);
            }
            else
            {
                WriteTables(stdout, results);
            }

            return NumericsApp.Success;
        });
        return command;
    }

    private static void WritePlots(string path, IReadOnlyList<NamedTensor> tensors, IReadOnlyList<ReportScheme> schemes, List<ReportRow> results)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string stem = Path.GetFileNameWithoutExtension(path), extension = Path.GetExtension(path);
        var groups = results.GroupBy(r => r.Tensor).ToList();
        foreach (IGrouping<string, ReportRow> group in groups)
        {
            string file = groups.Count == 1 ? path : Path.Combine(directory, $"{stem}-{Sanitize(group.Key)}{extension}");
            ReportPlot.SaveErrorBars(file, group.Key, group.ToList());
        }

        // The histogram of the first tensor before and after the narrowest scheme shows where the grid lies.
        NamedTensor first = tensors[0];
        ReportScheme narrowest = schemes.OrderBy(s => s.BitsPerElement).First();
        int n = first.Data.Length / narrowest.BlockSize * narrowest.BlockSize;
        float[] after = new float[n];
        narrowest.Apply(first.Data.AsSpan(0, n), after);
        ReportPlot.SaveHistogram(
            Path.Combine(directory, $"{stem}-histogram{extension}"), $"{first.Name}: values before and after {narrowest.Name}", first.Data.AsSpan(0, n), after);
    }

    private static string Sanitize(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    public static void WriteTables(TextWriter stdout, List<ReportRow> results)
    {
        foreach (IGrouping<string, ReportRow> group in results.GroupBy(r => r.Tensor))
        {
            stdout.WriteLine($"{group.Key} ({group.First().Elements:N0} elements)".Replace(",", "_", StringComparison.Ordinal));
            var table = new TextTable(["scheme", "kind", "bits/elem", .. ErrorColumns.Headers, "GB/s"]);
            foreach (ReportRow row in group)
            {
                table.Add([row.Scheme, row.Family, F(row.BitsPerElement, "0.###"), .. ErrorColumns.Cells(row.Error), F(row.GigabytesPerSecond, "0.00")]);
            }

            table.Write(stdout);
            stdout.WriteLine();
        }
    }

    private static void WriteJson(TextWriter stdout, List<ReportRow> results)
    {
        var items = results.Select(r => new Dictionary<string, object>
        {
            ["tensor"] = r.Tensor,
            ["scheme"] = r.Scheme,
            ["kind"] = r.Family,
            ["elements"] = r.Elements,
            ["bitsPerElement"] = r.BitsPerElement,
            ["mse"] = Number(r.Error.MeanSquaredError),
            ["rmse"] = Number(r.Error.RootMeanSquaredError),
            ["sqnrDb"] = Number(r.Error.SqnrDb),
            ["maxAbsError"] = Number(r.Error.MaxAbsoluteError),
            ["maxRelError"] = Number(r.Error.MaxRelativeError),
            ["cosine"] = Number(r.Error.CosineSimilarity),
            ["gbPerSecond"] = Number(r.GigabytesPerSecond),
        });
        stdout.WriteLine(JsonSerializer.Serialize(items, s_jsonOptions));
    }

    /// <summary>JSON has no NaN or infinity (a file's tensor may hold them): those are written as the strings "NaN", "Infinity", "-Infinity".</summary>
    private static object Number(double value) => double.IsFinite(value) ? value : value.ToString(CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions s_jsonOptions = new() { WriteIndented = true };
}
