// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using System.Runtime.CompilerServices;
using Numerics.Emulation.Internal;
using Numerics.Formats;

namespace Numerics.Emulation;

/// <summary>
/// Rounds ("chops") float and double arrays to a low-precision <see cref="FloatFormat"/> and stores the results back in the same
/// storage type (Pychop <c>Chop</c>, MATLAB <c>chop</c>, CPFloat <c>cpfloat</c>), optionally injecting soft errors.
/// </summary>
/// <remarks>
/// <para>
/// Rounding goes through <see cref="FloatFormat"/>'s span and scalar <c>Round</c> methods, the SDK's single rounding
/// implementation (vectorized there in every mode, stochastic included, for every signed format with a zero): one rounding directly from the stored value (no double rounding near the smallest subnormal), every mode of
/// <see cref="RoundingMode"/>, overflow judged on the rounded value per <see cref="ChopOptions.Overflow"/>, NaN in gives NaN out,
/// and a zero result keeps the sign of its input where the format has −0 (the peers lose it in RU/RD).
/// </para>
/// <para>
/// Element i of a span uses the random word <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, i) for stochastic
/// rounding, and independent streams derived from the seed for the flip decision and the flipped bit, so results are identical
/// for every thread count, chunking and instruction-set tier. The flip pass is vectorized too (Vector128/256/512, encode → XOR →
/// decode on the bit pattern) for every signed format with a zero, bit-identical to the scalar <see cref="Chop(double, long)"/>.
/// </para>
/// <para>
/// Float storage needs every value of the target to be a float (precision ≤ 24, emax ≤ 127, smallest quantum ≥ 2^−149); otherwise
/// storing a result would round it a second time, and the float methods throw.
/// </para>
/// <para>Instances are immutable and thread-safe. With <see cref="ChopOptions.MaxDegreeOfParallelism"/> = 1 the span methods do not allocate.</para>
/// </remarks>
[SkipLocalsInit]
public sealed class Chopper
{
    /// <summary>Elements rounded and then flipped together (16 KB of floats: the flip pass finds them in the L1/L2 cache).</summary>
    internal const int FlipBlockLength = 4096;

    private readonly FloatFormat _doubleTarget;
    private readonly FloatFormat? _singleTarget;
    private readonly OverflowMode _overflow;
    private readonly ulong _seed;
    private readonly bool _flips;
    private readonly BitFlipOperator? _doubleFlips;
    private readonly BitFlipOperator? _singleFlips;

    /// <summary>Initializes a new instance of the <see cref="Chopper"/> class.</summary>
    /// <param name="format">The target format: a preset or <see cref="FloatFormat.Create"/>.</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="options">The options; null means <see cref="ChopOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="rounding"/> or <see cref="ChopOptions.Overflow"/> is not a defined value, <see cref="ChopOptions.FlipProbability"/>
    /// is outside [0, 1], <see cref="ChopOptions.FlipFields"/> has a bit that is not a <see cref="BitFlipFields"/> value, or
    /// <see cref="ChopOptions.MaxDegreeOfParallelism"/> is less than 1.
    /// </exception>
    /// <exception cref="ArgumentException">Flips are requested but <see cref="ChopOptions.FlipFields"/> selects no bit of the target encoding.</exception>
    public Chopper(FloatFormat format, RoundingMode rounding = RoundingMode.NearestEven, ChopOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        options ??= ChopOptions.Default;
        if (!Enum.IsDefined(rounding))
        {
            throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Unknown rounding mode.");
        }

        if (!Enum.IsDefined(options.Overflow))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Overflow, "ChopOptions.Overflow is not a defined OverflowMode.");
        }

        if (!(options.FlipProbability >= 0 && options.FlipProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FlipProbability, "ChopOptions.FlipProbability must be in [0, 1].");
        }

        if ((options.FlipFields & ~BitFlipFields.All) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FlipFields, "ChopOptions.FlipFields has bits that are not BitFlipFields values.");
        }

        SpanChecks.DegreeOfParallelism(options.MaxDegreeOfParallelism, nameof(options));
        Format = format;
        Rounding = rounding;
        Options = options;
        _overflow = options.Overflow;
        _seed = options.Seed;

        bool subnormals = options.Subnormals ?? format.HasSubnormals;
        if (options.LimitExponent)
        {
            _doubleTarget = format.WithSubnormals(subnormals);
            _singleTarget = FitsInSingle(_doubleTarget) ? _doubleTarget : null;
        }
        else
        {
            // chop's explim = 0: the target's precision with the storage type's exponent range (and the target's special values).
            bool infinity = format.HasInfinity;
            _doubleTarget = FloatFormat.Create(format.Precision, -1022, 1023, subnormals, infinity);
            _singleTarget = format.Precision <= 24 ? FloatFormat.Create(format.Precision, -126, 127, subnormals, infinity) : null;
        }

        byte[] flipBits = FlipPositions(_doubleTarget, options.FlipFields);
        _flips = options.FlipProbability > 0;
        if (_flips && flipBits.Length == 0)
        {
            throw new ArgumentException($"ChopOptions.FlipFields ({options.FlipFields}) selects no bit of {format}.", nameof(options));
        }

        if (_flips)
        {
            // The two targets share a layout except with LimitExponent = false, where float storage has a narrower exponent field.
            _doubleFlips = new BitFlipOperator(_doubleTarget, _overflow, flipBits, options.FlipProbability, _seed);
            _singleFlips = _singleTarget is null ? null
                : ReferenceEquals(_singleTarget, _doubleTarget) ? _doubleFlips
                : new BitFlipOperator(_singleTarget, _overflow, FlipPositions(_singleTarget, options.FlipFields), options.FlipProbability, _seed);
        }
    }

    /// <summary>Gets the target format as given to the constructor.</summary>
    public FloatFormat Format { get; }

    /// <summary>Gets the rounding mode.</summary>
    public RoundingMode Rounding { get; }

    /// <summary>Gets the options.</summary>
    public ChopOptions Options { get; }

    /// <summary>
    /// Gets the format results take with double storage: <see cref="Format"/> with the <see cref="ChopOptions.Subnormals"/> override,
    /// or, when <see cref="ChopOptions.LimitExponent"/> is false, the target precision with binary64's exponent range.
    /// </summary>
    public FloatFormat DoubleTarget => _doubleTarget;

    /// <summary>Gets the format results take with float storage, or null when float storage cannot hold every value of the target.</summary>
    public FloatFormat? SingleTarget => _singleTarget;

    /// <summary>Rounds one value (as element 0 of an array) with double storage.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The chopped value.</returns>
    public double Chop(double value) => Chop(value, 0);

    /// <summary>Rounds one value, as element <paramref name="index"/> of an array, with double storage.</summary>
    /// <param name="value">The value.</param>
    /// <param name="index">The element index that keys the random words of stochastic rounding and bit flips.</param>
    /// <returns>The chopped value; the same as element <paramref name="index"/> of a span call.</returns>
    public double Chop(double value, long index) => ChopElement(_doubleTarget, _doubleFlips, value, index);

    /// <summary>Rounds every element of <paramref name="source"/> to the target format, with double storage.</summary>
    /// <param name="source">The input.</param>
    /// <param name="destination">The output: the same length, and either the same memory (in place) or not overlapping.</param>
    /// <exception cref="ArgumentException">The lengths differ or the spans overlap partially.</exception>
    public void Chop(ReadOnlySpan<double> source, Span<double> destination)
    {
        SpanChecks.Unary(source, destination);
        ParallelChunks.Run(source, destination, Options.MaxDegreeOfParallelism, new DoubleBody(this));
    }

    /// <summary>Rounds every element of <paramref name="values"/> to the target format, in place, with double storage.</summary>
    /// <param name="values">The values.</param>
    public void Chop(Span<double> values) => Chop(values, values);

    /// <summary>Rounds every element of <paramref name="source"/> to the target format, with float storage.</summary>
    /// <param name="source">The input.</param>
    /// <param name="destination">The output: the same length, and either the same memory (in place) or not overlapping.</param>
    /// <exception cref="ArgumentException">
    /// The lengths differ, the spans overlap partially, or float storage cannot hold every value of the target (<see cref="SingleTarget"/> is null).
    /// </exception>
    public void Chop(ReadOnlySpan<float> source, Span<float> destination)
    {
        SpanChecks.Unary(source, destination);
        if (_singleTarget is null)
        {
            throw new ArgumentException(
                $"Float storage cannot hold every value of {_doubleTarget} (it needs precision <= 24, emax <= 127 and a smallest quantum >= 2^-149); use double storage.",
                nameof(destination));
        }

        ParallelChunks.Run(source, destination, Options.MaxDegreeOfParallelism, new SingleBody(this));
    }

    /// <summary>Rounds every element of <paramref name="values"/> to the target format, in place, with float storage.</summary>
    /// <param name="values">The values.</param>
    /// <exception cref="ArgumentException">Float storage cannot hold every value of the target.</exception>
    public void Chop(Span<float> values) => Chop(values, values);

    /// <summary>The scalar reference: element <paramref name="firstIndex"/> + i of a double array.</summary>
    internal void RunScalar(ReadOnlySpan<double> source, Span<double> destination, long firstIndex)
    {
        FloatFormat target = _doubleTarget;
        BitFlipOperator? flips = _doubleFlips;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = ChopElement(target, flips, source[i], firstIndex + i);
        }
    }

    /// <summary>The scalar reference: element <paramref name="firstIndex"/> + i of a float array (exact: every target value is a float).</summary>
    internal void RunScalar(ReadOnlySpan<float> source, Span<float> destination, long firstIndex)
    {
        FloatFormat target = _singleTarget!;
        BitFlipOperator? flips = _singleFlips;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)ChopElement(target, flips, source[i], firstIndex + i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double ChopElement(FloatFormat target, BitFlipOperator? flips, double value, long index)
    {
        ulong randomBits = Rounding >= RoundingMode.Stochastic ? StochasticRounding.RandomBits(_seed, index) : 0;
        double rounded = target.Round(value, Rounding, _overflow, randomBits);
        return flips is null ? rounded : flips.Invoke(rounded, index);
    }

    /// <summary>The bit positions (in the code) of the selected fields.</summary>
    private static byte[] FlipPositions(FloatFormat format, BitFlipFields fields)
    {
        ulong mask = 0;
        if ((fields & BitFlipFields.Fraction) != 0)
        {
            mask |= (1UL << format.MantissaBits) - 1;
        }

        if ((fields & BitFlipFields.Exponent) != 0)
        {
            mask |= ((1UL << format.ExponentBits) - 1) << format.MantissaBits;
        }

        if ((fields & BitFlipFields.Sign) != 0 && format.IsSigned)
        {
            mask |= 1UL << (format.ExponentBits + format.MantissaBits);
        }

        var positions = new byte[BitOperations.PopCount(mask)];
        for (int i = 0, k = 0; i < 64; i++)
        {
            if ((mask >> i & 1) != 0)
            {
                positions[k++] = (byte)i;
            }
        }

        return positions;
    }

    /// <summary>Whether every value of <paramref name="format"/> is a binary32 value.</summary>
    private static bool FitsInSingle(FloatFormat format) =>
        format.Precision <= 24 && format.MaxExponent <= 127 && format.MinExponent - format.MantissaBits >= -149;

    /// <summary>
    /// The span path of one chunk: <see cref="FloatFormat"/>'s start-index span rounding (vectorized in every mode for every
    /// signed format with a zero; element i of the chunk uses the random word of element firstIndex + i), then the vectorized
    /// flips (<see cref="BitFlipOperator"/>). With flips the chunk is processed in blocks of <see cref="FlipBlockLength"/>
    /// elements, so the flip pass reads what the rounding just wrote while it is still in cache.
    /// </summary>
    internal void RunSpan(ReadOnlySpan<double> source, Span<double> destination, long firstIndex)
    {
        if (_doubleFlips is null)
        {
            _doubleTarget.Round(source, destination, Rounding, _overflow, _seed, firstIndex);
            return;
        }

        for (int start = 0; start < source.Length; start += FlipBlockLength)
        {
            int length = Math.Min(FlipBlockLength, source.Length - start);
            Span<double> block = destination.Slice(start, length);
            _doubleTarget.Round(source.Slice(start, length), block, Rounding, _overflow, _seed, firstIndex + start);
            _doubleFlips.Run(block, firstIndex + start);
        }
    }

    /// <inheritdoc cref="RunSpan(ReadOnlySpan{double}, Span{double}, long)"/>
    internal void RunSpan(ReadOnlySpan<float> source, Span<float> destination, long firstIndex)
    {
        FloatFormat target = _singleTarget!;
        if (_singleFlips is null)
        {
            target.Round(source, destination, Rounding, _overflow, _seed, firstIndex);
            return;
        }

        for (int start = 0; start < source.Length; start += FlipBlockLength)
        {
            int length = Math.Min(FlipBlockLength, source.Length - start);
            Span<float> block = destination.Slice(start, length);
            target.Round(source.Slice(start, length), block, Rounding, _overflow, _seed, firstIndex + start);
            _singleFlips.Run(block, firstIndex + start);
        }
    }

    /// <summary>The flip operator of double storage (null without flips); tests call its width entry points.</summary>
    internal BitFlipOperator? DoubleFlips => _doubleFlips;

    /// <summary>The flip operator of float storage (null without flips or when float storage is not allowed).</summary>
    internal BitFlipOperator? SingleFlips => _singleFlips;

    private readonly struct DoubleBody(Chopper chopper) : IChunkBody<double>
    {
        public void Run(ReadOnlySpan<double> source, Span<double> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }

    private readonly struct SingleBody(Chopper chopper) : IChunkBody<float>
    {
        public void Run(ReadOnlySpan<float> source, Span<float> destination, long firstIndex) => chopper.RunSpan(source, destination, firstIndex);
    }
}
