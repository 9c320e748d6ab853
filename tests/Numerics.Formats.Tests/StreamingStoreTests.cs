// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;
using Numerics.Formats.Rounding;

namespace Numerics.Formats.Tests;

/// <summary>
/// The store loops of the span drivers at every vector width against the scalar reference bit for bit: every destination
/// alignment, lengths around the head, the four-vector unrolled loop and the tail, destinations not aligned to their element size,
/// canaries on both sides, and in-place calls. The encoders' <see cref="BlockWriter"/> runs both its non-temporal path (forced with
/// a minimum length of 0) and its normal path, and once through the public entry points just above its default minimum length.
/// </summary>
public sealed class StreamingStoreTests
{
    private const byte Canary = 0xA5;

    private static readonly int[] Widths = [128, 256, 512];

    private delegate void Runner<TIn, TOut>(ReadOnlySpan<TIn> x, Span<TOut> d, int width, nuint minLength)
        where TIn : unmanaged
        where TOut : unmanaged;

    private delegate void ScalarRunner<TIn, TOut>(ReadOnlySpan<TIn> x, Span<TOut> d)
        where TIn : unmanaged
        where TOut : unmanaged;

    /// <summary>Normal values, values near the formats' edges, specials and random bit patterns.</summary>
    private static float[] FloatPool(int count)
    {
        var random = new Random(17);
        float[] specials = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, 65520f, 464f, 448f, 1e-40f, 6e-8f];
        float[] xs = new float[count];
        for (int i = 0; i < count; i++)
        {
            xs[i] = (i % 7) switch
            {
                0 => BitConverter.UInt32BitsToSingle((uint)random.NextInt64()),
                1 => specials[random.Next(specials.Length)],
                _ => (float)((random.NextDouble() - 0.5) * Math.ScaleB(1.0, random.Next(-30, 20))),
            };
        }

        return xs;
    }

    private static double[] DoublePool(int count)
    {
        float[] f = FloatPool(count);
        var random = new Random(19);
        return [.. f.Select(v => (double)v * (1 + (random.NextDouble() * 1e-6)))];
    }

    /// <summary>Lengths around the head (one vector plus the first aligned one), the unrolled loop (four vectors) and the tail.</summary>
    private static int[] Lengths(int w) => [w, w + 1, (2 * w) - 1, 2 * w, (2 * w) + 1, (3 * w) + 1, (4 * w) - 1, 4 * w, (4 * w) + 1, 5 * w, (6 * w) + 3, (8 * w) + (w / 2), (9 * w) - 1, (13 * w) + 5];

    private static int VectorCount<T>(int width) => width / 8 / Marshal.SizeOf<T>();

    private static void Check<TIn, TOut>(string what, TIn[] pool, Runner<TIn, TOut> run, ScalarRunner<TIn, TOut> scalar, bool inPlace)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        int size = Marshal.SizeOf<TOut>();
        foreach (int width in Widths)
        {
            int w = VectorCount<TOut>(width);
            foreach (int length in Lengths(w))
            {
                ReadOnlySpan<TIn> x = pool.AsSpan(length % 13, length);
                TOut[] expected = new TOut[length];
                scalar(x, expected);
                foreach (nuint minLength in new nuint[] { 0, (nuint)length, (nuint)length + 1, BlockWriter.Never })
                {
                    // Every start of the destination modulo 64 bytes, and starts that are not a multiple of the element size.
                    for (int offset = 0; offset < 64 / size; offset++)
                    {
                        TOut[] buffer = new TOut[length + offset + 2];
                        MemoryMarshal.AsBytes(buffer.AsSpan()).Fill(Canary);
                        Span<TOut> d = buffer.AsSpan(offset + 1, length);
                        run(x, d, width, minLength);
                        AssertResult(what, width, length, minLength, offset, expected, d, MemoryMarshal.AsBytes(buffer.AsSpan()), (offset + 1) * size);
                    }

                    if (size > 1)
                    {
                        byte[] bytes = new byte[((length + 2) * size) + 1];
                        bytes.AsSpan().Fill(Canary);
                        Span<TOut> d = MemoryMarshal.Cast<byte, TOut>(bytes.AsSpan(size + 1, length * size));
                        run(x, d, width, minLength);
                        AssertResult(what, width, length, minLength, -1, expected, d, bytes, size + 1);
                    }

                    if (inPlace && typeof(TIn) == typeof(TOut))
                    {
                        TIn[] same = new TIn[length + 3];
                        x.CopyTo(same.AsSpan(3));
                        Span<TOut> d = MemoryMarshal.Cast<TIn, TOut>(same.AsSpan(3, length));
                        run(same.AsSpan(3, length), d, width, minLength);
                        Assert.True(
                            MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(d)),
                            $"{what}: width {width}, length {length}, minimum length {minLength}, in place: results differ from the scalar reference");
                    }
                }
            }
        }
    }

    private static void AssertResult<TOut>(
        string what, int width, int length, nuint minLength, int offset, TOut[] expected, Span<TOut> actual, Span<byte> buffer, int startByte)
        where TOut : unmanaged
    {
        ReadOnlySpan<byte> e = MemoryMarshal.AsBytes(expected.AsSpan()), a = MemoryMarshal.AsBytes(actual);
        if (!e.SequenceEqual(a))
        {
            int i = e.CommonPrefixLength(a) / Marshal.SizeOf<TOut>();
            Assert.Fail($"{what}: width {width}, length {length}, minimum length {minLength}, offset {offset}: element {i} is {actual[i]}, expected {expected[i]}");
        }

        Assert.True(buffer[..startByte].IndexOfAnyExcept(Canary) < 0, $"{what}: width {width}, length {length}, offset {offset}: wrote before the destination");
        Assert.True(buffer[(startByte + a.Length)..].IndexOfAnyExcept(Canary) < 0, $"{what}: width {width}, length {length}, offset {offset}: wrote after the destination");
    }

    private static Runner<float, TCode> Encode<TOp, TCode>(TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged =>
        (x, d, width, minLength) =>
        {
            switch (width)
            {
                case 128: EncodeDriver.Run128(x, d, op, minLength); break;
                case 256: EncodeDriver.Run256(x, d, op, minLength); break;
                default: EncodeDriver.Run512(x, d, op, minLength); break;
            }
        };

    private static void CheckEncode<TOp, TCode>(string what, TOp op)
        where TOp : struct, IEncodeOperator
        where TCode : unmanaged =>
        Check(what, FloatPool(1200), Encode<TOp, TCode>(op), (x, d) => EncodeDriver.RunScalar(x, d, op), inPlace: false);

    [Fact]
    public void Encode_driver_matches_the_scalar_reference_on_both_store_paths()
    {
        CheckEncode<Binary16RneEncodeOperator<BranchOnRareLanes>, ushort>("binary16 fast", default);
        CheckEncode<Binary16RneEncodeOperator<SelectRareLanes>, ushort>("binary16 fast, branch-free", default);
        CheckEncode<BFloat16RneEncodeOperator, ushort>("bfloat16 fast", default);
        CheckEncode<E4M3FNRneEncodeOperator<BranchOnRareLanes>, byte>("e4m3fn fast", default);
        CheckEncode<E4M3FNRneEncodeOperator<BranchOnRareLanes>, ushort>("e4m3fn fast (ushort codes)", default);
        CheckEncode<E4M3FNRneEncodeOperator<SelectRareLanes>, byte>("e4m3fn fast, branch-free", default);
        CheckEncode<E4M3FNRneEncodeOperator<SelectRareLanes>, ushort>("e4m3fn fast, branch-free (ushort codes)", default);
        CheckEncode<FloatEncodeOperator<NearestEvenSelector>, byte>("e5m2 general", new FloatEncodeOperator<NearestEvenSelector>(FloatFormat.E5M2, OverflowMode.Saturating));
        CheckEncode<FloatEncodeOperator<TowardZeroSelector>, ushort>("binary16 general", new FloatEncodeOperator<TowardZeroSelector>(FloatFormat.Binary16, OverflowMode.NonSaturating));
    }

    private static void CheckUnary<TOp>(string what, TOp op)
        where TOp : struct, IUnaryOperator<float> =>
        Check<float, float>(
            what,
            FloatPool(1200),
            (x, d, width, minLength) =>
            {
                switch (width)
                {
                    case 128: UnaryDriver.Run128(x, d, op); break;
                    case 256: UnaryDriver.Run256(x, d, op); break;
                    default: UnaryDriver.Run512(x, d, op); break;
                }
            },
            (x, d) => UnaryDriver.RunScalar(x, d, op),
            inPlace: true);

    [Fact]
    public void Unary_driver_matches_the_scalar_reference_on_both_store_paths_and_in_place()
    {
        CheckUnary("custom p7 fast RNE", new FastRneRoundOperator(FloatFormat.Create(7, -30, 31), OverflowMode.NonSaturating));
        CheckUnary("e4m3fn fast RNE saturating", new FastRneRoundOperator(FloatFormat.E4M3FN, OverflowMode.Saturating));
        CheckUnary("binary16 toward zero", new FloatRoundOperator<TowardZeroSelector>(FloatFormat.Binary16, OverflowMode.NonSaturating));
    }

    [Fact]
    public void Wide_driver_matches_the_scalar_reference_on_both_store_paths_and_in_place()
    {
        const long FirstIndex = 977;
        ulong key = StochasticRounding.StreamKey(42);
        var nearest = new WideRoundOperator<DeterministicRule<NearestEvenSelector>>(FloatFormat.Create(7, -30, 31), OverflowMode.NonSaturating);
        var stochastic = new WideRoundOperator<StochasticRule>(FloatFormat.BFloat16, OverflowMode.SaturatingFinite);
        var narrow = new NarrowStochasticOperator<StochasticRule>(FloatFormat.BFloat16, OverflowMode.SaturatingFinite);

        Check<double, double>(
            "double custom p7 RNE",
            DoublePool(1200),
            (x, d, width, minLength) =>
            {
                switch (width)
                {
                    case 128: WideDriver.Run128(x, d, nearest, key, FirstIndex); break;
                    case 256: WideDriver.Run256(x, d, nearest, key, FirstIndex); break;
                    default: WideDriver.Run512(x, d, nearest, key, FirstIndex); break;
                }
            },
            (x, d) => WideDriver.RunScalar(x, d, nearest, key, FirstIndex),
            inPlace: true);

        Check<double, double>(
            "double bfloat16 stochastic",
            DoublePool(1200),
            (x, d, width, minLength) =>
            {
                switch (width)
                {
                    case 128: WideDriver.Run128(x, d, stochastic, key, FirstIndex); break;
                    case 256: WideDriver.Run256(x, d, stochastic, key, FirstIndex); break;
                    default: WideDriver.Run512(x, d, stochastic, key, FirstIndex); break;
                }
            },
            (x, d) => WideDriver.RunScalar(x, d, stochastic, key, FirstIndex),
            inPlace: true);

        Check<float, float>(
            "float custom p7 RNE through binary64 lanes",
            FloatPool(1200),
            (x, d, width, minLength) =>
            {
                switch (width)
                {
                    case 128: WideDriver.Run128(x, d, nearest, key, FirstIndex); break;
                    case 256: WideDriver.Run256(x, d, nearest, key, FirstIndex); break;
                    default: WideDriver.Run512(x, d, nearest, key, FirstIndex); break;
                }
            },
            (x, d) => WideDriver.RunScalar(x, d, nearest, key, FirstIndex),
            inPlace: true);

        Check<float, float>(
            "float bfloat16 stochastic (32-bit kernel)",
            FloatPool(1200),
            (x, d, width, minLength) =>
            {
                switch (width)
                {
                    case 128: WideDriver.RunStochastic128(x, d, stochastic, narrow, key, FirstIndex); break;
                    case 256: WideDriver.RunStochastic256(x, d, stochastic, narrow, key, FirstIndex); break;
                    default: WideDriver.RunStochastic512(x, d, stochastic, narrow, key, FirstIndex); break;
                }
            },
            (x, d) => WideDriver.RunScalar(x, d, stochastic, key, FirstIndex),
            inPlace: true);
    }

    [Fact]
    public void Encode_entry_points_above_the_default_minimum_length_match_the_scalar_reference()
    {
        // The shortest spans that stream by default (plus a few elements off any vector multiple), through the public API on this
        // machine's widest vectors, against the scalar loop.
        int n16 = (int)EncodeDriver.NonTemporalMinLength<ushort>() + 77, n8 = (int)EncodeDriver.E4M3FNNonTemporalMinLength + 29;
        float[] x = FloatPool(Math.Max(n16, n8) + 8);
        ushort[] expected16 = new ushort[n16], actual16 = new ushort[n16 + 1];
        EncodeDriver.RunScalar(x.AsSpan(3, n16), expected16, default(Binary16RneEncodeOperator<BranchOnRareLanes>));
        FloatFormat.Binary16.Encode(x.AsSpan(3, n16), actual16.AsSpan(1));
        Assert.True(expected16.AsSpan().SequenceEqual(actual16.AsSpan(1)), "binary16 Encode above the minimum length");

        byte[] expected8 = new byte[n8], actual8 = new byte[n8];
        EncodeDriver.RunScalar(x.AsSpan(0, n8), expected8, default(E4M3FNRneEncodeOperator<BranchOnRareLanes>));
        FloatFormat.E4M3FN.Encode(x.AsSpan(0, n8), actual8);
        Assert.True(EncodeDriver.Streams<byte>(n8, EncodeDriver.E4M3FNNonTemporalMinLength), "E4M3FN streams at this length");
        Assert.True(expected8.AsSpan().SequenceEqual(actual8), "E4M3FN Encode above the minimum length");
    }
}
