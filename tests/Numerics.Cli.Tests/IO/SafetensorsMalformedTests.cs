// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Cli.IO;

namespace Numerics.Cli.Tests.IO;

/// <summary>Every malformed .safetensors file gives an <see cref="InvalidDataException"/> with one line naming the file and the problem.</summary>
public sealed class SafetensorsMalformedTests
{
    private static string Expect(byte[] bytes, string fragment)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    private static string Entry(string name, string dtype, string shape, string offsets) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":{offsets}}}";

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Truncated_header_length(int length) => Expect(new byte[length], "truncated safetensors header");

    [Fact]
    public void Header_length_beyond_the_file() => Expect(TestFiles.Safetensors("{}", [], headerLengthOverride: 3), "runs past the end");

    [Theory]
    [InlineData(100_000_001UL)]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 63)]
    public void Absurd_header_length_is_refused_before_any_allocation(ulong length)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Expect(TestFiles.Safetensors("{}", [], headerLengthOverride: length), "larger than the 100000000-byte limit");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated the declared header size");
    }

    [Theory]
    [InlineData("", "does not start with '{'")]
    [InlineData(" {}", "does not start with '{'")]
    [InlineData("[]", "does not start with '{'")]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"a\":}", "not valid JSON")]
    [InlineData("{} {}", "not valid JSON")]
    [InlineData("{\"a\": 5}", "entry is a JSON Number, not an object")]
    [InlineData("{\"a\": [1, 2]}", "entry is a JSON Array")]
    [InlineData("{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", "missing 'dtype'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", "missing 'shape'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", "missing 'data_offsets'")]
    [InlineData("{\"a\": {\"dtype\": 3, \"shape\": [1], \"data_offsets\": [0, 4]}}", "'dtype' is a JSON Number")]
    [InlineData("{\"a\": {\"dtype\": \"F7\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "unknown or unsupported dtype 'F7'")]
    [InlineData("{\"a\": {\"dtype\": \"f32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "unknown or unsupported dtype 'f32'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "negative number -1")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", "not an integer")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [\"1\"], \"data_offsets\": [0, 4]}}", "not an integer")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1e30], \"data_offsets\": [0, 4]}}", "not an integer")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}}", "'shape' is a JSON Number, not an array")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}}", "has 3 numbers, not 2")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", "end before they begin")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", "needs 8 bytes but data_offsets [0, 4] span 4")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904, 4], \"data_offsets\": [0, 4]}}", "more than 2^63 bytes")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 18446744073709551615]}}", "not an integer that fits 64 bits")]
    [InlineData("{\"__metadata__\": [\"x\"]}", "not an object of strings")]
    [InlineData("{\"__metadata__\": {\"k\": 1}}", "metadata value of 'k' is a JSON Number")]
    [InlineData("{\"__metadata__\": {}, \"__metadata__\": {}}", "duplicate '__metadata__'")]
    [InlineData("{\"__metadata__\": {\"k\": \"a\", \"k\": \"b\"}}", "duplicate metadata key 'k'")]
    public void Bad_header(string json, string fragment) => Expect(TestFiles.Safetensors(json, new byte[4]), fragment);

    [Fact]
    public void Duplicate_tensor_names() =>
        Expect(TestFiles.Safetensors("{" + Entry("a", "U8", "[2]", "[0,2]") + "," + Entry("a", "U8", "[2]", "[2,4]") + "}", new byte[4]), "duplicate tensor name 'a'");

    [Fact]
    public void Offsets_beyond_the_data() =>
        Expect(TestFiles.Safetensors("{" + Entry("a", "F32", "[2]", "[0,8]") + "}", new byte[4]), "truncated data: the header declares 8 bytes");

    [Fact]
    public void Offsets_not_starting_at_zero() =>
        Expect(TestFiles.Safetensors("{" + Entry("a", "U8", "[2]", "[2,4]") + "}", new byte[4]), "leave a hole");

    [Fact]
    public void Overlapping_offsets() =>
        Expect(TestFiles.Safetensors("{" + Entry("a", "U8", "[4]", "[0,4]") + "," + Entry("b", "U8", "[2]", "[2,4]") + "}", new byte[4]), "overlap tensor 'a'");

    [Fact]
    public void Identical_offsets_overlap() =>
        Expect(TestFiles.Safetensors("{" + Entry("a", "U8", "[4]", "[0,4]") + "," + Entry("b", "U8", "[4]", "[0,4]") + "}", new byte[4]), "overlap");

    [Fact]
    public void Hole_between_tensors() =>
        Expect(TestFiles.Safetensors("{" + Entry("a", "U8", "[1]", "[0,1]") + "," + Entry("b", "U8", "[2]", "[2,4]") + "}", new byte[4]), "no tensor covers bytes [1, 2)");

    [Fact]
    public void Bytes_after_the_last_tensor() =>
        Expect(TestFiles.Safetensors("{" + Entry("a", "U8", "[2]", "[0,2]") + "}", new byte[4]), "2 bytes after the last tensor");

    [Fact]
    public void Huge_declared_tensor_is_refused_before_any_allocation()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Expect(TestFiles.Safetensors("{" + Entry("a", "F64", "[1000000000000]", "[0,8000000000000]") + "}", new byte[16]), "truncated data");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated the declared data size");
    }

    [Fact]
    public void Invalid_utf8_in_the_header()
    {
        byte[] bytes = TestFiles.Safetensors("{\"a\xff\": {}}", []);
        bytes[8 + 3] = 0xFF;
        bytes[8 + 4] = 0xFE;
        Expect(bytes, "not valid UTF-8");
    }

    [Fact]
    public void Deep_nesting_is_bad_json()
    {
        string deep = "{\"__x\": " + new string('[', 100) + new string(']', 100) + "}";
        Expect(TestFiles.Safetensors(deep, []), "not valid JSON");
    }

    [Fact]
    public void Unknown_tensor_name_is_an_argument_error()
    {
        using SafetensorsFile file = SafetensorsFile.Open(TestFiles.Data("handmade.safetensors"));
        Assert.Throws<ArgumentException>("name", () => file.ReadTensor("no.such"));
        Assert.False(file.TryGetTensor("no.such", out _));
    }
}
