// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Numerics.Cli.IO;
using Numerics.Cli.Report;
using Numerics.Quantization;

namespace Numerics.Cli.Commands;

/// <summary><c>numerics quantize</c>: quantize every float tensor of a file, write the quantized data and print the error table.</summary>
internal static class QuantizeCommand
{
    private static readonly string[] s_ggml = ["q4_0", "q4_1", "q5_0", "q8_0", "q4_k", "iq4_nl", "mxfp4", "nvfp4"];
    private static readonly string[] s_mx = ["mx-e4m3", "mx-e5m2", "mx-e3m2", "mx-e2m3", "mx-e2m1", "mx-int8"];
    private static readonly string[] s_int = ["int8", "int4", "int3", "int2"];
    private static readonly string[] s_scaled = ["fp8-e4m3", "fp8-e5m2", "fp4-e2m1"];

    public static Command Create(TextWriter stdout)
    {
        var format = new Option<string>("--format")
        {
            Description = $"Quantizer: llama.cpp blocks ({string.Join(", ", s_ggml)}), OCP MX ({string.Join(", ", s_mx)}) integer ({string.Join(", ", s_int)}; symmetric, per group along rows) or scaled float ({string.Join(", ", s_scaled)}; float32 scale per group along rows).",
            Required = true,
        };
        var groupSize = new Option<int>("--group-size") { Description = "Group size of the integer and scaled-float quantizers (default 128; 0 = one scale per row).", DefaultValueFactory = _ => 128 };
        var input = new Option<string>("--input") { Description = "Input .npy or .safetensors file.", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--output")
        {
            Description = "Output: .safetensors (codes plus scales as companion tensors, ggml blocks as U8 tensors) or, for a ggml type and a single tensor, .bin with the raw GGUF-compatible block bytes.",
            Required = true,
            HelpName = "FILE",
        };
        var command = new Command("quantize", "Quantize every float tensor of a file, write the quantized tensors and print bits per element, RMSE, SQNR, max abs error and cosine similarity.")
        {
            format, groupSize, input, output,
        };
        command.SetAction(parse =>
        {
            string scheme = parse.GetValue(format)!.ToLowerInvariant();
            if (!s_ggml.Contains(scheme) && !s_mx.Contains(scheme) && !s_int.Contains(scheme) && !s_scaled.Contains(scheme))
            {
                throw new UsageException($"--format '{scheme}' is not a quantizer; use one of {string.Join(", ", s_ggml.Concat(s_mx).Concat(s_int).Concat(s_scaled))}.");
            }

            int group = parse.GetValue(groupSize);
            if (group < 0)
            {
                throw new UsageException($"--group-size must be 0 or positive (got {group}).");
            }

            string outPath = parse.GetValue(output)!;
            CliParsing.RequireExtension(outPath, "--output", ".safetensors", ".bin");
            if (outPath.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) && !s_ggml.Contains(scheme))
            {
                throw new UsageException($"--output '{outPath}': .bin (raw ggml blocks) is only for the ggml types; use .safetensors.");
            }

            CliParsing.RequireDistinct(parse.GetValue(input)!, outPath);
            using TensorSource source = TensorSource.Open(parse.GetValue(input)!, tensorName: null);
            if (outPath.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) && source.Count != 1)
            {
                throw new UsageException($"--output '{outPath}': the input has {source.Count} tensors; .bin holds one.");
            }

            var table = new TextTable(["tensor", "elements", "bits/elem", .. ErrorColumns.Headers]);
            var written = new List<KeyValuePair<string, TensorData>>();
            var metadata = new Dictionary<string, string> { ["numerics.quantize.format"] = scheme };
            foreach (NamedTensor tensor in source)
            {
                float[] restored = new float[tensor.Data.Length];
                long[] shape = tensor.Shape.Select(d => (long)d).ToArray();
                long bits = Quantize(scheme, group, tensor, restored, written, metadata);
                ErrorReport e = ErrorMetrics.Compare(tensor.Data, restored);
                table.Add(
                [
                    tensor.Name,
                    tensor.Data.Length.ToString(CultureInfo.InvariantCulture),
                    ((double)bits / tensor.Data.Length).ToString("0.###", CultureInfo.InvariantCulture),
                    .. ErrorColumns.Cells(e),
                ]);
                metadata[$"{tensor.Name}.shape"] = string.Join(",", shape);
            }

            if (outPath.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
            {
                File.WriteAllBytes(outPath, written[0].Value.Data.ToArray());
            }
            else
            {
                SafetensorsFile.Write(outPath, written, metadata);
            }

            stdout.WriteLine($"quantized with {scheme}: {outPath}");
            table.Write(stdout);
            return NumericsApp.Success;
        });
        return command;
    }

    /// <summary>Quantizes one tensor, adds its stored tensors to <paramref name="written"/>, writes the round trip; returns the storage bits.</summary>
    private static long Quantize(string scheme, int group, NamedTensor tensor, float[] restored, List<KeyValuePair<string, TensorData>> written, Dictionary<string, string> metadata)
    {
        float[] x = tensor.Data;
        if (s_ggml.Contains(scheme))
        {
            GgmlType type = Enum.Parse<GgmlType>(scheme, ignoreCase: true);
            int block = GgmlBlocks.BlockSize(type);
            if (x.Length % block != 0)
            {
                throw new UsageException($"tensor '{tensor.Name}' has {x.Length} elements, not a multiple of the {scheme} block size {block}.");
            }

            byte[] blocks = new byte[GgmlBlocks.RowSize(type, x.Length)];
            GgmlBlocks.Quantize(type, x, blocks);
            GgmlBlocks.Dequantize(type, blocks, restored);
            written.Add(new(tensor.Name, new TensorData(TensorDType.UInt8, [blocks.LongLength], blocks)));
            metadata[$"{tensor.Name}.ggml_type"] = type.ToString();
            return blocks.LongLength * 8;
        }

        if (s_mx.Contains(scheme))
        {
            MxElement element = scheme switch
            {
                "mx-e4m3" => MxElement.E4M3,
                "mx-e5m2" => MxElement.E5M2,
                "mx-e3m2" => MxElement.E3M2,
                "mx-e2m3" => MxElement.E2M3,
                "mx-e2m1" => MxElement.E2M1,
                _ => MxElement.Int8,
            };
            byte[] scales = new byte[Mx.ScaleCount(x.Length)];
            byte[] codes = new byte[x.Length];
            Mx.Quantize(element, x, scales, codes);
            Mx.Dequantize(element, scales, codes, restored);
            byte[] packed = new byte[Mx.PackedCodeBytes(element, x.Length)];
            Mx.PackCodes(element, codes, packed);
            written.Add(new($"{tensor.Name}.codes", new TensorData(TensorDType.UInt8, [packed.LongLength], packed)));
            written.Add(new($"{tensor.Name}.scales_e8m0", new TensorData(TensorDType.UInt8, [scales.LongLength], scales)));
            metadata[$"{tensor.Name}.mx_element"] = element.ToString();
            return (packed.LongLength + scales.LongLength) * 8;
        }

        int columns = tensor.Shape.Length == 0 ? 1 : tensor.Shape[^1];
        int rows = columns == 0 ? 0 : x.Length / columns;
        if (s_scaled.Contains(scheme))
        {
            return QuantizeScaled(scheme, group, tensor.Name, x, rows, columns, restored, written, metadata);
        }

        int bits = scheme[3] - '0';
        var options = new IntegerQuantizationOptions
        {
            Bits = bits,
            Granularity = group == 0 ? QuantizationGranularity.PerChannel : QuantizationGranularity.PerGroup,
            Axis = group == 0 ? 0 : 1,
            GroupSize = group == 0 ? 128 : group,
        };
        QuantizedTensor q = IntegerQuantizer.Quantize(x, rows, columns, options);
        q.Dequantize(restored);
        byte[] data = q.Data.ToArray();
        byte[] scaleBytes = MemoryMarshal.AsBytes(q.Scales.Span).ToArray();
        written.Add(new($"{tensor.Name}.codes", new TensorData(TensorDType.UInt8, [data.LongLength], data)));
        written.Add(new($"{tensor.Name}.scales", new TensorData(TensorDType.Float32, [q.Scales.Length], scaleBytes)));
        metadata[$"{tensor.Name}.int_bits"] = bits.ToString(CultureInfo.InvariantCulture);
        metadata[$"{tensor.Name}.group_size"] = group.ToString(CultureInfo.InvariantCulture);
        return (data.LongLength * 8) + (q.Scales.Length * 32L);
    }

    /// <summary>
    /// Scaled FP8/FP4: codes one per byte (FP8) or two per byte (FP4: element 2i in the low nibble, 2i+1 in the high nibble, as
    /// ONNX and torch float4_e2m1fn_x2), plus the float32 scales as a companion tensor.
    /// </summary>
    private static long QuantizeScaled(string scheme, int group, string name, float[] x, int rows, int columns, float[] restored, List<KeyValuePair<string, TensorData>> written, Dictionary<string, string> metadata)
    {
        ScaledFloatElement element = scheme switch
        {
            "fp8-e4m3" => ScaledFloatElement.E4M3,
            "fp8-e5m2" => ScaledFloatElement.E5M2,
            _ => ScaledFloatElement.E2M1,
        };
        var options = new ScaledFloatOptions
        {
            Element = element,
            Granularity = group == 0 ? QuantizationGranularity.PerChannel : QuantizationGranularity.PerGroup,
            Axis = group == 0 ? 0 : 1,
            GroupSize = group == 0 ? 128 : group,
        };
        ScaledFloatTensor q = ScaledFloatQuantizer.Quantize(x, rows, columns, options);
        q.Dequantize(restored);
        ReadOnlySpan<byte> codes = q.Codes.Span;
        byte[] data;
        if (element == ScaledFloatElement.E2M1)
        {
            data = new byte[(codes.Length + 1) / 2];
            for (int i = 0; i < codes.Length; i++)
            {
                data[i / 2] |= (byte)((codes[i] & 0xF) << (4 * (i % 2)));
            }
        }
        else
        {
            data = codes.ToArray();
        }

        byte[] scaleBytes = MemoryMarshal.AsBytes(q.Scales.Span).ToArray();
        written.Add(new($"{name}.codes", new TensorData(TensorDType.UInt8, [data.LongLength], data)));
        written.Add(new($"{name}.scales", new TensorData(TensorDType.Float32, [q.Scales.Length], scaleBytes)));
        metadata[$"{name}.scaled_element"] = q.Format.Name;
        metadata[$"{name}.group_size"] = group.ToString(CultureInfo.InvariantCulture);
        return (data.LongLength * 8) + (q.Scales.Length * 32L);
    }
}
