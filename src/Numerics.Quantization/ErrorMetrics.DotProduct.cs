// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <content>The dot-product error a quantizer causes: how far ⟨q(x), y⟩ is from ⟨x, y⟩.</content>
public static partial class ErrorMetrics
{
    /// <summary>
    /// Relative dot-product error |⟨a, y⟩ − ⟨r, y⟩| / |⟨r, y⟩| = |Σ (a − r)·y| / |Σ r·y|, accumulated in double in index order:
    /// what quantizing r to a does to one output of a linear layer with input (or weight row) y. 0 when both sums are 0, +∞ when
    /// only ⟨r, y⟩ is 0.
    /// </summary>
    /// <param name="reference">The exact values.</param>
    /// <param name="approximation">The approximated values.</param>
    /// <param name="y">The other operand.</param>
    /// <returns>The relative error.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double DotProductError(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation, ReadOnlySpan<float> y)
    {
        SameLength(reference, approximation, nameof(approximation));
        SameLength(reference, y, nameof(y));
        (double error, double exact) = Dots(reference, approximation, y);
        return Ratio(Math.Abs(error), Math.Abs(exact));
    }

    /// <summary>
    /// The dot-product error over several operands yₜ, the rows of the row-major <paramref name="operands"/> matrix (count × n).
    /// Reports the mean and maximum of the per-row relative errors (see
    /// <see cref="DotProductError(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float})"/>) and the RMS ratio
    /// √(Σₜ ⟨a − r, yₜ⟩² / Σₜ ⟨r, yₜ⟩²), which stays meaningful when some ⟨r, yₜ⟩ are near 0.
    /// </summary>
    /// <param name="reference">The exact values (n).</param>
    /// <param name="approximation">The approximated values (n).</param>
    /// <param name="operands">count × n operands, row-major.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">A length does not match (operands must hold a positive whole number of rows of n).</exception>
    public static DotProductErrorReport DotProductErrorOverOperands(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation, ReadOnlySpan<float> operands)
    {
        SameLength(reference, approximation, nameof(approximation));
        int n = reference.Length;
        if (n == 0 || operands.Length == 0 || operands.Length % n != 0)
        {
            throw new ArgumentException($"operands must hold a positive whole number of rows of {n} values; it has {operands.Length}.", nameof(operands));
        }

        int count = operands.Length / n;
        double sumRelative = 0, maxRelative = 0, sumErrorSquared = 0, sumExactSquared = 0;
        for (int t = 0; t < count; t++)
        {
            (double error, double exact) = Dots(reference, approximation, operands.Slice(t * n, n));
            double relative = Ratio(Math.Abs(error), Math.Abs(exact));
            sumRelative += relative;
            maxRelative = double.IsNaN(relative) || relative > maxRelative ? relative : maxRelative;
            sumErrorSquared += error * error;
            sumExactSquared += exact * exact;
        }

        return new DotProductErrorReport(count, sumRelative / count, maxRelative, Math.Sqrt(Ratio(sumErrorSquared, sumExactSquared)));
    }

    /// <summary>
    /// The dot-product error over <paramref name="trials"/> random operands with independent standard normal components (a
    /// seeded generator: the same seed gives the same operands on every machine). For such y, E⟨e, y⟩² = ‖e‖², so the RMS ratio
    /// estimates ‖a − r‖ / ‖r‖.
    /// </summary>
    /// <param name="reference">The exact values.</param>
    /// <param name="approximation">The approximated values.</param>
    /// <param name="trials">Number of random operands (at least 1).</param>
    /// <param name="seed">Seed of the operands.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is less than 1, or the trials × n operand values
    /// exceed <see cref="Array.MaxLength"/> (they are generated into one array).</exception>
    public static DotProductErrorReport RandomDotProductError(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation, int trials = 64, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        SameLength(reference, approximation, nameof(approximation));
        if (reference.Length == 0)
        {
            throw new ArgumentException("The vectors are empty.", nameof(reference));
        }

        if ((long)trials * reference.Length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(trials), trials, $"{trials} operands of {reference.Length} values exceed the largest array ({Array.MaxLength} values).");
        }

        return DotProductErrorOverOperands(reference, approximation, GaussianOperands(trials, reference.Length, seed));
    }

    /// <summary>The operands of <see cref="RandomDotProductError"/>: trials × n standard normal floats (Box–Muller over <see cref="Random"/>(seed)).</summary>
    internal static float[] GaussianOperands(int trials, int n, int seed)
    {
        var random = new Random(seed);
        var y = new float[(long)trials * n];
        for (int i = 0; i < y.Length; i += 2)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            y[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < y.Length)
            {
                y[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }

        return y;
    }

    private static (double Error, double Exact) Dots(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation, ReadOnlySpan<float> y)
    {
        double error = 0, exact = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            error += ((double)approximation[i] - reference[i]) * y[i];
            exact += (double)reference[i] * y[i];
        }

        return (error, exact);
    }

    private static double Ratio(double numerator, double denominator) =>
        denominator != 0 ? numerator / denominator : numerator == 0 ? 0 : double.PositiveInfinity;

    private static void SameLength(ReadOnlySpan<float> reference, ReadOnlySpan<float> other, string name)
    {
        if (reference.Length != other.Length)
        {
            throw new ArgumentException($"{name} has {other.Length} elements but the reference has {reference.Length}.", name);
        }
    }
}

/// <summary>Dot-product errors over several operands (see <see cref="ErrorMetrics.DotProductErrorOverOperands"/>).</summary>
/// <param name="Operands">Number of operands.</param>
/// <param name="MeanRelativeError">Mean of |⟨a − r, y⟩| / |⟨r, y⟩|.</param>
/// <param name="MaxRelativeError">Maximum of |⟨a − r, y⟩| / |⟨r, y⟩|.</param>
/// <param name="RmsRatio">√(Σ ⟨a − r, y⟩² / Σ ⟨r, y⟩²).</param>
public readonly record struct DotProductErrorReport(int Operands, double MeanRelativeError, double MaxRelativeError, double RmsRatio);
