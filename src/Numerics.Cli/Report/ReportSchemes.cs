// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics.Tensors;

namespace Numerics.Cli.Report;

/// <summary>The registry of every scheme the report runs. A scheme is listed only once its library code is tested.</summary>
internal static class ReportSchemes
{
    public static IReadOnlyList<ReportScheme> All { get; } = Build();

    private static List<ReportScheme> Build()
    {
        var schemes = new List<ReportScheme>
        {
            new("fp16 (System.Half) RNE", "cast", 16, static (src, dst) =>
            {
                Half[] tmp = new Half[src.Length];
                TensorPrimitives.ConvertToHalf(src, tmp);
                TensorPrimitives.ConvertToSingle(tmp, dst);
            }),
        };
        return schemes;
    }

    /// <summary>Selects schemes whose name contains any of the comma-separated filters (case-insensitive); all when empty.</summary>
    public static IReadOnlyList<ReportScheme> Select(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return All;
        }

        string[] parts = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var selected = All.Where(s => parts.Any(p => s.Name.Contains(p, StringComparison.OrdinalIgnoreCase))).ToList();
        if (selected.Count == 0)
        {
            throw new UsageException(
                $"--formats '{filter}' matches no scheme; known: {string.Join(", ", All.Select(s => s.Name))}.");
        }

        return selected;
    }
}
