// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Emulation.Internal;
using Numerics.Formats;

namespace Numerics.Emulation.Tests;

/// <summary>
/// The vectorized fixed-point chop (<see cref="FixedPointOperator{TMode}"/>) against the scalar reference
/// (<see cref="FixedPointChopper.RunScalar(ReadOnlySpan{double}, Span{double}, long)"/>), bit for bit: every width entry point called
/// directly, every rounding mode, saturation and wrap, signed and unsigned formats from 1 to 53 bits, float and double storage,
/// random and edge inputs (±0, subnormals, ±∞, NaNs, the range limits, ties and their neighbours), start indices anywhere, in
/// place, chunked and threaded.
/// </summary>
public class FixedPointVectorTests
{
    private static readonly FixedPointFormat[] FormatsUnderTest =
    [
        new(1, 0), new(4, 12), new(8, 16), new(1, 15), new(0, 8, isSigned: false), new(8, 0, isSigned: false), new(3, 5, isSigned: false),
        new(16, 37), new(0, 53, isSigned: false), new(30, 23), new(1, 52), new(53, 0, isSigned: false), new(53, 0), new(12, 12),
        new(0, 24, isSigned: false), new(24, 0, isSigned: false), new(24, 0),
    ];

    public static TheoryData<RoundingMode> AllModes => new(Enum.GetValues<RoundingMode>());

    /// <summary>Random values over (and beyond) the range, grid points, ties, tie ± ulp, the range limits, and specials.</summary>
    internal static double[] Inputs(FixedPointFormat format, int n, int seed)
    {
        var random = new Random(seed);
        double step = format.Resolution;
        double[] edges =
        [
            0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, -double.NaN,
            BitConverter.UInt64BitsToDouble(0x7FF0_0000_0000_0001), BitConverter.UInt64BitsToDouble(0xFFFF_FFFF_FFFF_FFFF),
            double.Epsilon, -double.Epsilon, 1e-310, -1e-310, float.Epsilon, double.MaxValue, -double.MaxValue, 1e300, -1e300,
            format.MaxValue, format.MinValue, format.MaxValue + (step / 2), format.MinValue - (step / 2), format.MaxValue + step, format.MinValue - step,
            Math.BitIncrement(format.MaxValue), Math.BitDecrement(format.MinValue), step / 2, -step / 2, step, -step,
            Math.ScaleB(1.0, format.IntegerBits), -Math.ScaleB(1.0, format.IntegerBits), Math.ScaleB(1.0, format.IntegerBits + 1),
            -Math.ScaleB(1.0, format.IntegerBits + 1), Math.BitDecrement(Math.ScaleB(1.0, format.IntegerBits + 1)),
            Math.ScaleB(3.0, format.IntegerBits + 5), -Math.ScaleB(5.0, format.IntegerBits + 9) + step,
        ];
        var x = new double[n];
        double span = format.MaxValue - format.MinValue;
        for (int i = 0; i < n; i++)
        {
            double code = Math.Round(format.MinCode + (random.NextDouble() * (format.MaxCode - format.MinCode))) + random.Next(-2, 3);
            x[i] = random.Next(9) switch
            {
                0 => edges[random.Next(edges.Length)],
                1 => BitConverter.Int64BitsToDouble(random.NextInt64() | ((long)random.Next(2) << 63)),
                2 => code * step,
                3 => (code + 0.5) * step,
                4 => random.Next(2) == 0 ? Math.BitIncrement((code + 0.5) * step) : Math.BitDecrement((code + 0.5) * step),
                5 => (random.NextDouble() - 0.5) * 8 * step,
                6 => (random.NextDouble() - 0.5) * 6 * Math.Max(span, step),
                _ => format.MinValue + (random.NextDouble() * span),
            };
        }

        return x;
    }

    private static void AssertBits(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, ReadOnlySpan<double> input, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToUInt64Bits(expected[i]) == BitConverter.DoubleToUInt64Bits(actual[i]))
            {
                continue;   // format the message only on a failure
            }

            Assert.Fail(
                $"{what}: element {i} (x = {input[i]:R}): expected {expected[i]:R} (0x{BitConverter.DoubleToUInt64Bits(expected[i]):X16}), got {actual[i]:R} (0x{BitConverter.DoubleToUInt64Bits(actual[i]):X16})");
        }
    }

    private static void AssertBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, ReadOnlySpan<float> input, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToUInt32Bits(expected[i]) == BitConverter.SingleToUInt32Bits(actual[i]))
            {
                continue;
            }

            Assert.Fail(
                $"{what}: element {i} (x = {input[i]:R}): expected {expected[i]:R} (0x{BitConverter.SingleToUInt32Bits(expected[i]):X8}), got {actual[i]:R} (0x{BitConverter.SingleToUInt32Bits(actual[i]):X8})");
        }
    }

    [Theory]
    [MemberData(nameof(AllModes))]
    public void Every_width_matches_the_scalar_reference(RoundingMode mode)
    {
        const int N = 2053;
        foreach (FixedPointFormat format in FormatsUnderTest)
        {
            double[] x = Inputs(format, N, (format.TotalBits * 31) + (int)mode);
            float[] xf = [.. x.Select(v => (float)v)];
            foreach (FixedPointOverflow overflow in new[] { FixedPointOverflow.Saturate, FixedPointOverflow.Wrap })
            {
                var chopper = new FixedPointChopper(format, mode, overflow, seed: 77);
                foreach (long first in new long[] { 0, 991, -5, long.MaxValue - 1000 })
                {
                    var expected = new double[N];
                    chopper.RunScalar(x, expected, first);
                    foreach (int length in new[] { N, 1, 3, 7, 8, 9, 17 })
                    {
                        string what = $"{format} {mode} {overflow} first={first} n={length}";
                        ReadOnlySpan<double> source = x.AsSpan(0, length);
                        var a = new double[length];
                        var b = new double[length];
                        var c = new double[length];
                        var d = new double[length];
                        RunWidths(chopper, source, a, b, c, first);
                        chopper.RunSpan(source, d, first);
                        AssertBits(expected.AsSpan(0, length), a, source, what + " v128");
                        AssertBits(expected.AsSpan(0, length), b, source, what + " v256");
                        AssertBits(expected.AsSpan(0, length), c, source, what + " v512");
                        AssertBits(expected.AsSpan(0, length), d, source, what + " dispatch");
                    }
                }

                if (format.TotalBits <= 24)
                {
                    foreach (long first in new long[] { 0, 991 })
                    {
                        var expected = new float[N];
                        chopper.RunScalar(xf, expected, first);
                        foreach (int length in new[] { N, 1, 4, 15, 16, 17, 33 })
                        {
                            string what = $"{format} {mode} {overflow} float first={first} n={length}";
                            ReadOnlySpan<float> source = xf.AsSpan(0, length);
                            var a = new float[length];
                            var b = new float[length];
                            var c = new float[length];
                            var d = new float[length];
                            RunWidths(chopper, source, a, b, c, first);
                            chopper.RunSpan(source, d, first);
                            AssertBits(expected.AsSpan(0, length), a, source, what + " v128");
                            AssertBits(expected.AsSpan(0, length), b, source, what + " v256");
                            AssertBits(expected.AsSpan(0, length), c, source, what + " v512");
                            AssertBits(expected.AsSpan(0, length), d, source, what + " dispatch");
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllModes))]
    public void Span_calls_match_the_scalar_reference_in_place_chunked_and_threaded(RoundingMode mode)
    {
        int n = (3 * ParallelChunks.MinChunkLength) + 13;
        foreach (FixedPointFormat format in new FixedPointFormat[] { new(4, 12), new(0, 10, isSigned: false), new(20, 30) })
        {
            double[] x = Inputs(format, n, 5 + (int)mode);
            float[] xf = [.. x.Select(v => (float)v)];
            foreach (FixedPointOverflow overflow in new[] { FixedPointOverflow.Saturate, FixedPointOverflow.Wrap })
            {
                var chopper = new FixedPointChopper(format, mode, overflow, seed: 123);
                var scalar = new double[n];
                chopper.RunScalar(x, scalar, 0);
                var span = new double[n];
                chopper.Chop(x, span);
                AssertBits(scalar, span, x, $"{format} {mode} {overflow} span");
                double[] inPlace = (double[])x.Clone();
                chopper.Chop(inPlace);
                AssertBits(scalar, inPlace, x, $"{format} {mode} {overflow} in place");
                var two = new double[n];
                new FixedPointChopper(format, mode, overflow, seed: 123, maxDegreeOfParallelism: 2).Chop(x, two);
                AssertBits(scalar, two, x, $"{format} {mode} {overflow} two threads");
                foreach (int chunks in new[] { 2, 5, 7 })
                {
                    var chunked = new double[n];
                    ParallelChunks.RunChunks(x, chunked, chunks, 2, new DoubleBody(chopper));
                    AssertBits(scalar, chunked, x, $"{format} {mode} {overflow} {chunks} chunks");
                }

                if (format.TotalBits <= 24)
                {
                    var scalarF = new float[n];
                    chopper.RunScalar(xf, scalarF, 0);
                    float[] inPlaceF = (float[])xf.Clone();
                    chopper.Chop(inPlaceF);
                    AssertBits(scalarF, inPlaceF, xf, $"{format} {mode} {overflow} float in place");
                    var chunkedF = new float[n];
                    ParallelChunks.RunChunks(xf, chunkedF, 3, 2, new FloatBody(chopper));
                    AssertBits(scalarF, chunkedF, xf, $"{format} {mode} {overflow} float 3 chunks");
                }
            }
        }
    }

    [Fact]
    public void Span_calls_do_not_allocate()
    {
        var x = new float[4099];
        var xd = new double[4099];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i - 2000) * 0.0137f;
            xd[i] = x[i];
        }

        FixedPointChopper[] choppers =
        [
            new(new FixedPointFormat(4, 12)),
            new(new FixedPointFormat(4, 12), RoundingMode.Stochastic, FixedPointOverflow.Wrap, seed: 3),
            new(new FixedPointFormat(8, 8, isSigned: false), RoundingMode.ToOdd),
        ];
        foreach (FixedPointChopper chopper in choppers)
        {
            chopper.Chop(x);
            chopper.Chop(xd);
        }

        ZeroAllocation.Assert(() =>
        {
            foreach (FixedPointChopper chopper in choppers)
            {
                chopper.Chop(x);
                chopper.Chop(xd);
            }
        });
    }

    private static void RunWidths(FixedPointChopper chopper, ReadOnlySpan<double> source, double[] a, double[] b, double[] c, long first)
    {
        switch (chopper.Rounding)
        {
            case RoundingMode.NearestEven: RunWidths(new FixedPointOperator<FixedNearestEven>(chopper), source, a, b, c, first); break;
            case RoundingMode.NearestAway: RunWidths(new FixedPointOperator<FixedNearestAway>(chopper), source, a, b, c, first); break;
            case RoundingMode.NearestTowardZero: RunWidths(new FixedPointOperator<FixedNearestTowardZero>(chopper), source, a, b, c, first); break;
            case RoundingMode.TowardZero: RunWidths(new FixedPointOperator<FixedTowardZero>(chopper), source, a, b, c, first); break;
            case RoundingMode.TowardPositive: RunWidths(new FixedPointOperator<FixedTowardPositive>(chopper), source, a, b, c, first); break;
            case RoundingMode.TowardNegative: RunWidths(new FixedPointOperator<FixedTowardNegative>(chopper), source, a, b, c, first); break;
            case RoundingMode.ToOdd: RunWidths(new FixedPointOperator<FixedToOdd>(chopper), source, a, b, c, first); break;
            case RoundingMode.Stochastic: RunWidths(new FixedPointOperator<FixedStochastic>(chopper), source, a, b, c, first); break;
            default: RunWidths(new FixedPointOperator<FixedStochasticUniform>(chopper), source, a, b, c, first); break;
        }
    }

    private static void RunWidths<TMode>(FixedPointOperator<TMode> op, ReadOnlySpan<double> source, double[] a, double[] b, double[] c, long first)
        where TMode : struct, IFixedPointRounding
    {
        op.Run128(source, a, first);
        op.Run256(source, b, first);
        op.Run512(source, c, first);
    }

    private static void RunWidths(FixedPointChopper chopper, ReadOnlySpan<float> source, float[] a, float[] b, float[] c, long first)
    {
        switch (chopper.Rounding)
        {
            case RoundingMode.NearestEven: RunWidths(new FixedPointOperator<FixedNearestEven>(chopper), source, a, b, c, first); break;
            case RoundingMode.NearestAway: RunWidths(new FixedPointOperator<FixedNearestAway>(chopper), source, a, b, c, first); break;
            case RoundingMode.NearestTowardZero: RunWidths(new FixedPointOperator<FixedNearestTowardZero>(chopper), source, a, b, c, first); break;
            case RoundingMode.TowardZero: RunWidths(new FixedPointOperator<FixedTowardZero>(chopper), source, a, b, c, first); break;
            case RoundingMode.TowardPositive: RunWidths(new FixedPointOperator<FixedTowardPositive>(chopper), source, a, b, c, first); break;
            case RoundingMode.TowardNegative: RunWidths(new FixedPointOperator<FixedTowardNegative>(chopper), source, a, b, c, first); break;
            case RoundingMode.ToOdd: RunWidths(new FixedPointOperator<FixedToOdd>(chopper), source, a, b, c, first); break;
            case RoundingMode.Stochastic: RunWidths(new FixedPointOperator<FixedStochastic>(chopper), source, a, b, c, first); break;
            default: RunWidths(new FixedPointOperator<FixedStochasticUniform>(chopper), source, a, b, c, first); break;
        }
    }

    private static void RunWidths<TMode>(FixedPointOperator<TMode> op, ReadOnlySpan<float> source, float[] a, float[] b, float[] c, long first)
        where TMode : struct, IFixedPointRounding
    {
        op.Run128(source, a, first);
        op.Run256(source, b, first);
        op.Run512(source, c, first);
    }

    private readonly struct DoubleBody(FixedPointChopper chopper) : IChunkBody<double>
    {
        public void Run(ReadOnlySpan<double> source, Span<double> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }

    private readonly struct FloatBody(FixedPointChopper chopper) : IChunkBody<float>
    {
        public void Run(ReadOnlySpan<float> source, Span<float> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }
}
