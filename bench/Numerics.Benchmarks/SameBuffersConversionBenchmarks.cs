// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Numerics.Formats;
using System.Numerics.Tensors;

namespace Numerics.Benchmarks;

/// <summary>
/// The out-of-cache half of <see cref="FormatsConversionBenchmarks"/> (float -> BF16 / FP16 / E4M3FN codes at 16 Mi elements,
/// beside TensorPrimitives.ConvertToHalf) with every method on the same buffers, for runs with BenchmarkDotNet's
/// <c>--inProcess</c> option. On the reference VM a 16 Mi-element stream runs up to 1.6x faster in one process than in another
/// (physical page placement; docs/benchmarks/README.md), so comparing cases that BenchmarkDotNet ran in separate processes can
/// be off by more than the difference being measured. Here the buffers are allocated once per process and shared by every
/// case, so with <c>--inProcess</c> the baseline and the contenders read and write the same physical memory.
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 6, Count = Length)]
public class SameBuffersConversionBenchmarks
{
    /// <summary>The element count: 16 Mi (64 MiB of input, twice the L3 cache).</summary>
    public const int Length = 16 * 1024 * 1024;

    private static readonly Lazy<Buffers> s_buffers = new(() => new Buffers(Length));

    private Buffers _b = null!;

    /// <summary>Takes the process-wide buffers (allocated and filled by the first case that runs).</summary>
    [GlobalSetup]
    public void Setup() => _b = s_buffers.Value;

    /// <summary>The baseline: System.Numerics.Tensors' float -> Half conversion.</summary>
    [Benchmark(Baseline = true)]
    public void TensorPrimitivesConvertToHalf() => TensorPrimitives.ConvertToHalf(_b.Source, _b.Half);

    /// <summary>float -> binary16 codes.</summary>
    [Benchmark]
    public void EncodeBinary16() => FloatFormat.Binary16.Encode(_b.Source, _b.Codes16);

    /// <summary>float -> bfloat16 codes.</summary>
    [Benchmark]
    public void EncodeBFloat16() => FloatFormat.BFloat16.Encode(_b.Source, _b.Codes16);

    /// <summary>float -> E4M3FN codes (one byte per element: 5 bytes moved instead of 6).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 5, Count = Length)]
    public void EncodeE4M3FN() => FloatFormat.E4M3FN.Encode(_b.Source, _b.Codes8);

    /// <summary>The baseline once more, run last: a drift of the memory system over the run shows as a difference from the first.</summary>
    [Benchmark]
    public void TensorPrimitivesConvertToHalfAgain() => TensorPrimitives.ConvertToHalf(_b.Source, _b.Half);

    private sealed class Buffers
    {
        public Buffers(int length)
        {
            Source = BenchmarkData.NormalSingle(length, 4);

            Half = new Half[length];
            Codes16 = new ushort[length];
            Codes8 = new byte[length];
        }

        public float[] Source { get; }

        public Half[] Half { get; }

        public ushort[] Codes16 { get; }

        public byte[] Codes8 { get; }
    }
}
