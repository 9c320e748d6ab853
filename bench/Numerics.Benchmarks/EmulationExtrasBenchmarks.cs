// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Numerics.Emulation;
using Numerics.Formats;

namespace Numerics.Benchmarks;

/// <summary>
/// The soft-error pass of <see cref="Chopper"/> and the fixed-point chop (<see cref="FixedPointChopper"/>) on 16M elements
/// (64 MiB of floats, out of cache) beside <see cref="Span{T}.CopyTo(Span{T})"/> of the same array (the baseline). One thread.
/// Data: N(0, 100²) as in EMULATION.md §6 (for the fixed-point rows scaled by 1/16, so most values fall inside Q4.12's ±8 and
/// the rest saturate or wrap). The <c>…ScalarReference</c> rows run the scalar reference loops the vector paths replaced
/// (rounding vectorized, then one flip decision per element in a scalar loop; fixed point element by element).
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 8, Count = 16 * 1024 * 1024)]
public class EmulationExtrasBenchmarks
{
    private const int Length = 16 * 1024 * 1024;

    private readonly Chopper _bf16 = new(FloatFormat.BFloat16);
    private readonly Chopper _bf16Flips = new(FloatFormat.BFloat16, RoundingMode.NearestEven, new ChopOptions { Seed = 42, FlipProbability = 1e-3, FlipFields = BitFlipFields.All });
    private readonly Chopper _bf16FlipAll = new(FloatFormat.BFloat16, RoundingMode.NearestEven, new ChopOptions { Seed = 42, FlipProbability = 1, FlipFields = BitFlipFields.All });
    private readonly Chopper _e4m3Flips = new(FloatFormat.E4M3FN, RoundingMode.Stochastic, new ChopOptions { Seed = 42, FlipProbability = 0.01 });
    private readonly FixedPointChopper _q412 = new(new FixedPointFormat(4, 12));
    private readonly FixedPointChopper _q412Stochastic = new(new FixedPointFormat(4, 12), RoundingMode.Stochastic, seed: 42);
    private readonly FixedPointChopper _q412WrapTowardZero = new(new FixedPointFormat(4, 12), RoundingMode.TowardZero, FixedPointOverflow.Wrap);
    private readonly FixedPointChopper _q1616 = new(new FixedPointFormat(16, 16));
    private float[] _source = [];
    private float[] _sourceFixed = [];
    private float[] _destination = [];
    private double[] _sourceDouble = [];
    private double[] _destinationDouble = [];

    /// <summary>Allocates and fills the arrays once (seeded Box–Muller normal values).</summary>
    [GlobalSetup]
    public void Setup()
    {
        double[] normal = BenchmarkData.Normal(Length, 100);
        _source = BenchmarkData.ToSingle(normal, 1);
        _sourceFixed = BenchmarkData.ToSingle(normal, 1.0 / 16);
        _sourceDouble = Array.ConvertAll(normal, x => x / 16);
        _destination = new float[Length];
        _destinationDouble = new double[Length];
    }

    /// <summary>The yardstick: copy 16M floats (read 64 MiB, write 64 MiB).</summary>
    [Benchmark(Baseline = true)]
    public void CopyFloat() => _source.AsSpan().CopyTo(_destination);

    /// <summary>float → bfloat16, RNE, no flips (the cost the flip pass adds to).</summary>
    [Benchmark]
    public void ChopBFloat16() => _bf16.Chop(_source, _destination);

    /// <summary>float → bfloat16, RNE, then a flip of any bit with probability 10^−3.</summary>
    [Benchmark]
    public void ChopBFloat16Flips1e3() => _bf16Flips.Chop(_source, _destination);

    /// <summary>float → bfloat16, RNE, then a flip of any bit of every element (probability 1: the encode/decode path in every lane).</summary>
    [Benchmark]
    public void ChopBFloat16FlipEvery() => _bf16FlipAll.Chop(_source, _destination);

    /// <summary>The previous implementation of <see cref="ChopBFloat16FlipEvery"/>: vectorized rounding, then the scalar flip loop.</summary>
    [Benchmark]
    public void ChopBFloat16FlipEveryScalarReference()
    {
        FloatFormat.BFloat16.Round(_source, _destination, RoundingMode.NearestEven, OverflowMode.NonSaturating, 42, 0);
        _bf16FlipAll.SingleFlips!.RunScalar(_destination, 0);
    }

    /// <summary>float → E4M3FN, stochastic rounding, then a fraction-bit flip with probability 10^−2.</summary>
    [Benchmark]
    public void ChopE4M3FNStochasticFlips1e2() => _e4m3Flips.Chop(_source, _destination);

    /// <summary>float → Q4.12, RNE, saturating.</summary>
    [Benchmark]
    public void FixedQ4_12() => _q412.Chop(_sourceFixed, _destination);

    /// <summary>The previous implementation of <see cref="FixedQ4_12"/>: the scalar reference loop.</summary>
    [Benchmark]
    public void FixedQ4_12ScalarReference() => _q412.RunScalar(_sourceFixed, _destination, 0);

    /// <summary>float → Q4.12, stochastic rounding (seeded), saturating.</summary>
    [Benchmark]
    public void FixedQ4_12Stochastic() => _q412Stochastic.Chop(_sourceFixed, _destination);

    /// <summary>float → Q4.12, toward zero, wrap-around.</summary>
    [Benchmark]
    public void FixedQ4_12WrapTowardZero() => _q412WrapTowardZero.Chop(_sourceFixed, _destination);

    /// <summary>The double yardstick: copy 16M doubles (128 MiB each way).</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 16)]
    public void CopyDouble() => _sourceDouble.AsSpan().CopyTo(_destinationDouble);

    /// <summary>double → Q16.16, RNE, saturating, double storage.</summary>
    [Benchmark]
    [Work(WorkUnit.Bytes, 16)]
    public void FixedQ16_16Double() => _q1616.Chop(_sourceDouble, _destinationDouble);
}
