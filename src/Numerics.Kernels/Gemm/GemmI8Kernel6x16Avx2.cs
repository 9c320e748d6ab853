// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>
/// INT8 GEMM micro-kernel for x86 hardware without AVX-VNNI (AMD Zen 1-4, Intel up to Ice Lake and Cascade Lake): a 6 × 16
/// tile in 12 ymm accumulators, on the packed layout of <see cref="IGemmInt8MicroKernel"/>, with <c>vpmaddwd</c>.
/// </summary>
/// <remarks>
/// <para>
/// A group of B is 16 columns × 4 bytes, two ymm. Their 16-bit words hold (b0, b1) and (b2, b3) of each column; two
/// arithmetic shifts give the sign-extended even bytes (b0, b2) and odd bytes (b1, b3) as words. A comes packed as words
/// (<see cref="GemmInt8Packing.PackAWords"/>: a + 128 in [0, 255] fits a signed word), so each row broadcasts its even pair
/// (a0, a2) and its odd pair (a1, a3) with one load each. Then <c>vpmaddwd</c>(even A, even B) = a0·b0 + a2·b2 and
/// <c>vpmaddwd</c>(odd A, odd B) = a1·b1 + a3·b3 per column, each exact in int32 (|a·b| ≤ 255 · 128), and their sum is the
/// four-product dot that <c>vpdpbusd</c> adds.
/// </para>
/// <para>
/// <c>vpmaddubsw</c> would take the byte products in one instruction but saturates its 16-bit pair sums (2 · 255 · 128 exceeds
/// 32 767), so it cannot give the exact result. .NET 10 exposes no 512-bit <c>vpdpbusd</c> (AVX512-VNNI).
/// Measured on AMD Zen 4 (docs/benchmarks/zen4-2026-11-27.md), against the FP32 GEMM at 1024³ on one thread:
/// the scalar kernel 0.04x; this kernel splitting A itself per tile 1.41x, a 512-bit version of it (one zmm per group,
/// 6 accumulators) 1.24x, as Zen 4 splits every zmm operation in two; with A split once at packing 1.52-1.53x (1.60x at
/// 128 × 4096 × 4096 on two threads). B split at packing too would add about 3 % (timed with a kernel that skips the split).
/// The loop needs 18 vector registers; with only the 16 of AVX2 (<c>DOTNET_EnableAVX512=0</c>, against the 256-bit FP32
/// kernel) it still measured 1.50-1.56x.
/// </para>
/// </remarks>
internal readonly unsafe struct GemmI8Kernel6x16Avx2 : IGemmInt8MicroKernel
{
    /// <inheritdoc/>
    public static int Mr => 6;

    /// <inheritdoc/>
    public static int Nr => 16;

    /// <inheritdoc/>
    /// <remarks>8: A comes split into words at packing time (<see cref="GemmInt8Packing.PackAWords"/>), once per A block instead
    /// of once per tile.</remarks>
    public static int AGroupBytes => 8;

    /// <inheritdoc/>
    public static bool IsSupported => Avx2.IsSupported;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int groups, byte* aPanel, sbyte* bPanel, int* correction, int* c, nint ldc, bool accumulate)
    {
        Vector256<int> k0 = Vector256.Load(correction), k1 = Vector256.Load(correction + 8);
        Vector256<int> c00 = k0, c01 = k1, c10 = k0, c11 = k1, c20 = k0, c21 = k1;
        Vector256<int> c30 = k0, c31 = k1, c40 = k0, c41 = k1, c50 = k0, c51 = k1;
        byte* pa = aPanel;
        short* pb = (short*)bPanel;
        for (int g = 0; g < groups; g++)
        {
            Vector256<short> b0 = Vector256.Load(pb), b1 = Vector256.Load(pb + 16);
            Vector256<short> even0 = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(b0, 8), 8), odd0 = Vector256.ShiftRightArithmetic(b0, 8);
            Vector256<short> even1 = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(b1, 8), 8), odd1 = Vector256.ShiftRightArithmetic(b1, 8);
            Vector256<short> aEven, aOdd;
            aEven = Vector256.Create(*(int*)pa).AsInt16();
            aOdd = Vector256.Create(*(int*)(pa + 4)).AsInt16();
            c00 += Avx2.MultiplyAddAdjacent(aEven, even0) + Avx2.MultiplyAddAdjacent(aOdd, odd0);
            c01 += Avx2.MultiplyAddAdjacent(aEven, even1) + Avx2.MultiplyAddAdjacent(aOdd, odd1);
            aEven = Vector256.Create(*(int*)(pa + 8)).AsInt16();
            aOdd = Vector256.Create(*(int*)(pa + 12)).AsInt16();
            c10 += Avx2.MultiplyAddAdjacent(aEven, even0) + Avx2.MultiplyAddAdjacent(aOdd, odd0);
            c11 += Avx2.MultiplyAddAdjacent(aEven, even1) + Avx2.MultiplyAddAdjacent(aOdd, odd1);
            aEven = Vector256.Create(*(int*)(pa + 16)).AsInt16();
            aOdd = Vector256.Create(*(int*)(pa + 20)).AsInt16();
            c20 += Avx2.MultiplyAddAdjacent(aEven, even0) + Avx2.MultiplyAddAdjacent(aOdd, odd0);
            c21 += Avx2.MultiplyAddAdjacent(aEven, even1) + Avx2.MultiplyAddAdjacent(aOdd, odd1);
            aEven = Vector256.Create(*(int*)(pa + 24)).AsInt16();
            aOdd = Vector256.Create(*(int*)(pa + 28)).AsInt16();
            c30 += Avx2.MultiplyAddAdjacent(aEven, even0) + Avx2.MultiplyAddAdjacent(aOdd, odd0);
            c31 += Avx2.MultiplyAddAdjacent(aEven, even1) + Avx2.MultiplyAddAdjacent(aOdd, odd1);
            aEven = Vector256.Create(*(int*)(pa + 32)).AsInt16();
            aOdd = Vector256.Create(*(int*)(pa + 36)).AsInt16();
            c40 += Avx2.MultiplyAddAdjacent(aEven, even0) + Avx2.MultiplyAddAdjacent(aOdd, odd0);
            c41 += Avx2.MultiplyAddAdjacent(aEven, even1) + Avx2.MultiplyAddAdjacent(aOdd, odd1);
            aEven = Vector256.Create(*(int*)(pa + 40)).AsInt16();
            aOdd = Vector256.Create(*(int*)(pa + 44)).AsInt16();
            c50 += Avx2.MultiplyAddAdjacent(aEven, even0) + Avx2.MultiplyAddAdjacent(aOdd, odd0);
            c51 += Avx2.MultiplyAddAdjacent(aEven, even1) + Avx2.MultiplyAddAdjacent(aOdd, odd1);
            pa += 48;
            pb += 32;
        }

        GemmI8Tile.StoreRow(c, c00, c01, accumulate);
        GemmI8Tile.StoreRow(c + ldc, c10, c11, accumulate);
        GemmI8Tile.StoreRow(c + (2 * ldc), c20, c21, accumulate);
        GemmI8Tile.StoreRow(c + (3 * ldc), c30, c31, accumulate);
        GemmI8Tile.StoreRow(c + (4 * ldc), c40, c41, accumulate);
        GemmI8Tile.StoreRow(c + (5 * ldc), c50, c51, accumulate);
    }
}
