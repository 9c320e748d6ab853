// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;
using Numerics.Cli.IO;

namespace Numerics.Cli.Tests.IO;

/// <summary>Files written by <see cref="SafetensorsFile.Write"/> and <see cref="SafetensorsWriter"/> read back exactly.</summary>
public sealed class SafetensorsRoundTripTests
{
    private static readonly long[][] s_shapes = [[], [0], [1], [5], [2, 3], [4, 0], [2, 1, 3]];

    [Fact]
    public void Every_type_and_shape_round_trips_with_metadata()
    {
        using var dir = new TempDirectory();
        var random = new Random(42);
        var tensors = new List<KeyValuePair<string, TensorData>>();
        foreach (TensorDType dtype in Enum.GetValues<TensorDType>())
        {
            for (int s = 0; s < s_shapes.Length; s++)
            {
                long count = s_shapes[s].Aggregate(1L, (a, d) => a * d);
                byte[] data = TestFiles.RandomBytes(random, (int)count * dtype.GetElementSize());
                tensors.Add(new($"{dtype}/{s}", new TensorData(dtype, s_shapes[s], data)));
            }
        }

        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "quotes \" and \\ and ünïcödé\nnewline" };
        string path = dir.File("all.safetensors");
        SafetensorsFile.Write(path, tensors, metadata);

        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(tensors.Count, file.Tensors.Count);
        foreach ((string name, TensorData expected) in tensors)
        {
            Assert.True(file.TryGetTensor(name, out SafetensorsTensorInfo? info), name);
            Assert.Equal(expected.DType, info.DType);
            Assert.Equal(expected.Shape, info.Shape);
            TensorData back = file.ReadTensor(name);
            Assert.True(expected.Data.Span.SequenceEqual(back.Data.Span), name);
            Assert.True(expected.Data.Span.SequenceEqual(file.ReadBytes(name)), name);
        }

        // The data section starts 8-byte aligned and the tensors tile it in the order written.
        long headerLength = BitConverter.ToInt64(File.ReadAllBytes(path), 0);
        Assert.Equal(0, (8 + headerLength) % 8);
        Assert.Equal(tensors.Select(t => t.Key), file.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void A_file_without_tensors_or_metadata_round_trips()
    {
        using var dir = new TempDirectory();
        string path = dir.File("empty.safetensors");
        SafetensorsFile.Write(path, []);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void Streaming_writer_accepts_any_chunking_and_slices_read_back()
    {
        using var dir = new TempDirectory();
        var random = new Random(7);
        byte[] a = TestFiles.RandomBytes(random, 4 * 1000), b = TestFiles.RandomBytes(random, 2 * 333);
        string path = dir.File("stream.safetensors");
        using (var writer = new SafetensorsWriter(path, [new TensorDescriptor("a", TensorDType.Float32, [10, 100]), new TensorDescriptor("b", TensorDType.BFloat16, [333])]))
        {
            byte[] all = [.. a, .. b];
            int at = 0;
            while (at < all.Length)
            {
                int chunk = Math.Min(random.Next(1, 500), all.Length - at);
                writer.Write(all.AsSpan(at, chunk));
                at += chunk;
            }

            Assert.Equal(0, writer.RemainingBytes);
            writer.Complete();
        }

        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Equal(a, file.ReadBytes("a"));
        Assert.Equal(b, file.ReadBytes("b"));
        byte[] slice = new byte[100];
        file.ReadBytes("a", 1234, slice);
        Assert.Equal(a.AsSpan(1234, 100).ToArray(), slice);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReadBytes("a", 3950, new byte[100]));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReadBytes("a", -1, new byte[1]));
        Assert.Throws<ArgumentException>("name", () => file.ReadBytes("nope"));
    }

    [Fact]
    public void Writer_deletes_an_incomplete_file_and_rejects_extra_bytes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("partial.safetensors");
        using (var writer = new SafetensorsWriter(path, [new TensorDescriptor("a", TensorDType.UInt8, [4])]))
        {
            writer.Write([1, 2]);
            Assert.Throws<ArgumentException>("data", () => writer.Write([3, 4, 5]));
            Assert.Throws<InvalidOperationException>(writer.Complete);
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Writer_rejects_duplicate_and_reserved_names()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(
            "tensors",
            () => new SafetensorsWriter(dir.File("d.safetensors"), [new TensorDescriptor("x", TensorDType.UInt8, [1]), new TensorDescriptor("x", TensorDType.UInt8, [1])]));
        Assert.Throws<ArgumentException>("name", () => new TensorDescriptor("__metadata__", TensorDType.UInt8, [1]));
        Assert.Throws<ArgumentOutOfRangeException>("shape", () => new TensorDescriptor("x", TensorDType.UInt8, [-1]));
        Assert.Throws<ArgumentException>("shape", () => new TensorDescriptor("x", TensorDType.Float64, [1L << 40, 1L << 40]));
    }

    [Fact]
    public void Header_is_json_with_the_specified_fields()
    {
        using var dir = new TempDirectory();
        string path = dir.File("h.safetensors");
        SafetensorsFile.Write(path, [new("w", TensorData.FromSingle([1f, 2f], [2]))], new Dictionary<string, string> { ["k"] = "v" });
        byte[] bytes = File.ReadAllBytes(path);
        int n = (int)BitConverter.ToUInt64(bytes, 0);
        string json = Encoding.UTF8.GetString(bytes, 8, n).TrimEnd(' ');
        Assert.Equal("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", json);
        Assert.Equal(8 + n + 8, bytes.Length);
    }
}
