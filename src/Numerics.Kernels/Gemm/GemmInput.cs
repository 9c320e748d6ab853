// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Kernels;

/// <summary>How a GEMM operand's stored element widens to the FP32 the micro-kernels compute in (done while packing).</summary>
/// <typeparam name="T">The stored element.</typeparam>
internal interface IGemmInput<T>
    where T : unmanaged
{
    /// <summary>The exact FP32 value of <paramref name="value"/> (every supported input widens exactly).</summary>
    static abstract float ToSingle(T value);
}

/// <summary>FP32 operands: no conversion.</summary>
internal readonly struct SingleInput : IGemmInput<float>
{
    /// <inheritdoc/>
    public static float ToSingle(float value) => value;
}

/// <summary>BF16 operands as raw bits: BF16 is the upper half of a binary32, so widening is a 16-bit shift (exact, NaN payloads kept).</summary>
internal readonly struct BFloat16Input : IGemmInput<ushort>
{
    /// <inheritdoc/>
    public static float ToSingle(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);
}

/// <summary>IEEE binary16 operands: every binary16 value, subnormals included, is exactly representable in binary32.</summary>
internal readonly struct HalfInput : IGemmInput<Half>
{
    /// <inheritdoc/>
    public static float ToSingle(Half value) => (float)value;
}
