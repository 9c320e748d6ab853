// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics;

namespace Numerics.TestSupport;

/// <summary>Linked into every test assembly: proves that each CI leg really runs on the instruction-set tier it claims (NUMERICS_EXPECT_ISA).</summary>
public sealed class IsaTierTests
{
    [Fact]
    public void Runtime_matches_the_tier_this_leg_claims()
    {
        string? tier = Environment.GetEnvironmentVariable("NUMERICS_EXPECT_ISA");
        Assert.SkipWhen(tier is null, "not an ISA matrix leg (NUMERICS_EXPECT_ISA is unset)");
        Assert.Contains(tier, new[] { "v512", "v256", "v128", "scalar" });
        Assert.Equal(tier is "v512", Vector512.IsHardwareAccelerated);
        Assert.Equal(tier is "v512" or "v256", Vector256.IsHardwareAccelerated);
        Assert.Equal(tier is not "scalar", Vector128.IsHardwareAccelerated);
    }
}
