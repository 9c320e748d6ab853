// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <content>ggml's MXFP4 and NVFP4: <c>quantize_row_mxfp4_ref</c>, <c>quantize_row_nvfp4_ref</c> and their dequantizers.</content>
public static partial class GgmlBlocks
{
    internal const int MXFP4BlockBytes = 17;
    internal const int NVFP4BlockSize = 64;
    internal const int NVFP4BlockBytes = 36;
    private const int NVFP4SubBlock = 16;

    /// <summary>ggml's <c>kvalues_mxfp4</c>: twice the E2M1 values, indexed by the 4-bit code.</summary>
    internal static ReadOnlySpan<sbyte> KValuesMxfp4 => [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

    /// <summary>
    /// ggml's <c>best_index_mxfp4</c>: exhaustive search for the smallest |table[i]·e − x| in float32, first index on
    /// ties (so exact midpoints round toward zero, and +0 is preferred over −0).
    /// </summary>
    internal static int BestIndexMxfp4(float x, float e)
    {
        ReadOnlySpan<sbyte> table = KValuesMxfp4;
        int bestIndex = 0;
        float bestErr = MathF.Abs((table[0] * e) - x);
        for (int i = 1; i < 16; i++)
        {
            float err = MathF.Abs((table[i] * e) - x);
            if (err < bestErr)
            {
                bestIndex = i;
                bestErr = err;
            }
        }

        return bestIndex;
    }

    /// <summary>
    /// ggml's MXFP4 shared exponent: <c>amax &gt; 0 ? (uint8)(floorf(log2f(amax)) − 2 + 127) : 0</c>. log2 is the float32
    /// result, so an amax just below a power of two rounds up to it (bug-compatible with ggml). It is computed as the
    /// correctly rounded float32 of the double log2, which is what glibc's log2f returns. Where ggml's cast would be
    /// undefined (amax &lt; 2^-127) the code saturates at 0.
    /// </summary>
    internal static byte GgmlMxfp4Exponent(float amax)
    {
        if (!(amax > 0.0f))
        {
            return 0;
        }

        float log2 = (float)Math.Log2(amax);
        float e = MathF.Floor(log2) - 2 + 127;
        return e <= 0 ? (byte)0 : e >= 255 ? (byte)255 : (byte)e;
    }

    /// <summary>Scalar reference of ggml's MXFP4 (blocks of 32: E8M0 exponent byte, then 16 bytes of codes, Q4_0 nibble order).</summary>
    internal static void QuantizeMxfp4Ref(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / Q4BlockSize;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<float> xb = x.Slice(i * Q4BlockSize, Q4BlockSize);
            Span<byte> yb = y.Slice(i * MXFP4BlockBytes, MXFP4BlockBytes);
            float amax = 0.0f;
            for (int j = 0; j < Q4BlockSize; j++)
            {
                if (amax < MathF.Abs(xb[j]))
                {
                    amax = MathF.Abs(xb[j]);
                }
            }

            byte e = GgmlMxfp4Exponent(amax);
            float d = GgmlMath.E8M0ToFloatHalf(e);
            yb[0] = e;
            for (int j = 0; j < 16; ++j)
            {
                int x0 = BestIndexMxfp4(xb[j], d);
                int x1 = BestIndexMxfp4(xb[16 + j], d);
                yb[1 + j] = (byte)(x0 | (x1 << 4));
            }
        }
    }

    /// <summary>Scalar reference of <c>dequantize_row_mxfp4</c>: y = table[q]·2^(e−128).</summary>
    internal static void DequantizeMxfp4Ref(ReadOnlySpan<byte> x, Span<float> y)
    {
        ReadOnlySpan<sbyte> table = KValuesMxfp4;
        int nb = x.Length / MXFP4BlockBytes;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * MXFP4BlockBytes, MXFP4BlockBytes);
            Span<float> yb = y.Slice(i * Q4BlockSize, Q4BlockSize);
            float d = GgmlMath.E8M0ToFloatHalf(xb[0]);
            for (int j = 0; j < 16; ++j)
            {
                yb[j] = table[xb[1 + j] & 0x0F] * d;
                yb[j + 16] = table[xb[1 + j] >> 4] * d;
            }
        }
    }

    /// <summary>
    /// Scalar reference of ggml's NVFP4 (blocks of 64 = 4 sub-blocks of 16): per sub-block the UE4M3 scale of amax/6
    /// (<see cref="GgmlMath.FloatToUE4M3"/>), then the nearest doubled-E2M1 code against the halved decoded scale.
    /// </summary>
    internal static void QuantizeNvfp4Ref(ReadOnlySpan<float> x, Span<byte> y)
    {
        int nb = x.Length / NVFP4BlockSize;
        for (int i = 0; i < nb; i++)
        {
            Span<byte> yb = y.Slice(i * NVFP4BlockBytes, NVFP4BlockBytes);
            for (int s = 0; s < NVFP4BlockSize / NVFP4SubBlock; s++)
            {
                ReadOnlySpan<float> xb = x.Slice((i * NVFP4BlockSize) + (s * NVFP4SubBlock), NVFP4SubBlock);
                float amax = 0.0f;
                for (int j = 0; j < NVFP4SubBlock; j++)
                {
                    if (amax < MathF.Abs(xb[j]))
                    {
                        amax = MathF.Abs(xb[j]);
                    }
                }

                byte ue = GgmlMath.FloatToUE4M3(amax / 6.0f);
                yb[s] = ue;
                float d = GgmlMath.UE4M3ToFloatHalf(ue);
                for (int j = 0; j < NVFP4SubBlock / 2; ++j)
                {
                    int x0 = BestIndexMxfp4(xb[j], d);
                    int x1 = BestIndexMxfp4(xb[(NVFP4SubBlock / 2) + j], d);
                    yb[4 + (s * (NVFP4SubBlock / 2)) + j] = (byte)(x0 | (x1 << 4));
                }
            }
        }
    }

    /// <summary>Scalar reference of <c>dequantize_row_nvfp4</c>: y = table[q]·UE4M3(d)/2 per sub-block of 16.</summary>
    internal static void DequantizeNvfp4Ref(ReadOnlySpan<byte> x, Span<float> y)
    {
        ReadOnlySpan<sbyte> table = KValuesMxfp4;
        int nb = x.Length / NVFP4BlockBytes;
        for (int i = 0; i < nb; i++)
        {
            ReadOnlySpan<byte> xb = x.Slice(i * NVFP4BlockBytes, NVFP4BlockBytes);
            for (int s = 0; s < NVFP4BlockSize / NVFP4SubBlock; s++)
            {
                float d = GgmlMath.UE4M3ToFloatHalf(xb[s]);
                Span<float> yb = y.Slice((i * NVFP4BlockSize) + (s * NVFP4SubBlock), NVFP4SubBlock);
                for (int j = 0; j < NVFP4SubBlock / 2; ++j)
                {
                    byte q = xb[4 + (s * (NVFP4SubBlock / 2)) + j];
                    yb[j] = table[q & 0x0F] * d;
                    yb[j + (NVFP4SubBlock / 2)] = table[q >> 4] * d;
                }
            }
        }
    }
}
