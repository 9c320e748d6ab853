// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.IO;

/// <summary>Sizes, names and classification of <see cref="TensorDType"/> values.</summary>
public static class TensorDTypeExtensions
{
    /// <summary>Gets the size of one element in bytes.</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined value.</exception>
    public static int GetElementSize(this TensorDType dtype) => dtype switch
    {
        TensorDType.Int8 or TensorDType.UInt8 or TensorDType.Bool or TensorDType.Float8E4M3FN or TensorDType.Float8E5M2 => 1,
        TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Int16 or TensorDType.UInt16 => 2,
        TensorDType.Float32 or TensorDType.Int32 or TensorDType.UInt32 => 4,
        TensorDType.Float64 or TensorDType.Int64 or TensorDType.UInt64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor element type."),
    };

    /// <summary>Gets a value indicating whether the type is a floating-point format (F64, F32, F16, BF16, F8_E4M3, F8_E5M2).</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns><see langword="true"/> for the floating-point types.</returns>
    public static bool IsFloatingPoint(this TensorDType dtype) =>
        dtype is TensorDType.Float32 or TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Float64
            or TensorDType.Float8E4M3FN or TensorDType.Float8E5M2;

    /// <summary>Gets the safetensors spelling of the type (<c>F32</c>, <c>BF16</c>, <c>F8_E4M3</c>, ...).</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns>The dtype string of the safetensors JSON header.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined value.</exception>
    public static string ToSafetensorsName(this TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "F32",
        TensorDType.Float16 => "F16",
        TensorDType.BFloat16 => "BF16",
        TensorDType.Float64 => "F64",
        TensorDType.Int8 => "I8",
        TensorDType.UInt8 => "U8",
        TensorDType.Float8E4M3FN => "F8_E4M3",
        TensorDType.Float8E5M2 => "F8_E5M2",
        TensorDType.Bool => "BOOL",
        TensorDType.Int16 => "I16",
        TensorDType.UInt16 => "U16",
        TensorDType.Int32 => "I32",
        TensorDType.UInt32 => "U32",
        TensorDType.Int64 => "I64",
        TensorDType.UInt64 => "U64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor element type."),
    };

    /// <summary>Parses a safetensors dtype string.</summary>
    /// <param name="name">The dtype string, case-sensitive as in the specification.</param>
    /// <param name="dtype">The element type when the name is known.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is one of the supported safetensors dtypes.</returns>
    public static bool TryParseSafetensorsName(string? name, out TensorDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = TensorDType.Float32; return true;
            case "F16": dtype = TensorDType.Float16; return true;
            case "BF16": dtype = TensorDType.BFloat16; return true;
            case "F64": dtype = TensorDType.Float64; return true;
            case "I8": dtype = TensorDType.Int8; return true;
            case "U8": dtype = TensorDType.UInt8; return true;
            case "F8_E4M3": dtype = TensorDType.Float8E4M3FN; return true;
            case "F8_E5M2": dtype = TensorDType.Float8E5M2; return true;
            case "BOOL": dtype = TensorDType.Bool; return true;
            case "I16": dtype = TensorDType.Int16; return true;
            case "U16": dtype = TensorDType.UInt16; return true;
            case "I32": dtype = TensorDType.Int32; return true;
            case "U32": dtype = TensorDType.UInt32; return true;
            case "I64": dtype = TensorDType.Int64; return true;
            case "U64": dtype = TensorDType.UInt64; return true;
            default: dtype = default; return false;
        }
    }
}
