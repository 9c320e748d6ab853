// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Emulation;

/// <summary>
/// A binary fixed-point format Q(i).(f) (Pychop <c>Chopf</c>): values n · 2^−f for the integers n of a signed (two's complement)
/// or unsigned <c>i + f</c>-bit code.
/// </summary>
/// <remarks>
/// <para>
/// Signed: <see cref="IntegerBits"/> counts the sign bit, so the range is [−2^(i−1), 2^(i−1) − 2^−f] (Pychop's Q(ibits).(fbits)).
/// Unsigned: the range is [0, 2^i − 2^−f]. The code width <see cref="TotalBits"/> = i + f is at most 53, so every value of the
/// format is exactly representable in <see cref="double"/>.
/// </para>
/// <para>Instances are immutable; two formats with the same parameters are equal.</para>
/// </remarks>
public sealed record FixedPointFormat
{
    /// <summary>The largest code width: every code n · 2^−f is then exact in binary64.</summary>
    public const int MaxTotalBits = 53;

    /// <summary>Initializes a new instance of the <see cref="FixedPointFormat"/> class.</summary>
    /// <param name="integerBits">i: bits before the binary point, counting the sign bit of a signed format (≥ 1 when signed, ≥ 0 otherwise).</param>
    /// <param name="fractionBits">f ≥ 0: bits after the binary point; the resolution is 2^−f.</param>
    /// <param name="isSigned">Whether the code is two's complement (true) or unsigned.</param>
    /// <exception cref="ArgumentOutOfRangeException">A width is negative, a signed format has no integer bit, or i + f is 0 or above 53.</exception>
    public FixedPointFormat(int integerBits, int fractionBits, bool isSigned = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(integerBits, isSigned ? 1 : 0);
        ArgumentOutOfRangeException.ThrowIfNegative(fractionBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(integerBits, MaxTotalBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionBits, MaxTotalBits);
        if (integerBits + fractionBits is 0 or > MaxTotalBits)
        {
            throw new ArgumentOutOfRangeException(
                nameof(fractionBits), fractionBits, $"The code width integerBits + fractionBits must be between 1 and {MaxTotalBits}.");
        }

        IntegerBits = integerBits;
        FractionBits = fractionBits;
        IsSigned = isSigned;
    }

    /// <summary>Gets i, the number of bits before the binary point (including the sign bit of a signed format).</summary>
    public int IntegerBits { get; }

    /// <summary>Gets f, the number of bits after the binary point.</summary>
    public int FractionBits { get; }

    /// <summary>Gets a value indicating whether codes are two's complement (signed) rather than unsigned.</summary>
    public bool IsSigned { get; }

    /// <summary>Gets the code width i + f.</summary>
    public int TotalBits => IntegerBits + FractionBits;

    /// <summary>Gets the smallest code: −2^(i+f−1) when signed, 0 when unsigned.</summary>
    public long MinCode => IsSigned ? -(1L << (TotalBits - 1)) : 0;

    /// <summary>Gets the largest code: 2^(i+f−1) − 1 when signed, 2^(i+f) − 1 when unsigned.</summary>
    public long MaxCode => IsSigned ? (1L << (TotalBits - 1)) - 1 : (1L << TotalBits) - 1;

    /// <summary>Gets the resolution 2^−f, the distance between neighbouring values.</summary>
    public double Resolution => Math.ScaleB(1.0, -FractionBits);

    /// <summary>Gets the smallest value, <see cref="MinCode"/> · 2^−f.</summary>
    public double MinValue => Math.ScaleB(MinCode, -FractionBits);

    /// <summary>Gets the largest value, <see cref="MaxCode"/> · 2^−f.</summary>
    public double MaxValue => Math.ScaleB(MaxCode, -FractionBits);

    /// <summary>Returns the value of a code, <paramref name="code"/> · 2^−f (exact).</summary>
    /// <param name="code">A code between <see cref="MinCode"/> and <see cref="MaxCode"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is outside the code range.</exception>
    public double Decode(long code)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, MinCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, MaxCode);
        return Math.ScaleB(code, -FractionBits);
    }

    /// <summary>Returns the format as <c>Q(i).(f)</c> or <c>UQ(i).(f)</c>.</summary>
    /// <returns>For example <c>"Q4.12"</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(IsSigned ? "Q" : "UQ")}{IntegerBits}.{FractionBits}");
}
