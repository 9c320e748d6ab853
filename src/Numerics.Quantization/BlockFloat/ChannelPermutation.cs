// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>
/// Channel rearrangement for block quantization with outlier channels — K-sort from "Accurate Block Quantization in LLMs with
/// Outliers" (Trukhanov &amp; Soloveychik, arXiv 2403.20137): order the channels of the reduction dimension by the L2 norm of the
/// weight rows that produce them, so outlier channels share blocks and the other blocks get small shared exponents. The same
/// permutation applied to both operands of a dot product (for attention: the rows of W_q and W_k, or the channels of Q and K)
/// leaves every q·k unchanged, so the reordering costs nothing at run time.
/// </summary>
/// <remarks>
/// A permutation <c>p</c> lists, for each new position i, the original channel <c>p[i]</c>. Rotary position embeddings mix
/// channel pairs; with RoPE, apply the permutation after the rotation (to Q and K) or permute whole RoPE pairs — this type does
/// not know about RoPE.
/// </remarks>
public static class ChannelPermutation
{
    /// <summary>
    /// K-sort: the channels (rows of <paramref name="weights"/>, a row-major <paramref name="channels"/> × <paramref name="inputs"/>
    /// matrix such as W_k) ordered by decreasing L2 norm; equal norms keep their original order.
    /// </summary>
    /// <param name="weights">The weight matrix, row c producing channel c.</param>
    /// <param name="channels">Number of rows (channels).</param>
    /// <param name="inputs">Number of columns.</param>
    /// <returns>The permutation p: new position i holds original channel p[i].</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">The matrix length is not <paramref name="channels"/> × <paramref name="inputs"/>, or a weight is NaN or infinite.</exception>
    public static int[] KSort(ReadOnlySpan<float> weights, int channels, int inputs)
    {
        MatrixShape.Check(weights.Length, channels, inputs, nameof(weights));
        var norms = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int j = c * inputs; j < (c + 1) * inputs; j++)
            {
                float w = weights[j];
                if (!float.IsFinite(w))
                {
                    throw new ArgumentException($"weights[{j}] is {w}; only finite weights can be sorted.", nameof(weights));
                }

                sum += (double)w * w;
            }

            norms[c] = sum;
        }

        int[] order = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            order[c] = c;
        }

        // Stable: decreasing norm, then increasing index.
        Array.Sort(order, (a, b) => norms[a] != norms[b] ? norms[b].CompareTo(norms[a]) : a.CompareTo(b));
        return order;
    }

    /// <summary>The inverse permutation q (q[p[i]] = i), which undoes <paramref name="permutation"/>.</summary>
    /// <param name="permutation">A permutation of 0..n−1.</param>
    /// <returns>The inverse.</returns>
    /// <exception cref="ArgumentException"><paramref name="permutation"/> is not a permutation (the message names the index).</exception>
    public static int[] Invert(ReadOnlySpan<int> permutation)
    {
        CheckPermutation(permutation, permutation.Length, nameof(permutation));
        int[] inverse = new int[permutation.Length];
        for (int i = 0; i < permutation.Length; i++)
        {
            inverse[permutation[i]] = i;
        }

        return inverse;
    }

    /// <summary>destination row i = source row p[i] (permutes the channels of a weight matrix whose rows are channels).</summary>
    /// <param name="source">Row-major <paramref name="rows"/> × <paramref name="columns"/> matrix.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="permutation">A permutation of 0..rows−1.</param>
    /// <param name="destination">Receives the permuted matrix; must not overlap <paramref name="source"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">Shape mismatch, a short destination, overlap, or not a permutation.</exception>
    public static void PermuteRows(ReadOnlySpan<float> source, int rows, int columns, ReadOnlySpan<int> permutation, Span<float> destination)
    {
        CheckOperands(source, rows, columns, destination);
        CheckPermutation(permutation, rows, nameof(permutation));
        for (int i = 0; i < rows; i++)
        {
            source.Slice(permutation[i] * columns, columns).CopyTo(destination.Slice(i * columns, columns));
        }
    }

    /// <summary>destination[r, i] = source[r, p[i]] (permutes the channels of activations, queries or keys whose columns are channels).</summary>
    /// <param name="source">Row-major <paramref name="rows"/> × <paramref name="columns"/> matrix.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="permutation">A permutation of 0..columns−1.</param>
    /// <param name="destination">Receives the permuted matrix; must not overlap <paramref name="source"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">Shape mismatch, a short destination, overlap, or not a permutation.</exception>
    public static void PermuteColumns(ReadOnlySpan<float> source, int rows, int columns, ReadOnlySpan<int> permutation, Span<float> destination)
    {
        CheckOperands(source, rows, columns, destination);
        CheckPermutation(permutation, columns, nameof(permutation));
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> s = source.Slice(r * columns, columns);
            Span<float> d = destination.Slice(r * columns, columns);
            for (int i = 0; i < columns; i++)
            {
                d[i] = s[permutation[i]];
            }
        }
    }

    private static void CheckOperands(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        MatrixShape.Check(source.Length, rows, columns, nameof(source));
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"The destination needs {source.Length} values; it has {destination.Length}.", nameof(destination));
        }

        if (source.Overlaps(destination))
        {
            throw new ArgumentException("The destination overlaps the source.", nameof(destination));
        }
    }

    private static void CheckPermutation(ReadOnlySpan<int> permutation, int n, string paramName)
    {
        if (permutation.Length != n)
        {
            throw new ArgumentException($"The permutation needs {n} entries; it has {permutation.Length}.", paramName);
        }

        Span<bool> seen = n <= 1024 ? stackalloc bool[n] : new bool[n];
        for (int i = 0; i < n; i++)
        {
            int p = permutation[i];
            if ((uint)p >= (uint)n || seen[p])
            {
                throw new ArgumentException($"{paramName}[{i}] = {p} is out of range or repeated; not a permutation of 0..{n - 1}.", paramName);
            }

            seen[p] = true;
        }
    }
}
