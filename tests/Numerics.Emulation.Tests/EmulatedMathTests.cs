// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Numerics.Emulation;
using Numerics.Formats;
using static Numerics.Emulation.Tests.RationalOracle;

namespace Numerics.Emulation.Tests;

public class EmulatedMathTests
{
    private static readonly RoundingMode[] Modes =
    [
        RoundingMode.NearestEven, RoundingMode.NearestAway, RoundingMode.NearestTowardZero, RoundingMode.TowardZero,
        RoundingMode.TowardPositive, RoundingMode.TowardNegative, RoundingMode.ToOdd,
    ];

    public static TheoryData<string> Formats => new() { "binary16", "bfloat16", "e4m3fn", "p24", "p40", "p51wide", "p30ftz" };

    private static FloatFormat Get(string name) => name switch
    {
        "binary16" => FloatFormat.Binary16,
        "bfloat16" => FloatFormat.BFloat16,
        "e4m3fn" => FloatFormat.E4M3FN,
        "p24" => FloatFormat.Binary32,
        "p40" => FloatFormat.Create(40, -300, 300),
        "p51wide" => FloatFormat.Create(51, -1022, 1023),   // chop's explim = 0 on double storage, p at the limit
        "p30ftz" => FloatFormat.Create(30, -200, 200, subnormals: false),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    /// <summary>Operands on and near the target grid: grid values, midpoints, products/quotients of them, tiny and huge magnitudes.</summary>
    private static double[] Operands(FloatFormat format, int count, int seed)
    {
        var random = new Random(seed);
        var chopper = new Chopper(format, RoundingMode.NearestEven, new ChopOptions { Overflow = OverflowMode.SaturatingFinite });
        var result = new double[count];
        for (int i = 0; i < count; i++)
        {
            int emax = Math.Min(format.MaxExponent, 1000);
            int emin = Math.Max(format.MinExponent - format.MantissaBits, -1070);
            double x = Math.ScaleB(1 + random.NextDouble(), random.Next(emin, emax + 1)) * (random.Next(2) == 0 ? -1 : 1);
            double v = random.Next(4) switch
            {
                0 => x,                                          // an arbitrary double
                1 or 2 => chopper.Chop(x),                       // a value of the format (what emulation usually feeds)
                _ => Math.ScaleB(chopper.Chop(x), -random.Next(0, 3)),
            };
            result[i] = v == 0 || !double.IsFinite(v) ? x : v;   // nonzero finite operands (zeros and specials are tested separately)
        }

        return result;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Basic_operations_are_correctly_rounded(string name)
    {
        FloatFormat format = Get(name);
        double[] x = Operands(format, 64, 1), y = Operands(format, 64, 2);
        foreach (RoundingMode mode in Modes)
        {
            var target = new Chopper(format, mode);
            for (int i = 0; i < x.Length; i++)
            {
                double a = x[i], b = i % 3 == 0 ? Math.ScaleB(x[(i + 1) % x.Length], 0) : y[i];   // also nearby magnitudes, for cancellation
                Check(mode, format, $"{a:R} + {b:R}", EmulatedMath.Add(target, a, b), Sum(a, b));
                Check(mode, format, $"{a:R} - {b:R}", EmulatedMath.Subtract(target, a, b), Sum(a, -b));
                Check(mode, format, $"{a:R} * {b:R}", EmulatedMath.Multiply(target, a, b), Product(a, b));
                Check(mode, format, $"{a:R} / {b:R}", EmulatedMath.Divide(target, a, b), Quotient(a, b));
                Check(mode, format, $"sqrt {Math.Abs(a):R}", EmulatedMath.Sqrt(target, Math.Abs(a)), (new SquareRoot(FromDouble(Math.Abs(a))), false));
                double c = y[(i + 7) % y.Length];
                Check(mode, format, $"fma({a:R}, {b:R}, {c:R})", EmulatedMath.FusedMultiplyAdd(target, a, b, c), Fma(a, b, c));
                if (double.IsFinite(a * b))
                {
                    Check(mode, format, $"fma({a:R}, {b:R}, -ab)", EmulatedMath.FusedMultiplyAdd(target, a, b, -(a * b)), Fma(a, b, -(a * b)));
                }
            }
        }
    }

    [Fact]
    public void Double_rounding_cases_are_correct_where_the_naive_path_is_not()
    {
        // a = a binary32 midpoint (25 significant bits), b = ±2^-70: the exact sum is just off the midpoint, but the binary64 sum
        // is the midpoint itself, so rounding it again to binary32 (the naive path) ties to even, wrong half of the time.
        var target = new Chopper(FloatFormat.Binary32, RoundingMode.NearestEven);
        var random = new Random(5);
        int naiveWrong = 0;
        for (int i = 0; i < 2000; i++)
        {
            double lower = (double)(float)(1 + random.NextDouble());
            double a = lower + Math.ScaleB(1.0, -24);   // midpoint between lower and its successor (ulp 2^-23 in [1, 2))
            double b = Math.ScaleB(1.0, -70) * (random.Next(2) == 0 ? 1 : -1);
            double expected = RationalOracle.Round(Sum(a, b).Item1, false, FloatFormat.Binary32, RoundingMode.NearestEven);
            Assert.Equal(expected, EmulatedMath.Add(target, a, b));
            Assert.Equal(b > 0 ? lower + Math.ScaleB(1.0, -23) : lower, expected);
            naiveWrong += (double)(float)(a + b) != expected ? 1 : 0;
        }

        Assert.InRange(naiveWrong, 800, 1200);   // about half the draws: the naive path really double-rounds here
    }

    [Fact]
    public void Special_values_and_signed_zeros()
    {
        var rne = new Chopper(FloatFormat.Binary16);
        var rd = new Chopper(FloatFormat.Binary16, RoundingMode.TowardNegative);
        Assert.Equal(0.0, EmulatedMath.Add(rne, 1.5, -1.5));
        Assert.True(double.IsNegative(EmulatedMath.Add(rd, 1.5, -1.5)));        // IEEE 754 §6.3
        Assert.False(double.IsNegative(EmulatedMath.Add(rd, 0.0, 0.0)));
        Assert.True(double.IsNegative(EmulatedMath.Add(rne, -0.0, -0.0)));
        Assert.True(double.IsNegative(EmulatedMath.Multiply(rne, -1e-30, 1e-30)));   // underflow keeps the sign
        Assert.True(double.IsNaN(EmulatedMath.Add(rne, double.PositiveInfinity, double.NegativeInfinity)));
        Assert.True(double.IsNaN(EmulatedMath.Sqrt(rne, -1)));
        Assert.True(double.IsNegative(EmulatedMath.Sqrt(rne, -0.0)));
        Assert.Equal(double.PositiveInfinity, EmulatedMath.Divide(rne, 1, 0));
        Assert.True(double.IsNaN(EmulatedMath.Divide(new Chopper(FloatFormat.E4M3FN), 1, 0)));   // no infinity in E4M3FN
        Assert.Equal(double.PositiveInfinity, EmulatedMath.Multiply(rne, 1e200, 1e200));
        Assert.Equal(65504.0, EmulatedMath.Multiply(new Chopper(FloatFormat.Binary16, RoundingMode.TowardZero), 1e200, 1e200));
        Assert.Throws<ArgumentException>("target", () => EmulatedMath.Add(new Chopper(FloatFormat.Binary64), 1, 2));
        Assert.Throws<ArgumentNullException>("target", () => EmulatedMath.Add(null!, 1, 2));
    }

    [Theory]
    [InlineData(AccumulationOrder.Sequential)]
    [InlineData(AccumulationOrder.Pairwise)]
    [InlineData(AccumulationOrder.Blocked)]
    public void Reductions_follow_the_order_with_exact_roundings(AccumulationOrder order)
    {
        // bf16 products with binary32 accumulation, and an all-binary16 variant; the oracle applies the same order with exact roundings.
        var random = new Random((int)order + 10);
        var x = new double[77];
        var y = new double[77];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (double)(float)(random.NextDouble() * 4 - 2);
            y[i] = (double)(float)(random.NextDouble() * 4 - 2);
        }

        foreach ((FloatFormat target, FloatFormat products, FloatFormat accumulator) in new[]
        {
            (FloatFormat.BFloat16, FloatFormat.Binary32, FloatFormat.Binary32),
            (FloatFormat.Binary16, FloatFormat.Binary16, FloatFormat.Binary16),
        })
        {
            foreach (RoundingMode mode in new[] { RoundingMode.NearestEven, RoundingMode.TowardZero })
            {
                var options = new AccumulationOptions
                {
                    Products = new Chopper(products, mode),
                    Accumulator = new Chopper(accumulator, mode),
                    Order = order,
                    BlockSize = 8,
                };
                double[] p = x.Zip(y, (a, b) => Oracle(Product(a, b), products, mode)).ToArray();
                double expected = Oracle((FromDouble(Math.Abs(OracleSum(p, accumulator, mode, order))), OracleSum(p, accumulator, mode, order) < 0), target, mode);
                double actual = EmulatedMath.Dot(new Chopper(target, mode), x, y, options);
                Assert.Equal(expected, actual);

                double expectedSum = OracleSum(x, accumulator, mode, order);
                expectedSum = expectedSum == 0 ? expectedSum : Oracle((FromDouble(Math.Abs(expectedSum)), expectedSum < 0), target, mode);
                Assert.Equal(expectedSum, EmulatedMath.Sum(new Chopper(target, mode), x, options));

                // Matrix multiply: entry (i, j) equals the dot product of row i and column j.
                const int M = 3, N = 4, K = 11;
                var c = new double[M * N];
                EmulatedMath.MatrixMultiply(new Chopper(target, mode), x.AsSpan(0, M * K), y.AsSpan(0, K * N), c, M, N, K, options);
                for (int i = 0; i < M; i++)
                {
                    for (int j = 0; j < N; j++)
                    {
                        double[] column = Enumerable.Range(0, K).Select(t => y[(t * N) + j]).ToArray();
                        Assert.Equal(EmulatedMath.Dot(new Chopper(target, mode), x.AsSpan(i * K, K), column, options), c[(i * N) + j]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Reduction_arguments_are_checked()
    {
        var target = new Chopper(FloatFormat.Binary16);
        Assert.Throws<ArgumentException>("y", () => EmulatedMath.Dot(target, new double[3], new double[2]));
        Assert.Throws<ArgumentException>("options", () => EmulatedMath.Sum(target, new double[3], new AccumulationOptions { BlockSize = 0 }));
        Assert.Throws<ArgumentException>("c", () => EmulatedMath.MatrixMultiply(target, new double[6], new double[6], new double[5], 2, 2, 3));
        Assert.Equal(0.0, EmulatedMath.Sum(target, []));
    }

    [Fact]
    public void Reductions_reject_an_undefined_accumulation_order()
    {
        // An undefined order used to run silently as Sequential.
        var target = new Chopper(FloatFormat.Binary16);
        var options = new AccumulationOptions { Order = (AccumulationOrder)3 };
        Assert.Throws<ArgumentOutOfRangeException>("options", () => EmulatedMath.Sum(target, new double[3], options));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => EmulatedMath.Dot(target, new double[3], new double[3], options));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => EmulatedMath.MatrixMultiply(target, new double[4], new double[4], new double[4], 2, 2, 2, options));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => EmulatedMath.Sum(target, [], options with { Order = (AccumulationOrder)(-1) }));
    }

    private static double OracleSum(double[] terms, FloatFormat accumulator, RoundingMode mode, AccumulationOrder order)
    {
        double Add(double a, double b)
        {
            (IExact v, bool negative)? s = SumOrNull(a, b);
            return s is null ? (mode == RoundingMode.TowardNegative ? -0.0 : 0.0) : Oracle(s.Value, accumulator, mode);
        }

        double Seq(ReadOnlySpan<double> t)
        {
            double s = t[0];
            for (int i = 1; i < t.Length; i++)
            {
                s = Add(s, t[i]);
            }

            return s;
        }

        double Pair(ReadOnlySpan<double> t) => t.Length == 1 ? t[0] : Add(Pair(t[..(t.Length / 2)]), Pair(t[(t.Length / 2)..]));

        switch (order)
        {
            case AccumulationOrder.Pairwise:
                return Pair(terms);
            case AccumulationOrder.Blocked:
                double total = 0;
                for (int start = 0; start < terms.Length; start += 8)
                {
                    double block = Seq(terms.AsSpan(start, Math.Min(8, terms.Length - start)));
                    total = start == 0 ? block : Add(total, block);
                }

                return total;
            default:
                return Seq(terms);
        }
    }

    private static double Oracle((IExact Value, bool Negative) v, FloatFormat format, RoundingMode mode) => RationalOracle.Round(v.Value, v.Negative, format, mode);

    private static (IExact, bool) Sum(double a, double b) => SumOrNull(a, b) ?? (new Rational(0, 1), false);

    private static (IExact, bool)? SumOrNull(double a, double b)
    {
        Rational ra = FromDouble(a), rb = FromDouble(b);
        BigInteger na = a < 0 ? -ra.Numerator : ra.Numerator, nb = b < 0 ? -rb.Numerator : rb.Numerator;
        BigInteger num = (na * rb.Denominator) + (nb * ra.Denominator);
        return num.IsZero ? null : (new Rational(BigInteger.Abs(num), ra.Denominator * rb.Denominator), num.Sign < 0);
    }

    private static (IExact, bool) Product(double a, double b)
    {
        Rational ra = FromDouble(a), rb = FromDouble(b);
        return (new Rational(ra.Numerator * rb.Numerator, ra.Denominator * rb.Denominator), (a < 0) ^ (b < 0));
    }

    private static (IExact, bool) Quotient(double a, double b)
    {
        Rational ra = FromDouble(a), rb = FromDouble(b);
        return (new Rational(ra.Numerator * rb.Denominator, ra.Denominator * rb.Numerator), (a < 0) ^ (b < 0));
    }

    private static (IExact, bool) Fma(double a, double b, double c)
    {
        Rational ra = FromDouble(a), rb = FromDouble(b), rc = FromDouble(c);
        BigInteger p = ra.Numerator * rb.Numerator * ((a < 0) ^ (b < 0) ? -1 : 1);
        BigInteger pd = ra.Denominator * rb.Denominator;
        BigInteger cn = c < 0 ? -rc.Numerator : rc.Numerator;
        BigInteger num = (p * rc.Denominator) + (cn * pd);
        return (new Rational(BigInteger.Abs(num), pd * rc.Denominator), num.Sign < 0);
    }

    private static void Check(RoundingMode mode, FloatFormat format, string what, double actual, (IExact Value, bool Negative) exact)
    {
        double expected;
        if (exact.Value is Rational { Numerator.IsZero: true })
        {
            expected = mode == RoundingMode.TowardNegative ? -0.0 : 0.0;
        }
        else
        {
            expected = RationalOracle.Round(exact.Value, exact.Negative, format, mode);
        }

        bool same = double.IsNaN(expected) ? double.IsNaN(actual) : BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual);
        Assert.True(same, $"{format} {mode} {what}: expected {expected:R}, got {actual:R}");
    }
}
