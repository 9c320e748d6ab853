// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;

namespace Numerics.Cli.IO;

/// <summary>Parses and validates the JSON header of a safetensors file (see <see cref="SafetensorsFile"/> for the rules).</summary>
internal static class SafetensorsHeaderParser
{
    public static (List<SafetensorsTensorInfo> Tensors, Dictionary<string, string> Metadata) Parse(byte[] json, string path, long dataStart, long dataLength)
    {
        // The reference implementation requires the header to start with '{' (no BOM, no leading whitespace).
        if (json.Length == 0 || json[0] != (byte)'{')
        {
            throw TensorFileError.Create(path, "safetensors header does not start with '{'");
        }

        // JsonDocument accepts invalid UTF-8 inside property names and fails later, in GetString, with InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw TensorFileError.Create(path, "safetensors header is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw TensorFileError.Create(path, $"safetensors header is not valid JSON: {OneLine(e.Message)}", e);
        }

        using (document)
        {
            return Validate(document.RootElement, path, dataStart, dataLength);
        }
    }

    private static (List<SafetensorsTensorInfo> Tensors, Dictionary<string, string> Metadata) Validate(JsonElement root, string path, long dataStart, long dataLength)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw TensorFileError.Create(path, $"safetensors header is a JSON {root.ValueKind}, not an object");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new List<SafetensorsTensorInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        bool sawMetadata = false;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            string name = property.Name;
            if (name == SafetensorsFile.MetadataKey)
            {
                if (sawMetadata)
                {
                    throw TensorFileError.Create(path, $"duplicate '{SafetensorsFile.MetadataKey}' in the safetensors header");
                }

                sawMetadata = true;
                ReadMetadata(property.Value, path, metadata);
                continue;
            }

            if (!names.Add(name))
            {
                throw TensorFileError.Create(path, $"duplicate tensor name {TensorFileError.Quote(name)} in the safetensors header");
            }

            tensors.Add(ReadEntry(name, property.Value, path, dataStart));
        }

        CheckCoverage(tensors, path, dataLength);
        return (tensors, metadata);
    }

    private static void ReadMetadata(JsonElement value, string path, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw TensorFileError.Create(path, $"'{SafetensorsFile.MetadataKey}' is a JSON {value.ValueKind}, not an object of strings");
        }

        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw TensorFileError.Create(path, $"metadata value of {TensorFileError.Quote(item.Name)} is a JSON {item.Value.ValueKind}, not a string");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw TensorFileError.Create(path, $"duplicate metadata key {TensorFileError.Quote(item.Name)}");
            }
        }
    }

    private static SafetensorsTensorInfo ReadEntry(string name, JsonElement entry, string path, long dataStart)
    {
        string what = $"tensor {TensorFileError.Quote(name)}";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw TensorFileError.Create(path, $"{what}: entry is a JSON {entry.ValueKind}, not an object");
        }

        JsonElement dtypeElement = Required(entry, "dtype", path, what);
        if (dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw TensorFileError.Create(path, $"{what}: 'dtype' is a JSON {dtypeElement.ValueKind}, not a string");
        }

        string dtypeName = dtypeElement.GetString()!;
        if (!TensorDTypeExtensions.TryParseSafetensorsName(dtypeName, out TensorDType dtype))
        {
            throw TensorFileError.Create(path, $"{what}: unknown or unsupported dtype {TensorFileError.Quote(dtypeName)}");
        }

        long[] shape = ReadIntegers(Required(entry, "shape", path, what), "shape", path, what);
        long[] offsets = ReadIntegers(Required(entry, "data_offsets", path, what), "data_offsets", path, what);
        if (offsets.Length != 2)
        {
            throw TensorFileError.Create(path, $"{what}: 'data_offsets' has {offsets.Length} numbers, not 2");
        }

        int size = dtype.GetElementSize();
        long count = TensorShape.TryElementCount(shape, size);
        if (count < 0)
        {
            throw TensorFileError.Create(path, $"{what}: shape {TensorShape.Format(shape)} has more than 2^63 bytes");
        }

        (long begin, long end) = (offsets[0], offsets[1]);
        if (end < begin)
        {
            throw TensorFileError.Create(path, $"{what}: data_offsets [{begin}, {end}] end before they begin");
        }

        if (end - begin != count * size)
        {
            throw TensorFileError.Create(path, $"{what}: shape {TensorShape.Format(shape)} of {dtypeName} needs {count * size} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        }

        return new SafetensorsTensorInfo(name, dtype, shape, count, begin, end, dataStart + begin);
    }

    private static JsonElement Required(JsonElement entry, string key, string path, string what) =>
        entry.TryGetProperty(key, out JsonElement value) ? value : throw TensorFileError.Create(path, $"{what}: missing '{key}'");

    private static long[] ReadIntegers(JsonElement array, string key, string path, string what)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw TensorFileError.Create(path, $"{what}: '{key}' is a JSON {array.ValueKind}, not an array");
        }

        long[] values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value))
            {
                throw TensorFileError.Create(path, $"{what}: '{key}' holds {OneLine(item.GetRawText())}, not an integer that fits 64 bits");
            }

            if (value < 0)
            {
                throw TensorFileError.Create(path, $"{what}: '{key}' holds the negative number {value}");
            }

            values[i++] = value;
        }

        return values;
    }

    /// <summary>Sorted by offset, the tensors must tile the data section exactly, as the reference implementation requires.</summary>
    private static void CheckCoverage(List<SafetensorsTensorInfo> tensors, string path, long dataLength)
    {
        tensors.Sort(static (a, b) => a.DataBegin != b.DataBegin ? a.DataBegin.CompareTo(b.DataBegin) : a.DataEnd.CompareTo(b.DataEnd));
        long expected = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (SafetensorsTensorInfo t in tensors)
        {
            if (t.DataBegin < expected)
            {
                throw TensorFileError.Create(
                    path, $"tensor {TensorFileError.Quote(t.Name)}: data_offsets [{t.DataBegin}, {t.DataEnd}] overlap tensor {TensorFileError.Quote(previous!.Name)} [{previous.DataBegin}, {previous.DataEnd}]");
            }

            if (t.DataBegin > expected)
            {
                throw TensorFileError.Create(
                    path, $"tensor {TensorFileError.Quote(t.Name)}: data_offsets [{t.DataBegin}, {t.DataEnd}] leave a hole: no tensor covers bytes [{expected}, {t.DataBegin}) of the data section");
            }

            expected = t.DataEnd;
            previous = t;
        }

        if (expected > dataLength)
        {
            throw TensorFileError.Create(path, $"truncated data: the header declares {expected} bytes of tensor data, the file has {dataLength} after the header");
        }

        if (expected < dataLength)
        {
            throw TensorFileError.Create(path, $"{dataLength - expected} bytes after the last tensor's data are not covered by any tensor");
        }
    }

    private static string OneLine(string text)
    {
        string line = text.ReplaceLineEndings(" ");
        return line.Length > 200 ? line[..200] + "..." : line;
    }
}
