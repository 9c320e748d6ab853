// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics.X86;
using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>
/// The A packing against the panel layout written out here: panel q of a block holds, for every depth p, the Mr values
/// op(A)[i0 + q·Mr + r, p0 + p] at q·Mr·kc + p·Mr + r, and zeros for rows past the block. Covers the AVX transpose of full
/// 8-row FP32 panels (kc a multiple of 8 and not, an lda wider than the block) and the element loop (other Mr, partial panels).
/// </summary>
public sealed unsafe class GemmPackingTests
{
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        // mc, kc, mr, extra columns of lda
        { 8, 8, 8, 0 },
        { 8, 1, 8, 3 },
        { 16, 21, 8, 5 },
        { 21, 64, 8, 0 },   // two full panels and a partial one
        { 40, 37, 8, 11 },
        { 13, 19, 6, 2 },
        { 9, 9, 4, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PackA_writes_the_documented_panel_layout(int mc, int kc, int mr, int extra)
    {
        int i0 = 3, p0 = 5, rowsOfA = i0 + mc + 2, lda = p0 + kc + extra;
        var rng = new Random((mc * 131) + kc);
        float[] a = new float[rowsOfA * lda];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)(rng.NextDouble() - 0.5);
        }

        int panels = (mc + mr - 1) / mr;
        float[] packed = new float[panels * mr * kc];
        packed.AsSpan().Fill(float.NaN); // every slot must be written
        fixed (float* pa = a, pd = packed)
        {
            var job = new GemmJob { A = pa, Lda = lda, M = rowsOfA, K = lda };
            GemmPacking.PackA<float, SingleInput>(job, i0, mc, p0, kc, mr, pd);
        }

        for (int q = 0; q < panels; q++)
        {
            for (int p = 0; p < kc; p++)
            {
                for (int r = 0; r < mr; r++)
                {
                    int row = (q * mr) + r;
                    float expected = row < mc ? a[((i0 + row) * lda) + p0 + p] : 0f;
                    float actual = packed[(q * mr * kc) + (p * mr) + r];
                    Assert.True(
                        BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
                        $"panel {q}, p {p}, r {r}: expected {expected}, got {actual}");
                }
            }
        }
    }

    [Fact]
    public void Transpose8_turns_rows_into_columns()
    {
        Assert.SkipUnless(Avx.IsSupported, "AVX not available on this runtime/tier");
        float[] a = new float[8 * 11], packed = new float[8 * 9];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = i;
        }

        fixed (float* pa = a, pd = packed)
        {
            GemmPacking.Transpose8(pa, 11, 9, pd); // one 8 x 8 block and one leftover column, lda 11
        }

        for (int p = 0; p < 9; p++)
        {
            for (int r = 0; r < 8; r++)
            {
                Assert.Equal(a[(r * 11) + p], packed[(p * 8) + r]);
            }
        }
    }
}
