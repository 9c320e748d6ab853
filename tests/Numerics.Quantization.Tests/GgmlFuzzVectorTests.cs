// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Quantization.Tests;

/// <summary>
/// Byte-exact agreement with ggml's C reference on adversarial blocks found by fuzzing (Vectors/ggml_fuzz_vectors.csv:
/// rounding ties, grid midpoints, fp16 scale boundaries, subnormal mixes, float.MaxValue, E8M0/UE4M3 scale edges; the
/// file's header names the generator and the ggml commit). Complements the published goldens in <see cref="GgmlGoldenTests"/>.
/// </summary>
public sealed class GgmlFuzzVectorTests
{
    private const string File = "ggml_fuzz_vectors.csv";

    private static readonly Lazy<List<(GgmlType Type, string Class, string Input, string Blocks, string Dequant)>> s_rows = new(() =>
        System.IO.File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Vectors", File))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("type,", StringComparison.Ordinal))
            .Select(l => l.Split(','))
            .Select(c => (Enum.Parse<GgmlType>(c[0]), c[1], c[2], c[3], c[4]))
            .ToList());

    /// <summary>Rows with an input block (the rest are dequantize-only).</summary>
    public static TheoryData<GgmlType, int> QuantizeRows() => Select(r => r.Input.Length > 0);

    /// <summary>Rows of the types ggml can dequantize (all but Q8_1).</summary>
    public static TheoryData<GgmlType, int> DequantizeRows() => Select(r => r.Type != GgmlType.Q8_1);

    private static TheoryData<GgmlType, int> Select(Func<(GgmlType Type, string Class, string Input, string Blocks, string Dequant), bool> keep)
    {
        var data = new TheoryData<GgmlType, int>();
        for (int i = 0; i < s_rows.Value.Count; i++)
        {
            if (keep(s_rows.Value[i]))
            {
                data.Add(s_rows.Value[i].Type, i);
            }
        }

        return data;
    }

    [Fact]
    public void The_file_covers_every_type()
    {
        Assert.Equal(Enum.GetValues<GgmlType>().Order(), s_rows.Value.Select(r => r.Type).Distinct().Order());
        Assert.All(Enum.GetValues<GgmlType>(), t => Assert.True(s_rows.Value.Count(r => r.Type == t && r.Input.Length > 0) >= 5, $"{t}: too few rows"));
    }

    [Theory]
    [MemberData(nameof(QuantizeRows))]
    public void Quantize_matches_ggml_bytes(GgmlType type, int row)
    {
        (_, string cls, string input, string blocks, _) = s_rows.Value[row];
        float[] x = Goldens.Floats(input);
        byte[] expected = Goldens.Bytes(blocks);
        Assert.Equal(GgmlBlocks.BlockSize(type), x.Length);
        var actual = new byte[expected.Length];
        GgmlBlocks.Quantize(type, x, actual);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{type} row {row} ({cls}):\n expected {blocks}\n actual   {Convert.ToHexString(actual).ToLowerInvariant()}");
    }

    [Theory]
    [MemberData(nameof(DequantizeRows))]
    public void Dequantize_matches_ggml_floats(GgmlType type, int row)
    {
        (_, string cls, _, string blocks, string dequant) = s_rows.Value[row];
        float[] expected = Goldens.Floats(dequant);
        var actual = new float[GgmlBlocks.BlockSize(type)];
        GgmlBlocks.Dequantize(type, Goldens.Bytes(blocks), actual);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Goldens.CanonicalBits(expected[i]) == Goldens.CanonicalBits(actual[i]),
                string.Create(CultureInfo.InvariantCulture, $"{type} row {row} ({cls}) element {i}: expected {expected[i]:R} got {actual[i]:R}"));
        }
    }
}
