// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Benchmarks.Reporting;

/// <summary>One measured limit of the machine.</summary>
/// <param name="Kind">"copy" (bytes, keyed by footprint) or "fma" (FLOPs, keyed by threads).</param>
/// <param name="Key">Bytes moved per copy for "copy"; threads for "fma".</param>
/// <param name="Rate">GB/s or GFLOP/s.</param>
/// <param name="Measured">True when measured in the run, false for the KERNELS.md anchor.</param>
internal sealed record MachineLimit(string Kind, double Key, double Rate, bool Measured)
{
    /// <summary>Short description, e.g. <c>copy 128 MiB, measured</c> or <c>FMA peak 2 thr, anchor</c>.</summary>
    public string Describe() => Kind == "copy"
        ? string.Create(CultureInfo.InvariantCulture, $"copy {MachineLimits.FormatBytes(Key)}, {(Measured ? "measured" : "anchor")}")
        : string.Create(CultureInfo.InvariantCulture, $"FMA peak {Key:0} thr, {(Measured ? "measured" : "anchor")}");
}

/// <summary>
/// The 100 % references for "% of limit": <see cref="Span{T}.CopyTo(Span{T})"/> bandwidth at the footprint nearest the case's
/// bytes per invocation (so an in-cache kernel is compared with an in-cache copy), and the FP32 FMA peak for the case's thread
/// count. Measured by <c>MachineLimitsBenchmarks</c> / <c>MachineLimitsFmaBenchmarks</c> when those ran (same run or an
/// earlier export in the same results folder); otherwise the quiet-machine anchors of KERNELS.md (marked "anchor").
/// </summary>
internal sealed class MachineLimits
{
    /// <summary>Class of the bandwidth limits.</summary>
    public const string CopyType = "MachineLimitsBenchmarks";

    /// <summary>Class of the FMA peak.</summary>
    public const string FmaType = "MachineLimitsFmaBenchmarks";

    private readonly List<MachineLimit> _copy;
    private readonly List<MachineLimit> _fma;

    private MachineLimits(List<MachineLimit> copy, List<MachineLimit> fma)
    {
        _copy = copy;
        _fma = fma;
    }

    /// <summary>KERNELS.md anchors (2 vCPU Zen 5, quiet): Span.CopyTo 261.6 GB/s at 32K floats, 46.4 GB/s at 16M; FMA 275 / 567 GFLOP/s.</summary>
    public static MachineLimits Anchors { get; } = new(
        [new("copy", 8.0 * 32 * 1024, 261.6, false), new("copy", 8.0 * 16 * 1024 * 1024, 46.4, false)],
        [new("fma", 1, 275, false), new("fma", 2, 567, false)]);

    /// <summary>Copy limits in use (measured, or anchors when none was measured).</summary>
    public IReadOnlyList<MachineLimit> Copy => _copy;

    /// <summary>FMA limits in use (measured, or anchors when none was measured).</summary>
    public IReadOnlyList<MachineLimit> Fma => _fma;

    /// <summary>
    /// Limits from records: <c>MachineLimitsBenchmarks.Copy</c> rows (default tier) and <c>MachineLimitsFmaBenchmarks.PeakFma</c>
    /// rows; each kind falls back to the anchors when absent. When a limit was measured more than once the last record wins.
    /// </summary>
    /// <param name="records">Records of one or more exports.</param>
    /// <returns>The limits.</returns>
    public static MachineLimits From(IEnumerable<BenchmarkRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var copy = new Dictionary<double, MachineLimit>();
        var fma = new Dictionary<double, MachineLimit>();
        foreach (BenchmarkRecord r in records)
        {
            if (r.Tier != "default" || r.Rate is not { } rate || !double.IsFinite(rate) || rate <= 0)
            {
                continue;
            }

            if (r.Type == CopyType && r.Method == "Copy" && r.Work is { IsBytes: true } w)
            {
                copy[w.PerOperation] = new MachineLimit("copy", w.PerOperation, rate, true);
            }
            else if (r.Type == FmaType && r.Method == "PeakFma" && r.Work is { IsBytes: false })
            {
                fma[r.Threads] = new MachineLimit("fma", r.Threads, rate, true);
            }
        }

        return new MachineLimits(
            copy.Count > 0 ? [.. copy.Values.OrderBy(l => l.Key)] : [.. Anchors._copy],
            fma.Count > 0 ? [.. fma.Values.OrderBy(l => l.Key)] : [.. Anchors._fma]);
    }

    /// <summary>
    /// The reference of a case: for bytes, the copy whose bytes per invocation is nearest (in log scale) to the case's; for FLOPs,
    /// the FMA peak with the case's thread count (else the nearest thread count).
    /// </summary>
    /// <param name="work">The case's work per invocation.</param>
    /// <param name="threads">The case's thread count.</param>
    /// <returns>The limit, or null when none applies.</returns>
    public MachineLimit? ReferenceFor(WorkAmount work, int threads)
    {
        if (work.IsBytes)
        {
            double target = Math.Log2(Math.Max(1, work.PerOperation));
            return _copy.Count == 0 ? null : _copy.MinBy(l => Math.Abs(Math.Log2(l.Key) - target));
        }

        return _fma.Count == 0 ? null : _fma.MinBy(l => Math.Abs(l.Key - threads));
    }

    /// <summary>Percentage of the reference, or null.</summary>
    /// <param name="record">A case with a declared work.</param>
    /// <returns>100 · rate / limit.</returns>
    public double? PercentOfLimit(BenchmarkRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Work is { } w && record.Rate is { } rate && ReferenceFor(w, record.Threads) is { } limit
            ? 100 * rate / limit.Rate
            : null;
    }

    /// <summary>Bytes as KiB/MiB/GiB with at most one decimal.</summary>
    /// <param name="bytes">A byte count.</param>
    /// <returns>e.g. <c>256 KiB</c>.</returns>
    public static string FormatBytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB"];
        int u = 0;
        while (bytes >= 1024 && u < units.Length - 1)
        {
            bytes /= 1024;
            u++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes:0.#} {units[u]}");
    }
}
