// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Testing;

public static partial class ExactRounding
{
    /// <summary>Rounds <paramref name="value"/> to <paramref name="format"/> exactly and returns the result as a double.</summary>
    /// <param name="value">The value to round; every double (subnormals, ±0, ±∞, NaN payloads) is accepted.</param>
    /// <param name="format">The target format.</param>
    /// <param name="rounding">A deterministic rounding mode (not <see cref="RoundingMode.Stochastic"/> or <see cref="RoundingMode.StochasticUniform"/>).</param>
    /// <param name="overflow">What an overflow, an infinite input and (in FP6/FP4) a NaN input give; see the class remarks.</param>
    /// <returns>
    /// The value of the format nearest to <paramref name="value"/> in the given mode, as a double (exact: every format value is a double);
    /// ±∞ or NaN where the semantics give them. A NaN result is the quiet NaN with the sign the format's encoding keeps. For
    /// <see cref="FloatFormat.E8M0FNU"/> between 2^−127 and 2^−126 the nearest modes round on ml_dtypes' grid {0 (code 00), 2^−126}
    /// and the directed modes on the format's own values {2^−127, 2^−126} (see the class remarks).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="rounding"/> is a stochastic mode (use <see cref="Neighbours"/>).</exception>
    public static double Round(double value, FloatFormat format, RoundingMode rounding, OverflowMode overflow)
    {
        Validate(format, rounding, overflow, stochastic: false);
        return RoundCore(value, format, rounding, overflow).ToDouble();
    }
}
