// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Numerics.Kernels;

/// <summary>The write-back shared by the 256-bit INT8 micro-kernels (<see cref="IGemmInt8MicroKernel"/>).</summary>
internal static unsafe class GemmI8Tile
{
    /// <summary>Writes one 16-int row of the tile: the sums, plus what the row held when <paramref name="accumulate"/> (int32, wrapping).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRow(int* row, Vector256<int> lo, Vector256<int> hi, bool accumulate)
    {
        if (accumulate)
        {
            lo += Vector256.Load(row);
            hi += Vector256.Load(row + 8);
        }

        lo.Store(row);
        hi.Store(row + 8);
    }
}
