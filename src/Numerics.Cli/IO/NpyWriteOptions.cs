// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.IO;

/// <summary>Options of <see cref="NpyFile.Write(string, TensorData, NpyWriteOptions?)"/>.</summary>
public sealed class NpyWriteOptions
{
    /// <summary>Gets or sets a value indicating whether to store the elements in column-major (Fortran) order.</summary>
    public bool FortranOrder { get; set; }

    /// <summary>Gets or sets a value indicating whether to store multi-byte elements big-endian (<c>&gt;f4</c>).</summary>
    public bool BigEndian { get; set; }

    /// <summary>
    /// Gets or sets the format version to write: 1, 2 or 3 (x.0), or 0 (the default) for the smallest that fits, as NumPy
    /// does: 1.0 unless the header needs more than 65 535 bytes. Version 3.0 marks the header as UTF-8 instead of Latin-1.
    /// </summary>
    public int Version { get; set; }
}
