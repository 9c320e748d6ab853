// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.ObjectModel;

namespace Numerics.Cli.IO;

/// <summary>The parsed header of a NumPy <c>.npy</c> file, validated against the file's length.</summary>
public sealed class NpyHeader
{
    internal NpyHeader(int majorVersion, string descr, TensorDType dtype, bool bigEndian, bool fortranOrder, long[] shape, long elementCount, long dataOffset)
    {
        MajorVersion = majorVersion;
        Descr = descr;
        DType = dtype;
        IsBigEndian = bigEndian;
        FortranOrder = fortranOrder;
        Shape = new ReadOnlyCollection<long>(shape);
        ElementCount = elementCount;
        DataOffset = dataOffset;
    }

    /// <summary>Gets the format version's major number: 1, 2 or 3 (the minor number is always 0).</summary>
    public int MajorVersion { get; }

    /// <summary>Gets the NumPy type string of the header, for example <c>&lt;f4</c>.</summary>
    public string Descr { get; }

    /// <summary>Gets the element type.</summary>
    public TensorDType DType { get; }

    /// <summary>Gets a value indicating whether multi-byte elements are stored big-endian.</summary>
    public bool IsBigEndian { get; }

    /// <summary>Gets a value indicating whether the elements are stored in column-major (Fortran) order.</summary>
    public bool FortranOrder { get; }

    /// <summary>Gets the dimensions (empty for a 0-d array).</summary>
    public ReadOnlyCollection<long> Shape { get; }

    /// <summary>Gets the number of elements (1 for a 0-d array).</summary>
    public long ElementCount { get; }

    /// <summary>Gets the byte offset of the first element in the file (a multiple of 64 for files NumPy writes).</summary>
    public long DataOffset { get; }

    /// <summary>Gets the length of the element data in bytes.</summary>
    public long DataLength => ElementCount * DType.GetElementSize();
}
