// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.IO;

/// <summary>Shape arithmetic shared by the readers and writers, checked against overflow.</summary>
internal static class TensorShape
{
    /// <summary>The element count of <paramref name="shape"/> (1 for a 0-d tensor), or -1 when a dimension is negative or the
    /// product of the dimensions times <paramref name="elementSize"/> overflows a <see cref="long"/>.</summary>
    public static long TryElementCount(ReadOnlySpan<long> shape, int elementSize)
    {
        long count = 1;
        bool empty = false;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                return -1;
            }

            empty |= d == 0;
        }

        if (empty)
        {
            return 0;
        }

        // No dimension is zero: a product above long.MaxValue / elementSize would overflow the byte count.
        long limit = long.MaxValue / elementSize;
        foreach (long d in shape)
        {
            if (count > limit / d)
            {
                return -1;
            }

            count *= d;
        }

        return count;
    }

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
