// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Numerics.Cli.IO;

/// <summary>
/// An open <c>.safetensors</c> file: the validated header in memory, tensor bytes read on demand with positional reads.
/// </summary>
/// <remarks>
/// <para>
/// Layout (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of UTF-8 JSON, then the data section.
/// The JSON object maps each tensor name to <c>{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}</c>
/// (offsets relative to the data section) and may hold <c>"__metadata__"</c>, a map of strings to strings.
/// </para>
/// <para>
/// Validation follows the reference implementation: N at most 100 000 000 and within the file; the header starts with
/// <c>{</c> and is valid JSON; no duplicate names; every entry an object with a known dtype, a shape of non-negative
/// integers whose byte size does not overflow, and offsets with end − begin equal to that size; sorted by offset, the
/// tensors cover the data section exactly (no overlap, no hole, no trailing bytes) and the file is not shorter than declared.
/// Every problem gives an <see cref="InvalidDataException"/> whose one-line message starts with the path. Nothing is
/// allocated from a declared size before it has been checked against the file length.
/// </para>
/// <para>Reads are thread-safe (positional reads on one handle).</para>
/// </remarks>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>The reserved key of the metadata map in the JSON header.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest JSON header accepted, as in the reference implementation (100 MB).</summary>
    public const int MaxHeaderLength = 100_000_000;

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    private SafetensorsFile(string path, SafeFileHandle handle, List<SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        Tensors = tensors.AsReadOnly();
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = new ReadOnlyDictionary<string, string>(metadata);
    }

    /// <summary>Gets the path the file was opened with.</summary>
    public string Path { get; }

    /// <summary>Gets the tensors, in the order of their data in the file.</summary>
    public ReadOnlyCollection<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>Gets the <c>__metadata__</c> map (empty when the header has none).</summary>
    public ReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens a file and reads and validates its header; tensor data is read later, on demand.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The open file; dispose it to close the handle.</returns>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the file and the problem.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static SafetensorsFile Open(string path)
    {
        SafeFileHandle handle = TensorFileIO.OpenRead(path);
        try
        {
            (List<SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata) = ReadHeader(handle, path);
            return new SafetensorsFile(path, handle, tensors, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Looks up a tensor by name.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="info">The entry, when found.</param>
    /// <returns><see langword="true"/> when the file has a tensor of that name.</returns>
    public bool TryGetTensor(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SafetensorsTensorInfo? info) =>
        _byName.TryGetValue(name, out info);

    /// <summary>Reads a slice of a tensor's raw bytes (little-endian, row-major), for tensors too large to load at once.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="offset">The first byte to read, relative to the tensor's data.</param>
    /// <param name="destination">Where to put the bytes; its length is the number of bytes read.</param>
    /// <exception cref="ArgumentException">No tensor has that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The slice is not inside the tensor.</exception>
    /// <exception cref="InvalidDataException">The file became shorter than its header says.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public void ReadBytes(string name, long offset, Span<byte> destination)
    {
        SafetensorsTensorInfo info = Get(name);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, info.ByteLength - destination.Length);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        TensorFileIO.ReadExactly(_handle, Path, destination, info.FileOffset + offset);
    }

    /// <summary>Reads a tensor's raw bytes (little-endian, row-major).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>A new array of <see cref="SafetensorsTensorInfo.ByteLength"/> bytes.</returns>
    /// <exception cref="ArgumentException">No tensor has that name.</exception>
    /// <exception cref="NotSupportedException">The tensor has more bytes than one array can hold.</exception>
    /// <exception cref="InvalidDataException">The file became shorter than its header says.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public byte[] ReadBytes(string name)
    {
        SafetensorsTensorInfo info = Get(name);
        byte[] data = new byte[TensorFileIO.CheckLoadable(Path, $"tensor {TensorFileError.Quote(name)}", info.ByteLength)];
        ReadBytes(name, 0, data);
        return data;
    }

    /// <summary>Reads a tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The tensor with its raw bytes.</returns>
    /// <exception cref="ArgumentException">No tensor has that name.</exception>
    /// <exception cref="NotSupportedException">The tensor has more bytes than one array can hold.</exception>
    /// <exception cref="InvalidDataException">The file became shorter than its header says.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public TensorData ReadTensor(string name)
    {
        SafetensorsTensorInfo info = Get(name);
        return new TensorData(info.DType, [.. info.Shape], ReadBytes(name));
    }

    /// <summary>Reads a tensor converted to float32 (see <see cref="TensorData.ToSingle(Span{float})"/> for the conversions).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The values in row-major order.</returns>
    /// <exception cref="ArgumentException">No tensor has that name.</exception>
    /// <exception cref="NotSupportedException">The tensor has more bytes or elements than one array can hold.</exception>
    /// <exception cref="InvalidDataException">The file became shorter than its header says.</exception>
    /// <exception cref="ObjectDisposedException">The file is closed.</exception>
    public float[] ReadSingle(string name) => ReadTensor(name).ToSingle();

    /// <summary>Writes tensors and metadata as a <c>.safetensors</c> file, in the order given, replacing any existing file.</summary>
    /// <param name="path">The file to create.</param>
    /// <param name="tensors">The tensors by name; names must be distinct and not <c>__metadata__</c>.</param>
    /// <param name="metadata">The <c>__metadata__</c> map, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">A name is repeated or reserved.</exception>
    /// <exception cref="ArgumentNullException">An argument or a tensor is null.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, TensorData>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        List<KeyValuePair<string, TensorData>> list = [.. tensors];
        using var writer = new SafetensorsWriter(
            path,
            list.Select(t => new TensorDescriptor(t.Key, (t.Value ?? throw new ArgumentNullException(nameof(tensors), $"Tensor '{t.Key}' is null.")).DType, [.. t.Value.Shape])),
            metadata);
        foreach (KeyValuePair<string, TensorData> t in list)
        {
            writer.Write(t.Value.Data.Span);
        }

        writer.Complete();
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();

    private SafetensorsTensorInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out SafetensorsTensorInfo? info)
            ? info
            : throw new ArgumentException($"{Path}: no tensor named {TensorFileError.Quote(name)}.", nameof(name));
    }

    private static (List<SafetensorsTensorInfo> Tensors, Dictionary<string, string> Metadata) ReadHeader(SafeFileHandle handle, string path)
    {
        long fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
        {
            throw TensorFileError.Create(path, $"truncated safetensors header: the file has {fileLength} bytes, fewer than the 8-byte header length");
        }

        Span<byte> lengthBytes = stackalloc byte[8];
        TensorFileIO.ReadExactly(handle, path, lengthBytes, 0);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength)
        {
            throw TensorFileError.Create(path, $"safetensors header length {headerLength} is larger than the {MaxHeaderLength}-byte limit");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw TensorFileError.Create(path, $"truncated safetensors header: header length {headerLength} runs past the end of the {fileLength}-byte file");
        }

        byte[] json = new byte[(int)headerLength];
        TensorFileIO.ReadExactly(handle, path, json, 8);
        long dataStart = 8 + (long)headerLength;
        return SafetensorsHeaderParser.Parse(json, path, dataStart, fileLength - dataStart);
    }
}
