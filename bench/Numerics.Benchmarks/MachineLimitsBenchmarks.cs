// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace Numerics.Benchmarks;

/// <summary>
/// The machine's memory limits, measured in the same run as the kernels so every bandwidth figure can be given as a fraction of
/// what the hardware allows: copy bandwidth (<see cref="Span{T}.CopyTo(Span{T})"/>, 8 bytes moved per float: the 100 %
/// reference of "% of limit") and read bandwidth (a Vector512 sum, 4 bytes per float), at 32K floats (256 KiB moved, L2), 1M
/// (8 MiB, L3) and 16M (128 MiB, memory). A kernel is compared with the copy whose bytes per call are nearest to its own.
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 8)]
public class MachineLimitsBenchmarks
{
    private float[] _source = [];
    private float[] _destination = [];

    /// <summary>Gets or sets the floats per array: 32K (L2), 1M (L3) and 16M (64 MiB, out of cache).</summary>
    [Params(32 * 1024, 1024 * 1024, 16 * 1024 * 1024)]
    public int Length { get; set; }

    /// <summary>Allocates and fills the arrays once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _source = new float[Length];
        _destination = new float[Length];
        var random = new Random(42);
        for (int i = 0; i < Length; i++)
        {
            _source[i] = (float)random.NextDouble();
        }
    }

    /// <summary>Copy bandwidth: the yardstick of every element-wise kernel (read 4 B + write 4 B per element).</summary>
    [Benchmark(Baseline = true)]
    public void Copy() => _source.AsSpan().CopyTo(_destination);

    /// <summary>Read bandwidth: a Vector512 sum (4 B per element).</summary>
    /// <returns>The sum, so the loop is not removed.</returns>
    [Benchmark]
    [Work(WorkUnit.Bytes, 4)]
    public float ReadSum()
    {
        ref float p = ref MemoryMarshal.GetArrayDataReference(_source);
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 64 <= _source.Length; i += 64)
        {
            a0 += Vector512.LoadUnsafe(ref p, (nuint)i);
            a1 += Vector512.LoadUnsafe(ref p, (nuint)(i + 16));
            a2 += Vector512.LoadUnsafe(ref p, (nuint)(i + 32));
            a3 += Vector512.LoadUnsafe(ref p, (nuint)(i + 48));
        }

        float sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        for (; i < _source.Length; i++)
        {
            sum += Unsafe.Add(ref p, i);
        }

        return sum;
    }
}

/// <summary>
/// Peak FP32 FMA throughput: 16 independent Vector512 accumulators per thread (enough to cover FMA latency × 2 pipes on Zen 5),
/// 2 FLOP per lane per FMA, <see cref="FmaIterations"/> iterations = 512 MFLOP per thread per call; on 1 and 2 threads. The 100 %
/// reference of "% of limit" for FLOP-counted benchmarks with the same <c>Threads</c>.
/// </summary>
[MemoryDiagnoser]
public class MachineLimitsFmaBenchmarks
{
    /// <summary>Iterations of the FMA loop: 16 accumulators x 16 lanes x 2 FLOP x 1M = 512 MFLOP per thread per call.</summary>
    public const int FmaIterations = 1 << 20;

    private readonly float[] _results = new float[64];

    /// <summary>Gets or sets the thread count (each thread runs the full loop).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Peak FMA throughput on <see cref="Threads"/> threads.</summary>
    /// <returns>A value depending on every accumulator.</returns>
    [Benchmark]
    [Work(WorkUnit.Flops, 16.0 * 16 * 2 * FmaIterations, Elements = nameof(Threads))]
    public float PeakFma()
    {
        if (Threads == 1)
        {
            return FmaLoop();
        }

        float[] results = _results;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t => results[t] = FmaLoop());
        return results[0];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float FmaLoop()
    {
        Vector512<float> x = Vector512.Create(0.999f), y = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        Vector512<float> a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        for (int i = 0; i < FmaIterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
            a12 = Vector512.FusedMultiplyAdd(a12, x, y); a13 = Vector512.FusedMultiplyAdd(a13, x, y);
            a14 = Vector512.FusedMultiplyAdd(a14, x, y); a15 = Vector512.FusedMultiplyAdd(a15, x, y);
        }

        Vector512<float> s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15));
        return Vector512.Sum(s);
    }
}
