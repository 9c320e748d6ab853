// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
    private const ulong GoldenGamma = 0x9E37_79B9_7F4A_7C15;

    private const ulong MixMultiplier1 = 0xBF58_476D_1CE4_E5B9;
    private const ulong MixMultiplier2 = 0x94D0_49BB_1331_11EB;

    /// <summary>Returns the uniformly distributed 64-bit word used for element <paramref name="index"/> under <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed of the stream.</param>
    /// <param name="index">The element index (any value; negative indices are taken modulo 2^64).</param>
    /// <returns>The random word; a pure function of (<paramref name="seed"/>, <paramref name="index"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong RandomBits(ulong seed, long index) => RandomBitsFromKey(StreamKey(seed), index);

    /// <summary>Returns the key of the stream of <paramref name="seed"/>, Mix(seed + γ): the per-seed part of <see cref="RandomBits(ulong, long)"/>, computed once per span.</summary>
    /// <param name="seed">The seed of the stream.</param>
    /// <returns>The key; <c>RandomBitsFromKey(StreamKey(seed), i) == RandomBits(seed, i)</c> for every i.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong StreamKey(ulong seed) => Mix(seed + GoldenGamma);

    /// <summary>Returns <see cref="RandomBits(ulong, long)"/> from a key made once by <see cref="StreamKey(ulong)"/>.</summary>
    /// <param name="streamKey">The key of the stream.</param>
    /// <param name="index">The element index (any value; negative indices are taken modulo 2^64).</param>
    /// <returns>The random word of the element.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong RandomBitsFromKey(ulong streamKey, long index) => Mix(streamKey + (unchecked((ulong)index) * GoldenGamma));

    /// <summary>Returns the words of elements <paramref name="firstIndex"/> .. <paramref name="firstIndex"/> + 1: lane j is <see cref="RandomBitsFromKey(ulong, long)"/>(<paramref name="streamKey"/>, <paramref name="firstIndex"/> + j).</summary>
    /// <param name="streamKey">The key of the stream (<see cref="StreamKey(ulong)"/>).</param>
    /// <param name="firstIndex">The element index of lane 0.</param>
    /// <returns>The random words.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> RandomBitsVector128(ulong streamKey, long firstIndex)
    {
        Vector128<ulong> z = Vector128.Create(streamKey + (unchecked((ulong)firstIndex) * GoldenGamma)) + (Vector128<ulong>.Indices * Vector128.Create(GoldenGamma));
        z = (z ^ Vector128.ShiftRightLogical(z, 30)) * Vector128.Create(MixMultiplier1);
        z = (z ^ Vector128.ShiftRightLogical(z, 27)) * Vector128.Create(MixMultiplier2);
        return z ^ Vector128.ShiftRightLogical(z, 31);
    }

    /// <summary>Returns the words of elements <paramref name="firstIndex"/> .. <paramref name="firstIndex"/> + 3: lane j is <see cref="RandomBitsFromKey(ulong, long)"/>(<paramref name="streamKey"/>, <paramref name="firstIndex"/> + j).</summary>
    /// <param name="streamKey">The key of the stream (<see cref="StreamKey(ulong)"/>).</param>
    /// <param name="firstIndex">The element index of lane 0.</param>
    /// <returns>The random words.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> RandomBitsVector256(ulong streamKey, long firstIndex)
    {
        Vector256<ulong> z = Vector256.Create(streamKey + (unchecked((ulong)firstIndex) * GoldenGamma)) + (Vector256<ulong>.Indices * Vector256.Create(GoldenGamma));
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(MixMultiplier1);
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(MixMultiplier2);
        return z ^ Vector256.ShiftRightLogical(z, 31);
    }

    /// <summary>Returns the words of elements <paramref name="firstIndex"/> .. <paramref name="firstIndex"/> + 7: lane j is <see cref="RandomBitsFromKey(ulong, long)"/>(<paramref name="streamKey"/>, <paramref name="firstIndex"/> + j).</summary>
    /// <param name="streamKey">The key of the stream (<see cref="StreamKey(ulong)"/>).</param>
    /// <param name="firstIndex">The element index of lane 0.</param>
    /// <returns>The random words.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> RandomBitsVector512(ulong streamKey, long firstIndex)
    {
        Vector512<ulong> z = Vector512.Create(streamKey + (unchecked((ulong)firstIndex) * GoldenGamma)) + (Vector512<ulong>.Indices * Vector512.Create(GoldenGamma));
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
