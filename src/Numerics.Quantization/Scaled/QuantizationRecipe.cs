// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>
/// A named weight + activation quantization scheme of a linear layer Y = X·Wᵀ (W: out × in weights, X: tokens × in
/// activations, both row-major), with the presets evaluated in "Give Me BF16 or Give Me Death" (Kurtic et al., arXiv 2411.02355)
/// as FORMATS.md §4 defines them (round to nearest; the papers' GPTQ/SmoothQuant calibration is not part of the recipe).
/// </summary>
public sealed class QuantizationRecipe
{
    private readonly Action<float[], int, int, float[]> _weights;
    private readonly Action<float[], int, int, float[]> _activations;

    private QuantizationRecipe(string name, string weights, string activations, double weightBits, Action<float[], int, int, float[]> w, Action<float[], int, int, float[]> a)
    {
        Name = name;
        WeightScheme = weights;
        ActivationScheme = activations;
        WeightBitsPerElement = weightBits;
        _weights = w;
        _activations = a;
    }

    /// <summary>The preset's name, for example <c>W8A8-FP</c>.</summary>
    public string Name { get; }

    /// <summary>How the weights are quantized (human-readable).</summary>
    public string WeightScheme { get; }

    /// <summary>How the activations are quantized (human-readable).</summary>
    public string ActivationScheme { get; }

    /// <summary>Weight storage per element including scales, for a row length that is a multiple of the group size.</summary>
    public double WeightBitsPerElement { get; }

    /// <summary>
    /// W8A8-FP: FP8 E4M3 weights with one scale per output channel (row of W, amax/448) and FP8 E4M3 activations with a dynamic
    /// scale per token (row of X). FORMATS.md §4 (llm-compressor's FP8_DYNAMIC); "effectively lossless" in the paper.
    /// </summary>
    public static QuantizationRecipe W8A8Fp { get; } = new(
        "W8A8-FP",
        "fp8 e4m3, per output channel",
        "fp8 e4m3, dynamic per token",
        8 + 32.0 / 4096,
        Scaled(new ScaledFloatOptions { Element = ScaledFloatElement.E4M3, Granularity = QuantizationGranularity.PerChannel, Axis = 0 }),
        Scaled(new ScaledFloatOptions { Element = ScaledFloatElement.E4M3, Granularity = QuantizationGranularity.PerChannel, Axis = 0 }));

    /// <summary>
    /// W8A8-INT: symmetric INT8 weights per output channel and symmetric INT8 activations with a dynamic scale per token.
    /// </summary>
    public static QuantizationRecipe W8A8Int { get; } = new(
        "W8A8-INT",
        "int8 symmetric, per output channel",
        "int8 symmetric, dynamic per token",
        8 + 32.0 / 4096,
        Integer(IntegerQuantizationOptions.Int8PerChannel),
        Integer(IntegerQuantizationOptions.Int8PerChannel));

    /// <summary>W4A16-INT: symmetric INT4 weights in groups of 128 along the input features; activations stay 16-bit (bfloat16, RNE).</summary>
    public static QuantizationRecipe W4A16Int { get; } = new(
        "W4A16-INT",
        "int4 symmetric, group 128 along input features",
        "bf16 (RNE)",
        4 + 32.0 / 128,
        Integer(IntegerQuantizationOptions.Int4PerGroup128),
        (x, rows, columns, y) => FloatFormat.BFloat16.Round(x, y));

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<QuantizationRecipe> Presets { get; } = [W8A8Fp, W8A8Int, W4A16Int];

    /// <summary>Quantizes and dequantizes an out × in weight matrix.</summary>
    /// <param name="weights">outFeatures × inFeatures finite values, row-major.</param>
    /// <param name="outFeatures">Rows (output channels).</param>
    /// <param name="inFeatures">Columns (input features, the reduction axis).</param>
    /// <returns>The dequantized weights.</returns>
    /// <exception cref="ArgumentException">A length does not match or a value is NaN or ±∞.</exception>
    public float[] QuantizeWeights(ReadOnlySpan<float> weights, int outFeatures, int inFeatures) => Apply(_weights, weights, outFeatures, inFeatures, nameof(weights));

    /// <summary>Quantizes and dequantizes a tokens × in activation matrix.</summary>
    /// <param name="activations">tokens × inFeatures finite values, row-major.</param>
    /// <param name="tokens">Rows.</param>
    /// <param name="inFeatures">Columns.</param>
    /// <returns>The dequantized activations.</returns>
    /// <exception cref="ArgumentException">A length does not match or a value is NaN or ±∞.</exception>
    public float[] QuantizeActivations(ReadOnlySpan<float> activations, int tokens, int inFeatures) => Apply(_activations, activations, tokens, inFeatures, nameof(activations));

    /// <summary>
    /// Quantizes W and X and reports the error of each and of the layer output Y = X·Wᵀ (both products accumulated in double from
    /// the float32 operands, then compared).
    /// </summary>
    /// <param name="weights">outFeatures × inFeatures, row-major.</param>
    /// <param name="outFeatures">Output channels.</param>
    /// <param name="activations">tokens × inFeatures, row-major.</param>
    /// <param name="tokens">Tokens.</param>
    /// <param name="inFeatures">Input features.</param>
    /// <returns>Errors of the weights, the activations and the output.</returns>
    /// <exception cref="ArgumentException">A length does not match or a value is NaN or ±∞.</exception>
    public RecipeReport Evaluate(ReadOnlySpan<float> weights, int outFeatures, ReadOnlySpan<float> activations, int tokens, int inFeatures)
    {
        float[] wq = QuantizeWeights(weights, outFeatures, inFeatures);
        float[] xq = QuantizeActivations(activations, tokens, inFeatures);
        float[] y = Product(activations, weights, tokens, outFeatures, inFeatures);
        float[] yq = Product(xq, wq, tokens, outFeatures, inFeatures);
        return new RecipeReport(ErrorMetrics.Compare(weights, wq), ErrorMetrics.Compare(activations, xq), ErrorMetrics.Compare(y, yq));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} (weights: {WeightScheme}; activations: {ActivationScheme})";

    private static float[] Product(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int tokens, int outFeatures, int inFeatures)
    {
        var y = new float[tokens * outFeatures];
        for (int t = 0; t < tokens; t++)
        {
            ReadOnlySpan<float> xr = x.Slice(t * inFeatures, inFeatures);
            for (int o = 0; o < outFeatures; o++)
            {
                ReadOnlySpan<float> wr = w.Slice(o * inFeatures, inFeatures);
                double sum = 0;
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += (double)xr[i] * wr[i];
                }

                y[(t * outFeatures) + o] = (float)sum;
            }
        }

        return y;
    }

    private static float[] Apply(Action<float[], int, int, float[]> scheme, ReadOnlySpan<float> data, int rows, int columns, string name)
    {
        MatrixShape.Check(data.Length, rows, columns, name);

        int bad = GgmlBlocks.IndexOfNonFinite(data);
        if (bad >= 0)
        {
            throw new ArgumentException($"{name}[{bad}] is {data[bad]}; only finite values can be quantized.", name);
        }

        var result = new float[data.Length];
        scheme(data.ToArray(), rows, columns, result);
        return result;
    }

    private static Action<float[], int, int, float[]> Scaled(ScaledFloatOptions o) =>
        (x, rows, columns, y) => ScaledFloatQuantizer.Quantize(x, rows, columns, o).Dequantize(y);

    private static Action<float[], int, int, float[]> Integer(IntegerQuantizationOptions o) =>
        (x, rows, columns, y) => IntegerQuantizer.Quantize(x, rows, columns, o).Dequantize(y);
}

/// <summary>The errors of a <see cref="QuantizationRecipe"/> on one layer.</summary>
/// <param name="Weights">Dequantized weights against the weights.</param>
/// <param name="Activations">Dequantized activations against the activations.</param>
/// <param name="Output">X̂·Ŵᵀ against X·Wᵀ.</param>
public readonly record struct RecipeReport(ErrorReport Weights, ErrorReport Activations, ErrorReport Output);
