// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats;

/// <summary>What a conversion does with values whose rounded magnitude exceeds the format's largest finite value.</summary>
/// <remarks>
/// Overflow is decided after rounding, with an unbounded exponent (OCP OFP8 and ml_dtypes semantics): for
/// <see cref="FloatFormat.E4M3FN"/> under <see cref="RoundingMode.NearestEven"/>, 464 rounds to 448 and anything above 464 overflows.
/// </remarks>
public enum OverflowMode
{
    /// <summary>
    /// IEEE 754 / ml_dtypes behaviour: an overflow gives infinity where the format has one, otherwise NaN (or the signed maximum in
    /// a format that has neither, such as FP6 and FP4). Directed modes overflow per IEEE 754: a mode that rounds toward zero for
    /// the value's sign gives the signed maximum finite value.
    /// </summary>
    NonSaturating = 0,

    /// <summary>
    /// Finite overflow is clamped to the signed maximum finite value; infinite and NaN inputs stay infinite or NaN where the
    /// format can represent them (ml_dtypes <c>kSaturate = true</c>).
    /// </summary>
    Saturating = 1,

    /// <summary>Every overflow, and every infinite input, gives the signed maximum finite value (CUDA satfinite, ONNX <c>Cast(saturate=1)</c>). NaN stays NaN.</summary>
    SaturatingFinite = 2,
}
