// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <content>Q8_0 and Q8_1: <c>quantize_row_q8_0_ref</c>, <c>quantize_row_q8_1_ref</c>, <c>dequantize_row_q8_0</c>.</content>
public static partial class GgmlBlocks
{
    internal const int Q8BlockSize = 32;
    internal const int Q8_0BlockBytes = 34;
    internal const int Q8_1BlockBytes = 36;

    /// <summary>
    /// Scalar reference of Q8_0 (<c>quantize_row_q8_0_ref</c>): amax = max|x|; d = amax/127; id = d ? 1/d : 0;
    /// q = roundf(x·id) (ties away from zero); store half(d).
    /// </summary>
    internal static void QuantizeQ8_0Ref(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / Q8BlockSize;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<float> xb = x.Slice(i * Q8BlockSize, Q8BlockSize);
            Span<byte> yb = y.Slice(i * Q8_0BlockBytes, Q8_0BlockBytes);
            float amax = 0.0f;
            for (int j = 0; j < Q8BlockSize; j++)
            {
                amax = MathF.Max(amax, MathF.Abs(xb[j]));
            }

            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            GgmlMath.WriteHalf(yb, 0, d);
            for (int j = 0; j < Q8BlockSize; j++)
            {
                yb[2 + j] = (byte)GgmlMath.RoundToInt8(xb[j] * id);
            }
        }
    }

    /// <summary>
    /// Scalar reference of Q8_1 (<c>quantize_row_q8_1_ref</c>): the Q8_0 codes plus s = half(Σq · d) with the
    /// unrounded float32 d.
    /// </summary>
    internal static void QuantizeQ8_1Ref(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / Q8BlockSize;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<float> xb = x.Slice(i * Q8BlockSize, Q8BlockSize);
            Span<byte> yb = y.Slice(i * Q8_1BlockBytes, Q8_1BlockBytes);
            float amax = 0.0f;
            for (int j = 0; j < Q8BlockSize; j++)
            {
                amax = MathF.Max(amax, MathF.Abs(xb[j]));
            }

            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            GgmlMath.WriteHalf(yb, 0, d);
            int sum = 0;
            for (int j = 0; j < Q8BlockSize; j++)
            {
                sbyte q = GgmlMath.RoundToInt8(xb[j] * id);
                yb[4 + j] = (byte)q;
                sum += q;
            }

            GgmlMath.WriteHalf(yb, 2, sum * d);
        }
    }

    /// <summary>Scalar reference of <c>dequantize_row_q8_0</c>: y = q·d (also used for Q8_1, whose codes start 2 bytes later).</summary>
    internal static void DequantizeQ8Ref(ReadOnlySpan<byte> x, Span<float> y, int blockBytes)
    {
        int nb = x.Length / blockBytes;
        int codes = blockBytes - Q8BlockSize;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * blockBytes, blockBytes);
            Span<float> yb = y.Slice(i * Q8BlockSize, Q8BlockSize);
            float d = GgmlMath.ReadHalf(xb, 0);
            for (int j = 0; j < Q8BlockSize; j++)
            {
                yb[j] = (sbyte)xb[codes + j] * d;
            }
        }
    }
}
