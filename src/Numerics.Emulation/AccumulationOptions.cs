// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Emulation;

/// <summary>How <see cref="EmulatedMath"/> reductions round their products and partial sums.</summary>
/// <remarks>
/// For example bf16 inputs with fp32 accumulation, as in mixed-precision GEMM: target = a bfloat16 <see cref="Chopper"/>,
/// <see cref="Products"/> and <see cref="Accumulator"/> = a binary32 <see cref="Chopper"/> (a bf16 × bf16 product is exact in fp32),
/// <see cref="Order"/> = <see cref="AccumulationOrder.Blocked"/>.
/// </remarks>
public sealed record AccumulationOptions
{
    /// <summary>Gets the default options: products and sums rounded to the target format, sequential order.</summary>
    public static AccumulationOptions Default { get; } = new();

    /// <summary>Gets the chopper that rounds each product of a dot product or matrix multiply (null: the target).</summary>
    public Chopper? Products { get; init; }

    /// <summary>Gets the chopper that rounds each partial sum (null: the target). The final sum is rounded once more to the target.</summary>
    public Chopper? Accumulator { get; init; }

    /// <summary>Gets the order of the additions.</summary>
    public AccumulationOrder Order { get; init; } = AccumulationOrder.Sequential;

    /// <summary>Gets the block length of <see cref="AccumulationOrder.Blocked"/> (at least 1; default 32).</summary>
    public int BlockSize { get; init; } = 32;
}
