// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Numerics.Kernels;

namespace Numerics.Benchmarks;

/// <summary>
/// SGEMM C = A·B (row-major, 1 and 2 threads): Numerics' <see cref="Gemm"/> beside OpenBLAS (sgemm; sgemv for M = 1), with
/// GFLOP/s and % of the measured FMA peak (KERNELS.md P1/P2: 275 / 567 GFLOP/s). The naive baseline is <see cref="GemmNaiveBenchmarks"/>.
/// </summary>
/// <remarks>
/// Run with <c>env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE dotnet run -c Release --project bench/Numerics.Benchmarks --
/// --filter '*Gemm*Benchmarks*' --job short</c>. The OpenBLAS rows are left out, with a message, when the library is absent.
/// </remarks>
[Config(typeof(GemmBenchmarkConfig))]
public class GemmBenchmarks : GemmBenchmarkBase
{
    /// <summary>M×N×K: squares 1024-4096 and the LLM shapes M = 1, 16, 128 with K = N = 4096.</summary>
    [Params("1024x1024x1024", "2048x2048x2048", "4096x4096x4096", "1x4096x4096", "16x4096x4096", "128x4096x4096")]
    public override string Shape { get; set; } = "1024x1024x1024";

    /// <summary>Which implementation runs.</summary>
    [ParamsSource(nameof(Implementations))]
    public override string Implementation { get; set; } = "Numerics";

    /// <summary>Numerics, and OpenBLAS when the library loads.</summary>
    public static IEnumerable<string> Implementations
    {
        get
        {
            yield return "Numerics";
            if (GemmOpenBlas.IsAvailable)
            {
                yield return "OpenBLAS";
            }
            else
            {
                Console.WriteLine("GemmBenchmarks: OpenBLAS not found (apt-get install libopenblas0-pthread); its rows are skipped.");
            }
        }
    }
}

/// <summary>
/// The naive Vector512 row × matrix loop (KERNELS.md C2) on the same shapes except 4096³, where it takes seconds per call
/// (KERNELS.md measured 18.8 GFLOP/s, memory-bound).
/// </summary>
[Config(typeof(GemmBenchmarkConfig))]
public class GemmNaiveBenchmarks : GemmBenchmarkBase
{
    /// <summary>M×N×K.</summary>
    [Params("1024x1024x1024", "2048x2048x2048", "1x4096x4096", "16x4096x4096", "128x4096x4096")]
    public override string Shape { get; set; } = "1024x1024x1024";

    /// <summary>Always the naive loop.</summary>
    public override string Implementation { get; set; } = "NaiveV512";
}

/// <summary>Shared setup and body of the GEMM benchmarks.</summary>
[Work(WorkUnit.Flops, 2, Elements = "Shape")]
public abstract class GemmBenchmarkBase
{
    private float[] _a = [], _b = [], _c = [];
    private int _m, _n, _k;

    /// <summary>M×N×K.</summary>
    public abstract string Shape { get; set; }

    /// <summary>Which implementation runs: Numerics, OpenBLAS or NaiveV512.</summary>
    public abstract string Implementation { get; set; }

    /// <summary>Threads for every implementation.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Parses the shape and fills A and B.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_m, _n, _k) = ParseShape(Shape);
        _a = new float[_m * _k];
        _b = new float[_k * _n];
        _c = new float[_m * _n];
        var random = new Random(42);
        for (int i = 0; i < _a.Length; i++)
        {
            _a[i] = (float)random.NextDouble() - 0.5f;
        }

        for (int i = 0; i < _b.Length; i++)
        {
            _b[i] = (float)random.NextDouble() - 0.5f;
        }

        if (Implementation == "OpenBLAS")
        {
            GemmOpenBlas.SetThreads(Threads);
            Console.WriteLine($"// OpenBLAS {GemmOpenBlas.Path}, core {GemmOpenBlas.CoreName}, OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)"}");
        }
    }

    /// <summary>One C = A·B.</summary>
    [Benchmark]
    public void Multiply()
    {
        switch (Implementation)
        {
            case "Numerics":
                Gemm.Multiply(_a, _b, _c, _m, _n, _k, Threads);
                break;
            case "OpenBLAS" when _m == 1:
                GemmOpenBlas.SgemvRowTimesMatrix(_a, _b, _c, _n, _k);
                break;
            case "OpenBLAS":
                GemmOpenBlas.Sgemm(_a, _b, _c, _m, _n, _k);
                break;
            default:
                NaiveVector512(_a, _b, _c, _m, _n, _k, Threads);
                break;
        }
    }

    /// <summary>M, N, K of a shape string.</summary>
    internal static (int M, int N, int K) ParseShape(string shape)
    {
        string[] parts = shape.Split('x');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>The plain row × matrix loop (KERNELS.md C2): C[i, :] = Σ_p A[i, p]·B[p, :], 4 zmm per step, rows split over threads.</summary>
    private static void NaiveVector512(float[] a, float[] b, float[] c, int m, int n, int k, int threads)
    {
        if (threads == 1)
        {
            for (int i = 0; i < m; i++)
            {
                NaiveRow(a, b, c, i, n, k);
            }
        }
        else
        {
            Parallel.For(0, m, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => NaiveRow(a, b, c, i, n, k));
        }
    }

    private static void NaiveRow(float[] a, float[] b, float[] c, int i, int n, int k)
    {
        Span<float> row = c.AsSpan(i * n, n);
        row.Clear();
        for (int p = 0; p < k; p++)
        {
            var s = Vector512.Create(a[(i * k) + p]);
            ReadOnlySpan<float> bRow = b.AsSpan(p * n, n);
            int j = 0;
            for (; j + 64 <= n; j += 64)
            {
                Vector512.FusedMultiplyAdd(s, Vector512.Create(bRow.Slice(j, 16)), Vector512.Create(row.Slice(j, 16))).CopyTo(row.Slice(j, 16));
                Vector512.FusedMultiplyAdd(s, Vector512.Create(bRow.Slice(j + 16, 16)), Vector512.Create(row.Slice(j + 16, 16))).CopyTo(row.Slice(j + 16, 16));
                Vector512.FusedMultiplyAdd(s, Vector512.Create(bRow.Slice(j + 32, 16)), Vector512.Create(row.Slice(j + 32, 16))).CopyTo(row.Slice(j + 32, 16));
                Vector512.FusedMultiplyAdd(s, Vector512.Create(bRow.Slice(j + 48, 16)), Vector512.Create(row.Slice(j + 48, 16))).CopyTo(row.Slice(j + 48, 16));
            }

            for (; j < n; j++)
            {
                row[j] = MathF.FusedMultiplyAdd(s[0], bRow[j], row[j]);
            }
        }
    }
}

/// <summary>Adds GFLOP/s and % of peak columns to the GEMM table.</summary>
public sealed class GemmBenchmarkConfig : ManualConfig
{
    /// <summary>Registers the columns.</summary>
    public GemmBenchmarkConfig()
    {
        AddColumn(new GemmFlopsColumn(percentOfPeak: false), new GemmFlopsColumn(percentOfPeak: true));
    }
}

/// <summary>2·M·N·K / mean time, in GFLOP/s or as % of the FMA peak for the thread count (275 GFLOP/s for 1 thread, 567 for 2).</summary>
public sealed class GemmFlopsColumn(bool percentOfPeak) : IColumn
{
    /// <inheritdoc/>
    public string Id => percentOfPeak ? "GemmPeak" : "GemmGflops";

    /// <inheritdoc/>
    public string ColumnName => percentOfPeak ? "% of peak" : "GFLOP/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => percentOfPeak ? 1 : 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => percentOfPeak ? "GFLOP/s over the measured FMA peak (KERNELS.md P1 275, P2 567)" : "2·M·N·K / mean";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        BenchmarkReport? report = summary[benchmarkCase];
        double? meanNs = report?.ResultStatistics?.Mean;
        if (meanNs is null or <= 0)
        {
            return "-";
        }

        string shape = (string)benchmarkCase.Parameters["Shape"];
        int threads = (int)benchmarkCase.Parameters["Threads"];
        (int m, int n, int k) = GemmBenchmarks.ParseShape(shape);
        double gflops = 2.0 * m * n * k / meanNs.Value;
        return percentOfPeak
            ? (100 * gflops / (threads == 1 ? 275.0 : 567.0)).ToString("F1", CultureInfo.InvariantCulture)
            : gflops.ToString("F1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
