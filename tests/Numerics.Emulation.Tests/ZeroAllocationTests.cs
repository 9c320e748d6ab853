// Licensed under the MIT License. See LICENSE in the repository root.

using Xunit.Sdk;

namespace Numerics.Emulation.Tests;

/// <summary>The shared zero-allocation check (tests/Shared/ZeroAllocation.cs): it fails on a call that allocates, and passes (after a warm-up and one measured run) on one that does not.</summary>
public class ZeroAllocationTests
{
    private static object? s_sink;

    [Fact]
    public void A_call_that_allocates_in_every_run_fails()
    {
        Assert.Throws<EqualException>(() => ZeroAllocation.Assert(() => s_sink = new byte[16]));
        Assert.NotNull(s_sink);
    }

    [Fact]
    public void A_call_that_allocates_nothing_passes_after_warm_up_and_one_window()
    {
        int[] calls = new int[1];
        ZeroAllocation.Assert(() => calls[0]++);
        Assert.Equal(2, calls[0]);
    }
}
