// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;
using Numerics.Kernels;
using Numerics.Quantization;

namespace Numerics.Kernels.Tests;

/// <summary>
/// Quantized-weight GEMV/GEMM against a naive double loop over the weights dequantized by Numerics.Quantization (ggml
/// blocks, INT4 tensors) or Numerics.Formats (E4M3FN), plus bit identity across paths and thread counts.
/// </summary>
public sealed class QuantizedGemmTests
{
    /// <summary>
    /// Rounding steps an output sees: one per activation product and one per pair sum inside a block, one per block in the
    /// scaled accumulation (k/32), four in the final tree, one for the oracle's own float dequantization; γ_n·Σ|a·w|
    /// (Higham §3.1) with n = k/32 + 8.
    /// </summary>
    private static double Bound(int k, double magnitude)
    {
        double n = (k / 32) + 8;
        double u = 1.0 / (1 << 24);
        return (n * u / (1 - (n * u)) * magnitude) + 1e-37;
    }

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 32 }, { 1, 4, 32 }, { 1, 5, 64 }, { 2, 7, 96 }, { 3, 13, 160 }, { 1, 33, 256 }, { 5, 9, 1024 }, { 17, 6, 64 },
        { 1, 67, 2048 }, { 4, 3, 32 }, { 0, 3, 32 }, { 2, 0, 64 }, { 2, 3, 0 },
    };

    public static TheoryData<GgmlType> GgmlTypes => new() { GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.MXFP4 };

    /// <summary>Every path this machine runs (the scalar reference, AVX2 + FMA, AVX-512), each compared bit for bit with the scalar reference.</summary>
    private static QuantizedPath[] Paths => Enum.GetValues<QuantizedPath>().Where(QuantizedGemm.Supported).ToArray();

    /// <summary>The vector paths this machine runs.</summary>
    private static QuantizedPath[] VectorPaths => Paths.Where(p => p != QuantizedPath.Scalar).ToArray();

    private static float[] Random(Random rng, int count, float scale = 1f)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2) - 1) * scale;
        }

        return x;
    }

    /// <summary>C[i, j] = Σ_p a[i, p]·w[j, p] in double, with Σ|a·w| for the bound.</summary>
    private static (double[] Value, double[] Magnitude) Oracle(float[] a, double[] w, int m, int n, int k)
    {
        var value = new double[m * n];
        var magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, mag = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = a[(i * k) + p] * w[(j * k) + p];
                    sum += x;
                    mag += Math.Abs(x);
                }

                value[(i * n) + j] = sum;
                magnitude[(i * n) + j] = mag;
            }
        }

        return (value, magnitude);
    }

    private static void AssertClose((double[] Value, double[] Magnitude) expected, float[] c, int k, string context)
    {
        for (int i = 0; i < expected.Value.Length; i++)
        {
            double error = Math.Abs(c[i] - expected.Value[i]);
            Assert.True(error <= Bound(k, expected.Magnitude[i]), $"{context}: element {i}: got {c[i]:R}, expected {expected.Value[i]:R} (error {error:E3}, bound {Bound(k, expected.Magnitude[i]):E3})");
        }
    }

    private static void AssertSameBits(float[] expected, float[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"{context}: element {i}: {expected[i]:R} vs {actual[i]:R}");
        }
    }

    private static byte[] QuantizeRows(GgmlType type, float[] w, int n, int k)
    {
        int rowBytes = GgmlBlocks.RowSize(type, k);
        var bytes = new byte[rowBytes * n];
        for (int j = 0; j < n; j++)
        {
            GgmlBlocks.Quantize(type, w.AsSpan(j * k, k), bytes.AsSpan(j * rowBytes, rowBytes));
        }

        return bytes;
    }

    private static double[] DequantizeRows(GgmlType type, byte[] bytes, int n, int k)
    {
        var w = new float[n * k];
        int rowBytes = GgmlBlocks.RowSize(type, k);
        for (int j = 0; j < n; j++)
        {
            GgmlBlocks.Dequantize(type, bytes.AsSpan(j * rowBytes, rowBytes), w.AsSpan(j * k, k));
        }

        return Array.ConvertAll(w, x => (double)x);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Ggml_weights_match_the_dequantized_double_loop(int m, int n, int k)
    {
        foreach (GgmlType type in new[] { GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.MXFP4 })
        {
            var rng = new Random((m * 1000) + (n * 10) + k + (int)type);
            float[] a = Random(rng, m * k), wf = Random(rng, n * k, 3f);
            byte[] weights = QuantizeRows(type, wf, n, k);
            var expected = Oracle(a, DequantizeRows(type, weights, n, k), m, n, k);
            float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
            QuantizedGemm.Multiply(type, a, weights, c, m, n, k);
            AssertClose(expected, c, k, $"{type} public");

            float[] scalar = new float[m * n];
            QuantizedGemm.RunGgml(type, a, weights, scalar, m, n, k, 1, QuantizedPath.Scalar);
            AssertSameBits(c, scalar, $"{type} scalar path");
            foreach (QuantizedPath path in Paths)
            {
                for (int threads = 1; threads <= 3; threads++)
                {
                    float[] vector = Enumerable.Repeat(float.NaN, m * n).ToArray();
                    QuantizedGemm.RunGgml(type, a, weights, vector, m, n, k, threads, path);
                    AssertSameBits(scalar, vector, $"{type} {path}, {threads} threads");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void E4M3FN_weights_match_the_decoded_double_loop(int m, int n, int k)
    {
        foreach (int groupSize in new[] { 32, 64, Math.Max(k, 32) })
        {
            if (k % groupSize != 0 || (groupSize & (groupSize - 1)) != 0 && groupSize != k)
            {
                continue;
            }

            var rng = new Random((m * 1000) + (n * 10) + k + groupSize);
            float[] a = Random(rng, m * k);
            byte[] codes = new byte[n * k];
            for (int i = 0; i < codes.Length; i++)
            {
                do
                {
                    codes[i] = (byte)rng.Next(256);
                }
                while ((codes[i] & 0x7F) == 0x7F); // NaN codes: see the NaN test
            }

            int perRow = k / groupSize;
            float[] scales = Random(rng, n * perRow, 0.01f);
            var w = new double[n * k];
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < k; p++)
                {
                    w[(j * k) + p] = FloatFormat.E4M3FN.Decode(codes[(j * k) + p]) * scales[(j * perRow) + (p / groupSize)];
                }
            }

            var expected = Oracle(a, w, m, n, k);
            float[] c = new float[m * n];
            QuantizedGemm.MultiplyE4M3FN(a, codes, scales, groupSize, c, m, n, k);
            AssertClose(expected, c, k, $"E4M3FN group {groupSize}");
            float[] scalar = new float[m * n];
            QuantizedGemm.RunE4M3FN(a, codes, scales, groupSize, scalar, m, n, k, 2, QuantizedPath.Scalar);
            AssertSameBits(c, scalar, "E4M3FN scalar path");
            foreach (QuantizedPath path in Paths)
            {
                for (int threads = 1; threads <= 3; threads++)
                {
                    float[] vector = Enumerable.Repeat(float.NaN, m * n).ToArray();
                    QuantizedGemm.RunE4M3FN(a, codes, scales, groupSize, vector, m, n, k, threads, path);
                    AssertSameBits(scalar, vector, $"E4M3FN group {groupSize} {path}, {threads} threads");
                }
            }
        }
    }

    [Fact]
    public void E4M3FN_every_code_decodes_exactly_and_NaN_codes_propagate()
    {
        // One weight row per code (value in lane 0 of a block, zeros elsewhere) against activations e_0: C[j] = decode(j).
        const int k = 32;
        byte[] codes = new byte[256 * k];
        for (int j = 0; j < 256; j++)
        {
            codes[j * k] = (byte)j;
        }

        float[] a = new float[k];
        a[0] = 1f;
        float[] scales = Enumerable.Repeat(1f, 256).ToArray();
        foreach (QuantizedPath vector in Paths)
        {
            float[] c = new float[256];
            QuantizedGemm.RunE4M3FN(a, codes, scales, k, c, 1, 256, k, 1, vector);
            for (int j = 0; j < 256; j++)
            {
                double expected = FloatFormat.E4M3FN.Decode((ulong)j);
                if (double.IsNaN(expected))
                {
                    Assert.True(float.IsNaN(c[j]), $"code 0x{j:X2} should give NaN (vector {vector})");
                }
                else
                {
                    Assert.Equal(expected, (double)c[j]);
                }
            }
        }
    }

    public static TheoryData<int, int, int, int> E4M3FNChunkShapes => new()
    {
        // k % 64 == 32 takes the padded last chunk; group 32 takes two scales per chunk; n % 4 != 0 takes a short tile.
        { 1, 1, 32, 32 }, { 1, 5, 64, 32 }, { 2, 7, 96, 32 }, { 1, 9, 96, 96 }, { 3, 6, 160, 32 }, { 1, 13, 1088, 64 }, { 2, 4, 1088, 1088 },
        { 1, 11, 2048, 128 }, { 4, 3, 224, 224 },
    };

    [Theory]
    [MemberData(nameof(E4M3FNChunkShapes))]
    public void E4M3FN_chunked_path_matches_the_scalar_reference_with_NaN_codes_and_special_values(int m, int n, int k, int groupSize)
    {
        var rng = new Random((m * 7919) + (n * 31) + k + groupSize);
        float[] a = Random(rng, m * k);
        a[0] = 3e38f; // large, subnormal, zero and infinite activations on the way
        if (a.Length > 5)
        {
            a[1] = 1e-40f;
            a[2] = -0f;
            a[5] = float.PositiveInfinity;
        }

        byte[] codes = new byte[n * k];
        rng.NextBytes(codes);
        for (int i = 0; i < codes.Length; i++)
        {
            if ((codes[i] & 0x7F) == 0x7F && (i / k) % 3 != 1)
            {
                codes[i] ^= 1; // NaN codes only in rows 1, 4, 7, …
            }
        }

        int perRow = k / groupSize;
        float[] scales = Random(rng, n * perRow, 0.01f);
        scales[^1] = float.NaN;
        if (scales.Length > 2)
        {
            scales[1] = float.PositiveInfinity;
            scales[2] = 0f;
        }

        float[] scalar = new float[m * n];
        QuantizedGemm.RunE4M3FN(a, codes, scales, groupSize, scalar, m, n, k, 1, QuantizedPath.Scalar);
        for (int threads = 1; threads <= 3; threads++)
        {
            foreach (QuantizedPath path in Paths)
            {
                float[] vector = Enumerable.Repeat(float.NaN, m * n).ToArray();
                QuantizedGemm.RunE4M3FN(a, codes, scales, groupSize, vector, m, n, k, threads, path);
                AssertSameBits(scalar, vector, $"E4M3FN {path}, {threads} threads");
            }
        }

        for (int j = 0; j < n; j++)
        {
            bool hasNaN = codes.AsSpan(j * k, k).ToArray().Any(x => (x & 0x7F) == 0x7F);
            for (int i = 0; i < m && hasNaN; i++)
            {
                Assert.True(float.IsNaN(scalar[(i * n) + j]), $"row {j} has a NaN code, so C[{i}, {j}] is NaN");
            }
        }
    }

    [Fact]
    public void E4M3FN_without_NaN_codes_or_special_values_matches_the_double_loop_at_odd_chunk_counts()
    {
        foreach ((int n, int k, int groupSize) in new[] { (5, 96, 32), (6, 160, 160), (3, 1056, 32) })
        {
            var rng = new Random(n + k);
            float[] a = Random(rng, k);
            byte[] codes = new byte[n * k];
            rng.NextBytes(codes);
            for (int i = 0; i < codes.Length; i++)
            {
                codes[i] = (codes[i] & 0x7F) == 0x7F ? (byte)(codes[i] ^ 1) : codes[i];
            }

            int perRow = k / groupSize;
            float[] scales = Random(rng, n * perRow, 0.01f);
            var w = new double[n * k];
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = FloatFormat.E4M3FN.Decode(codes[i]) * scales[((i / k) * perRow) + ((i % k) / groupSize)];
            }

            float[] c = new float[n];
            QuantizedGemm.MultiplyE4M3FN(a, codes, scales, groupSize, c, 1, n, k);
            AssertClose(Oracle(a, w, 1, n, k), c, k, $"E4M3FN {n}x{k} group {groupSize}");
        }
    }

    public static TheoryData<int, bool, bool, string> Int4Layouts => new()
    {
        { 32, true, true, "group" }, { 64, true, false, "group" }, { 128, false, true, "group" }, { 128, false, false, "group" },
        { 0, true, true, "channel" }, { 0, false, false, "tensor" },
    };

    [Theory]
    [MemberData(nameof(Int4Layouts))]
    public void Int4_tensors_match_their_dequantized_double_loop(int groupSize, bool isSigned, bool symmetric, string granularity)
    {
        foreach ((int m, int n, int k) in new[] { (1, 1, 32), (1, 5, 128), (3, 7, 160), (1, 33, 512), (6, 4, 96), (2, 9, 1024) })
        {
            if (granularity == "group" && groupSize > k)
            {
                continue;
            }

            var rng = new Random((m * 1000) + (n * 10) + k + groupSize);
            float[] a = Random(rng, m * k), wf = Random(rng, n * k, 2f);
            for (int i = 0; i < wf.Length; i += 7)
            {
                wf[i] += 0.5f; // asymmetric ranges
            }

            IntegerQuantizationOptions options = QuantizedGemmTests.Int4Options(granularity, groupSize, isSigned, symmetric);
            QuantizedTensor t = IntegerQuantizer.Quantize(wf, n, k, options);
            var expected = Oracle(a, Array.ConvertAll(t.ToFloat(), x => (double)x), m, n, k);
            float[] c = new float[m * n];
            QuantizedGemm.MultiplyInt4(a, t, c, m);
            AssertClose(expected, c, k, $"INT4 {granularity} {groupSize} signed={isSigned} symmetric={symmetric} {m}x{n}x{k}");
            float[] scalar = new float[m * n];
            QuantizedGemm.RunInt4(a, t, scalar, m, 2, QuantizedPath.Scalar);
            AssertSameBits(c, scalar, "INT4 scalar path");
            foreach (QuantizedPath path in Paths)
            {
                for (int threads = 1; threads <= 3; threads++)
                {
                    float[] vector = Enumerable.Repeat(float.NaN, m * n).ToArray();
                    QuantizedGemm.RunInt4(a, t, vector, m, threads, path);
                    AssertSameBits(scalar, vector, $"INT4 {granularity} {groupSize} signed={isSigned} symmetric={symmetric} {m}x{n}x{k} {path}, {threads} threads");
                }
            }
        }
    }

    /// <summary>
    /// The AVX2 decoders, directly: every byte value in every lane position gives exactly the value of the scalar decoder
    /// (Q8_0, Q4_0, MXFP4 blocks; INT4 nibbles, signed and unsigned; every E4M3FN code, NaN codes with both decoders' rules).
    /// </summary>
    [Fact]
    public unsafe void Avx2_decoders_give_the_scalar_values_for_every_byte()
    {
        Assert.SkipUnless(QuantizedGemm.Vector256Path, "AVX2 and FMA are not available");
        byte[] bytes = new byte[34 * 256];
        fixed (byte* p = bytes)
        {
            // One block per byte value v and lane position j: the data byte at j is v, the others are v + 37·i.
            for (int v = 0; v < 256; v++)
            {
                byte* block = p + (34 * v);
                for (int i = 0; i < 34; i++)
                {
                    block[i] = (byte)(v + (37 * i));
                }

                CheckBlock<Q8_0Block>(block, "Q8_0");
                CheckBlock<Q4_0Block>(block, "Q4_0");
                CheckBlock<Mxfp4Block>(block, "MXFP4");
                for (int half = 0; half < 2; half++)
                {
                    QuantizedDriver.UnsignedNibbles.Codes(block + (8 * half), out var unsignedLow, out var unsignedHigh);
                    QuantizedDriver.SignedNibbles.Codes(block + (8 * half), out var signedLow, out var signedHigh);
                    for (int j = 0; j < 8; j++)
                    {
                        byte b = block[(8 * half) + j];
                        Assert.Equal(b & 15, unsignedLow[j]);
                        Assert.Equal(b >> 4, unsignedHigh[j]);
                        Assert.Equal(((b & 15) ^ 8) - 8, signedLow[j]);
                        Assert.Equal(((b >> 4) ^ 8) - 8, signedHigh[j]);
                    }
                }
            }

            // E4M3FN: 32 codes per call; word 8L + 2d (+1) of the unpacked half goes to lane 4L + d of the even (odd) vector.
            for (int first = 0; first < 256; first += 32)
            {
                for (int i = 0; i < 32; i++)
                {
                    p[i] = (byte)(first + ((i * 11) % 32));
                }

                var codes = System.Runtime.Intrinsics.Vector256.Load(p);
                for (int part = 0; part < 2; part++)
                {
                    var words = part == 0
                        ? System.Runtime.Intrinsics.X86.Avx2.UnpackLow(System.Runtime.Intrinsics.Vector256<byte>.Zero, codes)
                        : System.Runtime.Intrinsics.X86.Avx2.UnpackHigh(System.Runtime.Intrinsics.Vector256<byte>.Zero, codes);
                    QuantizedDriver.DecodeE4M3FN256<QuantizedDriver.WithNaNCodes>(words, out var even, out var odd);
                    QuantizedDriver.DecodeE4M3FN256<QuantizedDriver.WithoutNaNCodes>(words, out var evenFast, out var oddFast);
                    for (int lane = 0; lane < 8; lane++)
                    {
                        int l = lane >> 2, d = lane & 3;
                        int evenCode = p[(16 * l) + (8 * part) + (2 * d)], oddCode = p[(16 * l) + (8 * part) + (2 * d) + 1];
                        AssertSameBits([E4M3FNBlock.Value(evenCode), E4M3FNBlock.Value(oddCode)], [even[lane], odd[lane]], $"E4M3FN codes 0x{evenCode:X2}, 0x{oddCode:X2}");
                        if ((evenCode & 0x7F) != 0x7F)
                        {
                            AssertSameBits([E4M3FNBlock.Value(evenCode)], [evenFast[lane]], $"E4M3FN code 0x{evenCode:X2} without NaN codes");
                        }

                        if ((oddCode & 0x7F) != 0x7F)
                        {
                            AssertSameBits([E4M3FNBlock.Value(oddCode)], [oddFast[lane]], $"E4M3FN code 0x{oddCode:X2} without NaN codes");
                        }
                    }
                }
            }
        }
    }

    private static unsafe void CheckBlock<TBlock>(byte* block, string name)
        where TBlock : struct, IQuantizedBlock
    {
        for (int half = 0; half < 2; half++)
        {
            TBlock.Decode256(block, half, out var lo, out var hi);
            for (int j = 0; j < 8; j++)
            {
                int lane = (8 * half) + j;
                AssertSameBits([TBlock.DecodeScalar(block, 0, lane), TBlock.DecodeScalar(block, 0, 16 + lane)], [lo[j], hi[j]], $"{name} lane {lane}, block bytes {block[0]:X2} …");
            }
        }
    }

    [Fact]
    public void Half_scale_bits_are_exact_for_every_binary16_pattern()
    {
        // The in-loop conversion (integer operations only) against the runtime's Half → float, for all 65 536 patterns;
        // NaNs keep their payload shifted up 13 bits (the ggml reference does the same).
        for (int h = 0; h <= 0xFFFF; h++)
        {
            uint got = QuantizedScales.HalfToSingleBits((uint)h);
            Half half = BitConverter.UInt16BitsToHalf((ushort)h);
            uint expected = Half.IsNaN(half)
                ? ((uint)(h & 0x8000) << 16) | 0x7F80_0000u | ((uint)(h & 0x3FF) << 13)
                : BitConverter.SingleToUInt32Bits((float)half);
            Assert.True(expected == got, $"half 0x{h:X4}: expected 0x{expected:X8}, got 0x{got:X8}");
        }
    }

    [Fact]
    public void E8M0_scale_bits_are_exact_for_every_exponent()
    {
        for (int e = 0; e < 256; e++)
        {
            double expected = Math.ScaleB(1.0, e - 128);
            Assert.Equal((float)expected, BitConverter.UInt32BitsToSingle(QuantizedScales.E8M0HalfBits((uint)e)));
        }
    }

    [Theory]
    [MemberData(nameof(GgmlTypes))]
    public void Special_block_scales_give_the_same_bits_on_every_path_and_all_thread_counts(GgmlType type)
    {
        // Every block's scale is overwritten with a special pattern (zero, ±subnormal, smallest/largest normal, ±Inf, NaN for
        // binary16; 0, 1, 2, 127, 128, 254, 255 for E8M0), so the in-loop integer conversion meets every branch.
        foreach (int k in new[] { 256, 608 })
        {
            SpecialBlockScales(type, k);
        }
    }

    private static void SpecialBlockScales(GgmlType type, int k)
    {
        const int n = 9;
        var rng = new Random(11 + (int)type);
        float[] a = Random(rng, 2 * k);
        byte[] weights = QuantizeRows(type, Random(rng, n * k), n, k);
        int blockBytes = type switch { GgmlType.Q8_0 => 34, GgmlType.Q4_0 => 18, _ => 17 };
        ushort[] halves = [0x0000, 0x8000, 0x0001, 0x03FF, 0x8200, 0x0400, 0x7BFF, 0x3C00, 0xBC00, 0x7C00, 0xFC00, 0x7E01, 0x0155];
        byte[] exponents = [0, 1, 2, 127, 128, 254, 255, 100];
        for (int b = 0; b < weights.Length / blockBytes; b++)
        {
            if (type == GgmlType.MXFP4)
            {
                weights[b * blockBytes] = exponents[b % exponents.Length];
            }
            else
            {
                BitConverter.TryWriteBytes(weights.AsSpan(b * blockBytes, 2), halves[b % halves.Length]);
            }
        }

        for (int m = 1; m <= 2; m++)
        {
            float[] scalar = new float[m * n];
            QuantizedGemm.RunGgml(type, a.AsSpan(0, m * k), weights, scalar, m, n, k, 1, QuantizedPath.Scalar);
            foreach (QuantizedPath vector in Paths)
            {
                for (int threads = 1; threads <= 3; threads++)
                {
                    float[] c = new float[m * n];
                    QuantizedGemm.RunGgml(type, a.AsSpan(0, m * k), weights, c, m, n, k, threads, vector);
                    AssertSameBits(scalar, c, $"{type} m={m} vector={vector} threads={threads}");
                }
            }
        }
    }

    [Fact]
    public void Public_entry_with_threads_matches_one_thread_at_gemv_size()
    {
        const int n = 300, k = 1024;
        var rng = new Random(5);
        float[] a = Random(rng, k);
        byte[] weights = QuantizeRows(GgmlType.Q4_0, Random(rng, n * k), n, k);
        float[] one = new float[n], two = new float[n], all = new float[n];
        QuantizedGemm.Multiply(GgmlType.Q4_0, a, weights, one, 1, n, k, 1);
        QuantizedGemm.Multiply(GgmlType.Q4_0, a, weights, two, 1, n, k, 2);
        QuantizedGemm.Multiply(GgmlType.Q4_0, a, weights, all, 1, n, k, -1);
        AssertSameBits(one, two, "2 threads");
        AssertSameBits(one, all, "all processors");
    }

    /// <summary>
    /// The software prefetch (into the L1, into the L2 only, or none; the default depends on the processor) changes only the
    /// speed: every format gives the scalar path's bits all three ways, on one and two threads.
    /// </summary>
    [Fact]
    public void Prefetch_level_and_switch_leave_the_bits_unchanged()
    {
        Assert.SkipUnless(VectorPaths.Length > 0, "the prefetches are in the AVX-512 and AVX2 loops");
        const int n = 37, k = 2048, m = 2; // rows of 1-4 KiB: the prefetch runs a whole number of tiles ahead
        var rng = new Random(11);
        float[] a = Random(rng, m * k), wf = Random(rng, n * k, 2f);
        byte[] codes = new byte[n * k];
        rng.NextBytes(codes);
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (codes[i] & 0x7F) == 0x7F ? (byte)0x3C : codes[i]; // no NaN codes
        }

        float[] scales = Random(rng, n * (k / 128), 1f);
        QuantizedTensor int4 = IntegerQuantizer.Quantize(wf, n, k, IntegerQuantizationOptions.Int4PerGroup128);
        var runs = new (string Name, Action<float[], QuantizedPath, int> Run)[]
        {
            ("Q8_0", (c, v, t) => QuantizedGemm.RunGgml(GgmlType.Q8_0, a, QuantizeRows(GgmlType.Q8_0, wf, n, k), c, m, n, k, t, v)),
            ("Q4_0", (c, v, t) => QuantizedGemm.RunGgml(GgmlType.Q4_0, a, QuantizeRows(GgmlType.Q4_0, wf, n, k), c, m, n, k, t, v)),
            ("MXFP4", (c, v, t) => QuantizedGemm.RunGgml(GgmlType.MXFP4, a, QuantizeRows(GgmlType.MXFP4, wf, n, k), c, m, n, k, t, v)),
            ("E4M3FN", (c, v, t) => QuantizedGemm.RunE4M3FN(a, codes, scales, 128, c, m, n, k, t, v)),
            ("INT4", (c, v, t) => QuantizedGemm.RunInt4(a, int4, c, m, t, v)),
        };
        bool toL2 = QuantizedDriver.PrefetchToL2, on = QuantizedDriver.SoftwarePrefetch;
        try
        {
            foreach ((string name, Action<float[], QuantizedPath, int> run) in runs)
            {
                float[] scalar = new float[m * n];
                run(scalar, QuantizedPath.Scalar, 1);
                foreach ((bool prefetch, bool l2) in new[] { (true, false), (true, true), (false, false) })
                {
                    QuantizedDriver.SoftwarePrefetch = prefetch;
                    QuantizedDriver.PrefetchToL2 = l2;
                    foreach (QuantizedPath path in VectorPaths)
                    {
                        foreach (int threads in new[] { 1, 2 })
                        {
                            float[] vector = new float[m * n];
                            run(vector, path, threads);
                            AssertSameBits(scalar, vector, $"{name} {path} prefetch={prefetch} l2={l2} threads={threads}");
                        }
                    }
                }
            }
        }
        finally
        {
            QuantizedDriver.PrefetchToL2 = toL2;
            QuantizedDriver.SoftwarePrefetch = on;
        }
    }

    [Theory]
    [InlineData(18)] // Q4_0 at k = 32: a 72-byte tile
    [InlineData(144)] // Q4_0 at k = 256
    [InlineData(1000)]
    [InlineData(1024)] // a tile of exactly 4 KiB
    [InlineData(2304)] // Q4_0 at k = 4096
    [InlineData(4352)] // Q8_0 at k = 4096
    public void Prefetch_distance_is_a_whole_number_of_tiles_and_at_least_4_KiB(int rowBytes)
    {
        long tile = 4L * rowBytes;
        long ahead = QuantizedDriver.PrefetchAhead(rowBytes);
        Assert.Equal(0, ahead % tile);
        Assert.True(ahead >= 4096, $"{ahead} bytes is less than 4 KiB");
        Assert.True(ahead - tile < 4096, $"{ahead} bytes is a tile more than needed");
    }

    [Fact]
    public void Gemm_rows_equal_the_gemv_of_each_row()
    {
        const int m = 5, n = 13, k = 256;
        var rng = new Random(9);
        float[] a = Random(rng, m * k);
        byte[] weights = QuantizeRows(GgmlType.Q8_0, Random(rng, n * k), n, k);
        float[] c = new float[m * n];
        QuantizedGemm.Multiply(GgmlType.Q8_0, a, weights, c, m, n, k);
        for (int i = 0; i < m; i++)
        {
            float[] row = new float[n];
            QuantizedGemm.Multiply(GgmlType.Q8_0, a.AsSpan(i * k, k), weights, row, 1, n, k);
            AssertSameBits(row, c.AsSpan(i * n, n).ToArray(), $"row {i}");
        }
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        float[] a = new float[64], c = new float[4];
        byte[] w = new byte[2 * 34 * 2];
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => QuantizedGemm.Multiply(GgmlType.Q8_0, a, w, c, 1, 2, 48)).ParamName);
        Assert.Equal("weightType", Assert.Throws<ArgumentException>(() => QuantizedGemm.Multiply(GgmlType.Q4_K, a, w, c, 1, 2, 64)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => QuantizedGemm.Multiply(GgmlType.Q8_0, a, w, c, 1, 3, 64)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => QuantizedGemm.Multiply(GgmlType.Q8_0, a, w, c, 2, 2, 64)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => QuantizedGemm.Multiply(GgmlType.Q8_0, a, w, new float[1], 1, 2, 64)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedGemm.Multiply(GgmlType.Q8_0, a, w, c, -1, 2, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedGemm.Multiply(GgmlType.Q8_0, a, w, c, 1, 2, 64, 0));
        byte[] codes = new byte[128];
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyE4M3FN(a, codes, new float[4], 32, c, 1, 2, 40)).ParamName);
        Assert.Equal("groupSize", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyE4M3FN(a, codes, new float[4], 48, c, 1, 2, 64)).ParamName);
        Assert.Equal("scales", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyE4M3FN(a, codes, new float[3], 32, c, 1, 2, 64)).ParamName);
        Assert.Throws<ArgumentNullException>(() => QuantizedGemm.MultiplyInt4(a, null!, c, 1));
        QuantizedTensor int8 = IntegerQuantizer.Quantize(new float[64], 2, 32, IntegerQuantizationOptions.Int8PerChannel);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyInt4(a, int8, c, 1)).ParamName);
        QuantizedTensor odd = IntegerQuantizer.Quantize(new float[2 * 40], 2, 40, new IntegerQuantizationOptions { Bits = 4, Granularity = QuantizationGranularity.PerChannel, Axis = 0 });
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyInt4(a, odd, c, 1)).ParamName); // MultiplyInt4 has no k
    }

    /// <summary>INT4 options for the INT4 weight cases: "group", "channel" (axis 0) or per-tensor, groups of at least 32.</summary>
    internal static IntegerQuantizationOptions Int4Options(string granularity, int groupSize, bool isSigned, bool symmetric) => new()
    {
        Bits = 4, IsSigned = isSigned, Symmetric = symmetric,
        Granularity = granularity switch { "group" => QuantizationGranularity.PerGroup, "channel" => QuantizationGranularity.PerChannel, _ => QuantizationGranularity.PerTensor },
        Axis = granularity == "channel" ? 0 : 1,
        GroupSize = Math.Max(groupSize, 32),
    };
}
