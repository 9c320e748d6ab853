// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using Numerics.Emulation.Internal;
using Numerics.Formats;

namespace Numerics.Emulation;

/// <summary>
/// Rounds ("chops") values to a fixed-point format Q(i).(f) in any <see cref="RoundingMode"/>, with saturation or wrap-around
/// (Pychop <c>Chopf</c>, without its bugs).
/// </summary>
/// <remarks>
/// <para>
/// A finite x is scaled to s = x · 2^f (exact), rounded to an integer n by the rounding mode (ties and directions as for
/// floating point; <see cref="RoundingMode.ToOdd"/> picks the odd integer for an inexact s), then clamped to
/// [<see cref="FixedPointFormat.MinCode"/>, <see cref="FixedPointFormat.MaxCode"/>] (<see cref="FixedPointOverflow.Saturate"/>) or
/// reduced modulo 2^(i+f) into that range (<see cref="FixedPointOverflow.Wrap"/>). The result n · 2^−f is exact in the storage type.
/// </para>
/// <para>
/// NaN gives NaN. +∞ gives the largest value and −∞ the smallest (Pychop gives −max). A fixed-point code has one zero, so a zero
/// result is +0 whatever the input's sign.
/// </para>
/// <para>
/// Stochastic modes use the word <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, element index), as
/// <see cref="FloatFormat"/> does, so results are reproducible and independent of thread count and chunking.
/// <see cref="RoundingMode.Stochastic"/> rounds away from zero iff that word is below ⌊frac · 2^64⌋: the probability is the
/// fractional part frac exactly whenever |s| ≥ 2^−11 (otherwise it is short by less than 2^−64). <see cref="RoundingMode.StochasticUniform"/> moves an inexact s either way with probability 1/2;
/// exact values never change (Pychop's mode 6 perturbs them).
/// </para>
/// <para>
/// The span methods are vectorized (Vector128/256/512) in every rounding mode and both overflow behaviours, bit-identical to the
/// scalar <see cref="Chop(double, long)"/> on every instruction-set tier.
/// </para>
/// <para>Instances are immutable and thread-safe. The span methods do not allocate when the degree of parallelism is 1.</para>
/// </remarks>
[SkipLocalsInit]
public sealed class FixedPointChopper
{
    private readonly double _scaleUp;
    private readonly double _scaleDown;
    private readonly double _minCode;
    private readonly double _maxCode;
    private readonly double _saturationBound;
    private readonly double _period;
    private readonly long _codeMask;
    private readonly long _signBit;

    /// <summary>Initializes a new instance of the <see cref="FixedPointChopper"/> class.</summary>
    /// <param name="format">The fixed-point format.</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">Saturation (the default) or wrap-around for codes outside the range.</param>
    /// <param name="seed">The seed of the stochastic modes (ignored by the others).</param>
    /// <param name="maxDegreeOfParallelism">The largest number of threads the span methods may use (1, the default, means the calling thread only).</param>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value, or <paramref name="maxDegreeOfParallelism"/> is less than 1.</exception>
    public FixedPointChopper(
        FixedPointFormat format,
        RoundingMode rounding = RoundingMode.NearestEven,
        FixedPointOverflow overflow = FixedPointOverflow.Saturate,
        ulong seed = 0,
        int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (!Enum.IsDefined(rounding))
        {
            throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Unknown rounding mode.");
        }

        if (!Enum.IsDefined(overflow))
        {
            throw new ArgumentOutOfRangeException(nameof(overflow), overflow, "Unknown overflow mode.");
        }

        SpanChecks.DegreeOfParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        Format = format;
        Rounding = rounding;
        Overflow = overflow;
        Seed = seed;
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
        _scaleUp = Math.ScaleB(1.0, format.FractionBits);
        _scaleDown = Math.ScaleB(1.0, -format.FractionBits);
        _minCode = format.MinCode;
        _maxCode = format.MaxCode;

        // Every value of the format has magnitude at most 2^i, so |x| ≥ 2^(i+1) saturates whatever the rounding; below the bound,
        // x · 2^f < 2^(i+f+1) ≤ 2^54 cannot overflow and its integer part fits a long.
        _saturationBound = Math.ScaleB(1.0, format.IntegerBits + 1);
        _period = Math.ScaleB(1.0, format.IntegerBits);
        _codeMask = (1L << format.TotalBits) - 1;
        _signBit = format.IsSigned ? 1L << (format.TotalBits - 1) : 0;
    }

    /// <summary>Gets the target format.</summary>
    public FixedPointFormat Format { get; }

    /// <summary>Gets the rounding mode.</summary>
    public RoundingMode Rounding { get; }

    /// <summary>Gets what happens to codes outside the range.</summary>
    public FixedPointOverflow Overflow { get; }

    /// <summary>Gets the seed of the stochastic modes.</summary>
    public ulong Seed { get; }

    /// <summary>Gets the largest number of threads the span methods use.</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>Rounds one value to the format, as element 0 of an array.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The rounded value, exactly n · 2^−f; NaN for NaN.</returns>
    public double Chop(double value) => Chop(value, 0);

    /// <summary>Rounds one value to the format, as element <paramref name="index"/> of an array.</summary>
    /// <param name="value">The value.</param>
    /// <param name="index">The element index that keys the random bits of the stochastic modes (the span methods use the position in the span).</param>
    /// <returns>The rounded value, exactly n · 2^−f; NaN for NaN.</returns>
    public double Chop(double value, long index)
    {
        double code = RoundToCode(value, index);
        return double.IsNaN(code) ? double.NaN : (code * _scaleDown) + 0.0;
    }

    /// <summary>Rounds one value to the format and returns its code n (the value is n · 2^−f).</summary>
    /// <param name="value">The value; not NaN.</param>
    /// <param name="index">The element index that keys the random bits of the stochastic modes.</param>
    /// <returns>The code, between <see cref="FixedPointFormat.MinCode"/> and <see cref="FixedPointFormat.MaxCode"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is NaN.</exception>
    public long ToCode(double value, long index = 0)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException("NaN has no fixed-point code.", nameof(value));
        }

        return (long)RoundToCode(value, index);
    }

    /// <summary>Rounds every element of <paramref name="source"/> to the format.</summary>
    /// <param name="source">The input.</param>
    /// <param name="destination">The output: the same length, and either the same memory (in place) or not overlapping.</param>
    /// <exception cref="ArgumentException">The lengths differ or the spans overlap partially.</exception>
    public void Chop(ReadOnlySpan<double> source, Span<double> destination)
    {
        SpanChecks.Unary(source, destination);
        ParallelChunks.Run(source, destination, MaxDegreeOfParallelism, new DoubleBody(this));
    }

    /// <summary>Rounds every element of <paramref name="values"/> to the format, in place.</summary>
    /// <param name="values">The values.</param>
    public void Chop(Span<double> values) => Chop(values, values);

    /// <summary>Rounds every element of <paramref name="source"/> to the format, with float storage.</summary>
    /// <param name="source">The input.</param>
    /// <param name="destination">The output: the same length, and either the same memory (in place) or not overlapping.</param>
    /// <exception cref="ArgumentException">
    /// The lengths differ, the spans overlap partially, or the format is wider than 24 bits (its values would not all be
    /// representable in float, so storing them would round a second time).
    /// </exception>
    public void Chop(ReadOnlySpan<float> source, Span<float> destination)
    {
        SpanChecks.Unary(source, destination);
        if (Format.TotalBits > 24)
        {
            throw new ArgumentException(
                $"{Format} is {Format.TotalBits} bits wide; float storage holds fixed-point values of at most 24 bits exactly. Use double storage.",
                nameof(destination));
        }

        ParallelChunks.Run(source, destination, MaxDegreeOfParallelism, new SingleBody(this));
    }

    /// <summary>Rounds every element of <paramref name="values"/> to the format, in place, with float storage.</summary>
    /// <param name="values">The values.</param>
    /// <exception cref="ArgumentException">The format is wider than 24 bits.</exception>
    public void Chop(Span<float> values) => Chop(values, values);

    /// <summary>The scalar reference for element <paramref name="firstIndex"/> + i of a double array.</summary>
    internal void RunScalar(ReadOnlySpan<double> source, Span<double> destination, long firstIndex)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = Chop(source[i], firstIndex + i);
        }
    }

    /// <summary>The scalar reference for element <paramref name="firstIndex"/> + i of a float array (exact: the format is at most 24 bits wide).</summary>
    internal void RunScalar(ReadOnlySpan<float> source, Span<float> destination, long firstIndex)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)Chop(source[i], firstIndex + i);
        }
    }

    /// <summary>Returns the rounded code as a double (NaN for NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double RoundToCode(double x, long index)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (double.IsInfinity(x))
        {
            return x > 0 ? _maxCode : _minCode;
        }

        bool wrap = Overflow == FixedPointOverflow.Wrap;
        if (Math.Abs(x) >= _saturationBound)
        {
            if (!wrap)
            {
                return x > 0 ? _maxCode : _minCode;
            }

            // fmod is exact; the code period 2^(i+f) is the value period 2^i, so reducing first does not change the wrapped code.
            x %= _period;
        }

        bool negative = double.IsNegative(x);
        double a = Math.Abs(x) * _scaleUp;   // exact: a power-of-two scale that neither overflows nor underflows here
        double fl = Math.Floor(a);
        double fr = a - fl;                  // exact (Sterbenz-free: fl and a share the binade or fl = 0)
        bool up = fr != 0 && Rounding switch
        {
            RoundingMode.NearestEven => fr > 0.5 || (fr == 0.5 && IsOdd(fl)),
            RoundingMode.NearestAway => fr >= 0.5,
            RoundingMode.NearestTowardZero => fr > 0.5,
            RoundingMode.TowardZero => false,
            RoundingMode.TowardPositive => !negative,
            RoundingMode.TowardNegative => negative,
            RoundingMode.ToOdd => !IsOdd(fl),
            RoundingMode.Stochastic => StochasticRounding.RandomBits(Seed, index) < (ulong)Math.ScaleB(fr, 64),
            RoundingMode.StochasticUniform => (long)StochasticRounding.RandomBits(Seed, index) < 0,
            _ => false,
        };
        double magnitude = up ? fl + 1 : fl;
        double n = negative ? -magnitude : magnitude;
        if (n >= _minCode && n <= _maxCode)
        {
            return n;
        }

        if (!wrap)
        {
            return n > 0 ? _maxCode : _minCode;
        }

        // |n| < 2^54, so the long conversion is exact; keep the low i + f bits and sign-extend a signed code.
        long bits = (long)n & _codeMask;
        if ((bits & _signBit) != 0)
        {
            bits -= _signBit << 1;
        }

        return bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsOdd(double integer) => (((long)integer) & 1) != 0;

    /// <summary>
    /// The vectorized span path of one chunk (<see cref="FixedPointOperator{TMode}"/>, Vector128/256/512): element i of the chunk is
    /// element <paramref name="firstIndex"/> + i of the array, bit-identical to <see cref="RunScalar(ReadOnlySpan{double}, Span{double}, long)"/>.
    /// </summary>
    internal void RunSpan(ReadOnlySpan<double> source, Span<double> destination, long firstIndex)
    {
        switch (Rounding)
        {
            case RoundingMode.NearestEven: new FixedPointOperator<FixedNearestEven>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.NearestAway: new FixedPointOperator<FixedNearestAway>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.NearestTowardZero: new FixedPointOperator<FixedNearestTowardZero>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.TowardZero: new FixedPointOperator<FixedTowardZero>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.TowardPositive: new FixedPointOperator<FixedTowardPositive>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.TowardNegative: new FixedPointOperator<FixedTowardNegative>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.ToOdd: new FixedPointOperator<FixedToOdd>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.Stochastic: new FixedPointOperator<FixedStochastic>(this).Run(source, destination, firstIndex); break;
            default: new FixedPointOperator<FixedStochasticUniform>(this).Run(source, destination, firstIndex); break;
        }
    }

    /// <inheritdoc cref="RunSpan(ReadOnlySpan{double}, Span{double}, long)"/>
    internal void RunSpan(ReadOnlySpan<float> source, Span<float> destination, long firstIndex)
    {
        switch (Rounding)
        {
            case RoundingMode.NearestEven: new FixedPointOperator<FixedNearestEven>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.NearestAway: new FixedPointOperator<FixedNearestAway>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.NearestTowardZero: new FixedPointOperator<FixedNearestTowardZero>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.TowardZero: new FixedPointOperator<FixedTowardZero>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.TowardPositive: new FixedPointOperator<FixedTowardPositive>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.TowardNegative: new FixedPointOperator<FixedTowardNegative>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.ToOdd: new FixedPointOperator<FixedToOdd>(this).Run(source, destination, firstIndex); break;
            case RoundingMode.Stochastic: new FixedPointOperator<FixedStochastic>(this).Run(source, destination, firstIndex); break;
            default: new FixedPointOperator<FixedStochasticUniform>(this).Run(source, destination, firstIndex); break;
        }
    }

    private readonly struct DoubleBody(FixedPointChopper chopper) : IChunkBody<double>
    {
        public void Run(ReadOnlySpan<double> source, Span<double> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }

    private readonly struct SingleBody(FixedPointChopper chopper) : IChunkBody<float>
    {
        public void Run(ReadOnlySpan<float> source, Span<float> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }
}
