// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Emulation;
using Numerics.Emulation.Internal;
using Numerics.Formats;

namespace Numerics.Emulation.Tests;

/// <summary>
/// Bit-exact agreement with the CPFloat golden vectors (goldens/README.md): every (format, mode) group is chopped as one span,
/// with float and double storage. NaN outputs compare as a class; the sign of zero matters.
/// </summary>
public class CpfloatGoldenTests
{
    public static TheoryData<string> Storages => new() { "f64", "f32" };

    [Theory]
    [MemberData(nameof(Storages))]
    public void Chopper_matches_cpfloat(string storage)
    {
        var rows = ReadCsv($"cpfloat_{storage}.csv").Select(r => new Row(storage, r[0], r[1], r[2], r[3])).ToList();
        Assert.Equal(storage == "f64" ? 33_445 : 16_897, rows.Count);   // the published half of each file
        AssertAll(rows, format: null);
    }

    [Fact]
    public void Chopper_gives_the_reference_where_cpfloat_deviates()
    {
        var rows = ReadCsv("cpfloat_deviations.csv").Select(r => new Row(r[0], r[1], r[2], r[3], r[5])).ToList();
        Assert.Equal(576, rows.Count);
        AssertAll(rows, format: null);
    }

    [Fact]
    public void Chopper_matches_ocp_e4m3fn()
    {
        var rows = ReadCsv("e4m3_cpfloat_vs_ocp.csv").Select(r => new Row(r[0], r[1], r[2], r[3], r[5])).ToList();
        Assert.Equal(1331, rows.Count);
        AssertAll(rows, FloatFormat.E4M3FN);
    }

    [Fact]
    public void Thread_count_and_chunking_do_not_change_results()
    {
        // All binary16 inputs of the f64 file, in every mode plus the stochastic ones, repeated to exceed the parallel threshold.
        double[] inputs = ReadCsv("cpfloat_f64.csv").Where(r => r[0] == "binary16" && r[1] == "RNE").Select(r => Parse64(r[2])).ToArray();
        var source = new double[(2 * ParallelChunks.MinChunkLength) + 3];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = inputs[i % inputs.Length];
        }

        foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
        {
            var options = new ChopOptions { Seed = 77, FlipProbability = 0.1, FlipFields = BitFlipFields.All };
            var one = new double[source.Length];
            new Chopper(FloatFormat.Binary16, mode, options).Chop(source, one);
            var two = new double[source.Length];
            var parallel = new Chopper(FloatFormat.Binary16, mode, options with { MaxDegreeOfParallelism = 2 });
            parallel.Chop(source, two);
            AssertBitsEqual(one, two);
            foreach (int chunks in new[] { 3, 5 })
            {
                var chunked = new double[source.Length];
                ParallelChunks.RunChunks(source, chunked, chunks, 2, new DoubleBody(parallel));
                AssertBitsEqual(one, chunked);
            }

            // The scalar entry point gives element i of the span call.
            for (int i = 0; i < 200; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(one[i * 97]), BitConverter.DoubleToInt64Bits(parallel.Chop(source[i * 97], i * 97)));
            }
        }
    }

    internal static FloatFormat CpfloatFormat(string name) => name switch
    {
        "binary16" => FloatFormat.Create(11, -14, 15),
        "bfloat16" => FloatFormat.Create(8, -126, 127),
        "bfloat16ftz" => FloatFormat.Create(8, -126, 127, subnormals: false),
        "tf32" => FloatFormat.Create(11, -126, 127),
        "e4m3" or "e4m3sat" => FloatFormat.Create(4, -6, 8, infinity: false),
        "e5m2" => FloatFormat.Create(3, -14, 15),
        "p7e31ftz" => FloatFormat.Create(7, -30, 31, subnormals: false),
        _ => throw new ArgumentException($"unknown format {name}", nameof(name)),
    };

    internal static RoundingMode Mode(string name) => name switch
    {
        "RNE" => RoundingMode.NearestEven,
        "RNA" => RoundingMode.NearestAway,
        "RNZ" => RoundingMode.NearestTowardZero,
        "RU" => RoundingMode.TowardPositive,
        "RD" => RoundingMode.TowardNegative,
        "RZ" => RoundingMode.TowardZero,
        "RO" => RoundingMode.ToOdd,
        _ => throw new ArgumentException($"unknown mode {name}", nameof(name)),
    };

    internal static IEnumerable<string[]> ReadCsv(string file) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Goldens", file)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','));

    private static double Parse64(string hex) => BitConverter.UInt64BitsToDouble(ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static float Parse32(string hex) => BitConverter.UInt32BitsToSingle(uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static void AssertAll(List<Row> rows, FloatFormat? format)
    {
        var failures = new List<string>();
        int checkedRows = 0;
        foreach (var group in rows.GroupBy(r => (r.Storage, r.Format, r.Mode)))
        {
            var options = new ChopOptions { Overflow = group.Key.Format == "e4m3sat" ? OverflowMode.SaturatingFinite : OverflowMode.NonSaturating };
            var chopper = new Chopper(format ?? CpfloatFormat(group.Key.Format), Mode(group.Key.Mode), options);
            Row[] g = group.ToArray();
            if (group.Key.Storage == "f64")
            {
                double[] x = g.Select(r => Parse64(r.Input)).ToArray();
                var y = new double[x.Length];
                chopper.Chop(x, y);
                for (int i = 0; i < g.Length; i++)
                {
                    bool ok = g[i].Expected == "nan" || double.IsNaN(Parse64(g[i].Expected))
                        ? double.IsNaN(y[i])
                        : BitConverter.DoubleToUInt64Bits(y[i]) == BitConverter.DoubleToUInt64Bits(Parse64(g[i].Expected));
                    Record(ok, g[i], BitConverter.DoubleToUInt64Bits(y[i]).ToString("x16", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                float[] x = g.Select(r => Parse32(r.Input)).ToArray();
                var y = new float[x.Length];
                chopper.Chop(x, y);
                for (int i = 0; i < g.Length; i++)
                {
                    bool ok = g[i].Expected == "nan" || float.IsNaN(Parse32(g[i].Expected))
                        ? float.IsNaN(y[i])
                        : BitConverter.SingleToUInt32Bits(y[i]) == BitConverter.SingleToUInt32Bits(Parse32(g[i].Expected));
                    Record(ok, g[i], BitConverter.SingleToUInt32Bits(y[i]).ToString("x8", CultureInfo.InvariantCulture));
                }
            }
        }

        Assert.Equal(rows.Count, checkedRows);
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches, first: {string.Join("; ", failures.Take(10))}");

        void Record(bool ok, Row row, string actual)
        {
            checkedRows++;
            if (!ok)
            {
                failures.Add($"{row.Storage} {row.Format} {row.Mode} {row.Input}: expected {row.Expected}, got {actual}");
            }
        }
    }

    private static void AssertBitsEqual(double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"element {i}: {expected[i]:R} vs {actual[i]:R}");
            }
        }
    }

    private sealed record Row(string Storage, string Format, string Mode, string Input, string Expected);

    private readonly struct DoubleBody(Chopper chopper) : IChunkBody<double>
    {
        public void Run(ReadOnlySpan<double> source, Span<double> destination, long firstIndex) => chopper.RunScalar(source, destination, firstIndex);
    }
}
