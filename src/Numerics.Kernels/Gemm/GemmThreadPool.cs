// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Kernels;

/// <summary>
/// Persistent GEMM worker threads: the caller is thread 0 and wakes workers 1 … threads−1 for one call.
/// </summary>
/// <remarks>
/// Workers are background threads created on first use and kept; idle ones block on a semaphore (no spinning between calls).
/// One call runs at a time; a concurrent caller gets <see langword="false"/> from <see cref="TryRun"/> and runs alone,
/// which gives the same bits (the summation order does not depend on the thread count).
/// </remarks>
internal static unsafe class GemmThreadPool
{
    private static readonly Lock s_gate = new();
    private static readonly GemmSpinBarrier s_barrier = new();
    private static SemaphoreSlim[] s_start = [];
    private static delegate*<GemmJob, int, GemmSpinBarrier?, void> s_work;
    private static GemmJob s_job;

    /// <summary>Runs <paramref name="work"/> on <c>job.Threads</c> threads (the caller included) and returns when all are done.</summary>
    /// <param name="work">The per-thread body; it must end with a <see cref="GemmSpinBarrier.SignalAndWait"/> that all threads reach.</param>
    /// <param name="job">The call.</param>
    /// <returns><see langword="false"/> when another call holds the workers (nothing was run).</returns>
    public static bool TryRun(delegate*<GemmJob, int, GemmSpinBarrier?, void> work, in GemmJob job)
    {
        if (!s_gate.TryEnter())
        {
            return false;
        }

        try
        {
            EnsureWorkers(job.Threads - 1);
            s_job = job;
            s_work = work;
            s_barrier.Reset(job.Threads);
            for (int i = 0; i < job.Threads - 1; i++)
            {
                s_start[i].Release();
            }

            work(job, 0, s_barrier);
        }
        finally
        {
            s_gate.Exit();
        }

        return true;
    }

    private static void EnsureWorkers(int count)
    {
        if (s_start.Length >= count)
        {
            return;
        }

        var start = new SemaphoreSlim[count];
        Array.Copy(s_start, start, s_start.Length);
        for (int i = s_start.Length; i < count; i++)
        {
            var signal = new SemaphoreSlim(0);
            start[i] = signal;
            int index = i + 1;
            var thread = new Thread(() => WorkerLoop(signal, index))
            {
                IsBackground = true,
                Name = $"Numerics GEMM worker {index}",
            };
            thread.Start();
        }

        s_start = start;
    }

    private static void WorkerLoop(SemaphoreSlim start, int index)
    {
        while (true)
        {
            start.Wait();

            // The semaphore release orders these reads after the caller's writes; the copy keeps the job stable even
            // after the final barrier, when the caller may already be preparing the next call.
            GemmJob job = s_job;
            s_work(job, index, s_barrier);
        }
    }
}
