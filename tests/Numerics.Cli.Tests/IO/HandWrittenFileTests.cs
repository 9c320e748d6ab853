// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Cli.IO;

namespace Numerics.Cli.Tests.IO;

/// <summary>
/// Files written by hand from the specifications, not by the writers under test: the checked-in Data/*.npy and
/// Data/handmade.safetensors (made by Data/make_data.py with Python's struct and json modules) and byte arrays built here.
/// Expected values are the decimal meaning of the stored bit patterns.
/// </summary>
public sealed class HandWrittenFileTests
{
    [Fact]
    public void Npy_1_0_little_endian_float32_c_order()
    {
        string path = TestFiles.Data("f4_c_v1.npy");
        NpyHeader header = NpyFile.ReadHeader(path);
        Assert.Equal((1, "<f4", false, false, 128L), (header.MajorVersion, header.Descr, header.FortranOrder, header.IsBigEndian, header.DataOffset));
        TensorData t = NpyFile.Read(path);
        Assert.Equal(new long[] { 2, 3 }, t.Shape);
        float[] v = t.ToSingle();
        Assert.Equal(new[] { 1.0f, -2.5f, 0.15625f }, v[..3]);
        Assert.True(float.IsNegative(v[3]) && v[3] == 0);
        Assert.Equal(float.Epsilon, v[4]);
        Assert.Equal(float.PositiveInfinity, v[5]);
    }

    [Fact]
    public void Npy_2_0_big_endian_float64_fortran_order_with_double_quotes_and_other_key_order()
    {
        TensorData t = NpyFile.Read(TestFiles.Data("f8_be_fortran_v2.npy"));
        Assert.Equal(TensorDType.Float64, t.DType);
        Assert.Equal(new long[] { 2, 3 }, t.Shape);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, t.ToSingle());
    }

    [Fact]
    public void Npy_3_0_bfloat16_stored_as_u2()
    {
        string path = TestFiles.Data("bf16_u2_v3.npy");
        Assert.Equal(3, NpyFile.ReadHeader(path).MajorVersion);
        TensorData t = NpyFile.Read(path, new NpyReadOptions { UInt16AsBFloat16 = true });
        Assert.Equal(TensorDType.BFloat16, t.DType);
        Assert.Equal(new[] { 1.0f, -2.0f, 3.140625f, float.PositiveInfinity }, t.ToSingle());
        Assert.Equal(new[] { 16256f, 49152f, 16457f, 32640f }, NpyFile.Read(path).ToSingle());
    }

    [Fact]
    public void Npy_0_d_float16()
    {
        TensorData t = NpyFile.Read(TestFiles.Data("f2_0d_v1.npy"));
        Assert.Empty(t.Shape);
        Assert.Equal(1, t.ElementCount);
        Assert.Equal(new[] { 65504f }, t.ToSingle());
    }

    [Theory]
    [InlineData("{'descr': '<i2', 'fortran_order': False, 'shape': (2L, 1L), }")]
    [InlineData("{'descr':'<i2','fortran_order':False,'shape':(2,1)}\n")]
    [InlineData("  { 'shape' : ( 2 , 1 , ) , 'descr' : '<i2' , 'fortran_order' : False }   \n")]
    public void Npy_header_spellings_of_other_producers(string header)
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.npy");
        File.WriteAllBytes(path, TestFiles.Npy(1, header, [0xFF, 0xFF, 0x02, 0x01]));
        TensorData t = NpyFile.Read(path);
        Assert.Equal(new long[] { 2, 1 }, t.Shape);
        Assert.Equal(new[] { -1f, 258f }, t.ToSingle());
    }

    [Fact]
    public void Npy_empty_array_and_one_byte_types()
    {
        using var dir = new TempDirectory();
        string path = dir.File("e.npy");
        File.WriteAllBytes(path, TestFiles.Npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (0, 5), }\n", []));
        TensorData empty = NpyFile.Read(path);
        Assert.Equal(0, empty.ElementCount);
        Assert.Equal(new long[] { 0, 5 }, empty.Shape);

        File.WriteAllBytes(path, TestFiles.Npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }\n", [0x80, 0x00, 0x7F]));
        Assert.Equal(new[] { -128f, 0f, 127f }, NpyFile.Read(path).ToSingle());
        File.WriteAllBytes(path, TestFiles.Npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }\n", [0x00, 0x01]));
        Assert.Equal(TensorDType.Bool, NpyFile.Read(path).DType);
    }

    [Fact]
    public void Npy_void2_is_bfloat16_only_when_asked()
    {
        using var dir = new TempDirectory();
        string path = dir.File("v.npy");
        File.WriteAllBytes(path, TestFiles.Npy(1, "{'descr': '<V2', 'fortran_order': False, 'shape': (1,), }\n", [0x80, 0x3F]));
        Assert.Equal(new[] { 1f }, NpyFile.Read(path, new NpyReadOptions { UInt16AsBFloat16 = true }).ToSingle());
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));
        Assert.Contains("UInt16AsBFloat16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Safetensors_hand_made_file_with_every_required_dtype()
    {
        using SafetensorsFile file = SafetensorsFile.Open(TestFiles.Data("handmade.safetensors"));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("hand-made", file.Metadata["source"]);
        Assert.Equal(9, file.Tensors.Count);

        // Tensors are listed in data order whatever the order of the JSON keys.
        Assert.Equal(new[] { "q.e4m3", "w.f32", "w.f16", "w.bf16", "w.f64", "q.e5m2", "ids.i8", "ids.u8", "empty" }, file.Tensors.Select(t => t.Name));

        Assert.Equal(new[] { 0.5f, -1f, 2f, 0.25f }, file.ReadSingle("w.f32"));
        Assert.True(file.TryGetTensor("w.f32", out SafetensorsTensorInfo? f32));
        Assert.Equal((TensorDType.Float32, 4L, 20L), (f32.DType, f32.DataBegin, f32.DataEnd));
        Assert.Equal(new long[] { 2, 2 }, f32.Shape);
        Assert.Equal(new[] { 1f, -2f, 65504f }, file.ReadSingle("w.f16"));
        Assert.Equal(new[] { 1f, -5f }, file.ReadSingle("w.bf16"));
        Assert.Equal(new[] { (float)0.1 }, file.ReadSingle("w.f64"));
        Assert.Empty(file.ReadTensor("w.f64").Shape);

        float[] e4m3 = file.ReadSingle("q.e4m3");
        Assert.Equal(new[] { 1f, 448f, -448f }, e4m3[..3]);
        Assert.True(float.IsNaN(e4m3[3]));
        Assert.Equal(new[] { 1f, 57344f, float.PositiveInfinity, MathF.ScaleB(1f, -16) }, file.ReadSingle("q.e5m2"));
        Assert.Equal(new[] { -128f, 0f, 127f }, file.ReadSingle("ids.i8"));
        Assert.Equal(new[] { 0f, 255f }, file.ReadSingle("ids.u8"));
        Assert.Empty(file.ReadSingle("empty"));
        Assert.Equal(new long[] { 0, 4 }, file.Tensors[^1].Shape);
    }

    [Fact]
    public void Safetensors_null_metadata_extra_fields_and_leading_whitespace_inside_entries()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.safetensors");
        File.WriteAllBytes(
            path,
            TestFiles.Safetensors("{\"__metadata__\": null, \"t\": { \"shape\": [2], \"extra\": {\"a\": [1]}, \"data_offsets\": [0, 2], \"dtype\": \"I8\" } }     ", [0xFE, 0x05]));
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.Empty(file.Metadata);
        Assert.Equal(new[] { -2f, 5f }, file.ReadSingle("t"));
    }
}
