// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;

namespace Numerics.Cli.Tests.IO;

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "numerics-cli-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a handle still open on Windows must not fail the test.
        }
    }
}

/// <summary>Helpers for tests: the checked-in data files, hand-built file bytes and the goldens' hex floats.</summary>
internal static class TestFiles
{
    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    public static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "Goldens", name);

    /// <summary>An .npy file, byte by byte: magic, version, little-endian header length, the header text (as given, no padding added), the payload.</summary>
    public static byte[] Npy(int major, string header, ReadOnlySpan<byte> payload, int minor = 0, long? headerLengthOverride = null)
    {
        byte[] text = major == 3 ? Encoding.UTF8.GetBytes(header) : Encoding.Latin1.GetBytes(header);
        var bytes = new List<byte>();
        bytes.AddRange([0x93, .. "NUMPY"u8]);
        bytes.Add((byte)major);
        bytes.Add((byte)minor);
        long length = headerLengthOverride ?? text.Length;
        if (major == 1)
        {
            bytes.Add((byte)length);
            bytes.Add((byte)(length >> 8));
        }
        else
        {
            bytes.AddRange(BitConverter.GetBytes((uint)length));
        }

        bytes.AddRange(text);
        bytes.AddRange(payload.ToArray());
        return [.. bytes];
    }

    /// <summary>A .safetensors file, byte by byte: the 8-byte little-endian length of <paramref name="json"/>, the JSON, the data.</summary>
    public static byte[] Safetensors(string json, ReadOnlySpan<byte> data, ulong? headerLengthOverride = null)
    {
        byte[] text = Encoding.UTF8.GetBytes(json);
        byte[] bytes = new byte[8 + text.Length + data.Length];
        BitConverter.GetBytes(headerLengthOverride ?? (ulong)text.Length).CopyTo(bytes, 0);
        text.CopyTo(bytes, 8);
        data.CopyTo(bytes.AsSpan(8 + text.Length));
        return bytes;
    }

    /// <summary>Parses Python's float.hex() notation ("-0x1.8p+3", "inf", "nan") exactly.</summary>
    public static double ParseHexFloat(string s)
    {
        if (s is "nan" or "-nan")
        {
            return double.NaN;
        }

        bool negative = s.StartsWith('-');
        string body = negative ? s[1..] : s;
        if (body == "inf")
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        int p = body.IndexOf('p', StringComparison.Ordinal);
        string mantissa = body[2..p];
        int exponent = int.Parse(body[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string[] parts = mantissa.Split('.');
        string digits = parts[0] + (parts.Length > 1 ? parts[1] : string.Empty);
        int fractionDigits = parts.Length > 1 ? parts[1].Length : 0;
        ulong value = ulong.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        double magnitude = Math.ScaleB(value, exponent - (4 * fractionDigits));
        return negative ? -magnitude : magnitude;
    }

    public static byte[] RandomBytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
