// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Emulation.Internal;

/// <summary>Processes one contiguous chunk of an element-wise operation. Element <c>i</c> of the chunk is element <c>firstIndex + i</c> of the whole array.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IChunkBody<T>
    where T : unmanaged
{
    /// <summary>Processes a chunk.</summary>
    /// <param name="source">The chunk's input.</param>
    /// <param name="destination">The chunk's output (same length; equal to <paramref name="source"/> or disjoint).</param>
    /// <param name="firstIndex">The index of the chunk's first element in the whole array (keys the random bits).</param>
    void Run(ReadOnlySpan<T> source, Span<T> destination, long firstIndex);
}

/// <summary>
/// Splits an element-wise operation into contiguous chunks run on the thread pool. Because every element's result depends
/// only on its value and its index in the whole array, the output is the same for every chunking and thread count.
/// </summary>
internal static unsafe class ParallelChunks
{
    /// <summary>Arrays shorter than this per extra thread run on the calling thread (thread start-up would cost more than it saves).</summary>
    public const int MinChunkLength = 1 << 16;

    /// <summary>Runs <paramref name="body"/> over the arrays with up to <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TBody">The chunk body.</typeparam>
    /// <param name="source">The input.</param>
    /// <param name="destination">The output, already checked by <see cref="SpanChecks.Unary{T}"/>.</param>
    /// <param name="maxDegreeOfParallelism">At least 1.</param>
    /// <param name="body">The chunk body.</param>
    public static void Run<T, TBody>(ReadOnlySpan<T> source, Span<T> destination, int maxDegreeOfParallelism, TBody body)
        where T : unmanaged
        where TBody : IChunkBody<T>
    {
        int chunks = Math.Min(maxDegreeOfParallelism, source.Length / MinChunkLength);
        RunChunks(source, destination, Math.Max(chunks, 1), maxDegreeOfParallelism, body);
    }

    /// <summary>Runs <paramref name="body"/> over exactly <paramref name="chunkCount"/> chunks (tests use it to vary the chunking).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TBody">The chunk body.</typeparam>
    /// <param name="source">The input.</param>
    /// <param name="destination">The output.</param>
    /// <param name="chunkCount">The number of chunks, at least 1.</param>
    /// <param name="maxDegreeOfParallelism">At least 1.</param>
    /// <param name="body">The chunk body.</param>
    internal static void RunChunks<T, TBody>(ReadOnlySpan<T> source, Span<T> destination, int chunkCount, int maxDegreeOfParallelism, TBody body)
        where T : unmanaged
        where TBody : IChunkBody<T>
    {
        int n = source.Length;
        if (chunkCount <= 1 || n < 2)
        {
            body.Run(source, destination, 0);
            return;
        }

        if (maxDegreeOfParallelism <= 1)
        {
            for (int c = 0; c < chunkCount; c++)
            {
                int start = (int)((long)n * c / chunkCount);
                int end = (int)((long)n * (c + 1) / chunkCount);
                body.Run(source[start..end], destination[start..end], start);
            }

            return;
        }

        RunParallel(source, destination, chunkCount, maxDegreeOfParallelism, body);
    }

    /// <summary>
    /// The thread-pool part, in its own method: the lambda's closure captures the parameters, and C# allocates a closure at the
    /// start of the method that declares them, so keeping it out of <see cref="RunChunks"/> keeps the one-thread path allocation-free.
    /// </summary>
    private static void RunParallel<T, TBody>(ReadOnlySpan<T> source, Span<T> destination, int chunkCount, int maxDegreeOfParallelism, TBody body)
        where T : unmanaged
        where TBody : IChunkBody<T>
    {
        int n = source.Length;
        fixed (T* ps = source)
        fixed (T* pd = destination)
        {
            // Pointers cannot be captured by a lambda; their addresses can. The spans stay pinned until Parallel.For returns.
            nint src = (nint)ps, dst = (nint)pd;
            Parallel.For(0, chunkCount, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, c =>
            {
                int start = (int)((long)n * c / chunkCount);
                int end = (int)((long)n * (c + 1) / chunkCount);
                body.Run(new ReadOnlySpan<T>((T*)src + start, end - start), new Span<T>((T*)dst + start, end - start), start);
            });
        }
    }
}
