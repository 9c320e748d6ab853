// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <content>Dispatch of the vectorized Q8_0 and Q4_0 paths.</content>
public static partial class GgmlBlocks
{
    internal static void QuantizeQ8_0(ReadOnlySpan<float> x, Span<byte> y) => QuantizeQ8_0Ref(x, y);

    internal static void DequantizeQ8_0(ReadOnlySpan<byte> x, Span<float> y) => DequantizeQ8Ref(x, y, Q8_0BlockBytes);

    internal static void QuantizeQ4_0(ReadOnlySpan<float> x, Span<byte> y) => QuantizeQ4_0Ref(x, y);

    internal static void DequantizeQ4_0(ReadOnlySpan<byte> x, Span<float> y) => DequantizeQ4_0Ref(x, y);
}
