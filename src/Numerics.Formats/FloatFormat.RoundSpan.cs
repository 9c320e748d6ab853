// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using Numerics.Formats.Rounding;

[module: SkipLocalsInit]

namespace Numerics.Formats;

public sealed partial class FloatFormat
{
    // RS0026/RS0027: the span overloads sit beside the scalar Round(double, ...) overloads with the same optional parameters; this
    // is the API contract the other packages build on (value type selects the overload, as in TensorPrimitives).
#pragma warning disable RS0026, RS0027
    /// <summary>Rounds every element of <paramref name="source"/> to this format and writes the results as binary32 values.</summary>
    /// <param name="source">The values to round.</param>
    /// <param name="destination">The results; the same length as <paramref name="source"/>. It may be the same span (in place).</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when a rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="seed">
    /// The seed of the stochastic modes: element i uses the random word <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, i),
    /// so the result does not depend on the instruction-set tier or on how the work is split. Deterministic modes ignore it.
    /// </param>
    /// <remarks>
    /// Element i becomes <c>(float)Round((double)source[i], rounding, overflow, RandomBits(seed, i))</c>: one rounding of the exact
    /// input, then a conversion to binary32 that is exact for every format no wider than binary32 (for wider formats it rounds to
    /// nearest even). The results are bit-identical on every instruction-set tier. Vectorized (Vector128/256/512) in every mode,
    /// the stochastic ones included, for signed formats with a zero and 1..51 fraction bits; other formats (E8M0, binary64) run a
    /// scalar loop. Equivalent to <see cref="Round(ReadOnlySpan{float}, Span{float}, RoundingMode, OverflowMode, ulong, long)"/>
    /// with a first index of 0.
    /// </remarks>
    /// <exception cref="ArgumentException">The lengths differ, or the spans overlap without being the same span.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public void Round(
        ReadOnlySpan<float> source, Span<float> destination, RoundingMode rounding = RoundingMode.NearestEven, OverflowMode overflow = OverflowMode.NonSaturating, ulong seed = 0) =>
        Round(source, destination, rounding, overflow, seed, 0);

    /// <summary>
    /// Rounds every element of <paramref name="source"/> to this format, as elements <paramref name="firstIndex"/>,
    /// <paramref name="firstIndex"/> + 1, … of a larger array: element i uses the random word
    /// <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, firstIndex + i). A caller that splits an array into chunks
    /// (for example over threads) and passes each chunk's offset gets the same bits as one call over the whole array.
    /// </summary>
    /// <param name="source">The values to round.</param>
    /// <param name="destination">The results; the same length as <paramref name="source"/>. It may be the same span (in place).</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when a rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="seed">The seed of the stochastic modes. Deterministic modes ignore it.</param>
    /// <param name="firstIndex">The index of <paramref name="source"/>[0] in the caller's array (any value; indices wrap modulo 2^64).</param>
    /// <remarks>See <see cref="Round(ReadOnlySpan{float}, Span{float}, RoundingMode, OverflowMode, ulong)"/>.</remarks>
    /// <exception cref="ArgumentException">The lengths differ, or the spans overlap without being the same span.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public void Round(ReadOnlySpan<float> source, Span<float> destination, RoundingMode rounding, OverflowMode overflow, ulong seed, long firstIndex)
    {
        ValidateSpans(source, destination);
        ValidateModes(rounding, overflow);
        if (rounding == RoundingMode.NearestEven && FastRneRoundOperator.Supports(this))
        {
            UnaryDriver.Run(source, destination, new FastRneRoundOperator(this, overflow));
            return;
        }

        if (rounding < RoundingMode.Stochastic && FloatRoundOperator<NearestEvenSelector>.Supports(this))
        {
            switch (rounding)
            {
                case RoundingMode.NearestEven: UnaryDriver.Run(source, destination, new FloatRoundOperator<NearestEvenSelector>(this, overflow)); break;
                case RoundingMode.NearestAway: UnaryDriver.Run(source, destination, new FloatRoundOperator<NearestAwaySelector>(this, overflow)); break;
                case RoundingMode.NearestTowardZero: UnaryDriver.Run(source, destination, new FloatRoundOperator<NearestTowardZeroSelector>(this, overflow)); break;
                case RoundingMode.TowardZero: UnaryDriver.Run(source, destination, new FloatRoundOperator<TowardZeroSelector>(this, overflow)); break;
                case RoundingMode.TowardPositive: UnaryDriver.Run(source, destination, new FloatRoundOperator<TowardPositiveSelector>(this, overflow)); break;
                case RoundingMode.TowardNegative: UnaryDriver.Run(source, destination, new FloatRoundOperator<TowardNegativeSelector>(this, overflow)); break;
                default: UnaryDriver.Run(source, destination, new FloatRoundOperator<ToOddSelector>(this, overflow)); break;
            }

            return;
        }

        if (rounding >= RoundingMode.Stochastic && NarrowStochasticOperator<StochasticRule>.Supports(this))
        {
            ulong streamKey = StochasticRounding.StreamKey(seed);
            if (rounding == RoundingMode.Stochastic)
            {
                WideDriver.RunStochastic(
                    source, destination, new WideRoundOperator<StochasticRule>(this, overflow), new NarrowStochasticOperator<StochasticRule>(this, overflow), streamKey, firstIndex);
            }
            else
            {
                WideDriver.RunStochastic(
                    source, destination, new WideRoundOperator<StochasticUniformRule>(this, overflow), new NarrowStochasticOperator<StochasticUniformRule>(this, overflow), streamKey, firstIndex);
            }

            return;
        }

        if (WideRoundOperator<StochasticRule>.Supports(this))
        {
            ulong key = StochasticRounding.StreamKey(seed);
            switch (rounding)
            {
                case RoundingMode.NearestEven: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<NearestEvenSelector>>(this, overflow), key, firstIndex); break;
                case RoundingMode.NearestAway: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<NearestAwaySelector>>(this, overflow), key, firstIndex); break;
                case RoundingMode.NearestTowardZero: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<NearestTowardZeroSelector>>(this, overflow), key, firstIndex); break;
                case RoundingMode.TowardZero: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<TowardZeroSelector>>(this, overflow), key, firstIndex); break;
                case RoundingMode.TowardPositive: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<TowardPositiveSelector>>(this, overflow), key, firstIndex); break;
                case RoundingMode.TowardNegative: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<TowardNegativeSelector>>(this, overflow), key, firstIndex); break;
                case RoundingMode.ToOdd: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<ToOddSelector>>(this, overflow), key, firstIndex); break;
                case RoundingMode.Stochastic: WideDriver.Run(source, destination, new WideRoundOperator<StochasticRule>(this, overflow), key, firstIndex); break;
                default: WideDriver.Run(source, destination, new WideRoundOperator<StochasticUniformRule>(this, overflow), key, firstIndex); break;
            }

            return;
        }

        RoundScalar(source, destination, rounding, overflow, seed, firstIndex);
    }

    /// <summary>Rounds every element of <paramref name="source"/> to this format.</summary>
    /// <param name="source">The values to round.</param>
    /// <param name="destination">The results; the same length as <paramref name="source"/>. It may be the same span (in place).</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when a rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="seed">The seed of the stochastic modes: element i uses <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, i).</param>
    /// <remarks>
    /// Element i becomes <c>Round(source[i], rounding, overflow, RandomBits(seed, i))</c>, bit-identical on every instruction-set tier.
    /// Vectorized (Vector128/256/512) in every mode for signed formats with a zero and 1..51 fraction bits; other formats run a
    /// scalar loop. Equivalent to <see cref="Round(ReadOnlySpan{double}, Span{double}, RoundingMode, OverflowMode, ulong, long)"/>
    /// with a first index of 0.
    /// </remarks>
    /// <exception cref="ArgumentException">The lengths differ, or the spans overlap without being the same span.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public void Round(
        ReadOnlySpan<double> source, Span<double> destination, RoundingMode rounding = RoundingMode.NearestEven, OverflowMode overflow = OverflowMode.NonSaturating, ulong seed = 0) =>
        Round(source, destination, rounding, overflow, seed, 0);

    /// <summary>
    /// Rounds every element of <paramref name="source"/> to this format, as elements <paramref name="firstIndex"/>,
    /// <paramref name="firstIndex"/> + 1, … of a larger array: element i uses the random word
    /// <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, firstIndex + i), so chunked calls give the bits of one call.
    /// </summary>
    /// <param name="source">The values to round.</param>
    /// <param name="destination">The results; the same length as <paramref name="source"/>. It may be the same span (in place).</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when a rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="seed">The seed of the stochastic modes. Deterministic modes ignore it.</param>
    /// <param name="firstIndex">The index of <paramref name="source"/>[0] in the caller's array (any value; indices wrap modulo 2^64).</param>
    /// <remarks>See <see cref="Round(ReadOnlySpan{double}, Span{double}, RoundingMode, OverflowMode, ulong)"/>.</remarks>
    /// <exception cref="ArgumentException">The lengths differ, or the spans overlap without being the same span.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public void Round(ReadOnlySpan<double> source, Span<double> destination, RoundingMode rounding, OverflowMode overflow, ulong seed, long firstIndex)
    {
        ValidateSpans(source, destination);
        ValidateModes(rounding, overflow);
        ulong key = StochasticRounding.StreamKey(seed);
        if (!WideRoundOperator<StochasticRule>.Supports(this))
        {
            for (int i = 0; i < source.Length; i++)
            {
                destination[i] = RoundCore(source[i], rounding, overflow, StreamWord(rounding, key, firstIndex + i));
            }

            return;
        }

        switch (rounding)
        {
            case RoundingMode.NearestEven: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<NearestEvenSelector>>(this, overflow), key, firstIndex); break;
            case RoundingMode.NearestAway: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<NearestAwaySelector>>(this, overflow), key, firstIndex); break;
            case RoundingMode.NearestTowardZero: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<NearestTowardZeroSelector>>(this, overflow), key, firstIndex); break;
            case RoundingMode.TowardZero: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<TowardZeroSelector>>(this, overflow), key, firstIndex); break;
            case RoundingMode.TowardPositive: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<TowardPositiveSelector>>(this, overflow), key, firstIndex); break;
            case RoundingMode.TowardNegative: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<TowardNegativeSelector>>(this, overflow), key, firstIndex); break;
            case RoundingMode.ToOdd: WideDriver.Run(source, destination, new WideRoundOperator<DeterministicRule<ToOddSelector>>(this, overflow), key, firstIndex); break;
            case RoundingMode.Stochastic: WideDriver.Run(source, destination, new WideRoundOperator<StochasticRule>(this, overflow), key, firstIndex); break;
            default: WideDriver.Run(source, destination, new WideRoundOperator<StochasticUniformRule>(this, overflow), key, firstIndex); break;
        }
    }

#pragma warning restore RS0026, RS0027

    /// <summary>The scalar span path: the reference for every width, and the path of formats no kernel supports.</summary>
    internal void RoundScalar(ReadOnlySpan<float> source, Span<float> destination, RoundingMode rounding, OverflowMode overflow, ulong seed, long firstIndex = 0)
    {
        ulong key = StochasticRounding.StreamKey(seed);
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)RoundCore(source[i], rounding, overflow, StreamWord(rounding, key, firstIndex + i));
        }
    }

    /// <summary>RandomBits(seed, i) from the hoisted stream key; 0 for deterministic modes (which ignore it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong StreamWord(RoundingMode rounding, ulong key, long index) =>
        rounding >= RoundingMode.Stochastic ? StochasticRounding.RandomBitsFromKey(key, index) : 0;

    internal static void ValidateSpans<T>(ReadOnlySpan<T> source, Span<T> destination)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The destination has {destination.Length} elements; the source has {source.Length}."),
                nameof(destination));
        }

        if (source.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException("The destination overlaps the source without being the same span.", nameof(destination));
        }
    }
}
