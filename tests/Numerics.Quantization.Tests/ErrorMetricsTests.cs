// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization.Tests;

/// <summary>Error metrics against values computed by hand from their definitions.</summary>
public sealed class ErrorMetricsTests
{
    [Fact]
    public void Compare_matches_hand_computed_values()
    {
        float[] r = [1, -2, 3, 0];
        float[] a = [1.5f, -2, 2, 0];

        // errors: 0.5, 0, -1, 0 -> SSE 1.25, MSE 0.3125; signal energy 14 -> SQNR 10 log10(14 / 1.25).
        ErrorReport e = ErrorMetrics.Compare(r, a);
        Assert.Equal(0.3125, e.MeanSquaredError);
        Assert.Equal(Math.Sqrt(0.3125), e.RootMeanSquaredError);
        Assert.Equal(10 * Math.Log10(14 / 1.25), e.SqnrDb, 12);
        Assert.Equal(1.0, e.MaxAbsoluteError);
        Assert.Equal(0.5, e.MaxRelativeError); // |2 - 3| / 3 = 1/3 < 0.5 / 1
        double dot = 1.5 + 4 + 6;
        Assert.Equal(dot / Math.Sqrt(14 * (2.25 + 4 + 4)), e.CosineSimilarity, 15);
    }

    [Fact]
    public void Exact_approximation_has_infinite_sqnr()
    {
        float[] r = [1, 2, 3];
        ErrorReport e = ErrorMetrics.Compare(r, r);
        Assert.Equal(0, e.MeanSquaredError);
        Assert.True(double.IsPositiveInfinity(e.SqnrDb));
        Assert.Equal(1.0, e.CosineSimilarity, 15);
    }

    [Fact]
    public void Sqnr_of_all_zero_references_follows_its_definition()
    {
        // 10·log10(Σr² / Σ(a − r)²): 0/0 is NaN (both all zero, or empty), 0/positive is −∞.
        Assert.True(double.IsNaN(ErrorMetrics.SignalToQuantizationNoiseDb([0f, 0f], [0f, -0f])));
        Assert.True(double.IsNaN(ErrorMetrics.SignalToQuantizationNoiseDb([], [])));
        Assert.Equal(double.NegativeInfinity, ErrorMetrics.SignalToQuantizationNoiseDb([0f, 0f], [0f, 0.5f]));
        Assert.Equal(1.0, ErrorMetrics.Compare([0f, 0f], [0f, -0f]).CosineSimilarity); // the documented convention for cosine
    }

    [Fact]
    public void NaN_propagates()
    {
        ErrorReport e = ErrorMetrics.Compare([1f, 2f], [1f, float.NaN]);
        Assert.True(double.IsNaN(e.MeanSquaredError));
        Assert.True(double.IsNaN(e.MaxAbsoluteError));
    }

    [Fact]
    public void Length_mismatch_throws_naming_the_argument()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => ErrorMetrics.Compare([1f], [1f, 2f]));
        Assert.Equal("approximation", ex.ParamName);
    }
}
