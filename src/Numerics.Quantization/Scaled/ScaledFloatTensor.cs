// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>
/// A scaled-float-quantized row-major matrix: one element code per value (FP4 codes in the low 4 bits), one float32 scale per
/// group, the shape and the layout (<see cref="Options"/>). Value (r, c) = decode(code) · scale of its group.
/// </summary>
public sealed class ScaledFloatTensor
{
    private readonly byte[] _codes;
    private readonly float[] _scales;

    internal ScaledFloatTensor(int rows, int columns, ScaledFloatOptions options, byte[] codes, float[] scales)
    {
        Rows = rows;
        Columns = columns;
        Options = options;
        _codes = codes;
        _scales = scales;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Number of values (rows × columns).</summary>
    public int Length => Rows * Columns;

    /// <summary>The options the tensor was quantized with.</summary>
    public ScaledFloatOptions Options { get; }

    /// <summary>The element format (<see cref="ScaledFloatQuantizer.Format"/> of <see cref="ScaledFloatOptions.Element"/>).</summary>
    public FloatFormat Format => ScaledFloatQuantizer.Format(Options.Element);

    /// <summary>One code per value, row-major, unpacked (FP4: low nibble).</summary>
    public ReadOnlyMemory<byte> Codes => _codes;

    /// <summary>One float32 scale per group, in group order (see <see cref="GroupIndex"/>).</summary>
    public ReadOnlyMemory<float> Scales => _scales;

    /// <summary>Storage in bits: element bits per value plus 32 bits per scale.</summary>
    public long StorageBits => ((long)Length * Format.BitCount) + (32L * _scales.Length);

    /// <summary>The group (index into <see cref="Scales"/>) of element (<paramref name="row"/>, <paramref name="column"/>).</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column index.</param>
    /// <returns>The group index.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public int GroupIndex(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)column, (uint)Columns, nameof(column));
        return IntegerQuantizer.GroupOf(ScaledFloatQuantizer.Layout(Options), Rows, Columns, row, column);
    }

    /// <summary>Writes the dequantized values, decode(code) · scale rounded once to float32, in row-major order.</summary>
    /// <param name="destination">At least <see cref="Length"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void Dequantize(Span<float> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The destination needs {Length} values; it has {destination.Length}.", nameof(destination));
        }

        Format.Decode(_codes, destination[..Length]); // exact in float32
        IntegerQuantizationOptions layout = ScaledFloatQuantizer.Layout(Options);
        if (Options.Granularity == QuantizationGranularity.PerTensor)
        {
            float scale = Length == 0 ? 0 : _scales[0];
            for (int k = 0; k < Length; k++)
            {
                destination[k] *= scale;
            }

            return;
        }

        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                destination[(r * Columns) + c] *= _scales[IntegerQuantizer.GroupOf(layout, Rows, Columns, r, c)];
            }
        }
    }

    /// <summary>Returns the dequantized values as a new array (see <see cref="Dequantize"/>).</summary>
    /// <returns>Rows × columns floats, row-major.</returns>
    public float[] ToFloat()
    {
        var result = new float[Length];
        Dequantize(result);
        return result;
    }
}
