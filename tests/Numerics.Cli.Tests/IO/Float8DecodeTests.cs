// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Cli.IO;

namespace Numerics.Cli.Tests.IO;

/// <summary>The FP8 float32 view against the ml_dtypes decode tables (Goldens/fp8_decode_tables.csv).</summary>
public sealed class Float8DecodeTests
{
    [Theory]
    [InlineData("float8_e4m3fn", TensorDType.Float8E4M3FN)]
    [InlineData("float8_e5m2", TensorDType.Float8E5M2)]
    public void Every_code_decodes_as_the_golden_table_says(string format, TensorDType dtype)
    {
        var rows = File.ReadLines(TestFiles.Golden("fp8_decode_tables.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Where(f => f[0] == format)
            .ToList();
        Assert.Equal(256, rows.Count);
        byte[] codes = [.. rows.Select(f => byte.Parse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
        float[] values = new TensorData(dtype, [codes.Length], codes).ToSingle();
        for (int i = 0; i < rows.Count; i++)
        {
            double expected = TestFiles.ParseHexFloat(rows[i][7]);
            if (double.IsNaN(expected))
            {
                Assert.True(float.IsNaN(values[i]), $"{format} code {rows[i][2]}");
            }
            else
            {
                // Bits, so that the sign of zero counts.
                Assert.True(
                    BitConverter.SingleToUInt32Bits((float)expected) == BitConverter.SingleToUInt32Bits(values[i]),
                    $"{format} code {rows[i][2]}: expected {expected}, got {values[i]}");
            }
        }
    }

    [Fact]
    public void Half_bfloat16_and_float64_views()
    {
        Assert.Equal(new[] { 1f, -0.5f, 65504f, float.NegativeInfinity }, TensorData.FromHalf([(Half)1, (Half)(-0.5), Half.MaxValue, Half.NegativeInfinity], [4]).ToSingle());
        Assert.Equal(new[] { 1f, float.PositiveInfinity }, TensorData.FromBits(TensorDType.BFloat16, [0x3F80, 0x7F80], [2]).ToSingle());

        // 1 + 2^-24 is a tie between 1 and 1 + 2^-23 in binary32: nearest-even gives 1; 1 + 3·2^-25 rounds up.
        Assert.Equal(new[] { 1f, 1f + MathF.ScaleB(1f, -23) }, TensorData.FromDouble([1 + Math.ScaleB(1.0, -24), 1 + (3 * Math.ScaleB(1.0, -25))], [2]).ToSingle());
    }

    [Fact]
    public void TensorData_validates_its_arguments()
    {
        Assert.Throws<ArgumentException>("data", () => new TensorData(TensorDType.Float32, [2], new byte[4]));
        Assert.Throws<ArgumentOutOfRangeException>("shape", () => new TensorData(TensorDType.Float32, [-1], []));
        Assert.Throws<ArgumentNullException>("data", () => new TensorData(TensorDType.Float32, [1], null!));
        Assert.Throws<ArgumentException>("destination", () => TensorData.FromSingle([1f], [1]).ToSingle(new float[2]));
        Assert.Throws<ArgumentException>("dtype", () => TensorData.FromBits(TensorDType.Float32, [1], [1]));
    }
}
