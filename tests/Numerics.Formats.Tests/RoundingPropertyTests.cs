// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck.Xunit;

namespace Numerics.Formats.Tests;

/// <summary>Laws of every rounding mode on grid-based inputs (STYLE-GUIDE §7).</summary>
[Properties(Arbitrary = [typeof(GridArbitraries)], MaxTest = 500)]
public sealed class RoundingPropertyTests
{
    private static readonly RoundingMode[] DeterministicModes =
    [
        RoundingMode.NearestEven, RoundingMode.NearestAway, RoundingMode.NearestTowardZero, RoundingMode.TowardZero,
        RoundingMode.TowardPositive, RoundingMode.TowardNegative, RoundingMode.ToOdd,
    ];

    private static bool InRange(GridCase c) =>
        double.IsFinite(c.Value) && Math.Abs(c.Value) <= c.Format.MaxFinite && (c.Format.IsSigned ? true : c.Value > Math.ScaleB(1.0, -126));

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    [Property]
    public void Result_is_one_of_the_two_neighbours(GridCase c)
    {
        if (!InRange(c))
        {
            return;
        }

        FloatFormat f = c.Format;
        double down = f.Round(c.Value, RoundingMode.TowardNegative);
        double up = f.Round(c.Value, RoundingMode.TowardPositive);
        Assert.True(down <= c.Value && c.Value <= up, $"{c}: [{down:R}, {up:R}]");

        // Adjacent: no code lies strictly between them (for values of one sign the codes of magnitudes are consecutive).
        if (down != up && Math.Sign(down) == Math.Sign(up) && down != 0 && up != 0)
        {
            ulong a = f.Encode(Math.Abs(down)), b = f.Encode(Math.Abs(up));
            Assert.Equal(1UL, a > b ? a - b : b - a);
        }

        foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
        {
            double r = f.Round(c.Value, mode, OverflowMode.NonSaturating, 0x5555_0000_AAAA_FFFF);
            Assert.True(Bits(r) == Bits(down) || Bits(r) == Bits(up) || (r == 0 && (down == 0 || up == 0)), $"{c} {mode}: {r:R} not in [{down:R}, {up:R}]");
        }
    }

    [Property]
    public void Exact_values_never_change_and_rounding_is_idempotent(GridCase c)
    {
        FloatFormat f = c.Format;
        foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
        {
            double once = f.Round(c.Value, mode, OverflowMode.Saturating, 12345);
            if (double.IsNaN(once))
            {
                continue;
            }

            double twice = f.Round(once, mode, OverflowMode.Saturating, 67890);
            Assert.True(Bits(once) == Bits(twice), $"{c} {mode}: {once:R} then {twice:R}");
            if (c.Kind == "code" && InRange(c) && (c.Value != 0 || f.HasNegativeZero || !double.IsNegative(c.Value)))
            {
                Assert.Equal(Bits(c.Value), Bits(once));
            }
        }
    }

    [Property]
    public void Deterministic_modes_are_monotone(GridCase c, GridCase d)
    {
        FloatFormat f = c.Format;
        double x = c.Value, y = d.Value * (f.MaxFinite / d.Format.MaxFinite); // bring d onto c's scale, keeping it generic
        if (double.IsNaN(x) || double.IsNaN(y) || (!f.IsSigned && (x <= 0 || y <= 0)))
        {
            return;
        }

        (double lo, double hi) = x <= y ? (x, y) : (y, x);
        foreach (RoundingMode mode in DeterministicModes)
        {
            foreach (OverflowMode overflow in new[] { OverflowMode.Saturating, OverflowMode.SaturatingFinite })
            {
                double a = f.Round(lo, mode, overflow), b = f.Round(hi, mode, overflow);
                Assert.True(double.IsNaN(a) || double.IsNaN(b) || a <= b, $"{f} {mode}/{overflow}: Round({lo:R}) = {a:R} > Round({hi:R}) = {b:R}");
            }
        }
    }

    [Property]
    public void Modes_are_sign_symmetric(GridCase c)
    {
        FloatFormat f = c.Format;
        if (!f.IsSigned || double.IsNaN(c.Value))
        {
            return;
        }

        foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
        {
            // TowardPositive and TowardNegative swap under negation; every other mode (the stochastic ones with the same word) is symmetric.
            RoundingMode mirrored = mode switch
            {
                RoundingMode.TowardPositive => RoundingMode.TowardNegative,
                RoundingMode.TowardNegative => RoundingMode.TowardPositive,
                _ => mode,
            };
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                double a = f.Round(c.Value, mode, overflow, 0xDEAD_BEEF_0123_4567);
                double b = f.Round(-c.Value, mirrored, overflow, 0xDEAD_BEEF_0123_4567);
                bool ok = double.IsNaN(a) ? double.IsNaN(b) : f.HasNegativeZero ? Bits(a) == Bits(-b) : a == -b;
                Assert.True(ok, $"{c} {mode}/{overflow}: {a:R} vs -({b:R})");
            }
        }
    }

    [Property]
    public void Ties_go_where_the_mode_says(GridCase c)
    {
        if (c.Kind != "tie" || !InRange(c) || c.Value == 0)
        {
            return;
        }

        FloatFormat f = c.Format;
        double a = Math.Abs(c.Value);
        double lo = Math.Abs(f.Round(a, RoundingMode.TowardZero)), hi = Math.Abs(f.Round(a, RoundingMode.TowardPositive));
        Assert.Equal(a, lo + ((hi - lo) / 2));
        double sign = Math.Sign(c.Value);
        Assert.Equal(sign * hi, f.Round(c.Value, RoundingMode.NearestAway));
        Assert.Equal(sign * lo, f.Round(c.Value, RoundingMode.NearestTowardZero), (x, y) => x == y);

        // Even: the neighbour whose code (significand) is even; 0 counts as even. E8M0 (p = 1) ties round up (FORMATS.md §1.3).
        double even = !f.IsSigned ? hi : lo == 0 ? lo : (f.Encode(lo) & 1) == 0 ? lo : hi;
        Assert.Equal(sign * even, f.Round(c.Value, RoundingMode.NearestEven), (x, y) => x == y);
    }

    /// <summary>Draws per case; the bound below is six standard deviations of the up-count, so a correct rounder fails with p &lt; 1e-8.</summary>
    private const int Draws = 2_000;

    [Property(MaxTest = 100)]
    public void Stochastic_modes_are_unbiased_within_six_sigma_and_reproducible_by_seed(GridCase c, ulong seed)
    {
        if (!InRange(c) || c.Kind is "code" or "zero")
        {
            return;
        }

        FloatFormat f = c.Format;
        double lo = f.Round(c.Value, RoundingMode.TowardZero), hi = f.Round(c.Value, RoundingMode.NearestAway) == lo
            ? f.Round(c.Value, c.Value > 0 ? RoundingMode.TowardPositive : RoundingMode.TowardNegative)
            : f.Round(c.Value, RoundingMode.NearestAway);
        if (lo == hi)
        {
            return; // exact
        }

        double p = (c.Value - lo) / (hi - lo); // the exact probability of rounding away, to double precision
        int up = 0, upUniform = 0;
        for (int i = 0; i < Draws; i++)
        {
            ulong word = StochasticRounding.RandomBits(seed, i);
            double r = f.Round(c.Value, RoundingMode.Stochastic, OverflowMode.NonSaturating, word);
            Assert.True(r == lo || r == hi, $"{c}: {r:R} is neither {lo:R} nor {hi:R}");
            up += r == hi ? 1 : 0;
            Assert.Equal(r, f.Round(c.Value, RoundingMode.Stochastic, OverflowMode.NonSaturating, StochasticRounding.RandomBits(seed, i)));
            double u = f.Round(c.Value, RoundingMode.StochasticUniform, OverflowMode.NonSaturating, word);
            upUniform += u == hi ? 1 : 0;
        }

        // E[up] = N·p with p truncated to 64 bits (bias below 2^-64); the mean result lo + (hi − lo)·up/N is then unbiased.
        double sigma = Math.Sqrt(Draws * p * (1 - p));
        Assert.True(Math.Abs(up - (Draws * p)) <= (6 * sigma) + 1, $"{c}: {up} of {Draws} up, expected {Draws * p:F1} ± {6 * sigma:F1}");
        double sigmaUniform = Math.Sqrt(Draws * 0.25);
        Assert.True(Math.Abs(upUniform - (Draws / 2.0)) <= 6 * sigmaUniform, $"{c}: StochasticUniform {upUniform} of {Draws} up");
    }

    [Fact]
    public void RandomBits_is_a_pure_function_of_seed_and_index_with_distinct_streams()
    {
        Assert.Equal(StochasticRounding.RandomBits(42, 7), StochasticRounding.RandomBits(42, 7));
        Assert.NotEqual(StochasticRounding.RandomBits(42, 7), StochasticRounding.RandomBits(43, 7));
        Assert.NotEqual(StochasticRounding.RandomBits(42, 7), StochasticRounding.RandomBits(42, 8));

        // The documented formula (StochasticRounding remarks), recomputed here from its text.
        static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }

        const ulong Gamma = 0x9E3779B97F4A7C15;
        foreach ((ulong seed, long index) in new (ulong, long)[] { (0, 0), (1, 1), (ulong.MaxValue, -1), (12345, 1L << 40) })
        {
            Assert.Equal(Mix(Mix(seed + Gamma) + ((ulong)index * Gamma)), StochasticRounding.RandomBits(seed, index));
        }

        // Bit balance over a stream: each of the 64 bits is set about half the time (6 sigma over 4096 words).
        int[] ones = new int[64];
        for (int i = 0; i < 4096; i++)
        {
            ulong w = StochasticRounding.RandomBits(9, i);
            for (int b = 0; b < 64; b++)
            {
                ones[b] += (int)((w >> b) & 1);
            }
        }

        Assert.All(ones, n => Assert.InRange(n, 2048 - 192, 2048 + 192));
    }
}
