// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats.Types;

// The traits of each public scalar type (FORMATS.md §1.1). OverflowMidpoint = max + ulp(max) / 2; MidpointRoundsToMax is true
// exactly when the significand of the largest finite value is even. The tests check every constant against FloatFormat.

/// <summary>bfloat16: S1 E8 M7, bias 127, max 0x7F7F (odd significand: the midpoint overflows).</summary>
internal readonly struct BFloat16Format : IMiniFloatFormat
{
    public static FloatFormat Format => FloatFormat.BFloat16;

    public static int BitCount => 16;

    public static int MantissaBits => 7;

    public static int ExponentBias => 127;

    public static uint MaxFiniteCode => 0x7F7F;

    public static MiniFloatKind Kind => MiniFloatKind.Ieee;

    public static float OverflowMidpoint => BitConverter.UInt32BitsToSingle(0x7F7F_8000); // (2 - 2^-8) * 2^127

    public static bool MidpointRoundsToMax => false;
}

/// <summary>float8_e4m3fn: S1 E4 M3, bias 7, max 448 = 0x7E (significand 1.110: even, so 464 rounds to 448).</summary>
internal readonly struct E4M3FNFormat : IMiniFloatFormat
{
    public static FloatFormat Format => FloatFormat.E4M3FN;

    public static int BitCount => 8;

    public static int MantissaBits => 3;

    public static int ExponentBias => 7;

    public static uint MaxFiniteCode => 0x7E;

    public static MiniFloatKind Kind => MiniFloatKind.FiniteAllOnesNaN;

    public static float OverflowMidpoint => 464f;

    public static bool MidpointRoundsToMax => true;
}

/// <summary>float8_e5m2: S1 E5 M2, bias 15, max 57344 = 0x7B (significand 1.11: odd, so 61440 overflows).</summary>
internal readonly struct E5M2Format : IMiniFloatFormat
{
    public static FloatFormat Format => FloatFormat.E5M2;

    public static int BitCount => 8;

    public static int MantissaBits => 2;

    public static int ExponentBias => 15;

    public static uint MaxFiniteCode => 0x7B;

    public static MiniFloatKind Kind => MiniFloatKind.Ieee;

    public static float OverflowMidpoint => 61440f;

    public static bool MidpointRoundsToMax => false;
}

/// <summary>float8_e4m3fnuz: S1 E4 M3, bias 8, max 240 = 0x7F (odd: 248 overflows).</summary>
internal readonly struct E4M3FNUZFormat : IMiniFloatFormat
{
    public static FloatFormat Format => FloatFormat.E4M3FNUZ;

    public static int BitCount => 8;

    public static int MantissaBits => 3;

    public static int ExponentBias => 8;

    public static uint MaxFiniteCode => 0x7F;

    public static MiniFloatKind Kind => MiniFloatKind.FiniteNegativeZeroNaN;

    public static float OverflowMidpoint => 248f;

    public static bool MidpointRoundsToMax => false;
}

/// <summary>float8_e5m2fnuz: S1 E5 M2, bias 16, max 57344 = 0x7F (odd: 61440 overflows).</summary>
internal readonly struct E5M2FNUZFormat : IMiniFloatFormat
{
    public static FloatFormat Format => FloatFormat.E5M2FNUZ;

    public static int BitCount => 8;

    public static int MantissaBits => 2;

    public static int ExponentBias => 16;

    public static uint MaxFiniteCode => 0x7F;

    public static MiniFloatKind Kind => MiniFloatKind.FiniteNegativeZeroNaN;

    public static float OverflowMidpoint => 61440f;

    public static bool MidpointRoundsToMax => false;
}

/// <summary>float6_e2m3fn: S1 E2 M3, bias 1, max 7.5 = 0x1F (odd: 7.75 overflows, which saturates: no ∞, no NaN).</summary>
internal readonly struct E2M3FNFormat : IMiniFloatFormat
{
    public static FloatFormat Format => FloatFormat.E2M3FN;

    public static int BitCount => 6;

    public static int MantissaBits => 3;

    public static int ExponentBias => 1;

    public static uint MaxFiniteCode => 0x1F;

    public static MiniFloatKind Kind => MiniFloatKind.FiniteOnly;

    public static float OverflowMidpoint => 7.75f;

    public static bool MidpointRoundsToMax => false;
}

/// <summary>float6_e3m2fn: S1 E3 M2, bias 3, max 28 = 0x1F (odd: 30 overflows, which saturates).</summary>
internal readonly struct E3M2FNFormat : IMiniFloatFormat
{
    public static FloatFormat Format => FloatFormat.E3M2FN;

    public static int BitCount => 6;

    public static int MantissaBits => 2;

    public static int ExponentBias => 3;

    public static uint MaxFiniteCode => 0x1F;

    public static MiniFloatKind Kind => MiniFloatKind.FiniteOnly;

    public static float OverflowMidpoint => 30f;

    public static bool MidpointRoundsToMax => false;
}

/// <summary>float4_e2m1fn: S1 E2 M1, bias 1, max 6 = 0x7 (odd: 7 overflows, which saturates).</summary>
internal readonly struct E2M1FNFormat : IMiniFloatFormat
{
    public static FloatFormat Format => FloatFormat.E2M1FN;

    public static int BitCount => 4;

    public static int MantissaBits => 1;

    public static int ExponentBias => 1;

    public static uint MaxFiniteCode => 0x7;

    public static MiniFloatKind Kind => MiniFloatKind.FiniteOnly;

    public static float OverflowMidpoint => 7f;

    public static bool MidpointRoundsToMax => false;
}
