// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Numerics.Testing;

namespace Numerics.Formats.Tests.Types;

/// <summary>
/// The IEEE-only members of <see cref="BFloat16"/> and <see cref="Float8E5M2"/> (next-up/down, fused multiply-add, powers of two,
/// the specials), checked against an exact BigInteger rounding written here; and the type-specific corners of the others.
/// </summary>
public abstract class IeeeTypeTests<T, TAdapter>
    where T : struct, IBinaryFloatingPointIeee754<T>, IMinMaxValue<T>
    where TAdapter : struct, IScalarAdapter<T>
{
    private static FloatFormat F => TAdapter.Format;

    private static double D(T value) => TAdapter.ToDouble(value);

    private static uint[] Codes => [.. Enumerable.Range(0, F.CodeCount).Select(c => (uint)c)];

    [Fact]
    public void Specials_are_the_IEEE_ones()
    {
        Assert.Equal(double.PositiveInfinity, D(T.PositiveInfinity));
        Assert.Equal(double.NegativeInfinity, D(T.NegativeInfinity));
        Assert.True(T.IsNaN(T.NaN) && double.IsNaN(D(T.NaN)));
        Assert.True(GoldenFiles.SameDouble(-0.0, D(T.NegativeZero)));
        Assert.Equal(F.MinSubnormal, D(T.Epsilon));
        Assert.True(T.IsPositiveInfinity(T.One / T.Zero) && T.IsNegativeInfinity(T.NegativeOne / T.Zero));
        Assert.True(T.IsNaN(T.Zero / T.Zero) && T.IsNaN(T.PositiveInfinity - T.PositiveInfinity));
        Assert.True(T.NaN != T.NaN && T.NaN.Equals(T.NaN) && T.NaN.GetHashCode() == T.BitDecrement(T.NaN).GetHashCode());
        Assert.True(T.Zero == T.NegativeZero && T.Zero.GetHashCode() == T.NegativeZero.GetHashCode());
    }

    [Fact]
    public void Next_up_and_down_step_to_the_neighbouring_value_on_every_code()
    {
        double[] values = [.. Codes.Select(c => F.Decode(c)).Where(v => !double.IsNaN(v)).Distinct().Order()];
        foreach (uint c in Codes)
        {
            T x = TAdapter.FromBits(c);
            double v = D(x);
            if (double.IsNaN(v))
            {
                Assert.True(T.IsNaN(T.BitIncrement(x)) && T.IsNaN(T.BitDecrement(x)));
                continue;
            }

            int i = Array.IndexOf(values, v); // -0 and +0 are one entry
            double up = v == double.PositiveInfinity ? v : values[i + 1];
            double down = v == double.NegativeInfinity ? v : values[i - 1];
            Assert.True(up == D(T.BitIncrement(x)), $"{F} BitIncrement({v:R}) = {D(T.BitIncrement(x)):R}, expected {up:R}");
            Assert.True(down == D(T.BitDecrement(x)), $"{F} BitDecrement({v:R}) = {D(T.BitDecrement(x)):R}, expected {down:R}");
            Assert.True((v > 0 && double.IsFinite(v) && double.IsPow2(v)) == T.IsPow2(x), $"{F} IsPow2({v:R})");
        }
    }

    [Fact]
    public void Fused_multiply_add_is_correctly_rounded_against_an_exact_BigInteger_computation()
    {
        var random = new Random(F.BitCount * 1009);
        uint[] finite = [.. Codes.Where(c => double.IsFinite(F.Decode(c)))];
        List<string> failures = [];
        const int Cases = 60_000;
        for (int k = 0; k < Cases; k++)
        {
            T a = TAdapter.FromBits(finite[random.Next(finite.Length)]);
            T b = TAdapter.FromBits(finite[random.Next(finite.Length)]);

            // Half of the addends near the product, so that the sum cancels or lands near a midpoint.
            T c = k % 2 == 0 ? TAdapter.FromBits(finite[random.Next(finite.Length)]) : TAdapter.FromDouble(-D(a) * D(b) * (1 + (random.NextDouble() / 64)));
            if (!T.IsFinite(c))
            {
                continue;
            }

            double expected = ExactFma(D(a), D(b), D(c));
            double actual = D(T.FusedMultiplyAdd(a, b, c));
            if (expected != actual && !(double.IsNaN(expected) && double.IsNaN(actual)))
            {
                failures.Add($"{F} fma({D(a):R}, {D(b):R}, {D(c):R}): expected {expected:R}, got {actual:R}");
            }
        }

        GoldenFiles.AssertNoFailures(failures, Cases);
        Assert.True(T.IsNaN(T.FusedMultiplyAdd(T.PositiveInfinity, T.Zero, T.One)));
        Assert.Equal(double.NegativeInfinity, D(T.FusedMultiplyAdd(T.MaxValue, T.MaxValue, T.NegativeInfinity)));
    }

    [Fact]
    public void ScaleB_ILogB_and_remainder_are_exact()
    {
        foreach (uint c in Codes.Where(c => c % 7 == 0 || F.BitCount <= 8))
        {
            T x = TAdapter.FromBits(c);
            double v = D(x);
            foreach (int n in new[] { -300, -20, -3, -1, 0, 1, 5, 200 })
            {
                ulong expected = ExactRounding.Encode(Math.ScaleB(v, n), F, RoundingMode.NearestEven, OverflowMode.NonSaturating);
                Assert.True(expected == TAdapter.Bits(T.ScaleB(x, n)) || double.IsNaN(v), $"{F} ScaleB({v:R}, {n})");
            }

            if (double.IsFinite(v) && v != 0)
            {
                Assert.Equal(Math.ILogB(v), T.ILogB(x));
                T y = TAdapter.FromBits((c * 31) % (uint)F.CodeCount);
                if (T.IsFinite(y) && !T.IsZero(y))
                {
                    Assert.Equal(Math.IEEERemainder(v, D(y)), D(T.Ieee754Remainder(x, y)));
                }
            }
        }
    }

    [Fact]
    public void Elementary_functions_are_computed_in_float_and_rounded_once()
    {
        foreach (float f in new[] { 0.5f, 1f, 2f, 3f, 10f, -0.75f })
        {
            T x = TAdapter.FromSingle(f);
            float v = TAdapter.ToSingle(x);
            Assert.Equal(TAdapter.Bits(TAdapter.FromSingle(MathF.Sqrt(v))), TAdapter.Bits(T.Sqrt(x)));
            Assert.Equal(TAdapter.Bits(TAdapter.FromSingle(MathF.Exp(v))), TAdapter.Bits(T.Exp(x)));
            Assert.Equal(TAdapter.Bits(TAdapter.FromSingle(MathF.Sin(v))), TAdapter.Bits(T.Sin(x)));
            Assert.Equal(TAdapter.Bits(TAdapter.FromSingle(MathF.Pow(v, 2.5f))), TAdapter.Bits(T.Pow(x, TAdapter.FromSingle(2.5f))));
        }

        // √ rounded once through float is the correctly rounded square root (float has more than 2p + 2 bits): against the oracle.
        foreach (uint c in Codes.Where(c => F.BitCount <= 8 || c % 13 == 0))
        {
            T x = TAdapter.FromBits(c);
            double v = D(x);
            if (v > 0 && double.IsFinite(v))
            {
                ulong expected = ExactRounding.Encode(Math.Sqrt(v), F, RoundingMode.NearestEven, OverflowMode.NonSaturating);
                Assert.True(expected == TAdapter.Bits(T.Sqrt(x)), $"{F} sqrt({v:R})");
            }
        }
    }

    /// <summary>a · b + c exactly as a BigInteger multiple of 2^-600, rounded to nearest even on the format's grid (unbounded exponent),
    /// then overflow as the non-saturating conversion (values beyond the max are encoded by FloatFormat, which overflows them).</summary>
    private static double ExactFma(double a, double b, double c)
    {
        const int Scale = 300;
        BigInteger exact = (Integer(a, Scale) * Integer(b, Scale)) + (Integer(c, Scale) << Scale);
        if (exact.IsZero)
        {
            return 0;
        }

        int sign = exact.Sign;
        BigInteger magnitude = BigInteger.Abs(exact);
        int s = 2 * Scale;
        int e = (int)magnitude.GetBitLength() - 1 - s;
        int q = Math.Max(e, F.MinExponent) - F.MantissaBits;
        int drop = q + s;
        BigInteger i = magnitude;
        if (drop > 0)
        {
            i = magnitude >> drop;
            BigInteger r = magnitude - (i << drop);
            BigInteger half = BigInteger.One << (drop - 1);
            if (r > half || (r == half && !i.IsEven))
            {
                i += 1;
            }
        }
        else
        {
            q = -s;
        }

        double rounded = sign * Math.ScaleB((double)i, q);
        return F.Decode(F.Encode(rounded));
    }

    private static BigInteger Integer(double v, int scale)
    {
        // v · 2^scale, exact: every value here is a multiple of 2^-300.
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(v));
        int exponent = (int)(bits >> 52);
        long mantissa = bits & ((1L << 52) - 1);
        if (exponent != 0)
        {
            mantissa |= 1L << 52;
        }

        int shift = Math.Max(exponent, 1) - 1075 + scale;
        BigInteger m = mantissa;
        BigInteger result = shift >= 0 ? m << shift : m >> -shift;
        Assert.True(shift >= 0 || (m & ((BigInteger.One << -shift) - 1)).IsZero, "not a multiple of 2^-scale");
        return v < 0 ? -result : result;
    }
}

public sealed class BFloat16IeeeTests : IeeeTypeTests<BFloat16, BFloat16Adapter>;

public sealed class Float8E5M2IeeeTests : IeeeTypeTests<Float8E5M2, Float8E5M2Adapter>;

/// <summary>Corners of single types: unpacked sub-byte codes, the fnuz zero, E8M0's scale-only surface.</summary>
public sealed class ScalarTypeCornerTests
{
    [Fact]
    public void Sub_byte_types_reject_codes_with_bits_above_their_width()
    {
        Assert.Throws<ArgumentOutOfRangeException>("bits", () => Float6E2M3FN.FromBits(0x40));
        Assert.Throws<ArgumentOutOfRangeException>("bits", () => Float6E3M2FN.FromBits(0x80));
        Assert.Throws<ArgumentOutOfRangeException>("bits", () => Float4E2M1FN.FromBits(0x10));
        Assert.Equal(6.0f, (float)Float4E2M1FN.FromBits(0x7));
        Assert.Equal(-0.5f, (float)Float4E2M1FN.FromBits(0x9));
        Assert.Equal(0x3F, Float6E2M3FN.MinValue.RawBits);
    }

    [Fact]
    public void Finite_formats_document_their_overflow_and_NaN_results()
    {
        // ml_dtypes (FORMATS.md §1.3): e4m3fn 464 -> 448, 465 -> NaN; fnuz overflow and NaN -> 0x80; FP6/FP4 overflow -> max,
        // +NaN -> the −0 code, −NaN -> +0; fnuz −0 -> +0.
        Assert.Equal(0x7E, ((Float8E4M3FN)464f).RawBits);
        Assert.Equal(0x7F, ((Float8E4M3FN)465f).RawBits);
        Assert.Equal(0xFF, ((Float8E4M3FN)float.NegativeInfinity).RawBits);
        Assert.Equal(0x80, ((Float8E4M3FNUZ)float.PositiveInfinity).RawBits);
        Assert.Equal(0x00, ((Float8E5M2FNUZ)(-0.0)).RawBits);
        Assert.Equal(0x00, ((Float8E4M3FNUZ)(-1e-30f)).RawBits);
        Assert.Equal(0x1F, ((Float6E3M2FN)1e9f).RawBits);
        Assert.Equal(0x20, ((Float6E2M3FN)BitConverter.UInt32BitsToSingle(0x7FC0_0000)).RawBits);
        Assert.Equal(0x00, ((Float4E2M1FN)BitConverter.UInt32BitsToSingle(0xFFC0_0000)).RawBits);
        Assert.Equal(0x7C, ((Float8E5M2)61440.0).RawBits);
        Assert.Equal(0x7B, ((Float8E5M2)61439.99).RawBits);
        Assert.Equal(0x7F80, ((BFloat16)float.MaxValue).RawBits);
        Assert.Equal(0xFFC0, ((BFloat16)BitConverter.UInt32BitsToSingle(0xFFFF_FFFF)).RawBits);
        Assert.Equal(0x00, (-Float8E4M3FNUZ.Zero).RawBits);
        Assert.True(Float8E4M3FNUZ.IsNaN(-Float8E4M3FNUZ.NaN) && Float8E4M3FNUZ.IsNaN(Float8E4M3FNUZ.Abs(Float8E4M3FNUZ.NaN)));
    }

    [Fact]
    public void E8M0_is_a_scale_with_exact_products_and_quotients_in_range()
    {
        for (int a = 0; a < 255; a++)
        {
            Float8E8M0FNU x = Float8E8M0FNU.FromBits((byte)a);
            Assert.Equal(Math.ScaleB(1.0, a - 127), (double)x);
            for (int b = 0; b < 255; b++)
            {
                Float8E8M0FNU y = Float8E8M0FNU.FromBits((byte)b);
                int product = a + b - 127;
                if (product is >= 0 and <= 254)
                {
                    Assert.Equal(product, (x * y).RawBits);
                }

                int quotient = a - b + 127;
                if (quotient is >= 0 and <= 254)
                {
                    Assert.Equal(quotient, (x / y).RawBits);
                }
            }
        }

        Assert.Equal(0x7F, Float8E8M0FNU.One.RawBits);
        Assert.Equal(0xFE, Float8E8M0FNU.MaxValue.RawBits);
        Assert.Equal(0x00, Float8E8M0FNU.MinValue.RawBits);
        Assert.True(Float8E8M0FNU.IsNaN((Float8E8M0FNU)0f) && Float8E8M0FNU.IsNaN((Float8E8M0FNU)(-4.0)) && Float8E8M0FNU.IsNaN((Float8E8M0FNU)Math.ScaleB(1.5, 127)));
        Assert.Equal(0xFE, ((Float8E8M0FNU)Math.ScaleB(1.4999, 127)).RawBits);
        Assert.Equal(0x81, ((Float8E8M0FNU)3.0f).RawBits); // ties round up: 3 = 1.5 · 2^1 -> 2^2 = code 127 + 2
        Assert.Equal(0x00, ((Float8E8M0FNU)Math.ScaleB(1.0, -127)).RawBits);
        Assert.Equal(0x01, ((Float8E8M0FNU)Math.ScaleB(1.25, -127)).RawBits);
        Assert.Equal(0x01, ((Float8E8M0FNU)(float)Math.ScaleB(1.25, -127)).RawBits);
        Assert.True(Float8E8M0FNU.NaN.Equals(Float8E8M0FNU.NaN) && Float8E8M0FNU.NaN != Float8E8M0FNU.NaN);
        Assert.True(Float8E8M0FNU.IsInteger(Float8E8M0FNU.One) && !Float8E8M0FNU.IsInteger(Float8E8M0FNU.MinValue));
    }
}
