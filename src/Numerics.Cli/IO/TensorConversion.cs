// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Numerics.Formats;

namespace Numerics.Cli.IO;

/// <summary>Widens little-endian stored elements of any <see cref="TensorDType"/> to float32.</summary>
internal static class TensorConversion
{
    private static readonly float[] s_e4m3fn = BuildDecodeTable(FloatFormat.E4M3FN);
    private static readonly float[] s_e5m2 = BuildDecodeTable(FloatFormat.E5M2);

    /// <summary>
    /// Converts <paramref name="source"/> (little-endian elements of <paramref name="dtype"/>) to float32. Float64 rounds to
    /// nearest even once; 32- and 64-bit integers round to nearest even; every other type converts exactly (F16 via
    /// <see cref="Half"/>, BF16 by shifting the bits into the top half of a binary32, FP8 through a 256-entry table).
    /// </summary>
    public static void ToSingle(TensorDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        int size = dtype.GetElementSize();
        if (source.Length != destination.Length * size)
        {
            throw new ArgumentException($"Expected {destination.Length * (long)size} bytes, got {source.Length}.", nameof(source));
        }

        switch (dtype)
        {
            case TensorDType.Float32:
                if (BitConverter.IsLittleEndian)
                {
                    MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                }
                else
                {
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                    }
                }

                break;
            case TensorDType.Float16:
                if (BitConverter.IsLittleEndian)
                {
                    TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                }
                else
                {
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(2 * i)..]);
                    }
                }

                break;
            case TensorDType.BFloat16:
                // bfloat16 is the top 16 bits of a binary32: widening is exact, NaN payloads and signs included.
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]) << 16);
                }

                break;
            case TensorDType.Float64:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
                }

                break;
            case TensorDType.Float8E4M3FN:
                Lookup(s_e4m3fn, source, destination);
                break;
            case TensorDType.Float8E5M2:
                Lookup(s_e5m2, source, destination);
                break;
            case TensorDType.Int8:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (sbyte)source[i];
                }

                break;
            case TensorDType.UInt8:
            case TensorDType.Bool:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = dtype == TensorDType.Bool ? (source[i] != 0 ? 1 : 0) : source[i];
                }

                break;
            case TensorDType.Int16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(2 * i)..]);
                }

                break;
            case TensorDType.UInt16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]);
                }

                break;
            case TensorDType.Int32:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]);
                }

                break;
            case TensorDType.UInt32:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadUInt32LittleEndian(source[(4 * i)..]);
                }

                break;
            case TensorDType.Int64:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]);
                }

                break;
            case TensorDType.UInt64:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadUInt64LittleEndian(source[(8 * i)..]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor element type.");
        }
    }

    private static void Lookup(float[] table, ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    /// <summary>The float32 value of every code of an 8-bit format, from <see cref="FloatFormat.Decode(ulong)"/> (exact: FP8 values fit binary32).</summary>
    internal static float[] BuildDecodeTable(FloatFormat format)
    {
        if (format.BitCount != 8)
        {
            throw new ArgumentException("Only 8-bit formats have a byte decode table.", nameof(format));
        }

        float[] table = new float[256];
        for (int code = 0; code < table.Length; code++)
        {
            table[code] = (float)format.Decode((ulong)code);
        }

        return table;
    }
}
