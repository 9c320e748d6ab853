// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;

namespace Numerics.Kernels;

/// <summary>
/// A reusable barrier that spins (yielding, never sleeping 1 ms) between the phases of one GEMM call.
/// </summary>
/// <remarks>
/// KERNELS.md §8: <c>System.Threading.Barrier</c> with a Task per call reached only 0.76-0.90x OpenBLAS on two threads;
/// persistent workers with a spin barrier reached parity. Generation counting makes it reusable: the last thread to arrive
/// resets the count, then publishes a new generation, which releases the spinners.
/// </remarks>
internal sealed class GemmSpinBarrier
{
    private Counters _counters;
    private int _participants;

    /// <summary>Prepares the barrier for a call with <paramref name="participants"/> threads (no thread may be waiting).</summary>
    public void Reset(int participants)
    {
        _participants = participants;
        Volatile.Write(ref _counters.Arrived, 0);
    }

    /// <summary>Waits until every participant has arrived.</summary>
    public void SignalAndWait()
    {
        int generation = Volatile.Read(ref _counters.Generation);
        if (Interlocked.Increment(ref _counters.Arrived) == _participants)
        {
            // Reset before publishing: a released thread may arrive at the next barrier at once.
            Volatile.Write(ref _counters.Arrived, 0);
            Interlocked.Increment(ref _counters.Generation);
            return;
        }

        SpinWait spin = default;
        while (Volatile.Read(ref _counters.Generation) == generation)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>The two counters on separate cache lines, so spinning on the generation does not slow the arrivals.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Counters
    {
        [FieldOffset(64)]
        public int Arrived;

        [FieldOffset(128)]
        public int Generation;
    }
}
