// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Collections.ObjectModel;

namespace Numerics.Cli.IO;

/// <summary>
/// A tensor in memory: an element type, a shape and the elements' bytes, little-endian and in row-major (C) order whatever
/// the layout of the file it came from.
/// </summary>
/// <remarks>Instances are immutable as long as the caller does not modify the array passed to the constructor (it is not copied).</remarks>
public sealed class TensorData
{
    private readonly byte[] _data;

    /// <summary>Initializes a new instance of the <see cref="TensorData"/> class over existing bytes (not copied).</summary>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions, outermost first; empty for a 0-d (scalar) tensor; any dimension may be 0.</param>
    /// <param name="data">The elements, little-endian, row-major: exactly (product of <paramref name="shape"/>) × element size bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not defined, or a dimension is negative.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="data"/> does not match the shape.</exception>
    public TensorData(TensorDType dtype, ReadOnlySpan<long> shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int size = dtype.GetElementSize();
        foreach (long d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
        }

        long count = TensorShape.TryElementCount(shape, size);
        if (count < 0 || count * size != data.Length)
        {
            throw new ArgumentException(
                $"The shape {TensorShape.Format(shape)} of {dtype} needs {(count < 0 ? "more than 2^63" : (count * size).ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes, but data has {data.Length}.",
                nameof(data));
        }

        DType = dtype;
        Shape = new ReadOnlyCollection<long>(shape.ToArray());
        ElementCount = count;
        _data = data;
    }

    /// <summary>Gets the element type.</summary>
    public TensorDType DType { get; }

    /// <summary>Gets the dimensions, outermost first (empty for a 0-d tensor).</summary>
    public ReadOnlyCollection<long> Shape { get; }

    /// <summary>Gets the number of elements: the product of <see cref="Shape"/>, 1 for a 0-d tensor.</summary>
    public long ElementCount { get; }

    /// <summary>Gets the raw elements: little-endian, row-major.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Creates a float32 tensor (the values are copied).</summary>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The shape does not match the number of values.</exception>
    public static TensorData FromSingle(ReadOnlySpan<float> values, ReadOnlySpan<long> shape)
    {
        byte[] bytes = new byte[checked(values.Length * sizeof(float))];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        return new TensorData(TensorDType.Float32, shape, bytes);
    }

    /// <summary>Creates a float64 tensor (the values are copied).</summary>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The shape does not match the number of values.</exception>
    public static TensorData FromDouble(ReadOnlySpan<double> values, ReadOnlySpan<long> shape)
    {
        byte[] bytes = new byte[checked(values.Length * sizeof(double))];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        }

        return new TensorData(TensorDType.Float64, shape, bytes);
    }

    /// <summary>Creates a float16 tensor (the values are copied).</summary>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The shape does not match the number of values.</exception>
    public static TensorData FromHalf(ReadOnlySpan<Half> values, ReadOnlySpan<long> shape)
    {
        byte[] bytes = new byte[checked(values.Length * 2)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2 * i), values[i]);
        }

        return new TensorData(TensorDType.Float16, shape, bytes);
    }

    /// <summary>Creates a 16-bit tensor (bfloat16 bit patterns, or uint16/int16 values) from 16-bit codes (copied).</summary>
    /// <param name="dtype"><see cref="TensorDType.BFloat16"/>, <see cref="TensorDType.UInt16"/>, <see cref="TensorDType.Int16"/> or <see cref="TensorDType.Float16"/>.</param>
    /// <param name="codes">The element bit patterns in row-major order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of codes.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not a 16-bit type, or the shape does not match.</exception>
    public static TensorData FromBits(TensorDType dtype, ReadOnlySpan<ushort> codes, ReadOnlySpan<long> shape)
    {
        if (dtype.GetElementSize() != 2)
        {
            throw new ArgumentException($"{dtype} is not a 16-bit type.", nameof(dtype));
        }

        byte[] bytes = new byte[checked(codes.Length * 2)];
        for (int i = 0; i < codes.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), codes[i]);
        }

        return new TensorData(dtype, shape, bytes);
    }

    /// <summary>Converts every element to float32 (see <see cref="ToSingle(Span{float})"/>).</summary>
    /// <returns>A new array of <see cref="ElementCount"/> values in row-major order.</returns>
    public float[] ToSingle()
    {
        float[] values = new float[ElementCount];
        ToSingle(values);
        return values;
    }

    /// <summary>
    /// Converts every element to float32: F32, F16 (via <see cref="Half"/>), BF16 (bit shift), FP8 (by table, NaN codes give NaN,
    /// E5M2 infinities give infinities), 8- and 16-bit integers exactly; F64 and 32/64-bit integers round to nearest even.
    /// </summary>
    /// <param name="destination">Exactly <see cref="ElementCount"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    public void ToSingle(Span<float> destination)
    {
        if (destination.Length != ElementCount)
        {
            throw new ArgumentException($"The destination has {destination.Length} elements; the tensor has {ElementCount}.", nameof(destination));
        }

        TensorConversion.ToSingle(DType, _data, destination);
    }
}
