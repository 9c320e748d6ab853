// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;

namespace Numerics.Formats;

/// <summary>
/// The counter-based random generator behind the stochastic rounding modes of the span APIs: element <c>i</c> of a span rounded
/// with seed <c>s</c> uses the word <see cref="RandomBits(ulong, long)"/>(s, i), so results do not depend on the instruction-set
/// tier, the thread count or how the span is split into chunks.
/// </summary>
/// <remarks>
/// The generator is two rounds of the SplitMix64 finalizer (Steele, Lea and Flood 2014; the "Mix13" constants of Stafford):
/// <code>
/// Mix(z) = z ^= z &gt;&gt; 30; z *= 0xBF58476D1CE4E5B9; z ^= z &gt;&gt; 27; z *= 0x94D049BB133111EB; return z ^ (z &gt;&gt; 31);
/// RandomBits(seed, index) = Mix(Mix(seed + 0x9E3779B97F4A7C15) + (ulong)index * 0x9E3779B97F4A7C15)
/// </code>
/// with wrapping 64-bit arithmetic. It is a statistical generator for rounding experiments, not a cryptographic one. To
/// reproduce a span result for element <c>i</c>, call
/// <see cref="FloatFormat.Round(double, RoundingMode, OverflowMode, ulong)"/> with <c>RandomBits(seed, i)</c>.
/// </remarks>
public static class StochasticRounding
{
    /// <summary>The golden-ratio increment of SplitMix64, 2^64 / φ.</summary>
    internal const ulong GoldenGamma = 0x9E37_79B9_7F4A_7C15;

    private const ulong MixMultiplier1 = 0xBF58_476D_1CE4_E5B9;
    private const ulong MixMultiplier2 = 0x94D0_49BB_1331_11EB;

    /// <summary>Returns the uniformly distributed 64-bit word used for element <paramref name="index"/> under <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed of the stream.</param>
    /// <param name="index">The element index (any value; negative indices are taken modulo 2^64).</param>
    /// <returns>The random word; a pure function of (<paramref name="seed"/>, <paramref name="index"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong RandomBits(ulong seed, long index) => Mix(StreamKey(seed) + (unchecked((ulong)index) * GoldenGamma));

    /// <summary>The per-seed key, Mix(seed + γ): hoisted out of span loops.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong StreamKey(ulong seed) => Mix(seed + GoldenGamma);

    /// <summary>The SplitMix64 finalizer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * MixMultiplier1;
        z = (z ^ (z >> 27)) * MixMultiplier2;
        return z ^ (z >> 31);
    }
}
