// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels.Tests;

/// <summary>The processor detection behind the per-processor tuning choices, checked against what the operating system reports.</summary>
public sealed class GemmCpuTests
{
    [Fact]
    public void Zen_4_detection_agrees_with_proc_cpuinfo()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"), "needs Linux's /proc/cpuinfo");
        string[] lines = File.ReadAllLines("/proc/cpuinfo");
        string Field(string name) => lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        bool x86 = lines.Any(l => l.StartsWith("vendor_id", StringComparison.Ordinal)) && lines.Any(l => l.StartsWith("cpu family", StringComparison.Ordinal));
        bool expected = x86 && Field("vendor_id") == "AuthenticAMD" && int.Parse(Field("cpu family"), System.Globalization.CultureInfo.InvariantCulture) == 25 && Avx512F.IsSupported;
        Assert.Equal(expected, GemmCpu.IsAmdZen4);
    }
}
