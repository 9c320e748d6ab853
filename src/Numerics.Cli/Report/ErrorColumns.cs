// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Numerics.Quantization;

namespace Numerics.Cli.Report;

/// <summary>The error columns every table of the tool prints (report, chop, quantize), formatted one way.</summary>
internal static class ErrorColumns
{
    public static string[] Headers { get; } = ["RMSE", "SQNR dB", "max abs err", "cosine"];

    public static string[] Cells(ErrorReport e) =>
    [
        e.RootMeanSquaredError.ToString("E3", CultureInfo.InvariantCulture),
        e.SqnrDb.ToString("0.00", CultureInfo.InvariantCulture),
        e.MaxAbsoluteError.ToString("E3", CultureInfo.InvariantCulture),
        e.CosineSimilarity.ToString("0.000000", CultureInfo.InvariantCulture),
    ];
}
