// Licensed under the MIT License. See LICENSE in the repository root.

using static Numerics.Formats.Tests.GoldenFiles;

namespace Numerics.Formats.Tests;

/// <summary>
/// Custom (p, emin, emax) formats and the deterministic rounding modes against goldens/cpfloat_f32.csv, cpfloat_f64.csv,
/// cpfloat_deviations.csv (the reference column) and e4m3_cpfloat_vs_ocp.csv (OCP E4M3 in every mode).
/// </summary>
public sealed class CustomFormatGoldenTests
{
    private static (FloatFormat Format, OverflowMode Overflow) CpfloatFormat(string name) => name switch
    {
        // The table of goldens/README.md, "Rounding to custom precisions".
        "binary16" => (FloatFormat.Create(11, -14, 15), OverflowMode.NonSaturating),
        "bfloat16" => (FloatFormat.Create(8, -126, 127), OverflowMode.NonSaturating),
        "bfloat16ftz" => (FloatFormat.Create(8, -126, 127, subnormals: false), OverflowMode.NonSaturating),
        "tf32" => (FloatFormat.Create(11, -126, 127), OverflowMode.NonSaturating),
        "e4m3" => (FloatFormat.Create(4, -6, 8, infinity: false), OverflowMode.NonSaturating),
        "e4m3sat" => (FloatFormat.Create(4, -6, 8, infinity: false), OverflowMode.SaturatingFinite),
        "e5m2" => (FloatFormat.Create(3, -14, 15), OverflowMode.NonSaturating),
        "p7e31ftz" => (FloatFormat.Create(7, -30, 31, subnormals: false), OverflowMode.NonSaturating),
        _ => throw new ArgumentException(name, nameof(name)),
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
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static double Output(string storage, string hex) =>
        hex == "nan" ? double.NaN : storage == "f32" ? F32(hex) : F64(hex);

    private static double Input(string storage, string hex) => storage == "f32" ? F32(hex) : F64(hex);

    private static double Rounded(string storage, FloatFormat f, double x, RoundingMode mode, OverflowMode overflow)
    {
        double r = f.Round(x, mode, overflow);
        return storage == "f32" ? (float)r : r; // every value of these formats is a binary32 value: the cast is exact
    }

    [Theory]
    [InlineData("cpfloat_f32.csv", "f32")]
    [InlineData("cpfloat_f64.csv", "f64")]
    public void Round_matches_cpfloat_goldens(string file, string storage)
    {
        List<string> failures = [];
        int n = 0;
        foreach (string[] r in Rows(file))
        {
            // format,mode,input_hex,output_hex
            (FloatFormat f, OverflowMode overflow) = CpfloatFormat(r[0]);
            double x = Input(storage, r[2]);
            double expected = Output(storage, r[3]);
            double actual = Rounded(storage, f, x, Mode(r[1]), overflow);
            n++;
            if (!SameDouble(expected, actual))
            {
                failures.Add($"{r[0]} {r[1]} {r[2]}: expected {r[3]}, got {Bits(actual)}");
            }
        }

        AssertNoFailures(failures, n);
    }

    [Fact]
    public void Round_matches_the_reference_column_of_cpfloat_deviations()
    {
        List<string> failures = [];
        int n = 0;
        foreach (string[] r in Rows("cpfloat_deviations.csv"))
        {
            // storage,format,mode,input_hex,cpfloat_output_hex,reference_output_hex,category
            (FloatFormat f, OverflowMode overflow) = CpfloatFormat(r[1]);
            double x = Input(r[0], r[3]);
            double expected = Output(r[0], r[5]);
            double actual = Rounded(r[0], f, x, Mode(r[2]), overflow);
            n++;
            if (!SameDouble(expected, actual))
            {
                failures.Add($"{r[0]} {r[1]} {r[2]} {r[3]} ({r[6]}): expected {r[5]}, got {Bits(actual)}");
            }
        }

        AssertNoFailures(failures, n);
    }

    [Fact]
    public void E4M3FN_matches_the_ocp_column_of_e4m3_cpfloat_vs_ocp_in_every_mode()
    {
        List<string> failures = [];
        int n = 0;
        foreach (string[] r in Rows("e4m3_cpfloat_vs_ocp.csv"))
        {
            // storage,format,mode,input_hex,cpfloat_output_hex,ocp_reference_hex
            OverflowMode overflow = r[1] == "e4m3sat" ? OverflowMode.SaturatingFinite : OverflowMode.NonSaturating;
            double x = Input(r[0], r[3]);
            double expected = Output(r[0], r[5]);
            double actual = Rounded(r[0], FloatFormat.E4M3FN, x, Mode(r[2]), overflow);
            n++;
            if (!SameDouble(expected, actual))
            {
                failures.Add($"{r[0]} {r[1]} {r[2]} {r[3]}: expected {r[5]}, got {Bits(actual)}");
            }
        }

        AssertNoFailures(failures, n);
    }

    [Fact]
    public void WithSubnormals_false_matches_Create_without_subnormals_and_flushes_by_mode()
    {
        FloatFormat ftz = FloatFormat.BFloat16.WithSubnormals(false);
        Assert.Equal(FloatFormat.Create(8, -126, 127, subnormals: false), ftz);
        Assert.False(ftz.HasSubnormals);
        Assert.Same(FloatFormat.BFloat16, FloatFormat.BFloat16.WithSubnormals(true));
        Assert.Equal(FloatFormat.BFloat16, ftz.WithSubnormals(true));
        Assert.Equal("bfloat16", ftz.WithSubnormals(true).Name);

        // Below 2^-126 only 0 and 2^-126 remain; the midpoint 2^-127 is a tie that goes to 0 (even) under RNE.
        double min = Math.ScaleB(1.0, -126);
        Assert.Equal(0.0, ftz.Round(Math.ScaleB(1.0, -127)));
        Assert.Equal(min, ftz.Round(Math.ScaleB(1.0, -127), RoundingMode.NearestAway));
        Assert.Equal(min, ftz.Round(Math.ScaleB(1.5, -127)));
        Assert.Equal(min, ftz.Round(double.Epsilon, RoundingMode.TowardPositive));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(ftz.Round(-double.Epsilon, RoundingMode.TowardPositive)));
        Assert.Equal(Math.ScaleB(1.0, -133), FloatFormat.BFloat16.Round(Math.ScaleB(1.0, -133)));
        Assert.Equal(FloatFormat.E4M3FN.MinNormal, FloatFormat.E4M3FN.WithSubnormals(false).Round(0.75 * FloatFormat.E4M3FN.MinNormal));
    }
}
