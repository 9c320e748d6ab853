// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;

namespace Numerics.Formats.Tests;

/// <summary>Round against the independent <see cref="TableOracle"/>: exhaustively over every binary16 input, and over random doubles.</summary>
public sealed class OracleTests
{
    private static readonly RoundingMode[] DeterministicModes =
    [
        RoundingMode.NearestEven, RoundingMode.NearestAway, RoundingMode.NearestTowardZero, RoundingMode.TowardZero,
        RoundingMode.TowardPositive, RoundingMode.TowardNegative, RoundingMode.ToOdd,
    ];

    public static TheoryData<string> Targets =>
    [
        "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz", "float8_e3m4", "float8_e4m3",
        "float8_e8m0fnu", "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn", "bfloat16", "custom_p5_ftz", "custom_p3_noinf",
    ];

    private static readonly Dictionary<string, TableOracle> s_oracles = [];

    private static TableOracle Oracle(string name)
    {
        lock (s_oracles)
        {
            if (!s_oracles.TryGetValue(name, out TableOracle? oracle))
            {
                oracle = name switch
                {
                    "bfloat16" => TableOracle.BFloat16(),
                    "binary16" => TableOracle.Binary16(),
                    "custom_p5_ftz" => TableOracle.Custom(5, -9, 10, subnormals: false, infinity: true),
                    "custom_p3_noinf" => TableOracle.Custom(3, -6, 7, subnormals: true, infinity: false),
                    _ => TableOracle.FromGoldens(name),
                };
                s_oracles[name] = oracle;
            }

            return oracle;
        }
    }

    /// <summary>E8M0's zero, negative and sub-2^-126 inputs and FP6/FP4's NaN have their own rules (golden and exact-oracle tests); the table oracle covers the rest.</summary>
    private static bool OracleApplies(FloatFormat f, double x) =>
        double.IsNaN(x) ? f.HasNaN : f.IsSigned || (x > Math.ScaleB(1.0, -126) && !double.IsInfinity(x));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Round_matches_the_table_oracle_for_every_binary16_input_and_deterministic_mode(string target)
    {
        TableOracle oracle = Oracle(target);
        FloatFormat f = oracle.Format;
        List<string> failures = [];
        int n = 0;
        for (int bits = 0; bits <= ushort.MaxValue; bits++)
        {
            double x = (double)BitConverter.UInt16BitsToHalf((ushort)bits);
            if (!OracleApplies(f, x))
            {
                continue;
            }

            // Every overflow policy only matters beyond the max; elsewhere NonSaturating stands for all three.
            bool beyond = Math.Abs(x) > oracle.Max;
            foreach (RoundingMode mode in DeterministicModes)
            {
                for (OverflowMode overflow = OverflowMode.NonSaturating; overflow <= (beyond ? OverflowMode.SaturatingFinite : OverflowMode.NonSaturating); overflow++)
                {
                    n++;
                    double expected = oracle.Round(x, mode, overflow);
                    double actual = f.Round(x, mode, overflow);
                    if (!GoldenFiles.SameDouble(expected, actual))
                    {
                        failures.Add($"{target} x = {GoldenFiles.Bits(x)} {mode}/{overflow}: expected {GoldenFiles.Bits(expected)}, got {GoldenFiles.Bits(actual)}");
                    }
                }
            }
        }

        GoldenFiles.AssertNoFailures(failures, n);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Round_matches_the_table_oracle_for_random_doubles(string target)
    {
        TableOracle oracle = Oracle(target);
        FloatFormat f = oracle.Format;
        var random = new Random(target.Sum(c => c) * 7919); // a stable seed per target (string hashes are randomized per process)
        List<string> failures = [];
        int n = 0;
        int count = Vector128.IsHardwareAccelerated ? 20_000 : 5_000;
        for (int k = 0; k < count; k++)
        {
            // Random doubles spread over the format's range and a little beyond (both signs), plus random raw bit patterns.
            double x = k % 8 == 0
                ? BitConverter.Int64BitsToDouble(random.NextInt64())
                : (random.Next(2) == 0 ? -1 : 1) * Math.ScaleB(1 + random.NextDouble(), random.Next(Math.ILogB(f.MinSubnormal) - 3, Math.ILogB(oracle.Max) + 3));
            if (!OracleApplies(f, x))
            {
                continue;
            }

            foreach (RoundingMode mode in DeterministicModes)
            {
                OverflowMode overflow = (OverflowMode)(k % 3);
                n++;
                double expected = oracle.Round(x, mode, overflow);
                double actual = f.Round(x, mode, overflow);
                if (!GoldenFiles.SameDouble(expected, actual))
                {
                    failures.Add($"{target} x = {GoldenFiles.Bits(x)} {mode}/{overflow}: expected {GoldenFiles.Bits(expected)}, got {GoldenFiles.Bits(actual)}");
                }
            }
        }

        GoldenFiles.AssertNoFailures(failures, n);
    }

    [Fact]
    public void Binary16_round_from_every_bfloat16_input_matches_the_oracle()
    {
        // Binary16 as the target: every bfloat16 value (as a double) is an input, so the whole binary16 range, its subnormals and
        // its overflow threshold are crossed with 8-bit significands.
        TableOracle oracle = Oracle("binary16");
        FloatFormat f = oracle.Format;
        List<string> failures = [];
        int n = 0;
        for (int bits = 0; bits <= ushort.MaxValue; bits++)
        {
            double x = BitConverter.Int32BitsToSingle(bits << 16);
            foreach (RoundingMode mode in DeterministicModes)
            {
                n++;
                double expected = oracle.Round(x, mode, OverflowMode.NonSaturating);
                double actual = f.Round(x, mode);
                if (!GoldenFiles.SameDouble(expected, actual))
                {
                    failures.Add($"binary16 x = {GoldenFiles.Bits(x)} {mode}: expected {GoldenFiles.Bits(expected)}, got {GoldenFiles.Bits(actual)}");
                }
            }
        }

        GoldenFiles.AssertNoFailures(failures, n);
    }

    [Fact]
    public void Binary32_round_of_random_doubles_matches_the_hardware_conversion()
    {
        // The hardware's double -> float conversion is a correctly rounded RNE with IEEE overflow to ∞.
        var random = new Random(1234);
        for (int k = 0; k < 100_000; k++)
        {
            double x = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (k % 2 == 0)
            {
                x = Math.ScaleB(x - Math.Truncate(x), random.Next(-160, 130)); // concentrate on binary32's range, subnormals included
            }

            double expected = (float)x;
            double actual = FloatFormat.Binary32.Round(x);
            Assert.True(GoldenFiles.SameDouble(expected, actual), $"x = {GoldenFiles.Bits(x)}: expected {GoldenFiles.Bits(expected)}, got {GoldenFiles.Bits(actual)}");
        }
    }

    [Fact]
    public void Decode_of_Encode_equals_Round_for_random_inputs_in_every_mode()
    {
        var random = new Random(99);
        foreach (FloatFormat f in FloatFormat.Presets)
        {
            for (int k = 0; k < 2_000; k++)
            {
                double x = (random.Next(2) == 0 ? -1 : 1) * Math.ScaleB(random.NextDouble(), random.Next(f.MinExponent - f.MantissaBits - 3, f.MaxExponent + 3));
                RoundingMode mode = (RoundingMode)(k % 9);
                OverflowMode overflow = (OverflowMode)(k % 3);
                ulong r = (ulong)random.NextInt64();
                double rounded = f.Round(x, mode, overflow, r);
                double decoded = f.Decode(f.Encode(x, mode, overflow, r));
                Assert.True(GoldenFiles.SameDouble(rounded, decoded), $"{f} x = {GoldenFiles.Bits(x)} {mode}/{overflow}: Round {rounded:R}, Decode(Encode) {decoded:R}");
            }
        }
    }
}
