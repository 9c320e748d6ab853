// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Testing;

/// <summary>
/// The non-negative grid of a format, read from its descriptive properties only: binades emin..emax with 2^M points each (fewer
/// in the top binade when <see cref="FloatFormat.MaxFinite"/> says so), plus a bottom "binade" holding zero and the subnormals.
/// </summary>
internal sealed class FormatGrid
{
    public FormatGrid(FloatFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        Format = format;
        MantissaBits = format.MantissaBits;
        MinExponent = format.MinExponent;
        MaxExponent = format.MaxExponent;

        // Fraction of the largest finite value: MaxFinite / 2^(emax − M) − 2^M (exact: a power-of-two scaling).
        TopFraction = (ulong)Math.ScaleB(format.MaxFinite, MantissaBits - MaxExponent) - (1UL << MantissaBits);
    }

    public FloatFormat Format { get; }

    public int MantissaBits { get; }

    public int MinExponent { get; }

    public int MaxExponent { get; }

    public ulong TopFraction { get; }

    /// <summary>Gets the binade index that stands for zero and the subnormals (only when the format has zero).</summary>
    public int BottomBinade => MinExponent - 1;

    /// <summary>Gets the lowest binade index the generators use: the bottom one when the format has zero, else emin.</summary>
    public int LowestBinade => Format.HasZero ? BottomBinade : MinExponent;

    /// <summary>The largest fraction allowed in a binade.</summary>
    public ulong MaxFraction(int binade) =>
        binade == BottomBinade ? (Format.HasSubnormals ? (1UL << MantissaBits) - 1 : 0UL)
        : binade == MaxExponent ? TopFraction
        : (1UL << MantissaBits) - 1;

    /// <summary>The magnitude of the grid point (binade, fraction).</summary>
    public double Value(int binade, ulong fraction) => binade == BottomBinade
        ? Math.ScaleB(fraction, MinExponent - MantissaBits)
        : Math.ScaleB((1UL << MantissaBits) + fraction, binade - MantissaBits);

    /// <summary>The distance from a grid magnitude to the next grid point above it (unbounded exponent).</summary>
    public double Quantum(double magnitude)
    {
        if (magnitude == 0)
        {
            return Format.HasSubnormals ? Format.MinSubnormal : Format.MinNormal;
        }

        int e = Math.Max(Math.ILogB(magnitude), MinExponent);
        return Math.ScaleB(1.0, e - MantissaBits);
    }

    /// <summary>The exact midpoint between a grid magnitude and the next grid point (needs precision ≤ 52 to be a double).</summary>
    public double MidpointAbove(double magnitude) => magnitude + (Quantum(magnitude) / 2);

    /// <summary>The overflow threshold: the midpoint between the largest finite value and the next point beyond it.</summary>
    public double OverflowThreshold => MidpointAbove(Format.MaxFinite);

    /// <summary>The first grid point beyond the largest finite value.</summary>
    public double NextBeyondMax => Format.MaxFinite + Quantum(Format.MaxFinite);
}
