// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Numerics.Emulation;
using Numerics.Formats;

namespace Numerics.Benchmarks;

/// <summary>
/// <see cref="Chopper"/> on 16M elements (64 MiB of floats, out of cache) beside <see cref="Span{T}.CopyTo(Span{T})"/> of the same
/// array: float storage to bfloat16, binary16, E4M3FN and a custom (p = 7, emin = −30, emax = 31) format with RNE, stochastic
/// rounding to bfloat16, and double storage to bfloat16 beside a double copy. One thread. Data: N(0, 100²), as in EMULATION.md §6.
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 8, Count = 16 * 1024 * 1024)]
public class EmulationBenchmarks
{
    private const int Length = 16 * 1024 * 1024;

    private readonly Chopper _bf16 = new(FloatFormat.BFloat16);
    private readonly Chopper _fp16 = new(FloatFormat.Binary16);
    private readonly Chopper _e4m3 = new(FloatFormat.E4M3FN);
    private readonly Chopper _custom = new(FloatFormat.Create(7, -30, 31));
    private readonly Chopper _bf16Stochastic = new(FloatFormat.BFloat16, RoundingMode.Stochastic, new ChopOptions { Seed = 42 });
    private readonly Chopper _bf16StochasticUniform = new(FloatFormat.BFloat16, RoundingMode.StochasticUniform, new ChopOptions { Seed = 42 });
    private readonly Chopper _e4m3Stochastic = new(FloatFormat.E4M3FN, RoundingMode.Stochastic, new ChopOptions { Seed = 42 });
    private float[] _source = [];
    private float[] _destination = [];
    private double[] _sourceDouble = [];
    private double[] _destinationDouble = [];

    /// <summary>Allocates and fills the arrays once (seeded Box–Muller normal values).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _sourceDouble = BenchmarkData.Normal(Length, 100);
        _source = BenchmarkData.ToSingle(_sourceDouble, 1);
        _destination = new float[Length];
        _destinationDouble = new double[Length];
    }

    /// <summary>The yardstick: copy 16M floats (read 64 MiB, write 64 MiB).</summary>
    [Benchmark(Baseline = true)]
    public void CopyFloat() => _source.AsSpan().CopyTo(_destination);

    /// <summary>float → bfloat16, RNE.</summary>
    [Benchmark]
    public void ChopFloatToBFloat16() => _bf16.Chop(_source, _destination);

    /// <summary>float → binary16, RNE.</summary>
    [Benchmark]
    public void ChopFloatToBinary16() => _fp16.Chop(_source, _destination);

    /// <summary>float → OCP E4M3FN, RNE, non-saturating.</summary>
    [Benchmark]
    public void ChopFloatToE4M3FN() => _e4m3.Chop(_source, _destination);

    /// <summary>float → custom (p = 7, emin = −30, emax = 31), RNE.</summary>
    [Benchmark]
    public void ChopFloatToCustomP7() => _custom.Chop(_source, _destination);

    /// <summary>float → bfloat16, stochastic rounding (seeded).</summary>
    [Benchmark]
    public void ChopFloatToBFloat16Stochastic() => _bf16Stochastic.Chop(_source, _destination);

    /// <summary>float → bfloat16, stochastic rounding with probability 1/2 (seeded).</summary>
    [Benchmark]
    public void ChopFloatToBFloat16StochasticUniform() => _bf16StochasticUniform.Chop(_source, _destination);

    /// <summary>float → E4M3FN, stochastic rounding (seeded).</summary>
    [Benchmark]
    public void ChopFloatToE4M3FNStochastic() => _e4m3Stochastic.Chop(_source, _destination);

    /// <summary>The double yardstick: copy 16M doubles (128 MiB each way).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 16)]
    public void CopyDouble() => _sourceDouble.AsSpan().CopyTo(_destinationDouble);

    /// <summary>double → bfloat16, RNE, double storage.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 16)]
    public void ChopDoubleToBFloat16() => _bf16.Chop(_sourceDouble, _destinationDouble);

    /// <summary>double → binary16, RNE, double storage.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 16)]
    public void ChopDoubleToBinary16() => _fp16.Chop(_sourceDouble, _destinationDouble);

    /// <summary>double → custom (p = 7, emin = −30, emax = 31), RNE, double storage.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 16)]
    public void ChopDoubleToCustomP7() => _custom.Chop(_sourceDouble, _destinationDouble);

    /// <summary>double → bfloat16, stochastic rounding (seeded), double storage.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 16)]
    public void ChopDoubleToBFloat16Stochastic() => _bf16Stochastic.Chop(_sourceDouble, _destinationDouble);
}
