// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>
/// a * 2^d for an integer-valued d &lt;= 0, correctly rounded (one rounding), as AVX-512 <c>vscalefps</c> computes it, with a
/// portable fallback that gives the same bits on the inputs the softmax kernels produce.
/// </summary>
/// <remarks>
/// <para>Domain (guaranteed by the callers): a is 0, NaN, or in [2^-36, 2^67); d is an integer-valued float &lt;= 0, or -inf,
/// or NaN only when a is NaN. On that domain the portable form equals vscalefps (round to nearest even, no DAZ/FTZ in .NET):</para>
/// <list type="bullet">
/// <item>d is clamped to &gt;= -217 (this also turns -inf into -217). Then d1 = max(d, -90) and d2 = d - d1 in [-127, 0].</item>
/// <item>a * 2^d1 is exact: a &gt;= 2^-36 gives a product &gt;= 2^-126, a normal float, and a power-of-two factor only moves
/// the exponent.</item>
/// <item>(a * 2^d1) * 2^d2 is the single rounding: 2^d2 is a normal float for d2 &gt;= -126, so the product is the exact
/// a * 2^d rounded once. For d2 = -127 the factor built from the bits is +0: then d &lt;= -217 and the true result
/// a * 2^d &lt; 2^67 * 2^-217 = 2^-150 is below half the smallest subnormal (2^-149), so it rounds to 0 as well.</item>
/// <item>a = 0 gives 0 and a = NaN gives NaN either way (NaN payloads are not compared: the kernels replace NaN rows).</item>
/// </list>
/// </remarks>
internal static class ScaleByPowerOfTwo
{
    internal const float MinExponent = -217f;
    internal const float FirstStepMinExponent = -90f;
    private const int ExponentBias = 127;
    private const int MantissaBits = 23;

    /// <summary>Scalar reference (the portable form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Scale(float a, float d)
    {
        d = MinExponent > d ? MinExponent : d;
        float d1 = FirstStepMinExponent > d ? FirstStepMinExponent : d;
        float d2 = d - d1;
        return a * Pow2(d1) * Pow2(d2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Pow2(float k) => BitConverter.Int32BitsToSingle(((int)k + ExponentBias) << MantissaBits);

    /// <summary>128-bit: <c>vscalefps xmm</c> when AVX-512VL is available, else <see cref="Portable(Vector128{float}, Vector128{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Scale(Vector128<float> a, Vector128<float> d)
        => Avx512F.VL.IsSupported ? Avx512F.VL.Scale(a, d) : Portable(a, d);

    /// <summary>256-bit: <c>vscalefps ymm</c> when AVX-512VL is available, else <see cref="Portable(Vector256{float}, Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Scale(Vector256<float> a, Vector256<float> d)
        => Avx512F.VL.IsSupported ? Avx512F.VL.Scale(a, d) : Portable(a, d);

    /// <summary>512-bit: <c>vscalefps zmm</c> when AVX-512F is available, else <see cref="Portable(Vector512{float}, Vector512{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Scale(Vector512<float> a, Vector512<float> d)
        => Avx512F.IsSupported ? Avx512F.Scale(a, d) : Portable(a, d);

    /// <summary>Portable 128-bit body (also called directly by tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Portable(Vector128<float> a, Vector128<float> d)
    {
        d = Vector128.MaxNative(d, Vector128.Create(MinExponent));
        Vector128<float> d1 = Vector128.MaxNative(d, Vector128.Create(FirstStepMinExponent));
        Vector128<float> d2 = d - d1;
        return a * Pow2(d1) * Pow2(d2);
    }

    /// <summary>Portable 256-bit body (also called directly by tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Portable(Vector256<float> a, Vector256<float> d)
    {
        d = Vector256.MaxNative(d, Vector256.Create(MinExponent));
        Vector256<float> d1 = Vector256.MaxNative(d, Vector256.Create(FirstStepMinExponent));
        Vector256<float> d2 = d - d1;
        return a * Pow2(d1) * Pow2(d2);
    }

    /// <summary>Portable 512-bit body (also called directly by tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Portable(Vector512<float> a, Vector512<float> d)
    {
        d = Vector512.MaxNative(d, Vector512.Create(MinExponent));
        Vector512<float> d1 = Vector512.MaxNative(d, Vector512.Create(FirstStepMinExponent));
        Vector512<float> d2 = d - d1;
        return a * Pow2(d1) * Pow2(d2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Pow2(Vector128<float> k)
        => Vector128.ShiftLeft(Vector128.ConvertToInt32(k) + Vector128.Create(ExponentBias), MantissaBits).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pow2(Vector256<float> k)
        => Vector256.ShiftLeft(Vector256.ConvertToInt32(k) + Vector256.Create(ExponentBias), MantissaBits).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pow2(Vector512<float> k)
        => Vector512.ShiftLeft(Vector512.ConvertToInt32(k) + Vector512.Create(ExponentBias), MantissaBits).AsSingle();
}
