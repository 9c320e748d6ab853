// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <content>Q4_0 and Q5_0: <c>quantize_row_q4_0_ref</c>, <c>quantize_row_q5_0_ref</c> and their dequantizers.</content>
public static partial class GgmlBlocks
{
    internal const int Q4BlockSize = 32;
    internal const int Q4_0BlockBytes = 18;
    internal const int Q5_0BlockBytes = 22;

    /// <summary>
    /// The signed element of largest magnitude, first one on ties (ggml's strict <c>if (amax &lt; fabsf(v))</c>).
    /// </summary>
    internal static float SignedAbsMax(ReadOnlySpan<float> xb)
    {
        float amax = 0.0f;
        float max = 0.0f;
        for (int j = 0; j < xb.Length; j++)
        {
            float v = xb[j];
            if (amax < MathF.Abs(v))
            {
                amax = MathF.Abs(v);
                max = v;
            }
        }

        return max;
    }

    /// <summary>
    /// Scalar reference of Q4_0: d = max/−8 (max = the signed element of largest magnitude); id = d ? 1/d : 0;
    /// q = min(15, (int8)(x·id + 8.5)) — truncation, so round half up; store half(d). An all-zero block stores
    /// d = 0/−8 = −0.0 (0x8000) and codes 8.
    /// </summary>
    internal static void QuantizeQ4_0Ref(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / Q4BlockSize;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<float> xb = x.Slice(i * Q4BlockSize, Q4BlockSize);
            Span<byte> yb = y.Slice(i * Q4_0BlockBytes, Q4_0BlockBytes);
            float d = SignedAbsMax(xb) / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            GgmlMath.WriteHalf(yb, 0, d);
            for (int j = 0; j < Q4BlockSize / 2; j++)
            {
                float x0 = xb[j] * id;
                float x1 = xb[j + (Q4BlockSize / 2)] * id;
                byte q0 = (byte)Math.Min(15, (int)(sbyte)GgmlMath.TruncateToInt(x0 + 8.5f));
                byte q1 = (byte)Math.Min(15, (int)(sbyte)GgmlMath.TruncateToInt(x1 + 8.5f));
                yb[2 + j] = (byte)(q0 | (q1 << 4));
            }
        }
    }

    /// <summary>Scalar reference of <c>dequantize_row_q4_0</c>: y = (q − 8)·d.</summary>
    internal static void DequantizeQ4_0Ref(ReadOnlySpan<byte> x, Span<float> y)
    {
        int nb = x.Length / Q4_0BlockBytes;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * Q4_0BlockBytes, Q4_0BlockBytes);
            Span<float> yb = y.Slice(i * Q4BlockSize, Q4BlockSize);
            float d = GgmlMath.ReadHalf(xb, 0);
            for (int j = 0; j < Q4BlockSize / 2; j++)
            {
                int x0 = (xb[2 + j] & 0x0F) - 8;
                int x1 = (xb[2 + j] >> 4) - 8;
                yb[j] = x0 * d;
                yb[j + (Q4BlockSize / 2)] = x1 * d;
            }
        }
    }

    /// <summary>
    /// Scalar reference of Q5_0: d = max/−16; q = min(31, (int8)(x·id + 16.5)); the low nibbles as Q4_0 and the fifth
    /// bits in a little-endian uint32 (bit j for element j, bit j+16 for element j+16).
    /// </summary>
    internal static void QuantizeQ5_0Ref(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / Q4BlockSize;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<float> xb = x.Slice(i * Q4BlockSize, Q4BlockSize);
            Span<byte> yb = y.Slice(i * Q5_0BlockBytes, Q5_0BlockBytes);
            float d = SignedAbsMax(xb) / -16;
            float id = d != 0 ? 1.0f / d : 0.0f;
            GgmlMath.WriteHalf(yb, 0, d);
            uint qh = 0;
            for (int j = 0; j < Q4BlockSize / 2; j++)
            {
                float x0 = xb[j] * id;
                float x1 = xb[j + (Q4BlockSize / 2)] * id;
                byte q0 = (byte)Math.Min(31, (int)(sbyte)GgmlMath.TruncateToInt(x0 + 16.5f));
                byte q1 = (byte)Math.Min(31, (int)(sbyte)GgmlMath.TruncateToInt(x1 + 16.5f));
                yb[6 + j] = (byte)((q0 & 0x0F) | ((q1 & 0x0F) << 4));
                qh |= (uint)((q0 & 0x10) >> 4) << j;
                qh |= (uint)((q1 & 0x10) >> 4) << (j + (Q4BlockSize / 2));
            }

            yb[2] = (byte)qh;
            yb[3] = (byte)(qh >> 8);
            yb[4] = (byte)(qh >> 16);
            yb[5] = (byte)(qh >> 24);
        }
    }

    /// <summary>Scalar reference of <c>dequantize_row_q5_0</c>: y = (q − 16)·d.</summary>
    internal static void DequantizeQ5_0Ref(ReadOnlySpan<byte> x, Span<float> y)
    {
        int nb = x.Length / Q5_0BlockBytes;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * Q5_0BlockBytes, Q5_0BlockBytes);
            Span<float> yb = y.Slice(i * Q4BlockSize, Q4BlockSize);
            float d = GgmlMath.ReadHalf(xb, 0);
            uint qh = (uint)(xb[2] | (xb[3] << 8) | (xb[4] << 16) | (xb[5] << 24));
            for (int j = 0; j < Q4BlockSize / 2; j++)
            {
                int h0 = (int)((qh >> j) << 4) & 0x10;
                int h1 = (int)(qh >> (j + 12)) & 0x10;
                int x0 = ((xb[6 + j] & 0x0F) | h0) - 16;
                int x1 = ((xb[6 + j] >> 4) | h1) - 16;
                yb[j] = x0 * d;
                yb[j + (Q4BlockSize / 2)] = x1 * d;
            }
        }
    }
}
