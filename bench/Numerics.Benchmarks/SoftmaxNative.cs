// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Benchmarks;

/// <summary>
/// The C two-pass softmax peer (bench/native/softmax_twopass.c, built by eng/build-native.sh into artifacts/native/), loaded
/// at run time. Absent library, or a CPU without the AVX-512 it was compiled for: <see cref="IsAvailable"/> is false,
/// <see cref="Unavailable"/> says why, and the benchmarks that use it skip their rows.
/// </summary>
internal static unsafe class SoftmaxNative
{
    private const string FileName = "libnumerics_softmax_c.so";

    private static readonly delegate* unmanaged<float*, float*, nuint, void> s_twoPass;
    private static readonly delegate* unmanaged<float*, float*, nuint, void> s_twoPassPrefetch;

#pragma warning disable CA1810 // The search runs once and must stop at the first hit; a static constructor is the clearest place.
    static SoftmaxNative()
#pragma warning restore CA1810
    {
        // eng/build-native.sh compiles for x86-64-v4: calling it on a CPU without AVX-512 F/BW/CD/DQ/VL would kill the
        // process with an illegal instruction, so it is not even loaded there.
        if (!(Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512CD.IsSupported && Avx512DQ.IsSupported))
        {
            Unavailable = "the C peer is built for x86-64-v4 and this CPU (or runtime tier) lacks AVX-512";
            return;
        }

        // BenchmarkDotNet runs each case from a generated project deep under artifacts/bin: walk up to artifacts/native.
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "native", FileName);
            if (!File.Exists(candidate))
            {
                candidate = System.IO.Path.Combine(dir.FullName, "artifacts", "native", FileName);
            }

            if (File.Exists(candidate)
                && NativeLibrary.TryLoad(candidate, out nint handle)
                && NativeLibrary.TryGetExport(handle, "numerics_softmax_twopass_c", out nint twoPass)
                && NativeLibrary.TryGetExport(handle, "numerics_softmax_twopass_c_prefetch", out nint twoPassPrefetch))
            {
                s_twoPass = (delegate* unmanaged<float*, float*, nuint, void>)twoPass;
                s_twoPassPrefetch = (delegate* unmanaged<float*, float*, nuint, void>)twoPassPrefetch;
                Path = candidate;
                return;
            }
        }

        Unavailable = $"{FileName} not found under artifacts/native (run eng/build-native.sh)";
    }

    /// <summary>Whether the C peer was found.</summary>
    public static bool IsAvailable => Path is not null;

    /// <summary>The library that was loaded, or null.</summary>
    public static string? Path { get; }

    /// <summary>Why the peer is not available, or null when it is.</summary>
    public static string? Unavailable { get; }

    /// <summary>y = softmax(x) by the C two-pass kernel as published (x and y the same length).</summary>
    public static void TwoPass(float[] x, float[] y)
    {
        fixed (float* px = x, py = y)
        {
            s_twoPass(px, py, (nuint)x.Length);
        }
    }

    /// <summary>The same with a software prefetch 8 KiB ahead in pass 1 (as our kernel issues on long rows).</summary>
    public static void TwoPassPrefetch(float[] x, float[] y)
    {
        fixed (float* px = x, py = y)
        {
            s_twoPassPrefetch(px, py, (nuint)x.Length);
        }
    }
}
