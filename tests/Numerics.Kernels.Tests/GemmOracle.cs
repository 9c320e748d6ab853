// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Kernels;

namespace Numerics.Kernels.Tests;

/// <summary>Independent oracle for GEMM: a naive triple loop in double (shares no code with the implementation).</summary>
internal static class GemmOracle
{
    /// <summary>Unit roundoff of binary32 (round to nearest).</summary>
    public const double Unit = 1.0 / (1 << 24);

    /// <summary>
    /// Rounding steps an element of C can see: one per fma over k, one per Kc-block merge into C (at most k/8 + 1 with
    /// Kc ≥ 8, the smallest blocking the tests use) and one for beta·C. The error is then at most
    /// γ_n·(|alpha|·Σ|a||b| + |beta·c|) with γ_n = n·u/(1 − n·u) (Higham, Accuracy and Stability, §3.1, fma variant).
    /// </summary>
    public static double Gamma(int k)
    {
        double n = k + (k / 8) + 3;
        return n * Unit / (1 - (n * Unit));
    }

    public static float ElementA(Transpose t, float[] a, int lda, int i, int p) => t == Transpose.None ? a[(i * lda) + p] : a[(p * lda) + i];

    public static float ElementB(Transpose t, float[] b, int ldb, int p, int j) => t == Transpose.None ? b[(p * ldb) + j] : b[(j * ldb) + p];

    /// <summary>Exact-ish reference C' = alpha·op(A)·op(B) + beta·C and the error bound for each element.</summary>
    public static (double[] Value, double[] Bound) Compute(
        Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        var value = new double[m * n];
        var bound = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                if (alpha != 0)
                {
                    for (int p = 0; p < k; p++)
                    {
                        double x = (double)ElementA(ta, a, lda, i, p) * ElementB(tb, b, ldb, p, j);
                        sum += x;
                        magnitude += Math.Abs(x);
                    }
                }

                double cTerm = beta == 0 ? 0 : (double)beta * c[(i * ldc) + j];
                value[(i * n) + j] = ((double)alpha * sum) + cTerm;
                bound[(i * n) + j] = Gamma(k) * ((Math.Abs((double)alpha) * magnitude) + Math.Abs(cTerm));
            }
        }

        return (value, bound);
    }

    /// <summary>Asserts every element of C (m × n with stride ldc) is within its bound of the oracle.</summary>
    public static void AssertClose((double[] Value, double[] Bound) expected, float[] c, int m, int n, int ldc, string context)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double want = expected.Value[(i * n) + j], bound = expected.Bound[(i * n) + j];
                float got = c[(i * ldc) + j];
                if (!(Math.Abs(got - want) <= bound))
                {
                    Assert.Fail($"{context}: C[{i},{j}] = {got:R} (0x{BitConverter.SingleToUInt32Bits(got):X8}), oracle {want:R}, bound {bound:E3}");
                }
            }
        }
    }

    public static float[] Random(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return x;
    }
}
