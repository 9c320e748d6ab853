// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>
/// A rounding mode for <see cref="WideRoundOperator{TRule}"/> (binary64 lanes): decides, lane by lane, whether an inexact magnitude
/// rounds away from zero, from all-ones/all-zeros masks, the lane's random word and its stochastic threshold floor(f·2^64).
/// The scalar decision is <see cref="FloatFormat.RoundsAwayFromZero"/>; these bodies must agree with it bit for bit.
/// </summary>
internal interface IWideRoundingRule
{
    static abstract RoundingMode Mode { get; }

    /// <summary>Gets whether the rule reads the random words (the driver skips generating them otherwise).</summary>
    static abstract bool UsesRandom { get; }

    static abstract Vector128<ulong> Up(Vector128<ulong> aboveHalf, Vector128<ulong> half, Vector128<ulong> inexact, Vector128<ulong> lowerOdd, Vector128<ulong> negative, Vector128<ulong> random, Vector128<ulong> threshold);

    static abstract Vector256<ulong> Up(Vector256<ulong> aboveHalf, Vector256<ulong> half, Vector256<ulong> inexact, Vector256<ulong> lowerOdd, Vector256<ulong> negative, Vector256<ulong> random, Vector256<ulong> threshold);

    static abstract Vector512<ulong> Up(Vector512<ulong> aboveHalf, Vector512<ulong> half, Vector512<ulong> inexact, Vector512<ulong> lowerOdd, Vector512<ulong> negative, Vector512<ulong> random, Vector512<ulong> threshold);
}

/// <summary>A deterministic mode: the binary32 selector applied to the 64-bit masks (its bodies are bitwise, so the lane width does not matter).</summary>
internal readonly struct DeterministicRule<TMode> : IWideRoundingRule
    where TMode : struct, IRoundingModeSelector
{
    public static RoundingMode Mode => TMode.Mode;

    public static bool UsesRandom => false;

    public static Vector128<ulong> Up(Vector128<ulong> aboveHalf, Vector128<ulong> half, Vector128<ulong> inexact, Vector128<ulong> lowerOdd, Vector128<ulong> negative, Vector128<ulong> random, Vector128<ulong> threshold) =>
        TMode.Up(aboveHalf.AsUInt32(), half.AsUInt32(), inexact.AsUInt32(), lowerOdd.AsUInt32(), negative.AsUInt32()).AsUInt64();

    public static Vector256<ulong> Up(Vector256<ulong> aboveHalf, Vector256<ulong> half, Vector256<ulong> inexact, Vector256<ulong> lowerOdd, Vector256<ulong> negative, Vector256<ulong> random, Vector256<ulong> threshold) =>
        TMode.Up(aboveHalf.AsUInt32(), half.AsUInt32(), inexact.AsUInt32(), lowerOdd.AsUInt32(), negative.AsUInt32()).AsUInt64();

    public static Vector512<ulong> Up(Vector512<ulong> aboveHalf, Vector512<ulong> half, Vector512<ulong> inexact, Vector512<ulong> lowerOdd, Vector512<ulong> negative, Vector512<ulong> random, Vector512<ulong> threshold) =>
        TMode.Up(aboveHalf.AsUInt32(), half.AsUInt32(), inexact.AsUInt32(), lowerOdd.AsUInt32(), negative.AsUInt32()).AsUInt64();
}

/// <summary><see cref="RoundingMode.Stochastic"/>: away from zero iff the random word is below floor(f·2^64).</summary>
internal readonly struct StochasticRule : IWideRoundingRule
{
    public static RoundingMode Mode => RoundingMode.Stochastic;

    public static bool UsesRandom => true;

    public static Vector128<ulong> Up(Vector128<ulong> aboveHalf, Vector128<ulong> half, Vector128<ulong> inexact, Vector128<ulong> lowerOdd, Vector128<ulong> negative, Vector128<ulong> random, Vector128<ulong> threshold) =>
        inexact & Vector128.LessThan(random, threshold);

    public static Vector256<ulong> Up(Vector256<ulong> aboveHalf, Vector256<ulong> half, Vector256<ulong> inexact, Vector256<ulong> lowerOdd, Vector256<ulong> negative, Vector256<ulong> random, Vector256<ulong> threshold) =>
        inexact & Vector256.LessThan(random, threshold);

    public static Vector512<ulong> Up(Vector512<ulong> aboveHalf, Vector512<ulong> half, Vector512<ulong> inexact, Vector512<ulong> lowerOdd, Vector512<ulong> negative, Vector512<ulong> random, Vector512<ulong> threshold) =>
        inexact & Vector512.LessThan(random, threshold);
}

/// <summary><see cref="RoundingMode.StochasticUniform"/>: away from zero iff the top bit of the random word is set.</summary>
internal readonly struct StochasticUniformRule : IWideRoundingRule
{
    public static RoundingMode Mode => RoundingMode.StochasticUniform;

    public static bool UsesRandom => true;

    public static Vector128<ulong> Up(Vector128<ulong> aboveHalf, Vector128<ulong> half, Vector128<ulong> inexact, Vector128<ulong> lowerOdd, Vector128<ulong> negative, Vector128<ulong> random, Vector128<ulong> threshold) =>
        inexact & Vector128.LessThan(random.AsInt64(), Vector128<long>.Zero).AsUInt64();

    public static Vector256<ulong> Up(Vector256<ulong> aboveHalf, Vector256<ulong> half, Vector256<ulong> inexact, Vector256<ulong> lowerOdd, Vector256<ulong> negative, Vector256<ulong> random, Vector256<ulong> threshold) =>
        inexact & Vector256.LessThan(random.AsInt64(), Vector256<long>.Zero).AsUInt64();

    public static Vector512<ulong> Up(Vector512<ulong> aboveHalf, Vector512<ulong> half, Vector512<ulong> inexact, Vector512<ulong> lowerOdd, Vector512<ulong> negative, Vector512<ulong> random, Vector512<ulong> threshold) =>
        inexact & Vector512.LessThan(random.AsInt64(), Vector512<long>.Zero).AsUInt64();
}
