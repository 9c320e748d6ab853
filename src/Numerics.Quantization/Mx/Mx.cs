// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>
/// OCP Microscaling (MX v1.0) block quantization: blocks of <see cref="BlockSize"/> values share one E8M0 scale
/// 2^(code − 127); each value is stored as one element code (FP8/FP6/FP4 or INT8).
/// </summary>
/// <remarks>
/// <para>Algorithm (FORMATS.md §2.6, the one <c>mx_block_goldens.csv</c> encodes): a block containing NaN or ±∞ gets
/// scale 0xFF (NaN) and element codes 0 (the spec leaves them unspecified; the block decodes to NaN). Otherwise
/// amax = the largest magnitude; amax = 0 gives scale 0x00 and signed-zero codes. <see cref="MxScaleRounding.Floor"/>:
/// shared exponent = clamp(floor(log2(amax)) − emax_elem, −127, 127), with floor(log2) from the float32 bits (never a
/// floating-point log). <see cref="MxScaleRounding.Ceil"/>: amax·(1/element max) in float32, rounded up to a power of two
/// and clamped to the same range. Elements: value / 2^shared exponent (exact) rounded to the element format by
/// <see cref="FloatFormat.Encode(double, RoundingMode, OverflowMode)"/> with <see cref="OverflowMode.SaturatingFinite"/>
/// (−0 keeps its sign code); MXINT8: clamp(round(value / 2^shared exponent · 64), −127, 127).</para>
/// <para>Codes are unpacked, one per byte: FP6/FP4 codes in the low bits, INT8 as a two's-complement byte. A partial last
/// block is quantized on its own values (the same as zero padding). Results are bit-identical on every instruction-set tier.</para>
/// <para>Speed: round-to-nearest-even quantization of whole blocks runs a vectorized bit-manipulation encoder per element type,
/// and decoding uses a per-type float32 table (vectorized for E2M1); both give exactly the bits of the general algorithm
/// above, which other rounding modes and the stochastic path use.</para>
/// </remarks>
public static partial class Mx
{
    /// <summary>Values per block (OCP MX v1.0: k = 32 for every concrete format).</summary>
    public const int BlockSize = 32;

    /// <summary>The E8M0 scale code of a block that contains NaN or ±∞ (decodes as NaN).</summary>
    public const byte NaNScale = 0xFF;

    private const int E8M0Bias = 127;
    private const int MaxSharedExponent = 127;
    private const int MinSharedExponent = -127;
    private const uint Float32MagnitudeMask = 0x7FFF_FFFF;
    private const uint Float32ExponentMask = 0x7F80_0000;
    private const uint Float32MantissaMask = 0x007F_FFFF;
    private const int Int8FractionBits = 6;
    private const int Int8MaxCode = 127;

    /// <summary>The element format of <paramref name="element"/> as a <see cref="FloatFormat"/>, or null for <see cref="MxElement.Int8"/>.</summary>
    /// <param name="element">The MX element type.</param>
    /// <returns>E4M3FN, E5M2, E3M2FN, E2M3FN, E2M1FN, or null for INT8.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="element"/> is undefined.</exception>
    public static FloatFormat? ElementFormat(MxElement element) => element switch
    {
        MxElement.E4M3 => FloatFormat.E4M3FN,
        MxElement.E5M2 => FloatFormat.E5M2,
        MxElement.E3M2 => FloatFormat.E3M2FN,
        MxElement.E2M3 => FloatFormat.E2M3FN,
        MxElement.E2M1 => FloatFormat.E2M1FN,
        MxElement.Int8 => null,
        _ => throw new ArgumentOutOfRangeException(nameof(element), element, "Unknown MX element type."),
    };

    /// <summary>The exponent of the element format's largest normal value (emax_elem): 8, 15, 4, 2, 2 and 0 for INT8.</summary>
    /// <param name="element">The MX element type.</param>
    /// <returns>emax_elem.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="element"/> is undefined.</exception>
    public static int ElementMaxExponent(MxElement element) => ElementFormat(element)?.MaxExponent ?? 0;

    /// <summary>The largest finite element value: 448, 57344, 28, 7.5, 6 and 127/64 for INT8.</summary>
    /// <param name="element">The MX element type.</param>
    /// <returns>The element maximum.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="element"/> is undefined.</exception>
    public static double ElementMax(MxElement element) => ElementFormat(element)?.MaxFinite ?? (Int8MaxCode / 64.0);

    /// <summary>Number of scale bytes for <paramref name="count"/> values: ceil(count / 32).</summary>
    /// <param name="count">Number of values.</param>
    /// <returns>The number of blocks.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static int ScaleCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return (count + BlockSize - 1) / BlockSize;
    }

    /// <summary>
    /// Quantizes <paramref name="source"/> to MX blocks: one E8M0 scale per 32 values and one unpacked element code per value
    /// (see the class remarks for the exact algorithm).
    /// </summary>
    /// <param name="element">The element format.</param>
    /// <param name="source">The values; any length (a partial last block is allowed).</param>
    /// <param name="scales">Receives <see cref="ScaleCount"/> E8M0 scale codes.</param>
    /// <param name="codes">Receives one element code per value (same length as <paramref name="source"/> or longer).</param>
    /// <param name="scaleRounding">How the shared scale is chosen.</param>
    /// <param name="elementRounding">How elements are rounded: any deterministic <see cref="RoundingMode"/> (ties to even by
    /// default; <see cref="RoundingMode.NearestAway"/> is microxcaling's default). Stochastic modes need
    /// <see cref="QuantizeStochastic"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An enum argument is undefined.</exception>
    /// <exception cref="ArgumentException"><paramref name="scales"/> or <paramref name="codes"/> is too short, an output
    /// overlaps the input or the other output, or <paramref name="elementRounding"/> is stochastic.</exception>
    public static void Quantize(
        MxElement element,
        ReadOnlySpan<float> source,
        Span<byte> scales,
        Span<byte> codes,
        MxScaleRounding scaleRounding = MxScaleRounding.Floor,
        RoundingMode elementRounding = RoundingMode.NearestEven)
    {
        ValidateQuantize(element, source, scales, codes, scaleRounding, elementRounding);
        if (elementRounding is RoundingMode.Stochastic or RoundingMode.StochasticUniform)
        {
            throw new ArgumentException("Stochastic element rounding needs a seed: use Mx.QuantizeStochastic.", nameof(elementRounding));
        }

        QuantizeCore(element, source, scales, codes, scaleRounding, elementRounding, seed: 0);
    }

    /// <summary>
    /// Quantizes like <see cref="Quantize"/> with stochastic element rounding: the random word of value i is
    /// <see cref="StochasticRounding.RandomBits(ulong, long)"/>(<paramref name="seed"/>, i), so a seed gives the same codes
    /// on every machine and tier.
    /// </summary>
    /// <param name="element">The element format.</param>
    /// <param name="source">The values.</param>
    /// <param name="scales">Receives <see cref="ScaleCount"/> E8M0 scale codes.</param>
    /// <param name="codes">Receives one element code per value.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="scaleRounding">How the shared scale is chosen.</param>
    /// <param name="elementRounding"><see cref="RoundingMode.Stochastic"/> (probability proportional to the distance) or
    /// <see cref="RoundingMode.StochasticUniform"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An enum argument is undefined.</exception>
    /// <exception cref="ArgumentException">An output is too short or overlaps, or <paramref name="elementRounding"/> is not stochastic.</exception>
    public static void QuantizeStochastic(
        MxElement element,
        ReadOnlySpan<float> source,
        Span<byte> scales,
        Span<byte> codes,
        ulong seed,
        MxScaleRounding scaleRounding = MxScaleRounding.Floor,
        RoundingMode elementRounding = RoundingMode.Stochastic)
    {
        ValidateQuantize(element, source, scales, codes, scaleRounding, elementRounding);
        if (elementRounding is not (RoundingMode.Stochastic or RoundingMode.StochasticUniform))
        {
            throw new ArgumentException("QuantizeStochastic needs a stochastic rounding mode.", nameof(elementRounding));
        }

        QuantizeCore(element, source, scales, codes, scaleRounding, elementRounding, seed);
    }

    /// <summary>
    /// Decodes MX blocks: value = 2^(scale − 127) · element value, computed exactly and rounded once to float32
    /// (only E5M2/E4M3 products beyond float32's range round to ±∞). Scale 0xFF gives NaN for the whole block.
    /// </summary>
    /// <param name="element">The element format.</param>
    /// <param name="scales">ceil(n / 32) E8M0 scale codes.</param>
    /// <param name="codes">n element codes, one per byte (FP6/FP4 codes in the low bits, INT8 two's complement).</param>
    /// <param name="destination">Receives n values (at least <paramref name="codes"/>.Length).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="element"/> is undefined.</exception>
    /// <exception cref="ArgumentException">Too few scales, a short destination, overlap, or a code with bits above the element
    /// width (the message names the index).</exception>
    public static void Dequantize(MxElement element, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination)
    {
        FloatFormat? format = ElementFormat(element);
        int n = codes.Length;
        if (scales.Length < ScaleCount(n))
        {
            throw new ArgumentException($"{n} codes need {ScaleCount(n)} scales; got {scales.Length}.", nameof(scales));
        }

        if (destination.Length < n)
        {
            throw new ArgumentException($"The destination needs {n} values; it has {destination.Length}.", nameof(destination));
        }

        Span<byte> destinationBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(destination[..n]);
        if (destinationBytes.Overlaps(codes) || destinationBytes.Overlaps(scales))
        {
            throw new ArgumentException("The destination overlaps an input.", nameof(destination));
        }

        int bits = format?.BitCount ?? 8;
        if (bits < 8)
        {
            int bad = codes.IndexOfAnyInRange((byte)(1 << bits), byte.MaxValue);
            if (bad >= 0)
            {
                throw new ArgumentException($"codes[{bad}] = 0x{codes[bad]:X2} does not fit in {bits} bits.", nameof(codes));
            }
        }

        DequantizeFast(element, scales, codes, destination);
    }

    /// <summary>The general decoder (double products rounded once), kept as the reference of <see cref="DequantizeFast"/>.</summary>
    internal static void DequantizeReference(MxElement element, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> codes, Span<float> destination)
    {
        FloatFormat? format = ElementFormat(element);
        int n = codes.Length;
        int bits = format?.BitCount ?? 8;
        Span<double> table = stackalloc double[256];
        for (int c = 0; c < (1 << bits); c++)
        {
            table[c] = format is null ? (sbyte)c / 64.0 : format.Decode((ulong)c);
        }

        for (int b = 0; b * BlockSize < n; b++)
        {
            int start = b * BlockSize;
            int end = Math.Min(n, start + BlockSize);
            byte scale = scales[b];
            if (scale == NaNScale)
            {
                destination[start..end].Fill(float.NaN);
                continue;
            }

            int shared = scale - E8M0Bias;
            for (int i = start; i < end; i++)
            {
                // Element values have at most 4 significant bits, so the product with a power of two is exact in double.
                destination[i] = (float)Math.ScaleB(table[codes[i]], shared);
            }
        }
    }

    /// <summary>
    /// floor(log2(x)) for a positive finite float32, from its bits: exponent field − 127 for normals, bit length of the
    /// fraction − 150 for subnormals (FORMATS.md §5 item 8: never from a floating-point log).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int FloorLog2(uint magnitudeBits)
    {
        int exponentField = (int)(magnitudeBits >> 23);
        return exponentField != 0
            ? exponentField - 127
            : (32 - System.Numerics.BitOperations.LeadingZeroCount(magnitudeBits & Float32MantissaMask)) - 150;
    }

    /// <summary>
    /// The E8M0 code of the shared scale for a block whose largest magnitude has float32 bits <paramref name="amaxBits"/>
    /// (finite, non-zero).
    /// </summary>
    internal static byte ScaleCode(uint amaxBits, MxScaleRounding scaleRounding, int emaxElem, float inverseElementMax)
    {
        int shared;
        if (scaleRounding == MxScaleRounding.Floor)
        {
            shared = FloorLog2(amaxBits) - emaxElem;
        }
        else
        {
            // RCEIL (torchao / PTX cvt.rp.ue8m0x2.f32): descale = amax * (1/max) in float32, rounded toward +inf to 2^k.
            float descale = BitConverter.UInt32BitsToSingle(amaxBits) * inverseElementMax;
            uint d = BitConverter.SingleToUInt32Bits(descale);
            int exponentField = (int)(d >> 23);
            uint mantissa = d & Float32MantissaMask;
            int code = exponentField == 0
                ? (mantissa > 0x0040_0000u ? 1 : 0)       // subnormal: above 2^-127 rounds up to 2^-126
                : exponentField + (mantissa != 0 ? 1 : 0);
            shared = code - E8M0Bias;
        }

        return (byte)(Math.Clamp(shared, MinSharedExponent, MaxSharedExponent) + E8M0Bias);
    }

    private static void ValidateQuantize(
        MxElement element, ReadOnlySpan<float> source, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding, RoundingMode elementRounding)
    {
        _ = ElementFormat(element);
        if ((uint)scaleRounding > (uint)MxScaleRounding.Ceil)
        {
            throw new ArgumentOutOfRangeException(nameof(scaleRounding), scaleRounding, "Unknown scale rounding.");
        }

        if ((uint)elementRounding > (uint)RoundingMode.StochasticUniform)
        {
            throw new ArgumentOutOfRangeException(nameof(elementRounding), elementRounding, "Unknown rounding mode.");
        }

        int blocks = ScaleCount(source.Length);
        if (scales.Length < blocks)
        {
            throw new ArgumentException($"{source.Length} values need {blocks} scales; the span has {scales.Length}.", nameof(scales));
        }

        if (codes.Length < source.Length)
        {
            throw new ArgumentException($"{source.Length} values need {source.Length} codes; the span has {codes.Length}.", nameof(codes));
        }

        ReadOnlySpan<byte> sourceBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(source);
        if (sourceBytes.Overlaps(scales[..blocks]) || sourceBytes.Overlaps(codes[..source.Length]))
        {
            throw new ArgumentException("An output overlaps the source.", scales[..blocks].Overlaps(codes[..source.Length]) ? nameof(codes) : sourceBytes.Overlaps(scales[..blocks]) ? nameof(scales) : nameof(codes));
        }

        if (scales[..blocks].Overlaps(codes[..source.Length]))
        {
            throw new ArgumentException("The codes overlap the scales.", nameof(codes));
        }
    }

    private static void QuantizeCore(
        MxElement element, ReadOnlySpan<float> source, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding, RoundingMode rounding, ulong seed)
    {
        int done = rounding == RoundingMode.NearestEven ? QuantizeNearestEvenFast(element, source, scales, codes, scaleRounding) : 0;
        QuantizeReference(element, source, scales, codes, scaleRounding, rounding, seed, done / BlockSize);
    }

    /// <summary>
    /// The general quantizer (every element through <see cref="FloatFormat.Encode(double, RoundingMode, OverflowMode, ulong)"/>)
    /// from block <paramref name="firstBlock"/> on: the reference of the fast paths and the path of every other rounding mode.
    /// </summary>
    internal static void QuantizeReference(
        MxElement element, ReadOnlySpan<float> source, Span<byte> scales, Span<byte> codes, MxScaleRounding scaleRounding, RoundingMode rounding, ulong seed, int firstBlock = 0)
    {
        FloatFormat? format = ElementFormat(element);
        int emax = ElementMaxExponent(element);
        float inverseMax = 1.0f / (float)ElementMax(element);
        for (int b = firstBlock; b * BlockSize < source.Length; b++)
        {
            int start = b * BlockSize;
            ReadOnlySpan<float> block = source.Slice(start, Math.Min(BlockSize, source.Length - start));
            Span<byte> blockCodes = codes.Slice(start, block.Length);

            // amax over the magnitude bits: a NaN or Inf (exponent all ones) anywhere makes the block NaN.
            uint amaxBits = 0;
            foreach (float v in block)
            {
                amaxBits = Math.Max(amaxBits, BitConverter.SingleToUInt32Bits(v) & Float32MagnitudeMask);
            }

            if (amaxBits >= Float32ExponentMask)
            {
                scales[b] = NaNScale;
                blockCodes.Clear();
                continue;
            }

            byte scale = amaxBits == 0 ? (byte)0 : ScaleCode(amaxBits, scaleRounding, emax, inverseMax);
            scales[b] = scale;
            int shared = scale - E8M0Bias;
            for (int i = 0; i < block.Length; i++)
            {
                // Dividing by a power of two is exact in double for every float32 input and shared exponent in [-127, 127].
                double scaled = Math.ScaleB((double)block[i], -shared);
                ulong random = StochasticRounding.RandomBits(seed, start + i);
                blockCodes[i] = format is null
                    ? EncodeInt8(scaled, rounding, random)
                    : (byte)format.Encode(scaled, rounding, OverflowMode.SaturatingFinite, random);
            }
        }
    }

    /// <summary>MXINT8 element: clamp(round(v · 64), −127, 127) as a two's-complement byte (−0 gives 0).</summary>
    private static byte EncodeInt8(double scaled, RoundingMode rounding, ulong random)
    {
        double q = IntegerRounding.Round(Math.ScaleB(scaled, Int8FractionBits), rounding, random);
        return (byte)(sbyte)Math.Clamp(q, -Int8MaxCode, Int8MaxCode);
    }
}
