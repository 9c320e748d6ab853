// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Formats.Tests;

/// <summary>The presets' parameters against the master table of ../shared/specs/FORMATS.md §1.1.</summary>
public sealed class FloatFormatPropertiesTests
{
    public static TheoryData<string, int, int, int, double, double, double> Table => new()
    {
        // name, bits, exponent bits, bias, max finite, min normal, min subnormal (values from FORMATS.md §1.1)
        { "float8_e4m3fn", 8, 4, 7, 448, 1.0 / 64, 1.0 / 512 },
        { "float8_e5m2", 8, 5, 15, 57344, 1.0 / 16384, 1.0 / 65536 },
        { "float8_e4m3fnuz", 8, 4, 8, 240, 1.0 / 128, 1.0 / 1024 },
        { "float8_e5m2fnuz", 8, 5, 16, 57344, 1.0 / 32768, 1.0 / 131072 },
        { "float8_e4m3b11fnuz", 8, 4, 11, 30, 1.0 / 1024, 1.0 / 8192 },
        { "float8_e3m4", 8, 3, 3, 15.5, 0.25, 1.0 / 64 },
        { "float8_e4m3", 8, 4, 7, 240, 1.0 / 64, 1.0 / 512 },
        { "float8_e8m0fnu", 8, 8, 127, 1.7014118346046923e38, 5.877471754111438e-39, 5.877471754111438e-39 },
        { "float6_e2m3fn", 6, 2, 1, 7.5, 1.0, 0.125 },
        { "float6_e3m2fn", 6, 3, 3, 28, 0.25, 0.0625 },
        { "float4_e2m1fn", 4, 2, 1, 6, 1.0, 0.5 },
        { "bfloat16", 16, 8, 127, 3.3895313892515355e38, 1.1754943508222875e-38, 9.183549615799121e-41 },
        { "binary16", 16, 5, 15, 65504, 6.103515625e-05, 5.960464477539063e-08 },
        { "binary32", 32, 8, 127, float.MaxValue, 1.1754943508222875e-38, float.Epsilon },
        { "binary64", 64, 11, 1023, double.MaxValue, 2.2250738585072014e-308, double.Epsilon },
        { "tf32", 19, 8, 127, 3.4024076e38 /* 2^127 (2 - 2^-10) */, 1.1754943508222875e-38, 1.1479437019748901e-41 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Preset_matches_the_master_table(string name, int bits, int exponentBits, int bias, double max, double minNormal, double minSubnormal)
    {
        FloatFormat f = FloatFormat.Presets.Single(p => p.Name == name);
        Assert.Equal(bits, f.BitCount);
        Assert.Equal(exponentBits, f.ExponentBits);
        Assert.Equal(bias, f.ExponentBias);
        if (name == "tf32")
        {
            Assert.Equal(Math.ScaleB(2 - Math.ScaleB(1, -10), 127), f.MaxFinite);
        }
        else
        {
            Assert.Equal(max, f.MaxFinite);
        }

        Assert.Equal(minNormal, f.MinNormal);
        Assert.Equal(minSubnormal, f.MinSubnormal);
    }

    [Fact]
    public void Create_matches_the_ieee_presets()
    {
        Assert.Equal(FloatFormat.Binary16, FloatFormat.Create(11, -14, 15));
        Assert.Equal(FloatFormat.BFloat16, FloatFormat.Create(8, -126, 127));
        Assert.Equal(FloatFormat.Binary32, FloatFormat.Create(24, -126, 127));
        Assert.Equal(FloatFormat.E5M2, FloatFormat.Create(3, -14, 15));
        Assert.Equal(FloatFormat.E4M3, FloatFormat.Create(4, -6, 7));
    }

    [Fact]
    public void Create_cpfloat_e4m3_has_max_480()
    {
        // CPFloat's plain (p = 4, emin = -6, emax = 8) model: 2^8 (2 - 2^-3) = 480 (goldens/README.md).
        FloatFormat f = FloatFormat.Create(4, -6, 8, subnormals: true, infinity: false);
        Assert.Equal(480.0, f.MaxFinite);
        Assert.False(f.HasInfinity);
        Assert.True(f.HasNaN);
    }

    [Theory]
    [InlineData(0, -14, 15, "precision")]
    [InlineData(54, -14, 15, "precision")]
    [InlineData(11, 15, -14, "maxExponent")]
    [InlineData(11, -1023, 15, "minExponent")]
    [InlineData(11, -14, 1024, "maxExponent")]
    public void Create_rejects_bad_parameters_naming_them(int p, int emin, int emax, string parameter)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.Create(p, emin, emax));
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void Code_count_is_two_to_the_bit_count_or_throws_when_an_int_cannot_hold_it()
    {
        // 1 << BitCount wrapped: binary32 reported 1 code and a 31-bit custom format int.MinValue.
        Assert.Equal(256, FloatFormat.E4M3FN.CodeCount);
        Assert.Equal(1 << 19, FloatFormat.TensorFloat32.CodeCount);
        FloatFormat thirtyBits = FloatFormat.Create(22, -126, 127);
        Assert.Equal(30, thirtyBits.BitCount);
        Assert.Equal(1 << 30, thirtyBits.CodeCount);
        FloatFormat thirtyOneBits = FloatFormat.Create(23, -126, 127);
        Assert.Equal(31, thirtyOneBits.BitCount);
        Assert.Throws<InvalidOperationException>(() => thirtyOneBits.CodeCount);
        Assert.Throws<InvalidOperationException>(() => FloatFormat.Binary32.CodeCount);
        Assert.Throws<InvalidOperationException>(() => FloatFormat.Binary64.CodeCount);
    }
}
