// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <content>IQ4_NL: <c>quantize_row_iq4_nl_ref</c> (= <c>quantize_row_iq4_nl_impl</c> with ntry −1, no weights) and its dequantizer.</content>
public static partial class GgmlBlocks
{
    internal const int IQ4_NLBlockBytes = 18;

    /// <summary>ggml's <c>GROUP_MAX_EPS</c>: blocks whose amax is below it get d = 0.</summary>
    private const float GroupMaxEps = 1e-15f;

    /// <summary>ggml's <c>kvalues_iq4nl</c>, the non-linear 4-bit grid.</summary>
    internal static ReadOnlySpan<sbyte> KValuesIQ4NL => [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

    /// <summary>
    /// ggml's <c>best_index_int8</c> (binary-search version): the index of the nearest table value; a value exactly
    /// half-way, as computed in float32 (<c>x − val[mu−1] &lt; val[mu] − x</c>), goes to the upper index.
    /// </summary>
    internal static int BestIndexInt8(ReadOnlySpan<sbyte> val, float x)
    {
        int n = val.Length;
        if (x <= val[0])
        {
            return 0;
        }

        if (x >= val[n - 1])
        {
            return n - 1;
        }

        int ml = 0, mu = n - 1;
        while (mu - ml > 1)
        {
            int mav = (ml + mu) / 2;
            if (x < val[mav])
            {
                mu = mav;
            }
            else
            {
                ml = mav;
            }
        }

        return x - val[mu - 1] < val[mu] - x ? mu - 1 : mu;
    }

    /// <summary>
    /// Scalar reference of IQ4_NL: weights x²; d0 = max/(−127) for the signed element of largest magnitude; codes =
    /// nearest table entry of x/d0; then the weighted least-squares d = Σw·q·x / Σw·q², stored as half(d).
    /// Blocks with amax &lt; 1e-15 store d = 0 and codes 0 (ggml leaves those codes uninitialised).
    /// </summary>
    internal static void QuantizeIQ4_NLRef(ReadOnlySpan<float> x, Span<byte> y)
    {
        ReadOnlySpan<sbyte> values = KValuesIQ4NL;
        int nb = x.Length / Q4BlockSize;
        Span<byte> l = stackalloc byte[Q4BlockSize];
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<float> xb = x.Slice(i * Q4BlockSize, Q4BlockSize);
            Span<byte> yb = y.Slice(i * IQ4_NLBlockBytes, IQ4_NLBlockBytes);
            l.Clear();
            float amax = 0, max = 0;
            for (int j = 0; j < Q4BlockSize; ++j)
            {
                float ax = MathF.Abs(xb[j]);
                if (ax > amax)
                {
                    amax = ax;
                    max = xb[j];
                }
            }

            float scale = 0;
            if (amax >= GroupMaxEps)
            {
                float d = max / values[0];
                float id = 1 / d;
                float sumqx = 0, sumq2 = 0;
                for (int j = 0; j < Q4BlockSize; ++j)
                {
                    float al = id * xb[j];
                    int li = BestIndexInt8(values, al);
                    l[j] = (byte)li;
                    float q = values[li];
                    float w = xb[j] * xb[j];
                    sumqx += w * q * xb[j];
                    sumq2 += w * q * q;
                }

                scale = sumqx / sumq2;
            }

            GgmlMath.WriteHalf(yb, 0, scale);
            for (int j = 0; j < 16; ++j)
            {
                yb[2 + j] = (byte)(l[j] | (l[16 + j] << 4));
            }
        }
    }

    /// <summary>Scalar reference of <c>dequantize_row_iq4_nl</c>: y = d·table[q].</summary>
    internal static void DequantizeIQ4_NLRef(ReadOnlySpan<byte> x, Span<float> y)
    {
        ReadOnlySpan<sbyte> values = KValuesIQ4NL;
        int nb = x.Length / IQ4_NLBlockBytes;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * IQ4_NLBlockBytes, IQ4_NLBlockBytes);
            Span<float> yb = y.Slice(i * Q4BlockSize, Q4BlockSize);
            float d = GgmlMath.ReadHalf(xb, 0);
            for (int j = 0; j < 16; ++j)
            {
                yb[j] = d * values[xb[2 + j] & 0xF];
                yb[j + 16] = d * values[xb[2 + j] >> 4];
            }
        }
    }
}
