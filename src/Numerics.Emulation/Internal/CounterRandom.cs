// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using Numerics.Formats;

namespace Numerics.Emulation.Internal;

/// <summary>
/// Extra counter-based random streams for the emulation layer, built on <see cref="StochasticRounding.RandomBits(ulong, long)"/>
/// (the SDK's one generator): stream k of seed s is the generator keyed by a hash of (s, k), so the bit-flip draws are
/// independent of the stochastic-rounding draws that use s itself, and every draw is a pure function of (seed, stream, index).
/// </summary>
internal static class CounterRandom
{
    /// <summary>Stream that decides whether an element is flipped.</summary>
    public const ulong FlipDecisionStream = 0x464C4950_44454331; // "FLIPDEC1"

    /// <summary>Stream that picks the bit to flip.</summary>
    public const ulong FlipBitStream = 0x464C4950_42495431; // "FLIPBIT1"

    /// <summary>Returns the derived seed of stream <paramref name="stream"/>; pass it to <see cref="Next(ulong, long)"/>.</summary>
    /// <param name="seed">The user's seed.</param>
    /// <param name="stream">One of the stream constants.</param>
    /// <returns>The derived seed.</returns>
    public static ulong Key(ulong seed, ulong stream) => StochasticRounding.RandomBits(seed ^ stream, -1);

    /// <summary>Returns 64 random bits for element <paramref name="index"/> of the stream whose derived seed is <paramref name="key"/>.</summary>
    /// <param name="key">A value returned by <see cref="Key"/>.</param>
    /// <param name="index">The element index.</param>
    /// <returns>The bits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Next(ulong key, long index) => StochasticRounding.RandomBits(key, index);
}
