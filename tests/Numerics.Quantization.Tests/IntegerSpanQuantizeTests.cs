// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;
using Numerics.Quantization;

namespace Numerics.Quantization.Tests;

/// <summary>The caller-buffer <see cref="IntegerQuantizer.QuantizeInto"/>
/// against the allocating entry point (itself checked against the scalar reference and naive models elsewhere).</summary>
public sealed class IntegerSpanQuantizeTests
{
    public static TheoryData<int, bool, bool, QuantizationGranularity, int, int, RoundingMode, IntegerScaleMethod> Options() => new()
    {
        { 4, true, true, QuantizationGranularity.PerGroup, 1, 128, RoundingMode.NearestEven, IntegerScaleMethod.MinMax },
        { 4, true, true, QuantizationGranularity.PerGroup, 1, 32, RoundingMode.NearestEven, IntegerScaleMethod.MinMax },
        { 4, false, false, QuantizationGranularity.PerGroup, 1, 64, RoundingMode.NearestEven, IntegerScaleMethod.MinMax },
        { 4, true, true, QuantizationGranularity.PerGroup, 1, 7, RoundingMode.NearestEven, IntegerScaleMethod.MinMax }, // odd groups: scalar path
        { 8, true, true, QuantizationGranularity.PerChannel, 0, 0, RoundingMode.NearestEven, IntegerScaleMethod.MinMax },
        { 8, true, false, QuantizationGranularity.PerChannel, 1, 0, RoundingMode.NearestEven, IntegerScaleMethod.MinMax }, // strided: scalar path
        { 8, false, false, QuantizationGranularity.PerTensor, 0, 0, RoundingMode.NearestEven, IntegerScaleMethod.MinMax },
        { 4, true, false, QuantizationGranularity.PerTensor, 0, 0, RoundingMode.NearestEven, IntegerScaleMethod.MinMax }, // odd lengths: a last half byte
        { 3, true, true, QuantizationGranularity.PerGroup, 1, 32, RoundingMode.NearestEven, IntegerScaleMethod.MinMax },
        { 2, false, false, QuantizationGranularity.PerGroup, 1, 16, RoundingMode.NearestEven, IntegerScaleMethod.MinMax },
        { 4, true, true, QuantizationGranularity.PerGroup, 1, 32, RoundingMode.Stochastic, IntegerScaleMethod.MinMax },
        { 8, true, true, QuantizationGranularity.PerChannel, 0, 0, RoundingMode.NearestEven, IntegerScaleMethod.MseSearch },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Span_form_gives_the_bits_of_the_allocating_form(
        int bits, bool isSigned, bool symmetric, QuantizationGranularity granularity, int axis, int group, RoundingMode rounding, IntegerScaleMethod method)
    {
        var options = new IntegerQuantizationOptions
        {
            Bits = bits, IsSigned = isSigned, Symmetric = symmetric, Granularity = granularity, Axis = axis,
            GroupSize = group == 0 ? 128 : group, Rounding = rounding, ScaleMethod = method, Seed = 5,
        };
        foreach ((int rows, int columns) in new[] { (1, 1), (3, 70), (8, 256), (5, 33) })
        {
            var rng = new Random((rows * 1000) + columns);
            float[] x = new float[rows * columns];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (float)((rng.NextDouble() - 0.4) * Math.Pow(10, rng.Next(-3, 3)));
            }

            QuantizedTensor expected = IntegerQuantizer.Quantize(x, rows, columns, options);
            int groups = IntegerQuantizer.GroupCount(rows, columns, options);
            var codes = new byte[BitPacking.PackedBytes(bits, x.Length)];
            Array.Fill(codes, (byte)0xA5); // stale contents must not leak into the result
            var scales = new float[groups];
            var zeroPoints = new int[groups];
            IntegerQuantizer.QuantizeInto(x, rows, columns, options, codes, scales, zeroPoints);
            Assert.Equal(expected.Data.ToArray(), codes);
            Assert.Equal(expected.Scales.ToArray().Select(BitConverter.SingleToInt32Bits), scales.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(expected.ZeroPoints.ToArray(), zeroPoints);
        }
    }

    [Fact]
    public void Vectorized_layouts_allocate_nothing()
    {
        const int Rows = 16, Columns = 512;
        var x = new float[Rows * Columns];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = MathF.Sin(i);
        }

        IntegerQuantizationOptions o = IntegerQuantizationOptions.Int4PerGroup128;
        var codes = new byte[BitPacking.PackedBytes(4, x.Length)];
        var scales = new float[IntegerQuantizer.GroupCount(Rows, Columns, o)];
        var zeroPoints = new int[scales.Length];
        IntegerQuantizer.QuantizeInto(x, Rows, Columns, o, codes, scales, zeroPoints); // warm up (JIT)
        ZeroAllocation.Assert(() =>
        {
            IntegerQuantizer.QuantizeInto(x, Rows, Columns, o, codes, scales, zeroPoints);
        });
    }

    [Fact]
    public void Wrong_buffer_lengths_name_the_argument()
    {
        var x = new float[2 * 256];
        IntegerQuantizationOptions o = IntegerQuantizationOptions.Int4PerGroup128;
        Assert.Equal(4, IntegerQuantizer.GroupCount(2, 256, o));
        Assert.Throws<ArgumentException>("codes", () => IntegerQuantizer.QuantizeInto(x, 2, 256, o, new byte[255], new float[4], new int[4]));
        Assert.Throws<ArgumentException>("scales", () => IntegerQuantizer.QuantizeInto(x, 2, 256, o, new byte[256], new float[3], new int[4]));
        Assert.Throws<ArgumentException>("zeroPoints", () => IntegerQuantizer.QuantizeInto(x, 2, 256, o, new byte[256], new float[4], new int[5]));
        Assert.Throws<ArgumentException>("data", () => IntegerQuantizer.QuantizeInto(x.AsSpan(1), 2, 256, o, new byte[256], new float[4], new int[4]));
        x[300] = float.NaN;
        ArgumentException e = Assert.Throws<ArgumentException>(() => IntegerQuantizer.QuantizeInto(x, 2, 256, o, new byte[256], new float[4], new int[4]));
        Assert.Contains("300", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The 512-bit encoder takes a float quotient except near half-integers: values placed at (k + 1/2)·scale and
    /// up to 4 ulps either side (ties, near-ties, both signs, every code, 4-bit and 8-bit, symmetric and asymmetric) must give the
    /// reference's bits.</summary>
    [Theory]
    [InlineData(4, true, true)]
    [InlineData(4, false, false)]
    [InlineData(8, true, true)]
    [InlineData(8, true, false)]
    public void Near_half_integer_quotients_match_the_reference_at_every_width(int bits, bool isSigned, bool symmetric)
    {
        const int Group = 64;
        var options = new IntegerQuantizationOptions
        {
            Bits = bits, IsSigned = isSigned, Symmetric = symmetric, Granularity = QuantizationGranularity.PerGroup, Axis = 1, GroupSize = Group,
        };
        var rng = new Random(bits * 10 + (isSigned ? 1 : 0) + (symmetric ? 2 : 0));
        int half = (1 << (bits - 1)) - 1;
        const int Rows = 64;
        var x = new float[Rows * Group];
        for (int r = 0; r < Rows; r++)
        {
            float amax = (float)(Math.Pow(2, rng.Next(-20, 20)) * (1 + rng.NextDouble()));
            double scale = (float)(amax / half); // the symmetric scale the quantizer derives from this group
            x[r * Group] = amax;
            x[(r * Group) + 1] = -amax;
            for (int c = 2; c < Group; c++)
            {
                double k = rng.Next(-half, half) + 0.5;
                float v = (float)(k * scale);
                for (int u = rng.Next(-4, 5); u != 0; u -= Math.Sign(u))
                {
                    v = u > 0 ? MathF.BitIncrement(v) : MathF.BitDecrement(v);
                }

                x[(r * Group) + c] = Math.Abs(v) <= amax ? v : 0;
            }
        }

        QuantizedTensor reference = IntegerQuantizer.QuantizeReference(x, Rows, Group, options);
        foreach (int width in new[] { 512, 256, 128, 1 })
        {
            Assert.True(IntegerKernels.TryQuantize(x, Rows, Group, options, width, out QuantizedTensor? q));
            Assert.Equal(reference.Data.ToArray(), q.Data.ToArray());
            Assert.Equal(reference.Scales.ToArray(), q.Scales.ToArray());
            Assert.Equal(reference.ZeroPoints.ToArray(), q.ZeroPoints.ToArray());
        }
    }
}
