// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats.Rounding;

/// <summary>
/// How a fast encoder (Rounding/FastEncodeOperators.cs) treats its rare lanes (below the min normal, above the overflow
/// threshold, NaN): a compile-time choice, so each instantiation has one straight-line body.
/// </summary>
/// <remarks>
/// The branch skips the selects in vectors without a rare lane, which is faster in cache (32 Ki elements, one process, median
/// speed against TensorPrimitives.ConvertToHalf: binary16 1.51x with the branch and 1.18x without, E4M3FN 1.40x and 1.27x).
/// The streaming (non-temporal) store loop runs far out of cache, where the arithmetic is hidden behind memory, so it takes the
/// branch-free body: its speed then does not depend on the data (N(0, 4²) data puts a subnormal into about 5 % of E4M3FN vectors,
/// each a mispredicted branch). Out of cache the two bodies measured level (16 Mi elements, streaming, same process: E4M3FN
/// 2.70 ms with the branch and 2.83 ms without, ConvertToHalf 3.95 ms; docs/benchmarks/formats-2026-11-26.md).
/// </remarks>
internal interface IRareLanePolicy
{
    /// <summary>True to branch over vectors that hold a rare lane; false to run the rare-lane selects in every vector.</summary>
    static abstract bool Branch { get; }
}

/// <summary>Branch: the selects run only in vectors that hold a rare lane (the normal store loop).</summary>
internal readonly struct BranchOnRareLanes : IRareLanePolicy
{
    /// <inheritdoc/>
    public static bool Branch => true;
}

/// <summary>No branch: the selects run in every vector (the streaming store loop).</summary>
internal readonly struct SelectRareLanes : IRareLanePolicy
{
    /// <inheritdoc/>
    public static bool Branch => false;
}
