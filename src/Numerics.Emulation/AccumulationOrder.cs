// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Emulation;

/// <summary>The order in which <see cref="EmulatedMath"/> reductions add their terms. Each addition is rounded once to the accumulator format.</summary>
public enum AccumulationOrder
{
    /// <summary>Left to right: s = t0, then s = round(s + t_i) for i = 1, 2, … (a scalar loop; error bound grows like n·u).</summary>
    Sequential = 0,

    /// <summary>
    /// Recursive halving: sum(t[l..r)) = round(sum(t[l..m)) + sum(t[m..r))) with m = l + ⌊(r − l)/2⌋ (error bound grows like
    /// log2(n)·u).
    /// </summary>
    Pairwise = 1,

    /// <summary>
    /// Blocks of <see cref="AccumulationOptions.BlockSize"/> terms summed sequentially, then the block sums summed sequentially
    /// (the fixed-size chunked accumulation of tensor-core GEMM).
    /// </summary>
    Blocked = 2,
}
