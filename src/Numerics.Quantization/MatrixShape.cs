// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>The one argument check for a row-major matrix passed as a span with its dimensions.</summary>
internal static class MatrixShape
{
    /// <summary>Throws unless both dimensions are non-negative and the span holds exactly rows × columns values.</summary>
    /// <param name="length">The span's length.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    /// <param name="paramName">The span argument named in the exception.</param>
    internal static void Check(int length, int rows, int columns, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != length)
        {
            throw new ArgumentException($"A {rows} x {columns} matrix has {(long)rows * columns} values; the span has {length}.", paramName);
        }
    }
}
