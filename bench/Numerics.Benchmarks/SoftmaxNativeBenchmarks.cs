// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Numerics.Kernels;

namespace Numerics.Benchmarks;

/// <summary>
/// Our two-pass softmax against a C AVX-512 implementation of the same algorithm (gcc -O3, <see cref="SoftmaxNative"/>), with
/// TensorPrimitives.SoftMax, at 32K (in cache) and 16M (out of cache). The absolute target (about 26 GB/s at 16M for a
/// C two-pass, measured on an earlier day) depends on the VM's memory speed of the day; this class measures the C peer
/// on the same machine, in the same run. The C rows are skipped with a message when eng/build-native.sh has not been run or the CPU lacks AVX-512.
/// Buffers are shared by every case of a length in one process (with SameBuffersSoftmaxBenchmarks), so <c>--inProcess</c> gives same-buffer comparisons.
/// GB/s counts 8 bytes per element (x read once, y written once).
/// </summary>
[MemoryDiagnoser]
[Work(WorkUnit.Bytes, 8)]
public class SoftmaxNativeBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];

    /// <summary>Gets or sets the row length.</summary>
    [Params(32 * 1024, 16 * 1024 * 1024)]
    public int Length { get; set; }

    /// <summary>Gets or sets the implementation: ours, TensorPrimitives, and C when the library loads.</summary>
    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = "Numerics";

    /// <summary>Gets the implementations present on this machine.</summary>
    public static IEnumerable<string> Implementations
    {
        get
        {
            yield return "Numerics";
            yield return "TensorPrimitives";
            if (SoftmaxNative.IsAvailable)
            {
                yield return "C";
                yield return "C, prefetch";
            }
            else
            {
                Console.WriteLine($"SoftmaxNativeBenchmarks: {SoftmaxNative.Unavailable}; the C rows are skipped.");
            }
        }
    }

    /// <summary>Takes the process-wide buffers of this length (<see cref="BenchmarkData.SharedSoftmaxBuffers"/>), and checks the C peer against our kernel once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_x, _y) = BenchmarkData.SharedSoftmaxBuffers(Length);
        if (Implementation.StartsWith('C'))
        {
            // A baseline that computes something else would make the comparison meaningless: both within 1e-5 relative.
            float[] ours = new float[Length];
            Softmax.TwoPass(_x, ours);
            TwoPass();
            for (int i = 0; i < ours.Length; i++)
            {
                if (!(Math.Abs(_y[i] - ours[i]) <= 1e-5 * Math.Abs(ours[i])))
                {
                    throw new InvalidOperationException($"The C peer disagrees at {i}: {_y[i]} against {ours[i]}.");
                }
            }
        }
    }

    /// <summary>One softmax over the row.</summary>
    [Benchmark]
    public void TwoPass()
    {
        switch (Implementation)
        {
            case "Numerics": Softmax.TwoPass(_x, _y); break;
            case "C": SoftmaxNative.TwoPass(_x, _y); break;
            case "C, prefetch": SoftmaxNative.TwoPassPrefetch(_x, _y); break;
            default: TensorPrimitives.SoftMax(_x, _y); break;
        }
    }
}
