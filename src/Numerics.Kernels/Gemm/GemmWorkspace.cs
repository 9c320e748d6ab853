// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Numerics.Kernels;

/// <summary>Per-thread packing buffers: pinned, 64-byte aligned, allocated on first use and grown, never per call.</summary>
internal static unsafe class GemmWorkspace
{
    private const int AlignmentFloats = 16; // 64 bytes: one cache line, one zmm register

    [ThreadStatic]
    private static float[]? t_packedA;

    [ThreadStatic]
    private static float[]? t_packedB;

    /// <summary>This thread's buffer for packed A blocks.</summary>
    /// <param name="floats">Capacity needed.</param>
    /// <returns>A 64-byte aligned pointer to at least <paramref name="floats"/> floats, valid while the thread lives.</returns>
    public static float* PackedA(int floats) => Get(ref t_packedA, floats);

    /// <summary>This thread's buffer for packed B blocks (shared with the workers of a multithreaded call it starts).</summary>
    /// <param name="floats">Capacity needed.</param>
    /// <returns>A 64-byte aligned pointer to at least <paramref name="floats"/> floats, valid while the thread lives.</returns>
    public static float* PackedB(int floats) => Get(ref t_packedB, floats);

    private static float* Get(ref float[]? buffer, int floats)
    {
        if (buffer is null || buffer.Length < floats + AlignmentFloats)
        {
            // Pinned object heap: the address never moves, so the pointer stays valid without a GCHandle.
            buffer = GC.AllocateUninitializedArray<float>(floats + AlignmentFloats, pinned: true);
        }

        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((address + (AlignmentFloats * sizeof(float) - 1)) & ~(nuint)(AlignmentFloats * sizeof(float) - 1));
    }
}
