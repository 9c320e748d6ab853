// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck;
using FsCheck.Fluent;
using Numerics.Formats;
using Numerics.Testing;

namespace Numerics.Quantization.Tests;

/// <summary>One generated block of values and the kind of block it is.</summary>
public sealed record QuantBlock(string Kind, float[] Values)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind}[{Values.Length}]: {string.Join(", ", Values.Take(8).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}";
}

/// <summary>
/// FsCheck laws of the integer, scaled-float and KIVI quantizers on random, all-zero, constant, single-outlier, subnormal and
/// huge blocks: dequant(quant(x)) is within each scheme's stated bound per group, and quantizing already-quantized data gives
/// the same codes.
/// </summary>
public sealed class QuantizationPropertyTests
{
    private const double TwoPowMinus23 = 1.0 / (1 << 23);
    private static readonly double s_minSubnormal = Math.ScaleB(1.0, -149);

    private static float[] Make(string kind, int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u = (rng.NextDouble() * 2) - 1;
            x[i] = kind switch
            {
                "zero" => 0,
                "constant" => (float)(seed % 1000 / 7.0) - 70,
                "outlier" => (float)(u * 0.01),
                "subnormal" => (float)(u * 1e-39),
                "huge" => (float)(u * 1e38),
                _ => (float)(u * Math.Pow(2, rng.Next(-8, 8))),
            };
        }

        if (kind == "outlier")
        {
            x[seed % n] = seed % 2 == 0 ? 1000f : -1000f;
        }

        return x;
    }

    private static Gen<QuantBlock> Blocks =>
        from kind in Gen.Elements("random", "zero", "constant", "outlier", "subnormal", "huge")
        from n in Gen.Choose(1, 64)
        from seed in Gen.Choose(0, int.MaxValue)
        select new QuantBlock(kind, Make(kind, n, seed));

    private static void Run<T>(Gen<T> gen, Func<T, bool> law, string label) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(gen), law).Label(label));

    [Fact]
    public void Integer_round_trip_is_within_half_a_step_and_idempotent()
    {
        Gen<(QuantBlock Block, int Bits, bool Signed, bool Symmetric)> cases =
            from block in Blocks
            from bits in Gen.Elements(2, 3, 4, 8)
            from signed in Gen.Elements(true, false)
            from symmetric in Gen.Elements(true, false)
            select (block, bits, signed, symmetric);
        Run(cases, c =>
        {
            float[] x = c.Block.Values;
            var o = new IntegerQuantizationOptions { Bits = c.Bits, IsSigned = c.Signed, Symmetric = c.Symmetric, Granularity = QuantizationGranularity.PerGroup, GroupSize = 16 };
            QuantizedTensor q = IntegerQuantizer.Quantize(x, 1, x.Length, o);
            float[] y = q.ToFloat();
            for (int k = 0; k < x.Length; k++)
            {
                double scale = q.Scales.Span[q.GroupIndex(0, k)];
                // scale is stored rounded to float32: the codes then span (2^b − 1)·scale, which can fall short of the range by
                // (2^b − 1)·ulp(scale)/2 — only visible for subnormal scales (ulp = 2^-149), negligible otherwise.
                double scaleRounding = ((1 << c.Bits) - 1) * Math.Max(Math.ScaleB(scale, -24), Math.ScaleB(1.0, -150));
                double bound = (scale / 2) + (TwoPowMinus23 * (Math.Abs(x[k]) + scale)) + s_minSubnormal + scaleRounding;
                if (!(Math.Abs((double)y[k] - x[k]) <= bound))
                {
                    return false;
                }
            }

            // Idempotence needs the dequantized values to sit on the grid k·scale up to a relative float32 rounding; a subnormal
            // scale (groups below ~2^-126·2^(b−1)) has only a few significant bits and the products round on the absolute
            // subnormal grid, so those groups are only held to the bound above.
            foreach (float scale in q.Scales.Span)
            {
                if (scale != 0 && scale < 1.17549435e-38f) // 2^-126
                {
                    return true;
                }
            }

            QuantizedTensor again = IntegerQuantizer.Quantize(y, 1, y.Length, o);
            return again.Data.Span.SequenceEqual(q.Data.Span) && again.ZeroPoints.Span.SequenceEqual(q.ZeroPoints.Span);
        }, "integer");
    }

    [Fact]
    public void Scaled_float_round_trip_is_within_half_an_element_ulp_and_power_of_two_scales_are_idempotent()
    {
        Gen<(QuantBlock Block, ScaledFloatElement Element, bool Pow2)> cases =
            from block in Blocks
            from e in Gen.Elements(ScaledFloatElement.E4M3, ScaledFloatElement.E5M2, ScaledFloatElement.E2M1)
            from pow2 in Gen.Elements(true, false)
            select (block, e, pow2);
        Run(cases, c =>
        {
            float[] x = c.Block.Values;
            var o = new ScaledFloatOptions { Element = c.Element, Granularity = QuantizationGranularity.PerGroup, GroupSize = 16, PowerOfTwoScales = c.Pow2 };
            ScaledFloatTensor q = ScaledFloatQuantizer.Quantize(x, 1, x.Length, o);
            FloatFormat f = q.Format;
            float[] y = q.ToFloat();
            for (int k = 0; k < x.Length; k++)
            {
                double s = q.Scales.Span[q.GroupIndex(0, k)];
                if (s == 0)
                {
                    if (y[k] != 0 || (Math.Abs(x[k]) > 1e-37 && !c.Pow2))
                    {
                        return false;
                    }

                    continue;
                }

                // RNE to a p-bit float: |t − round(t)| ≤ max(2^-p·|t|, min subnormal / 2), t = x / s (amax / s ≤ max finite
                // up to the float32 rounding of s, which satfinite absorbs within the same bound).
                double t = Math.Abs(x[k] / s);
                double half = Math.Max(Math.ScaleB(t, -f.Precision), f.MinSubnormal / 2) * (1 + 1e-6);
                // The float32 rounding of the scale can push amax / scale past M by up to M·(ulp(s)/2)/s; with satfinite that
                // costs at most M·ulp(s)/2 in value, which matters only for subnormal scales (ulp = 2^-149).
                double scaleRounding = f.MaxFinite * Math.Max(Math.ScaleB(s, -24), Math.ScaleB(1.0, -150));
                double bound = (half * s) + (TwoPowMinus23 * Math.Abs(x[k])) + s_minSubnormal + scaleRounding;
                if (!(Math.Abs((double)y[k] - x[k]) <= bound))
                {
                    return false;
                }
            }

            // Idempotence in values: with power-of-two scales the requantized scale may halve (when no value reached the top code),
            // but every dequantized value stays on the element grid times the new scale, so the values come back unchanged.
            return !c.Pow2 || ScaledFloatQuantizer.Quantize(y, 1, y.Length, o).ToFloat().AsSpan().SequenceEqual(y);
        }, "scaled float");
    }

    [Fact]
    public void Kivi_groups_are_within_half_a_step_and_idempotent()
    {
        Gen<(QuantBlock Block, int Bits)> cases = from block in Blocks where block.Kind != "huge" from bits in Gen.Elements(2, 4) select (block, bits);
        Run(cases, c =>
        {
            float[] x = c.Block.Values;
            (float scale, float mn) = KiviCache.GroupParameters(x, c.Bits);
            var y = new float[x.Length];
            for (int k = 0; k < x.Length; k++)
            {
                y[k] = KiviCache.Dequantize(KiviCache.Code(x[k], scale, mn, c.Bits), scale, mn);
                double scaleRounding = ((1 << c.Bits) - 1) * Math.Max(Math.ScaleB(scale, -24), Math.ScaleB(1.0, -150)); // as for the integer law
                double bound = (scale / 2 * (1 + 1e-6)) + (TwoPowMinus23 * Math.Abs(x[k])) + s_minSubnormal + scaleRounding;
                if (!(Math.Abs((double)y[k] - x[k]) <= bound))
                {
                    return false;
                }
            }

            (float scale2, float mn2) = KiviCache.GroupParameters(y, c.Bits);
            for (int k = 0; k < x.Length; k++)
            {
                if (KiviCache.Code(y[k], scale2, mn2, c.Bits) != KiviCache.Code(x[k], scale, mn, c.Bits))
                {
                    return false;
                }
            }

            return true;
        }, "kivi");
    }
}
