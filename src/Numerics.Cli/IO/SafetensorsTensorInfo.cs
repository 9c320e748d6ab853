// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.ObjectModel;

namespace Numerics.Cli.IO;

/// <summary>One tensor entry of a safetensors header, validated against the file.</summary>
public sealed class SafetensorsTensorInfo
{
    internal SafetensorsTensorInfo(string name, TensorDType dtype, long[] shape, long elementCount, long dataBegin, long dataEnd, long fileOffset)
    {
        Name = name;
        DType = dtype;
        Shape = new ReadOnlyCollection<long>(shape);
        ElementCount = elementCount;
        DataBegin = dataBegin;
        DataEnd = dataEnd;
        FileOffset = fileOffset;
    }

    /// <summary>Gets the tensor's name (the key in the JSON header).</summary>
    public string Name { get; }

    /// <summary>Gets the element type.</summary>
    public TensorDType DType { get; }

    /// <summary>Gets the dimensions (empty for a 0-d tensor).</summary>
    public ReadOnlyCollection<long> Shape { get; }

    /// <summary>Gets the number of elements (1 for a 0-d tensor).</summary>
    public long ElementCount { get; }

    /// <summary>Gets the start of the tensor's bytes, relative to the start of the data section (<c>data_offsets[0]</c>).</summary>
    public long DataBegin { get; }

    /// <summary>Gets the end (exclusive) of the tensor's bytes, relative to the start of the data section (<c>data_offsets[1]</c>).</summary>
    public long DataEnd { get; }

    /// <summary>Gets the absolute position of the tensor's first byte in the file.</summary>
    public long FileOffset { get; }

    /// <summary>Gets the number of bytes of the tensor's data.</summary>
    public long ByteLength => DataEnd - DataBegin;
}
