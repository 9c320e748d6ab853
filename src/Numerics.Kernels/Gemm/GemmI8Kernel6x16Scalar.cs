// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;

namespace Numerics.Kernels;

/// <summary>
/// The scalar twin of <see cref="GemmI8Kernel6x16AvxVnni"/> on the same packed layout: the reference for tests and the
/// kernel of hardware without AVX-VNNI. Integer arithmetic with wraparound, so its bits equal the VNNI kernel's.
/// </summary>
internal readonly unsafe struct GemmI8Kernel6x16Scalar : IGemmInt8MicroKernel
{
    /// <inheritdoc/>
    public static int Mr => 6;

    /// <inheritdoc/>
    public static int Nr => 16;

    /// <inheritdoc/>
    public static int AGroupBytes => 4;

    /// <inheritdoc/>
    public static bool IsSupported => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int groups, byte* aPanel, sbyte* bPanel, int* correction, int* c, nint ldc, bool accumulate)
    {
        int* acc = stackalloc int[6 * 16];
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 16; j++)
            {
                acc[(i * 16) + j] = correction[j];
            }
        }

        for (int g = 0; g < groups; g++)
        {
            byte* pa = aPanel + (g * 24);
            sbyte* pb = bPanel + (g * 64);
            for (int i = 0; i < 6; i++)
            {
                int a0 = pa[i * 4], a1 = pa[(i * 4) + 1], a2 = pa[(i * 4) + 2], a3 = pa[(i * 4) + 3];
                int* row = acc + (i * 16);
                for (int j = 0; j < 16; j++)
                {
                    sbyte* b = pb + (j * 4);
                    row[j] = unchecked(row[j] + (a0 * b[0]) + (a1 * b[1]) + (a2 * b[2]) + (a3 * b[3]));
                }
            }
        }

        for (int i = 0; i < 6; i++)
        {
            int* dst = c + (i * ldc);
            for (int j = 0; j < 16; j++)
            {
                dst[j] = unchecked(accumulate ? dst[j] + acc[(i * 16) + j] : acc[(i * 16) + j]);
            }
        }
    }
}
