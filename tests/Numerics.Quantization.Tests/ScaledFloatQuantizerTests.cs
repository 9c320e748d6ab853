// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;
using Numerics.Testing;

namespace Numerics.Quantization.Tests;

/// <summary>Scaled FP8/FP4 quantization: codes against the exact rounding oracle of Numerics.Testing, scales, bounds, layouts.</summary>
public sealed class ScaledFloatQuantizerTests
{
    public static TheoryData<ScaledFloatElement, QuantizationGranularity, int, bool> Configurations()
    {
        var data = new TheoryData<ScaledFloatElement, QuantizationGranularity, int, bool>();
        foreach (ScaledFloatElement e in new[] { ScaledFloatElement.E4M3, ScaledFloatElement.E5M2, ScaledFloatElement.E2M1 })
        {
            foreach (bool pow2 in new[] { false, true })
            {
                data.Add(e, QuantizationGranularity.PerTensor, 1, pow2);
                data.Add(e, QuantizationGranularity.PerChannel, 0, pow2);
                data.Add(e, QuantizationGranularity.PerChannel, 1, pow2);
                data.Add(e, QuantizationGranularity.PerGroup, 1, pow2);
            }
        }

        return data;
    }

    private static double MaxOf(ScaledFloatElement e) => e switch { ScaledFloatElement.E4M3 => 448, ScaledFloatElement.E5M2 => 57344, _ => 6 };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Codes_are_the_exact_rounding_of_x_over_scale(ScaledFloatElement element, QuantizationGranularity granularity, int axis, bool pow2)
    {
        var rng = new Random(((int)element * 100) + ((int)granularity * 10) + axis + (pow2 ? 5 : 0));
        const int rows = 6, cols = 40;
        var x = new float[rows * cols];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2) - 1) * MathF.ScaleB(1, rng.Next(-10, 10));
        }

        var o = new ScaledFloatOptions { Element = element, Granularity = granularity, Axis = axis, GroupSize = 16, PowerOfTwoScales = pow2 };
        ScaledFloatTensor q = ScaledFloatQuantizer.Quantize(x, rows, cols, o);
        FloatFormat f = q.Format;
        double m = MaxOf(element);
        Assert.Equal(m, f.MaxFinite);

        // Independent group amax and scale.
        var amax = new Dictionary<int, double>();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int g = q.GroupIndex(r, c);
                amax[g] = Math.Max(amax.GetValueOrDefault(g), Math.Abs(x[(r * cols) + c]));
            }
        }

        foreach ((int g, double a) in amax)
        {
            double s = q.Scales.Span[g];
            if (pow2)
            {
                int k = (int)Math.Round(Math.Log2(s));
                Assert.Equal(Math.ScaleB(1, k), s);
                Assert.True(s * m >= a && s / 2 * m < a, $"group {g}: 2^{k}·{m} must be the first power of two covering {a}");
            }
            else
            {
                Assert.Equal((float)(a / m), (float)s);
            }
        }

        float[] y = q.ToFloat();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int k = (r * cols) + c;
                double s = q.Scales.Span[q.GroupIndex(r, c)];
                // x / s in double equals the exact quotient's rounding (FORMATS-level argument in the class remarks); with
                // power-of-two scales the double quotient is exact.
                ulong expected = ExactRounding.Encode(x[k] / s, f, RoundingMode.NearestEven, OverflowMode.SaturatingFinite);
                Assert.True(expected == q.Codes.Span[k], $"({r},{c}) {x[k]:R}/{s:R}: expected {expected:x2}, got {q.Codes.Span[k]:x2}");
                Assert.Equal((float)(ExactRounding.Decode(expected, f) * s), y[k]);
            }
        }
    }

    [Fact]
    public void Power_of_two_scales_are_idempotent_and_zero_groups_stay_zero()
    {
        var rng = new Random(3);
        var x = new float[4 * 32];
        for (int i = 32; i < x.Length; i++)
        {
            x[i] = (float)(rng.NextDouble() - 0.5) * 1000;
        }

        foreach (ScaledFloatElement e in new[] { ScaledFloatElement.E4M3, ScaledFloatElement.E5M2, ScaledFloatElement.E2M1 })
        {
            var o = new ScaledFloatOptions { Element = e, Granularity = QuantizationGranularity.PerGroup, GroupSize = 32, PowerOfTwoScales = true };
            ScaledFloatTensor q = ScaledFloatQuantizer.Quantize(x, 1, x.Length, o);
            Assert.Equal(0f, q.Scales.Span[0]);
            float[] y = q.ToFloat();
            Assert.All(y.AsSpan(0, 32).ToArray(), v => Assert.Equal(0f, v));
            ScaledFloatTensor q2 = ScaledFloatQuantizer.Quantize(y, 1, y.Length, o);
            Assert.Equal(y, q2.ToFloat());
        }
    }

    [Fact]
    public void Non_finite_and_invalid_arguments_throw()
    {
        var x = new float[8];
        x[6] = float.NegativeInfinity;
        ArgumentException e = Assert.Throws<ArgumentException>(() => ScaledFloatQuantizer.Quantize(x, 2, 4));
        Assert.Contains("data[6]", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ScaledFloatQuantizer.Quantize(new float[4], 1, 4, new ScaledFloatOptions { Element = (ScaledFloatElement)9 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScaledFloatQuantizer.Quantize(new float[4], 1, 4, new ScaledFloatOptions { GroupSize = 0 }));
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => ScaledFloatQuantizer.Quantize(new float[3], 1, 4)).ParamName);
    }

    [Fact]
    public void Recipes_quantize_as_their_definitions_say()
    {
        var rng = new Random(9);
        const int outF = 16, inF = 256, tokens = 5;
        float[] w = Enumerable.Range(0, outF * inF).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] x = Enumerable.Range(0, tokens * inF).Select(_ => (float)((rng.NextDouble() - 0.5) * 8)).ToArray();

        var perRowFp8 = new ScaledFloatOptions { Element = ScaledFloatElement.E4M3, Granularity = QuantizationGranularity.PerChannel, Axis = 0 };
        Assert.Equal(ScaledFloatQuantizer.Quantize(w, outF, inF, perRowFp8).ToFloat(), QuantizationRecipe.W8A8Fp.QuantizeWeights(w, outF, inF));
        Assert.Equal(ScaledFloatQuantizer.Quantize(x, tokens, inF, perRowFp8).ToFloat(), QuantizationRecipe.W8A8Fp.QuantizeActivations(x, tokens, inF));
        Assert.Equal(IntegerQuantizer.Quantize(w, outF, inF, IntegerQuantizationOptions.Int8PerChannel).ToFloat(), QuantizationRecipe.W8A8Int.QuantizeWeights(w, outF, inF));
        Assert.Equal(IntegerQuantizer.Quantize(x, tokens, inF, IntegerQuantizationOptions.Int8PerChannel).ToFloat(), QuantizationRecipe.W8A8Int.QuantizeActivations(x, tokens, inF));
        Assert.Equal(IntegerQuantizer.Quantize(w, outF, inF, IntegerQuantizationOptions.Int4PerGroup128).ToFloat(), QuantizationRecipe.W4A16Int.QuantizeWeights(w, outF, inF));
        float[] bf = QuantizationRecipe.W4A16Int.QuantizeActivations(x, tokens, inF);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal((float)ExactRounding.Round(x[i], FloatFormat.BFloat16, RoundingMode.NearestEven, OverflowMode.NonSaturating), bf[i]);
        }

        foreach (QuantizationRecipe recipe in QuantizationRecipe.Presets)
        {
            RecipeReport report = recipe.Evaluate(w, outF, x, tokens, inF);
            float[] wq = recipe.QuantizeWeights(w, outF, inF), xq = recipe.QuantizeActivations(x, tokens, inF);

            // Output error against a naive double computation of both products.
            double se = 0, ss = 0;
            for (int t = 0; t < tokens; t++)
            {
                for (int o = 0; o < outF; o++)
                {
                    double exact = 0, approx = 0;
                    for (int i = 0; i < inF; i++)
                    {
                        exact += (double)x[(t * inF) + i] * w[(o * inF) + i];
                        approx += (double)xq[(t * inF) + i] * wq[(o * inF) + i];
                    }

                    se += Math.Pow((float)approx - (double)(float)exact, 2);
                    ss += Math.Pow((float)exact, 2);
                }
            }

            Assert.Equal(10 * Math.Log10(ss / se), report.Output.SqnrDb, 9);
            Assert.Equal(ErrorMetrics.Compare(w, wq), report.Weights);
            Assert.True(report.Output.SqnrDb > 15, $"{recipe}: output SQNR {report.Output.SqnrDb}");
        }

        Assert.Equal(["W8A8-FP", "W8A8-INT", "W4A16-INT"], QuantizationRecipe.Presets.Select(r => r.Name));
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => QuantizationRecipe.W8A8Int.QuantizeActivations(new float[3], 2, 2)).ParamName);
    }
}
