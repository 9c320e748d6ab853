// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization.Tests;

/// <summary>
/// The vectorized INT8/INT4 quantize and dequantize paths give the scalar reference's bits at every width (512, 256, 128 and the
/// scalar loop; Vector512 runs in software without AVX-512), on random and edge-case groups.
/// </summary>
public sealed class IntegerSimdTests
{
    private static readonly int[] s_widths = [512, 256, 128, 1];

    /// <summary>Random values with edge-case groups: zeros, constants, single outliers, subnormals, huge values, exact ties and values 1-3 ulps from them.</summary>
    private static float[] Data(Random rng, int length, int group)
    {
        var x = new float[length];
        for (int start = 0; start < length; start += group)
        {
            int kind = rng.Next(10);
            float scale = kind switch { 0 => 0, 1 => 1e-40f, 2 => 3e38f, 3 => 1e-30f, _ => MathF.ScaleB(1, rng.Next(-20, 20)) };
            int end = Math.Min(length, start + group);
            for (int i = start; i < end; i++)
            {
                x[i] = kind switch
                {
                    4 => 2.5f * scale, // constant
                    5 => (rng.Next(-7, 8) + 0.5f) * scale / 7, // ties of x / scale after a 7·scale/7 amax
                    9 => Nudge((rng.Next(-7, 8) + 0.5f) * scale / 7, rng.Next(-3, 4)), // 0-3 ulps from those ties
                    _ => (float)((rng.NextDouble() * 2) - 1) * scale,
                };
            }

            if (kind is 5 or 9)
            {
                x[start] = scale;
            }

            if (kind == 6)
            {
                x[start + rng.Next(end - start)] = 1e6f * scale; // single outlier
            }
        }

        return x;
    }

    /// <summary><paramref name="x"/> moved by <paramref name="ulps"/> units in the last place (toward +∞ when positive).</summary>
    private static float Nudge(float x, int ulps)
    {
        for (; ulps > 0; ulps--)
        {
            x = MathF.BitIncrement(x);
        }

        for (; ulps < 0; ulps++)
        {
            x = MathF.BitDecrement(x);
        }

        return x;
    }

    public static TheoryData<int, bool, bool> Configurations()
    {
        var data = new TheoryData<int, bool, bool>();
        foreach (int bits in new[] { 8, 4 })
        {
            foreach (bool signed in new[] { true, false })
            {
                foreach (bool symmetric in new[] { true, false })
                {
                    data.Add(bits, signed, symmetric);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Every_width_matches_the_scalar_reference(int bits, bool isSigned, bool symmetric)
    {
        var rng = new Random((bits * 10) + (isSigned ? 1 : 0) + (symmetric ? 2 : 0));
        var layouts = new (QuantizationGranularity Granularity, int Axis, int Group, int Rows, int Columns)[]
        {
            (QuantizationGranularity.PerGroup, 1, 32, 5, 96),
            (QuantizationGranularity.PerGroup, 1, 128, 3, 256),
            (QuantizationGranularity.PerGroup, 1, 128, 2, 200), // last group of each row shorter (72)
            (QuantizationGranularity.PerGroup, 1, 6, 4, 22),
            (QuantizationGranularity.PerChannel, 0, 0, 7, 70),
            (QuantizationGranularity.PerTensor, 1, 0, 1, 1001),
            (QuantizationGranularity.PerTensor, 1, 0, 9, 37),
        };
        foreach ((QuantizationGranularity granularity, int axis, int group, int rows, int columns) in layouts)
        {
            var options = new IntegerQuantizationOptions
            {
                Bits = bits, IsSigned = isSigned, Symmetric = symmetric, Granularity = granularity, Axis = axis, GroupSize = Math.Max(group, 1),
            };
            Assert.True(IntegerKernels.Supports(options, rows, columns), $"{granularity} {rows}x{columns}");
            for (int trial = 0; trial < 6; trial++)
            {
                float[] x = Data(rng, rows * columns, group == 0 ? columns : group);
                QuantizedTensor reference = IntegerQuantizer.QuantizeReference(x, rows, columns, options);
                float[] expected = new float[x.Length];
                reference.DequantizeReference(expected);
                foreach (int width in s_widths)
                {
                    Assert.True(IntegerKernels.TryQuantize(x, rows, columns, options, width, out QuantizedTensor? q));
                    Assert.Equal(reference.Data.ToArray(), q.Data.ToArray());
                    Assert.Equal(reference.Scales.ToArray(), q.Scales.ToArray());
                    Assert.Equal(reference.ZeroPoints.ToArray(), q.ZeroPoints.ToArray());

                    float[] actual = new float[x.Length + 1];
                    actual[^1] = 12345; // canary
                    reference.DequantizeWidth(actual.AsSpan(0, x.Length), width);
                    for (int k = 0; k < x.Length; k++)
                    {
                        Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(actual[k]), $"width {width} k {k}: {expected[k]:R} vs {actual[k]:R}");
                    }

                    Assert.Equal(12345f, actual[^1]);
                }

                // The public entry points take the vector path and agree too.
                Assert.Equal(reference.Data.ToArray(), IntegerQuantizer.Quantize(x, rows, columns, options).Data.ToArray());
                Assert.Equal(expected, reference.ToFloat());
            }
        }
    }

    [Fact]
    public void Non_finite_values_make_the_vector_path_decline_and_the_public_path_throw_or_saturate()
    {
        foreach (int width in s_widths)
        {
            var x = new float[256];
            x[200] = float.PositiveInfinity;
            Assert.False(IntegerKernels.TryQuantize(x, 2, 128, IntegerQuantizationOptions.Int4PerGroup128, width, out _));
            x[200] = float.NaN;
            Assert.False(IntegerKernels.TryQuantize(x, 2, 128, IntegerQuantizationOptions.Int4PerGroup128, width, out _));
        }

        var y = new float[256];
        y[3] = 1;
        y[200] = float.NaN;
        ArgumentException e = Assert.Throws<ArgumentException>(() => IntegerQuantizer.Quantize(y, 2, 128, IntegerQuantizationOptions.Int4PerGroup128));
        Assert.Contains("data[200]", e.Message, StringComparison.Ordinal);
        Assert.Equal("data", e.ParamName);
    }

    [Fact]
    public void Layouts_with_strided_or_odd_groups_use_the_reference()
    {
        Assert.False(IntegerKernels.Supports(new IntegerQuantizationOptions { Bits = 4, Granularity = QuantizationGranularity.PerChannel, Axis = 1 }, 4, 4));
        Assert.False(IntegerKernels.Supports(new IntegerQuantizationOptions { Bits = 4, Granularity = QuantizationGranularity.PerGroup, GroupSize = 3 }, 4, 12));
        Assert.False(IntegerKernels.Supports(new IntegerQuantizationOptions { Bits = 4, Granularity = QuantizationGranularity.PerChannel, Axis = 0 }, 4, 5));
        Assert.False(IntegerKernels.Supports(new IntegerQuantizationOptions { Bits = 2 }, 4, 4));
        Assert.True(IntegerKernels.Supports(new IntegerQuantizationOptions { Bits = 8, Granularity = QuantizationGranularity.PerGroup, GroupSize = 3 }, 4, 13));
    }
}
