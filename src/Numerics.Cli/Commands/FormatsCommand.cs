// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Globalization;
using Numerics.Formats;

namespace Numerics.Cli.Commands;

/// <summary><c>numerics formats</c>: the table of every known format.</summary>
internal static class FormatsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("formats", "Print every known number format: bits, exponent/mantissa bits, bias, max finite, min normal, min subnormal, epsilon, infinity and NaN encodings.");
        command.SetAction(_ =>
        {
            Write(stdout);
            return NumericsApp.Success;
        });
        return command;
    }

    public static void Write(TextWriter stdout)
    {
        var table = new TextTable("format", "bits", "E", "M", "bias", "max finite", "min normal", "min subnormal", "epsilon", "infinity", "NaN");
        foreach (FloatFormat f in FloatFormat.Presets)
        {
            table.Add(
                f.Name,
                Int(f.BitCount),
                Int(f.ExponentBits),
                Int(f.MantissaBits),
                Int(f.ExponentBias),
                Num(f.MaxFinite),
                Num(f.MinNormal),
                Num(f.MinSubnormal),
                Num(f.Epsilon),
                InfinityCodes(f),
                NaNCodes(f));
        }

        table.Write(stdout);
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Hex(ulong code, FloatFormat f) => "0x" + code.ToString("X" + ((f.BitCount + 3) / 4).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static ulong SignBit(FloatFormat f) => f.IsSigned ? 1UL << (f.BitCount - 1) : 0;

    private static ulong AllOnesExponent(FloatFormat f) => ((1UL << f.ExponentBits) - 1) << f.MantissaBits;

    private static string InfinityCodes(FloatFormat f) =>
        f.HasInfinity ? $"{Hex(AllOnesExponent(f), f)}/{Hex(AllOnesExponent(f) | SignBit(f), f)}" : "none";

    private static string NaNCodes(FloatFormat f)
    {
        ulong allOnes = AllOnesExponent(f) | ((1UL << f.MantissaBits) - 1);
        return f.SpecialValues switch
        {
            SpecialValueEncoding.Ieee => $"exp all-ones, frac!=0 (quiet {Hex(AllOnesExponent(f) | (1UL << (f.MantissaBits - 1)), f)})",
            SpecialValueEncoding.IeeeNoInfinity => $"exp all-ones ({Hex(AllOnesExponent(f), f)}..)",
            SpecialValueEncoding.FiniteAllOnesNaN => f.IsSigned ? $"{Hex(allOnes, f)}/{Hex(allOnes | SignBit(f), f)}" : Hex(allOnes, f),
            SpecialValueEncoding.FiniteNegativeZeroNaN => Hex(SignBit(f), f),
            _ => "none",
        };
    }
}
