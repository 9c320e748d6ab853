// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Numerics.Quantization;

namespace Numerics.Cli.Report;

/// <summary>One measured row: a scheme on a tensor.</summary>
internal sealed record ReportRow(string Tensor, string Scheme, string Family, double BitsPerElement, ErrorReport Error, double GigabytesPerSecond, long Elements);

/// <summary>Runs schemes over tensors and measures error and throughput.</summary>
internal static class ReportRunner
{
    public static List<ReportRow> Run(IReadOnlyList<NamedTensor> tensors, IReadOnlyList<ReportScheme> schemes, IProgress<(int Done, int Total, string What)>? progress)
    {
        var rows = new List<ReportRow>();
        int total = tensors.Count * schemes.Count, done = 0;
        foreach (NamedTensor tensor in tensors)
        {
            float[] output = new float[tensor.Data.Length];
            output.AsSpan().Fill(1f); // touch every page now, so the first scheme's timing does not pay the page faults
            foreach (ReportScheme scheme in schemes)
            {
                progress?.Report((done, total, $"{tensor.Name}: {scheme.Name}"));
                int n = tensor.Data.Length / scheme.BlockSize * scheme.BlockSize;
                ReadOnlySpan<float> source = tensor.Data.AsSpan(0, n);
                Span<float> destination = output.AsSpan(0, n);

                // Warm once (JIT, page faults), then time one full pass.
                scheme.Apply(source[..Math.Min(n, 4096)], destination[..Math.Min(n, 4096)]);
                long start = Stopwatch.GetTimestamp();
                scheme.Apply(source, destination);
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                ErrorReport error = ErrorMetrics.Compare(source, destination);
                double gbps = n * sizeof(float) / seconds / 1e9;
                rows.Add(new ReportRow(tensor.Name, scheme.Name, scheme.Family, scheme.BitsPerElement, error, gbps, n));
                done++;
            }
        }

        progress?.Report((total, total, "done"));
        return rows;
    }
}
