// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Formats.Tests.Types;

/// <summary>
/// What the generic scalar-type tests need from a type, spelled out per type (the explicit operators and static members are not
/// reachable through a common interface).
/// </summary>
public interface IScalarAdapter<T>
    where T : struct
{
    static abstract FloatFormat Format { get; }

    static abstract bool IsSignedArithmetic { get; }

    static abstract T FromBits(uint bits);

    static abstract uint Bits(T value);

    static abstract T FromSingle(float value);

    static abstract T FromDouble(double value);

    static abstract T FromHalf(Half value);

    static abstract float ToSingle(T value);

    static abstract double ToDouble(T value);

    static abstract Half ToHalf(T value);

    static abstract bool IsNaN(T value);

    static abstract bool IsFinite(T value);

    static abstract bool IsInfinity(T value);

    static abstract bool IsZero(T value);

    static abstract bool IsNormal(T value);

    static abstract bool IsSubnormal(T value);

    static abstract bool IsNegative(T value);

    static abstract bool IsInteger(T value);

    static abstract T Negate(T value);

    static abstract T Abs(T value);

    static abstract T Add(T left, T right);

    static abstract T Subtract(T left, T right);

    static abstract T Multiply(T left, T right);

    static abstract T Divide(T left, T right);

    static abstract T Parse(string text);

    static abstract bool TryParseUtf8(ReadOnlySpan<byte> text, out T value);

    static abstract void ConvertFromSingle(ReadOnlySpan<float> source, Span<T> destination, RoundingMode rounding, OverflowMode overflow, ulong seed);

    static abstract void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<T> destination);

    static abstract void ConvertToSingle(ReadOnlySpan<T> source, Span<float> destination);
}

public readonly struct BFloat16Adapter : IScalarAdapter<BFloat16>
{
    public static FloatFormat Format => FloatFormat.BFloat16;

    public static bool IsSignedArithmetic => true;

    public static BFloat16 FromBits(uint bits) => BFloat16.FromBits((ushort)bits);

    public static uint Bits(BFloat16 value) => value.RawBits;

    public static BFloat16 FromSingle(float value) => (BFloat16)value;

    public static BFloat16 FromDouble(double value) => (BFloat16)value;

    public static BFloat16 FromHalf(Half value) => (BFloat16)value;

    public static float ToSingle(BFloat16 value) => (float)value;

    public static double ToDouble(BFloat16 value) => (double)value;

    public static Half ToHalf(BFloat16 value) => (Half)value;

    public static bool IsNaN(BFloat16 value) => BFloat16.IsNaN(value);

    public static bool IsFinite(BFloat16 value) => BFloat16.IsFinite(value);

    public static bool IsInfinity(BFloat16 value) => BFloat16.IsInfinity(value);

    public static bool IsZero(BFloat16 value) => BFloat16.IsZero(value);

    public static bool IsNormal(BFloat16 value) => BFloat16.IsNormal(value);

    public static bool IsSubnormal(BFloat16 value) => BFloat16.IsSubnormal(value);

    public static bool IsNegative(BFloat16 value) => BFloat16.IsNegative(value);

    public static bool IsInteger(BFloat16 value) => BFloat16.IsInteger(value);

    public static BFloat16 Negate(BFloat16 value) => -value;

    public static BFloat16 Abs(BFloat16 value) => BFloat16.Abs(value);

    public static BFloat16 Add(BFloat16 left, BFloat16 right) => left + right;

    public static BFloat16 Subtract(BFloat16 left, BFloat16 right) => left - right;

    public static BFloat16 Multiply(BFloat16 left, BFloat16 right) => left * right;

    public static BFloat16 Divide(BFloat16 left, BFloat16 right) => left / right;

    public static BFloat16 Parse(string text) => BFloat16.Parse(text, CultureInfo.InvariantCulture);

    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out BFloat16 value) => BFloat16.TryParse(text, CultureInfo.InvariantCulture, out value);

    public static void ConvertFromSingle(ReadOnlySpan<float> source, Span<BFloat16> destination, RoundingMode rounding, OverflowMode overflow, ulong seed) =>
        BFloat16.ConvertFromSingle(source, destination, rounding, overflow, seed);

    public static void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<BFloat16> destination) => BFloat16.ConvertFromSingle(source, destination);

    public static void ConvertToSingle(ReadOnlySpan<BFloat16> source, Span<float> destination) => BFloat16.ConvertToSingle(source, destination);
}

public readonly struct Float8E4M3FNAdapter : IScalarAdapter<Float8E4M3FN>
{
    public static FloatFormat Format => FloatFormat.E4M3FN;

    public static bool IsSignedArithmetic => true;

    public static Float8E4M3FN FromBits(uint bits) => Float8E4M3FN.FromBits((byte)bits);

    public static uint Bits(Float8E4M3FN value) => value.RawBits;

    public static Float8E4M3FN FromSingle(float value) => (Float8E4M3FN)value;

    public static Float8E4M3FN FromDouble(double value) => (Float8E4M3FN)value;

    public static Float8E4M3FN FromHalf(Half value) => (Float8E4M3FN)value;

    public static float ToSingle(Float8E4M3FN value) => (float)value;

    public static double ToDouble(Float8E4M3FN value) => (double)value;

    public static Half ToHalf(Float8E4M3FN value) => (Half)value;

    public static bool IsNaN(Float8E4M3FN value) => Float8E4M3FN.IsNaN(value);

    public static bool IsFinite(Float8E4M3FN value) => Float8E4M3FN.IsFinite(value);

    public static bool IsInfinity(Float8E4M3FN value) => Float8E4M3FN.IsInfinity(value);

    public static bool IsZero(Float8E4M3FN value) => Float8E4M3FN.IsZero(value);

    public static bool IsNormal(Float8E4M3FN value) => Float8E4M3FN.IsNormal(value);

    public static bool IsSubnormal(Float8E4M3FN value) => Float8E4M3FN.IsSubnormal(value);

    public static bool IsNegative(Float8E4M3FN value) => Float8E4M3FN.IsNegative(value);

    public static bool IsInteger(Float8E4M3FN value) => Float8E4M3FN.IsInteger(value);

    public static Float8E4M3FN Negate(Float8E4M3FN value) => -value;

    public static Float8E4M3FN Abs(Float8E4M3FN value) => Float8E4M3FN.Abs(value);

    public static Float8E4M3FN Add(Float8E4M3FN left, Float8E4M3FN right) => left + right;

    public static Float8E4M3FN Subtract(Float8E4M3FN left, Float8E4M3FN right) => left - right;

    public static Float8E4M3FN Multiply(Float8E4M3FN left, Float8E4M3FN right) => left * right;

    public static Float8E4M3FN Divide(Float8E4M3FN left, Float8E4M3FN right) => left / right;

    public static Float8E4M3FN Parse(string text) => Float8E4M3FN.Parse(text, CultureInfo.InvariantCulture);

    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out Float8E4M3FN value) => Float8E4M3FN.TryParse(text, CultureInfo.InvariantCulture, out value);

    public static void ConvertFromSingle(ReadOnlySpan<float> source, Span<Float8E4M3FN> destination, RoundingMode rounding, OverflowMode overflow, ulong seed) =>
        Float8E4M3FN.ConvertFromSingle(source, destination, rounding, overflow, seed);

    public static void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<Float8E4M3FN> destination) => Float8E4M3FN.ConvertFromSingle(source, destination);

    public static void ConvertToSingle(ReadOnlySpan<Float8E4M3FN> source, Span<float> destination) => Float8E4M3FN.ConvertToSingle(source, destination);
}

public readonly struct Float8E5M2Adapter : IScalarAdapter<Float8E5M2>
{
    public static FloatFormat Format => FloatFormat.E5M2;

    public static bool IsSignedArithmetic => true;

    public static Float8E5M2 FromBits(uint bits) => Float8E5M2.FromBits((byte)bits);

    public static uint Bits(Float8E5M2 value) => value.RawBits;

    public static Float8E5M2 FromSingle(float value) => (Float8E5M2)value;

    public static Float8E5M2 FromDouble(double value) => (Float8E5M2)value;

    public static Float8E5M2 FromHalf(Half value) => (Float8E5M2)value;

    public static float ToSingle(Float8E5M2 value) => (float)value;

    public static double ToDouble(Float8E5M2 value) => (double)value;

    public static Half ToHalf(Float8E5M2 value) => (Half)value;

    public static bool IsNaN(Float8E5M2 value) => Float8E5M2.IsNaN(value);

    public static bool IsFinite(Float8E5M2 value) => Float8E5M2.IsFinite(value);

    public static bool IsInfinity(Float8E5M2 value) => Float8E5M2.IsInfinity(value);

    public static bool IsZero(Float8E5M2 value) => Float8E5M2.IsZero(value);

    public static bool IsNormal(Float8E5M2 value) => Float8E5M2.IsNormal(value);

    public static bool IsSubnormal(Float8E5M2 value) => Float8E5M2.IsSubnormal(value);

    public static bool IsNegative(Float8E5M2 value) => Float8E5M2.IsNegative(value);

    public static bool IsInteger(Float8E5M2 value) => Float8E5M2.IsInteger(value);

    public static Float8E5M2 Negate(Float8E5M2 value) => -value;

    public static Float8E5M2 Abs(Float8E5M2 value) => Float8E5M2.Abs(value);

    public static Float8E5M2 Add(Float8E5M2 left, Float8E5M2 right) => left + right;

    public static Float8E5M2 Subtract(Float8E5M2 left, Float8E5M2 right) => left - right;

    public static Float8E5M2 Multiply(Float8E5M2 left, Float8E5M2 right) => left * right;

    public static Float8E5M2 Divide(Float8E5M2 left, Float8E5M2 right) => left / right;

    public static Float8E5M2 Parse(string text) => Float8E5M2.Parse(text, CultureInfo.InvariantCulture);

    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out Float8E5M2 value) => Float8E5M2.TryParse(text, CultureInfo.InvariantCulture, out value);

    public static void ConvertFromSingle(ReadOnlySpan<float> source, Span<Float8E5M2> destination, RoundingMode rounding, OverflowMode overflow, ulong seed) =>
        Float8E5M2.ConvertFromSingle(source, destination, rounding, overflow, seed);

    public static void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<Float8E5M2> destination) => Float8E5M2.ConvertFromSingle(source, destination);

    public static void ConvertToSingle(ReadOnlySpan<Float8E5M2> source, Span<float> destination) => Float8E5M2.ConvertToSingle(source, destination);
}

public readonly struct Float8E4M3FNUZAdapter : IScalarAdapter<Float8E4M3FNUZ>
{
    public static FloatFormat Format => FloatFormat.E4M3FNUZ;

    public static bool IsSignedArithmetic => true;

    public static Float8E4M3FNUZ FromBits(uint bits) => Float8E4M3FNUZ.FromBits((byte)bits);

    public static uint Bits(Float8E4M3FNUZ value) => value.RawBits;

    public static Float8E4M3FNUZ FromSingle(float value) => (Float8E4M3FNUZ)value;

    public static Float8E4M3FNUZ FromDouble(double value) => (Float8E4M3FNUZ)value;

    public static Float8E4M3FNUZ FromHalf(Half value) => (Float8E4M3FNUZ)value;

    public static float ToSingle(Float8E4M3FNUZ value) => (float)value;

    public static double ToDouble(Float8E4M3FNUZ value) => (double)value;

    public static Half ToHalf(Float8E4M3FNUZ value) => (Half)value;

    public static bool IsNaN(Float8E4M3FNUZ value) => Float8E4M3FNUZ.IsNaN(value);

    public static bool IsFinite(Float8E4M3FNUZ value) => Float8E4M3FNUZ.IsFinite(value);

    public static bool IsInfinity(Float8E4M3FNUZ value) => Float8E4M3FNUZ.IsInfinity(value);

    public static bool IsZero(Float8E4M3FNUZ value) => Float8E4M3FNUZ.IsZero(value);

    public static bool IsNormal(Float8E4M3FNUZ value) => Float8E4M3FNUZ.IsNormal(value);

    public static bool IsSubnormal(Float8E4M3FNUZ value) => Float8E4M3FNUZ.IsSubnormal(value);

    public static bool IsNegative(Float8E4M3FNUZ value) => Float8E4M3FNUZ.IsNegative(value);

    public static bool IsInteger(Float8E4M3FNUZ value) => Float8E4M3FNUZ.IsInteger(value);

    public static Float8E4M3FNUZ Negate(Float8E4M3FNUZ value) => -value;

    public static Float8E4M3FNUZ Abs(Float8E4M3FNUZ value) => Float8E4M3FNUZ.Abs(value);

    public static Float8E4M3FNUZ Add(Float8E4M3FNUZ left, Float8E4M3FNUZ right) => left + right;

    public static Float8E4M3FNUZ Subtract(Float8E4M3FNUZ left, Float8E4M3FNUZ right) => left - right;

    public static Float8E4M3FNUZ Multiply(Float8E4M3FNUZ left, Float8E4M3FNUZ right) => left * right;

    public static Float8E4M3FNUZ Divide(Float8E4M3FNUZ left, Float8E4M3FNUZ right) => left / right;

    public static Float8E4M3FNUZ Parse(string text) => Float8E4M3FNUZ.Parse(text, CultureInfo.InvariantCulture);

    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out Float8E4M3FNUZ value) => Float8E4M3FNUZ.TryParse(text, CultureInfo.InvariantCulture, out value);

    public static void ConvertFromSingle(ReadOnlySpan<float> source, Span<Float8E4M3FNUZ> destination, RoundingMode rounding, OverflowMode overflow, ulong seed) =>
        Float8E4M3FNUZ.ConvertFromSingle(source, destination, rounding, overflow, seed);

    public static void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<Float8E4M3FNUZ> destination) => Float8E4M3FNUZ.ConvertFromSingle(source, destination);

    public static void ConvertToSingle(ReadOnlySpan<Float8E4M3FNUZ> source, Span<float> destination) => Float8E4M3FNUZ.ConvertToSingle(source, destination);
}

public readonly struct Float8E5M2FNUZAdapter : IScalarAdapter<Float8E5M2FNUZ>
{
    public static FloatFormat Format => FloatFormat.E5M2FNUZ;

    public static bool IsSignedArithmetic => true;

    public static Float8E5M2FNUZ FromBits(uint bits) => Float8E5M2FNUZ.FromBits((byte)bits);

    public static uint Bits(Float8E5M2FNUZ value) => value.RawBits;

    public static Float8E5M2FNUZ FromSingle(float value) => (Float8E5M2FNUZ)value;

    public static Float8E5M2FNUZ FromDouble(double value) => (Float8E5M2FNUZ)value;

    public static Float8E5M2FNUZ FromHalf(Half value) => (Float8E5M2FNUZ)value;

    public static float ToSingle(Float8E5M2FNUZ value) => (float)value;

    public static double ToDouble(Float8E5M2FNUZ value) => (double)value;

    public static Half ToHalf(Float8E5M2FNUZ value) => (Half)value;

    public static bool IsNaN(Float8E5M2FNUZ value) => Float8E5M2FNUZ.IsNaN(value);

    public static bool IsFinite(Float8E5M2FNUZ value) => Float8E5M2FNUZ.IsFinite(value);

    public static bool IsInfinity(Float8E5M2FNUZ value) => Float8E5M2FNUZ.IsInfinity(value);

    public static bool IsZero(Float8E5M2FNUZ value) => Float8E5M2FNUZ.IsZero(value);

    public static bool IsNormal(Float8E5M2FNUZ value) => Float8E5M2FNUZ.IsNormal(value);

    public static bool IsSubnormal(Float8E5M2FNUZ value) => Float8E5M2FNUZ.IsSubnormal(value);

    public static bool IsNegative(Float8E5M2FNUZ value) => Float8E5M2FNUZ.IsNegative(value);

    public static bool IsInteger(Float8E5M2FNUZ value) => Float8E5M2FNUZ.IsInteger(value);

    public static Float8E5M2FNUZ Negate(Float8E5M2FNUZ value) => -value;

    public static Float8E5M2FNUZ Abs(Float8E5M2FNUZ value) => Float8E5M2FNUZ.Abs(value);

    public static Float8E5M2FNUZ Add(Float8E5M2FNUZ left, Float8E5M2FNUZ right) => left + right;

    public static Float8E5M2FNUZ Subtract(Float8E5M2FNUZ left, Float8E5M2FNUZ right) => left - right;

    public static Float8E5M2FNUZ Multiply(Float8E5M2FNUZ left, Float8E5M2FNUZ right) => left * right;

    public static Float8E5M2FNUZ Divide(Float8E5M2FNUZ left, Float8E5M2FNUZ right) => left / right;

    public static Float8E5M2FNUZ Parse(string text) => Float8E5M2FNUZ.Parse(text, CultureInfo.InvariantCulture);

    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out Float8E5M2FNUZ value) => Float8E5M2FNUZ.TryParse(text, CultureInfo.InvariantCulture, out value);

    public static void ConvertFromSingle(ReadOnlySpan<float> source, Span<Float8E5M2FNUZ> destination, RoundingMode rounding, OverflowMode overflow, ulong seed) =>
        Float8E5M2FNUZ.ConvertFromSingle(source, destination, rounding, overflow, seed);

    public static void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<Float8E5M2FNUZ> destination) => Float8E5M2FNUZ.ConvertFromSingle(source, destination);

    public static void ConvertToSingle(ReadOnlySpan<Float8E5M2FNUZ> source, Span<float> destination) => Float8E5M2FNUZ.ConvertToSingle(source, destination);
}

public readonly struct Float6E2M3FNAdapter : IScalarAdapter<Float6E2M3FN>
{
    public static FloatFormat Format => FloatFormat.E2M3FN;

    public static bool IsSignedArithmetic => true;

    public static Float6E2M3FN FromBits(uint bits) => Float6E2M3FN.FromBits((byte)bits);

    public static uint Bits(Float6E2M3FN value) => value.RawBits;

    public static Float6E2M3FN FromSingle(float value) => (Float6E2M3FN)value;

    public static Float6E2M3FN FromDouble(double value) => (Float6E2M3FN)value;

    public static Float6E2M3FN FromHalf(Half value) => (Float6E2M3FN)value;

    public static float ToSingle(Float6E2M3FN value) => (float)value;

    public static double ToDouble(Float6E2M3FN value) => (double)value;

    public static Half ToHalf(Float6E2M3FN value) => (Half)value;

    public static bool IsNaN(Float6E2M3FN value) => Float6E2M3FN.IsNaN(value);

    public static bool IsFinite(Float6E2M3FN value) => Float6E2M3FN.IsFinite(value);

    public static bool IsInfinity(Float6E2M3FN value) => Float6E2M3FN.IsInfinity(value);

    public static bool IsZero(Float6E2M3FN value) => Float6E2M3FN.IsZero(value);

    public static bool IsNormal(Float6E2M3FN value) => Float6E2M3FN.IsNormal(value);

    public static bool IsSubnormal(Float6E2M3FN value) => Float6E2M3FN.IsSubnormal(value);

    public static bool IsNegative(Float6E2M3FN value) => Float6E2M3FN.IsNegative(value);

    public static bool IsInteger(Float6E2M3FN value) => Float6E2M3FN.IsInteger(value);

    public static Float6E2M3FN Negate(Float6E2M3FN value) => -value;

    public static Float6E2M3FN Abs(Float6E2M3FN value) => Float6E2M3FN.Abs(value);

    public static Float6E2M3FN Add(Float6E2M3FN left, Float6E2M3FN right) => left + right;

    public static Float6E2M3FN Subtract(Float6E2M3FN left, Float6E2M3FN right) => left - right;

    public static Float6E2M3FN Multiply(Float6E2M3FN left, Float6E2M3FN right) => left * right;

    public static Float6E2M3FN Divide(Float6E2M3FN left, Float6E2M3FN right) => left / right;

    public static Float6E2M3FN Parse(string text) => Float6E2M3FN.Parse(text, CultureInfo.InvariantCulture);

    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out Float6E2M3FN value) => Float6E2M3FN.TryParse(text, CultureInfo.InvariantCulture, out value);

    public static void ConvertFromSingle(ReadOnlySpan<float> source, Span<Float6E2M3FN> destination, RoundingMode rounding, OverflowMode overflow, ulong seed) =>
        Float6E2M3FN.ConvertFromSingle(source, destination, rounding, overflow, seed);

    public static void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<Float6E2M3FN> destination) => Float6E2M3FN.ConvertFromSingle(source, destination);

    public static void ConvertToSingle(ReadOnlySpan<Float6E2M3FN> source, Span<float> destination) => Float6E2M3FN.ConvertToSingle(source, destination);
}

public readonly struct Float6E3M2FNAdapter : IScalarAdapter<Float6E3M2FN>
{
    public static FloatFormat Format => FloatFormat.E3M2FN;

    public static bool IsSignedArithmetic => true;

    public static Float6E3M2FN FromBits(uint bits) => Float6E3M2FN.FromBits((byte)bits);

    public static uint Bits(Float6E3M2FN value) => value.RawBits;

    public static Float6E3M2FN FromSingle(float value) => (Float6E3M2FN)value;

    public static Float6E3M2FN FromDouble(double value) => (Float6E3M2FN)value;

    public static Float6E3M2FN FromHalf(Half value) => (Float6E3M2FN)value;

    public static float ToSingle(Float6E3M2FN value) => (float)value;

    public static double ToDouble(Float6E3M2FN value) => (double)value;

    public static Half ToHalf(Float6E3M2FN value) => (Half)value;

    public static bool IsNaN(Float6E3M2FN value) => Float6E3M2FN.IsNaN(value);

    public static bool IsFinite(Float6E3M2FN value) => Float6E3M2FN.IsFinite(value);

    public static bool IsInfinity(Float6E3M2FN value) => Float6E3M2FN.IsInfinity(value);

    public static bool IsZero(Float6E3M2FN value) => Float6E3M2FN.IsZero(value);

    public static bool IsNormal(Float6E3M2FN value) => Float6E3M2FN.IsNormal(value);

    public static bool IsSubnormal(Float6E3M2FN value) => Float6E3M2FN.IsSubnormal(value);

    public static bool IsNegative(Float6E3M2FN value) => Float6E3M2FN.IsNegative(value);

    public static bool IsInteger(Float6E3M2FN value) => Float6E3M2FN.IsInteger(value);

    public static Float6E3M2FN Negate(Float6E3M2FN value) => -value;

    public static Float6E3M2FN Abs(Float6E3M2FN value) => Float6E3M2FN.Abs(value);

    public static Float6E3M2FN Add(Float6E3M2FN left, Float6E3M2FN right) => left + right;

    public static Float6E3M2FN Subtract(Float6E3M2FN left, Float6E3M2FN right) => left - right;

    public static Float6E3M2FN Multiply(Float6E3M2FN left, Float6E3M2FN right) => left * right;

    public static Float6E3M2FN Divide(Float6E3M2FN left, Float6E3M2FN right) => left / right;

    public static Float6E3M2FN Parse(string text) => Float6E3M2FN.Parse(text, CultureInfo.InvariantCulture);

    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out Float6E3M2FN value) => Float6E3M2FN.TryParse(text, CultureInfo.InvariantCulture, out value);

    public static void ConvertFromSingle(ReadOnlySpan<float> source, Span<Float6E3M2FN> destination, RoundingMode rounding, OverflowMode overflow, ulong seed) =>
        Float6E3M2FN.ConvertFromSingle(source, destination, rounding, overflow, seed);

    public static void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<Float6E3M2FN> destination) => Float6E3M2FN.ConvertFromSingle(source, destination);

    public static void ConvertToSingle(ReadOnlySpan<Float6E3M2FN> source, Span<float> destination) => Float6E3M2FN.ConvertToSingle(source, destination);
}

public readonly struct Float4E2M1FNAdapter : IScalarAdapter<Float4E2M1FN>
{
    public static FloatFormat Format => FloatFormat.E2M1FN;

    public static bool IsSignedArithmetic => true;

    public static Float4E2M1FN FromBits(uint bits) => Float4E2M1FN.FromBits((byte)bits);

    public static uint Bits(Float4E2M1FN value) => value.RawBits;

    public static Float4E2M1FN FromSingle(float value) => (Float4E2M1FN)value;

    public static Float4E2M1FN FromDouble(double value) => (Float4E2M1FN)value;

    public static Float4E2M1FN FromHalf(Half value) => (Float4E2M1FN)value;

    public static float ToSingle(Float4E2M1FN value) => (float)value;

    public static double ToDouble(Float4E2M1FN value) => (double)value;

    public static Half ToHalf(Float4E2M1FN value) => (Half)value;

    public static bool IsNaN(Float4E2M1FN value) => Float4E2M1FN.IsNaN(value);

    public static bool IsFinite(Float4E2M1FN value) => Float4E2M1FN.IsFinite(value);

    public static bool IsInfinity(Float4E2M1FN value) => Float4E2M1FN.IsInfinity(value);

    public static bool IsZero(Float4E2M1FN value) => Float4E2M1FN.IsZero(value);

    public static bool IsNormal(Float4E2M1FN value) => Float4E2M1FN.IsNormal(value);

    public static bool IsSubnormal(Float4E2M1FN value) => Float4E2M1FN.IsSubnormal(value);

    public static bool IsNegative(Float4E2M1FN value) => Float4E2M1FN.IsNegative(value);

    public static bool IsInteger(Float4E2M1FN value) => Float4E2M1FN.IsInteger(value);

    public static Float4E2M1FN Negate(Float4E2M1FN value) => -value;

    public static Float4E2M1FN Abs(Float4E2M1FN value) => Float4E2M1FN.Abs(value);

    public static Float4E2M1FN Add(Float4E2M1FN left, Float4E2M1FN right) => left + right;

    public static Float4E2M1FN Subtract(Float4E2M1FN left, Float4E2M1FN right) => left - right;

    public static Float4E2M1FN Multiply(Float4E2M1FN left, Float4E2M1FN right) => left * right;

    public static Float4E2M1FN Divide(Float4E2M1FN left, Float4E2M1FN right) => left / right;

    public static Float4E2M1FN Parse(string text) => Float4E2M1FN.Parse(text, CultureInfo.InvariantCulture);

    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out Float4E2M1FN value) => Float4E2M1FN.TryParse(text, CultureInfo.InvariantCulture, out value);

    public static void ConvertFromSingle(ReadOnlySpan<float> source, Span<Float4E2M1FN> destination, RoundingMode rounding, OverflowMode overflow, ulong seed) =>
        Float4E2M1FN.ConvertFromSingle(source, destination, rounding, overflow, seed);

    public static void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<Float4E2M1FN> destination) => Float4E2M1FN.ConvertFromSingle(source, destination);

    public static void ConvertToSingle(ReadOnlySpan<Float4E2M1FN> source, Span<float> destination) => Float4E2M1FN.ConvertToSingle(source, destination);
}

public readonly struct Float8E8M0FNUAdapter : IScalarAdapter<Float8E8M0FNU>
{
    public static FloatFormat Format => FloatFormat.E8M0FNU;

    public static bool IsSignedArithmetic => false;

    public static Float8E8M0FNU FromBits(uint bits) => Float8E8M0FNU.FromBits((byte)bits);

    public static uint Bits(Float8E8M0FNU value) => value.RawBits;

    public static Float8E8M0FNU FromSingle(float value) => (Float8E8M0FNU)value;

    public static Float8E8M0FNU FromDouble(double value) => (Float8E8M0FNU)value;

    public static Float8E8M0FNU FromHalf(Half value) => (Float8E8M0FNU)value;

    public static float ToSingle(Float8E8M0FNU value) => (float)value;

    public static double ToDouble(Float8E8M0FNU value) => (double)value;

    public static Half ToHalf(Float8E8M0FNU value) => (Half)value;

    public static bool IsNaN(Float8E8M0FNU value) => Float8E8M0FNU.IsNaN(value);

    public static bool IsFinite(Float8E8M0FNU value) => Float8E8M0FNU.IsFinite(value);

    public static bool IsInfinity(Float8E8M0FNU value) => false;

    public static bool IsZero(Float8E8M0FNU value) => false;

    public static bool IsNormal(Float8E8M0FNU value) => Float8E8M0FNU.IsFinite(value);

    public static bool IsSubnormal(Float8E8M0FNU value) => false;

    public static bool IsNegative(Float8E8M0FNU value) => false;

    public static bool IsInteger(Float8E8M0FNU value) => Float8E8M0FNU.IsInteger(value);

    public static Float8E8M0FNU Negate(Float8E8M0FNU value) => throw new NotSupportedException();

    public static Float8E8M0FNU Abs(Float8E8M0FNU value) => value;

    public static Float8E8M0FNU Add(Float8E8M0FNU left, Float8E8M0FNU right) => throw new NotSupportedException();

    public static Float8E8M0FNU Subtract(Float8E8M0FNU left, Float8E8M0FNU right) => throw new NotSupportedException();

    public static Float8E8M0FNU Multiply(Float8E8M0FNU left, Float8E8M0FNU right) => left * right;

    public static Float8E8M0FNU Divide(Float8E8M0FNU left, Float8E8M0FNU right) => left / right;

    public static Float8E8M0FNU Parse(string text) => Float8E8M0FNU.Parse(text, CultureInfo.InvariantCulture);

    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out Float8E8M0FNU value) => Float8E8M0FNU.TryParse(text, CultureInfo.InvariantCulture, out value);

    public static void ConvertFromSingle(ReadOnlySpan<float> source, Span<Float8E8M0FNU> destination, RoundingMode rounding, OverflowMode overflow, ulong seed) =>
        Float8E8M0FNU.ConvertFromSingle(source, destination, rounding, overflow, seed);

    public static void ConvertFromSingleDefault(ReadOnlySpan<float> source, Span<Float8E8M0FNU> destination) => Float8E8M0FNU.ConvertFromSingle(source, destination);

    public static void ConvertToSingle(ReadOnlySpan<Float8E8M0FNU> source, Span<float> destination) => Float8E8M0FNU.ConvertToSingle(source, destination);
}
