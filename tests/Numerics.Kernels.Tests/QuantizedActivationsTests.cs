// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels;
using Numerics.Quantization;

namespace Numerics.Kernels.Tests;

/// <summary>
/// 4-bit ggml weights against Q8_0 activations (<see cref="QuantizedGemm.MultiplyPrequantized"/>,
/// <see cref="QuantizedGemm.MultiplyQuantizedActivations"/>): against an exact model written from ggml's definition of the
/// block dot product (integer sums in <see cref="long"/>, scales from <see cref="Half"/> and <see cref="Math.ScaleB"/>, the
/// sum in double), bit identity of the AVX-512 path, the scalar reference and every thread count, and argument checks.
/// </summary>
public sealed class QuantizedActivationsTests
{
    public static TheoryData<GgmlType, int, int, int> Cases
    {
        get
        {
            var data = new TheoryData<GgmlType, int, int, int>();
            int[][] shapes = [[1, 1, 32], [1, 4, 128], [2, 5, 96], [3, 7, 160], [1, 9, 4096], [5, 13, 544], [4, 8, 256], [2, 3, 64], [1, 37, 2080]];
            foreach (GgmlType type in new[] { GgmlType.Q4_0, GgmlType.MXFP4 })
            {
                foreach (int[] s in shapes)
                {
                    data.Add(type, s[0], s[1], s[2]);
                }
            }

            return data;
        }
    }

    private static int BlockBytes(GgmlType type) => type == GgmlType.Q4_0 ? 18 : 17;

    /// <summary>ggml's kvalues_mxfp4.</summary>
    private static readonly int[] Kvalues = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

    /// <summary>
    /// Random weight rows: random code bytes; scales random normal halves of either sign (Q4_0: below 2 in magnitude, which
    /// the AVX-512 loop converts the short way, except in rows 7, 15, … where they reach 2^4 and send their tile of four
    /// rows to the full conversion) or exponents 110-140 (MXFP4).
    /// </summary>
    private static byte[] RandomWeights(Random rng, GgmlType type, int n, int k)
    {
        int bb = BlockBytes(type);
        var w = new byte[n * (k / 32) * bb];
        rng.NextBytes(w);
        for (int b = 0; b < w.Length / bb; b++)
        {
            if (type == GgmlType.Q4_0)
            {
                bool large = b / (k / 32) % 8 == 7;
                ushort h = (ushort)((rng.Next(2) << 15) | (rng.Next(5, large ? 20 : 16) << 10) | rng.Next(1024));
                BitConverter.TryWriteBytes(w.AsSpan(b * bb, 2), h);
            }
            else
            {
                w[b * bb] = (byte)rng.Next(110, 141);
            }
        }

        return w;
    }

    /// <summary>Random Q8_0 activation rows: codes in [-128, 127] (the quantizer never writes -128; a reader must still take it), positive normal half scales.</summary>
    private static byte[] RandomActivations(Random rng, int m, int k)
    {
        var a = new byte[m * (k / 32) * 34];
        rng.NextBytes(a);
        for (int b = 0; b < a.Length / 34; b++)
        {
            ushort h = (ushort)((rng.Next(8, 18) << 10) | rng.Next(1024));
            BitConverter.TryWriteBytes(a.AsSpan(b * 34, 2), h);
        }

        return a;
    }

    private static double WeightScale(GgmlType type, byte[] w, int offset) =>
        type == GgmlType.Q4_0 ? (double)BitConverter.ToHalf(w, offset) : Math.ScaleB(1.0, w[offset] - 128);

    /// <summary>
    /// The exact model: per block σ = RN_float(d_w·d_a) (the double product of two binary16 or power-of-two values is exact, so
    /// the cast rounds once) times the exact integer dot product; the sum of those in double, and Σ|σ·P| for the bound.
    /// </summary>
    private static (double Value, double Magnitude) Exact(GgmlType type, byte[] w, int row, byte[] a, int arow, int k)
    {
        int blocks = k / 32, bb = BlockBytes(type), first = type == GgmlType.Q4_0 ? 2 : 1;
        double sum = 0, magnitude = 0;
        for (int b = 0; b < blocks; b++)
        {
            int wo = ((row * blocks) + b) * bb, ao = ((arow * blocks) + b) * 34;
            float sigma = (float)(WeightScale(type, w, wo) * (double)BitConverter.ToHalf(a, ao));
            long p = 0;
            long[] part = new long[4]; // the four partial sums the float lanes add (elements 4t … 4t + 3 and 16 + 4t …), for Σ|σ·P_t|
            for (int j = 0; j < 32; j++)
            {
                int code = j < 16 ? w[wo + first + j] & 15 : w[wo + first + j - 16] >> 4;
                int value = type == GgmlType.Q4_0 ? code - 8 : Kvalues[code];
                p += value * (long)(sbyte)a[ao + 2 + j];
                part[(j % 16) / 4] += value * (long)(sbyte)a[ao + 2 + j];
            }

            sum += sigma * (double)p;
            foreach (long t in part)
            {
                magnitude += Math.Abs(sigma * (double)t);
            }
        }

        return (sum, magnitude);
    }

    /// <summary>γ_n·Σ|σ·P| (Higham §3.1) with n = k/128 + 8 float roundings on the way (lane sums of at most ⌈k/128⌉ terms, the tree), plus the double model's own error.</summary>
    private static double Bound(int k, double magnitude)
    {
        double n = ((k + 127) / 128) + 8;
        double u = 1.0 / (1 << 24);
        return (n * u / (1 - (n * u)) * magnitude * (1 + 1e-12)) + 1e-300;
    }

    private static void AssertSameBits(float[] expected, float[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]) || (float.IsNaN(expected[i]) && float.IsNaN(actual[i]));
            Assert.True(same, $"{context}: element {i}: {expected[i]:R} (0x{BitConverter.SingleToInt32Bits(expected[i]):X8}) vs {actual[i]:R} (0x{BitConverter.SingleToInt32Bits(actual[i]):X8})");
        }
    }

    /// <summary>Every path and thread count: the scalar reference's bits.</summary>
    private static float[] RunAll(GgmlType type, byte[] a, byte[] w, int m, int n, int k, string context)
    {
        float[] scalar = Enumerable.Repeat(float.NaN, m * n).ToArray();
        QuantizedGemm.RunQ8_0Activations(type, a, w, scalar, m, n, k, 1, QuantizedPath.Scalar);
        foreach (QuantizedPath path in Enum.GetValues<QuantizedPath>().Where(IntegerDotDriver.Supported))
        {
            for (int threads = 1; threads <= 3; threads++)
            {
                float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                QuantizedGemm.RunQ8_0Activations(type, a, w, c, m, n, k, threads, path);
                AssertSameBits(scalar, c, $"{context} {path} threads={threads}");
            }
        }

        float[] pub = Enumerable.Repeat(float.NaN, m * n).ToArray();
        QuantizedGemm.MultiplyPrequantized(type, a, w, pub, m, n, k, -1);
        AssertSameBits(scalar, pub, $"{context} public entry");
        return scalar;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_exact_block_model_and_every_path_gives_the_same_bits(GgmlType type, int m, int n, int k)
    {
        var rng = new Random((m * 7919) + (n * 131) + k + (int)type);
        byte[] w = RandomWeights(rng, type, n, k), a = RandomActivations(rng, m, k);
        float[] c = RunAll(type, a, w, m, n, k, $"{type} {m}x{n}x{k}");
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                (double value, double magnitude) = Exact(type, w, j, a, i, k);
                double error = Math.Abs(c[(i * n) + j] - value);
                Assert.True(error <= Bound(k, magnitude), $"{type} C[{i},{j}] = {c[(i * n) + j]:R}, exact {value:R}, error {error:E3} > {Bound(k, magnitude):E3}");
            }
        }
    }

    [Theory]
    [InlineData(GgmlType.Q4_0)]
    [InlineData(GgmlType.MXFP4)]
    public void Unit_scales_give_the_exact_integer_sum(GgmlType type)
    {
        // σ = 1 for every block and |Σ P| < 2^24: no rounding anywhere, so C is the exact integer on every path.
        const int m = 3, n = 6, k = 1184; // 37 blocks: nine groups and a tail of one
        var rng = new Random(3);
        byte[] w = RandomWeights(rng, type, n, k), a = RandomActivations(rng, m, k);
        int bb = BlockBytes(type);
        for (int b = 0; b < w.Length / bb; b++)
        {
            if (type == GgmlType.Q4_0)
            {
                BitConverter.TryWriteBytes(w.AsSpan(b * bb, 2), (ushort)0x3C00); // 1.0
            }
            else
            {
                w[b * bb] = 128; // 2^0
            }
        }

        for (int b = 0; b < a.Length / 34; b++)
        {
            BitConverter.TryWriteBytes(a.AsSpan(b * 34, 2), (ushort)0x3C00);
        }

        float[] c = RunAll(type, a, w, m, n, k, $"{type} unit scales");
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(Exact(type, w, j, a, i, k).Value, (double)c[(i * n) + j]);
            }
        }
    }

    [Theory]
    [InlineData(GgmlType.Q4_0)]
    [InlineData(GgmlType.MXFP4)]
    public void Special_scales_give_the_same_result_on_every_path(GgmlType type)
    {
        // Weight scales: ±0, ±subnormal, the smallest and largest normal, ±Inf, NaN (binary16); 0, 1, 2, 127, 128, 254, 255
        // (E8M0, ggml's halved scale 2^(e − 128): 2^-128 to 2^127). Activation scales: one subnormal, one large.
        const int n = 11, k = 736;
        var rng = new Random(17);
        byte[] w = RandomWeights(rng, type, n, k), a = RandomActivations(rng, 2, k);
        ushort[] halves = [0x0000, 0x8000, 0x0001, 0x83FF, 0x0400, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00, 0x7E01, 0x3555, 0x7D00];
        byte[] exponents = [0, 1, 2, 127, 128, 254, 255, 131];
        int bb = BlockBytes(type);
        for (int b = 0; b < w.Length / bb; b += 3)
        {
            if (type == GgmlType.Q4_0)
            {
                BitConverter.TryWriteBytes(w.AsSpan(b * bb, 2), halves[(b / 3) % halves.Length]);
            }
            else
            {
                w[b * bb] = exponents[(b / 3) % exponents.Length];
            }
        }

        BitConverter.TryWriteBytes(a.AsSpan(5 * 34, 2), (ushort)0x0003);
        BitConverter.TryWriteBytes(a.AsSpan(9 * 34, 2), (ushort)0x7BFF);
        float[] c = RunAll(type, a, w, 2, n, k, $"{type} special scales");

        // Rows whose blocks are all finite match the model; the others are NaN or infinite as IEEE arithmetic says.
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < n; j++)
            {
                (double value, double magnitude) = Exact(type, w, j, a, i, k);
                float got = c[(i * n) + j];
                if (double.IsNaN(value) || double.IsInfinity(value) || double.IsInfinity(magnitude) || magnitude > float.MaxValue)
                {
                    Assert.True(!float.IsFinite(got) || Math.Abs(got - value) <= Bound(k, magnitude), $"C[{i},{j}] = {got:R}, model {value:R}");
                    continue;
                }

                Assert.True(Math.Abs(got - value) <= Bound(k, magnitude), $"{type} C[{i},{j}] = {got:R}, exact {value:R}");
            }
        }
    }

    [Theory]
    [InlineData(GgmlType.Q4_0)]
    [InlineData(GgmlType.MXFP4)]
    public void Float_entry_quantizes_with_the_ggml_codec_and_stays_within_the_activation_rounding(GgmlType type)
    {
        const int m = 2, n = 10, k = 1056;
        var rng = new Random(23 + (int)type);
        float[] af = new float[m * k], wf = new float[n * k];
        for (int i = 0; i < af.Length; i++)
        {
            af[i] = (float)((rng.NextDouble() * 2) - 1) * (i % 97 == 0 ? 40f : 1f);
        }

        for (int i = 0; i < wf.Length; i++)
        {
            wf[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        byte[] w = new byte[GgmlBlocks.RowSize(type, k) * n];
        GgmlBlocks.Quantize(type, wf, w);
        byte[] aq = new byte[GgmlBlocks.RowSize(GgmlType.Q8_0, k) * m];
        GgmlBlocks.Quantize(GgmlType.Q8_0, af, aq);

        float[] viaFloat = new float[m * n], viaBytes = new float[m * n];
        QuantizedGemm.MultiplyQuantizedActivations(type, af, w, viaFloat, m, n, k);
        QuantizedGemm.MultiplyPrequantized(type, aq, w, viaBytes, m, n, k);
        AssertSameBits(viaBytes, viaFloat, $"{type} float entry");

        // Against the FP32 activations: each activation moves by at most d/2 + 127·|d − fp16(d)| ≤ (1/2 + 127·2^-11)·d with
        // d = (block max |x|)/127 (plus 10^-4·d for the rounding of x·(1/d) before ggml's round), so
        // |C − A·W| ≤ Σ_p |W[j, p]|·0.5621·d_block(p), plus the float sum's rounding of Σ|w|·(|x| + 0.5621·d).
        float[] wd = new float[n * k];
        GgmlBlocks.Dequantize(type, w, wd);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double exact = 0, bound = 0, magnitude = 0;
                const double Move = 0.5 + (127.0 / 2048) + 1e-4;
                for (int p = 0; p < k; p++)
                {
                    double amax = 0;
                    for (int q = p / 32 * 32; q < (p / 32 * 32) + 32; q++)
                    {
                        amax = Math.Max(amax, Math.Abs(af[(i * k) + q]));
                    }

                    double wv = wd[(j * k) + p];
                    exact += af[(i * k) + p] * wv;
                    magnitude += Math.Abs(wv) * (Math.Abs(af[(i * k) + p]) + (Move * amax / 127));
                    bound += Math.Abs(wv) * Move * amax / 127;
                }

                bound += Bound(k, magnitude);
                double error = Math.Abs(viaFloat[(i * n) + j] - exact);
                Assert.True(error <= bound, $"{type} C[{i},{j}] = {viaFloat[(i * n) + j]:R}, FP32-activation value {exact:R}, error {error:E3} > {bound:E3}");
            }
        }
    }

    public static TheoryData<int, bool, bool, string> Int4Layouts => new()
    {
        { 32, true, true, "group" }, { 32, false, false, "group" }, { 64, true, false, "group" }, { 128, false, true, "group" },
        { 256, true, false, "group" }, { 0, true, true, "channel" }, { 0, false, false, "channel" }, { 0, false, false, "tensor" },
    };

    /// <summary>
    /// INT4 tensors against Q8_0 activations: the exact block model (codes and zero points read from the tensor's bytes,
    /// σ = RN(s·d_a) from a double product, integer sums in long, the sum in double), and every path and thread count
    /// against the scalar reference, bit for bit.
    /// </summary>
    [Theory]
    [MemberData(nameof(Int4Layouts))]
    public void Int4_tensors_match_the_exact_block_model_on_every_path(int groupSize, bool isSigned, bool symmetric, string granularity)
    {
        foreach ((int m, int n, int k) in new[] { (1, 1, 32), (1, 5, 128), (3, 7, 160), (1, 33, 512), (2, 6, 96), (2, 9, 1056), (1, 8, 4096) })
        {
            if (granularity == "group" && groupSize > k)
            {
                continue;
            }

            var rng = new Random((m * 1000) + (n * 10) + k + groupSize + (isSigned ? 1 : 0) + (symmetric ? 2 : 0));
            float[] wf = new float[n * k];
            for (int i = 0; i < wf.Length; i++)
            {
                wf[i] = (float)((rng.NextDouble() * 2) - 1) * (i % 7 == 0 ? 3f : 1f) + (i % 5 == 0 ? 0.7f : 0f);
            }

            IntegerQuantizationOptions options = QuantizedGemmTests.Int4Options(granularity, groupSize, isSigned, symmetric);
            QuantizedTensor t = IntegerQuantizer.Quantize(wf, n, k, options);
            byte[] a = RandomActivations(rng, m, k);
            string context = $"INT4 {granularity} {groupSize} signed={isSigned} symmetric={symmetric} {m}x{n}x{k}";

            float[] scalar = Enumerable.Repeat(float.NaN, m * n).ToArray();
            QuantizedGemm.RunInt4Q8_0(a, t, scalar, m, 1, QuantizedPath.Scalar);
            foreach (QuantizedPath path in Enum.GetValues<QuantizedPath>().Where(IntegerDotDriver.Supported))
            {
                for (int threads = 1; threads <= 3; threads++)
                {
                    float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                    QuantizedGemm.RunInt4Q8_0(a, t, c, m, threads, path);
                    AssertSameBits(scalar, c, $"{context} {path} threads={threads}");
                }
            }

            float[] pub = Enumerable.Repeat(float.NaN, m * n).ToArray();
            QuantizedGemm.MultiplyInt4Prequantized(a, t, pub, m, -1);
            AssertSameBits(scalar, pub, $"{context} public entry");

            byte[] codes = t.Data.ToArray();
            float[] scales = t.Scales.ToArray();
            int[] zeros = t.ZeroPoints.ToArray();
            int perRow = granularity switch { "group" => (k + groupSize - 1) / groupSize, "channel" => 1, _ => 0 };
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0, magnitude = 0;
                    for (int b = 0; b < k / 32; b++)
                    {
                        int group = (j * perRow) + (granularity == "group" ? b * 32 / groupSize : 0);
                        int ao = ((i * (k / 32)) + b) * 34;
                        float sigma = (float)(scales[group] * (double)BitConverter.ToHalf(a, ao));
                        long[] part = new long[4];
                        for (int e = 0; e < 32; e++)
                        {
                            long index = ((long)j * k) + (b * 32) + e;
                            int nibble = (codes[index / 2] >> (int)(4 * (index % 2))) & 15;
                            int code = isSigned ? (nibble ^ 8) - 8 : nibble;
                            part[e / 8] += (code - zeros[group]) * (long)(sbyte)a[ao + 2 + e];
                        }

                        foreach (long p in part)
                        {
                            sum += sigma * (double)p;
                            magnitude += Math.Abs(sigma * (double)p);
                        }
                    }

                    double error = Math.Abs(scalar[(i * n) + j] - sum);
                    Assert.True(error <= Bound(k, magnitude), $"{context} C[{i},{j}] = {scalar[(i * n) + j]:R}, exact {sum:R}, error {error:E3} > {Bound(k, magnitude):E3}");
                }
            }
        }
    }

    [Fact]
    public void Int4_float_entry_quantizes_with_the_ggml_codec_and_checks_its_arguments()
    {
        const int m = 2, n = 6, k = 352;
        var rng = new Random(31);
        float[] af = [.. Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() - 0.5) * 4)];
        float[] wf = [.. Enumerable.Range(0, n * k).Select(_ => (float)(rng.NextDouble() - 0.5))];
        QuantizedTensor t = IntegerQuantizer.Quantize(wf, n, k, new IntegerQuantizationOptions { Bits = 4, IsSigned = false, Symmetric = false, Granularity = QuantizationGranularity.PerGroup, Axis = 1, GroupSize = 32 });
        byte[] aq = new byte[GgmlBlocks.RowSize(GgmlType.Q8_0, k) * m];
        GgmlBlocks.Quantize(GgmlType.Q8_0, af, aq);
        float[] viaFloat = new float[m * n], viaBytes = new float[m * n];
        QuantizedGemm.MultiplyInt4QuantizedActivations(af, t, viaFloat, m);
        QuantizedGemm.MultiplyInt4Prequantized(aq, t, viaBytes, m);
        AssertSameBits(viaBytes, viaFloat, "INT4 float entry");

        QuantizedTensor int8 = IntegerQuantizer.Quantize(new float[64], 2, 32, IntegerQuantizationOptions.Int8PerChannel);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyInt4QuantizedActivations(new float[32], int8, new float[2], 1)).ParamName);
        QuantizedTensor odd = IntegerQuantizer.Quantize(new float[2 * 40], 2, 40, new IntegerQuantizationOptions { Bits = 4, Granularity = QuantizationGranularity.PerChannel, Axis = 0 });
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyInt4Prequantized(new byte[68], odd, new float[2], 1)).ParamName);
        Assert.Throws<ArgumentNullException>(() => QuantizedGemm.MultiplyInt4Prequantized(aq, null!, viaBytes, m));
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyInt4Prequantized(aq.AsSpan(0, 10), t, viaBytes, m)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyInt4Prequantized(aq, t, new float[3], m)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyInt4QuantizedActivations(af.AsSpan(0, 5), t, viaFloat, m)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedGemm.MultiplyInt4Prequantized(aq, t, viaBytes, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedGemm.MultiplyInt4QuantizedActivations(af, t, viaFloat, m, 0));
        af[100] = float.NaN;
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyInt4QuantizedActivations(af, t, viaFloat, m)).ParamName);
    }

    [Fact]
    public void Empty_sizes_and_k_zero()
    {
        byte[] w = new byte[18 * 6];
        float[] c = [5f, 5f, 5f];
        QuantizedGemm.MultiplyPrequantized(GgmlType.Q4_0, [], w, c, 1, 3, 0);
        Assert.Equal([0f, 0f, 0f], c);
        c = [5f, 5f, 5f];
        QuantizedGemm.MultiplyPrequantized(GgmlType.Q4_0, [], w, c, 0, 3, 64);
        QuantizedGemm.MultiplyQuantizedActivations(GgmlType.MXFP4, new float[64], w, c, 1, 0, 64);
        Assert.Equal([5f, 5f, 5f], c);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_their_names()
    {
        float[] a = new float[64], c = new float[2];
        byte[] aq = new byte[68], w = new byte[2 * 36];
        Assert.Equal("weightType", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyPrequantized(GgmlType.Q8_0, aq, w, c, 1, 2, 64)).ParamName);
        Assert.Equal("weightType", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyQuantizedActivations(GgmlType.Q4_K, a, w, c, 1, 2, 64)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyPrequantized(GgmlType.Q4_0, aq, w, c, 1, 2, 48)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyQuantizedActivations(GgmlType.Q4_0, a, w, c, 1, 2, 40)).ParamName);
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyPrequantized(GgmlType.Q4_0, aq, w, c, 2, 1, 64)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyQuantizedActivations(GgmlType.Q4_0, a, w, c, 2, 1, 64)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyPrequantized(GgmlType.Q4_0, aq, w, new float[3], 1, 3, 64)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyPrequantized(GgmlType.Q4_0, aq, w, new float[1], 1, 2, 64)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedGemm.MultiplyPrequantized(GgmlType.Q4_0, aq, w, c, -1, 2, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedGemm.MultiplyPrequantized(GgmlType.Q4_0, aq, w, c, 1, 2, 64, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedGemm.MultiplyQuantizedActivations(GgmlType.Q4_0, a, w, c, 1, 2, 64, -2));

        a[37] = float.NaN;
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyQuantizedActivations(GgmlType.Q4_0, a, w, c, 1, 2, 64)).ParamName);
        a[37] = float.PositiveInfinity;
        Assert.Contains("37", Assert.Throws<ArgumentException>(() => QuantizedGemm.MultiplyQuantizedActivations(GgmlType.MXFP4, a, w, c, 1, 2, 64)).Message, StringComparison.Ordinal);

        byte[] shared = new byte[256];
        Assert.Equal("c", Assert.Throws<ArgumentException>(() =>
            QuantizedGemm.MultiplyPrequantized(GgmlType.Q4_0, shared.AsSpan(0, 68), shared.AsSpan(68, 36), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(shared.AsSpan(64, 8)), 1, 1, 64)).ParamName);
    }
}
