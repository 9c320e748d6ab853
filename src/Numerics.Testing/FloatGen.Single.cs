// Licensed under the MIT License. See LICENSE in the repository root.

using FsCheck;
using FsCheck.Fluent;
using Numerics.Formats;

namespace Numerics.Testing;

public static partial class FloatGen
{
    private const uint CanonicalSingleNaNBits = 0x7FC0_0000U;

    /// <summary>Values of the format as floats (see <see cref="Representable"/>).</summary>
    /// <param name="format">The format; every value must be a float (precision ≤ 24, emin − p + 1 ≥ −149, emax ≤ 127).</param>
    /// <returns>A generator of representable values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The values of <paramref name="format"/> are not all floats.</exception>
    public static Gen<TestSingle> RepresentableSingle(FloatFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        RequireSingle(format);
        return Representable(format).Select(x => new TestSingle((float)x.Value));
    }

    /// <summary>Exact midpoints between adjacent values of the format, as floats (see <see cref="Ties"/>).</summary>
    /// <param name="format">The format; precision ≤ 23, every value a float and every midpoint a float (emin − p ≥ −149).</param>
    /// <returns>A generator of ties.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The midpoints of <paramref name="format"/> are not all floats.</exception>
    public static Gen<TestSingle> TiesSingle(FloatFormat format)
    {
        FormatGrid grid = TieGrid(format, single: true);
        return TieGen(grid).Select(t => new TestSingle((float)t));
    }

    /// <summary>Midpoints nudged by one binary32 ulp either way (see <see cref="NearTies"/>).</summary>
    /// <param name="format">The format; precision ≤ 23, every value a float and every midpoint a float (emin − p ≥ −149).</param>
    /// <returns>A generator of near-ties.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The midpoints of <paramref name="format"/> are not all floats.</exception>
    public static Gen<TestSingle> NearTiesSingle(FloatFormat format)
    {
        FormatGrid grid = TieGrid(format, single: true);
        return from t in TieGen(grid)
               from up in Gen.Elements(false, true)
               select new TestSingle(up ? MathF.BitIncrement((float)t) : MathF.BitDecrement((float)t));
    }

    /// <summary>The boundaries of the format as floats, with both signs, ±∞ and NaN payloads (see <see cref="Edges"/>).</summary>
    /// <param name="format">The format; every value must be a float.</param>
    /// <returns>A generator of edge values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The values of <paramref name="format"/> are not all floats.</exception>
    public static Gen<TestSingle> EdgesSingle(FloatFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        RequireSingle(format);
        FormatGrid grid = new(format);
        float[] nans =
        [
            BitConverter.UInt32BitsToSingle(CanonicalSingleNaNBits),
            BitConverter.UInt32BitsToSingle(0x7F80_0001U), // signalling, lowest payload
            BitConverter.UInt32BitsToSingle(0x7FFF_FFFFU), // all ones
        ];
        Gen<float> magnitudes = Gen.Frequency(
            (10, EdgeMagnitudes(grid, single: true).Select(m => (float)m)),
            (1, Gen.Elements(nans)));
        return from magnitude in magnitudes
               from negative in Gen.Elements(false, true)
               select new TestSingle(negative ? -magnitude : magnitude);
    }

    /// <summary>The binary32 mixture: 1/6 representable values, 1/4 ties, 1/4 near-ties, 1/3 edges (see <see cref="Any"/>).</summary>
    /// <param name="format">The format; precision ≤ 23, every value a float and every midpoint a float (emin − p ≥ −149).</param>
    /// <returns>The mixed generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    /// <exception cref="ArgumentException">The midpoints of <paramref name="format"/> are not all floats.</exception>
    public static Gen<TestSingle> AnySingle(FloatFormat format) => Gen.Frequency(
        (2, RepresentableSingle(format)), (3, TiesSingle(format)), (3, NearTiesSingle(format)), (4, EdgesSingle(format)));

    /// <summary>Wraps a binary32 generator in an <see cref="Arbitrary{T}"/> that shrinks toward simpler bit patterns.</summary>
    /// <param name="generator">The generator.</param>
    /// <returns>The arbitrary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null.</exception>
    public static Arbitrary<TestSingle> ToArbitrary(this Gen<TestSingle> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return Arb.From(generator, Shrink);
    }

    /// <summary>Simpler floats to try when a property fails (see <see cref="Shrink(TestDouble)"/>).</summary>
    /// <param name="value">The failing value.</param>
    /// <returns>The candidates, simplest first.</returns>
    public static IEnumerable<TestSingle> Shrink(TestSingle value)
    {
        uint bits = value.Bits;
        if (float.IsNaN(value.Value))
        {
            if (bits != CanonicalSingleNaNBits)
            {
                yield return new TestSingle(BitConverter.UInt32BitsToSingle(CanonicalSingleNaNBits));
            }

            yield break;
        }

        if (float.IsInfinity(value.Value) || bits == 0)
        {
            yield break;
        }

        yield return new TestSingle(0f);
        foreach (ulong candidate in ShrinkBits(bits, signMask: 1UL << 31, exponentShift: 23, exponentMask: 0xFF, bias: 127))
        {
            yield return new TestSingle(BitConverter.UInt32BitsToSingle((uint)candidate));
        }
    }
}
