// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text.Json;

namespace Numerics.Benchmarks.Reporting;

/// <summary>The host section of a BenchmarkDotNet JSON export.</summary>
/// <param name="BenchmarkDotNetVersion">e.g. 0.15.8.</param>
/// <param name="OsVersion">e.g. Linux Debian GNU/Linux 12 (bookworm).</param>
/// <param name="ProcessorName">CPU brand string.</param>
/// <param name="PhysicalCoreCount">Physical cores.</param>
/// <param name="LogicalCoreCount">Logical cores.</param>
/// <param name="RuntimeVersion">.NET runtime.</param>
/// <param name="DotNetSdkVersion">.NET SDK.</param>
/// <param name="Architecture">X64, Arm64, ...</param>
internal sealed record HostInfo(
    string BenchmarkDotNetVersion,
    string OsVersion,
    string ProcessorName,
    int PhysicalCoreCount,
    int LogicalCoreCount,
    string RuntimeVersion,
    string DotNetSdkVersion,
    string Architecture);

/// <summary>One exported file: its title, host and benchmark records.</summary>
/// <param name="Title">BenchmarkDotNet's title of the run.</param>
/// <param name="Host">The host.</param>
/// <param name="Records">The cases.</param>
internal sealed record BdnResultFile(string Title, HostInfo Host, IReadOnlyList<BenchmarkRecord> Records);

/// <summary>
/// Reads BenchmarkDotNet's "full" JSON export (<c>*-report-full.json</c>, written by <c>JsonExporter.Full</c>; the compressed
/// variant has the same schema). The work per invocation comes from the <c>WorkBytes</c> / <c>WorkFlops</c> metrics that
/// Numerics.Benchmarks' work diagnoser adds.
/// </summary>
internal static class BdnJson
{
    /// <summary>The file name pattern of full JSON exports.</summary>
    public const string FilePattern = "*-report-full*.json";

    /// <summary>Reads every full JSON export in a directory, oldest first (so later files win when merged).</summary>
    /// <param name="directory">Usually <c>BenchmarkDotNet.Artifacts/results</c>.</param>
    /// <returns>The files, empty when the directory does not exist.</returns>
    public static IReadOnlyList<BdnResultFile> LoadDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, FilePattern)
            .OrderBy(File.GetLastWriteTimeUtc)
            .ThenBy(p => p, StringComparer.Ordinal)
            .Select(Load)
            .ToList();
    }

    /// <summary>Reads one file.</summary>
    /// <param name="path">Path of a <c>*-report-full.json</c> file.</param>
    /// <returns>Its content.</returns>
    public static BdnResultFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = File.OpenRead(path);
        return Parse(stream);
    }

    /// <summary>Parses a full JSON export.</summary>
    /// <param name="json">The stream.</param>
    /// <returns>Its content.</returns>
    public static BdnResultFile Parse(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        JsonElement host = root.GetProperty("HostEnvironmentInfo");
        var hostInfo = new HostInfo(
            Text(host, "BenchmarkDotNetVersion"),
            Text(host, "OsVersion"),
            Text(host, "ProcessorName"),
            (int)Number(host, "PhysicalCoreCount"),
            (int)Number(host, "LogicalCoreCount"),
            Text(host, "RuntimeVersion"),
            Text(host, "DotNetCliVersion"),
            Text(host, "Architecture"));
        var records = new List<BenchmarkRecord>();
        foreach (JsonElement b in root.GetProperty("Benchmarks").EnumerateArray())
        {
            if (!b.TryGetProperty("Statistics", out JsonElement stats) || stats.ValueKind != JsonValueKind.Object)
            {
                continue; // a case that failed has no statistics
            }

            string display = Text(b, "DisplayInfo");
            records.Add(new BenchmarkRecord(
                Text(b, "Type"),
                Text(b, "Method"),
                ParseParameters(Text(b, "Parameters")),
                JobOf(display),
                TierOf(display),
                Number(stats, "Median"),
                Number(stats, "Mean"),
                Number(stats, "Min"),
                AllocatedOf(b),
                WorkOf(b),
                IsBaseline(b)));
        }

        return new BdnResultFile(Text(root, "Title"), hostInfo, records);
    }

    /// <summary>Parses BenchmarkDotNet's parameter text <c>Length=32768&amp;Threads=2</c>.</summary>
    /// <param name="text">The text; empty for a class without parameters.</param>
    /// <returns>Name to value.</returns>
    public static IReadOnlyDictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        foreach (string pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return result;
    }

    /// <summary>The job id in a DisplayInfo <c>Type.Method: JobId(Settings...) [Params]</c>.</summary>
    /// <param name="displayInfo">BenchmarkDotNet's DisplayInfo.</param>
    /// <returns>The job id, or an empty string.</returns>
    public static string JobOf(string displayInfo)
    {
        ArgumentNullException.ThrowIfNull(displayInfo);
        int colon = displayInfo.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
        {
            return string.Empty;
        }

        string rest = displayInfo[(colon + 2)..];
        int end = rest.IndexOfAny(['(', ' ']);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>
    /// The instruction-set tier a job ran on, from the switches in its environment variables: <c>DOTNET_EnableHWIntrinsic=0</c>
    /// is scalar, <c>DOTNET_EnableAVX2=0</c> is v128, <c>DOTNET_EnableAVX512=0</c> is v256, none is <c>default</c> (the
    /// machine's widest).
    /// </summary>
    /// <param name="displayInfo">BenchmarkDotNet's DisplayInfo (it lists the job's environment variables).</param>
    /// <returns>The tier.</returns>
    public static string TierOf(string displayInfo)
    {
        ArgumentNullException.ThrowIfNull(displayInfo);
        if (displayInfo.Contains("DOTNET_EnableHWIntrinsic=0", StringComparison.OrdinalIgnoreCase))
        {
            return "scalar";
        }

        if (displayInfo.Contains("DOTNET_EnableAVX2=0", StringComparison.OrdinalIgnoreCase))
        {
            return "v128";
        }

        return displayInfo.Contains("DOTNET_EnableAVX512=0", StringComparison.OrdinalIgnoreCase) ? "v256" : "default";
    }

    private static double? AllocatedOf(JsonElement benchmark) =>
        benchmark.TryGetProperty("Memory", out JsonElement memory) && memory.ValueKind == JsonValueKind.Object
            && memory.TryGetProperty("BytesAllocatedPerOperation", out JsonElement bytes) && bytes.ValueKind == JsonValueKind.Number
            ? bytes.GetDouble()
            : null;

    private static WorkAmount? WorkOf(JsonElement benchmark)
    {
        if (!benchmark.TryGetProperty("Metrics", out JsonElement metrics) || metrics.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (JsonElement metric in metrics.EnumerateArray())
        {
            string id = metric.TryGetProperty("Descriptor", out JsonElement d) ? Text(d, "Id") : string.Empty;
            if (metric.TryGetProperty("Value", out JsonElement v) && v.ValueKind == JsonValueKind.Number)
            {
                if (id == WorkUnits.BytesMetricId)
                {
                    return new WorkAmount(WorkUnits.Bytes, v.GetDouble());
                }

                if (id == WorkUnits.FlopsMetricId)
                {
                    return new WorkAmount(WorkUnits.Flops, v.GetDouble());
                }
            }
        }

        return null;
    }

    private static bool IsBaseline(JsonElement benchmark)
    {
        // BenchmarkDotNet's JSON has no baseline flag; the Numerics work diagnoser exports one as a metric.
        if (benchmark.TryGetProperty("Metrics", out JsonElement metrics) && metrics.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement metric in metrics.EnumerateArray())
            {
                if (metric.TryGetProperty("Descriptor", out JsonElement d) && Text(d, "Id") == BaselineMetricId
                    && metric.TryGetProperty("Value", out JsonElement v) && v.ValueKind == JsonValueKind.Number)
                {
                    return v.GetDouble() != 0;
                }
            }
        }

        return false;
    }

    /// <summary>Metric id of the baseline flag (1 for the class's baseline method, else 0).</summary>
    public const string BaselineMetricId = "IsBaseline";

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() ?? string.Empty,
                JsonValueKind.Number => value.GetRawText(),
                _ => string.Empty,
            }
            : string.Empty;

    private static double Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
                _ => double.NaN,
            }
            : double.NaN;
}
