// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>The few facts about the processor that tuning choices depend on (beyond the instruction sets themselves).</summary>
/// <remarks>
/// Tuning by processor follows BLIS and OpenBLAS, which pick blocking and loop shapes per core type. Only choices that leave
/// the results' bits unchanged are made this way: every path computes the same operations in the same order.
/// </remarks>
internal static class GemmCpu
{
    /// <summary>
    /// An AMD Zen 4 core (family 19h with AVX-512): it runs 512-bit operations in two 256-bit halves, and a 512-bit load that
    /// splits a cache line costs it little.
    /// </summary>
    public static bool IsAmdZen4 { get; } = DetectAmdZen4();

    private static bool DetectAmdZen4()
    {
        if (!X86Base.IsSupported || !Avx512F.IsSupported)
        {
            return false;
        }

        (_, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        bool amd = ebx == 0x6874_7541 && edx == 0x6974_6E65 && ecx == 0x444D_4163; // "AuthenticAMD"
        (int eax, _, _, _) = X86Base.CpuId(1, 0);
        int family = ((eax >> 8) & 0xF) + (((eax >> 8) & 0xF) == 0xF ? (eax >> 20) & 0xFF : 0);
        return amd && family == 0x19; // Zen 3 is family 19h too, but has no AVX-512
    }
}
