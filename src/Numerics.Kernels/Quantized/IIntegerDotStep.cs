// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;

namespace Numerics.Kernels;

/// <summary>One 512-bit step (four blocks) or 256-bit step (two blocks) of <see cref="IntegerDotDriver"/> for a weight format.</summary>
internal unsafe interface IIntegerDotStep
{
    /// <summary>Bytes of one weight block.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>The <c>vpermt2b</c> index that gathers the 64 code bytes of four blocks from the two loads of <see cref="Step"/>.</summary>
    static abstract Vector512<byte> CodeIndex { get; }

    /// <summary>The permute index that gathers the four scales to lanes 4s … 4s + 3.</summary>
    static abstract Vector512<byte> ScaleIndex { get; }

    /// <summary>
    /// L + P·σ lane by lane for the four blocks at <paramref name="group"/> (72 or 68 bytes). Without
    /// <paramref name="exact"/> a format may take a shorter scale conversion that is exact for common scales only, and mark
    /// in <paramref name="sticky"/> what <see cref="NeedsExactScales"/> reads.
    /// </summary>
    static abstract Vector512<float> Step(byte* group, Vector512<byte> codeIndex, Vector512<byte> scaleIndex,
        Vector512<sbyte> aLo, Vector512<sbyte> aHi, Vector512<int> corr, Vector512<float> da, Vector512<float> l, bool exact, ref Vector512<int> sticky);

    /// <summary>Whether a tile computed without <c>exact</c> met a scale its short conversion does not cover.</summary>
    static abstract bool NeedsExactScales(Vector512<int> sticky);

    /// <summary>L + P·σ for blocks <paramref name="first"/> and <paramref name="first"/> + 1 of the group at <paramref name="group"/> (lanes 0-3 and 4-7), σ = d_w·d_a from the scale table.</summary>
    static abstract Vector256<float> Step256(byte* group, int first, Vector256<sbyte> aLo, Vector256<sbyte> aHi, Vector256<int> corr, Vector256<float> da, Vector256<float> l);
}

/// <summary>Whether <see cref="IIntegerDotStep.Step"/> takes the full scale conversion (a JIT-time constant).</summary>
internal interface IScaleMode
{
    /// <summary>The full conversion.</summary>
    static abstract bool Exact { get; }
}

/// <summary>The short scale conversion, with the check.</summary>
internal readonly struct FastScales : IScaleMode
{
    public static bool Exact => false;
}

/// <summary>The full scale conversion.</summary>
internal readonly struct ExactScales : IScaleMode
{
    public static bool Exact => true;
}
