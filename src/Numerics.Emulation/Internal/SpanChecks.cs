// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Emulation.Internal;

/// <summary>Argument checks shared by every span operation of the package.</summary>
internal static class SpanChecks
{
    /// <summary>Requires equal lengths and either no overlap or exact aliasing (in place).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The input span.</param>
    /// <param name="destination">The output span.</param>
    /// <exception cref="ArgumentException">The lengths differ, or the spans overlap without starting at the same element.</exception>
    public static void Unary<T>(ReadOnlySpan<T> source, Span<T> destination)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException(
                $"The destination length ({destination.Length}) must equal the source length ({source.Length}).", nameof(destination));
        }

        if (source.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException(
                "The destination overlaps the source partially; only exact aliasing (in place) is allowed.", nameof(destination));
        }
    }

    /// <summary>Requires <paramref name="value"/> ≥ 1 for a degree of parallelism.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter or property name.</param>
    public static void DegreeOfParallelism(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, "The degree of parallelism must be at least 1.");
        }
    }
}
