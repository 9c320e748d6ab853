// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Numerics.Cli.IO;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0): one array of any shape (0-d and empty
/// included), little- or big-endian, in C or Fortran order.
/// </summary>
/// <remarks>
/// <para>
/// Layout (numpy/lib/format.py): the magic <c>\x93NUMPY</c>, the major and minor version bytes, the header length (2 bytes
/// little-endian in 1.0, 4 bytes in 2.0 and 3.0), the header (a Python dict literal, Latin-1 in 1.0/2.0 and UTF-8 in 3.0,
/// padded with spaces and a final newline so the data starts at a multiple of 64), then the elements.
/// </para>
/// <para>
/// Supported type strings: <c>f2 f4 f8</c>, <c>i1 u1 b1</c>, <c>i2 u2 i4 u4 i8 u8</c> with any byte-order character
/// (<c>&lt; &gt; | =</c>), and bfloat16 stored as <c>u2</c> or as a 2-byte void <c>V2</c> when
/// <see cref="NpyReadOptions.UInt16AsBFloat16"/> is set. The FP8 types have no NumPy type string and are rejected.
/// </para>
/// <para>
/// Untrusted input: the header is read and validated first (length capped, dict parsed strictly, shape product checked for
/// overflow, data length checked against the file length, no trailing bytes), and only then are exactly the elements'
/// bytes read. Every problem gives an <see cref="InvalidDataException"/> whose one-line message starts with the path.
/// </para>
/// </remarks>
public static class NpyFile
{
    /// <summary>The six magic bytes that start every <c>.npy</c> file (not <c>"\x93NUMPY"u8</c>, which encodes U+0093 as C2 93).</summary>
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private const int Alignment = 64;

    /// <summary>Reads and validates the header of a <c>.npy</c> file without reading its elements.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Read options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The header.</returns>
    /// <exception cref="InvalidDataException">The file is not a well-formed <c>.npy</c> file of a supported type; the message names the file and the problem.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static NpyHeader ReadHeader(string path, NpyReadOptions? options = null)
    {
        using SafeFileHandle handle = TensorFileIO.OpenRead(path);
        return ReadHeaderCore(handle, path, options ?? new NpyReadOptions());
    }

    /// <summary>Reads a <c>.npy</c> file into memory, converted to little-endian row-major order.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Read options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The array.</returns>
    /// <exception cref="InvalidDataException">The file is malformed (see <see cref="ReadHeader"/>).</exception>
    /// <exception cref="NotSupportedException">The array has more bytes than one .NET array can hold.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static TensorData Read(string path, NpyReadOptions? options = null)
    {
        using SafeFileHandle handle = TensorFileIO.OpenRead(path);
        NpyHeader header = ReadHeaderCore(handle, path, options ?? new NpyReadOptions());
        int length = TensorFileIO.CheckLoadable(path, "the array", header.DataLength);
        int size = header.DType.GetElementSize();
        byte[] data = new byte[length];
        TensorFileIO.ReadExactly(handle, path, data, header.DataOffset);
        if (header.IsBigEndian)
        {
            TensorFileIO.SwapBytes(data, size);
        }

        if (header.FortranOrder && header.Shape.Count > 1)
        {
            byte[] rowMajor = new byte[length];
            TensorFileIO.Transpose(data, rowMajor, [.. header.Shape], size, toRowMajor: true);
            data = rowMajor;
        }

        return new TensorData(header.DType, [.. header.Shape], data);
    }

    /// <summary>Writes a tensor as a <c>.npy</c> file (streamed out in chunks), replacing any existing file.</summary>
    /// <param name="path">The file to create.</param>
    /// <param name="tensor">The tensor; its type must not be an FP8 type. bfloat16 is written as <c>u2</c>.</param>
    /// <param name="options">Layout options, or <see langword="null"/> for version 1.0, little-endian, C order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The type has no NumPy type string, or the requested version is not 0-3 or too small for the header.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, TensorData tensor, NpyWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensor);
        options ??= new NpyWriteOptions();
        if (options.Version is < 0 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Version, "The npy version must be 0 (automatic), 1, 2 or 3.");
        }

        int size = tensor.DType.GetElementSize();
        byte[] header = BuildHeader(tensor, options);
        ReadOnlyMemory<byte> layout = tensor.Data;
        byte[]? copy = null;
        if (options.FortranOrder && tensor.Shape.Count > 1)
        {
            copy = new byte[layout.Length];
            TensorFileIO.Transpose(layout.Span, copy, [.. tensor.Shape], size, toRowMajor: false);
        }

        if (options.BigEndian && size > 1)
        {
            copy ??= layout.ToArray();
            TensorFileIO.SwapBytes(copy, size);
        }

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        stream.Write(header);
        stream.Write(copy is null ? layout.Span : copy);
    }

    private static byte[] BuildHeader(TensorData tensor, NpyWriteOptions options)
    {
        string order = tensor.DType.GetElementSize() == 1 ? "|" : options.BigEndian ? ">" : "<";
        string descr = order + tensor.DType switch
        {
            TensorDType.Float32 => "f4",
            TensorDType.Float16 => "f2",
            TensorDType.Float64 => "f8",
            TensorDType.BFloat16 or TensorDType.UInt16 => "u2",
            TensorDType.Int8 => "i1",
            TensorDType.UInt8 => "u1",
            TensorDType.Bool => "b1",
            TensorDType.Int16 => "i2",
            TensorDType.Int32 => "i4",
            TensorDType.UInt32 => "u4",
            TensorDType.Int64 => "i8",
            TensorDType.UInt64 => "u8",
            _ => throw new ArgumentException($"{tensor.DType} has no NumPy type string; write it as .safetensors.", nameof(tensor)),
        };

        // Python's repr of a tuple: (), (3,), (3, 4).
        string shape = tensor.Shape.Count == 1
            ? $"({tensor.Shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : "(" + string.Join(", ", tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(options.FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";

        int version = options.Version;
        if (version == 0)
        {
            version = Padded(dict.Length, 10) <= ushort.MaxValue ? 1 : 2;
        }

        int prefix = version == 1 ? 10 : 12;
        int headerLength = Padded(dict.Length, prefix);
        if (version == 1 && headerLength > ushort.MaxValue)
        {
            throw new ArgumentException($"The header needs {headerLength} bytes, more than version 1.0 allows; use version 2.", nameof(options));
        }

        byte[] bytes = new byte[prefix + headerLength];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)version;
        bytes[7] = 0;
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        }

        // The dict is ASCII, so Latin-1 and UTF-8 agree. Pad with spaces, end with '\n', data aligned to 64 bytes.
        Span<byte> text = bytes.AsSpan(prefix);
        text.Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, text);
        text[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>The header length (dict + spaces + newline) that makes the data start at a multiple of 64.</summary>
    private static int Padded(int dictLength, int prefix) => checked(((prefix + dictLength + 1 + Alignment - 1) / Alignment * Alignment) - prefix);

    private static NpyHeader ReadHeaderCore(SafeFileHandle handle, string path, NpyReadOptions options)
    {
        long fileLength = RandomAccess.GetLength(handle);
        Span<byte> preamble = stackalloc byte[12];
        if (fileLength < 10)
        {
            throw TensorFileError.Create(path, $"truncated npy header: the file has {fileLength} bytes, fewer than the 10-byte preamble");
        }

        preamble = preamble[..(int)Math.Min(12, fileLength)];
        TensorFileIO.ReadExactly(handle, path, preamble, 0);
        if (!preamble.StartsWith(Magic))
        {
            throw TensorFileError.Create(path, "not an npy file (missing the \\x93NUMPY magic)");
        }

        int major = preamble[6], minor = preamble[7];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw TensorFileError.Create(path, $"unsupported npy format version {major}.{minor} (known: 1.0, 2.0, 3.0)");
        }

        int prefix = major == 1 ? 10 : 12;
        if (fileLength < prefix)
        {
            throw TensorFileError.Create(path, $"truncated npy header: the file has {fileLength} bytes, fewer than the {prefix}-byte preamble of version {major}.0");
        }

        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (headerLength > options.MaxHeaderLength)
        {
            throw TensorFileError.Create(path, $"npy header length {headerLength} is larger than the {options.MaxHeaderLength}-byte limit");
        }

        if (prefix + headerLength > fileLength)
        {
            throw TensorFileError.Create(path, $"truncated npy header: header length {headerLength} runs past the end of the {fileLength}-byte file");
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent((int)headerLength);
        string text;
        try
        {
            Span<byte> headerBytes = rented.AsSpan(0, (int)headerLength);
            TensorFileIO.ReadExactly(handle, path, headerBytes, prefix);
            text = major == 3 ? DecodeUtf8(headerBytes, path) : Encoding.Latin1.GetString(headerBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        (string descr, bool fortran, long[] shape) = NpyHeaderParser.Parse(text, path);
        (TensorDType dtype, bool bigEndian) = ParseDescr(descr, path, options);
        int size = dtype.GetElementSize();
        long count = TensorShape.TryElementCount(shape, size);
        if (count < 0)
        {
            throw TensorFileError.Create(path, $"npy shape {TensorShape.Format(shape)} has more than 2^63 bytes");
        }

        long dataOffset = prefix + headerLength;
        long declared = count * size, present = fileLength - dataOffset;
        if (present < declared)
        {
            throw TensorFileError.Create(path, $"truncated data: shape {TensorShape.Format(shape)} of '{descr}' needs {declared} bytes, the file has {present} after the header");
        }

        if (present > declared)
        {
            throw TensorFileError.Create(path, $"{present - declared} unexpected bytes after the {declared} bytes that shape {TensorShape.Format(shape)} of '{descr}' declares");
        }

        return new NpyHeader(major, descr, dtype, bigEndian, fortran, shape, count, dataOffset);
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string path)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw TensorFileError.Create(path, "npy 3.0 header is not valid UTF-8", e);
        }
    }

    private static (TensorDType DType, bool BigEndian) ParseDescr(string descr, string path, NpyReadOptions options)
    {
        if (descr.Length < 3 || descr[0] is not ('<' or '>' or '|' or '='))
        {
            throw TensorFileError.Create(path, $"npy header: unsupported dtype {TensorFileError.Quote(descr)} (expected a byte order, a kind and a size, like '<f4')");
        }

        bool bigEndian = descr[0] == '>' || (descr[0] == '=' && !BitConverter.IsLittleEndian);
        TensorDType? dtype = descr.AsSpan(1) switch
        {
            "f2" => TensorDType.Float16,
            "f4" => TensorDType.Float32,
            "f8" => TensorDType.Float64,
            "i1" => TensorDType.Int8,
            "u1" => TensorDType.UInt8,
            "b1" => TensorDType.Bool,
            "i2" => TensorDType.Int16,
            "u2" => options.UInt16AsBFloat16 ? TensorDType.BFloat16 : TensorDType.UInt16,
            "V2" when options.UInt16AsBFloat16 => TensorDType.BFloat16,
            "i4" => TensorDType.Int32,
            "u4" => TensorDType.UInt32,
            "i8" => TensorDType.Int64,
            "u8" => TensorDType.UInt64,
            _ => null,
        };
        if (dtype is null)
        {
            string hint = descr.EndsWith("V2", StringComparison.Ordinal) ? " (set UInt16AsBFloat16 to read a 2-byte void as bfloat16)" : string.Empty;
            throw TensorFileError.Create(path, $"npy header: unsupported dtype {TensorFileError.Quote(descr)}{hint}");
        }

        return (dtype.Value, bigEndian);
    }
}
