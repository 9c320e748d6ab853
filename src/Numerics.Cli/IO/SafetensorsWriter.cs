// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Text.Json;

namespace Numerics.Cli.IO;

/// <summary>
/// Streams a <c>.safetensors</c> file out: the header is written from the declared tensors first, then the caller appends
/// each tensor's bytes in declaration order, in as many chunks as it likes, without the whole file ever being in memory.
/// </summary>
/// <remarks>
/// The JSON header is padded with spaces so that the data section starts at a multiple of 8 bytes, as the reference
/// implementation does. If the writer is disposed before <see cref="Complete"/> succeeds, the incomplete file is deleted.
/// </remarks>
public sealed class SafetensorsWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;
    private readonly long _total;
    private long _written;
    private bool _completed;

    /// <summary>Initializes a new instance of the <see cref="SafetensorsWriter"/> class and writes the header.</summary>
    /// <param name="path">The file to create (replaced if it exists).</param>
    /// <param name="tensors">The tensors, in the order their data will be written; names must be distinct.</param>
    /// <param name="metadata">The <c>__metadata__</c> map, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">A name is repeated, or <paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public SafetensorsWriter(string path, IEnumerable<TensorDescriptor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] header = BuildHeader([.. tensors], metadata, out _total);
        _path = path;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        _stream.Write(header);
    }

    /// <summary>Gets the number of data bytes still expected before <see cref="Complete"/>.</summary>
    public long RemainingBytes => _total - _written;

    /// <summary>Appends the next bytes of the data section (tensors in declaration order, each little-endian and row-major).</summary>
    /// <param name="data">The bytes; any chunking is allowed.</param>
    /// <exception cref="ArgumentException">More bytes than the declared tensors hold.</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(!_stream.CanWrite, this);
        if (data.Length > RemainingBytes)
        {
            throw new ArgumentException($"{data.Length} bytes given, but the declared tensors only have {RemainingBytes} more.", nameof(data));
        }

        _stream.Write(data);
        _written += data.Length;
    }

    /// <summary>Checks that every declared byte was written and flushes the file.</summary>
    /// <exception cref="InvalidOperationException">Fewer bytes were written than the tensors declare.</exception>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(!_stream.CanWrite, this);
        if (RemainingBytes != 0)
        {
            throw new InvalidOperationException($"{RemainingBytes} bytes of tensor data are missing.");
        }

        _stream.Flush();
        _completed = true;
    }

    /// <summary>Closes the file, deleting it if <see cref="Complete"/> did not succeed.</summary>
    public void Dispose()
    {
        _stream.Dispose();
        if (!_completed)
        {
            File.Delete(_path);
        }
    }

    private static byte[] BuildHeader(List<TensorDescriptor> tensors, IReadOnlyDictionary<string, string>? metadata, out long total)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is not null)
            {
                writer.WriteStartObject(SafetensorsFile.MetadataKey);
                foreach (KeyValuePair<string, string> item in metadata)
                {
                    writer.WriteString(item.Key, item.Value ?? throw new ArgumentNullException(nameof(metadata), $"Metadata value '{item.Key}' is null."));
                }

                writer.WriteEndObject();
            }

            total = 0;
            foreach (TensorDescriptor t in tensors)
            {
                ArgumentNullException.ThrowIfNull(t, nameof(tensors));
                if (!names.Add(t.Name))
                {
                    throw new ArgumentException($"Duplicate tensor name '{t.Name}'.", nameof(tensors));
                }

                writer.WriteStartObject(t.Name);
                writer.WriteString("dtype", t.DType.ToSafetensorsName());
                writer.WriteStartArray("shape");
                foreach (long d in t.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(total);
                total = checked(total + t.ByteLength);
                writer.WriteNumberValue(total);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        // Pad the JSON with spaces so that 8 + N is a multiple of 8 and the data section is 8-byte aligned.
        int length = (int)json.Length;
        int padded = (length + 7) / 8 * 8;
        byte[] header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        json.GetBuffer().AsSpan(0, length).CopyTo(header.AsSpan(8));
        header.AsSpan(8 + length).Fill((byte)' ');
        return header;
    }
}
