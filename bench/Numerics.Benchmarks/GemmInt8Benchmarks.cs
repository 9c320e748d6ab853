// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Numerics.Kernels;

namespace Numerics.Benchmarks;

/// <summary>
/// INT8 × INT8 → INT32 GEMM (<see cref="Gemm.MultiplyInt8"/>: AVX-VNNI, or AVX2 without it) beside the FP32 GEMM of the same shape, in the
/// same run: the GFLOP/s column is 2·M·N·K operations per second for both (issue 6 target: INT8 ≥ 2× FP32).
/// </summary>
/// <remarks>Run with <c>dotnet run -c Release --project bench/Numerics.Benchmarks -- --filter '*GemmInt8Benchmarks*' --job short</c>.</remarks>
[Config(typeof(GemmBenchmarkConfig))]
[Work(WorkUnit.Flops, 2, Elements = "Shape")]
public class GemmInt8Benchmarks
{
    private sbyte[] _a8 = [], _b8 = [];
    private int[] _c32 = [];
    private float[] _a = [], _b = [], _c = [];
    private int _m, _n, _k;

    /// <summary>M×N×K.</summary>
    [Params("1024x1024x1024", "2048x2048x2048", "128x4096x4096")]
    public string Shape { get; set; } = "1024x1024x1024";

    /// <summary>Int8 (the kernel the dispatch picks: AVX-VNNI, or AVX2 vpmaddwd without it) or Fp32.</summary>
    [Params("Int8", "Fp32")]
    public string Implementation { get; set; } = "Int8";

    /// <summary>Threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Fills the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_m, _n, _k) = GemmBenchmarkBase.ParseShape(Shape);
        var random = new Random(42);
        if (Implementation == "Int8")
        {
            _a8 = new sbyte[_m * _k];
            _b8 = new sbyte[_k * _n];
            _c32 = new int[_m * _n];
            for (int i = 0; i < _a8.Length; i++)
            {
                _a8[i] = (sbyte)random.Next(-128, 128);
            }

            for (int i = 0; i < _b8.Length; i++)
            {
                _b8[i] = (sbyte)random.Next(-128, 128);
            }
        }
        else
        {
            _a = new float[_m * _k];
            _b = new float[_k * _n];
            _c = new float[_m * _n];
            for (int i = 0; i < _a.Length; i++)
            {
                _a[i] = (float)random.NextDouble() - 0.5f;
            }

            for (int i = 0; i < _b.Length; i++)
            {
                _b[i] = (float)random.NextDouble() - 0.5f;
            }
        }
    }

    /// <summary>One C = A·B.</summary>
    [Benchmark]
    public void Multiply()
    {
        if (Implementation == "Int8")
        {
            Gemm.MultiplyInt8(_a8, _b8, _c32, _m, _n, _k, Threads);
        }
        else
        {
            Gemm.Multiply(_a, _b, _c, _m, _n, _k, Threads);
        }
    }
}
