// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Numerics.Formats;

namespace Numerics.Benchmarks;

/// <summary>
/// Packed FP6 (four codes per three bytes) and FP4 (two per byte) storage: encode float -> packed codes and decode back, beside
/// the same conversion to one code per byte (the baseline: identical rounding work, no packing), so the rows show what the
/// packing and unpacking cost on top of the rounding.
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 4)]
public class PackedCodesBenchmarks
{
    private float[] _source = [];
    private float[] _decoded = [];
    private byte[] _codes = [];
    private byte[] _packed6 = [];
    private byte[] _packed4 = [];

    /// <summary>Gets or sets the element count (in L2 and in L3).</summary>
    [Params(32 * 1024, 1024 * 1024)]
    public int Length { get; set; }

    /// <summary>Normal-distributed values scaled to the FP6 range.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _source = BenchmarkData.NormalSingle(Length, 2);

        _decoded = new float[Length];
        _codes = new byte[Length];
        _packed6 = new byte[FloatFormat.E2M3FN.PackedByteCount(Length)];
        _packed4 = new byte[FloatFormat.E2M1FN.PackedByteCount(Length)];
        FloatFormat.E2M3FN.EncodePacked(_source, _packed6);
        FloatFormat.E2M1FN.EncodePacked(_source, _packed4);
    }

    /// <summary>The baseline: float -> E2M3FN, one code per byte.</summary>
    [Benchmark(Baseline = true)]
    public void EncodeE2M3FNCodes() => FloatFormat.E2M3FN.Encode(_source, _codes);

    /// <summary>float -> E2M3FN, four codes per three bytes.</summary>
    [Benchmark]
    public void EncodePackedE2M3FN() => FloatFormat.E2M3FN.EncodePacked(_source, _packed6);

    /// <summary>float -> E2M1FN, two codes per byte.</summary>
    [Benchmark]
    public void EncodePackedE2M1FN() => FloatFormat.E2M1FN.EncodePacked(_source, _packed4);

    /// <summary>E2M3FN codes (one per byte) -> float.</summary>
    [Benchmark]
    public void DecodeE2M3FNCodes() => FloatFormat.E2M3FN.Decode(_codes, _decoded);

    /// <summary>Packed E2M3FN -> float.</summary>
    [Benchmark]
    public void DecodePackedE2M3FN() => FloatFormat.E2M3FN.DecodePacked(_packed6, _decoded);

    /// <summary>Packed E2M1FN -> float.</summary>
    [Benchmark]
    public void DecodePackedE2M1FN() => FloatFormat.E2M1FN.DecodePacked(_packed4, _decoded);
}
