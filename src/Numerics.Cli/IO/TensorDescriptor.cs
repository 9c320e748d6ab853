// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.ObjectModel;

namespace Numerics.Cli.IO;

/// <summary>The name, element type and shape of a tensor to be written by a <see cref="SafetensorsWriter"/>.</summary>
public sealed class TensorDescriptor
{
    /// <summary>Initializes a new instance of the <see cref="TensorDescriptor"/> class.</summary>
    /// <param name="name">The tensor's name (any string except <c>__metadata__</c>).</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions (empty for a 0-d tensor; dimensions may be 0).</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <c>__metadata__</c>, or the shape's byte size overflows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or <paramref name="dtype"/> is not defined.</exception>
    public TensorDescriptor(string name, TensorDType dtype, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == SafetensorsFile.MetadataKey)
        {
            throw new ArgumentException($"'{SafetensorsFile.MetadataKey}' is reserved for the metadata map.", nameof(name));
        }

        foreach (long d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
        }

        int size = dtype.GetElementSize();
        long count = TensorShape.TryElementCount(shape, size);
        if (count < 0)
        {
            throw new ArgumentException($"The shape {TensorShape.Format(shape)} has more than 2^63 bytes.", nameof(shape));
        }

        Name = name;
        DType = dtype;
        Shape = new ReadOnlyCollection<long>(shape.ToArray());
        ElementCount = count;
    }

    /// <summary>Gets the tensor's name.</summary>
    public string Name { get; }

    /// <summary>Gets the element type.</summary>
    public TensorDType DType { get; }

    /// <summary>Gets the dimensions.</summary>
    public ReadOnlyCollection<long> Shape { get; }

    /// <summary>Gets the number of elements (1 for a 0-d tensor).</summary>
    public long ElementCount { get; }

    /// <summary>Gets the number of bytes of the tensor's data.</summary>
    public long ByteLength => ElementCount * DType.GetElementSize();
}
