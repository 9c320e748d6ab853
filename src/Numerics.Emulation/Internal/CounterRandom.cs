// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;

namespace Numerics.Emulation.Internal;

/// <summary>
/// Counter-based random bits for the emulation layer: the value for (seed, stream, index) is a pure function of those three
/// numbers, so results do not depend on thread count, chunking or instruction-set tier.
/// </summary>
/// <remarks>
/// The output is element <c>index</c> of a SplitMix64 sequence (Steele, Lea and Flood 2014) whose starting state is itself a
/// SplitMix64 hash of (seed, stream). SplitMix64 passes BigCrush; it is not cryptographic. Distinct <c>stream</c> values keep
/// the bit-flip draws independent of the stochastic-rounding draws that use the same seed.
/// </remarks>
internal static class CounterRandom
{
    /// <summary>Stream used by fixed-point stochastic rounding.</summary>
    public const ulong FixedPointStream = 0x46495845_44505431; // "FIXEDPT1"

    /// <summary>Stream that decides whether an element is flipped.</summary>
    public const ulong FlipDecisionStream = 0x464C4950_44454331; // "FLIPDEC1"

    /// <summary>Stream that picks the bit to flip.</summary>
    public const ulong FlipBitStream = 0x464C4950_42495431; // "FLIPBIT1"

    /// <summary>The SplitMix64 increment (the odd integer nearest 2^64 / φ).</summary>
    private const ulong Gamma = 0x9E37_79B9_7F4A_7C15;

    /// <summary>Returns the key of a (seed, stream) pair; combine it with an index through <see cref="Next(ulong, ulong)"/>.</summary>
    /// <param name="seed">The user's seed.</param>
    /// <param name="stream">One of the stream constants.</param>
    /// <returns>The key.</returns>
    public static ulong Key(ulong seed, ulong stream) => Mix(Mix(seed) ^ stream);

    /// <summary>Returns 64 random bits for element <paramref name="index"/> of the sequence keyed by <paramref name="key"/>.</summary>
    /// <param name="key">A value returned by <see cref="Key"/>.</param>
    /// <param name="index">The element index.</param>
    /// <returns>The bits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Next(ulong key, ulong index) => Mix(key + ((index + 1) * Gamma));

    /// <summary>The SplitMix64 output function (a bijection on 64-bit values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }
}
