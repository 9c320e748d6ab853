// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Emulation.Internal;
using Numerics.Formats;

namespace Numerics.Emulation.Tests;

/// <summary>
/// The vectorized soft-error pass (<see cref="BitFlipOperator"/>) against its scalar reference, bit for bit: every width entry point
/// called directly, every field selection, float and double storage, presets and custom formats, random and edge inputs, start
/// indices anywhere (including wrap-around), in place, and end to end through <see cref="Chopper"/>.
/// </summary>
public class BitFlipVectorTests
{
    private static readonly BitFlipFields[] FieldSets =
    [
        BitFlipFields.Fraction, BitFlipFields.Exponent, BitFlipFields.Sign, BitFlipFields.Fraction | BitFlipFields.Sign,
        BitFlipFields.Exponent | BitFlipFields.Sign, BitFlipFields.Fraction | BitFlipFields.Exponent, BitFlipFields.All,
    ];

    public static TheoryData<string> Formats => new(
        [.. FloatFormat.Presets.Select(f => f.Name), "custom7", "custom7ftz", "custom3noinf", "custom53", "custom24wide", "bf16ftz", "e5m2explim", "e4m3fnexplim"]);

    private static (FloatFormat Format, ChopOptions Options) Resolve(string name) => name switch
    {
        "custom7" => (FloatFormat.Create(7, -30, 31), new ChopOptions()),
        "custom7ftz" => (FloatFormat.Create(7, -30, 31, subnormals: false), new ChopOptions()),
        "custom3noinf" => (FloatFormat.Create(3, -6, 9, infinity: false), new ChopOptions()),
        "custom53" => (FloatFormat.Create(53, -1022, 1023), new ChopOptions()),
        "custom24wide" => (FloatFormat.Create(24, -1022, 1000), new ChopOptions()),
        "bf16ftz" => (FloatFormat.BFloat16, new ChopOptions { Subnormals = false }),
        "e5m2explim" => (FloatFormat.E5M2, new ChopOptions { LimitExponent = false }),
        "e4m3fnexplim" => (FloatFormat.E4M3FN, new ChopOptions { LimitExponent = false }),
        _ => (FloatFormat.Presets.Single(f => f.Name == name), new ChopOptions()),
    };

    /// <summary>Random values across the target's range, bit patterns, and every edge: ±0, subnormals, ±max, ±∞, NaNs.</summary>
    internal static double[] Inputs(FloatFormat format, int n, int seed)
    {
        var random = new Random(seed);
        double[] edges =
        [
            0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, -double.NaN,
            BitConverter.UInt64BitsToDouble(0x7FF0_0000_0000_0001), BitConverter.UInt64BitsToDouble(0xFFFF_FFFF_FFFF_FFFF),
            format.MaxFinite, -format.MaxFinite, format.MinNormal, -format.MinNormal, format.MinSubnormal, -format.MinSubnormal,
            format.MinSubnormal / 2, -format.MinSubnormal / 3, double.Epsilon, -double.Epsilon, 1.0, -1.0, float.Epsilon, -float.Epsilon,
            Math.BitDecrement(format.MinNormal), format.MaxFinite * 1.5, double.MaxValue, -double.MaxValue,
        ];
        var x = new double[n];
        int emin = Math.Max(format.MinExponent - format.MantissaBits - 3, -1074);
        int emax = Math.Min(format.MaxExponent + 3, 1023);
        for (int i = 0; i < n; i++)
        {
            int kind = random.Next(10);
            x[i] = kind switch
            {
                0 => edges[random.Next(edges.Length)],
                1 => BitConverter.Int64BitsToDouble(random.NextInt64() | ((long)random.Next(2) << 63)),
                _ => (random.Next(2) == 0 ? 1 : -1) * Math.ScaleB(1.0 + random.NextDouble(), random.Next(emin, emax)),
            };
        }

        return x;
    }

    private static void AssertBits(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToUInt64Bits(expected[i]) == BitConverter.DoubleToUInt64Bits(actual[i]))
            {
                continue;   // format the message only on a failure
            }

            Assert.Fail(
                $"{what}: element {i}: expected {expected[i]:R} (0x{BitConverter.DoubleToUInt64Bits(expected[i]):X16}), got {actual[i]:R} (0x{BitConverter.DoubleToUInt64Bits(actual[i]):X16})");
        }
    }

    private static void AssertBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToUInt32Bits(expected[i]) == BitConverter.SingleToUInt32Bits(actual[i]))
            {
                continue;
            }

            Assert.Fail(
                $"{what}: element {i}: expected {expected[i]:R} (0x{BitConverter.SingleToUInt32Bits(expected[i]):X8}), got {actual[i]:R} (0x{BitConverter.SingleToUInt32Bits(actual[i]):X8})");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_width_matches_the_scalar_reference(string name)
    {
        (FloatFormat format, ChopOptions baseOptions) = Resolve(name);
        const int N = 1031;
        double[] x = Inputs(format, N, name.Length * 7919);
        foreach (BitFlipFields fields in FieldSets)
        {
            foreach ((double p, ulong seed, OverflowMode overflow) in new[] { (1.0, 3UL, OverflowMode.NonSaturating), (0.3, 11UL, OverflowMode.Saturating), (0.02, 5UL, OverflowMode.SaturatingFinite) })
            {
                ChopOptions options = baseOptions with { FlipProbability = p, FlipFields = fields, Seed = seed, Overflow = overflow };
                Chopper chopper;
                try
                {
                    chopper = new Chopper(format, RoundingMode.NearestEven, options);
                }
                catch (ArgumentException)
                {
                    continue;   // the fields select no bit of this format (Sign of an unsigned format)
                }

                BitFlipOperator flips = chopper.DoubleFlips!;
                Assert.True(flips.IsVectorized || !format.IsSigned, $"{name} should be vectorized");
                var rounded = new double[N];
                new Chopper(format, RoundingMode.NearestEven, options with { FlipProbability = 0 }).RunScalar(x, rounded, 0);
                foreach (long first in new long[] { 0, 977, -3, long.MaxValue - 500 })
                {
                    var expected = (double[])rounded.Clone();
                    flips.RunScalar(expected, first);
                    foreach (int length in new[] { N, 1, 3, 7, 8, 9, 17 })
                    {
                        string what = $"{name} {fields} p={p} {overflow} first={first} n={length}";
                        double[] a = rounded[..length], b = rounded[..length], c = rounded[..length], d = rounded[..length];
                        flips.Run128(a, first);
                        flips.Run256(b, first);
                        flips.Run512(c, first);
                        flips.Run(d, first);
                        AssertBits(expected.AsSpan(0, length), a, what + " v128");
                        AssertBits(expected.AsSpan(0, length), b, what + " v256");
                        AssertBits(expected.AsSpan(0, length), c, what + " v512");
                        AssertBits(expected.AsSpan(0, length), d, what + " dispatch");
                    }
                }

                if (chopper.SingleFlips is { } singleFlips)
                {
                    float[] xf = [.. x.Select(v => (float)v)];
                    var roundedF = new float[N];
                    new Chopper(format, RoundingMode.NearestEven, options with { FlipProbability = 0 }).RunScalar(xf, roundedF, 0);
                    foreach (long first in new long[] { 0, 977, long.MaxValue - 500 })
                    {
                        var expected = (float[])roundedF.Clone();
                        singleFlips.RunScalar(expected, first);
                        foreach (int length in new[] { N, 1, 4, 15, 16, 17, 33 })
                        {
                            string what = $"{name} {fields} p={p} {overflow} float first={first} n={length}";
                            float[] a = roundedF[..length], b = roundedF[..length], c = roundedF[..length], d = roundedF[..length];
                            singleFlips.Run128(a, first);
                            singleFlips.Run256(b, first);
                            singleFlips.Run512(c, first);
                            singleFlips.Run(d, first);
                            AssertBits(expected.AsSpan(0, length), a, what + " v128");
                            AssertBits(expected.AsSpan(0, length), b, what + " v256");
                            AssertBits(expected.AsSpan(0, length), c, what + " v512");
                            AssertBits(expected.AsSpan(0, length), d, what + " dispatch");
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(RoundingMode.NearestEven)]
    [InlineData(RoundingMode.TowardZero)]
    [InlineData(RoundingMode.ToOdd)]
    [InlineData(RoundingMode.Stochastic)]
    [InlineData(RoundingMode.StochasticUniform)]
    public void Chopper_span_path_with_flips_matches_its_scalar_reference_in_place_and_chunked(RoundingMode mode)
    {
        int n = (2 * ParallelChunks.MinChunkLength) + (3 * Chopper.FlipBlockLength) + 29;
        (FloatFormat Format, ChopOptions Options)[] cases =
        [
            (FloatFormat.BFloat16, new ChopOptions { Seed = 1, FlipProbability = 0.25, FlipFields = BitFlipFields.All }),
            (FloatFormat.Binary16, new ChopOptions { Seed = 2, FlipProbability = 1, FlipFields = BitFlipFields.Fraction | BitFlipFields.Sign }),
            (FloatFormat.E4M3FNUZ, new ChopOptions { Seed = 3, FlipProbability = 0.5, FlipFields = BitFlipFields.Exponent, Overflow = OverflowMode.SaturatingFinite }),
            (FloatFormat.E2M1FN, new ChopOptions { Seed = 4, FlipProbability = 0.7, FlipFields = BitFlipFields.All }),
            (FloatFormat.Create(11, -126, 127, subnormals: false), new ChopOptions { Seed = 5, FlipProbability = 0.001 }),
        ];
        foreach ((FloatFormat format, ChopOptions options) in cases)
        {
            double[] x = Inputs(format, n, 100 + (int)mode);
            float[] xf = [.. x.Select(v => (float)v)];
            var chopper = new Chopper(format, mode, options);
            var scalar = new double[n];
            var scalarF = new float[n];
            chopper.RunScalar(x, scalar, 0);
            chopper.RunScalar(xf, scalarF, 0);

            var span = new double[n];
            var spanF = new float[n];
            chopper.Chop(x, span);
            chopper.Chop(xf, spanF);
            AssertBits(scalar, span, $"{format} {mode} double");
            AssertBits(scalarF, spanF, $"{format} {mode} float");

            double[] inPlace = (double[])x.Clone();
            float[] inPlaceF = (float[])xf.Clone();
            chopper.Chop(inPlace);
            chopper.Chop(inPlaceF);
            AssertBits(scalar, inPlace, $"{format} {mode} double in place");
            AssertBits(scalarF, inPlaceF, $"{format} {mode} float in place");

            var two = new double[n];
            var twoF = new float[n];
            var threaded = new Chopper(format, mode, options with { MaxDegreeOfParallelism = 2 });
            threaded.Chop(x, two);
            threaded.Chop(xf, twoF);
            AssertBits(scalar, two, $"{format} {mode} double two threads");
            AssertBits(scalarF, twoF, $"{format} {mode} float two threads");
            foreach (int chunks in new[] { 3, 7 })
            {
                var chunked = new double[n];
                var chunkedF = new float[n];
                ParallelChunks.RunChunks(x, chunked, chunks, 1, new DoubleBody(chopper));
                ParallelChunks.RunChunks(xf, chunkedF, chunks, 2, new FloatBody(chopper));
                AssertBits(scalar, chunked, $"{format} {mode} double {chunks} chunks");
                AssertBits(scalarF, chunkedF, $"{format} {mode} float {chunks} chunks");
            }

            var part = new float[5000];
            chopper.RunSpan(xf.AsSpan(1234, 5000), part, 1234);
            AssertBits(scalarF.AsSpan(1234, 5000), part, $"{format} {mode} float offset chunk");
        }
    }

    [Fact]
    public void Flip_pass_does_not_allocate()
    {
        var chopper = new Chopper(FloatFormat.BFloat16, RoundingMode.NearestEven, new ChopOptions { FlipProbability = 0.5, FlipFields = BitFlipFields.All });
        var x = new float[10_000];
        var xd = new double[10_000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i - 5000) * 0.37f;
            xd[i] = x[i];
        }

        chopper.Chop(x);
        chopper.Chop(xd);
        ZeroAllocation.Assert(() =>
        {
            chopper.Chop(x);
            chopper.Chop(xd);
        });
    }

    private readonly struct FloatBody(Chopper chopper) : IChunkBody<float>
    {
        public void Run(ReadOnlySpan<float> source, Span<float> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }

    private readonly struct DoubleBody(Chopper chopper) : IChunkBody<double>
    {
        public void Run(ReadOnlySpan<double> source, Span<double> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }
}
