// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Globalization;
using Numerics.Cli.IO;
using Numerics.Cli.Report;
using Numerics.Emulation;
using Numerics.Formats;
using Numerics.Quantization;

namespace Numerics.Cli.Commands;

/// <summary><c>numerics chop</c>: round every float tensor of a file to a format (Pychop-style emulation) and write the result.</summary>
internal static class ChopCommand
{
    public static Command Create(TextWriter stdout)
    {
        var format = new Option<string>("--format") { Description = "Target format: a preset (float8_e4m3fn, bf16, fp16, e5m2, e2m1, ...) or p=P,emin=E,emax=E[,ftz][,noinf].", Required = true };
        var rounding = new Option<string>("--rounding") { Description = "Rounding mode: rne, rna, rnz, rz, ru, rd, ro, sr (stochastic), sru (stochastic uniform).", DefaultValueFactory = _ => "rne" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the stochastic modes (same seed, same bits on every machine)." };
        var saturate = new Option<bool>("--saturate") { Description = "Saturate finite overflow to the largest finite value instead of inf/NaN." };
        var input = new Option<string>("--input") { Description = "Input .npy or .safetensors file.", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--output") { Description = "Output file (.npy for a single tensor, or .safetensors); values stored as float32.", Required = true, HelpName = "FILE" };
        var command = new Command("chop", "Round (chop) every float tensor of a file to a low-precision format with a chosen rounding mode, store the results in float32, and print the error per tensor.")
        {
            format, rounding, seed, saturate, input, output,
        };
        command.SetAction(parse =>
        {
            FloatFormat f = CliParsing.Format(parse.GetValue(format)!);
            RoundingMode mode = CliParsing.Rounding(parse.GetValue(rounding)!);
            string outPath = parse.GetValue(output)!;
            CliParsing.RequireExtension(outPath, "--output", ".npy", ".safetensors");
            var chopper = new Chopper(f, mode, new ChopOptions
            {
                Seed = parse.GetValue(seed),
                Overflow = parse.GetValue(saturate) ? OverflowMode.Saturating : OverflowMode.NonSaturating,
            });

            CliParsing.RequireDistinct(parse.GetValue(input)!, outPath);
            using TensorSource source = TensorSource.Open(parse.GetValue(input)!, tensorName: null);
            if (outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) && source.Count != 1)
            {
                throw new UsageException($"--output '{outPath}': the input has {source.Count} tensors; write them to a .safetensors file.");
            }

            var table = new TextTable(["tensor", "elements", .. ErrorColumns.Headers]);
            var written = new List<KeyValuePair<string, TensorData>>();
            foreach (NamedTensor tensor in source)
            {
                float[] chopped = new float[tensor.Data.Length];
                chopper.Chop(tensor.Data, chopped);
                ErrorReport e = ErrorMetrics.Compare(tensor.Data, chopped);
                table.Add([tensor.Name, tensor.Data.Length.ToString(CultureInfo.InvariantCulture), .. ErrorColumns.Cells(e)]);
                written.Add(new(tensor.Name, TensorData.FromSingle(chopped, tensor.Shape.Select(d => (long)d).ToArray())));
            }

            if (outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                NpyFile.Write(outPath, written[0].Value);
            }
            else
            {
                SafetensorsFile.Write(outPath, written, new Dictionary<string, string>
                {
                    ["numerics.chop.format"] = f.Name,
                    ["numerics.chop.rounding"] = mode.ToString(),
                });
            }

            stdout.WriteLine($"chopped to {f.Name}, {mode}: {outPath}");
            table.Write(stdout);
            return NumericsApp.Success;
        });
        return command;
    }
}
