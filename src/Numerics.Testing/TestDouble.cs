// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Testing;

/// <summary>
/// A double produced by <see cref="FloatGen"/>: wraps the value so that FsCheck prints its bits in failure reports
/// (<c>0.0029296875 (0x3F68000000000000)</c>) and shrinks it toward simpler bit patterns.
/// </summary>
/// <param name="Value">The value.</param>
public readonly record struct TestDouble(double Value)
{
    /// <summary>Gets the IEEE 754 binary64 bit pattern of <see cref="Value"/>.</summary>
    public ulong Bits => BitConverter.DoubleToUInt64Bits(Value);

    /// <summary>Converts to the wrapped double.</summary>
    /// <param name="value">The wrapper.</param>
    public static implicit operator double(TestDouble value) => value.Value;

    /// <summary>Returns the wrapped double.</summary>
    /// <returns>The value.</returns>
    public double ToDouble() => Value;

    /// <summary>Returns the round-trip decimal form and the bit pattern, for example <c>-0 (0x8000000000000000)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Format(Value);

    /// <summary>Writes a double as its round-trip decimal form and its bit pattern.</summary>
    internal static string Format(double value) =>
        string.Create(CultureInfo.InvariantCulture, $"{(value == 0 && double.IsNegative(value) ? "-0" : value.ToString("R", CultureInfo.InvariantCulture))} (0x{BitConverter.DoubleToUInt64Bits(value):X16})");
}

/// <summary>
/// A float produced by <see cref="FloatGen"/>'s binary32 generators: prints its bits in failure reports
/// (<c>0.0029296875 (0x3B400000)</c>) and shrinks toward simpler bit patterns.
/// </summary>
/// <param name="Value">The value.</param>
public readonly record struct TestSingle(float Value)
{
    /// <summary>Gets the IEEE 754 binary32 bit pattern of <see cref="Value"/>.</summary>
    public uint Bits => BitConverter.SingleToUInt32Bits(Value);

    /// <summary>Converts to the wrapped float.</summary>
    /// <param name="value">The wrapper.</param>
    public static implicit operator float(TestSingle value) => value.Value;

    /// <summary>Returns the wrapped float.</summary>
    /// <returns>The value.</returns>
    public float ToSingle() => Value;

    /// <summary>Returns the round-trip decimal form and the bit pattern, for example <c>1.5 (0x3FC00000)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Value == 0 && float.IsNegative(Value) ? "-0" : Value.ToString("R", CultureInfo.InvariantCulture))} (0x{Bits:X8})");
}
