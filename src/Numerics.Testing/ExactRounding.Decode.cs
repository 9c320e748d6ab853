// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Formats;

namespace Numerics.Testing;

public static partial class ExactRounding
{
    /// <summary>Decodes a code of <paramref name="format"/> exactly, from its layout (sign, exponent and fraction fields).</summary>
    /// <param name="code">The code, in the low <see cref="FloatFormat.BitCount"/> bits.</param>
    /// <param name="format">The format.</param>
    /// <returns>The exact value as a double (every value of every format is one); ±∞, or NaN for the format's NaN codes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="code"/> has bits set above <see cref="FloatFormat.BitCount"/>, or is not a code of the format: a subnormal code of
    /// a format without subnormals, or an exponent field above emax in a custom format whose field has room to spare.
    /// </exception>
    public static double Decode(ulong code, FloatFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        int bits = format.BitCount;
        if (bits < 64 && code >> bits != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, $"The format {format} has {bits}-bit codes.");
        }

        int m = format.MantissaBits;
        ulong fractionMask = (1UL << m) - 1;
        ulong allOnesField = (1UL << format.ExponentBits) - 1;
        bool negative = format.IsSigned && (code >> (bits - 1)) != 0;
        ulong field = (code >> m) & allOnesField;
        ulong fraction = code & fractionMask;

        bool nan = format.SpecialValues switch
        {
            SpecialValueEncoding.Ieee => field == allOnesField && fraction != 0,
            SpecialValueEncoding.IeeeNoInfinity => field == allOnesField,
            SpecialValueEncoding.FiniteAllOnesNaN => field == allOnesField && fraction == fractionMask,
            SpecialValueEncoding.FiniteNegativeZeroNaN => negative && field == 0 && fraction == 0,
            _ => false,
        };
        if (nan)
        {
            return OracleResult.NaN(negative).ToDouble();
        }

        if (format.SpecialValues == SpecialValueEncoding.Ieee && field == allOnesField)
        {
            return OracleResult.Infinity(negative).ToDouble();
        }

        Dyadic magnitude;
        if (format.HasZero && field == 0)
        {
            if (fraction != 0 && !format.HasSubnormals)
            {
                throw new ArgumentOutOfRangeException(nameof(code), code, $"The format {format} has no subnormals: 0x{code:X} is not one of its codes.");
            }

            magnitude = new Dyadic(fraction, format.MinExponent - m);
        }
        else
        {
            int e = (int)field - format.ExponentBias;
            if (e > format.MaxExponent)
            {
                throw new ArgumentOutOfRangeException(nameof(code), code, $"0x{code:X} has an exponent above emax = {format.MaxExponent}: not a code of {format}.");
            }

            magnitude = new Dyadic(fraction | (1UL << m), e - m);
        }

        return magnitude.ToDouble(negative);
    }
}
