// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;

namespace Numerics.Testing;

/// <summary>
/// An exact non-negative dyadic rational <c>Significand · 2^Exponent</c>. Every finite double and every value of every
/// <see cref="Formats.FloatFormat"/> is one, so the oracle never rounds anything except where it means to.
/// </summary>
internal readonly struct Dyadic : IComparable<Dyadic>, IEquatable<Dyadic>
{
    public Dyadic(BigInteger significand, int exponent)
    {
        if (significand.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(significand), significand, "A dyadic magnitude cannot be negative.");
        }

        Significand = significand;
        Exponent = exponent;
    }

    public BigInteger Significand { get; }

    public int Exponent { get; }

    public bool IsZero => Significand.IsZero;

    /// <summary>Gets floor(log2(value)) for a non-zero value.</summary>
    public long FloorLog2 => (long)Significand.GetBitLength() - 1 + Exponent;

    public static Dyadic Zero => new(BigInteger.Zero, 0);

    public static Dyadic PowerOfTwo(int exponent) => new(BigInteger.One, exponent);

    /// <summary>The exact magnitude of a finite double, read from its bit fields (no floating-point arithmetic).</summary>
    public static Dyadic FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite values have an exact dyadic magnitude.");
        }

        ulong bits = BitConverter.DoubleToUInt64Bits(value) & ~Binary64.SignMask;
        int field = (int)(bits >> Binary64.FractionBits);
        ulong fraction = bits & Binary64.FractionMask;
        return field == 0
            ? new Dyadic(fraction, Binary64.MinSubnormalExponent)
            : new Dyadic(fraction | Binary64.ImplicitBit, field - Binary64.ExponentBias - Binary64.FractionBits);
    }

    /// <summary>The double with this magnitude and the given sign; throws when the value is not exactly representable.</summary>
    public double ToDouble(bool negative)
    {
        ulong sign = negative ? Binary64.SignMask : 0UL;
        if (IsZero)
        {
            return BitConverter.UInt64BitsToDouble(sign);
        }

        long e = FloorLog2;
        ulong bits;
        if (e >= Binary64.MinNormalExponent)
        {
            // Normal: shift the significand so that its leading bit is the implicit bit (bit 52).
            BigInteger m = Shift(Significand, Exponent - (int)e + Binary64.FractionBits);
            if (e > Binary64.MaxExponent || m.GetBitLength() != Binary64.FractionBits + 1)
            {
                throw new InvalidOperationException("The value is not representable as a double.");
            }

            bits = ((ulong)(e + Binary64.ExponentBias) << Binary64.FractionBits) | ((ulong)m & Binary64.FractionMask);
        }
        else
        {
            // Subnormal: the value is m · 2^-1074 with m < 2^52.
            BigInteger m = Shift(Significand, Exponent - Binary64.MinSubnormalExponent);
            bits = (ulong)m;
        }

        return BitConverter.UInt64BitsToDouble(sign | bits);

        BigInteger Shift(BigInteger s, int by)
        {
            if (by >= 0)
            {
                return s << by;
            }

            if (!(s & ((BigInteger.One << -by) - 1)).IsZero)
            {
                throw new InvalidOperationException("The value is not representable as a double.");
            }

            return s >> -by;
        }
    }

    /// <summary>This value divided by 2^<paramref name="exponent"/>, which must be an integer.</summary>
    public BigInteger ExactMultipleOf(int exponent)
    {
        int by = Exponent - exponent;
        if (by >= 0)
        {
            return Significand << by;
        }

        if (!(Significand & ((BigInteger.One << -by) - 1)).IsZero)
        {
            throw new InvalidOperationException("The value is not a multiple of the requested power of two.");
        }

        return Significand >> -by;
    }

    public int CompareTo(Dyadic other)
    {
        int e = Math.Min(Exponent, other.Exponent);
        return (Significand << (Exponent - e)).CompareTo(other.Significand << (other.Exponent - e));
    }

    public bool Equals(Dyadic other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is Dyadic d && Equals(d);

    public override int GetHashCode()
    {
        if (IsZero)
        {
            return 0;
        }

        // Normalize so that equal values hash equally.
        BigInteger s = Significand;
        int e = Exponent;
        while (s.IsEven)
        {
            s >>= 1;
            e++;
        }

        return HashCode.Combine(s, e);
    }

    public static bool operator ==(Dyadic left, Dyadic right) => left.Equals(right);

    public static bool operator !=(Dyadic left, Dyadic right) => !left.Equals(right);

    public static bool operator <(Dyadic left, Dyadic right) => left.CompareTo(right) < 0;

    public static bool operator >(Dyadic left, Dyadic right) => left.CompareTo(right) > 0;

    public static bool operator <=(Dyadic left, Dyadic right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Dyadic left, Dyadic right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Significand}*2^{Exponent}";
}

/// <summary>Named constants of the IEEE 754 binary64 layout, used to read and build doubles bit by bit.</summary>
internal static class Binary64
{
    public const ulong SignMask = 0x8000_0000_0000_0000UL;
    public const int FractionBits = 52;
    public const ulong FractionMask = (1UL << FractionBits) - 1;
    public const ulong ImplicitBit = 1UL << FractionBits;
    public const ulong QuietNaN = 0x7FF8_0000_0000_0000UL;
    public const int ExponentBias = 1023;
    public const int MinNormalExponent = -1022;
    public const int MaxExponent = 1023;
    public const int MinSubnormalExponent = MinNormalExponent - FractionBits;
}
