// Licensed under the MIT License. See LICENSE in the repository root.

namespace PackageSample;

/// <summary>
/// A user's own double → FP8 E4M3FN converter (OCP: max 448, no infinity, overflow gives NaN), written the usual way: scale to
/// integer steps of the target binade, round, scale back. Three versions, as in docs/testing.md.
/// </summary>
public static class MyConverter
{
    private const double Max = 448;
    private const int MinExponent = -6;
    private const int MantissaBits = 3;

    /// <summary>Version 1: rounds ties away from zero and checks overflow before rounding. Two bugs.</summary>
    public static double ToE4M3FNv1(double x)
    {
        if (double.IsNaN(x) || Math.Abs(x) > Max)
        {
            return double.NaN;
        }

        return Round(x, MidpointRounding.AwayFromZero);
    }

    /// <summary>Version 2: ties to even, but the overflow check still comes before rounding.</summary>
    public static double ToE4M3FNv2(double x)
    {
        if (double.IsNaN(x) || Math.Abs(x) > Max)
        {
            return double.NaN;
        }

        return Round(x, MidpointRounding.ToEven);
    }

    /// <summary>Version 3: ties to even, overflow decided on the rounded value (464 gives 448, above 464 gives NaN).</summary>
    public static double ToE4M3FNv3(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double r = Round(x, MidpointRounding.ToEven);
        return Math.Abs(r) > Max ? double.NaN : r;
    }

    private static double Round(double x, MidpointRounding midpoint)
    {
        double a = Math.Abs(x);
        if (double.IsInfinity(a))
        {
            return double.NaN;
        }

        // The step of a's binade (subnormals share the step of the lowest binade); dividing by a power of two is exact.
        int e = a == 0 ? MinExponent : Math.Max(Math.ILogB(a), MinExponent);
        double step = Math.ScaleB(1.0, e - MantissaBits);
        double r = Math.Round(a / step, midpoint) * step;
        return Math.CopySign(r, x);
    }
}
