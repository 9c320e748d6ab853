// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.IO;

/// <summary>Options of <see cref="NpyFile.Read(string, NpyReadOptions?)"/>.</summary>
public sealed class NpyReadOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether 16-bit unsigned and 2-byte void arrays (<c>&lt;u2</c>, <c>&gt;u2</c>,
    /// <c>|V2</c>, <c>&lt;V2</c>) hold bfloat16 bit patterns. NumPy has no bfloat16 type string: PyTorch users save
    /// <c>t.view(torch.uint16).numpy()</c> (<c>&lt;u2</c>) and ml_dtypes arrays are saved as a 2-byte void (<c>V2</c>).
    /// When <see langword="false"/> (the default) <c>u2</c> reads as <see cref="TensorDType.UInt16"/> and <c>V2</c> is rejected.
    /// </summary>
    public bool UInt16AsBFloat16 { get; set; }

    /// <summary>Gets or sets the largest header accepted, in bytes (default 1 MiB; NumPy itself refuses more than 10 000 by default).</summary>
    public int MaxHeaderLength { get; set; } = 1 << 20;
}
