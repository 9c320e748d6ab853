// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Quantization.Tests;

/// <summary>Byte-exact agreement with ggml's reference quantizers and dequantizers (../shared/goldens/ggml_*.csv).</summary>
public sealed class GgmlGoldenTests
{
    private static readonly (GgmlType Type, string File)[] s_files =
    [
        (GgmlType.Q4_0, "ggml_q4_0.csv"),
        (GgmlType.Q4_1, "ggml_q4_1.csv"),
        (GgmlType.Q5_0, "ggml_q5_0.csv"),
        (GgmlType.Q8_0, "ggml_q8_0.csv"),
        (GgmlType.Q8_1, "ggml_q8_1.csv"),
        (GgmlType.Q4_K, "ggml_q4_K.csv"),
        (GgmlType.IQ4_NL, "ggml_iq4_nl.csv"),
        (GgmlType.MXFP4, "ggml_mxfp4.csv"),
        (GgmlType.NVFP4, "ggml_nvfp4.csv"),
    ];

    public static TheoryData<GgmlType, int> Rows()
    {
        var data = new TheoryData<GgmlType, int>();
        foreach ((GgmlType type, string file) in s_files)
        {
            foreach (Dictionary<string, string> row in Goldens.Read(file))
            {
                data.Add(type, int.Parse(row["row_id"], CultureInfo.InvariantCulture));
            }
        }

        return data;
    }

    private static Dictionary<string, string> Row(GgmlType type, int rowId) =>
        Goldens.Read(s_files.Single(f => f.Type == type).File).Single(r => r["row_id"] == rowId.ToString(CultureInfo.InvariantCulture));

    [Theory]
    [MemberData(nameof(Rows))]
    public void Quantize_matches_ggml_bytes(GgmlType type, int rowId)
    {
        Dictionary<string, string> golden = Row(type, rowId);
        float[] input = Goldens.GgmlInputs[rowId].Values;
        byte[] expected = Goldens.Bytes(golden["blocks_hex"]);
        Assert.Equal(expected.Length, GgmlBlocks.RowSize(type, input.Length));
        Assert.Equal(int.Parse(golden["block_bytes"], CultureInfo.InvariantCulture), GgmlBlocks.BlockBytes(type));

        byte[] actual = new byte[expected.Length];
        GgmlBlocks.Quantize(type, input, actual);

        // IQ4_NL: ggml leaves the codes of all-zero blocks uninitialised; compare only their scale (FORMATS.md §5 item 16).
        var unspecified = new HashSet<int>();
        if (golden.TryGetValue("unspecified_qs_blocks", out string? list) && list.Length > 0)
        {
            unspecified.UnionWith(list.Split(';').Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
        }

        int blockBytes = GgmlBlocks.BlockBytes(type);
        for (int b = 0; b < expected.Length / blockBytes; b++)
        {
            int compared = unspecified.Contains(b) ? 2 : blockBytes;
            string e = Convert.ToHexString(expected, b * blockBytes, compared);
            string a = Convert.ToHexString(actual, b * blockBytes, compared);
            Assert.True(e == a, $"{type} row {rowId} ({Goldens.GgmlInputs[rowId].Category}) block {b}:\n expected {e}\n actual   {a}");
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Dequantize_matches_ggml_floats(GgmlType type, int rowId)
    {
        Dictionary<string, string> golden = Row(type, rowId);
        byte[] blocks = Goldens.Bytes(golden["blocks_hex"]);
        var actual = new float[blocks.Length / GgmlBlocks.BlockBytes(type) * GgmlBlocks.BlockSize(type)];
        GgmlBlocks.Dequantize(type, blocks, actual);
        if (type == GgmlType.Q8_1)
        {
            // ggml has no Q8_1 dequantizer (empty column); the documented value is q·d with d the stored half.
            Assert.Empty(golden["dequant_hex"]);
            for (int i = 0; i < actual.Length; i++)
            {
                int b = i / 32;
                float d = (float)BitConverter.UInt16BitsToHalf((ushort)(blocks[b * 36] | (blocks[(b * 36) + 1] << 8)));
                Assert.Equal(Goldens.CanonicalBits((sbyte)blocks[(b * 36) + 4 + (i % 32)] * d), Goldens.CanonicalBits(actual[i]));
            }

            return;
        }

        float[] expected = Goldens.Floats(golden["dequant_hex"]);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Goldens.CanonicalBits(expected[i]) == Goldens.CanonicalBits(actual[i]),
                $"{type} row {rowId} element {i}: expected {expected[i]:R} got {actual[i]:R}");
        }
    }
}
