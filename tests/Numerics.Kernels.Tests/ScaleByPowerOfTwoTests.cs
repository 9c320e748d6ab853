// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

public sealed class ScaleByPowerOfTwoTests
{
    /// <summary>(a, d) on the documented domain: a = 0 or in [2^-36, 2^67), d integer in [-300, 0] or -inf.</summary>
    private static (float A, float D)[] Cases()
    {
        var rng = new Random(7);
        var list = new List<(float, float)>();
        float[] edgesA = [0f, MathF.Pow(2, -36), 0.7f, 1f, 1.4199999f, 2047.5f, MathF.BitDecrement(MathF.Pow(2, 67))];
        float[] edgesD = [0f, -1f, -89f, -90f, -91f, -126f, -149f, -150f, -216f, -217f, -218f, -300f, float.NegativeInfinity];
        foreach (float a in edgesA)
        {
            foreach (float d in edgesD)
            {
                list.Add((a, d));
            }
        }

        for (int i = 0; i < 20_000; i++)
        {
            float a = (float)Math.Pow(2, (rng.NextDouble() * 103) - 36);
            a = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(a) | (uint)rng.Next(0, 1 << 23));
            a = Math.Min(a, MathF.BitDecrement(MathF.Pow(2, 67)));
            float d = -rng.Next(0, 301);
            list.Add((a, d));
        }

        return [.. list];
    }

    /// <summary>Independent oracle: a*2^d is exact in double; one conversion to float rounds it to nearest even.</summary>
    private static float Oracle(float a, float d) => float.IsNegativeInfinity(d) ? 0f : (float)Math.ScaleB((double)a, (int)d);

    [Fact]
    public void Scalar_matches_exact_oracle()
    {
        foreach ((float a, float d) in Cases())
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits(Oracle(a, d)), BitConverter.SingleToUInt32Bits(ScaleByPowerOfTwo.Scale(a, d)));
        }
    }

    [Fact]
    public void Hardware_and_portable_vectors_match_the_oracle()
    {
        (float A, float D)[] cases = Cases();
        for (int i = 0; i + 16 <= cases.Length; i += 16)
        {
            Vector512<float> a = Vector512.Create(cases.AsSpan(i, 16).ToArray().Select(c => c.A).ToArray());
            Vector512<float> d = Vector512.Create(cases.AsSpan(i, 16).ToArray().Select(c => c.D).ToArray());
            Vector512<float> hw512 = ScaleByPowerOfTwo.Scale(a, d);
            Vector512<float> pt512 = ScaleByPowerOfTwo.Portable(a, d);
            Vector256<float> hw256 = ScaleByPowerOfTwo.Scale(a.GetLower(), d.GetLower());
            Vector256<float> pt256 = ScaleByPowerOfTwo.Portable(a.GetLower(), d.GetLower());
            Vector128<float> hw128 = ScaleByPowerOfTwo.Scale(a.GetLower().GetLower(), d.GetLower().GetLower());
            Vector128<float> pt128 = ScaleByPowerOfTwo.Portable(a.GetLower().GetLower(), d.GetLower().GetLower());
            for (int j = 0; j < 16; j++)
            {
                uint expected = BitConverter.SingleToUInt32Bits(Oracle(cases[i + j].A, cases[i + j].D));
                Assert.Equal(expected, BitConverter.SingleToUInt32Bits(hw512.GetElement(j)));
                Assert.Equal(expected, BitConverter.SingleToUInt32Bits(pt512.GetElement(j)));
                if (j < 8)
                {
                    Assert.Equal(expected, BitConverter.SingleToUInt32Bits(hw256.GetElement(j)));
                    Assert.Equal(expected, BitConverter.SingleToUInt32Bits(pt256.GetElement(j)));
                }

                if (j < 4)
                {
                    Assert.Equal(expected, BitConverter.SingleToUInt32Bits(hw128.GetElement(j)));
                    Assert.Equal(expected, BitConverter.SingleToUInt32Bits(pt128.GetElement(j)));
                }
            }
        }
    }

    [Fact]
    public void Scale_reaches_the_smallest_subnormal_and_rounds_below_it_to_even()
    {
        Assert.Equal(float.Epsilon, ScaleByPowerOfTwo.Scale(Vector512.Create(1f), Vector512.Create(-149f)).GetElement(0));
        Assert.Equal(float.Epsilon, ScaleByPowerOfTwo.Portable(Vector512.Create(1f), Vector512.Create(-149f)).GetElement(0));
        Assert.Equal(0f, ScaleByPowerOfTwo.Scale(Vector128.Create(1f), Vector128.Create(-150f)).GetElement(0));   // tie -> even (0)
        Assert.Equal(0f, ScaleByPowerOfTwo.Scale(1f, -150f));
        Assert.Equal(2 * float.Epsilon, ScaleByPowerOfTwo.Scale(1.5f, -149f));                                  // tie -> even (2)
    }
}
