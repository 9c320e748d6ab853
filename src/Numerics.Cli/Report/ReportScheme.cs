// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli.Report;

/// <summary>Writes the round trip (encode, then decode back to float) of <paramref name="source"/> into <paramref name="destination"/>.</summary>
internal delegate void RoundTrip(ReadOnlySpan<float> source, Span<float> destination);

/// <summary>One row of the report: a format, rounding mode or quantizer applied to a whole tensor.</summary>
/// <param name="Name">Row label, for example <c>bf16 RNE</c> or <c>q4_0</c>.</param>
/// <param name="Family">What kind of scheme it is (format cast, emulation, quantizer).</param>
/// <param name="BitsPerElement">Storage cost including scales.</param>
/// <param name="Apply">The round trip.</param>
/// <param name="BlockSize">Elements per quantization block; the tensor length is truncated to a multiple of it.</param>
internal sealed record ReportScheme(string Name, string Family, double BitsPerElement, RoundTrip Apply, int BlockSize = 1);
