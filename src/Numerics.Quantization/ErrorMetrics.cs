// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>
/// Error metrics between a reference signal and its approximation (for example the dequantized output of a quantizer).
/// </summary>
/// <remarks>
/// Every metric accumulates in <see cref="double"/> in index order, so results are deterministic. NaN in either input
/// propagates into the result. Both spans must have the same length.
/// </remarks>
public static partial class ErrorMetrics
{
    /// <summary>Computes every metric in one pass.</summary>
    /// <param name="reference">The exact values.</param>
    /// <param name="approximation">The approximated values.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static ErrorReport Compare(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation)
    {
        if (reference.Length != approximation.Length)
        {
            throw new ArgumentException(
                $"The approximation has {approximation.Length} elements but the reference has {reference.Length}.", nameof(approximation));
        }

        double sumSquaredError = 0, sumSquaredSignal = 0, sumSquaredApprox = 0, dot = 0, maxAbs = 0, maxRel = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double r = reference[i];
            double a = approximation[i];
            double e = a - r;
            sumSquaredError += e * e;
            sumSquaredSignal += r * r;
            sumSquaredApprox += a * a;
            dot += r * a;
            double absError = Math.Abs(e);
            maxAbs = double.IsNaN(absError) || absError > maxAbs ? absError : maxAbs;
            if (r != 0)
            {
                double rel = absError / Math.Abs(r);
                maxRel = double.IsNaN(rel) || rel > maxRel ? rel : maxRel;
            }
        }

        int n = reference.Length;
        double mse = n == 0 ? 0 : sumSquaredError / n;
        double sqnr = 10 * Math.Log10(sumSquaredSignal / sumSquaredError);
        double cosine = sumSquaredSignal == 0 || sumSquaredApprox == 0
            ? (sumSquaredSignal == sumSquaredApprox ? 1 : 0)
            : dot / Math.Sqrt(sumSquaredSignal * sumSquaredApprox);
        return new ErrorReport(mse, Math.Sqrt(mse), sqnr, maxAbs, maxRel, cosine);
    }

    /// <summary>Mean squared error, Σ(a − r)² / n; 0 for empty input.</summary>
    /// <param name="reference">The exact values.</param>
    /// <param name="approximation">The approximated values.</param>
    /// <returns>The mean squared error.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double MeanSquaredError(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation) =>
        Compare(reference, approximation).MeanSquaredError;

    /// <summary>Signal-to-quantization-noise ratio in decibels, 10·log10(Σr² / Σ(a − r)²): +∞ when the approximation is exact and the
    /// reference is not all zero, −∞ when the reference is all zero and the approximation is not, NaN (0/0) when both are all zero or
    /// the spans are empty.</summary>
    /// <param name="reference">The exact values.</param>
    /// <param name="approximation">The approximated values.</param>
    /// <returns>The SQNR in dB.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double SignalToQuantizationNoiseDb(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation) =>
        Compare(reference, approximation).SqnrDb;

    /// <summary>Cosine similarity Σ r·a / (‖r‖·‖a‖); 1 when both are all zero, 0 when exactly one is.</summary>
    /// <param name="reference">The exact values.</param>
    /// <param name="approximation">The approximated values.</param>
    /// <returns>The cosine similarity.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double CosineSimilarity(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation) =>
        Compare(reference, approximation).CosineSimilarity;
}

/// <summary>Error metrics of an approximation against a reference (see <see cref="ErrorMetrics.Compare"/>).</summary>
/// <param name="MeanSquaredError">Σ(a − r)² / n.</param>
/// <param name="RootMeanSquaredError">√MSE.</param>
/// <param name="SqnrDb">10·log10(Σr² / Σ(a − r)²): +∞ for an exact approximation of a reference that is not all zero, −∞ for an
/// all-zero reference and a non-zero approximation, NaN (0/0) when both are all zero or the spans are empty.</param>
/// <param name="MaxAbsoluteError">max |a − r|.</param>
/// <param name="MaxRelativeError">max |a − r| / |r| over the non-zero reference values.</param>
/// <param name="CosineSimilarity">Σ r·a / (‖r‖·‖a‖).</param>
public readonly record struct ErrorReport(
    double MeanSquaredError,
    double RootMeanSquaredError,
    double SqnrDb,
    double MaxAbsoluteError,
    double MaxRelativeError,
    double CosineSimilarity);
