// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.Report;

/// <summary>A named float32 tensor in row-major order.</summary>
internal sealed record NamedTensor(string Name, int[] Shape, float[] Data);

/// <summary>
/// The built-in, seeded, LLM-like tensors the report runs on when no file is given: a Gaussian weight matrix with a few
/// outlier input channels (as in LLM projection weights) and an activation matrix with a few large-magnitude channels
/// (the outlier features of LLM.int8() and SmoothQuant).
/// </summary>
internal static class DefaultTensors
{
    public const ulong Seed = 20261126;

    public static IEnumerable<NamedTensor> Create(int rows, int columns, int activationRows)
    {
        yield return Weight(rows, columns);
        yield return Activations(activationRows, columns);
    }

    public static NamedTensor Weight(int rows, int columns)
    {
        var rng = new SplitMix64(Seed);
        float[] data = new float[checked(rows * columns)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(0.02 * rng.NextGaussian());
        }

        // Eight input channels (columns) with 10-30x larger weights.
        for (int k = 0; k < Math.Min(8, columns); k++)
        {
            int column = (int)(rng.NextUInt64() % (ulong)columns);
            float factor = (float)(10 + (20 * rng.NextDouble()));
            for (int r = 0; r < rows; r++)
            {
                data[(r * columns) + column] *= factor;
            }
        }

        return new NamedTensor("default.weight", [rows, columns], data);
    }

    public static NamedTensor Activations(int rows, int columns)
    {
        var rng = new SplitMix64(Seed + 1);
        float[] data = new float[checked(rows * columns)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)rng.NextGaussian();
        }

        // Six feature channels with magnitudes around 60 (LLM.int8() "emergent outliers").
        for (int k = 0; k < Math.Min(6, columns); k++)
        {
            int column = (int)(rng.NextUInt64() % (ulong)columns);
            for (int r = 0; r < rows; r++)
            {
                data[(r * columns) + column] = (float)(60 + (5 * rng.NextGaussian()));
            }
        }

        return new NamedTensor("default.activations", [rows, columns], data);
    }
}

/// <summary>SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator, identical on every platform and .NET version.</summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal via Box–Muller (one value per call; simple and deterministic).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
