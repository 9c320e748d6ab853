// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Emulation.Internal;
using Numerics.Formats;

namespace Numerics.Emulation.Tests;

/// <summary>
/// The vectorized span path against the scalar reference with chunks that start anywhere (the start-index rounding of
/// Numerics.Formats): every mode, float and double storage, odd chunk counts, one and two threads, and flips.
/// </summary>
public class ChopperChunkingTests
{
    public static TheoryData<RoundingMode> AllModes => new(Enum.GetValues<RoundingMode>());

    private sealed class FloatBody(Chopper chopper) : IChunkBody<float>
    {
        public void Run(ReadOnlySpan<float> source, Span<float> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }

    private sealed class DoubleBody(Chopper chopper) : IChunkBody<double>
    {
        public void Run(ReadOnlySpan<double> source, Span<double> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }

    private static void AssertBits(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.DoubleToUInt64Bits(expected[i]) == BitConverter.DoubleToUInt64Bits(actual[i]), $"{what}: element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    private static void AssertBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToUInt32Bits(expected[i]) == BitConverter.SingleToUInt32Bits(actual[i]), $"{what}: element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(AllModes))]
    public void Chunks_starting_anywhere_give_the_scalar_reference_bits(RoundingMode mode)
    {
        var random = new Random(17 + (int)mode);
        int n = (2 * ParallelChunks.MinChunkLength) + 37;
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = random.Next(8) == 0
                ? BitConverter.Int64BitsToDouble(random.NextInt64() | ((long)random.Next(2) << 63))
                : (random.NextDouble() - 0.5) * Math.ScaleB(1.0, random.Next(-30, 20));
        }

        float[] xf = [.. x.Select(v => (float)v)];
        (FloatFormat Format, ChopOptions Options)[] cases =
        [
            (FloatFormat.BFloat16, new ChopOptions { Seed = 3, Overflow = OverflowMode.SaturatingFinite }),
            (FloatFormat.E4M3FN, new ChopOptions { Seed = 5, FlipProbability = 0.05, FlipFields = BitFlipFields.All }),
            (FloatFormat.Create(7, -30, 31), new ChopOptions { Seed = 6, Subnormals = false }),
            (FloatFormat.E5M2, new ChopOptions { Seed = 7, LimitExponent = false }),
        ];
        foreach ((FloatFormat format, ChopOptions options) in cases)
        {
            var chopper = new Chopper(format, mode, options with { MaxDegreeOfParallelism = 2 });
            var scalarD = new double[n];
            var scalarF = new float[n];
            chopper.RunScalar(x, scalarD, 0);
            chopper.RunScalar(xf, scalarF, 0);
            var one = new double[n];
            var oneF = new float[n];
            new Chopper(format, mode, options).Chop(x, one);
            new Chopper(format, mode, options).Chop(xf, oneF);
            AssertBits(scalarD, one, $"{format} {mode} double one thread");
            AssertBits(scalarF, oneF, $"{format} {mode} float one thread");
            var two = new double[n];
            var twoF = new float[n];
            chopper.Chop(x, two);
            chopper.Chop(xf, twoF);
            AssertBits(scalarD, two, $"{format} {mode} double two threads");
            AssertBits(scalarF, twoF, $"{format} {mode} float two threads");
            foreach (int chunks in new[] { 3, 7, 13 })
            {
                var chunked = new double[n];
                var chunkedF = new float[n];
                ParallelChunks.RunChunks<double, DoubleBody>(x, chunked, chunks, 1, new DoubleBody(chopper));
                ParallelChunks.RunChunks<float, FloatBody>(xf, chunkedF, chunks, 2, new FloatBody(chopper));
                AssertBits(scalarD, chunked, $"{format} {mode} double {chunks} chunks");
                AssertBits(scalarF, chunkedF, $"{format} {mode} float {chunks} chunks");
            }

            // A chunk that starts at an arbitrary element: the span path keys element i by firstIndex + i.
            var part = new double[1001];
            var partF = new float[1001];
            chopper.RunSpan(x.AsSpan(12_345, 1001), part, 12_345);
            chopper.RunSpan(xf.AsSpan(12_345, 1001), partF, 12_345);
            AssertBits(scalarD.AsSpan(12_345, 1001), part, $"{format} {mode} double offset chunk");
            AssertBits(scalarF.AsSpan(12_345, 1001), partF, $"{format} {mode} float offset chunk");
        }
    }

    [Fact]
    public void Vectorized_span_calls_do_not_allocate_in_any_mode()
    {
        var x = new float[4099];
        var y = new float[4099];
        var xd = new double[4099];
        var yd = new double[4099];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i - 2000) * 0.37f;
            xd[i] = (i - 2000) * 0.37;
        }

        Chopper[] choppers =
        [
            new(FloatFormat.Create(7, -30, 31)),
            new(FloatFormat.E4M3FN, RoundingMode.Stochastic, new ChopOptions { Seed = 1 }),
            new(FloatFormat.BFloat16, RoundingMode.StochasticUniform, new ChopOptions { Seed = 2 }),
            new(FloatFormat.Binary16, RoundingMode.TowardPositive),
        ];
        foreach (Chopper chopper in choppers)
        {
            chopper.Chop(x, y);
            chopper.Chop(xd, yd);
        }

        ZeroAllocation.Assert(() =>
        {
            foreach (Chopper chopper in choppers)
            {
                chopper.Chop(x, y);
                chopper.Chop(xd, yd);
                chopper.Chop(y);
            }
        });
    }
}
