// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>
/// INT8 GEMM micro-kernel with AVX-VNNI (<c>vpdpbusd ymm</c>, u8 × s8 → s32): a 6 × 16 tile in 12 ymm accumulators.
/// </summary>
/// <remarks>
/// .NET 10 exposes only the VEX (256-bit) form of VNNI (no <c>Avx512Vnni</c> class), which reaches ymm0-15: 12 accumulators,
/// 2 B vectors and a broadcast A fit. Each <c>vpdpbusd</c> lane adds four u8 × s8 products to an int32 with wraparound.
/// </remarks>
internal readonly unsafe struct GemmI8Kernel6x16AvxVnni : IGemmInt8MicroKernel
{
    /// <inheritdoc/>
    public static int Mr => 6;

    /// <inheritdoc/>
    public static int Nr => 16;

    /// <inheritdoc/>
    public static int AGroupBytes => 4;

    /// <inheritdoc/>
    public static bool IsSupported => AvxVnni.IsSupported;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int groups, byte* aPanel, sbyte* bPanel, int* correction, int* c, nint ldc, bool accumulate)
    {
        Vector256<int> k0 = Vector256.Load(correction), k1 = Vector256.Load(correction + 8);
        Vector256<int> c00 = k0, c01 = k1, c10 = k0, c11 = k1, c20 = k0, c21 = k1;
        Vector256<int> c30 = k0, c31 = k1, c40 = k0, c41 = k1, c50 = k0, c51 = k1;
        byte* pa = aPanel;
        sbyte* pb = bPanel;
        for (int g = 0; g < groups; g++)
        {
            Vector256<sbyte> b0 = Vector256.Load(pb), b1 = Vector256.Load(pb + 32);
            Vector256<byte> a = Vector256.Create(Unsafe.ReadUnaligned<int>(pa)).AsByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, a, b0);
            c01 = AvxVnni.MultiplyWideningAndAdd(c01, a, b1);
            a = Vector256.Create(Unsafe.ReadUnaligned<int>(pa + 4)).AsByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, a, b0);
            c11 = AvxVnni.MultiplyWideningAndAdd(c11, a, b1);
            a = Vector256.Create(Unsafe.ReadUnaligned<int>(pa + 8)).AsByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, a, b0);
            c21 = AvxVnni.MultiplyWideningAndAdd(c21, a, b1);
            a = Vector256.Create(Unsafe.ReadUnaligned<int>(pa + 12)).AsByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, a, b0);
            c31 = AvxVnni.MultiplyWideningAndAdd(c31, a, b1);
            a = Vector256.Create(Unsafe.ReadUnaligned<int>(pa + 16)).AsByte();
            c40 = AvxVnni.MultiplyWideningAndAdd(c40, a, b0);
            c41 = AvxVnni.MultiplyWideningAndAdd(c41, a, b1);
            a = Vector256.Create(Unsafe.ReadUnaligned<int>(pa + 20)).AsByte();
            c50 = AvxVnni.MultiplyWideningAndAdd(c50, a, b0);
            c51 = AvxVnni.MultiplyWideningAndAdd(c51, a, b1);
            pa += 24;
            pb += 64;
        }

        GemmI8Tile.StoreRow(c, c00, c01, accumulate);
        GemmI8Tile.StoreRow(c + ldc, c10, c11, accumulate);
        GemmI8Tile.StoreRow(c + (2 * ldc), c20, c21, accumulate);
        GemmI8Tile.StoreRow(c + (3 * ldc), c30, c31, accumulate);
        GemmI8Tile.StoreRow(c + (4 * ldc), c40, c41, accumulate);
        GemmI8Tile.StoreRow(c + (5 * ldc), c50, c51, accumulate);
    }
}
