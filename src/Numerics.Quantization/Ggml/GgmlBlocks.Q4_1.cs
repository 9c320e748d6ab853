// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <content>Q4_1: <c>quantize_row_q4_1_ref</c> and <c>dequantize_row_q4_1</c>.</content>
public static partial class GgmlBlocks
{
    internal const int Q4_1BlockBytes = 20;

    /// <summary>
    /// Scalar reference of Q4_1: min/max; d = (max − min)/15; id = d ? 1/d : 0; q = min(15, (int8)((x − min)·id + 0.5));
    /// store half(d), half(min). Quantization uses the unrounded float32 d and min.
    /// </summary>
    internal static void QuantizeQ4_1Ref(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / Q4BlockSize;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<float> xb = x.Slice(i * Q4BlockSize, Q4BlockSize);
            Span<byte> yb = y.Slice(i * Q4_1BlockBytes, Q4_1BlockBytes);
            float min = float.MaxValue;
            float max = -float.MaxValue;
            for (int j = 0; j < Q4BlockSize; j++)
            {
                float v = xb[j];
                if (v < min)
                {
                    min = v;
                }

                if (v > max)
                {
                    max = v;
                }
            }

            float d = (max - min) / 15;
            float id = d != 0 ? 1.0f / d : 0.0f;
            GgmlMath.WriteHalf(yb, 0, d);
            GgmlMath.WriteHalf(yb, 2, min);
            for (int j = 0; j < Q4BlockSize / 2; j++)
            {
                float x0 = (xb[j] - min) * id;
                float x1 = (xb[j + (Q4BlockSize / 2)] - min) * id;
                byte q0 = (byte)Math.Min(15, (int)(sbyte)GgmlMath.TruncateToInt(x0 + 0.5f));
                byte q1 = (byte)Math.Min(15, (int)(sbyte)GgmlMath.TruncateToInt(x1 + 0.5f));
                yb[4 + j] = (byte)(q0 | (q1 << 4));
            }
        }
    }

    /// <summary>Scalar reference of <c>dequantize_row_q4_1</c>: y = q·d + m.</summary>
    internal static void DequantizeQ4_1Ref(ReadOnlySpan<byte> x, Span<float> y)
    {
        int nb = x.Length / Q4_1BlockBytes;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * Q4_1BlockBytes, Q4_1BlockBytes);
            Span<float> yb = y.Slice(i * Q4BlockSize, Q4BlockSize);
            float d = GgmlMath.ReadHalf(xb, 0);
            float m = GgmlMath.ReadHalf(xb, 2);
            for (int j = 0; j < Q4BlockSize / 2; j++)
            {
                int x0 = xb[4 + j] & 0x0F;
                int x1 = xb[4 + j] >> 4;
                yb[j] = (x0 * d) + m;
                yb[j + (Q4BlockSize / 2)] = (x1 * d) + m;
            }
        }
    }
}
