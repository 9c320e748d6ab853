// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <content>Q4_K: <c>quantize_row_q4_K_ref</c> (with <c>make_qkx2_quants</c>) and <c>dequantize_row_q4_K</c>.</content>
public static partial class GgmlBlocks
{
    internal const int QKK = 256;
    internal const int Q4_KBlockBytes = 144;
    private const int Q4_KSubBlock = 32;

    /// <summary>
    /// ggml's <c>make_qkx2_quants</c>: weighted least-squares search for (scale, min ≤ 0) over <paramref name="nstep"/>+1
    /// candidate inverse scales, every sum in float32 in index order, exactly as written in C (no FMA contraction).
    /// Returns the scale; <paramref name="theMin"/> receives −min.
    /// </summary>
    internal static float MakeQkx2Quants(
        int nmax, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, Span<byte> l, out float theMin, Span<byte> laux,
        float rmin, float rdelta, int nstep, bool useMad)
    {
        int n = x.Length;
        float min = x[0];
        float max = x[0];
        float sumW = weights[0];
        float sumX = sumW * x[0];
        for (int i = 1; i < n; ++i)
        {
            if (x[i] < min)
            {
                min = x[i];
            }

            if (x[i] > max)
            {
                max = x[i];
            }

            float w = weights[i];
            sumW += w;
            sumX += w * x[i];
        }

        if (min > 0)
        {
            min = 0;
        }

        if (max == min)
        {
            l[..n].Clear();
            theMin = -min;
            return 0.0f;
        }

        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; ++i)
        {
            int li = GgmlMath.NearestInt(iscale * (x[i] - min));
            l[i] = (byte)Math.Max(0, Math.Min(nmax, li));
            float diff = (scale * l[i]) + min - x[i];
            diff = useMad ? MathF.Abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }

        if (nstep < 1)
        {
            theMin = -min;
            return scale;
        }

        for (int step = 0; step <= nstep; ++step)
        {
            iscale = (rmin + (rdelta * step) + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; ++i)
            {
                int li = GgmlMath.NearestInt(iscale * (x[i] - min));
                li = Math.Max(0, Math.Min(nmax, li));
                laux[i] = (byte)li;
                float w = weights[i];
                sumL += w * li;
                sumL2 += w * li * li;
                sumXL += w * li * x[i];
            }

            float det = (sumW * sumL2) - (sumL * sumL);
            if (det > 0)
            {
                float thisScale = ((sumW * sumXL) - (sumX * sumL)) / det;
                float thisMin = ((sumL2 * sumX) - (sumL * sumXL)) / det;
                if (thisMin > 0)
                {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }

                float curError = 0;
                for (int i = 0; i < n; ++i)
                {
                    float diff = (thisScale * laux[i]) + thisMin - x[i];
                    diff = useMad ? MathF.Abs(diff) : diff * diff;
                    curError += weights[i] * diff;
                }

                if (curError < bestError)
                {
                    laux[..n].CopyTo(l);
                    bestError = curError;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }

        theMin = -min;
        return scale;
    }

    /// <summary>ggml's <c>get_scale_min_k4</c>: unpacks the 6-bit scale and min of sub-block <paramref name="j"/>.</summary>
    internal static void GetScaleMinK4(int j, ReadOnlySpan<byte> q, out byte d, out byte m)
    {
        if (j < 4)
        {
            d = (byte)(q[j] & 63);
            m = (byte)(q[j + 4] & 63);
        }
        else
        {
            d = (byte)((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
            m = (byte)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
        }
    }

    /// <summary>
    /// Scalar reference of Q4_K (<c>quantize_row_q4_K_ref</c>): per 32-value sub-block, weights av_x + |x| and
    /// <see cref="MakeQkx2Quants"/>(15, rmin −1, rdelta 0.1, 20 steps); 6-bit scales and mins relative to
    /// half(max_scale/63) and half(max_min/63); then every element is re-quantized with the decoded scales (a sub-block
    /// whose decoded scale is 0 keeps the codes of the search).
    /// </summary>
    internal static void QuantizeQ4_KRef(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / QKK;
        Span<byte> l = stackalloc byte[QKK];
        Span<byte> laux = stackalloc byte[Q4_KSubBlock];
        Span<float> weights = stackalloc float[Q4_KSubBlock];
        Span<float> mins = stackalloc float[QKK / Q4_KSubBlock];
        Span<float> scales = stackalloc float[QKK / Q4_KSubBlock];
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<float> xs = x.Slice(i * QKK, QKK);
            Span<byte> yb = y.Slice(i * Q4_KBlockBytes, Q4_KBlockBytes);
            Span<byte> sc = yb.Slice(4, 12);
            Span<byte> qs = yb.Slice(16, 128);
            float maxScale = 0;
            float maxMin = 0;
            for (int j = 0; j < QKK / Q4_KSubBlock; ++j)
            {
                ReadOnlySpan<float> xj = xs.Slice(Q4_KSubBlock * j, Q4_KSubBlock);
                float sumX2 = 0;
                for (int k = 0; k < Q4_KSubBlock; ++k)
                {
                    sumX2 += xj[k] * xj[k];
                }

                float avX = MathF.Sqrt(sumX2 / 32);
                for (int k = 0; k < Q4_KSubBlock; ++k)
                {
                    weights[k] = avX + MathF.Abs(xj[k]);
                }

                scales[j] = MakeQkx2Quants(15, xj, weights, l.Slice(Q4_KSubBlock * j, Q4_KSubBlock), out mins[j], laux, -1.0f, 0.1f, 20, false);
                if (scales[j] > maxScale)
                {
                    maxScale = scales[j];
                }

                if (mins[j] > maxMin)
                {
                    maxMin = mins[j];
                }
            }

            float invScale = maxScale > 0 ? 63.0f / maxScale : 0.0f;
            float invMin = maxMin > 0 ? 63.0f / maxMin : 0.0f;
            for (int j = 0; j < QKK / Q4_KSubBlock; ++j)
            {
                // uint8_t ls = nearest_int(...): the int is truncated to a byte before MIN(63, ·), as in C.
                byte ls = Math.Min((byte)63, (byte)GgmlMath.NearestInt(invScale * scales[j]));
                byte lm = Math.Min((byte)63, (byte)GgmlMath.NearestInt(invMin * mins[j]));
                if (j < 4)
                {
                    sc[j] = ls;
                    sc[j + 4] = lm;
                }
                else
                {
                    sc[j + 4] = (byte)((ls & 0xF) | ((lm & 0xF) << 4));
                    sc[j - 4] |= (byte)((ls >> 4) << 6);
                    sc[j] |= (byte)((lm >> 4) << 6);
                }
            }

            GgmlMath.WriteHalf(yb, 0, maxScale / 63.0f);
            GgmlMath.WriteHalf(yb, 2, maxMin / 63.0f);
            float dAll = GgmlMath.ReadHalf(yb, 0);
            float dminAll = GgmlMath.ReadHalf(yb, 2);
            for (int j = 0; j < QKK / Q4_KSubBlock; ++j)
            {
                GetScaleMinK4(j, sc, out byte s, out byte m);
                float d = dAll * s;
                if (d == 0)
                {
                    continue;
                }

                float dm = dminAll * m;
                for (int k = 0; k < Q4_KSubBlock; ++k)
                {
                    int li = GgmlMath.NearestInt((xs[(Q4_KSubBlock * j) + k] + dm) / d);
                    l[(Q4_KSubBlock * j) + k] = (byte)Math.Max(0, Math.Min(15, li));
                }
            }

            for (int j = 0; j < QKK; j += 64)
            {
                Span<byte> q = qs.Slice(j / 2, 32);
                for (int k = 0; k < 32; ++k)
                {
                    q[k] = (byte)(l[j + k] | (l[j + k + 32] << 4));
                }
            }
        }
    }

    /// <summary>Scalar reference of <c>dequantize_row_q4_K</c>: y = d·sc·q − dmin·m per 32-value sub-block.</summary>
    internal static void DequantizeQ4_KRef(ReadOnlySpan<byte> x, Span<float> y)
    {
        int nb = x.Length / Q4_KBlockBytes;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * Q4_KBlockBytes, Q4_KBlockBytes);
            ReadOnlySpan<byte> sc = xb.Slice(4, 12);
            Span<float> yb = y.Slice(i * QKK, QKK);
            float d = GgmlMath.ReadHalf(xb, 0);
            float min = GgmlMath.ReadHalf(xb, 2);
            int o = 0;
            for (int j = 0, s = 0; j < QKK; j += 64, s += 2)
            {
                ReadOnlySpan<byte> q = xb.Slice(16 + (j / 2), 32);
                GetScaleMinK4(s, sc, out byte s1, out byte m1b);
                float d1 = d * s1;
                float m1 = min * m1b;
                GetScaleMinK4(s + 1, sc, out byte s2, out byte m2b);
                float d2 = d * s2;
                float m2 = min * m2b;
                for (int k = 0; k < 32; ++k)
                {
                    yb[o++] = (d1 * (q[k] & 0xF)) - m1;
                }

                for (int k = 0; k < 32; ++k)
                {
                    yb[o++] = (d2 * (q[k] >> 4)) - m2;
                }
            }
        }
    }
}
