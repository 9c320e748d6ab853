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

    /// <summary>
    /// The value of every code of an 8-bit signed format, from its definition: sign, exponent field e and fraction f give
    /// f·2^(1−bias−m) when e = 0 and (1 + f/2^m)·2^(e−bias) otherwise; the special codes follow <see cref="FloatFormat.SpecialValues"/>.
    /// </summary>
    internal static float[] BuildDecodeTable(FloatFormat format)
    {
        if (format.BitCount != 8 || !format.IsSigned)
        {
            throw new ArgumentException("Only signed 8-bit formats have a byte decode table.", nameof(format));
        }

        int m = format.MantissaBits;
        int exponentMask = (1 << format.ExponentBits) - 1;
        int fractionMask = (1 << m) - 1;
        float[] table = new float[256];
        for (int code = 0; code < 256; code++)
        {
            bool negative = (code & 0x80) != 0;
            int e = (code >> m) & exponentMask;
            int f = code & fractionMask;
            double magnitude = e == 0 ? Math.ScaleB(f, 1 - format.ExponentBias - m) : Math.ScaleB((1 << m) + f, e - format.ExponentBias - m);
            bool allOnesExponent = e == exponentMask;
            magnitude = format.SpecialValues switch
            {
                SpecialValueEncoding.Ieee when allOnesExponent => f == 0 ? double.PositiveInfinity : double.NaN,
                SpecialValueEncoding.FiniteAllOnesNaN when allOnesExponent && f == fractionMask => double.NaN,
                SpecialValueEncoding.FiniteNegativeZeroNaN when code == 0x80 => double.NaN,
                _ => magnitude,
            };

            // Every FP8 value is exact in binary32 (at most 4 significand bits, exponents within range).
            table[code] = (float)(negative ? -magnitude : magnitude);
        }

        return table;
    }
}
