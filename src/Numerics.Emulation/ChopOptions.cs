// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Emulation;

/// <summary>Options of a <see cref="Chopper"/> (the counterparts of chop's and CPFloat's option structures).</summary>
/// <remarks>
/// <para>Mapping from the peers: CPFloat <c>subnormal</c> → <see cref="Subnormals"/>; <c>explim</c> → <see cref="LimitExponent"/>;
/// <c>saturation</c> → <see cref="Overflow"/> = <see cref="OverflowMode.SaturatingFinite"/>; <c>flip</c>/<c>p</c> →
/// <see cref="FlipProbability"/> and <see cref="FlipFields"/>; <c>randseed</c> / Pychop <c>random_state</c> → <see cref="Seed"/>;
/// OpenMP threads → <see cref="MaxDegreeOfParallelism"/>. The rounding mode is a constructor argument of <see cref="Chopper"/>.</para>
/// <para>The record is immutable; <c>with</c> expressions make variants.</para>
/// </remarks>
public sealed record ChopOptions
{
    /// <summary>Gets the default options: non-saturating, the format's own subnormals and exponent range, seed 0, no flips, one thread.</summary>
    public static ChopOptions Default { get; } = new();

    /// <summary>Gets what an overflow (judged on the rounded value) and an infinite input give; see <see cref="OverflowMode"/>.</summary>
    public OverflowMode Overflow { get; init; } = OverflowMode.NonSaturating;

    /// <summary>
    /// Gets whether the target has subnormal numbers: null (the default) keeps the format's own setting, false flushes (the grid
    /// below 2^emin is {0, 2^emin}, chosen by the rounding mode, 0 counting as even), true adds them.
    /// </summary>
    public bool? Subnormals { get; init; }

    /// <summary>
    /// Gets whether the target's exponent range applies (true, the default). False keeps the storage type's exponent range
    /// (binary64: −1022..1023, binary32: −126..127) and rounds only the significand to the target precision (chop's
    /// <c>explim = 0</c>, CPFloat's <c>CPFLOAT_EXPRANGE_STOR</c>).
    /// </summary>
    public bool LimitExponent { get; init; } = true;

    /// <summary>
    /// Gets the seed of the stochastic rounding modes and of the bit flips. Element i of an array uses random words that depend
    /// only on (seed, i), so the same seed gives the same bits on every instruction set, thread count and chunking.
    /// </summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Gets the probability, in [0, 1], that an element suffers a soft error after rounding: one bit, chosen uniformly among the
    /// bits of <see cref="FlipFields"/>, of its code in the target format is inverted. 0 (the default) disables flips.
    /// </summary>
    public double FlipProbability { get; init; }

    /// <summary>Gets the fields a soft error may hit (default: <see cref="BitFlipFields.Fraction"/>, as chop and CPFloat's SOFTERR_FRAC).</summary>
    public BitFlipFields FlipFields { get; init; } = BitFlipFields.Fraction;

    /// <summary>Gets the largest number of threads a span call may use (default 1: the calling thread only). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;
}
