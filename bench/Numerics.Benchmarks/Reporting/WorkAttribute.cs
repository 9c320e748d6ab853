// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Benchmarks;

/// <summary>What <see cref="WorkAttribute"/> counts.</summary>
public enum WorkUnit
{
    /// <summary>Bytes moved to and from memory (read + write, the STREAM convention; no write-allocate traffic).</summary>
    Bytes,

    /// <summary>Floating-point operations (a fused multiply-add counts 2).</summary>
    Flops,
}

/// <summary>
/// Declares how much one invocation of a benchmark moves or computes, so the harness can print GB/s or GFLOP/s and the
/// percentage of the measured machine limit (copy bandwidth or FMA peak), and export the amount into BenchmarkDotNet's JSON.
/// Work per invocation = <see cref="PerElement"/> × elements, where elements is the fixed <see cref="Count"/>, or else the value
/// of the benchmark parameter named <see cref="Elements"/> (default <c>Length</c>); a parameter value written <c>MxNxK</c>
/// counts M·N·K.
/// </summary>
/// <remarks>
/// Put it on the class (applies to every method) and, where a method differs, on the method: the method's attribute wins, and
/// takes <see cref="Count"/> / <see cref="Elements"/> from the class attribute when it sets neither. Examples:
/// <code>
/// [Work(WorkUnit.Bytes, 8)]                                        // float in, float out, n = Length
/// [Work(WorkUnit.Bytes, 8, Count = 16 * 1024 * 1024)]             // fixed 16M elements
/// [Work(WorkUnit.Flops, 2, Elements = "Shape")]                   // GEMM: Shape = "MxNxK", 2·M·N·K FLOP
/// </code>
/// The thread count used to pick the FMA peak is the benchmark's <c>Threads</c> parameter (1 when absent).
/// See docs/benchmarks/README.md.
/// </remarks>
/// <param name="unit">Bytes or FLOPs.</param>
/// <param name="perElement">Bytes or FLOPs per element (e.g. 8 for float in + float out; 6 for float in + 16-bit code out).</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class WorkAttribute(WorkUnit unit, double perElement) : Attribute
{
    /// <summary>Gets bytes or FLOPs.</summary>
    public WorkUnit Unit { get; } = unit;

    /// <summary>Gets the bytes or FLOPs per element.</summary>
    public double PerElement { get; } = perElement;

    /// <summary>Gets or sets a fixed element count (for classes without a size parameter); 0 = not set.</summary>
    public long Count { get; set; }

    /// <summary>Gets or sets the name of the parameter holding the element count (default <c>Length</c> when <see cref="Count"/> is 0).</summary>
    public string? Elements { get; set; }
}
