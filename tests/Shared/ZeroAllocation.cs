// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics;

/// <summary>Checks that a warmed-up call allocates nothing on the calling thread.</summary>
internal static class ZeroAllocation
{
    /// <summary>
    /// Runs <paramref name="call"/> once to warm up, then measures the bytes it allocates on this thread in up to
    /// <paramref name="windows"/> further runs, and asserts that some run allocated none. A call that allocates does so in
    /// every run and fails; a one-off allocation by the runtime on this thread inside one window (seen once in CI: 7720 bytes
    /// in a window around span calls that never allocate) does not repeat.
    /// </summary>
    public static void Assert(Action call, int windows = 3)
    {
        ArgumentNullException.ThrowIfNull(call);
        call();
        long least = long.MaxValue;
        for (int i = 0; i < windows && least != 0; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            call();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Xunit.Assert.Equal(0, least);
    }
}
