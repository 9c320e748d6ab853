// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// A deterministic rounding mode as a marker struct (STYLE-GUIDE §3): decides, lane by lane, whether an inexact magnitude rounds
/// away from zero, from masks (all ones = true) computed by the vector kernels. The scalar decision is
/// <see cref="FloatFormat.RoundsAwayFromZero"/>; these bodies must agree with it bit for bit.
/// </summary>
internal interface IRoundingModeSelector
{
    static abstract RoundingMode Mode { get; }

    /// <param name="aboveHalf">The remainder is more than half a quantum.</param>
    /// <param name="half">The remainder is exactly half a quantum (a tie).</param>
    /// <param name="inexact">The remainder is not zero.</param>
    /// <param name="lowerOdd">The lower neighbour's significand is odd.</param>
    /// <param name="negative">The input is negative.</param>
    static abstract Vector128<uint> Up(Vector128<uint> aboveHalf, Vector128<uint> half, Vector128<uint> inexact, Vector128<uint> lowerOdd, Vector128<uint> negative);

    static abstract Vector256<uint> Up(Vector256<uint> aboveHalf, Vector256<uint> half, Vector256<uint> inexact, Vector256<uint> lowerOdd, Vector256<uint> negative);

    static abstract Vector512<uint> Up(Vector512<uint> aboveHalf, Vector512<uint> half, Vector512<uint> inexact, Vector512<uint> lowerOdd, Vector512<uint> negative);
}

internal readonly struct NearestEvenSelector : IRoundingModeSelector
{
    public static RoundingMode Mode => RoundingMode.NearestEven;

    public static Vector128<uint> Up(Vector128<uint> aboveHalf, Vector128<uint> half, Vector128<uint> inexact, Vector128<uint> lowerOdd, Vector128<uint> negative) => aboveHalf | (half & lowerOdd);

    public static Vector256<uint> Up(Vector256<uint> aboveHalf, Vector256<uint> half, Vector256<uint> inexact, Vector256<uint> lowerOdd, Vector256<uint> negative) => aboveHalf | (half & lowerOdd);

    public static Vector512<uint> Up(Vector512<uint> aboveHalf, Vector512<uint> half, Vector512<uint> inexact, Vector512<uint> lowerOdd, Vector512<uint> negative) => aboveHalf | (half & lowerOdd);
}

internal readonly struct NearestAwaySelector : IRoundingModeSelector
{
    public static RoundingMode Mode => RoundingMode.NearestAway;

    public static Vector128<uint> Up(Vector128<uint> aboveHalf, Vector128<uint> half, Vector128<uint> inexact, Vector128<uint> lowerOdd, Vector128<uint> negative) => aboveHalf | half;

    public static Vector256<uint> Up(Vector256<uint> aboveHalf, Vector256<uint> half, Vector256<uint> inexact, Vector256<uint> lowerOdd, Vector256<uint> negative) => aboveHalf | half;

    public static Vector512<uint> Up(Vector512<uint> aboveHalf, Vector512<uint> half, Vector512<uint> inexact, Vector512<uint> lowerOdd, Vector512<uint> negative) => aboveHalf | half;
}

internal readonly struct NearestTowardZeroSelector : IRoundingModeSelector
{
    public static RoundingMode Mode => RoundingMode.NearestTowardZero;

    public static Vector128<uint> Up(Vector128<uint> aboveHalf, Vector128<uint> half, Vector128<uint> inexact, Vector128<uint> lowerOdd, Vector128<uint> negative) => aboveHalf;

    public static Vector256<uint> Up(Vector256<uint> aboveHalf, Vector256<uint> half, Vector256<uint> inexact, Vector256<uint> lowerOdd, Vector256<uint> negative) => aboveHalf;

    public static Vector512<uint> Up(Vector512<uint> aboveHalf, Vector512<uint> half, Vector512<uint> inexact, Vector512<uint> lowerOdd, Vector512<uint> negative) => aboveHalf;
}

internal readonly struct TowardZeroSelector : IRoundingModeSelector
{
    public static RoundingMode Mode => RoundingMode.TowardZero;

    public static Vector128<uint> Up(Vector128<uint> aboveHalf, Vector128<uint> half, Vector128<uint> inexact, Vector128<uint> lowerOdd, Vector128<uint> negative) => Vector128<uint>.Zero;

    public static Vector256<uint> Up(Vector256<uint> aboveHalf, Vector256<uint> half, Vector256<uint> inexact, Vector256<uint> lowerOdd, Vector256<uint> negative) => Vector256<uint>.Zero;

    public static Vector512<uint> Up(Vector512<uint> aboveHalf, Vector512<uint> half, Vector512<uint> inexact, Vector512<uint> lowerOdd, Vector512<uint> negative) => Vector512<uint>.Zero;
}

internal readonly struct TowardPositiveSelector : IRoundingModeSelector
{
    public static RoundingMode Mode => RoundingMode.TowardPositive;

    public static Vector128<uint> Up(Vector128<uint> aboveHalf, Vector128<uint> half, Vector128<uint> inexact, Vector128<uint> lowerOdd, Vector128<uint> negative) => Vector128.AndNot(inexact, negative);

    public static Vector256<uint> Up(Vector256<uint> aboveHalf, Vector256<uint> half, Vector256<uint> inexact, Vector256<uint> lowerOdd, Vector256<uint> negative) => Vector256.AndNot(inexact, negative);

    public static Vector512<uint> Up(Vector512<uint> aboveHalf, Vector512<uint> half, Vector512<uint> inexact, Vector512<uint> lowerOdd, Vector512<uint> negative) => Vector512.AndNot(inexact, negative);
}

internal readonly struct TowardNegativeSelector : IRoundingModeSelector
{
    public static RoundingMode Mode => RoundingMode.TowardNegative;

    public static Vector128<uint> Up(Vector128<uint> aboveHalf, Vector128<uint> half, Vector128<uint> inexact, Vector128<uint> lowerOdd, Vector128<uint> negative) => inexact & negative;

    public static Vector256<uint> Up(Vector256<uint> aboveHalf, Vector256<uint> half, Vector256<uint> inexact, Vector256<uint> lowerOdd, Vector256<uint> negative) => inexact & negative;

    public static Vector512<uint> Up(Vector512<uint> aboveHalf, Vector512<uint> half, Vector512<uint> inexact, Vector512<uint> lowerOdd, Vector512<uint> negative) => inexact & negative;
}

internal readonly struct ToOddSelector : IRoundingModeSelector
{
    public static RoundingMode Mode => RoundingMode.ToOdd;

    public static Vector128<uint> Up(Vector128<uint> aboveHalf, Vector128<uint> half, Vector128<uint> inexact, Vector128<uint> lowerOdd, Vector128<uint> negative) => Vector128.AndNot(inexact, lowerOdd);

    public static Vector256<uint> Up(Vector256<uint> aboveHalf, Vector256<uint> half, Vector256<uint> inexact, Vector256<uint> lowerOdd, Vector256<uint> negative) => Vector256.AndNot(inexact, lowerOdd);

    public static Vector512<uint> Up(Vector512<uint> aboveHalf, Vector512<uint> half, Vector512<uint> inexact, Vector512<uint> lowerOdd, Vector512<uint> negative) => Vector512.AndNot(inexact, lowerOdd);
}
