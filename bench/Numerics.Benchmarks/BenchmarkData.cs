// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Benchmarks;

/// <summary>The seeded inputs the benchmark classes share, so every class measures the same data for the same seed.</summary>
internal static class BenchmarkData
{
    private static readonly Dictionary<int, (float[] X, float[] Y)> s_softmaxBuffers = [];

    /// <summary>
    /// Normal values N(0, <paramref name="sigma"/>²) by Box–Muller on <see cref="Random"/>(<paramref name="seed"/>): element i is
    /// sigma·√(−2 ln u)·cos(2πv) with u = 1 − NextDouble() and v = NextDouble() drawn in that order.
    /// </summary>
    /// <param name="length">Elements.</param>
    /// <param name="sigma">Standard deviation.</param>
    /// <param name="seed">Seed of <see cref="Random"/>.</param>
    /// <returns>The values in double.</returns>
    public static double[] Normal(int length, double sigma, int seed = 42)
    {
        var random = new Random(seed);
        double[] values = new double[length];
        for (int i = 0; i < values.Length; i++)
        {
            double u = 1.0 - random.NextDouble(), v = random.NextDouble();
            values[i] = sigma * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
        }

        return values;
    }

    /// <summary><see cref="Normal(int, double, int)"/> rounded to float.</summary>
    /// <param name="length">Elements.</param>
    /// <param name="sigma">Standard deviation.</param>
    /// <param name="seed">Seed of <see cref="Random"/>.</param>
    /// <returns>The values in float.</returns>
    public static float[] NormalSingle(int length, double sigma, int seed = 42) => ToSingle(Normal(length, sigma, seed), 1);

    /// <summary>Each value times <paramref name="factor"/>, rounded to float.</summary>
    /// <param name="values">The values.</param>
    /// <param name="factor">The factor (applied in double, before the rounding).</param>
    /// <returns>The float array.</returns>
    public static float[] ToSingle(double[] values, double factor)
    {
        float[] result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = (float)(values[i] * factor);
        }

        return result;
    }

    /// <summary>
    /// The softmax benchmarks' input: element i is (float)(NextDouble()·20 − 10) on <see cref="Random"/>(<paramref name="seed"/>),
    /// uniform in [−10, 10].
    /// </summary>
    /// <param name="length">Elements.</param>
    /// <param name="seed">Seed of <see cref="Random"/>.</param>
    /// <returns>The values.</returns>
    public static float[] SoftmaxInput(int length, int seed = 42)
    {
        var random = new Random(seed);
        float[] values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 20) - 10);
        }

        return values;
    }

    /// <summary>
    /// The process-wide softmax buffers of a length: x from <see cref="SoftmaxInput"/> and y, allocated by the first case that
    /// asks (<see cref="SameBuffersSoftmaxBenchmarks"/> and <see cref="SoftmaxNativeBenchmarks"/>), so an in-process run of
    /// both classes measures the same buffers.
    /// </summary>
    /// <param name="length">Row length.</param>
    /// <returns>x and y.</returns>
    public static (float[] X, float[] Y) SharedSoftmaxBuffers(int length)
    {
        if (!s_softmaxBuffers.TryGetValue(length, out (float[] X, float[] Y) b))
        {
            b = (SoftmaxInput(length), new float[length]);
            s_softmaxBuffers[length] = b;
        }

        return b;
    }
}
