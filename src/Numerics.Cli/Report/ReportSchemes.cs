// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Numerics.Emulation;
using Numerics.Formats;
using Numerics.Quantization;

namespace Numerics.Cli.Report;

/// <summary>
/// The registry of every scheme the report runs. A scheme is listed only once its library code is tested against the
/// specifications or golden vectors (the report never prints a row for something that does not work).
/// </summary>
internal static class ReportSchemes
{
    public static IReadOnlyList<ReportScheme> All { get; } = Build();

    private static List<ReportScheme> Build()
    {
        var schemes = new List<ReportScheme>();

        // Plain casts (no scaling) through FloatFormat's span rounding: what storing the tensor in the format costs.
        (FloatFormat Format, string Label)[] casts =
        [
            (FloatFormat.TensorFloat32, "tf32"),
            (FloatFormat.Binary16, "fp16"),
            (FloatFormat.BFloat16, "bf16"),
            (FloatFormat.E5M2, "fp8 e5m2"),
            (FloatFormat.E4M3FN, "fp8 e4m3fn"),
            (FloatFormat.E4M3FNUZ, "fp8 e4m3fnuz"),
            (FloatFormat.E3M2FN, "fp6 e3m2"),
            (FloatFormat.E2M3FN, "fp6 e2m3"),
            (FloatFormat.E2M1FN, "fp4 e2m1"),
        ];
        foreach ((FloatFormat format, string label) in casts)
        {
            schemes.Add(Cast(format, $"{label} RNE", RoundingMode.NearestEven));
        }

        // Every other rounding mode, on bf16 (the storage format where the choice is made most often), and the ones that
        // matter for fp8.
        (RoundingMode Mode, string Label)[] modes =
        [
            (RoundingMode.NearestAway, "RNA"),
            (RoundingMode.NearestTowardZero, "RNZ"),
            (RoundingMode.TowardZero, "RZ (truncate)"),
            (RoundingMode.TowardPositive, "RU"),
            (RoundingMode.TowardNegative, "RD"),
            (RoundingMode.ToOdd, "RO (to odd)"),
            (RoundingMode.Stochastic, "stochastic"),
            (RoundingMode.StochasticUniform, "stochastic uniform"),
        ];
        foreach ((RoundingMode mode, string label) in modes)
        {
            schemes.Add(Cast(FloatFormat.BFloat16, $"bf16 {label}", mode));
        }

        schemes.Add(Cast(FloatFormat.E4M3FN, "fp8 e4m3fn RNA", RoundingMode.NearestAway));
        schemes.Add(Cast(FloatFormat.E4M3FN, "fp8 e4m3fn stochastic", RoundingMode.Stochastic));

        // Pychop-style emulation of a custom format without subnormals (CPFloat's p7e31ftz), through the Chopper.
        FloatFormat p7 = FloatFormat.Create(7, -30, 31, subnormals: false);
        var chopper = new Chopper(p7, RoundingMode.NearestEven);
        schemes.Add(new ReportScheme("chop p=7,emin=-30,emax=31,ftz RNE", "chop", p7.BitCount, (src, dst) => chopper.Chop(src, dst)));

        // llama.cpp block formats, byte for byte with ggml's reference quantizers.
        foreach (GgmlType type in new[] { GgmlType.Q8_0, GgmlType.Q5_0, GgmlType.Q4_1, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.IQ4_NL, GgmlType.MXFP4, GgmlType.NVFP4 })
        {
            schemes.Add(Ggml(type));
        }

        // OCP Microscaling: blocks of 32 with an E8M0 scale (floor scale, RNE elements, as the spec's reference algorithm).
        foreach (MxElement element in new[] { MxElement.E4M3, MxElement.E5M2, MxElement.E3M2, MxElement.E2M3, MxElement.E2M1, MxElement.Int8 })
        {
            schemes.Add(Microscaling(element));
        }

        // Integer quantizers, symmetric, one float32 scale per group of consecutive values (GPTQ/AWQ-style group size).
        schemes.Add(Integer(8, 128));
        schemes.Add(Integer(4, 128));
        schemes.Add(Integer(4, 32));
        schemes.Add(Integer(3, 128));
        schemes.Add(Integer(2, 32));

        // Scaled FP8/FP4 (ZeroQuant-FP): float32 scale per tensor, per row of 256 or per group of 32; optionally power-of-two scales.
        schemes.Add(ScaledFloat(ScaledFloatElement.E4M3, QuantizationGranularity.PerTensor, 0, pow2: false));
        schemes.Add(ScaledFloat(ScaledFloatElement.E4M3, QuantizationGranularity.PerChannel, 0, pow2: false));
        schemes.Add(ScaledFloat(ScaledFloatElement.E5M2, QuantizationGranularity.PerChannel, 0, pow2: false));
        schemes.Add(ScaledFloat(ScaledFloatElement.E2M1, QuantizationGranularity.PerGroup, 32, pow2: false));
        schemes.Add(ScaledFloat(ScaledFloatElement.E2M1, QuantizationGranularity.PerGroup, 32, pow2: true));

        // The "Give Me BF16 or Give Me Death" presets, applied to the tensor as a weight matrix with rows of 256 input features.
        foreach (QuantizationRecipe recipe in QuantizationRecipe.Presets)
        {
            schemes.Add(Recipe(recipe));
        }

        // KIVI-style KV cache (asymmetric min-max, group 32, residual window of 32 tokens in float32), the tensor read as tokens
        // of 128 channels: keys per channel (grouped along tokens), values per token (grouped along channels).
        foreach (int bits in new[] { 2, 4 })
        {
            schemes.Add(Kivi(bits, keys: true));
            schemes.Add(Kivi(bits, keys: false));
        }

        return schemes;
    }

    private static ReportScheme Integer(int bits, int group)
    {
        // Groups of consecutive elements: a (n / group) x group matrix quantized per row is exactly per-group quantization
        // along the rows of the original matrix whenever its row length is a multiple of the group size.
        var options = new IntegerQuantizationOptions { Bits = bits, Granularity = QuantizationGranularity.PerChannel, Axis = 0 };
        return new ReportScheme(
            $"int{bits} g{group}",
            "int",
            bits + (32.0 / group),
            (src, dst) => IntegerQuantizer.Quantize(src, src.Length / group, group, options).Dequantize(dst),
            group);
    }

    /// <summary>Row length used by the per-channel and preset rows.</summary>
    private const int RowLength = 256;

    /// <summary>Channels per token of the KIVI rows.</summary>
    private const int KiviChannels = 128;

    private static ReportScheme ScaledFloat(ScaledFloatElement element, QuantizationGranularity granularity, int group, bool pow2)
    {
        var options = new ScaledFloatOptions { Element = element, Granularity = granularity, Axis = granularity == QuantizationGranularity.PerChannel ? 0 : 1, GroupSize = Math.Max(group, 1), PowerOfTwoScales = pow2 };
        int elementBits = element == ScaledFloatElement.E2M1 ? 4 : 8;
        string label = element switch { ScaledFloatElement.E4M3 => "fp8 e4m3", ScaledFloatElement.E5M2 => "fp8 e5m2", _ => "fp4 e2m1" };
        string layout = granularity switch { QuantizationGranularity.PerTensor => "per-tensor", QuantizationGranularity.PerChannel => $"per-row{RowLength}", _ => $"g{group}" };
        int block = granularity == QuantizationGranularity.PerGroup ? group : RowLength;
        double scaleBits = granularity == QuantizationGranularity.PerTensor ? 0 : 32.0 / block;
        return new ReportScheme(
            $"scaled {label} {layout}{(pow2 ? " pow2" : string.Empty)}",
            "scaled",
            elementBits + scaleBits,
            (src, dst) => ScaledFloatQuantizer.Quantize(src, src.Length / block, block, options).Dequantize(dst),
            block);
    }

    private static ReportScheme Recipe(QuantizationRecipe recipe)
    {
        double bits = recipe == QuantizationRecipe.W4A16Int ? 4 + (32.0 / 128) : 8 + (32.0 / RowLength);
        return new ReportScheme(
            $"{recipe.Name} weights",
            "preset",
            bits,
            (src, dst) => recipe.QuantizeWeights(src, src.Length / RowLength, RowLength).CopyTo(dst),
            RowLength);
    }

    private static ReportScheme Kivi(int bits, bool keys)
    {
        // Storage per element: bits + a float32 scale and minimum per group of 32 (the residual window is not counted).
        return new ReportScheme(
            $"kivi int{bits} {(keys ? "keys per-channel" : "values per-token")} g32",
            "kv-cache",
            bits + (64.0 / 32),
            (src, dst) =>
            {
                var cache = new KiviCache(KiviChannels, bits, bits, groupSize: 32, residualLength: 32);
                for (int t = 0; t < src.Length / KiviChannels; t++)
                {
                    ReadOnlySpan<float> token = src.Slice(t * KiviChannels, KiviChannels);
                    cache.Append(token, token);
                }

                if (keys)
                {
                    cache.GetKeys(dst);
                }
                else
                {
                    cache.GetValues(dst);
                }
            },
            KiviChannels);
    }

    private static ReportScheme Microscaling(MxElement element)
    {
        int elementBits = element switch
        {
            MxElement.E4M3 or MxElement.E5M2 or MxElement.Int8 => 8,
            MxElement.E3M2 or MxElement.E2M3 => 6,
            _ => 4,
        };
        return new ReportScheme(
            $"mx {element.ToString().ToLowerInvariant()}",
            "mx",
            elementBits + (8.0 / 32),
            (src, dst) =>
            {
                byte[] scales = ArrayPool<byte>.Shared.Rent(Mx.ScaleCount(src.Length));
                byte[] codes = ArrayPool<byte>.Shared.Rent(src.Length);
                try
                {
                    Span<byte> s = scales.AsSpan(0, Mx.ScaleCount(src.Length));
                    Span<byte> c = codes.AsSpan(0, src.Length);
                    Mx.Quantize(element, src, s, c);
                    Mx.Dequantize(element, s, c, dst);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(scales);
                    ArrayPool<byte>.Shared.Return(codes);
                }
            },
            32);
    }

    private static ReportScheme Cast(FloatFormat format, string name, RoundingMode rounding) =>
        new(name, "cast", format.BitCount, (src, dst) => format.Round(src, dst, rounding, OverflowMode.NonSaturating, seed: DefaultTensors.Seed));

    private static ReportScheme Ggml(GgmlType type)
    {
        int block = GgmlBlocks.BlockSize(type);
        double bits = GgmlBlocks.RowSize(type, block) * 8.0 / block;
        return new ReportScheme(
            $"ggml {type.ToString().ToLowerInvariant()}",
            "ggml",
            bits,
            (src, dst) =>
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(GgmlBlocks.RowSize(type, src.Length));
                try
                {
                    Span<byte> blocks = buffer.AsSpan(0, GgmlBlocks.RowSize(type, src.Length));
                    GgmlBlocks.Quantize(type, src, blocks);
                    GgmlBlocks.Dequantize(type, blocks, dst);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            },
            block);
    }

    /// <summary>Selects schemes whose name contains any of the comma-separated filters (case-insensitive); all when empty.</summary>
    public static IReadOnlyList<ReportScheme> Select(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return All;
        }

        string[] parts = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var selected = All.Where(s => parts.Any(p => s.Name.Contains(p, StringComparison.OrdinalIgnoreCase))).ToList();
        if (selected.Count == 0)
        {
            throw new UsageException(
                $"--formats '{filter}' matches no scheme; known: {string.Join(", ", All.Select(s => s.Name))}.");
        }

        return selected;
    }
}
