// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats.Tests;

/// <summary>
/// The counter-based generator of the stochastic modes: the scalar, keyed and vector forms of <see cref="StochasticRounding"/>
/// against the documented SplitMix64 formula, written out here independently of the library.
/// </summary>
public sealed class StochasticRoundingTests
{
    private static readonly ulong[] Seeds = [0, 1, 42, ulong.MaxValue, 0x0123_4567_89AB_CDEF];

    private static readonly long[] Starts = [0, 1, 12_345, -8, long.MaxValue - 3, long.MinValue];

    [Fact]
    public void Every_form_equals_the_documented_formula()
    {
        foreach (ulong seed in Seeds)
        {
            ulong key = StochasticRounding.StreamKey(seed);
            foreach (long start in Starts)
            {
                var w128 = StochasticRounding.RandomBitsVector128(key, start);
                var w256 = StochasticRounding.RandomBitsVector256(key, start);
                var w512 = StochasticRounding.RandomBitsVector512(key, start);
                for (int lane = 0; lane < 8; lane++)
                {
                    long index = unchecked(start + lane);
                    ulong expected = Formula(seed, index);
                    Assert.Equal(expected, StochasticRounding.RandomBits(seed, index));
                    Assert.Equal(expected, StochasticRounding.RandomBitsFromKey(key, index));
                    Assert.Equal(expected, w512[lane]);
                    if (lane < 4)
                    {
                        Assert.Equal(expected, w256[lane]);
                    }

                    if (lane < 2)
                    {
                        Assert.Equal(expected, w128[lane]);
                    }
                }
            }
        }
    }

    /// <summary>RandomBits(seed, index) = Mix(Mix(seed + γ) + index · γ), arithmetic modulo 2^64 (the class's remarks).</summary>
    private static ulong Formula(ulong seed, long index)
    {
        const ulong gamma = 0x9E3779B97F4A7C15;
        return unchecked(Mix(Mix(seed + gamma) + ((ulong)index * gamma)));

        static ulong Mix(ulong z)
        {
            unchecked
            {
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
                return z ^ (z >> 31);
            }
        }
    }
}
