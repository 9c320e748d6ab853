// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Quantization.Tests;

/// <summary>
/// The vectorized round-to-nearest-even BFP quantize (<see cref="BlockFloatKernels"/>) gives the scalar reference's bits at every
/// width (512, 256; Vector512 runs in software without AVX-512) on random and edge-case blocks.
/// </summary>
public sealed class BlockFloatSimdTests
{
    /// <summary>Blocks of every kind: random at a random scale, exact ties of the quantum and ±1 ulp around them, a carry into
    /// 2^m, zeros, NaN/∞, subnormals, tiny blocks (the reference's double path), and values near float32's largest.</summary>
    private static float[] Data(Random rng, int length, int blockSize, int mantissaBits)
    {
        var x = new float[length];
        for (int start = 0; start < length; start += blockSize)
        {
            int end = Math.Min(length, start + blockSize);
            int kind = rng.Next(10);
            int scale = kind switch { 6 => -140, 7 => rng.Next(-135, -120), 8 => 127, _ => rng.Next(-30, 30) };
            for (int i = start; i < end; i++)
            {
                float tie = MathF.ScaleB((rng.Next(-(1 << mantissaBits), 1 << mantissaBits) + 0.5f) / (1 << mantissaBits), scale);
                x[i] = kind switch
                {
                    0 => 0f,
                    1 => tie,
                    2 => rng.Next(2) == 0 ? MathF.BitIncrement(tie) : MathF.BitDecrement(tie),
                    3 => MathF.ScaleB(rng.Next(2) == 0 ? 1.999f : -1.9999999f, scale), // rounds up to 2^m: saturates
                    6 => BitConverter.Int32BitsToSingle(rng.Next(1, 0x80_0000)) * (rng.Next(2) == 0 ? 1 : -1), // subnormals
                    8 => MathF.ScaleB((float)((rng.NextDouble() * 2) - 1), scale) * 1.9f,
                    _ => MathF.ScaleB((float)((rng.NextDouble() * 2) - 1), scale),
                };
            }

            if (kind == 4)
            {
                x[start + rng.Next(end - start)] = rng.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
            }
        }

        return x;
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(64)]
    public void Every_width_matches_the_scalar_reference(int blockSize)
    {
        var rng = new Random(blockSize);
        for (int mantissaBits = 1; mantissaBits <= BlockFloat.MaxMantissaBits; mantissaBits++)
        {
            foreach (int length in new[] { 0, blockSize - 1, blockSize, (7 * blockSize) + 5, 40 * blockSize })
            {
                float[] x = Data(rng, length, blockSize, mantissaBits);
                int blocks = BlockFloat.BlockCount(length, blockSize);
                var expectedE = new byte[blocks];
                var expectedM = new sbyte[length];
                BlockFloat.QuantizeReference(x, expectedE, expectedM, blockSize, mantissaBits, RoundingMode.NearestEven, 0);
                foreach (int width in new[] { 512, 256 })
                {
                    var e = new byte[blocks];
                    var m = new sbyte[length];
                    Array.Fill(m, (sbyte)0x5A); // stale contents must be overwritten
                    int done = BlockFloatKernels.QuantizeNearestEven(x, e, m, blockSize, mantissaBits, width);
                    Assert.Equal(length / blockSize * blockSize, done);
                    BlockFloat.QuantizeReference(x, e, m, blockSize, mantissaBits, RoundingMode.NearestEven, 0, done / blockSize);
                    Assert.Equal(expectedE, e);
                    Assert.Equal(expectedM, m);
                }

                // The public entry point (its best width) agrees too.
                var pe = new byte[blocks];
                var pm = new sbyte[length];
                BlockFloat.Quantize(x, pe, pm, blockSize, mantissaBits);
                Assert.Equal(expectedE, pe);
                Assert.Equal(expectedM, pm);
            }
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    public void Every_width_dequantizes_like_the_scalar_reference(int blockSize)
    {
        var rng = new Random(blockSize + 1000);
        for (int mantissaBits = 1; mantissaBits <= BlockFloat.MaxMantissaBits; mantissaBits++)
        {
            foreach (int length in new[] { 0, blockSize - 1, blockSize, (9 * blockSize) + 3 })
            {
                int blocks = BlockFloat.BlockCount(length, blockSize);
                int max = (1 << mantissaBits) - 1;
                var e = new byte[blocks];
                var m = new sbyte[length];
                for (int b = 0; b < blocks; b++)
                {
                    e[b] = rng.Next(8) switch { 0 => 0, 1 => 254, 2 => BlockFloat.NaNExponent, _ => (byte)rng.Next(256) }; // 255 is the NaN block
                }

                for (int i = 0; i < length; i++)
                {
                    m[i] = (sbyte)rng.Next(-max, max + 1);
                }

                var expected = new float[length];
                BlockFloat.DequantizeReference(e, m, expected, blockSize, mantissaBits);
                foreach (int width in new[] { 512, 256 })
                {
                    var y = new float[length + 1];
                    y[^1] = 12345; // canary
                    int done = BlockFloatKernels.Dequantize(e, m, y.AsSpan(0, length), blockSize, mantissaBits, width);
                    Assert.Equal(length / blockSize * blockSize, done);
                    BlockFloat.DequantizeReference(e, m, y.AsSpan(0, length), blockSize, mantissaBits, done / blockSize);
                    for (int i = 0; i < length; i++)
                    {
                        Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(y[i]), $"width {width} m {mantissaBits} i {i}: {expected[i]:R} vs {y[i]:R}");
                    }

                    Assert.Equal(12345f, y[^1]);
                }

                // Each value is M · q exactly (q from the stored exponent, independently of the code under test).
                for (int i = 0; i < length; i++)
                {
                    byte eb = e[i / blockSize];
                    double q = Math.ScaleB(1.0, eb - 127 - mantissaBits + 1);
                    Assert.Equal(eb == BlockFloat.NaNExponent ? double.NaN : m[i] * q, (double)expected[i]);
                }
            }
        }
    }

    [Fact]
    public void Block_sizes_that_are_not_a_multiple_of_16_and_the_scalar_width_leave_everything_to_the_reference()
    {
        float[] x = new float[96];
        Assert.Equal(0, BlockFloatKernels.QuantizeNearestEven(x, new byte[4], new sbyte[96], 24, 3, 512));
        Assert.Equal(0, BlockFloatKernels.QuantizeNearestEven(x, new byte[3], new sbyte[96], 32, 3, 1));
    }
}
