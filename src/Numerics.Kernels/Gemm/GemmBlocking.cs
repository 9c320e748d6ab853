// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Kernels;

/// <summary>Cache blocking of the BLIS macro-kernel: rows of A per packed block, depth per rank-k update, columns of B per packed block.</summary>
/// <param name="Mc">Rows of A packed at once (the A block lives in L2).</param>
/// <param name="Kc">Depth of one rank-kc update: each element of C is updated once per Kc block.</param>
/// <param name="Nc">Columns of B packed at once (the B block lives in L3).</param>
internal readonly record struct GemmBlocking(int Mc, int Kc, int Nc)
{
    /// <summary>
    /// Depth of every kernel's blocking. It is the same for all kernels on purpose: the summation order of each element of
    /// C depends only on Kc, so one Kc makes every kernel (and so every ISA tier) and every thread count give identical bits.
    /// KERNELS.md §8: Kc = 1024 was the best depth at 1024-4096 (256: 0.87x OpenBLAS, 512: 0.94x, 2048: 0.95x).
    /// </summary>
    public const int DefaultKc = 1024;

    /// <summary>Tiny blocking for tests: Mc, Kc and Nc smaller than the tiles and the matrices, so every loop edge runs.</summary>
    public static GemmBlocking Tiny => new(12, 8, 32);

    /// <summary>The blocking table: one entry per micro-kernel.</summary>
    /// <typeparam name="TKernel">The micro-kernel.</typeparam>
    /// <returns>Its blocking.</returns>
    public static GemmBlocking For<TKernel>()
        where TKernel : struct, IGemmMicroKernel => TKernel.Blocking;

    /// <summary>Throws unless every block size is positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Mc, 1, nameof(Mc));
        ArgumentOutOfRangeException.ThrowIfLessThan(Kc, 1, nameof(Kc));
        ArgumentOutOfRangeException.ThrowIfLessThan(Nc, 1, nameof(Nc));
    }
}
