// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Numerics;
using System.Text;
using FsCheck.Xunit;
using Numerics.Testing;

namespace Numerics.Formats.Tests.Types;

/// <summary>
/// The checks every scalar type gets (STYLE-GUIDE §6): every code decoded against the goldens and the BigInteger oracle
/// (<see cref="ExactRounding"/>), every binary16 input and random binary32/binary64 inputs converted against the oracle, the encode
/// goldens, classification, negation and comparison on every code (every pair for the formats of at most 8 bits), arithmetic on every
/// pair against an exact computation in <see cref="double"/>, format/parse round trips, and the span conversions against the scalar
/// ones. Expected values never come from the type under test.
/// </summary>
public abstract class ScalarTypeTests<T, TAdapter>
    where T : struct, IEquatable<T>, IComparable<T>, IComparable, IComparisonOperators<T, T, bool>, ISpanFormattable, IUtf8SpanFormattable
    where TAdapter : struct, IScalarAdapter<T>
{
    private static FloatFormat F => TAdapter.Format;

    private static bool IsSmall => F.BitCount <= 8;

    private static T Code(uint c) => TAdapter.FromBits(c);

    private static uint Bits(T value) => TAdapter.Bits(value);

    private static ulong Oracle(double x) => ExactRounding.Encode(x, F, RoundingMode.NearestEven, OverflowMode.NonSaturating);

    private static IEnumerable<uint> AllCodes => Enumerable.Range(0, F.CodeCount).Select(c => (uint)c);

    /// <summary>Every code for the small formats; for bfloat16 a stride through all 65536 codes plus the special ones.</summary>
    private static uint[] SampleCodes => IsSmall
        ? [.. AllCodes]
        : [.. Enumerable.Range(0, 65536).Where(c => c % 97 == 0 || (c & 0x7FFF) < 4 || (c & 0x7FFF) > 0x7F7C || (c & 0x7F80) == 0x0080).Select(c => (uint)c)];

    private static string Hex(ulong code) => code.ToString(F.BitCount > 8 ? "X4" : "X2", CultureInfo.InvariantCulture);

    [Fact]
    public void Decode_matches_the_golden_table_and_the_oracle_on_every_code()
    {
        int goldenRows = 0;
        foreach (string[] row in GoldenFiles.Rows("fp_decode_tables.csv").Where(r => r[0] == F.Name))
        {
            double expected = GoldenFiles.HexFloat(row[7]);
            T value = Code((uint)GoldenFiles.Hex(row[2]));
            Assert.True(GoldenFiles.SameDouble(expected, TAdapter.ToDouble(value)), $"{F} code {row[2]}: expected {GoldenFiles.Bits(expected)}, got {GoldenFiles.Bits(TAdapter.ToDouble(value))}");
            goldenRows++;
        }

        Assert.True(goldenRows == F.CodeCount || F.Name == "bfloat16", $"{goldenRows} golden rows for {F}");
        foreach (uint c in AllCodes)
        {
            double expected = ExactRounding.Decode(c, F);
            T value = Code(c);
            Assert.True(GoldenFiles.SameDouble(expected, TAdapter.ToDouble(value)), $"{F} code {Hex(c)}: double {GoldenFiles.Bits(TAdapter.ToDouble(value))}");
            Assert.True(GoldenFiles.SameDouble(expected, TAdapter.ToSingle(value)), $"{F} code {Hex(c)}: float {TAdapter.ToSingle(value)}");
            Half half = TAdapter.ToHalf(value);
            Assert.True(double.IsNaN(expected) ? Half.IsNaN(half) : BitConverter.HalfToUInt16Bits(half) == BitConverter.HalfToUInt16Bits((Half)expected), $"{F} code {Hex(c)}: half {half}");
            Assert.Equal(c, Bits(value));
        }
    }

    [Fact]
    public void Every_code_round_trips_through_float_double_and_half()
    {
        foreach (uint c in AllCodes)
        {
            T value = Code(c);
            double v = ExactRounding.Decode(c, F);
            if (double.IsNaN(v))
            {
                Assert.True(TAdapter.IsNaN(TAdapter.FromSingle(TAdapter.ToSingle(value))), $"{F} NaN code {Hex(c)} via float");
                Assert.True(TAdapter.IsNaN(TAdapter.FromDouble(TAdapter.ToDouble(value))), $"{F} NaN code {Hex(c)} via double");
                continue;
            }

            Assert.Equal(c, Bits(TAdapter.FromSingle(TAdapter.ToSingle(value))));
            Assert.Equal(c, Bits(TAdapter.FromDouble(TAdapter.ToDouble(value))));
            if ((double)(Half)v == v)
            {
                Assert.Equal(c, Bits(TAdapter.FromHalf(TAdapter.ToHalf(value))));
            }
        }
    }

    [Fact]
    public void Conversion_from_every_binary16_value_matches_the_oracle()
    {
        List<string> failures = [];
        for (int h = 0; h < 65536; h++)
        {
            Half half = BitConverter.UInt16BitsToHalf((ushort)h);
            float x = (float)half;
            ulong expected = Oracle(x);
            uint fromSingle = Bits(TAdapter.FromSingle(x));
            uint fromHalf = Bits(TAdapter.FromHalf(half));
            uint fromDouble = Bits(TAdapter.FromDouble(x));
            if (fromSingle != expected || fromHalf != expected || fromDouble != expected)
            {
                failures.Add($"{F} half 0x{h:X4} ({x:R}): expected {Hex(expected)}, float {Hex(fromSingle)}, half {Hex(fromHalf)}, double {Hex(fromDouble)}");
            }
        }

        GoldenFiles.AssertNoFailures(failures, 65536);
    }

    [Fact]
    public void Conversion_from_random_floats_and_doubles_matches_the_oracle_and_FloatFormat()
    {
        var random = new Random(F.Name.Sum(c => c) * 7919);
        List<string> failures = [];
        for (int k = 0; k < 20_000; k++)
        {
            double d = RandomDouble(random, k);
            float x = (float)d;
            ulong expectedSingle = Oracle(x);
            ulong expectedDouble = Oracle(d);
            if (Bits(TAdapter.FromSingle(x)) != expectedSingle || Bits(TAdapter.FromDouble(d)) != expectedDouble)
            {
                failures.Add($"{F} x = {GoldenFiles.Bits(d)}: expected float {Hex(expectedSingle)} double {Hex(expectedDouble)}, got {Hex(Bits(TAdapter.FromSingle(x)))} {Hex(Bits(TAdapter.FromDouble(d)))}");
            }
        }

        // Many more inputs against FloatFormat's scalar encoder (itself checked against the oracle and the goldens).
        for (int k = 0; k < 400_000; k++)
        {
            double d = RandomDouble(random, k);
            float x = k % 3 == 0 ? BitConverter.UInt32BitsToSingle((uint)random.NextInt64()) : (float)d;
            if (Bits(TAdapter.FromSingle(x)) != F.Encode(x) || Bits(TAdapter.FromDouble(d)) != F.Encode(d))
            {
                failures.Add($"{F} x = {x:R} / {GoldenFiles.Bits(d)}: FloatFormat {Hex(F.Encode(x))} {Hex(F.Encode(d))}, got {Hex(Bits(TAdapter.FromSingle(x)))} {Hex(Bits(TAdapter.FromDouble(d)))}");
            }
        }

        GoldenFiles.AssertNoFailures(failures, 420_000);
    }

    [Fact]
    public void Conversions_match_the_encode_goldens_in_every_overflow_policy()
    {
        List<string> failures = [];
        string[][] rows = [.. GoldenFiles.Rows("fp_encode_goldens.csv").Where(r => r[0] == F.Name)];
        float[] inputs = [.. rows.Select(r => GoldenFiles.F32(r[1]))];
        var saturating = new T[inputs.Length];
        var satfinite = new T[inputs.Length];
        TAdapter.ConvertFromSingle(inputs, saturating, RoundingMode.NearestEven, OverflowMode.Saturating, 0);
        TAdapter.ConvertFromSingle(inputs, satfinite, RoundingMode.NearestEven, OverflowMode.SaturatingFinite, 0);
        for (int i = 0; i < rows.Length; i++)
        {
            string[] r = rows[i];
            float x = inputs[i];
            ulong nonsat = GoldenFiles.Hex(r[4]);
            void Check(string what, ulong expected, uint actual)
            {
                if (expected != actual)
                {
                    failures.Add($"{F} {r[3]} x = {r[1]} {what}: expected {Hex(expected)}, got {Hex(actual)}");
                }
            }

            Check("(T)float", nonsat, Bits(TAdapter.FromSingle(x)));
            Check("(T)double", nonsat, Bits(TAdapter.FromDouble(x)));
            // bfloat16's reference has no saturating mode, so its ml_sat column repeats ml_nonsat; a saturating encoder clamps
            // finite overflow like satfinite (as FormatGoldenTests maps it).
            ulong sat = F.Name == "bfloat16" && float.IsFinite(x) ? GoldenFiles.Hex(r[6]) : GoldenFiles.Hex(r[5]);
            Check("span saturating", sat, Bits(saturating[i]));
            Check("span satfinite", GoldenFiles.Hex(r[6]), Bits(satfinite[i]));
        }

        GoldenFiles.AssertNoFailures(failures, rows.Length);
    }

    [Fact]
    public void Double_conversion_rounds_once_as_the_double_rounding_goldens_say()
    {
        string[][] rows = [.. GoldenFiles.Rows("f64_double_rounding.csv").Where(r => r[0] == F.Name)];
        foreach (string[] r in rows)
        {
            double x = GoldenFiles.F64(r[1]);
            Assert.Equal(GoldenFiles.Hex(r[3]), Bits(TAdapter.FromDouble(x)));
            Assert.Equal(GoldenFiles.Hex(r[4]), Bits(TAdapter.FromSingle((float)x)));
        }

        // Formats without rows in the file: the same construction, midpoints of adjacent values nudged by a fraction of a binary32
        // ulp (exact in binary64, collapsed onto the midpoint by binary32), against the oracle.
        int n = 0;
        double[] values = [.. SampleCodes.Select(c => ExactRounding.Decode(c, F)).Where(v => double.IsFinite(v) && v >= 0).Distinct().Order()];
        for (int i = 0; i + 1 < values.Length; i++)
        {
            double mid = (values[i] + values[i + 1]) / 2;
            double ulp32 = Math.BitIncrement((double)(float)mid) - (float)mid;
            foreach (double x in new[] { mid + (ulp32 / 8), mid - (ulp32 / 8), -mid - (ulp32 / 8) })
            {
                Assert.Equal(Oracle(x), Bits(TAdapter.FromDouble(x)));
                n++;
            }
        }

        Assert.True(n + rows.Length > 0);
    }

    [Fact]
    public void Classification_agrees_with_the_decoded_value_on_every_code()
    {
        foreach (uint c in AllCodes)
        {
            T value = Code(c);
            double v = ExactRounding.Decode(c, F);
            string what = $"{F} code {Hex(c)} = {v:R}";
            Assert.True(double.IsNaN(v) == TAdapter.IsNaN(value), what);
            Assert.True(double.IsInfinity(v) == TAdapter.IsInfinity(value), what);
            Assert.True(double.IsFinite(v) == TAdapter.IsFinite(value), what);
            Assert.True((v == 0) == TAdapter.IsZero(value), what);
            Assert.True((double.IsFinite(v) && v != 0 && Math.Abs(v) < F.MinNormal) == TAdapter.IsSubnormal(value), what);
            Assert.True((double.IsFinite(v) && Math.Abs(v) >= F.MinNormal) == TAdapter.IsNormal(value), what);
            Assert.True(double.IsInteger(v) == TAdapter.IsInteger(value), what);
            bool signBit = F.IsSigned && (c >> (F.BitCount - 1)) != 0;
            Assert.True(signBit == TAdapter.IsNegative(value), what);
            if (!double.IsNaN(v))
            {
                Assert.True(double.IsNegative(v) == TAdapter.IsNegative(value), what);
            }
        }
    }

    [Fact]
    public void Negation_and_absolute_value_agree_with_the_decoded_value_on_every_code()
    {
        Assert.SkipUnless(TAdapter.IsSignedArithmetic, "E8M0 has no sign");
        foreach (uint c in AllCodes)
        {
            T value = Code(c);
            double v = ExactRounding.Decode(c, F);
            double negated = TAdapter.ToDouble(TAdapter.Negate(value));
            double abs = TAdapter.ToDouble(TAdapter.Abs(value));
            string what = $"{F} code {Hex(c)} = {v:R}";
            if (double.IsNaN(v))
            {
                Assert.True(double.IsNaN(negated) && double.IsNaN(abs), what);
                continue;
            }

            // −0 where the format has it; the fnuz formats keep +0 (their −0 code is NaN).
            double expectedNegated = v == 0 && !F.HasNegativeZero ? 0.0 : -v;
            Assert.True(GoldenFiles.SameDouble(expectedNegated, negated), $"{what}: -x = {GoldenFiles.Bits(negated)}");
            Assert.True(GoldenFiles.SameDouble(Math.Abs(v), abs), $"{what}: |x| = {GoldenFiles.Bits(abs)}");
            Assert.Equal(c, Bits(TAdapter.Negate(TAdapter.Negate(value))));
        }
    }

    [Fact]
    public void Comparisons_equality_and_hashing_agree_with_the_decoded_values_on_every_pair()
    {
        uint[] codes = SampleCodes;
        var random = new Random(3);
        int pairs = IsSmall ? codes.Length * codes.Length : 300_000;
        for (int k = 0; k < pairs; k++)
        {
            uint ca = IsSmall ? codes[k / codes.Length] : codes[random.Next(codes.Length)];
            uint cb = IsSmall ? codes[k % codes.Length] : (k % 5 == 0 ? ca ^ (uint)(1 << (F.BitCount - 1)) : codes[random.Next(codes.Length)]);
            T a = Code(ca), b = Code(cb);
            double x = ExactRounding.Decode(ca, F), y = ExactRounding.Decode(cb, F);
            string what = $"{F} {Hex(ca)} ({x:R}) vs {Hex(cb)} ({y:R})";
            Assert.True((x == y) == (a == b), what);
            Assert.True((x != y) == (a != b), what);
            Assert.True((x < y) == (a < b), what);
            Assert.True((x <= y) == (a <= b), what);
            Assert.True((x > y) == (a > b), what);
            Assert.True((x >= y) == (a >= b), what);
            bool equal = x == y || (double.IsNaN(x) && double.IsNaN(y));
            Assert.True(equal == a.Equals(b), what);
            Assert.True(equal == a.Equals((object)b), what);
            Assert.True(Math.Sign(x.CompareTo(y)) == Math.Sign(a.CompareTo(b)), what);
            Assert.True(Math.Sign(x.CompareTo(y)) == Math.Sign(a.CompareTo((object)b)), what);
            if (equal)
            {
                Assert.True(a.GetHashCode() == b.GetHashCode(), what);
            }
        }

        Assert.Equal(1, Code(0).CompareTo(null));
        Assert.Throws<ArgumentException>("obj", () => Code(0).CompareTo((object)1.0f));
    }

    [Property(MaxTest = 2000)]
    public bool Equality_and_ordering_are_lawful_on_random_codes(ushort ra, ushort rb, ushort rc)
    {
        uint mask = (uint)F.CodeCount - 1;
        T a = Code(ra & mask), b = Code(rb & mask), c = Code(rc & mask);
        bool reflexive = a.Equals(a) && a.CompareTo(a) == 0;
        bool symmetric = a.Equals(b) == b.Equals(a) && Math.Sign(a.CompareTo(b)) == -Math.Sign(b.CompareTo(a));
        bool transitive = !(a <= b && b <= c) || a <= c;
        bool hash = !a.Equals(b) || a.GetHashCode() == b.GetHashCode();
        bool totalOrder = !(a.CompareTo(b) <= 0 && b.CompareTo(c) <= 0) || a.CompareTo(c) <= 0;
        return reflexive && symmetric && transitive && hash && totalOrder;
    }

    [Fact]
    public void Arithmetic_is_rounded_once_on_every_pair_of_codes()
    {
        // Expected: the exact +, −, × (exact in double: at most 2·8 significant bits over a range far inside binary64's) or ÷
        // (rounded to double, then to the format: innocuous, 53 >= 2p + 2) encoded by FloatFormat's scalar encoder.
        uint[] codes = SampleCodes;
        var random = new Random(11);
        int pairs = IsSmall ? codes.Length * codes.Length : 100_000;
        List<string> failures = [];
        for (int k = 0; k < pairs; k++)
        {
            uint ca = IsSmall ? codes[k / codes.Length] : codes[random.Next(codes.Length)];
            uint cb = IsSmall ? codes[k % codes.Length] : codes[random.Next(codes.Length)];
            T a = Code(ca), b = Code(cb);
            double x = TAdapter.ToDouble(a), y = TAdapter.ToDouble(b);
            void Check(string op, double exact, T actual)
            {
                if (!F.IsSigned && exact <= Math.ScaleB(1.0, -150))
                {
                    // E8M0 computes in float (documented): a result that binary32 flushes to zero gives NaN, as in ml_dtypes.
                    exact = 0;
                }

                ulong expected = F.Encode(exact);
                if (expected != Bits(actual) && !(TAdapter.IsNaN(actual) && double.IsNaN(F.Decode(expected))))
                {
                    failures.Add($"{F} {Hex(ca)} {op} {Hex(cb)} ({x:R} {op} {y:R} = {exact:R}): expected {Hex(expected)}, got {Hex(Bits(actual))}");
                }
            }

            if (TAdapter.IsSignedArithmetic)
            {
                Check("+", x + y, TAdapter.Add(a, b));
                Check("-", x - y, TAdapter.Subtract(a, b));
            }

            Check("*", x * y, TAdapter.Multiply(a, b));
            Check("/", x / y, TAdapter.Divide(a, b));
        }

        GoldenFiles.AssertNoFailures(failures, pairs);
    }

    [Fact]
    public void Format_and_parse_round_trip_on_every_code()
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        Span<char> chars = stackalloc char[64];
        Span<byte> utf8 = stackalloc byte[64];
        foreach (uint c in SampleCodes)
        {
            T value = Code(c);
            string s = value.ToString(null, invariant);
            // Every type formats through float, except E8M0, which formats through double (see its ToString).
            Assert.Equal(F.IsSigned ? TAdapter.ToSingle(value).ToString(invariant) : TAdapter.ToDouble(value).ToString(invariant), s);
            T parsed = TAdapter.Parse(s);
            Assert.True(TAdapter.IsNaN(value) ? TAdapter.IsNaN(parsed) : Bits(parsed) == c, $"{F} code {Hex(c)}: '{s}' parsed to {Hex(Bits(parsed))}");
            Assert.True(value.TryFormat(chars, out int written, default, invariant));
            Assert.Equal(s, chars[..written].ToString());
            Assert.True(value.TryFormat(utf8, out int bytes, default, invariant));
            Assert.Equal(s, Encoding.UTF8.GetString(utf8[..bytes]));
            Assert.True(TAdapter.TryParseUtf8(utf8[..bytes], out T fromUtf8));
            Assert.True(TAdapter.IsNaN(value) ? TAdapter.IsNaN(fromUtf8) : Bits(fromUtf8) == c);
            Assert.False(value.TryFormat(chars[..0], out _, default, invariant));
        }

        Assert.False(TAdapter.TryParseUtf8("not a number"u8, out _));
        Assert.Throws<FormatException>(() => TAdapter.Parse("1..5"));
    }

    [Fact]
    public void Parse_rounds_the_parsed_double_once_at_every_midpoint()
    {
        double[] values = [.. SampleCodes.Select(c => ExactRounding.Decode(c, F)).Where(v => double.IsFinite(v) && v >= 0).Distinct().Order()];
        List<string> failures = [];
        for (int i = 0; i + 1 < values.Length; i++)
        {
            double mid = (values[i] + values[i + 1]) / 2; // exact in double, and "R" prints it so that it parses back exactly
            foreach (double x in new[] { mid, -mid, Math.BitIncrement(mid), Math.BitDecrement(mid) })
            {
                string s = x.ToString("R", CultureInfo.InvariantCulture);
                ulong expected = Oracle(double.Parse(s, CultureInfo.InvariantCulture));
                uint actual = Bits(TAdapter.Parse(s));
                if (expected != actual)
                {
                    failures.Add($"{F} '{s}': expected {Hex(expected)}, got {Hex(actual)}");
                }
            }
        }

        GoldenFiles.AssertNoFailures(failures, values.Length);
    }

    [Fact]
    public void Span_conversions_match_the_scalar_conversions_and_the_FloatFormat_contract()
    {
        float[] edges = [.. SampleCodes.Select(c => ExactRounding.Decode(c, F)).Where(double.IsFinite).SelectMany(v => new[]
        {
            (float)v, MathF.BitIncrement((float)v), MathF.BitDecrement((float)v), (float)(v * 1.0625), (float)(v * 1.5),
        }).Concat([float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.MaxValue, float.Epsilon])];
        var random = new Random(17);
        float[] inputs = [.. edges, .. Enumerable.Range(0, 3000).Select(_ => (float)RandomDouble(random, random.Next()))];
        random.Shuffle(inputs);

        foreach (int length in new[] { 0, 1, 7, 15, 16, 17, 31, 33, 63, 64, 65, 129, inputs.Length })
        {
            ReadOnlySpan<float> source = inputs.AsSpan(0, length);
            var destination = new T[length];
            TAdapter.ConvertFromSingleDefault(source, destination);
            for (int i = 0; i < length; i++)
            {
                Assert.True(Bits(TAdapter.FromSingle(source[i])) == Bits(destination[i]), $"{F} length {length} [{i}] = {source[i]:R}: scalar {Hex(Bits(TAdapter.FromSingle(source[i])))}, span {Hex(Bits(destination[i]))}");
            }

            var back = new float[length];
            TAdapter.ConvertToSingle(destination, back);
            for (int i = 0; i < length; i++)
            {
                Assert.True(GoldenFiles.SameDouble(TAdapter.ToSingle(destination[i]), back[i]), $"{F} decode [{i}]");
            }
        }

        foreach (RoundingMode mode in Enum.GetValues<RoundingMode>())
        {
            foreach (OverflowMode overflow in Enum.GetValues<OverflowMode>())
            {
                var destination = new T[inputs.Length];
                const ulong Seed = 42;
                TAdapter.ConvertFromSingle(inputs, destination, mode, overflow, Seed);
                for (int i = 0; i < inputs.Length; i++)
                {
                    ulong expected = F.Encode(inputs[i], mode, overflow, StochasticRounding.RandomBits(Seed, i));
                    Assert.True(expected == Bits(destination[i]), $"{F} {mode}/{overflow} [{i}] = {inputs[i]:R}: expected {Hex(expected)}, got {Hex(Bits(destination[i]))}");
                }
            }
        }
    }

    [Fact]
    public void Span_conversions_throw_for_mismatched_lengths_and_overlapping_spans()
    {
        Assert.Throws<ArgumentException>("destination", () => TAdapter.ConvertFromSingleDefault(new float[4], new T[3]));
        Assert.Throws<ArgumentException>("destination", () => TAdapter.ConvertToSingle(new T[4], new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>("rounding", () => TAdapter.ConvertFromSingle(new float[1], new T[1], (RoundingMode)99, OverflowMode.NonSaturating, 0));
        var buffer = new float[8];
        Assert.Throws<ArgumentException>("destination", () =>
        {
            Span<T> codes = System.Runtime.InteropServices.MemoryMarshal.Cast<float, T>(buffer.AsSpan());
            TAdapter.ConvertFromSingleDefault(buffer.AsSpan(0, codes.Length / 4), codes[..(codes.Length / 4)]);
        });
    }

    private static double RandomDouble(Random random, int k)
    {
        int sign = random.Next(2) == 0 ? -1 : 1;
        int emin = F.MinExponent - F.MantissaBits - 3;
        int emax = F.MaxExponent + 2;
        return (k & 7) switch
        {
            0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
            1 => sign * F.MaxFinite * (1 + (random.NextDouble() / 8)),
            2 => random.Next(6) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => double.NegativeInfinity, 3 => -0.0, 4 => 0.0, _ => sign * F.MinSubnormal / 2 },
            _ => sign * Math.ScaleB(1 + random.NextDouble(), random.Next(emin, emax)),
        };
    }
}

public sealed class BFloat16Tests : ScalarTypeTests<BFloat16, BFloat16Adapter>;

public sealed class Float8E4M3FNTests : ScalarTypeTests<Float8E4M3FN, Float8E4M3FNAdapter>;

public sealed class Float8E5M2Tests : ScalarTypeTests<Float8E5M2, Float8E5M2Adapter>;

public sealed class Float8E4M3FNUZTests : ScalarTypeTests<Float8E4M3FNUZ, Float8E4M3FNUZAdapter>;

public sealed class Float8E5M2FNUZTests : ScalarTypeTests<Float8E5M2FNUZ, Float8E5M2FNUZAdapter>;

public sealed class Float8E8M0FNUTests : ScalarTypeTests<Float8E8M0FNU, Float8E8M0FNUAdapter>;

public sealed class Float6E2M3FNTests : ScalarTypeTests<Float6E2M3FN, Float6E2M3FNAdapter>;

public sealed class Float6E3M2FNTests : ScalarTypeTests<Float6E3M2FN, Float6E3M2FNAdapter>;

public sealed class Float4E2M1FNTests : ScalarTypeTests<Float4E2M1FN, Float4E2M1FNAdapter>;
