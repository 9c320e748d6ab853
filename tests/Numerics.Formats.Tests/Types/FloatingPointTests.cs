// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Numerics.Testing;

namespace Numerics.Formats.Tests.Types;

/// <summary>
/// The generic-math surface of the signed types (<see cref="IFloatingPoint{TSelf}"/>): constants, rounding to integers,
/// min/max, conversions through <see cref="INumberBase{TSelf}"/>, against values computed independently in <see cref="double"/>.
/// </summary>
public abstract class FloatingPointTests<T, TAdapter>
    where T : struct, IFloatingPoint<T>, IMinMaxValue<T>
    where TAdapter : struct, IScalarAdapter<T>
{
    private static FloatFormat F => TAdapter.Format;

    private static double D(T value) => TAdapter.ToDouble(value);

    private static IEnumerable<T> AllCodes => Enumerable.Range(0, F.CodeCount).Where(c => F.BitCount <= 8 || c % 61 == 0 || c < 300).Select(c => TAdapter.FromBits((uint)c));

    private static ulong Oracle(double x) => ExactRounding.Encode(x, F, RoundingMode.NearestEven, OverflowMode.NonSaturating);

    [Fact]
    public void Constants_are_the_format_s_values()
    {
        Assert.Equal(F.MaxFinite, D(T.MaxValue));
        Assert.Equal(-F.MaxFinite, D(T.MinValue));
        Assert.Equal(1.0, D(T.One));
        Assert.Equal(-1.0, D(T.NegativeOne));
        Assert.True(GoldenFiles.SameDouble(0.0, D(T.Zero)));
        Assert.Equal(Oracle(Math.E), TAdapter.Bits(T.E));
        Assert.Equal(Oracle(Math.PI), TAdapter.Bits(T.Pi));
        Assert.Equal(Oracle(Math.Tau), TAdapter.Bits(T.Tau));
        Assert.Equal(2, T.Radix);
        Assert.Equal(0.0, D(T.AdditiveIdentity));
        Assert.Equal(1.0, D(T.MultiplicativeIdentity));
    }

    [Fact]
    public void Rounding_to_integers_stays_in_the_format_and_is_exact_on_every_code()
    {
        foreach (T x in AllCodes)
        {
            double v = D(x);
            if (double.IsNaN(v))
            {
                Assert.True(T.IsNaN(T.Floor(x)) && T.IsNaN(T.Round(x)));
                continue;
            }

            // The exact integer, rounded once like a conversion (exact whenever the format has the integer).
            Assert.True(Oracle(Math.Floor(v)) == TAdapter.Bits(T.Floor(x)), $"Floor {v}");
            Assert.True(Oracle(Math.Ceiling(v)) == TAdapter.Bits(T.Ceiling(x)), $"Ceiling {v}");
            Assert.True(Oracle(Math.Truncate(v)) == TAdapter.Bits(T.Truncate(x)), $"Truncate {v}");
            Assert.True(Oracle(Math.Round(v)) == TAdapter.Bits(T.Round(x)), $"Round {v}");
            Assert.True(Oracle(Math.Round(v, MidpointRounding.AwayFromZero)) == TAdapter.Bits(T.Round(x, MidpointRounding.AwayFromZero)), $"Round away {v}");
        }
    }

    [Fact]
    public void Min_max_and_magnitude_functions_match_double_on_every_pair()
    {
        T[] codes = [.. AllCodes.Take(F.BitCount <= 8 ? 256 : 400)];
        foreach (T a in codes)
        {
            foreach (T b in codes)
            {
                double x = D(a), y = D(b);
                string what = $"{F} {x:R}, {y:R}";
                Assert.True(GoldenFiles.SameDouble(double.Max(x, y), D(T.Max(a, b))), "Max " + what);
                Assert.True(GoldenFiles.SameDouble(double.Min(x, y), D(T.Min(a, b))), "Min " + what);
                Assert.True(GoldenFiles.SameDouble(double.MaxNumber(x, y), D(T.MaxNumber(a, b))), "MaxNumber " + what);
                Assert.True(GoldenFiles.SameDouble(double.MinNumber(x, y), D(T.MinNumber(a, b))), "MinNumber " + what);
                Assert.True(GoldenFiles.SameDouble(double.MaxMagnitude(x, y), D(T.MaxMagnitude(a, b))), "MaxMagnitude " + what);
                Assert.True(GoldenFiles.SameDouble(double.MinMagnitude(x, y), D(T.MinMagnitude(a, b))), "MinMagnitude " + what);
                Assert.True(GoldenFiles.SameDouble(double.MaxMagnitudeNumber(x, y), D(T.MaxMagnitudeNumber(a, b))), "MaxMagnitudeNumber " + what);
                Assert.True(GoldenFiles.SameDouble(double.MinMagnitudeNumber(x, y), D(T.MinMagnitudeNumber(a, b))), "MinMagnitudeNumber " + what);
                if (!double.IsNaN(x) && !double.IsNaN(y))
                {
                    // The code of the double result (the fnuz formats have no −0: CopySign(0, negative) is 0).
                    Assert.True(Oracle(double.CopySign(x, y)) == TAdapter.Bits(T.CopySign(a, b)), "CopySign " + what);
                }
            }
        }
    }

    [Fact]
    public void Generic_conversions_round_once_and_convert_out_like_float()
    {
        // 2^60 + 2^52 + 1 lies just above a midpoint of every format here with p <= 8 only if the +1 survives: converting through a
        // plain (double) cast would round it onto the midpoint (a double rounding); the conversion rounds to odd first.
        long justAbove = (1L << 60) + (1L << 52) + 1;
        Assert.Equal(Oracle(Math.BitIncrement((double)((1L << 60) + (1L << 52)))), TAdapter.Bits(T.CreateTruncating(justAbove)));
        Assert.Equal(Oracle((1L << 60) + (1L << 52)), TAdapter.Bits(T.CreateTruncating((1L << 60) + (1L << 52))));
        Assert.Equal(Oracle(-1e30), TAdapter.Bits(T.CreateSaturating(-(Int128)1e30)));
        Assert.Equal(Oracle(3), TAdapter.Bits(T.CreateChecked((byte)3)));
        Assert.Equal(Oracle(1.375), TAdapter.Bits(T.CreateChecked(1.375m)));
        Assert.Equal(Oracle((double)(Half)0.3), TAdapter.Bits(T.CreateChecked((Half)0.3)));
        foreach (T x in AllCodes)
        {
            double v = D(x);
            Assert.True(GoldenFiles.SameDouble(v, double.CreateChecked(x)));
            Assert.True(GoldenFiles.SameDouble(v, float.CreateTruncating(x)));
            if (double.IsFinite(v) && Math.Abs(v) < 1e9)
            {
                Assert.Equal((long)v, long.CreateChecked(x));
                Assert.Equal((int)Math.Clamp(v, 0, 255), byte.CreateSaturating(x));
            }
        }
    }

    [Fact]
    public void Generic_algorithms_run_on_the_type()
    {
        T[] values = [T.One, T.One + T.One, T.NegativeOne, T.Zero];
        T sum = T.Zero;
        foreach (T v in values)
        {
            sum += v;
        }

        Assert.Equal(2.0, D(sum));
        Assert.Equal(T.One + T.One, T.Clamp(T.MaxValue, T.NegativeOne, T.One + T.One));
        Assert.Throws<ArgumentException>("min", () => T.Clamp(T.One, T.One, T.Zero));
        Assert.Equal(1, T.Sign(T.MaxValue));
        Assert.Equal(-1, T.Sign(T.MinValue));
        Assert.Equal(0, T.Sign(T.Zero));
        Assert.True(T.IsInteger(T.One) && T.IsOddInteger(T.One) && !T.IsEvenInteger(T.One));
        Assert.Equal(F.Precision, T.One.GetSignificandBitLength());
        Span<byte> buffer = stackalloc byte[2];
        Assert.True(T.One.TryWriteSignificandLittleEndian(buffer, out int written));
        Assert.Equal(1, written);
        Assert.Equal(1 << F.MantissaBits, buffer[0]); // 1.0 = implicit bit only
        Assert.True(T.One.TryWriteExponentBigEndian(buffer, out written));
        Assert.Equal(0, (sbyte)buffer[0]);
        Assert.True(T.NegativeOne.TryWriteExponentLittleEndian(buffer, out written));
        Assert.Equal(0, (sbyte)buffer[0]); // the sign is not part of the exponent
        Assert.True((T.One + T.One + T.One).TryWriteExponentLittleEndian(buffer, out written));
        Assert.Equal(1, (sbyte)buffer[0]);
        Assert.True((-(T.One + T.One + T.One)).TryWriteSignificandBigEndian(buffer, out written));
        Assert.Equal(3 << (F.MantissaBits - 1), buffer[0]); // 3 = 1.1b · 2^1
        Assert.Equal(1, T.One.GetExponentShortestBitLength() + 1);
        Assert.False(T.One.TryWriteExponentBigEndian(Span<byte>.Empty, out _));
    }
}

public sealed class BFloat16FloatingPointTests : FloatingPointTests<BFloat16, BFloat16Adapter>;

public sealed class Float8E4M3FNFloatingPointTests : FloatingPointTests<Float8E4M3FN, Float8E4M3FNAdapter>;

public sealed class Float8E5M2FloatingPointTests : FloatingPointTests<Float8E5M2, Float8E5M2Adapter>;

public sealed class Float8E4M3FNUZFloatingPointTests : FloatingPointTests<Float8E4M3FNUZ, Float8E4M3FNUZAdapter>;

public sealed class Float8E5M2FNUZFloatingPointTests : FloatingPointTests<Float8E5M2FNUZ, Float8E5M2FNUZAdapter>;

public sealed class Float6E2M3FNFloatingPointTests : FloatingPointTests<Float6E2M3FN, Float6E2M3FNAdapter>;

public sealed class Float6E3M2FNFloatingPointTests : FloatingPointTests<Float6E3M2FN, Float6E3M2FNAdapter>;

public sealed class Float4E2M1FNFloatingPointTests : FloatingPointTests<Float4E2M1FN, Float4E2M1FNAdapter>;
