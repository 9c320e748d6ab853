// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>
/// An integer-quantized row-major matrix: packed codes, one scale and zero point per group, the shape and the layout
/// (<see cref="Options"/>). Value (r, c) = (code − zero point) · scale of its group.
/// </summary>
/// <remarks>
/// Codes are stored as n-bit patterns (two's complement when signed) in a little-endian bit stream: element k (row-major) at
/// bits n·k … n·k + n − 1, so INT4 puts element 2i in the low nibble and 2i+1 in the high nibble, INT2 four per byte from
/// bit 0, INT3 eight per three bytes, INT8 one per byte.
/// </remarks>
public sealed class QuantizedTensor
{
    private readonly byte[] _data;
    private readonly float[] _scales;
    private readonly int[] _zeroPoints;

    internal QuantizedTensor(int rows, int columns, IntegerQuantizationOptions options, byte[] data, float[] scales, int[] zeroPoints)
    {
        Rows = rows;
        Columns = columns;
        Options = options;
        _data = data;
        _scales = scales;
        _zeroPoints = zeroPoints;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Number of values (rows × columns).</summary>
    public int Length => Rows * Columns;

    /// <summary>The options the tensor was quantized with (bits, signedness, symmetry, granularity, axis, group size, rounding).</summary>
    public IntegerQuantizationOptions Options { get; }

    /// <summary>The packed codes (see the class remarks for the bit layout).</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>One float32 scale per group, in group order (see <see cref="GroupIndex"/>).</summary>
    public ReadOnlyMemory<float> Scales => _scales;

    /// <summary>One integer zero point per group (0 for signed symmetric quantization).</summary>
    public ReadOnlyMemory<int> ZeroPoints => _zeroPoints;

    /// <summary>The group (index into <see cref="Scales"/>) of element (<paramref name="row"/>, <paramref name="column"/>).</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column index.</param>
    /// <returns>The group index.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public int GroupIndex(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)column, (uint)Columns, nameof(column));
        return IntegerQuantizer.GroupOf(Options, Rows, Columns, row, column);
    }

    /// <summary>The integer code of element (<paramref name="row"/>, <paramref name="column"/>), sign-extended when signed.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column index.</param>
    /// <returns>The code.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public int GetCode(int row, int column)
    {
        _ = GroupIndex(row, column);
        return CodeAt((row * Columns) + column);
    }

    /// <summary>
    /// Writes the dequantized values, (code − zero point) · scale rounded once to float32, in row-major order (vectorized for
    /// INT8 and INT4 with contiguous groups; the same bits on every instruction-set tier).
    /// </summary>
    /// <param name="destination">At least <see cref="Length"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void Dequantize(Span<float> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The destination needs {Length} values; it has {destination.Length}.", nameof(destination));
        }

        if (IntegerKernels.Supports(Options, Rows, Columns))
        {
            IntegerKernels.Dequantize(this, _data, _scales, _zeroPoints, destination, IntegerKernels.BestWidth);
            return;
        }

        DequantizeReference(destination);
    }

    /// <summary>The scalar reference of <see cref="Dequantize"/> (the vector paths must reproduce its bits).</summary>
    internal void DequantizeReference(Span<float> destination)
    {
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                int g = IntegerQuantizer.GroupOf(Options, Rows, Columns, r, c);
                int k = (r * Columns) + c;
                destination[k] = (CodeAt(k) - _zeroPoints[g]) * _scales[g];
            }
        }
    }

    /// <summary>The vectorized dequantization at a given width (512, 256, 128 or 1 = scalar loop), for tests; layouts that <see cref="IntegerKernels.Supports"/> accepts.</summary>
    internal void DequantizeWidth(Span<float> destination, int width) => IntegerKernels.Dequantize(this, _data, _scales, _zeroPoints, destination, width);

    /// <summary>Returns the dequantized values as a new array (see <see cref="Dequantize"/>).</summary>
    /// <returns>Rows × columns floats, row-major.</returns>
    public float[] ToFloat()
    {
        var result = new float[Length];
        Dequantize(result);
        return result;
    }

    private int CodeAt(int k)
    {
        int bits = Options.Bits;
        int raw = BitPacking.Get(bits, (1 << bits) - 1, _data, k);
        return Options.IsSigned ? (raw << (32 - bits)) >> (32 - bits) : raw;
    }
}
