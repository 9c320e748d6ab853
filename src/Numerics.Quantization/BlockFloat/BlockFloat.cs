// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;
using Numerics.Formats;

namespace Numerics.Quantization;

/// <summary>
/// Generic block floating point (BFP): blocks of <c>blockSize</c> consecutive values share one exponent; each value keeps a
/// sign-magnitude integer mantissa of <c>mantissaBits</c> magnitude bits (BFP12 of d-Matrix = 4-bit sign-magnitude mantissas
/// with an 8-bit shared exponent = <c>mantissaBits: 3</c>; BFP16 = <c>mantissaBits: 7</c>). See docs/block-floating-point.md.
/// </summary>
/// <remarks>
/// <para>Shared exponent: E = floor(log2(max |x|)) over the block, from the float32 bits (exact; never a floating-point log),
/// clamped to [−127, 127] (only blocks whose largest magnitude is below 2^−127 are affected; they keep E = −127). It is stored as
/// a byte E + 127. An all-zero block stores 0. A block containing NaN or ±∞ stores <see cref="NaNExponent"/> and mantissas 0 and
/// decodes to NaN (the MX convention).</para>
/// <para>Mantissas: with quantum q = 2^(E − mantissaBits + 1), M = round(x / q) (x / q is exact), clamped to
/// ±(2^mantissaBits − 1), stored as a two's-complement <see cref="sbyte"/> (so −0 becomes 0). The largest element of a block lies in
/// [2^E, 2^(E+1)), i.e. x / q in [2^(m−1), 2^m): the top binade of the mantissa, so no value overflows before rounding. Rounding can
/// carry it to 2^m ("overflow when rounding carries"); this implementation then saturates to 2^m − 1 instead of raising the
/// shared exponent (which would requantize the whole block one binade coarser). Decoding is exact: x̂ = M · q.</para>
/// <para>Error per block: |x − x̂| ≤ q / 2 for round-to-nearest modes unless the value saturated, and &lt; q in every mode (a
/// saturated value is within q of 2^m · q &gt; |x|).</para>
/// </remarks>
public static class BlockFloat
{
    /// <summary>The stored exponent of a block that contains NaN or ±∞ (decodes as NaN).</summary>
    public const byte NaNExponent = 0xFF;

    /// <summary>The largest supported number of mantissa magnitude bits (mantissas are stored as <see cref="sbyte"/>).</summary>
    public const int MaxMantissaBits = 7;

    private const int ExponentBias = 127;
    private const int MinExponent = -127;
    private const uint MagnitudeMask = 0x7FFF_FFFF;
    private const uint ExponentMask = 0x7F80_0000;

    /// <summary>Number of blocks (stored exponents) for <paramref name="count"/> values: ceil(count / blockSize).</summary>
    /// <param name="count">Number of values.</param>
    /// <param name="blockSize">Values per block (at least 1).</param>
    /// <returns>The number of blocks.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="blockSize"/> is below 1.</exception>
    public static int BlockCount(int count, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        return (int)(((long)count + blockSize - 1) / blockSize);
    }

    /// <summary>
    /// The quantum q = 2^(E − mantissaBits + 1) of a block with stored exponent <paramref name="exponent"/>: the value of mantissa 1,
    /// and the per-value error bound (q / 2 for round-to-nearest).
    /// </summary>
    /// <param name="exponent">The stored exponent byte (E + 127); not <see cref="NaNExponent"/>.</param>
    /// <param name="mantissaBits">Mantissa magnitude bits, 1 to <see cref="MaxMantissaBits"/>.</param>
    /// <returns>q as a double (exact).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mantissaBits"/> is out of range or <paramref name="exponent"/> is <see cref="NaNExponent"/>.</exception>
    public static double Quantum(byte exponent, int mantissaBits)
    {
        ValidateMantissaBits(mantissaBits);
        if (exponent == NaNExponent)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "A NaN block has no quantum.");
        }

        return Math.ScaleB(1.0, exponent - ExponentBias - mantissaBits + 1);
    }

    /// <summary>
    /// Quantizes <paramref name="source"/> to block floating point (see the class remarks for the exact semantics).
    /// </summary>
    /// <param name="source">The values; any length (a partial last block is quantized on its own values).</param>
    /// <param name="exponents">Receives <see cref="BlockCount"/> stored exponents.</param>
    /// <param name="mantissas">Receives one signed mantissa per value.</param>
    /// <param name="blockSize">Values per block (at least 1; 16, 32 or 64 are typical).</param>
    /// <param name="mantissaBits">Mantissa magnitude bits, 1 to <see cref="MaxMantissaBits"/>.</param>
    /// <param name="rounding">Any deterministic <see cref="RoundingMode"/>, applied to the signed value x / q (ties to even by
    /// default). Stochastic modes need <see cref="QuantizeStochastic"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockSize"/>, <paramref name="mantissaBits"/> or <paramref name="rounding"/> is out of range.</exception>
    /// <exception cref="ArgumentException">An output is too short or overlaps the source, or <paramref name="rounding"/> is stochastic.</exception>
    public static void Quantize(
        ReadOnlySpan<float> source, Span<byte> exponents, Span<sbyte> mantissas, int blockSize, int mantissaBits, RoundingMode rounding = RoundingMode.NearestEven)
    {
        Validate(source, exponents, mantissas, blockSize, mantissaBits, rounding);
        if (rounding is RoundingMode.Stochastic or RoundingMode.StochasticUniform)
        {
            throw new ArgumentException("Stochastic rounding needs a seed: use BlockFloat.QuantizeStochastic.", nameof(rounding));
        }

        QuantizeCore(source, exponents, mantissas, blockSize, mantissaBits, rounding, 0);
    }

    /// <summary>
    /// Quantizes like <see cref="Quantize"/> with stochastic rounding of x / q: the random word of value i is
    /// <see cref="StochasticRounding.RandomBits(ulong, long)"/>(<paramref name="seed"/>, i), so a seed gives the same mantissas on
    /// every machine.
    /// </summary>
    /// <param name="source">The values.</param>
    /// <param name="exponents">Receives <see cref="BlockCount"/> stored exponents.</param>
    /// <param name="mantissas">Receives one signed mantissa per value.</param>
    /// <param name="blockSize">Values per block.</param>
    /// <param name="mantissaBits">Mantissa magnitude bits, 1 to <see cref="MaxMantissaBits"/>.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="rounding"><see cref="RoundingMode.Stochastic"/> (round away with probability equal to the distance) or
    /// <see cref="RoundingMode.StochasticUniform"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="ArgumentException">An output is too short or overlaps, or <paramref name="rounding"/> is not stochastic.</exception>
    public static void QuantizeStochastic(
        ReadOnlySpan<float> source, Span<byte> exponents, Span<sbyte> mantissas, int blockSize, int mantissaBits, ulong seed, RoundingMode rounding = RoundingMode.Stochastic)
    {
        Validate(source, exponents, mantissas, blockSize, mantissaBits, rounding);
        if (rounding is not (RoundingMode.Stochastic or RoundingMode.StochasticUniform))
        {
            throw new ArgumentException("QuantizeStochastic needs a stochastic rounding mode.", nameof(rounding));
        }

        QuantizeCore(source, exponents, mantissas, blockSize, mantissaBits, rounding, seed);
    }

    /// <summary>Decodes block floating point: x̂ = M · 2^(E − mantissaBits + 1), exact in float32; a NaN block gives NaN.</summary>
    /// <param name="exponents">ceil(n / blockSize) stored exponents.</param>
    /// <param name="mantissas">n signed mantissas.</param>
    /// <param name="destination">Receives n values.</param>
    /// <param name="blockSize">Values per block.</param>
    /// <param name="mantissaBits">Mantissa magnitude bits, 1 to <see cref="MaxMantissaBits"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockSize"/> or <paramref name="mantissaBits"/> is out of range.</exception>
    /// <exception cref="ArgumentException">Too few exponents, a short destination, or a mantissa beyond ±(2^mantissaBits − 1) (the message names the index).</exception>
    public static void Dequantize(ReadOnlySpan<byte> exponents, ReadOnlySpan<sbyte> mantissas, Span<float> destination, int blockSize, int mantissaBits)
    {
        ValidateMantissaBits(mantissaBits);
        int n = mantissas.Length;
        int blocks = BlockCount(n, blockSize);
        if (exponents.Length < blocks)
        {
            throw new ArgumentException($"{n} mantissas need {blocks} exponents; got {exponents.Length}.", nameof(exponents));
        }

        if (destination.Length < n)
        {
            throw new ArgumentException($"The destination needs {n} values; it has {destination.Length}.", nameof(destination));
        }

        int max = (1 << mantissaBits) - 1;
        int bad = mantissas.IndexOfAnyExceptInRange((sbyte)-max, (sbyte)max);
        if (bad >= 0)
        {
            throw new ArgumentException($"mantissas[{bad}] = {mantissas[bad]} is outside ±{max}.", nameof(mantissas));
        }

        int done = BlockFloatKernels.Dequantize(exponents, mantissas, destination, blockSize, mantissaBits, BlockFloatKernels.BestWidth);
        DequantizeReference(exponents, mantissas, destination, blockSize, mantissaBits, done / blockSize);
    }

    /// <summary>The scalar reference of <see cref="Dequantize"/> (validated spans) from block <paramref name="firstBlock"/> on.</summary>
    internal static void DequantizeReference(ReadOnlySpan<byte> exponents, ReadOnlySpan<sbyte> mantissas, Span<float> destination, int blockSize, int mantissaBits, int firstBlock = 0)
    {
        int n = mantissas.Length;
        for (int b = firstBlock; (long)b * blockSize < n; b++)
        {
            int start = b * blockSize;
            int end = Math.Min(n, start + blockSize);
            Span<float> yb = destination[start..end];
            if (exponents[b] == NaNExponent)
            {
                yb.Fill(float.NaN);
                continue;
            }

            float q = DequantizeQuantum(exponents[b], mantissaBits);
            ReadOnlySpan<sbyte> mb = mantissas[start..end];
            for (int i = 0; i < mb.Length; i++)
            {
                yb[i] = mb[i] * q;
            }
        }
    }

    /// <summary>
    /// The quantum as a float32. q ≥ 2^(−127 − 7 + 1) = 2^−133 and |M| &lt; 2^7, so M · q is an exact float32 (no overflow:
    /// q·2^m ≤ 2^128 − …), whatever the order of the operations.
    /// </summary>
    internal static float DequantizeQuantum(byte exponent, int mantissaBits) => (float)Math.ScaleB(1.0, exponent - ExponentBias - mantissaBits + 1);

    private static void ValidateMantissaBits(int mantissaBits)
    {
        if (mantissaBits is < 1 or > MaxMantissaBits)
        {
            throw new ArgumentOutOfRangeException(nameof(mantissaBits), mantissaBits, $"Mantissa bits must be 1 to {MaxMantissaBits}.");
        }
    }

    private static void Validate(ReadOnlySpan<float> source, Span<byte> exponents, Span<sbyte> mantissas, int blockSize, int mantissaBits, RoundingMode rounding)
    {
        ValidateMantissaBits(mantissaBits);
        if ((uint)rounding > (uint)RoundingMode.StochasticUniform)
        {
            throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Unknown rounding mode.");
        }

        int blocks = BlockCount(source.Length, blockSize);
        if (exponents.Length < blocks)
        {
            throw new ArgumentException($"{source.Length} values need {blocks} exponents; the span has {exponents.Length}.", nameof(exponents));
        }

        if (mantissas.Length < source.Length)
        {
            throw new ArgumentException($"{source.Length} values need {source.Length} mantissas; the span has {mantissas.Length}.", nameof(mantissas));
        }

        ReadOnlySpan<byte> sourceBytes = MemoryMarshal.AsBytes(source);
        if (sourceBytes.Overlaps(exponents[..blocks]))
        {
            throw new ArgumentException("The exponents overlap the source.", nameof(exponents));
        }

        if (sourceBytes.Overlaps(MemoryMarshal.AsBytes(mantissas[..source.Length])))
        {
            throw new ArgumentException("The mantissas overlap the source.", nameof(mantissas));
        }

        if (exponents[..blocks].Overlaps(MemoryMarshal.AsBytes(mantissas[..source.Length])))
        {
            throw new ArgumentException("The mantissas overlap the exponents.", nameof(mantissas));
        }
    }

    private static void QuantizeCore(
        ReadOnlySpan<float> source, Span<byte> exponents, Span<sbyte> mantissas, int blockSize, int mantissaBits, RoundingMode rounding, ulong seed)
    {
        int done = rounding == RoundingMode.NearestEven
            ? BlockFloatKernels.QuantizeNearestEven(source, exponents, mantissas, blockSize, mantissaBits, BlockFloatKernels.BestWidth)
            : 0;
        QuantizeReference(source, exponents, mantissas, blockSize, mantissaBits, rounding, seed, done / blockSize);
    }

    /// <summary>The scalar reference of <see cref="Quantize"/> and <see cref="QuantizeStochastic"/> from block <paramref name="firstBlock"/> on
    /// (<see cref="BlockFloatKernels"/> must reproduce its bits).</summary>
    internal static void QuantizeReference(
        ReadOnlySpan<float> source, Span<byte> exponents, Span<sbyte> mantissas, int blockSize, int mantissaBits, RoundingMode rounding, ulong seed, int firstBlock = 0)
    {
        for (int b = firstBlock; (long)b * blockSize < source.Length; b++)
        {
            int start = b * blockSize;
            ReadOnlySpan<float> xb = source.Slice(start, Math.Min(blockSize, source.Length - start));
            QuantizeBlock(xb, ref exponents[b], mantissas.Slice(start, xb.Length), mantissaBits, rounding, seed, start);
        }
    }

    /// <summary>One block of the scalar reference; <paramref name="start"/> is the index of its first value (for the random words).</summary>
    internal static void QuantizeBlock(ReadOnlySpan<float> xb, ref byte exponent, Span<sbyte> mb, int mantissaBits, RoundingMode rounding, ulong seed, int start)
    {
        int max = (1 << mantissaBits) - 1;
        uint amaxBits = 0;
        foreach (float v in xb)
        {
            amaxBits = Math.Max(amaxBits, BitConverter.SingleToUInt32Bits(v) & MagnitudeMask);
        }

        if (amaxBits >= ExponentMask)
        {
            exponent = NaNExponent;
            mb.Clear();
            return;
        }

        if (amaxBits == 0)
        {
            exponent = 0;
            mb.Clear();
            return;
        }

        int e = SharedExponent(amaxBits);
        exponent = (byte)(e + ExponentBias);

        // x / q = x · 2^(m − 1 − E): exact in double for every float32 x and E in [−127, 127].
        double inverseQuantum = Math.ScaleB(1.0, mantissaBits - 1 - e);
        if (rounding == RoundingMode.NearestEven && HasSingleFastPath(e, mantissaBits))
        {
            // float32 fast path: 2^(m − 1 − E) is a float32 and x · 2^(m − 1 − E) is exact unless it falls below 2^−126,
            // where it rounds to 0 either way.
            float f = (float)inverseQuantum;
            float limit = max;
            for (int i = 0; i < xb.Length; i++)
            {
                mb[i] = (sbyte)(int)Math.Clamp(MathF.Round(xb[i] * f), -limit, limit);
            }
        }
        else if (rounding == RoundingMode.NearestEven)
        {
            for (int i = 0; i < xb.Length; i++)
            {
                mb[i] = (sbyte)Math.Clamp(Math.Round(xb[i] * inverseQuantum), -max, max);
            }
        }
        else
        {
            for (int i = 0; i < xb.Length; i++)
            {
                double r = IntegerRounding.Round(xb[i] * inverseQuantum, rounding, StochasticRounding.RandomBits(seed, start + i));
                mb[i] = (sbyte)Math.Clamp(r, -max, max);
            }
        }
    }

    /// <summary>The shared exponent E of a block whose largest magnitude has the finite, non-zero float32 bits <paramref name="amaxBits"/>.</summary>
    internal static int SharedExponent(uint amaxBits) => Math.Max(Mx.FloorLog2(amaxBits), MinExponent);

    /// <summary>Whether 2^(m − 1 − E) is a float32 (the round-to-nearest-even float32 path applies).</summary>
    internal static bool HasSingleFastPath(int e, int mantissaBits) => mantissaBits - 1 - e <= 127;

    /// <summary>Whether a block's largest magnitude bits mean NaN or ±∞ in the block.</summary>
    internal static bool IsNonFinite(uint amaxBits) => amaxBits >= ExponentMask;

    /// <summary>The stored exponent byte of shared exponent <paramref name="e"/>.</summary>
    internal static byte StoredExponent(int e) => (byte)(e + ExponentBias);
}
