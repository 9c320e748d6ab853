// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Cli.IO;

namespace Numerics.Cli.Tests.IO;

/// <summary>Files written by <see cref="NpyFile.Write"/> read back exactly, for every type, layout, version and shape.</summary>
public sealed class NpyRoundTripTests
{
    private static readonly long[][] s_shapes = [[], [0], [1], [7], [2, 3], [3, 0, 2], [2, 3, 4], [1, 5, 1, 3]];

    public static TheoryData<TensorDType> NpyTypes() =>
        [.. Enum.GetValues<TensorDType>().Where(t => t is not (TensorDType.Float8E4M3FN or TensorDType.Float8E5M2))];

    [Theory]
    [MemberData(nameof(NpyTypes))]
    public void Every_layout_version_and_shape_round_trips(TensorDType dtype)
    {
        using var dir = new TempDirectory();
        var random = new Random(1234 + (int)dtype);
        int size = dtype.GetElementSize();
        foreach (long[] shape in s_shapes)
        {
            long count = shape.Aggregate(1L, (a, d) => a * d);
            byte[] data = TestFiles.RandomBytes(random, (int)count * size);
            var tensor = new TensorData(dtype, shape, data);
            foreach (bool fortran in new[] { false, true })
            {
                foreach (bool bigEndian in new[] { false, true })
                {
                    foreach (int version in new[] { 0, 1, 2, 3 })
                    {
                        string path = dir.File($"{dtype}-{shape.Length}-{fortran}-{bigEndian}-{version}.npy");
                        NpyFile.Write(path, tensor, new NpyWriteOptions { FortranOrder = fortran, BigEndian = bigEndian, Version = version });
                        var options = new NpyReadOptions { UInt16AsBFloat16 = dtype == TensorDType.BFloat16 };
                        NpyHeader header = NpyFile.ReadHeader(path, options);
                        TensorData back = NpyFile.Read(path, options);

                        string what = $"{dtype} {TensorShapeText(shape)} fortran={fortran} be={bigEndian} v={version}";
                        Assert.True(dtype == back.DType, what);
                        Assert.Equal(shape, back.Shape);
                        Assert.True(data.AsSpan().SequenceEqual(back.Data.Span), what);
                        Assert.Equal(version == 0 ? 1 : version, header.MajorVersion);
                        Assert.Equal(fortran, header.FortranOrder);
                        Assert.Equal(bigEndian && size > 1, header.IsBigEndian);
                        Assert.Equal(0, header.DataOffset % 64);
                        Assert.Equal(header.DataOffset + header.DataLength, new FileInfo(path).Length);
                    }
                }
            }
        }
    }

    [Fact]
    public void BFloat16_is_written_as_u2_and_reads_as_uint16_without_the_option()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bf16.npy");
        NpyFile.Write(path, TensorData.FromBits(TensorDType.BFloat16, [0x3F80, 0xC000], [2]));
        Assert.Equal("<u2", NpyFile.ReadHeader(path).Descr);
        Assert.Equal(TensorDType.UInt16, NpyFile.Read(path).DType);
        TensorData bf16 = NpyFile.Read(path, new NpyReadOptions { UInt16AsBFloat16 = true });
        Assert.Equal(new[] { 1.0f, -2.0f }, bf16.ToSingle());
    }

    [Fact]
    public void Fortran_order_is_column_major_in_the_file()
    {
        // The writer's column-major layout, checked against the definition: element (i, j, k) of a d0 x d1 x d2 array sits
        // at i + d0*(j + d1*k) in Fortran order and at (i*d1 + j)*d2 + k in C order.
        using var dir = new TempDirectory();
        const int D0 = 2, D1 = 3, D2 = 4;
        float[] values = [.. Enumerable.Range(0, D0 * D1 * D2).Select(v => (float)v)];
        string path = dir.File("f.npy");
        NpyFile.Write(path, TensorData.FromSingle(values, [D0, D1, D2]), new NpyWriteOptions { FortranOrder = true });
        byte[] file = File.ReadAllBytes(path);
        NpyHeader header = NpyFile.ReadHeader(path);
        for (int i = 0; i < D0; i++)
        {
            for (int j = 0; j < D1; j++)
            {
                for (int k = 0; k < D2; k++)
                {
                    int fortranIndex = i + (D0 * (j + (D1 * k)));
                    float stored = BitConverter.ToSingle(file, (int)header.DataOffset + (4 * fortranIndex));
                    Assert.Equal(values[(((i * D1) + j) * D2) + k], stored);
                }
            }
        }
    }

    [Fact]
    public void Big_endian_stores_the_most_significant_byte_first()
    {
        using var dir = new TempDirectory();
        string path = dir.File("be.npy");
        NpyFile.Write(path, TensorData.FromSingle([1.0f], [1]), new NpyWriteOptions { BigEndian = true });
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(">f4", NpyFile.ReadHeader(path).Descr);
        Assert.Equal(new byte[] { 0x3F, 0x80, 0x00, 0x00 }, file[^4..]);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, file[..8]);
    }

    [Fact]
    public void Write_rejects_fp8_and_bad_versions()
    {
        using var dir = new TempDirectory();
        var fp8 = new TensorData(TensorDType.Float8E4M3FN, [1], [0x38]);
        Assert.Throws<ArgumentException>("tensor", () => NpyFile.Write(dir.File("a.npy"), fp8));
        var f32 = TensorData.FromSingle([1f], [1]);
        Assert.Throws<ArgumentOutOfRangeException>("options", () => NpyFile.Write(dir.File("b.npy"), f32, new NpyWriteOptions { Version = 4 }));
        Assert.Throws<ArgumentNullException>("tensor", () => NpyFile.Write(dir.File("c.npy"), null!));
    }

    [Fact]
    public void Version_1_is_chosen_unless_the_header_needs_more_than_65535_bytes()
    {
        using var dir = new TempDirectory();

        // 6000 dimensions of 1: the dict is about 18 000 bytes, so version 1.0 fits.
        long[] manyOnes = [.. Enumerable.Repeat(1L, 6000)];
        string path = dir.File("wide.npy");
        NpyFile.Write(path, TensorData.FromSingle([3f], manyOnes));
        Assert.Equal(1, NpyFile.ReadHeader(path).MajorVersion);

        // 30 000 dimensions: about 90 000 bytes, so version 2.0, and version 1.0 on request is refused.
        long[] tooMany = [.. Enumerable.Repeat(1L, 30000)];
        NpyFile.Write(path, TensorData.FromSingle([3f], tooMany));
        NpyHeader header = NpyFile.ReadHeader(path);
        Assert.Equal(2, header.MajorVersion);
        Assert.Equal(30000, header.Shape.Count);
        Assert.Throws<ArgumentException>("options", () => NpyFile.Write(path, TensorData.FromSingle([3f], tooMany), new NpyWriteOptions { Version = 1 }));
    }

    private static string TensorShapeText(long[] shape) => "[" + string.Join(",", shape) + "]";
}
