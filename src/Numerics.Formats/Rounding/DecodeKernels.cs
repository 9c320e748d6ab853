// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

/// <summary>Decodes codes (zero-extended to 32-bit lanes) to binary32 values: a scalar reference and three vector bodies.</summary>
internal interface ICodeDecodeOperator
{
    float Invoke(uint code);

    Vector128<float> Invoke(Vector128<uint> codes);

    Vector256<float> Invoke(Vector256<uint> codes);

    Vector512<float> Invoke(Vector512<uint> codes);
}

/// <summary>
/// Arithmetic decode of a sign/exponent/fraction code of at most 16 bits: the magnitude bits are shifted into binary32
/// position (exponent field onto exponent field, fraction left-aligned) and multiplied by the power of two that moves the
/// format's bias onto binary32's (exact: subnormal codes become binary32 subnormals, which the multiply normalizes); the sign
/// bit is or-ed in. The codes the formula does not describe are patched: every magnitude at or above <c>SpecialStart</c>
/// (inf/NaN) takes one of two values per sign (the first special magnitude, the rest), and one extra code (FNUZ's NaN at the
/// negative-zero code) takes its own value.
/// </summary>
/// <remarks>
/// <see cref="TryCreate"/> derives the parameters from the format's decode table (the scalar reference) and accepts them only
/// when the scalar formula reproduces every entry bit for bit, so a format it does not fit (E8M0, exotic custom formats)
/// keeps the table loop. The vector bodies are the scalar formula lane by lane.
/// </remarks>
internal readonly struct CodeDecodeOperator : ICodeDecodeOperator
{
    private const uint NoExtraCode = uint.MaxValue;
    private readonly uint _magnitudeMask;
    private readonly int _signShift;
    private readonly int _fractionShift;
    private readonly float _scale;
    private readonly uint _specialStart;
    private readonly uint _firstPositive, _firstNegative, _restPositive, _restNegative;
    private readonly uint _extraCode, _extraBits;

    private CodeDecodeOperator(int bitCount, int fractionBits, float scale, uint specialStart, uint firstPositive, uint firstNegative, uint restPositive, uint restNegative, uint extraCode, uint extraBits)
    {
        _magnitudeMask = (1u << (bitCount - 1)) - 1;
        _signShift = 32 - bitCount;
        _fractionShift = 23 - fractionBits;
        _scale = scale;
        _specialStart = specialStart;
        _firstPositive = firstPositive;
        _firstNegative = firstNegative;
        _restPositive = restPositive;
        _restNegative = restNegative;
        _extraCode = extraCode;
        _extraBits = extraBits;
    }

    /// <summary>Builds the operator for a signed format of 2..16 bits whose decode table it reproduces exactly; otherwise false.</summary>
    public static bool TryCreate(int bitCount, int fractionBits, ReadOnlySpan<float> table, out CodeDecodeOperator op)
    {
        op = default;
        if (bitCount is < 2 or > 16 || fractionBits < 0 || fractionBits > bitCount - 2 || table.Length != 1 << bitCount)
        {
            return false;
        }

        // The scale: the code of the smallest normal (exponent field 1, fraction 0) over the binary32 value with the same fields.
        float minNormal = table[1 << fractionBits];
        float scale = minNormal / BitConverter.UInt32BitsToSingle(1u << 23);
        if (!(scale > 0f) || float.IsInfinity(scale) || (BitConverter.SingleToUInt32Bits(scale) & 0x007F_FFFF) != 0)
        {
            return false;
        }

        uint half = 1u << (bitCount - 1);
        var probe = new CodeDecodeOperator(bitCount, fractionBits, scale, half, 0, 0, 0, 0, NoExtraCode, 0);

        // The first magnitude where the formula disagrees with the table (the positive codes, then the negative ones).
        uint start = half;
        for (uint m = 0; m < half; m++)
        {
            if (Bits(probe.Invoke(m)) != Bits(table[(int)m]) || (m != 0 && Bits(probe.Invoke(m | half)) != Bits(table[(int)(m | half)])))
            {
                start = m;
                break;
            }
        }

        uint extraCode = NoExtraCode, extraBits = 0;
        if (Bits(probe.Invoke(half)) != Bits(table[(int)half]))
        {
            extraCode = half;
            extraBits = Bits(table[(int)half]);
        }

        uint firstPositive = 0, firstNegative = 0, restPositive = 0, restNegative = 0;
        if (start < half)
        {
            firstPositive = Bits(table[(int)start]);
            firstNegative = Bits(table[(int)(start | half)]);
            restPositive = start + 1 < half ? Bits(table[(int)(start + 1)]) : 0;
            restNegative = start + 1 < half ? Bits(table[(int)(start + 1 | half)]) : 0;
        }

        op = new CodeDecodeOperator(bitCount, fractionBits, scale, start, firstPositive, firstNegative, restPositive, restNegative, extraCode, extraBits);
        for (int c = 0; c < table.Length; c++)
        {
            if (Bits(op.Invoke((uint)c)) != Bits(table[c]))
            {
                op = default;
                return false;
            }
        }

        return true;

        static uint Bits(float x) => BitConverter.SingleToUInt32Bits(x);
    }

    /// <summary>The scalar formula (checked against the decode table for every code by <see cref="TryCreate"/>).</summary>
    public float Invoke(uint code)
    {
        uint magnitude = code & _magnitudeMask;
        uint sign = (code << _signShift) & 0x8000_0000;
        uint bits = BitConverter.SingleToUInt32Bits(BitConverter.UInt32BitsToSingle(magnitude << _fractionShift) * _scale) | sign;
        if (magnitude >= _specialStart)
        {
            bits = magnitude == _specialStart ? (sign != 0 ? _firstNegative : _firstPositive) : (sign != 0 ? _restNegative : _restPositive);
        }

        if (code == _extraCode)
        {
            bits = _extraBits;
        }

        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary>The Vector128 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<uint> codes)
    {
        Vector128<uint> magnitude = codes & Vector128.Create(_magnitudeMask);
        Vector128<uint> sign = Vector128.ShiftLeft(codes, _signShift) & Vector128.Create(0x8000_0000u);
        Vector128<uint> bits = (Vector128.ShiftLeft(magnitude, _fractionShift).AsSingle() * Vector128.Create(_scale)).AsUInt32() | sign;
        Vector128<uint> special = Vector128.GreaterThanOrEqual(magnitude, Vector128.Create(_specialStart));
        if (special != Vector128<uint>.Zero)
        {
            Vector128<uint> negative = Vector128.Equals(sign, Vector128<uint>.Zero);
            Vector128<uint> first = Vector128.ConditionalSelect(negative, Vector128.Create(_firstPositive), Vector128.Create(_firstNegative));
            Vector128<uint> rest = Vector128.ConditionalSelect(negative, Vector128.Create(_restPositive), Vector128.Create(_restNegative));
            bits = Vector128.ConditionalSelect(special, Vector128.ConditionalSelect(Vector128.Equals(magnitude, Vector128.Create(_specialStart)), first, rest), bits);
        }

        if (_extraCode != NoExtraCode)
        {
            bits = Vector128.ConditionalSelect(Vector128.Equals(codes, Vector128.Create(_extraCode)), Vector128.Create(_extraBits), bits);
        }

        return bits.AsSingle();
    }

    /// <summary>The Vector256 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<uint> codes)
    {
        Vector256<uint> magnitude = codes & Vector256.Create(_magnitudeMask);
        Vector256<uint> sign = Vector256.ShiftLeft(codes, _signShift) & Vector256.Create(0x8000_0000u);
        Vector256<uint> bits = (Vector256.ShiftLeft(magnitude, _fractionShift).AsSingle() * Vector256.Create(_scale)).AsUInt32() | sign;
        Vector256<uint> special = Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(_specialStart));
        if (special != Vector256<uint>.Zero)
        {
            Vector256<uint> negative = Vector256.Equals(sign, Vector256<uint>.Zero);
            Vector256<uint> first = Vector256.ConditionalSelect(negative, Vector256.Create(_firstPositive), Vector256.Create(_firstNegative));
            Vector256<uint> rest = Vector256.ConditionalSelect(negative, Vector256.Create(_restPositive), Vector256.Create(_restNegative));
            bits = Vector256.ConditionalSelect(special, Vector256.ConditionalSelect(Vector256.Equals(magnitude, Vector256.Create(_specialStart)), first, rest), bits);
        }

        if (_extraCode != NoExtraCode)
        {
            bits = Vector256.ConditionalSelect(Vector256.Equals(codes, Vector256.Create(_extraCode)), Vector256.Create(_extraBits), bits);
        }

        return bits.AsSingle();
    }

    /// <summary>The Vector512 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<uint> codes)
    {
        Vector512<uint> magnitude = codes & Vector512.Create(_magnitudeMask);
        Vector512<uint> sign = Vector512.ShiftLeft(codes, _signShift) & Vector512.Create(0x8000_0000u);
        Vector512<uint> bits = (Vector512.ShiftLeft(magnitude, _fractionShift).AsSingle() * Vector512.Create(_scale)).AsUInt32() | sign;
        Vector512<uint> special = Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(_specialStart));
        if (special != Vector512<uint>.Zero)
        {
            Vector512<uint> negative = Vector512.Equals(sign, Vector512<uint>.Zero);
            Vector512<uint> first = Vector512.ConditionalSelect(negative, Vector512.Create(_firstPositive), Vector512.Create(_firstNegative));
            Vector512<uint> rest = Vector512.ConditionalSelect(negative, Vector512.Create(_restPositive), Vector512.Create(_restNegative));
            bits = Vector512.ConditionalSelect(special, Vector512.ConditionalSelect(Vector512.Equals(magnitude, Vector512.Create(_specialStart)), first, rest), bits);
        }

        if (_extraCode != NoExtraCode)
        {
            bits = Vector512.ConditionalSelect(Vector512.Equals(codes, Vector512.Create(_extraCode)), Vector512.Create(_extraBits), bits);
        }

        return bits.AsSingle();
    }
}

/// <summary>
/// bfloat16: the code is the high half of the binary32 bits, so decoding is a shift; NaN codes become the quiet NaN of their
/// sign (0x7FC00000 / 0xFFC00000), as the scalar decoder gives them (it does not keep payloads).
/// </summary>
internal readonly struct BFloat16DecodeOperator : ICodeDecodeOperator
{
    private const uint AbsMask = 0x7FFF_FFFF;
    private const uint InfinityBits = 0x7F80_0000;
    private const uint QuietNaN = 0x7FC0_0000;

    public float Invoke(uint code)
    {
        uint bits = code << 16;
        return BitConverter.UInt32BitsToSingle((bits & AbsMask) > InfinityBits ? (bits & ~AbsMask) | QuietNaN : bits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<uint> codes)
    {
        Vector128<uint> bits = Vector128.ShiftLeft(codes, 16);
        Vector128<uint> nan = Vector128.GreaterThan(bits & Vector128.Create(AbsMask), Vector128.Create(InfinityBits));
        return Vector128.ConditionalSelect(nan, (bits & Vector128.Create(~AbsMask)) | Vector128.Create(QuietNaN), bits).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<uint> codes)
    {
        Vector256<uint> bits = Vector256.ShiftLeft(codes, 16);
        Vector256<uint> nan = Vector256.GreaterThan(bits & Vector256.Create(AbsMask), Vector256.Create(InfinityBits));
        return Vector256.ConditionalSelect(nan, (bits & Vector256.Create(~AbsMask)) | Vector256.Create(QuietNaN), bits).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<uint> codes)
    {
        Vector512<uint> bits = Vector512.ShiftLeft(codes, 16);
        Vector512<uint> nan = Vector512.GreaterThan(bits & Vector512.Create(AbsMask), Vector512.Create(InfinityBits));
        return Vector512.ConditionalSelect(nan, (bits & Vector512.Create(~AbsMask)) | Vector512.Create(QuietNaN), bits).AsSingle();
    }
}

/// <summary>
/// E8M0 (the MX scale, unsigned, no zero): code c is 2^(c-127), the binary32 bits c &lt;&lt; 23, except code 0 (2^-127, the binary32
/// subnormal 0x00400000) and code 0xFF (NaN: the value the scalar decoder gives, passed in).
/// </summary>
internal readonly struct E8M0DecodeOperator : ICodeDecodeOperator
{
    private const uint ZeroCodeBits = 0x0040_0000;
    private readonly uint _nanBits;

    public E8M0DecodeOperator(uint nanBits) => _nanBits = nanBits;

    public float Invoke(uint code) => BitConverter.UInt32BitsToSingle(code == 0 ? ZeroCodeBits : code == 0xFF ? _nanBits : code << 23);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<uint> codes)
    {
        Vector128<uint> bits = Vector128.ConditionalSelect(Vector128.Equals(codes, Vector128<uint>.Zero), Vector128.Create(ZeroCodeBits), Vector128.ShiftLeft(codes, 23));
        return Vector128.ConditionalSelect(Vector128.Equals(codes, Vector128.Create(0xFFu)), Vector128.Create(_nanBits), bits).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<uint> codes)
    {
        Vector256<uint> bits = Vector256.ConditionalSelect(Vector256.Equals(codes, Vector256<uint>.Zero), Vector256.Create(ZeroCodeBits), Vector256.ShiftLeft(codes, 23));
        return Vector256.ConditionalSelect(Vector256.Equals(codes, Vector256.Create(0xFFu)), Vector256.Create(_nanBits), bits).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<uint> codes)
    {
        Vector512<uint> bits = Vector512.ConditionalSelect(Vector512.Equals(codes, Vector512<uint>.Zero), Vector512.Create(ZeroCodeBits), Vector512.ShiftLeft(codes, 23));
        return Vector512.ConditionalSelect(Vector512.Equals(codes, Vector512.Create(0xFFu)), Vector512.Create(_nanBits), bits).AsSingle();
    }
}
