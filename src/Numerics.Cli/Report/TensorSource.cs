// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections;
using Numerics.Cli.IO;

namespace Numerics.Cli.Report;

/// <summary>
/// The tensors of <c>numerics report --input FILE [--tensor NAME]</c>: the floating-point tensors of a <c>.npy</c> or
/// <c>.safetensors</c> file, each read and widened to float32 only when the report reaches it, so at most one is in memory.
/// </summary>
/// <remarks>
/// A <c>.npy</c> file holds one array, named after the file; its <c>u2</c>/<c>V2</c> arrays are taken as bfloat16 (the
/// report only evaluates floating-point data). From a <c>.safetensors</c> file, every non-empty floating-point tensor is
/// taken, or only the one <c>--tensor</c> names. Headers are validated when the source is opened, before any work starts.
/// </remarks>
internal sealed class TensorSource : IReadOnlyList<NamedTensor>, IDisposable
{
    private readonly string _path;
    private readonly SafetensorsFile? _safetensors;
    private readonly List<(string Name, long[] Shape)> _entries;

    private TensorSource(string path, SafetensorsFile? safetensors, List<(string Name, long[] Shape)> entries)
    {
        _path = path;
        _safetensors = safetensors;
        _entries = entries;
    }

    public int Count => _entries.Count;

    public NamedTensor this[int index]
    {
        get
        {
            (string name, long[] shape) = _entries[index];
            TensorData data = _safetensors is null ? NpyFile.Read(_path, NpyOptions) : _safetensors.ReadTensor(name);
            return new NamedTensor(name, [.. shape.Select(d => (int)d)], data.ToSingle());
        }
    }

    private static NpyReadOptions NpyOptions => new() { UInt16AsBFloat16 = true };

    /// <summary>Opens <paramref name="path"/> and validates its header; throws <see cref="UsageException"/> for a usage problem.</summary>
    public static TensorSource Open(string path, string? tensorName)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"{path}: is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        if (IsNpy(path))
        {
            if (tensorName is not null)
            {
                throw new UsageException($"{path}: --tensor applies to .safetensors files; an .npy file holds one array");
            }

            NpyHeader header = NpyFile.ReadHeader(path, NpyOptions);
            string name = System.IO.Path.GetFileNameWithoutExtension(path);
            Check(path, name, header.DType, header.ElementCount);
            return new TensorSource(path, null, [(name, [.. header.Shape])]);
        }

        if (!path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"{path}: not an .npy file and not named *.safetensors; --input takes .npy or .safetensors files");
        }

        SafetensorsFile file = SafetensorsFile.Open(path);
        try
        {
            var entries = new List<(string Name, long[] Shape)>();
            if (tensorName is not null)
            {
                if (!file.TryGetTensor(tensorName, out SafetensorsTensorInfo? info))
                {
                    string known = string.Join(", ", file.Tensors.Take(10).Select(t => t.Name)) + (file.Tensors.Count > 10 ? ", ..." : string.Empty);
                    throw new UsageException($"{path}: no tensor named {IO.TensorFileError.Quote(tensorName)} (the file has {file.Tensors.Count}: {known})");
                }

                Check(path, info.Name, info.DType, info.ElementCount);
                entries.Add((info.Name, [.. info.Shape]));
            }
            else
            {
                foreach (SafetensorsTensorInfo info in file.Tensors.Where(t => t.DType.IsFloatingPoint() && t.ElementCount > 0))
                {
                    Check(path, info.Name, info.DType, info.ElementCount);
                    entries.Add((info.Name, [.. info.Shape]));
                }

                if (entries.Count == 0)
                {
                    throw new UsageException($"{path}: no non-empty floating-point tensor to report on");
                }
            }

            return new TensorSource(path, file, entries);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public IEnumerator<NamedTensor> GetEnumerator()
    {
        for (int i = 0; i < _entries.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => _safetensors?.Dispose();

    private static bool IsNpy(string path)
    {
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        Span<byte> magic = stackalloc byte[6];
        using FileStream stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == magic.Length && magic.SequenceEqual(NpyFile.Magic);
    }

    private static void Check(string path, string name, TensorDType dtype, long count)
    {
        if (!dtype.IsFloatingPoint())
        {
            throw new UsageException($"{path}: tensor {IO.TensorFileError.Quote(name)} is {dtype}, not floating point; the report evaluates float tensors");
        }

        if (count == 0)
        {
            throw new UsageException($"{path}: tensor {IO.TensorFileError.Quote(name)} is empty");
        }

        if (count * dtype.GetElementSize() > Array.MaxLength)
        {
            throw new UsageException($"{path}: tensor {IO.TensorFileError.Quote(name)} has {count} {dtype} elements, more bytes than the report can hold in one array ({Array.MaxLength})");
        }
    }
}
