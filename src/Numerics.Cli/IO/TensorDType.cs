// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.IO;

/// <summary>The element type of a tensor stored in a <c>.npy</c> or <c>.safetensors</c> file.</summary>
/// <remarks>
/// Every type is stored little-endian in memory (<see cref="TensorData.Data"/>). The safetensors spelling is given for each
/// member; <see cref="NpyFile"/> supports every type except the two FP8 types, which NumPy has no type string for.
/// </remarks>
// The members are element type names (as TypeCode and safetensors spell them); naming them after the CLR types is the point.
#pragma warning disable CA1720 // Identifier contains type name
public enum TensorDType
{
    /// <summary>IEEE binary32 (<c>F32</c>, NumPy <c>&lt;f4</c>).</summary>
    Float32,

    /// <summary>IEEE binary16 (<c>F16</c>, NumPy <c>&lt;f2</c>), decoded with <see cref="Half"/>.</summary>
    Float16,

    /// <summary>bfloat16, the top half of a binary32 (<c>BF16</c>; in NumPy files stored as <c>&lt;u2</c>, see <see cref="NpyReadOptions.UInt16AsBFloat16"/>).</summary>
    BFloat16,

    /// <summary>IEEE binary64 (<c>F64</c>, NumPy <c>&lt;f8</c>).</summary>
    Float64,

    /// <summary>Signed 8-bit integer (<c>I8</c>, NumPy <c>|i1</c>).</summary>
    Int8,

    /// <summary>Unsigned 8-bit integer (<c>U8</c>, NumPy <c>|u1</c>).</summary>
    UInt8,

    /// <summary>OCP OFP8 E4M3 (<c>F8_E4M3</c>): ml_dtypes <c>float8_e4m3fn</c>, bias 7, max 448, no infinities, S.1111.111 is NaN.</summary>
    Float8E4M3FN,

    /// <summary>OCP OFP8 E5M2 (<c>F8_E5M2</c>): IEEE-like, bias 15, max 57344, with infinities and NaNs.</summary>
    Float8E5M2,

    /// <summary>Boolean, one byte per element (<c>BOOL</c>, NumPy <c>|b1</c>); raw bytes only, read as 0 or 1.</summary>
    Bool,

    /// <summary>Signed 16-bit integer (<c>I16</c>, NumPy <c>&lt;i2</c>).</summary>
    Int16,

    /// <summary>Unsigned 16-bit integer (<c>U16</c>, NumPy <c>&lt;u2</c> unless read as bfloat16).</summary>
    UInt16,

    /// <summary>Signed 32-bit integer (<c>I32</c>, NumPy <c>&lt;i4</c>).</summary>
    Int32,

    /// <summary>Unsigned 32-bit integer (<c>U32</c>, NumPy <c>&lt;u4</c>).</summary>
    UInt32,

    /// <summary>Signed 64-bit integer (<c>I64</c>, NumPy <c>&lt;i8</c>).</summary>
    Int64,

    /// <summary>Unsigned 64-bit integer (<c>U64</c>, NumPy <c>&lt;u8</c>).</summary>
    UInt64,
}
#pragma warning restore CA1720
