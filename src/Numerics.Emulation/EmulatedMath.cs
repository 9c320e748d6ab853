// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Numerics.Emulation.Internal;
using Numerics.Formats;

namespace Numerics.Emulation;

/// <summary>
/// Arithmetic in a low-precision format, the way numerical analysts use chop: every operation's exact result is rounded once to
/// the target of a <see cref="Chopper"/> (its format, rounding mode and options, including bit flips).
/// </summary>
/// <remarks>
/// <para>
/// <b>Correct rounding.</b> Computing an operation in binary64 and rounding the result again (what CPFloat's <c>cpf_*</c> and
/// chop users do) is correctly rounded for round-to-nearest only when 53 ≥ 2p + 2 (p ≤ 25), and for directed modes not at all near
/// ties of the double rounding. These methods instead compute the exact result rounded to odd in binary64 with error-free
/// transforms (TwoSum, FMA residuals, operands scaled to [1, 2) so nothing underflows) and round that once to the target, which
/// is the correctly rounded result in every deterministic mode for every target precision p ≤ 51 (Boldo–Melquiond), including
/// subnormal, overflowing and signed-zero results. Targets with p &gt; 51 are rejected. Stochastic modes round the odd
/// intermediate, whose position within the target's gap is exact to 2^(p−53) of a quantum.
/// </para>
/// <para>
/// NaN and infinite operands follow IEEE 754 (∞ − ∞, 0 · ∞, 0/0 and √(negative) give NaN; x/0 gives ±∞) before the result is
/// rounded to the target (so an infinite result becomes NaN or the maximum in a format without infinities). An exact zero sum of
/// nonzero terms is +0, or −0 under <see cref="RoundingMode.TowardNegative"/>.
/// </para>
/// <para>
/// <b>Random words.</b> The optional <c>index</c> keys the target's random words (stochastic rounding, bit flips): use a different
/// index per operation of one computation. Reductions use index 2i for the i-th product and 2j + 1 for the j-th addition
/// (offset per output element of a matrix product), so their results are reproducible.
/// </para>
/// </remarks>
public static class EmulatedMath
{
    /// <summary>The largest target precision for which the rounded-to-odd binary64 intermediate has the two guard bits correct rounding needs.</summary>
    public const int MaxPrecision = 51;

    /// <summary>Returns round(a + b) in the target.</summary>
    /// <param name="target">The target format, rounding and options.</param>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <param name="index">The index that keys the random words of the stochastic modes and bit flips.</param>
    /// <returns>The correctly rounded sum.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">The target precision exceeds <see cref="MaxPrecision"/>.</exception>
    public static double Add(Chopper target, double a, double b, long index = 0) =>
        Check(target).Chop(OddArithmetic.Add(a, b, target.Rounding), index);

    /// <summary>Returns round(a − b) in the target.</summary>
    /// <param name="target">The target format, rounding and options.</param>
    /// <param name="a">The minuend.</param>
    /// <param name="b">The subtrahend.</param>
    /// <param name="index">The index that keys the random words of the stochastic modes and bit flips.</param>
    /// <returns>The correctly rounded difference.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">The target precision exceeds <see cref="MaxPrecision"/>.</exception>
    public static double Subtract(Chopper target, double a, double b, long index = 0) =>
        Check(target).Chop(OddArithmetic.Add(a, -b, target.Rounding), index);

    /// <summary>Returns round(a · b) in the target.</summary>
    /// <param name="target">The target format, rounding and options.</param>
    /// <param name="a">The first factor.</param>
    /// <param name="b">The second factor.</param>
    /// <param name="index">The index that keys the random words of the stochastic modes and bit flips.</param>
    /// <returns>The correctly rounded product.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">The target precision exceeds <see cref="MaxPrecision"/>.</exception>
    public static double Multiply(Chopper target, double a, double b, long index = 0) =>
        Check(target).Chop(OddArithmetic.Multiply(a, b), index);

    /// <summary>Returns round(a / b) in the target.</summary>
    /// <param name="target">The target format, rounding and options.</param>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <param name="index">The index that keys the random words of the stochastic modes and bit flips.</param>
    /// <returns>The correctly rounded quotient.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">The target precision exceeds <see cref="MaxPrecision"/>.</exception>
    public static double Divide(Chopper target, double a, double b, long index = 0) =>
        Check(target).Chop(OddArithmetic.Divide(a, b), index);

    /// <summary>Returns round(a · b + c) in the target, with a single rounding.</summary>
    /// <param name="target">The target format, rounding and options.</param>
    /// <param name="a">The first factor.</param>
    /// <param name="b">The second factor.</param>
    /// <param name="c">The addend.</param>
    /// <param name="index">The index that keys the random words of the stochastic modes and bit flips.</param>
    /// <returns>The correctly rounded fused multiply-add.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">The target precision exceeds <see cref="MaxPrecision"/>.</exception>
    public static double FusedMultiplyAdd(Chopper target, double a, double b, double c, long index = 0) =>
        Check(target).Chop(OddArithmetic.FusedMultiplyAdd(a, b, c, target.Rounding), index);

    /// <summary>Returns round(√a) in the target.</summary>
    /// <param name="target">The target format, rounding and options.</param>
    /// <param name="a">The operand.</param>
    /// <param name="index">The index that keys the random words of the stochastic modes and bit flips.</param>
    /// <returns>The correctly rounded square root (√−0 = −0; NaN for negative values).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">The target precision exceeds <see cref="MaxPrecision"/>.</exception>
    public static double Sqrt(Chopper target, double a, long index = 0) =>
        Check(target).Chop(OddArithmetic.Sqrt(a), index);

    /// <summary>Sums <paramref name="values"/> with every partial sum rounded to the accumulator, then rounds the total to the target.</summary>
    /// <param name="target">The output format.</param>
    /// <param name="values">The terms (used as given). An empty span sums to +0.</param>
    /// <param name="options">The accumulator and order; null means <see cref="AccumulationOptions.Default"/>.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="AccumulationOptions.Order"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">A precision exceeds <see cref="MaxPrecision"/> or the block size is less than 1.</exception>
    public static double Sum(Chopper target, ReadOnlySpan<double> values, AccumulationOptions? options = null)
    {
        options = CheckOptions(target, options);
        return Reduce(target, options.Accumulator ?? target, options, values, 0);
    }

    /// <summary>
    /// Returns the dot product Σ x_i·y_i with each product rounded to <see cref="AccumulationOptions.Products"/> and each partial sum
    /// to <see cref="AccumulationOptions.Accumulator"/> (both default to the target), the total rounded to the target.
    /// </summary>
    /// <param name="target">The output format.</param>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector, of the same length.</param>
    /// <param name="options">The product and accumulator formats and the order; null means <see cref="AccumulationOptions.Default"/>.</param>
    /// <returns>The dot product.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="AccumulationOptions.Order"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">The lengths differ, a precision exceeds <see cref="MaxPrecision"/> or the block size is less than 1.</exception>
    public static double Dot(Chopper target, ReadOnlySpan<double> x, ReadOnlySpan<double> y, AccumulationOptions? options = null)
    {
        options = CheckOptions(target, options);
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The lengths differ ({x.Length} and {y.Length}).", nameof(y));
        }

        double[] rented = ArrayPool<double>.Shared.Rent(x.Length);
        try
        {
            Span<double> products = rented.AsSpan(0, x.Length);
            Chopper productChopper = options.Products ?? target;
            for (int i = 0; i < x.Length; i++)
            {
                products[i] = productChopper.Chop(OddArithmetic.Multiply(x[i], y[i]), 2L * i);
            }

            return Reduce(target, options.Accumulator ?? target, options, products, 0);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Computes the row-major matrix product C = A·B (A is m×k, B is k×n, C is m×n), each entry a <see cref="Dot"/> of a row of A and
    /// a column of B with the same rounding rules.
    /// </summary>
    /// <param name="target">The output format.</param>
    /// <param name="a">A, row-major, m·k elements.</param>
    /// <param name="b">B, row-major, k·n elements.</param>
    /// <param name="c">C, row-major, m·n elements; must not overlap A or B.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A and rows of B.</param>
    /// <param name="options">The product and accumulator formats and the order; null means <see cref="AccumulationOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or <see cref="AccumulationOptions.Order"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, C overlaps A or B, a precision exceeds <see cref="MaxPrecision"/> or the block size is less than 1.</exception>
    public static void MatrixMultiply(
        Chopper target, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int n, int k, AccumulationOptions? options = null)
    {
        options = CheckOptions(target, options);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckLength(a, (long)m * k, nameof(a));
        CheckLength(b, (long)k * n, nameof(b));
        CheckLength(c, (long)m * n, nameof(c));
        if (c.Overlaps(a) || c.Overlaps(b))
        {
            throw new ArgumentException("C must not overlap A or B.", nameof(c));
        }

        Chopper productChopper = options.Products ?? target;
        Chopper accumulator = options.Accumulator ?? target;
        double[] rented = ArrayPool<double>.Shared.Rent(k);
        try
        {
            Span<double> products = rented.AsSpan(0, k);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    long offset = ((long)i * n + j) * 2 * k;
                    for (int p = 0; p < k; p++)
                    {
                        products[p] = productChopper.Chop(OddArithmetic.Multiply(a[(i * k) + p], b[(p * n) + j]), offset + (2L * p));
                    }

                    c[(i * n) + j] = Reduce(target, accumulator, options, products, offset);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    private static double Reduce(Chopper target, Chopper accumulator, AccumulationOptions options, ReadOnlySpan<double> terms, long offset)
    {
        long operation = 0;
        double sum = terms.Length == 0 ? 0.0 : options.Order switch
        {
            AccumulationOrder.Pairwise => Pairwise(accumulator, terms, offset, ref operation),
            AccumulationOrder.Blocked => Blocked(accumulator, terms, options.BlockSize, offset, ref operation),
            _ => Sequential(accumulator, terms, offset, ref operation),
        };

        // The final conversion uses the next addition index, so it draws a fresh random word.
        return target.Chop(sum, offset + (2 * operation) + 1);
    }

    private static double Sequential(Chopper accumulator, ReadOnlySpan<double> terms, long offset, ref long operation)
    {
        double sum = terms[0];
        for (int i = 1; i < terms.Length; i++)
        {
            sum = accumulator.Chop(OddArithmetic.Add(sum, terms[i], accumulator.Rounding), offset + (2 * operation++) + 1);
        }

        return sum;
    }

    private static double Pairwise(Chopper accumulator, ReadOnlySpan<double> terms, long offset, ref long operation)
    {
        if (terms.Length == 1)
        {
            return terms[0];
        }

        int half = terms.Length / 2;
        double left = Pairwise(accumulator, terms[..half], offset, ref operation);
        double right = Pairwise(accumulator, terms[half..], offset, ref operation);
        return accumulator.Chop(OddArithmetic.Add(left, right, accumulator.Rounding), offset + (2 * operation++) + 1);
    }

    private static double Blocked(Chopper accumulator, ReadOnlySpan<double> terms, int blockSize, long offset, ref long operation)
    {
        double total = 0;
        for (int start = 0; start < terms.Length; start += blockSize)
        {
            double block = Sequential(accumulator, terms.Slice(start, Math.Min(blockSize, terms.Length - start)), offset, ref operation);
            total = start == 0 ? block : accumulator.Chop(OddArithmetic.Add(total, block, accumulator.Rounding), offset + (2 * operation++) + 1);
        }

        return total;
    }

    private static Chopper Check(Chopper target, string name = "target")
    {
        ArgumentNullException.ThrowIfNull(target, name);
        if (target.DoubleTarget.Precision > MaxPrecision)
        {
            throw new ArgumentException(
                $"Emulated arithmetic is correctly rounded for precisions up to {MaxPrecision}; {target.Format} has {target.DoubleTarget.Precision}.", name);
        }

        return target;
    }

    private static AccumulationOptions CheckOptions(Chopper target, AccumulationOptions? options)
    {
        Check(target);
        options ??= AccumulationOptions.Default;
        if (options.Products is not null)
        {
            Check(options.Products, nameof(options));
        }

        if (options.Accumulator is not null)
        {
            Check(options.Accumulator, nameof(options));
        }

        if (!Enum.IsDefined(options.Order))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Order, "AccumulationOptions.Order is not a defined AccumulationOrder.");
        }

        if (options.BlockSize < 1)
        {
            throw new ArgumentException($"AccumulationOptions.BlockSize must be at least 1 (it is {options.BlockSize}).", nameof(options));
        }

        return options;
    }

    private static void CheckLength(ReadOnlySpan<double> span, long expected, string name)
    {
        if (span.Length != expected)
        {
            throw new ArgumentException($"The span has {span.Length} elements; the dimensions require {expected}.", name);
        }
    }
}
