// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Formats;

namespace Numerics.Cli.Commands;

/// <summary>Parsing of format and rounding-mode names shared by the commands.</summary>
internal static class CliParsing
{
    private static readonly Dictionary<string, FloatFormat> s_aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fp64"] = FloatFormat.Binary64, ["double"] = FloatFormat.Binary64,
        ["fp32"] = FloatFormat.Binary32, ["single"] = FloatFormat.Binary32,
        ["fp16"] = FloatFormat.Binary16, ["half"] = FloatFormat.Binary16,
        ["bf16"] = FloatFormat.BFloat16,
        ["tf32"] = FloatFormat.TensorFloat32,
        ["e5m2"] = FloatFormat.E5M2, ["fp8"] = FloatFormat.E4M3FN, ["e4m3fn"] = FloatFormat.E4M3FN,
        ["e4m3fnuz"] = FloatFormat.E4M3FNUZ, ["e5m2fnuz"] = FloatFormat.E5M2FNUZ, ["e4m3b11fnuz"] = FloatFormat.E4M3B11FNUZ,
        ["e4m3"] = FloatFormat.E4M3, ["e3m4"] = FloatFormat.E3M4,
        ["e3m2"] = FloatFormat.E3M2FN, ["e3m2fn"] = FloatFormat.E3M2FN,
        ["e2m3"] = FloatFormat.E2M3FN, ["e2m3fn"] = FloatFormat.E2M3FN,
        ["fp4"] = FloatFormat.E2M1FN, ["e2m1"] = FloatFormat.E2M1FN, ["e2m1fn"] = FloatFormat.E2M1FN,
        ["e8m0"] = FloatFormat.E8M0FNU, ["e8m0fnu"] = FloatFormat.E8M0FNU,
    };

    private static readonly Dictionary<string, RoundingMode> s_roundings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rne"] = RoundingMode.NearestEven, ["rna"] = RoundingMode.NearestAway, ["rnz"] = RoundingMode.NearestTowardZero,
        ["rz"] = RoundingMode.TowardZero, ["ru"] = RoundingMode.TowardPositive, ["rd"] = RoundingMode.TowardNegative,
        ["ro"] = RoundingMode.ToOdd, ["sr"] = RoundingMode.Stochastic, ["sru"] = RoundingMode.StochasticUniform,
    };

    /// <summary>
    /// A preset by name (<c>float8_e4m3fn</c>, <c>e4m3fn</c>, <c>bf16</c>, …) or a custom format
    /// <c>p=PRECISION,emin=E,emax=E[,ftz][,noinf]</c>.
    /// </summary>
    public static FloatFormat Format(string text)
    {
        if (s_aliases.TryGetValue(text, out FloatFormat? alias))
        {
            return alias;
        }

        FloatFormat? preset = FloatFormat.Presets.FirstOrDefault(f => string.Equals(f.Name, text, StringComparison.OrdinalIgnoreCase));
        if (preset is not null)
        {
            return preset;
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            int? p = null, emin = null, emax = null;
            bool subnormals = true, infinity = true;
            foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string[] kv = part.Split('=', 2);
                int Value() => kv.Length == 2 && int.TryParse(kv[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)
                    ? v
                    : throw new UsageException($"--format '{text}': '{part}' needs an integer value.");
                switch (kv[0].ToUpperInvariant())
                {
                    case "P": p = Value(); break;
                    case "EMIN": emin = Value(); break;
                    case "EMAX": emax = Value(); break;
                    case "FTZ": subnormals = false; break;
                    case "NOINF": infinity = false; break;
                    default: throw new UsageException($"--format '{text}': unknown field '{kv[0]}' (expected p, emin, emax, ftz, noinf).");
                }
            }

            if (p is null || emin is null || emax is null)
            {
                throw new UsageException($"--format '{text}': a custom format needs p=, emin= and emax=.");
            }

            try
            {
                return FloatFormat.Create(p.Value, emin.Value, emax.Value, subnormals, infinity);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException($"--format '{text}': {e.Message.Split('\n')[0]}");
            }
        }

        throw new UsageException(
            $"--format '{text}' is not a known format; use one of {string.Join(", ", FloatFormat.Presets.Select(f => f.Name))}, an alias such as bf16/fp16/e4m3fn, or p=P,emin=E,emax=E[,ftz][,noinf].");
    }

    /// <summary>A rounding mode by short name (rne, rna, rnz, rz, ru, rd, ro, sr, sru) or enum name.</summary>
    public static RoundingMode Rounding(string text)
    {
        if (s_roundings.TryGetValue(text, out RoundingMode mode))
        {
            return mode;
        }

        if (Enum.TryParse(text, ignoreCase: true, out mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _))
        {
            return mode;
        }

        throw new UsageException($"--rounding '{text}' is not a rounding mode; use one of {string.Join(", ", s_roundings.Keys)} or {string.Join(", ", Enum.GetNames<RoundingMode>())}.");
    }

    /// <summary>Fails with exit code 2 when the output path names the input file (writing it would destroy or lock the input).</summary>
    public static void RequireDistinct(string inputPath, string outputPath)
    {
        StringComparison comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (string.Equals(Path.GetFullPath(inputPath), Path.GetFullPath(outputPath), comparison))
        {
            throw new UsageException($"--output '{outputPath}' is the input file; write to another path.");
        }
    }

    /// <summary>Fails with exit code 2 unless the output path ends in one of the extensions.</summary>
    public static void RequireExtension(string path, string option, params string[] extensions)
    {
        if (!extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            throw new UsageException($"{option} '{path}': the file must end in {string.Join(" or ", extensions)}.");
        }
    }
}
