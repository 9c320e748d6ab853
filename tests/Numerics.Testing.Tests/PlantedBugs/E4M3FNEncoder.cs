// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Testing.Tests.PlantedBugs;

/// <summary>The realistic bugs planted in <see cref="E4M3FNEncoder"/>.</summary>
public enum PlantedBug
{
    /// <summary>The correct encoder.</summary>
    None,

    /// <summary>Ties round away from zero instead of to even.</summary>
    TiesAway,

    /// <summary>The double is first converted to float (numpy's astype path), so near-ties collapse onto ties.</summary>
    DoubleRoundingThroughFloat,

    /// <summary>Overflow is tested before rounding with <c>&gt;= 464</c> instead of after rounding (464 must give 448).</summary>
    OverflowThresholdOneUlpOff,

    /// <summary>A negative value that rounds to zero (and −0 itself) gives +0.</summary>
    LostSignOfZero,

    /// <summary>Inputs below the smallest normal 2^−6 are flushed to zero.</summary>
    FlushedSubnormals,
}

/// <summary>
/// A small, self-contained FP8 E4M3FN encoder from double (round to nearest even, non-saturating: overflow, ±∞ and NaN give
/// S.1111.111), written the way such encoders usually are, with switchable planted bugs. It shares no code with the oracle.
/// </summary>
public static class E4M3FNEncoder
{
    private const int MantissaBits = 3;
    private const int Bias = 7;
    private const int MinExponent = -6;
    private const byte NaNCode = 0x7F;
    private const byte SignBit = 0x80;
    private const int DoubleFractionBits = 52;
    private const int DoubleBias = 1075; // 1023 + 52: value = significand · 2^(field − 1075)

    public static byte Encode(double x, PlantedBug bug = PlantedBug.None)
    {
        if (bug == PlantedBug.DoubleRoundingThroughFloat)
        {
            x = (float)x;
        }

        ulong bits = BitConverter.DoubleToUInt64Bits(x);
        byte sign = (byte)((bits >> 56) & SignBit);
        if (!double.IsFinite(x))
        {
            return (byte)(sign | NaNCode);
        }

        if (bug == PlantedBug.OverflowThresholdOneUlpOff && Math.Abs(x) >= 464)
        {
            return (byte)(sign | NaNCode);
        }

        int field = (int)((bits >> DoubleFractionBits) & 0x7FF);
        ulong fraction = bits & ((1UL << DoubleFractionBits) - 1);
        if (field == 0 && fraction == 0)
        {
            return Zero(sign, bug);
        }

        // x = significand · 2^e exactly.
        ulong significand = field == 0 ? fraction : fraction | (1UL << DoubleFractionBits);
        int e = (field == 0 ? 1 : field) - DoubleBias;
        int unbiased = 63 - System.Numerics.BitOperations.LeadingZeroCount(significand) + e;
        if (bug == PlantedBug.FlushedSubnormals && unbiased < MinExponent)
        {
            return Zero(sign, bug);
        }

        // The quantum of the target binade (subnormals share emin's): 2^k.
        int k = Math.Max(unbiased, MinExponent) - MantissaBits;
        int shift = k - e;
        ulong q;
        if (shift <= 0)
        {
            q = significand << -shift;
        }
        else if (shift > 54)
        {
            q = 0; // below a quarter of the smallest subnormal
        }
        else
        {
            q = significand >> shift;
            ulong remainder = significand & ((1UL << shift) - 1);
            ulong half = 1UL << (shift - 1);
            bool up = remainder > half || (remainder == half && (bug == PlantedBug.TiesAway || (q & 1) == 1));
            if (up)
            {
                q++;
            }
        }

        if (q == 0)
        {
            return Zero(sign, bug);
        }

        // q · 2^k with q < 16; a carry to 16 moves into the next binade.
        if (q == 16)
        {
            q = 8;
            k++;
        }

        if (q < 8)
        {
            return (byte)(sign | (byte)q); // subnormal (k == emin − 3)
        }

        int biased = k + MantissaBits + Bias;
        int mantissa = (int)q - 8;
        if (biased > 15 || (biased == 15 && mantissa == 7))
        {
            return (byte)(sign | NaNCode); // overflow after rounding: 480 and above
        }

        return (byte)(sign | (biased << MantissaBits) | mantissa);
    }

    private static byte Zero(byte sign, PlantedBug bug) => bug == PlantedBug.LostSignOfZero ? (byte)0 : sign;
}
