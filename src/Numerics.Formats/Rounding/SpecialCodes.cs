// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats.Rounding;

/// <summary>
/// The codes the bit-pattern encoders (<see cref="RneEncodeOperator"/>, <see cref="ShiftEncodeOperator{TMode}"/>) give their
/// special lanes, per sign: a finite overflow, ±inf and NaN, taken from the scalar reference so the vector bodies cannot
/// disagree with it.
/// </summary>
internal readonly struct SpecialCodes
{
    public readonly uint OverflowPositive;
    public readonly uint OverflowNegative;
    public readonly uint InfinityPositive;
    public readonly uint InfinityNegative;
    public readonly uint NaNPositive;
    public readonly uint NaNNegative;

    public SpecialCodes(FloatFormat format, RoundingMode mode, OverflowMode overflow)
    {
        double huge = Math.ScaleB(1.0, format.MaxExponent + 2); // beyond every overflow threshold
        OverflowPositive = (uint)format.Encode(huge, mode, overflow);
        OverflowNegative = (uint)format.Encode(-huge, mode, overflow);
        InfinityPositive = (uint)format.Encode(double.PositiveInfinity, mode, overflow);
        InfinityNegative = (uint)format.Encode(double.NegativeInfinity, mode, overflow);
        NaNPositive = (uint)format.Encode(BitConverter.UInt64BitsToDouble(0x7FF8_0000_0000_0000), mode, overflow);
        NaNNegative = (uint)format.Encode(BitConverter.UInt64BitsToDouble(0xFFF8_0000_0000_0000), mode, overflow);
    }
}
