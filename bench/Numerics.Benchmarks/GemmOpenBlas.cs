// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;

namespace Numerics.Benchmarks;

/// <summary>
/// OpenBLAS loaded at run time (Debian's libopenblas0-pthread), for side-by-side baselines. Absent library: <see cref="IsAvailable"/> is false.
/// </summary>
/// <remarks>
/// Run with <c>OPENBLAS_CORETYPE</c> and <c>OPENBLAS_L2_SIZE</c> unset so OpenBLAS 0.3.21 auto-detects its AVX-512 (Cooperlake)
/// kernels on Zen 5; with <c>OPENBLAS_CORETYPE=Haswell</c> it runs AVX2 kernels at half the speed (KERNELS.md §3).
/// </remarks>
internal static unsafe class GemmOpenBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly string[] s_candidates =
    [
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "libopenblas.so.0",
    ];

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> s_sgemm;
    private static readonly delegate* unmanaged<int, int, int, int, float, float*, int, float*, int, float, float*, int, void> s_sgemv;
    private static readonly delegate* unmanaged<int, void> s_setThreads;
    private static readonly delegate* unmanaged<byte*> s_coreName;

#pragma warning disable CA1810 // The loader runs once and must try the candidates in order; a static constructor is the clearest place.
    static GemmOpenBlas()
#pragma warning restore CA1810
    {
        foreach (string path in s_candidates)
        {
            if (NativeLibrary.TryLoad(path, out nint handle)
                && NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm)
                && NativeLibrary.TryGetExport(handle, "cblas_sgemv", out nint sgemv)
                && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setThreads))
            {
                s_sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
                s_sgemv = (delegate* unmanaged<int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemv;
                s_setThreads = (delegate* unmanaged<int, void>)setThreads;
                if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out nint coreName))
                {
                    s_coreName = (delegate* unmanaged<byte*>)coreName;
                }

                Path = path;
                return;
            }
        }
    }

    /// <summary>Whether an OpenBLAS with cblas_sgemm/cblas_sgemv was found.</summary>
    public static bool IsAvailable => Path is not null;

    /// <summary>The library that was loaded, or null.</summary>
    public static string? Path { get; }

    /// <summary>The kernel family OpenBLAS selected (for example Cooperlake, SkylakeX or Haswell).</summary>
    public static string CoreName => s_coreName == null ? "?" : Marshal.PtrToStringUTF8((nint)s_coreName()) ?? "?";

    /// <summary>Sets OpenBLAS's thread count.</summary>
    public static void SetThreads(int threads) => s_setThreads(threads);

    /// <summary>cblas_sgemm(RowMajor, NoTrans, NoTrans, m, n, k, 1, A, k, B, n, 0, C, n).</summary>
    public static void Sgemm(float[] a, float[] b, float[] c, int m, int n, int k)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            s_sgemm(RowMajor, NoTrans, NoTrans, m, n, k, 1f, pa, k, pb, n, 0f, pc, n);
        }
    }

    /// <summary>y = x·B for row-major B (k × n), as cblas_sgemv(RowMajor, Trans, k, n, 1, B, n, x, 1, 0, y, 1).</summary>
    public static void SgemvRowTimesMatrix(float[] x, float[] b, float[] y, int n, int k)
    {
        fixed (float* px = x, pb = b, py = y)
        {
            s_sgemv(RowMajor, Trans, k, n, 1f, pb, n, px, 1, 0f, py, 1);
        }
    }
}
