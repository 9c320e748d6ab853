// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Formats.Rounding;

// Fast round-to-nearest-even, non-saturating encoders (ml_dtypes' default cast) for the hot formats, after F. Giesen's
// float_to_half_fast3_rtne: normal values add the exponent rebias, half an ulp minus one and the kept LSB (ties to even, a
// carry moves into the exponent); values below the min normal are rounded by the FPU when added to a magic constant whose ulp
// is the format's smallest subnormal (the sum's low bits are the code); beyond the overflow threshold the code is the
// non-saturating overflow code; NaN keeps its sign. Each is checked against the general encoder on every width.

/// <summary>binary16: RNE, overflow to ±∞ (65520 and above), NaN -> 0x7E00 | sign.</summary>
internal readonly struct Binary16RneEncodeOperator<TLanes> : IEncodeOperator
    where TLanes : struct, IRareLanePolicy
{
    private const uint AbsMask = 0x7FFF_FFFF;
    private const uint InfinityBits = 0x7F80_0000;
    private const int CodeBits = 16;
    private const int DropBits = 13;                        // 23 - 10 fraction bits
    private const uint MinNormalBits = 113u << 23;          // 2^-14
    private const uint SubnormalMagic = 126u << 23;         // 0.5f: its ulp is 2^-24, the smallest binary16 subnormal
    private const uint RebiasAndHalf = unchecked((uint)((15 - 127) << 23)) + 0x0FFF;
    private const uint OverflowBits = 0x477F_EFFF;          // the largest float below 65520, the RNE overflow threshold
    private const uint OverflowCode = 0x7C00;               // +∞, and the least code of every float above OverflowBits
    private const uint NaNCode = 0x7E00;                    // quiet NaN

    /// <summary>The scalar reference: the general encoder.</summary>
    public uint Encode(float x) => (uint)FloatFormat.Binary16.Encode(x);

    /// <summary>The Vector128 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Encode(Vector128<float> x)
    {
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> f = bits & Vector128.Create(AbsMask);
        Vector128<uint> sign = Vector128.ShiftRightLogical(bits, 32 - CodeBits) & Vector128.Create(1u << (CodeBits - 1));
        Vector128<uint> odd = Vector128.ShiftRightLogical(f, DropBits) & Vector128<uint>.One;
        Vector128<uint> code = Vector128.ShiftRightLogical(f + Vector128.Create(RebiasAndHalf) + odd, DropBits);

        // Lanes below the min normal or above the overflow threshold are rare: with BranchOnRareLanes their selects run only in
        // vectors that hold one; with SelectRareLanes (the streaming loop) always, without a branch.
        if (!TLanes.Branch || Vector128.GreaterThanOrEqualAny(f - Vector128.Create(MinNormalBits), Vector128.Create(OverflowBits + 1 - MinNormalBits)))
        {
            Vector128<uint> subnormal = (f.AsSingle() + Vector128.Create(SubnormalMagic).AsSingle()).AsUInt32() - Vector128.Create(SubnormalMagic);
            code = Vector128.ConditionalSelect(Vector128.LessThan(f, Vector128.Create(MinNormalBits)), subnormal, Vector128.Min(code, Vector128.Create(OverflowCode)));
            code = Vector128.ConditionalSelect(Vector128.GreaterThan(f, Vector128.Create(InfinityBits)), Vector128.Create(NaNCode), code);
        }

        return code | sign;
    }

    /// <summary>The Vector256 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Encode(Vector256<float> x)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> f = bits & Vector256.Create(AbsMask);
        Vector256<uint> sign = Vector256.ShiftRightLogical(bits, 32 - CodeBits) & Vector256.Create(1u << (CodeBits - 1));
        Vector256<uint> odd = Vector256.ShiftRightLogical(f, DropBits) & Vector256<uint>.One;
        Vector256<uint> code = Vector256.ShiftRightLogical(f + Vector256.Create(RebiasAndHalf) + odd, DropBits);

        // Lanes below the min normal or above the overflow threshold are rare: with BranchOnRareLanes their selects run only in
        // vectors that hold one; with SelectRareLanes (the streaming loop) always, without a branch.
        if (!TLanes.Branch || Vector256.GreaterThanOrEqualAny(f - Vector256.Create(MinNormalBits), Vector256.Create(OverflowBits + 1 - MinNormalBits)))
        {
            Vector256<uint> subnormal = (f.AsSingle() + Vector256.Create(SubnormalMagic).AsSingle()).AsUInt32() - Vector256.Create(SubnormalMagic);
            code = Vector256.ConditionalSelect(Vector256.LessThan(f, Vector256.Create(MinNormalBits)), subnormal, Vector256.Min(code, Vector256.Create(OverflowCode)));
            code = Vector256.ConditionalSelect(Vector256.GreaterThan(f, Vector256.Create(InfinityBits)), Vector256.Create(NaNCode), code);
        }

        return code | sign;
    }

    /// <summary>The Vector512 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Encode(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> f = bits & Vector512.Create(AbsMask);
        Vector512<uint> sign = Vector512.ShiftRightLogical(bits, 32 - CodeBits) & Vector512.Create(1u << (CodeBits - 1));
        Vector512<uint> odd = Vector512.ShiftRightLogical(f, DropBits) & Vector512<uint>.One;
        Vector512<uint> code = Vector512.ShiftRightLogical(f + Vector512.Create(RebiasAndHalf) + odd, DropBits);

        // Lanes below the min normal or above the overflow threshold are rare: with BranchOnRareLanes their selects run only in
        // vectors that hold one; with SelectRareLanes (the streaming loop) always, without a branch.
        if (!TLanes.Branch || Vector512.GreaterThanOrEqualAny(f - Vector512.Create(MinNormalBits), Vector512.Create(OverflowBits + 1 - MinNormalBits)))
        {
            Vector512<uint> subnormal = (f.AsSingle() + Vector512.Create(SubnormalMagic).AsSingle()).AsUInt32() - Vector512.Create(SubnormalMagic);
            code = Vector512.ConditionalSelect(Vector512.LessThan(f, Vector512.Create(MinNormalBits)), subnormal, Vector512.Min(code, Vector512.Create(OverflowCode)));
            code = Vector512.ConditionalSelect(Vector512.GreaterThan(f, Vector512.Create(InfinityBits)), Vector512.Create(NaNCode), code);
        }

        return code | sign;
    }
}

/// <summary>float8_e4m3fn: RNE; above 464 the non-saturating result is NaN 0x7F | sign (464 itself rounds to 448).</summary>
internal readonly struct E4M3FNRneEncodeOperator<TLanes> : IEncodeOperator
    where TLanes : struct, IRareLanePolicy
{
    private const uint AbsMask = 0x7FFF_FFFF;
    private const int CodeBits = 8;
    private const int DropBits = 20;                        // 23 - 3 fraction bits
    private const uint MinNormalBits = 121u << 23;          // 2^-6
    private const uint SubnormalMagic = 141u << 23;         // 2^14: its ulp is 2^-9, the smallest E4M3 subnormal
    private const uint RebiasAndHalf = unchecked((uint)((7 - 127) << 23)) + 0x7_FFFF;
    private const uint OverflowBits = 0x43E8_0000;          // 464: above it everything overflows
    private const uint OverflowCode = 0x7F;                 // NaN (no infinity), also the code of NaN inputs, and the least code of
                                                            // every float above OverflowBits: one unsigned minimum places all three

    /// <summary>The scalar reference: the general encoder.</summary>
    public uint Encode(float x) => (uint)FloatFormat.E4M3FN.Encode(x);

    /// <summary>The Vector128 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Encode(Vector128<float> x)
    {
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> f = bits & Vector128.Create(AbsMask);
        Vector128<uint> sign = Vector128.ShiftRightLogical(bits, 32 - CodeBits) & Vector128.Create(1u << (CodeBits - 1));
        Vector128<uint> odd = Vector128.ShiftRightLogical(f, DropBits) & Vector128<uint>.One;
        Vector128<uint> code = Vector128.ShiftRightLogical(f + Vector128.Create(RebiasAndHalf) + odd, DropBits);

        // Lanes below the min normal or above the overflow threshold are rare: with BranchOnRareLanes their selects run only in
        // vectors that hold one; with SelectRareLanes (the streaming loop) always, without a branch.
        if (!TLanes.Branch || Vector128.GreaterThanOrEqualAny(f - Vector128.Create(MinNormalBits), Vector128.Create(OverflowBits + 1 - MinNormalBits)))
        {
            Vector128<uint> subnormal = (f.AsSingle() + Vector128.Create(SubnormalMagic).AsSingle()).AsUInt32() - Vector128.Create(SubnormalMagic);
            code = Vector128.ConditionalSelect(Vector128.LessThan(f, Vector128.Create(MinNormalBits)), subnormal, Vector128.Min(code, Vector128.Create(OverflowCode)));
        }

        return code | sign;
    }

    /// <summary>The Vector256 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Encode(Vector256<float> x)
    {
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> f = bits & Vector256.Create(AbsMask);
        Vector256<uint> sign = Vector256.ShiftRightLogical(bits, 32 - CodeBits) & Vector256.Create(1u << (CodeBits - 1));
        Vector256<uint> odd = Vector256.ShiftRightLogical(f, DropBits) & Vector256<uint>.One;
        Vector256<uint> code = Vector256.ShiftRightLogical(f + Vector256.Create(RebiasAndHalf) + odd, DropBits);

        // Lanes below the min normal or above the overflow threshold are rare: with BranchOnRareLanes their selects run only in
        // vectors that hold one; with SelectRareLanes (the streaming loop) always, without a branch.
        if (!TLanes.Branch || Vector256.GreaterThanOrEqualAny(f - Vector256.Create(MinNormalBits), Vector256.Create(OverflowBits + 1 - MinNormalBits)))
        {
            Vector256<uint> subnormal = (f.AsSingle() + Vector256.Create(SubnormalMagic).AsSingle()).AsUInt32() - Vector256.Create(SubnormalMagic);
            code = Vector256.ConditionalSelect(Vector256.LessThan(f, Vector256.Create(MinNormalBits)), subnormal, Vector256.Min(code, Vector256.Create(OverflowCode)));
        }

        return code | sign;
    }

    /// <summary>The Vector512 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Encode(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> f = bits & Vector512.Create(AbsMask);
        Vector512<uint> sign = Vector512.ShiftRightLogical(bits, 32 - CodeBits) & Vector512.Create(1u << (CodeBits - 1));
        Vector512<uint> odd = Vector512.ShiftRightLogical(f, DropBits) & Vector512<uint>.One;
        Vector512<uint> code = Vector512.ShiftRightLogical(f + Vector512.Create(RebiasAndHalf) + odd, DropBits);

        // Lanes below the min normal or above the overflow threshold are rare: with BranchOnRareLanes their selects run only in
        // vectors that hold one; with SelectRareLanes (the streaming loop) always, without a branch.
        if (!TLanes.Branch || Vector512.GreaterThanOrEqualAny(f - Vector512.Create(MinNormalBits), Vector512.Create(OverflowBits + 1 - MinNormalBits)))
        {
            Vector512<uint> subnormal = (f.AsSingle() + Vector512.Create(SubnormalMagic).AsSingle()).AsUInt32() - Vector512.Create(SubnormalMagic);
            code = Vector512.ConditionalSelect(Vector512.LessThan(f, Vector512.Create(MinNormalBits)), subnormal, Vector512.Min(code, Vector512.Create(OverflowCode)));
        }

        return code | sign;
    }
}

/// <summary>bfloat16: RNE on the binary32 bit pattern, overflow to ±∞, NaN -> 0x7FC0 | sign (ml_dtypes/Eigen).</summary>
internal readonly struct BFloat16RneEncodeOperator : IEncodeOperator
{
    private const uint SignMask = 0x8000_0000;
    private const uint AbsMask = 0x7FFF_FFFF;
    private const uint InfinityBits = 0x7F80_0000;
    private const uint QuietNaNCode = 0x7FC0;

    /// <summary>The scalar reference: the general encoder.</summary>
    public uint Encode(float x) => (uint)FloatFormat.BFloat16.Encode(x);

    /// <summary>The Vector128 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Encode(Vector128<float> x)
    {
        // bits + 0x7FFF + lsb rounds the low half to nearest even and carries into the exponent (FLT_MAX carries into +∞).
        Vector128<uint> bits = x.AsUInt32();
        Vector128<uint> lsb = Vector128.ShiftRightLogical(bits, 16) & Vector128<uint>.One;
        Vector128<uint> rounded = Vector128.ShiftRightLogical(bits + Vector128.Create(0x7FFFu) + lsb, 16);
        Vector128<uint> nan = Vector128.ShiftRightLogical(bits & Vector128.Create(SignMask), 16) | Vector128.Create(QuietNaNCode);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(bits & Vector128.Create(AbsMask), Vector128.Create(InfinityBits)), nan, rounded);
    }

    /// <summary>The Vector256 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Encode(Vector256<float> x)
    {
        // bits + 0x7FFF + lsb rounds the low half to nearest even and carries into the exponent (FLT_MAX carries into +∞).
        Vector256<uint> bits = x.AsUInt32();
        Vector256<uint> lsb = Vector256.ShiftRightLogical(bits, 16) & Vector256<uint>.One;
        Vector256<uint> rounded = Vector256.ShiftRightLogical(bits + Vector256.Create(0x7FFFu) + lsb, 16);
        Vector256<uint> nan = Vector256.ShiftRightLogical(bits & Vector256.Create(SignMask), 16) | Vector256.Create(QuietNaNCode);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(bits & Vector256.Create(AbsMask), Vector256.Create(InfinityBits)), nan, rounded);
    }

    /// <summary>The Vector512 body (the same text as the other widths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Encode(Vector512<float> x)
    {
        // bits + 0x7FFF + lsb rounds the low half to nearest even and carries into the exponent (FLT_MAX carries into +∞).
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> lsb = Vector512.ShiftRightLogical(bits, 16) & Vector512<uint>.One;
        Vector512<uint> rounded = Vector512.ShiftRightLogical(bits + Vector512.Create(0x7FFFu) + lsb, 16);
        Vector512<uint> nan = Vector512.ShiftRightLogical(bits & Vector512.Create(SignMask), 16) | Vector512.Create(QuietNaNCode);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(bits & Vector512.Create(AbsMask), Vector512.Create(InfinityBits)), nan, rounded);
    }
}
