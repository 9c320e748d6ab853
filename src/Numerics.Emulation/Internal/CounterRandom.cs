// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Numerics.Formats;

namespace Numerics.Emulation.Internal;

/// <summary>
/// Extra counter-based random streams for the emulation layer, built on <see cref="StochasticRounding.RandomBits(ulong, long)"/>
/// (the SDK's one generator): stream k of seed s is the generator keyed by a hash of (s, k), so the bit-flip draws are
/// independent of the stochastic-rounding draws that use s itself, and every draw is a pure function of (seed, stream, index).
/// </summary>
/// <remarks>
/// The vector helpers recompute <see cref="StochasticRounding.RandomBits(ulong, long)"/> lane by lane: it is SplitMix64,
/// Mix(Mix(seed + γ) + index · γ), so the per-seed part Mix(seed + γ) (<see cref="StreamKey"/>) is hoisted out of the loops and each
/// lane adds its own index · γ (all arithmetic modulo 2^64). The constants are SplitMix64's (Steele, Lea and Flood 2014), the same
/// ones Numerics.Formats uses; a test checks the two against each other word for word.
/// </remarks>
internal static class CounterRandom
{
    /// <summary>Stream that decides whether an element is flipped.</summary>
    public const ulong FlipDecisionStream = 0x464C4950_44454331; // "FLIPDEC1"

    /// <summary>Stream that picks the bit to flip.</summary>
    public const ulong FlipBitStream = 0x464C4950_42495431; // "FLIPBIT1"

    /// <summary>The golden-ratio increment of SplitMix64, 2^64 / φ.</summary>
    private const ulong GoldenGamma = 0x9E37_79B9_7F4A_7C15;

    private const ulong MixMultiplier1 = 0xBF58_476D_1CE4_E5B9;
    private const ulong MixMultiplier2 = 0x94D0_49BB_1331_11EB;

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

    /// <summary>The per-seed part of <see cref="StochasticRounding.RandomBits(ulong, long)"/>: Mix(seed + γ).</summary>
    /// <param name="seed">The seed (a user seed, or a derived key from <see cref="Key"/>).</param>
    /// <returns>The stream key; <c>Word(StreamKey(s), i) == RandomBits(s, i)</c>.</returns>
    public static ulong StreamKey(ulong seed) => Mix(seed + GoldenGamma);

    /// <summary><see cref="StochasticRounding.RandomBits(ulong, long)"/> from a hoisted <see cref="StreamKey"/>.</summary>
    /// <param name="streamKey">The stream key.</param>
    /// <param name="index">The element index.</param>
    /// <returns>The random word of the element.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Word(ulong streamKey, long index) => Mix(streamKey + (unchecked((ulong)index) * GoldenGamma));

    /// <summary>The words of elements start .. start + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> Words128(ulong streamKey, long start)
    {
        Vector128<ulong> z = Vector128.Create(streamKey + (unchecked((ulong)start) * GoldenGamma)) + (Vector128<ulong>.Indices * Vector128.Create(GoldenGamma));
        z = (z ^ Vector128.ShiftRightLogical(z, 30)) * Vector128.Create(MixMultiplier1);
        z = (z ^ Vector128.ShiftRightLogical(z, 27)) * Vector128.Create(MixMultiplier2);
        return z ^ Vector128.ShiftRightLogical(z, 31);
    }

    /// <summary>The words of elements start .. start + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Words256(ulong streamKey, long start)
    {
        Vector256<ulong> z = Vector256.Create(streamKey + (unchecked((ulong)start) * GoldenGamma)) + (Vector256<ulong>.Indices * Vector256.Create(GoldenGamma));
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(MixMultiplier1);
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(MixMultiplier2);
        return z ^ Vector256.ShiftRightLogical(z, 31);
    }

    /// <summary>The words of elements start .. start + 7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Words512(ulong streamKey, long start)
    {
        Vector512<ulong> z = Vector512.Create(streamKey + (unchecked((ulong)start) * GoldenGamma)) + (Vector512<ulong>.Indices * Vector512.Create(GoldenGamma));
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(MixMultiplier1);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(MixMultiplier2);
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }

    /// <summary>The SplitMix64 finalizer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * MixMultiplier1;
        z = (z ^ (z >> 27)) * MixMultiplier2;
        return z ^ (z >> 31);
    }
}
