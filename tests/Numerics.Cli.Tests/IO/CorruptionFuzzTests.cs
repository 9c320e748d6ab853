// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using System.Text;
using Numerics.Cli.IO;

namespace Numerics.Cli.Tests.IO;

/// <summary>
/// Seeded random corruptions of valid files (byte flips, truncations, header-length edits, insertions and deletions,
/// header text splices): each must either parse cleanly (header and every tensor) or throw <see cref="InvalidDataException"/>,
/// never another exception type, and never allocate a declared size.
/// </summary>
public sealed class CorruptionFuzzTests
{
    private static readonly int s_cases = Vector128.IsHardwareAccelerated ? 400 : 300;

    [Fact]
    public void Corrupted_npy_files_parse_or_throw_InvalidDataException()
    {
        using var dir = new TempDirectory();
        var seeds = new List<byte[]>();
        string path = dir.File("seed.npy");
        NpyFile.Write(path, TensorData.FromSingle([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));
        seeds.Add(File.ReadAllBytes(path));
        NpyFile.Write(path, TensorData.FromBits(TensorDType.BFloat16, [1, 2, 3], [3, 1]), new NpyWriteOptions { FortranOrder = true, BigEndian = true, Version = 3 });
        seeds.Add(File.ReadAllBytes(path));
        seeds.Add(File.ReadAllBytes(TestFiles.Data("f8_be_fortran_v2.npy")));
        Run(seeds, headerLengthAt: 8, headerLengthBytes: 2, dir.File("fuzz.npy"), p =>
        {
            NpyFile.ReadHeader(p);
            _ = NpyFile.Read(p, new NpyReadOptions { UInt16AsBFloat16 = true }).ToSingle();
        });
    }

    [Fact]
    public void Corrupted_safetensors_files_parse_or_throw_InvalidDataException()
    {
        var seeds = new List<byte[]> { File.ReadAllBytes(TestFiles.Data("handmade.safetensors")) };
        using var dir = new TempDirectory();
        string path = dir.File("seed.safetensors");
        SafetensorsFile.Write(path, [new("a", TensorData.FromSingle([1f, 2f], [2])), new("b", TensorData.FromBits(TensorDType.BFloat16, [7], []))], new Dictionary<string, string> { ["m"] = "x" });
        seeds.Add(File.ReadAllBytes(path));
        Run(seeds, headerLengthAt: 0, headerLengthBytes: 8, dir.File("fuzz.safetensors"), p =>
        {
            using SafetensorsFile file = SafetensorsFile.Open(p);
            foreach (SafetensorsTensorInfo t in file.Tensors)
            {
                _ = file.ReadSingle(t.Name);
            }
        });
    }

    private static void Run(List<byte[]> seeds, int headerLengthAt, int headerLengthBytes, string path, Action<string> parse)
    {
        var random = new Random(20261126);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < s_cases; i++)
        {
            byte[] seed = seeds[i % seeds.Count];
            (byte[] bytes, string how) = Corrupt(seed, random, headerLengthAt, headerLengthBytes);
            File.WriteAllBytes(path, bytes);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                parse(path);
                parsed++;
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', e.Message);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({how}) threw {e.GetType().Name}: {e.Message}");
            }

            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20) + (16 * bytes.Length), $"case {i} ({how}) allocated too much");
        }

        // The corruptions must exercise both outcomes, or the test proves nothing.
        Assert.True(rejected > s_cases / 4, $"only {rejected} of {s_cases} corruptions were rejected");
        Assert.True(parsed > 0, "no corruption parsed cleanly");
    }

    private static (byte[] Bytes, string How) Corrupt(byte[] seed, Random random, int headerLengthAt, int headerLengthBytes)
    {
        byte[] bytes = (byte[])seed.Clone();
        switch (random.Next(7))
        {
            case 0:
            {
                int flips = random.Next(1, 5);
                for (int k = 0; k < flips; k++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return (bytes, $"{flips} bit flips");
            }

            case 1:
            {
                int at = random.Next(bytes.Length);
                bytes[at] = (byte)random.Next(256);
                return (bytes, $"random byte at {at}");
            }

            case 2:
            {
                int length = random.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length}");
            }

            case 3:
            {
                // Header length: a small change, a random value or an extreme.
                ulong value = random.Next(3) switch
                {
                    0 => (ulong)(long)(ReadLength(bytes, headerLengthAt, headerLengthBytes) + (ulong)random.Next(-16, 17)),
                    1 => (ulong)random.NextInt64(),
                    _ => ulong.MaxValue - (ulong)random.Next(4),
                };
                for (int k = 0; k < headerLengthBytes; k++)
                {
                    bytes[headerLengthAt + k] = (byte)(value >> (8 * k));
                }

                return (bytes, $"header length {value}");
            }

            case 4:
            {
                int at = random.Next(bytes.Length), count = random.Next(1, 9);
                byte[] extra = TestFiles.RandomBytes(random, count);
                return ([.. bytes[..at], .. extra, .. bytes[at..]], $"{count} bytes inserted at {at}");
            }

            case 5:
            {
                int at = random.Next(bytes.Length), count = Math.Min(random.Next(1, 9), bytes.Length - at);
                return ([.. bytes[..at], .. bytes[(at + count)..]], $"{count} bytes deleted at {at}");
            }

            default:
            {
                // A syntactically interesting token spliced into the header text.
                string[] tokens = ["-1", "1e400", "99999999999999999999", "\"", "'", "{", "}", "[", "]", "(", ")", ",", ":", "null", "true", "\\u0000", "F8_E4M3", "<f8", "True"];
                byte[] token = Encoding.UTF8.GetBytes(tokens[random.Next(tokens.Length)]);
                int headerEnd = Math.Min(bytes.Length, 140);
                int at = random.Next(Math.Min(10, headerEnd), headerEnd);
                token.AsSpan(0, Math.Min(token.Length, bytes.Length - at)).CopyTo(bytes.AsSpan(at));
                return (bytes, $"token {Encoding.UTF8.GetString(token)} at {at}");
            }
        }
    }

    private static ulong ReadLength(byte[] bytes, int at, int count)
    {
        ulong value = 0;
        for (int k = 0; k < count && at + k < bytes.Length; k++)
        {
            value |= (ulong)bytes[at + k] << (8 * k);
        }

        return value;
    }
}
