// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Numerics.Formats.Rounding;

namespace Numerics.Formats;

public sealed partial class FloatFormat
{
    private float[]? _decodeTable;
    private DecodePlan? _decodePlan;

    /// <summary>The round-to-nearest-even encoders, one per <see cref="OverflowMode"/>, built on first use (boxed so that publishing
    /// one is a single reference write).</summary>
    private readonly StrongBox<RneEncodeOperator>?[] _rneEncoders = new StrongBox<RneEncodeOperator>?[3];

    private enum DecodeKind
    {
        Table,
        Arithmetic,
        BFloat16,
        E8M0,
    }

    // RS0026: Encode/Decode span overloads next to the scalar Encode(double, ...) overloads (element type selects the overload).
#pragma warning disable RS0026

    /// <summary>Rounds every element of <paramref name="source"/> to this format and writes its code, one code per byte (in the low bits).</summary>
    /// <param name="source">The values to encode.</param>
    /// <param name="destination">The codes; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when a rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="seed">The seed of the stochastic modes: element i uses <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, i).</param>
    /// <remarks>
    /// Element i becomes <c>(byte)Encode(source[i], rounding, overflow, RandomBits(seed, i))</c>, bit-identical on every
    /// instruction-set tier. FP6 and FP4 codes are unpacked (one per byte; see <see cref="EncodePacked"/> for packed storage).
    /// Vectorized in every mode (the stochastic ones round with the vector kernels, then encode) for binary16-range and 8/6/4-bit
    /// formats except E8M0; otherwise a scalar loop.
    /// </remarks>
    /// <exception cref="ArgumentException">The format needs more than 8 bits, the lengths differ, or the spans overlap.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public void Encode(
        ReadOnlySpan<float> source, Span<byte> destination, RoundingMode rounding = RoundingMode.NearestEven, OverflowMode overflow = OverflowMode.NonSaturating, ulong seed = 0) =>
        EncodeSpan(source, destination, rounding, overflow, seed, 8);

    /// <summary>Rounds every element of <paramref name="source"/> to this format and writes its code, one code per <see cref="ushort"/>.</summary>
    /// <param name="source">The values to encode.</param>
    /// <param name="destination">The codes; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when a rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="seed">The seed of the stochastic modes: element i uses <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, i).</param>
    /// <remarks>
    /// Element i becomes <c>(ushort)Encode(source[i], rounding, overflow, RandomBits(seed, i))</c>, bit-identical on every
    /// instruction-set tier (for example <see cref="BFloat16"/> and <see cref="Binary16"/> bit patterns). Vectorized in every
    /// mode for the formats the vector encoders support; otherwise a scalar loop.
    /// </remarks>
    /// <exception cref="ArgumentException">The format needs more than 16 bits, the lengths differ, or the spans overlap.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public void Encode(
        ReadOnlySpan<float> source, Span<ushort> destination, RoundingMode rounding = RoundingMode.NearestEven, OverflowMode overflow = OverflowMode.NonSaturating, ulong seed = 0) =>
        EncodeSpan(source, destination, rounding, overflow, seed, 16);

    /// <summary>
    /// Encodes like <see cref="Encode(ReadOnlySpan{float}, Span{byte}, RoundingMode, OverflowMode, ulong)"/>, as elements
    /// <paramref name="firstIndex"/>, <paramref name="firstIndex"/> + 1, … of a larger array: element i uses the random word
    /// <see cref="StochasticRounding.RandomBits(ulong, long)"/>(seed, firstIndex + i), so chunked calls give the codes of one call.
    /// </summary>
    /// <param name="source">The values to encode.</param>
    /// <param name="destination">The codes, one per byte; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when a rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="seed">The seed of the stochastic modes. Deterministic modes ignore it.</param>
    /// <param name="firstIndex">The index of <paramref name="source"/>[0] in the caller's array.</param>
    /// <exception cref="ArgumentException">The format needs more than 8 bits, the lengths differ, or the spans overlap.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public void Encode(ReadOnlySpan<float> source, Span<byte> destination, RoundingMode rounding, OverflowMode overflow, ulong seed, long firstIndex) =>
        EncodeSpan(source, destination, rounding, overflow, seed, 8, firstIndex);

    /// <summary>
    /// Encodes like <see cref="Encode(ReadOnlySpan{float}, Span{ushort}, RoundingMode, OverflowMode, ulong)"/>, as elements
    /// <paramref name="firstIndex"/>, <paramref name="firstIndex"/> + 1, … of a larger array (element i uses RandomBits(seed, firstIndex + i)).
    /// </summary>
    /// <param name="source">The values to encode.</param>
    /// <param name="destination">The codes, one per <see cref="ushort"/>; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <param name="rounding">The rounding mode.</param>
    /// <param name="overflow">What happens when a rounded magnitude exceeds <see cref="MaxFinite"/>.</param>
    /// <param name="seed">The seed of the stochastic modes. Deterministic modes ignore it.</param>
    /// <param name="firstIndex">The index of <paramref name="source"/>[0] in the caller's array.</param>
    /// <exception cref="ArgumentException">The format needs more than 16 bits, the lengths differ, or the spans overlap.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounding"/> or <paramref name="overflow"/> is not a defined value.</exception>
    public void Encode(ReadOnlySpan<float> source, Span<ushort> destination, RoundingMode rounding, OverflowMode overflow, ulong seed, long firstIndex) =>
        EncodeSpan(source, destination, rounding, overflow, seed, 16, firstIndex);

#pragma warning restore RS0026

    /// <summary>
    /// Decodes one code per byte (in the low bits) to binary32 values: <c>(float)Decode(code)</c>, exact for every format whose
    /// values are binary32 values (every preset); a custom format's values outside binary32's range or precision are rounded to
    /// nearest even (for example to ±∞ or ±0).
    /// </summary>
    /// <param name="source">The codes.</param>
    /// <param name="destination">The values; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <exception cref="ArgumentException">
    /// The format needs more than 8 bits, the lengths differ, the spans overlap, or a code does not fit in <see cref="BitCount"/> bits.
    /// </exception>
    public void Decode(ReadOnlySpan<byte> source, Span<float> destination) => DecodeSpan(source, destination, 8);

    /// <summary>
    /// Decodes one code per <see cref="ushort"/> to binary32 values: <c>(float)Decode(code)</c>, exact for every format whose
    /// values are binary32 values (every preset of at most 16 bits); a custom format's values outside binary32's range or precision
    /// are rounded to nearest even (for example <c>Create(3, -200, 200)</c>, 12 bits, decodes 2^-200 to 0).
    /// </summary>
    /// <param name="source">The codes.</param>
    /// <param name="destination">The values; the same length as <paramref name="source"/>, not overlapping it.</param>
    /// <exception cref="ArgumentException">
    /// The format needs more than 16 bits, the lengths differ, the spans overlap, or a code does not fit in <see cref="BitCount"/> bits.
    /// </exception>
    public void Decode(ReadOnlySpan<ushort> source, Span<float> destination) => DecodeSpan(source, destination, 16);

    private void EncodeSpan<TCode>(ReadOnlySpan<float> source, Span<TCode> destination, RoundingMode rounding, OverflowMode overflow, ulong seed, int codeBits, long firstIndex = 0)
        where TCode : unmanaged
    {
        ValidateCodeSpans(MemoryMarshal.AsBytes(source), MemoryMarshal.AsBytes(destination), source.Length, destination.Length, codeBits);
        ValidateModes(rounding, overflow);
        if (rounding >= RoundingMode.Stochastic && WideRoundOperator<StochasticRule>.Supports(this) && FloatEncodeOperator<NearestEvenSelector>.Supports(this))
        {
            // Round stochastically (vectorized, keyed by the element index), then encode the rounded values, which are values of
            // the format (or ±inf/NaN as Round returns them): RNE encoding of those is exact and gives Encode's code.
            const int Chunk = 512;
            Span<float> rounded = stackalloc float[Chunk];
            for (int offset = 0; offset < source.Length; offset += Chunk)
            {
                int length = Math.Min(Chunk, source.Length - offset);
                Round(source.Slice(offset, length), rounded[..length], rounding, overflow, seed, firstIndex + offset);
                EncodeDeterministic(rounded[..length], destination.Slice(offset, length), RoundingMode.NearestEven, overflow);
            }

            return;
        }

        if (rounding >= RoundingMode.Stochastic || !FloatEncodeOperator<NearestEvenSelector>.Supports(this))
        {
            ulong key = StochasticRounding.StreamKey(seed);
            for (int i = 0; i < source.Length; i++)
            {
                ulong code = Encode(source[i], rounding, overflow, StreamWord(rounding, key, firstIndex + i));
                destination[i] = codeBits == 8 ? (TCode)(object)(byte)code : (TCode)(object)(ushort)code;
            }

            return;
        }

        EncodeDeterministic(source, destination, rounding, overflow);
    }

    /// <summary>The vector encoders of the deterministic modes (the caller checked the format and the spans).</summary>
    private void EncodeDeterministic<TCode>(ReadOnlySpan<float> source, Span<TCode> destination, RoundingMode rounding, OverflowMode overflow)
        where TCode : unmanaged
    {
        if (rounding == RoundingMode.NearestEven && overflow == OverflowMode.NonSaturating)
        {
            // The ml_dtypes default cast of the hot formats: dedicated kernels (Rounding/FastEncodeOperators.cs), without their
            // rare-lane branch where the driver streams (Rounding/RareLanePolicy.cs).
            if (Equals(Binary16))
            {
                if (EncodeDriver.Streams<TCode>(source.Length))
                {
                    EncodeDriver.Run(source, destination, default(Binary16RneEncodeOperator<SelectRareLanes>));
                }
                else
                {
                    EncodeDriver.Run(source, destination, default(Binary16RneEncodeOperator<BranchOnRareLanes>));
                }

                return;
            }

            if (Equals(BFloat16))
            {
                EncodeDriver.Run(source, destination, default(BFloat16RneEncodeOperator));
                return;
            }

            if (Equals(E4M3FN))
            {
                if (EncodeDriver.Streams<TCode>(source.Length, EncodeDriver.E4M3FNNonTemporalMinLength))
                {
                    EncodeDriver.Run(source, destination, default(E4M3FNRneEncodeOperator<SelectRareLanes>), EncodeDriver.E4M3FNNonTemporalMinLength);
                }
                else
                {
                    EncodeDriver.Run(source, destination, default(E4M3FNRneEncodeOperator<BranchOnRareLanes>));
                }

                return;
            }
        }

        if (rounding == RoundingMode.NearestEven && RneEncodeOperator.Supports(this))
        {
            // Every other format with subnormals inside binary32's range: the same kernel with constants from the format.
            StrongBox<RneEncodeOperator> box = _rneEncoders[(int)overflow] ??= new StrongBox<RneEncodeOperator>(new RneEncodeOperator(this, overflow));
            EncodeDriver.Run(source, destination, box.Value);
            return;
        }

        if (ShiftEncodeOperator<NearestEvenSelector>.Supports(this))
        {
            // The other deterministic modes on the same formats: the code computed on the binary32 bit pattern.
            switch (rounding)
            {
                case RoundingMode.NearestAway: EncodeDriver.Run(source, destination, new ShiftEncodeOperator<NearestAwaySelector>(this, overflow)); return;
                case RoundingMode.NearestTowardZero: EncodeDriver.Run(source, destination, new ShiftEncodeOperator<NearestTowardZeroSelector>(this, overflow)); return;
                case RoundingMode.TowardZero: EncodeDriver.Run(source, destination, new ShiftEncodeOperator<TowardZeroSelector>(this, overflow)); return;
                case RoundingMode.TowardPositive: EncodeDriver.Run(source, destination, new ShiftEncodeOperator<TowardPositiveSelector>(this, overflow)); return;
                case RoundingMode.TowardNegative: EncodeDriver.Run(source, destination, new ShiftEncodeOperator<TowardNegativeSelector>(this, overflow)); return;
                case RoundingMode.ToOdd: EncodeDriver.Run(source, destination, new ShiftEncodeOperator<ToOddSelector>(this, overflow)); return;
                default: break; // NearestEven: only formats outside RneEncodeOperator's reach get here (none today)
            }
        }

        switch (rounding)
        {
            case RoundingMode.NearestEven: EncodeDriver.Run(source, destination, new FloatEncodeOperator<NearestEvenSelector>(this, overflow)); break;
            case RoundingMode.NearestAway: EncodeDriver.Run(source, destination, new FloatEncodeOperator<NearestAwaySelector>(this, overflow)); break;
            case RoundingMode.NearestTowardZero: EncodeDriver.Run(source, destination, new FloatEncodeOperator<NearestTowardZeroSelector>(this, overflow)); break;
            case RoundingMode.TowardZero: EncodeDriver.Run(source, destination, new FloatEncodeOperator<TowardZeroSelector>(this, overflow)); break;
            case RoundingMode.TowardPositive: EncodeDriver.Run(source, destination, new FloatEncodeOperator<TowardPositiveSelector>(this, overflow)); break;
            case RoundingMode.TowardNegative: EncodeDriver.Run(source, destination, new FloatEncodeOperator<TowardNegativeSelector>(this, overflow)); break;
            default: EncodeDriver.Run(source, destination, new FloatEncodeOperator<ToOddSelector>(this, overflow)); break;
        }
    }

    private void DecodeSpan<TCode>(ReadOnlySpan<TCode> source, Span<float> destination, int codeBits)
        where TCode : unmanaged
    {
        ValidateCodeSpans(MemoryMarshal.AsBytes(source), MemoryMarshal.AsBytes(destination), source.Length, destination.Length, codeBits);
        DecodePlan plan = _decodePlan ?? BuildDecodePlan();
        if (plan.Kind == DecodeKind.Table)
        {
            DecodeWithTable(source, destination, codeBits);
            return;
        }

        // The vector kernels (Rounding/DecodeKernels.cs) reproduce the table for every code of the format; codes wider than the
        // format are rejected first, as the table loop rejects them.
        if (BitCount < codeBits)
        {
            int bad = codeBits == 8
                ? MemoryMarshal.Cast<TCode, byte>(source).IndexOfAnyInRange((byte)(1 << BitCount), byte.MaxValue)
                : MemoryMarshal.Cast<TCode, ushort>(source).IndexOfAnyInRange((ushort)(1 << BitCount), ushort.MaxValue);
            if (bad >= 0)
            {
                DecodeWithTable(source, destination, codeBits); // throws, naming the first bad code
                return;
            }
        }

        switch (plan.Kind)
        {
            case DecodeKind.BFloat16: Run(source, destination, codeBits, default(BFloat16DecodeOperator)); break;
            case DecodeKind.E8M0: Run(source, destination, codeBits, new E8M0DecodeOperator(plan.NaNBits)); break;
            default: Run(source, destination, codeBits, plan.Operator); break;
        }

        static void Run<TOp>(ReadOnlySpan<TCode> source, Span<float> destination, int codeBits, in TOp op)
            where TOp : struct, ICodeDecodeOperator
        {
            if (codeBits == 8)
            {
                DecodeDriver.Run(MemoryMarshal.Cast<TCode, byte>(source), destination, op);
            }
            else
            {
                DecodeDriver.Run(MemoryMarshal.Cast<TCode, ushort>(source), destination, op);
            }
        }
    }

    /// <summary>The scalar reference: one table load per code.</summary>
    private void DecodeWithTable<TCode>(ReadOnlySpan<TCode> source, Span<float> destination, int codeBits)
        where TCode : unmanaged
    {
        float[] table = _decodeTable ?? BuildDecodeTable();
        for (int i = 0; i < source.Length; i++)
        {
            int code = codeBits == 8 ? (byte)(object)source[i] : (ushort)(object)source[i];
            if ((uint)code >= (uint)table.Length)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Code 0x{code:X} at index {i} does not fit in the format's {BitCount} bits."), nameof(source));
            }

            destination[i] = table[code];
        }
    }

    /// <summary>Gets the vector decode operator of this format, when its formula reproduces the decode table for every code (for tests).</summary>
    internal bool TryGetDecodeOperator(out CodeDecodeOperator op, out bool bfloat16, out E8M0DecodeOperator? e8m0)
    {
        DecodePlan plan = _decodePlan ?? BuildDecodePlan();
        op = plan.Operator;
        bfloat16 = plan.Kind == DecodeKind.BFloat16;
        e8m0 = plan.Kind == DecodeKind.E8M0 ? new E8M0DecodeOperator(plan.NaNBits) : null;
        return plan.Kind != DecodeKind.Table;
    }

    private DecodePlan BuildDecodePlan()
    {
        var plan = new DecodePlan(DecodeKind.Table, default, 0);
        if (BitCount <= 16)
        {
            float[] table = _decodeTable ?? BuildDecodeTable();
            if (BitCount == 16 && MatchesTable(default(BFloat16DecodeOperator), table))
            {
                plan = new DecodePlan(DecodeKind.BFloat16, default, 0);
            }
            else if (BitCount == 8 && !IsSigned && MatchesTable(new E8M0DecodeOperator(BitConverter.SingleToUInt32Bits(table[0xFF])), table))
            {
                plan = new DecodePlan(DecodeKind.E8M0, default, BitConverter.SingleToUInt32Bits(table[0xFF]));
            }
            else if (IsSigned && CodeDecodeOperator.TryCreate(BitCount, MantissaBits, table, out CodeDecodeOperator op))
            {
                plan = new DecodePlan(DecodeKind.Arithmetic, op, 0);
            }
        }

        _decodePlan = plan; // benign race: every thread builds the same plan
        return plan;

        static bool MatchesTable<TOp>(TOp op, float[] table)
            where TOp : struct, ICodeDecodeOperator
        {
            for (int c = 0; c < table.Length; c++)
            {
                if (BitConverter.SingleToUInt32Bits(op.Invoke((uint)c)) != BitConverter.SingleToUInt32Bits(table[c]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private float[] BuildDecodeTable()
    {
        var table = new float[1 << BitCount];
        for (int c = 0; c < table.Length; c++)
        {
            table[c] = (float)DecodeCore((ulong)c);
        }

        _decodeTable = table; // benign race: every thread builds the same table
        return table;
    }

    private void ValidateCodeSpans(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, int sourceLength, int destinationLength, int codeBits)
    {
        if (BitCount > codeBits)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The codes of {Name} need {BitCount} bits; use a wider code span."), nameof(destination));
        }

        if (sourceLength != destinationLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The destination has {destinationLength} elements; the source has {sourceLength}."), nameof(destination));
        }

        if (source.Overlaps(destination))
        {
            throw new ArgumentException("The destination overlaps the source.", nameof(destination));
        }
    }

    /// <summary>How the span decoders of this format run: the table loop, or a vector operator that reproduces the table.</summary>
    private sealed record DecodePlan(DecodeKind Kind, CodeDecodeOperator Operator, uint NaNBits);
}
