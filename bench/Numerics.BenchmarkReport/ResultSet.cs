// Licensed under the MIT License. See LICENSE in the repository root.

using Numerics.Benchmarks.Reporting;

namespace Numerics.BenchmarkReport;

/// <summary>All records of a results folder, merged (a later export of the same case replaces an earlier one), with the limits.</summary>
internal sealed class ResultSet
{
    /// <summary>Merges files (in the given order; later wins).</summary>
    /// <param name="files">Exports, oldest first.</param>
    public ResultSet(IReadOnlyList<BdnResultFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ArgumentException("no BenchmarkDotNet full JSON export (" + BdnJson.FilePattern + ") to report on", nameof(files));
        }

        var merged = new Dictionary<string, BenchmarkRecord>(StringComparer.Ordinal);
        foreach (BenchmarkRecord r in files.SelectMany(f => f.Records))
        {
            merged[KeyOf(r)] = r;
        }

        Records = [.. merged.Values];
        if (Records.Count == 0)
        {
            throw new ArgumentException("the exports hold no measured case (did the benchmark build or run fail?)", nameof(files));
        }

        Host = files[^1].Host;
        Limits = MachineLimits.From(Records);
    }

    /// <summary>The host of the newest export.</summary>
    public HostInfo Host { get; }

    /// <summary>Every case once.</summary>
    public IReadOnlyList<BenchmarkRecord> Records { get; }

    /// <summary>The 100 % references.</summary>
    public MachineLimits Limits { get; }

    /// <summary>Records of one class, in export order.</summary>
    /// <param name="type">Class name.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<BenchmarkRecord> OfType(string type) => [.. Records.Where(r => r.Type == type)];

    /// <summary>The baseline of a record: the same class, parameters and job, whose method is the class's baseline.</summary>
    /// <param name="record">A record.</param>
    /// <returns>The baseline record or null.</returns>
    public BenchmarkRecord? BaselineOf(BenchmarkRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string parameters = ParametersKey(record);
        return Records.FirstOrDefault(r => r.IsBaseline && r.Type == record.Type && r.Job == record.Job && ParametersKey(r) == parameters);
    }

    private static string KeyOf(BenchmarkRecord r) => r.Type + "." + r.Method + "|" + ParametersKey(r) + "|" + r.Job + "|" + r.Tier;

    private static string ParametersKey(BenchmarkRecord r) => string.Join('&', r.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
}
