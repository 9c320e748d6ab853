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
                if (n == 0)
                {
                    // The tensor is shorter than one block of the scheme: nothing to measure (a row would show the
                    // perfect metrics of zero elements).
                    done++;
                    continue;
                }

                ReadOnlySpan<float> source = tensor.Data.AsSpan(0, n);
                Span<float> destination = output.AsSpan(0, n);

                // Warm once (JIT, page faults), then time one full pass. A quantizer refuses NaN and infinite values (casts
                // take them): the refusal then names the tensor and the scheme.
                long start = 0;
                try
                {
                    scheme.Apply(source[..Math.Min(n, 4096)], destination[..Math.Min(n, 4096)]);
                    start = Stopwatch.GetTimestamp();
                    scheme.Apply(source, destination);
                }
                catch (ArgumentException) when (!AllFinite(source))
                {
                    ThrowNotFinite(tensor, scheme, source);
                }

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

    private static bool AllFinite(ReadOnlySpan<float> data)
    {
        foreach (float x in data)
        {
            if (!float.IsFinite(x))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The one-line refusal of a scheme that needs finite values: the tensor, the scheme, the counts and the first such element.</summary>
    private static void ThrowNotFinite(NamedTensor tensor, ReportScheme scheme, ReadOnlySpan<float> data)
    {
        long nan = 0, infinite = 0, first = -1;
        for (int i = 0; i < data.Length; i++)
        {
            float x = data[i];
            if (!float.IsFinite(x))
            {
                first = first < 0 ? i : first;
                nan += float.IsNaN(x) ? 1 : 0;
                infinite += float.IsInfinity(x) ? 1 : 0;
            }
        }

        throw new UsageException(
            $"tensor {IO.TensorFileError.Quote(tensor.Name)} has {nan} NaN and {infinite} infinite values (the first is element {first}, {data[(int)first]}); " +
            $"{scheme.Name} needs finite values (--formats can choose the casts, which take them)");
    }
}
