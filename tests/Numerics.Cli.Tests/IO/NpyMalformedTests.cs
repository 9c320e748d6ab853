// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Cli.IO;

namespace Numerics.Cli.Tests.IO;

/// <summary>Every malformed .npy file gives an <see cref="InvalidDataException"/> with one line naming the file and the problem.</summary>
public sealed class NpyMalformedTests
{
    private const string Good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";

    private static string Expect(byte[] bytes, string fragment)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.npy");
        File.WriteAllBytes(path, bytes);
        InvalidDataException header = Assert.Throws<InvalidDataException>(() => NpyFile.ReadHeader(path));
        InvalidDataException read = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));
        Assert.Equal(header.Message, read.Message);
        Assert.StartsWith(path + ": ", read.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, read.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', read.Message);
        return read.Message;
    }

    [Fact]
    public void Truncated_preamble() => Expect([0x93, (byte)'N', (byte)'U', (byte)'M'], "truncated npy header");

    [Fact]
    public void Truncated_version_2_preamble() => Expect([0x93, .. "NUMPY"u8, 2, 0, 5, 0], "truncated npy header");

    [Fact]
    public void Empty_file() => Expect([], "truncated npy header");

    [Fact]
    public void Wrong_magic() => Expect(TestFiles.Npy(1, Good, new byte[8]).Select((b, i) => i == 1 ? (byte)'X' : b).ToArray(), "not an npy file");

    [Theory]
    [InlineData(4, 0)]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    public void Unknown_version(int major, int minor) => Expect(TestFiles.Npy(major == 0 ? 1 : major, Good, new byte[8], minor).Select((b, i) => i == 6 ? (byte)major : b).ToArray(), "unsupported npy format version");

    [Fact]
    public void Header_length_beyond_the_file() => Expect(TestFiles.Npy(1, Good, new byte[8], headerLengthOverride: 5000), "runs past the end");

    [Fact]
    public void Absurd_header_length_is_refused_before_any_allocation()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Expect(TestFiles.Npy(2, Good, new byte[8], headerLengthOverride: 0xFFFF_FFF0), "larger than the");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated the declared header size");
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "missing key 'shape'")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", "missing key 'fortran_order'")]
    [InlineData("{'fortran_order': False, 'shape': (2,), }", "missing key 'descr'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "unexpected key 'extra'")]
    [InlineData("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", "duplicate key 'descr'")]
    [InlineData("{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", "npy header")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", "not a tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "expected '('")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "negative dimension")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,)}", "expected ',' or ')'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "too large")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "not True or False")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x", "after the closing")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "expected ',' or '}'")]
    [InlineData("", "expected '{'")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", "structured")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}", "unsupported dtype '<c8'")]
    [InlineData("{'descr': 'f4', 'fortran_order': False, 'shape': (2,)}", "unsupported dtype")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4)}", "more than 2^63 bytes")]
    public void Bad_header(string header, string fragment) => Expect(TestFiles.Npy(1, header, new byte[8]), fragment);

    [Fact]
    public void Data_shorter_than_the_shape_declares() => Expect(TestFiles.Npy(1, Good, new byte[7]), "truncated data");

    [Fact]
    public void Data_longer_than_the_shape_declares() => Expect(TestFiles.Npy(1, Good, new byte[9]), "unexpected bytes after");

    [Fact]
    public void Huge_declared_shape_is_refused_before_any_allocation()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Expect(TestFiles.Npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000), }", new byte[64]), "truncated data");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated the declared data size");
    }

    [Fact]
    public void Version_3_header_that_is_not_utf8() => Expect(TestFiles.Npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[8]).Select(b => b == (byte)'d' ? (byte)0xFF : b).ToArray(), "not valid UTF-8");

    [Fact]
    public void A_control_character_in_a_key_is_escaped_in_the_message()
    {
        string message = Expect(TestFiles.Npy(1, "{'de\nscr': '<f4', 'fortran_order': False, 'shape': (2,)}", new byte[8]), "unexpected key");
        Assert.Contains("\\u000a", message, StringComparison.Ordinal);
    }
}
