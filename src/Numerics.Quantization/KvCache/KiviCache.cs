// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Quantization;

/// <summary>
/// A KIVI key/value cache for one attention head (Liu, Yuan et al., ICML 2024, arXiv 2402.02750; FORMATS.md §4): 2- or 4-bit
/// asymmetric min–max codes, keys quantized per channel (each channel's values over <see cref="GroupSize"/> consecutive tokens
/// share a scale and minimum), values per token (groups of <see cref="GroupSize"/> channels), with the most recent tokens kept in
/// full precision.
/// </summary>
/// <remarks>
/// <para>Group quantization (as KIVI's <c>triton_quantize_and_pack_along_last_dim</c>): mn = min, mx = max of the group,
/// scale = (mx − mn) / (2^b − 1) rounded to float32, q = round-to-nearest-even(clamp((x − mn) / scale, 0, 2^b − 1)) with the
/// quotient in double; a constant group (scale 0) gets q = 0 (KIVI's reference divides 0 by 0 here). Dequantized value =
/// q·scale + mn rounded once to float32, so |x − value| ≤ scale/2 (plus float32 rounding).</para>
/// <para>Residual window (<c>models/llama_kivi.py</c>): keys accumulate in full precision until <see cref="ResidualLength"/>
/// tokens are present, then those R tokens are quantized at once (R is a multiple of the group size), so 0 … R − 1 key tokens
/// are in full precision after each <see cref="Append"/>; values keep the last R tokens in full precision and quantize the
/// oldest one when an append takes the window past R.</para>
/// <para>Deviation: scales and minimums are float32 (KIVI keeps them in fp16); <see cref="MemoryBytes"/> counts 4 bytes each,
/// and full-precision tokens as float32.</para>
/// </remarks>
public sealed class KiviCache
{
    private readonly List<byte[]> _keyCodes = [];   // per chunk of R tokens: channel-major codes (c·R + t), packed LSB first
    private readonly List<float[]> _keyScales = []; // per chunk: C × (R / G), index c·(R / G) + j
    private readonly List<float[]> _keyMins = [];
    private readonly float[] _keyResidual;          // R × C, row-major, _keyResidualCount rows used
    private int _keyResidualCount;

    private byte[] _valueCodes = [];                // per quantized token: PackedBytes(bits, C) bytes
    private float[] _valueScales = [];              // per quantized token: ceil(C / G)
    private float[] _valueMins = [];
    private readonly float[] _valueResidual;        // ring of R tokens × C
    private int _valueResidualStart;
    private int _valueResidualCount;
    private int _valueQuantized;
    private readonly float[] _groupBuffer;
    private readonly byte[] _valueBuffer;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="channels">Head dimension (values per key / value vector).</param>
    /// <param name="keyBits">Key code width: 2 or 4.</param>
    /// <param name="valueBits">Value code width: 2 or 4.</param>
    /// <param name="groupSize">Group size G (tokens per key group, channels per value group). KIVI uses 32.</param>
    /// <param name="residualLength">Full-precision window R: a positive multiple of <paramref name="groupSize"/> (KIVI: 32 or 128).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range, or the full-precision window of
    /// <paramref name="residualLength"/> × <paramref name="channels"/> values exceeds <see cref="Array.MaxLength"/>.</exception>
    public KiviCache(int channels, int keyBits = 2, int valueBits = 2, int groupSize = 32, int residualLength = 128)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (keyBits is not (2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(keyBits), keyBits, "KIVI codes are 2 or 4 bits.");
        }

        if (valueBits is not (2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(valueBits), valueBits, "KIVI codes are 2 or 4 bits.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        if (residualLength < groupSize || residualLength % groupSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(residualLength), residualLength, $"The residual length must be a positive multiple of the group size ({groupSize}).");
        }

        if ((long)residualLength * channels > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(residualLength), residualLength, $"A window of {residualLength} tokens × {channels} channels exceeds the largest array ({Array.MaxLength} values).");
        }

        Channels = channels;
        KeyBits = keyBits;
        ValueBits = valueBits;
        GroupSize = groupSize;
        ResidualLength = residualLength;
        _keyResidual = new float[residualLength * channels];
        _valueResidual = new float[residualLength * channels];
        _groupBuffer = new float[groupSize];
        _valueBuffer = new byte[channels];
    }

    /// <summary>Values per key or value vector.</summary>
    public int Channels { get; }

    /// <summary>Key code width (2 or 4).</summary>
    public int KeyBits { get; }

    /// <summary>Value code width (2 or 4).</summary>
    public int ValueBits { get; }

    /// <summary>Group size.</summary>
    public int GroupSize { get; }

    /// <summary>Full-precision window R.</summary>
    public int ResidualLength { get; }

    /// <summary>Tokens appended so far.</summary>
    public int TokenCount { get; private set; }

    /// <summary>Key tokens held as codes (a multiple of <see cref="ResidualLength"/>); the rest are in full precision.</summary>
    public int QuantizedKeyTokens => _keyCodes.Count * ResidualLength;

    /// <summary>Value tokens held as codes (all but the last min(<see cref="TokenCount"/>, R)).</summary>
    public int QuantizedValueTokens => _valueQuantized;

    private int ValueGroups => (Channels + GroupSize - 1) / GroupSize;

    private int ValueRowBytes => BitPacking.PackedBytes(ValueBits, Channels);

    /// <summary>
    /// Bytes the cache holds: packed codes, a float32 scale and minimum per group, and float32 full-precision tokens (not counting
    /// spare capacity of the growable buffers).
    /// </summary>
    public long MemoryBytes
    {
        get
        {
            long keyChunk = BitPacking.PackedBytes(KeyBits, ResidualLength * Channels) + (8L * Channels * (ResidualLength / GroupSize));
            long valueToken = ValueRowBytes + (8L * ValueGroups);
            return (_keyCodes.Count * keyChunk) + ((long)_valueQuantized * valueToken) + (4L * Channels * (_keyResidualCount + _valueResidualCount));
        }
    }

    /// <summary>Appends one token's key and value vectors.</summary>
    /// <param name="key">Channels finite values.</param>
    /// <param name="value">Channels finite values.</param>
    /// <exception cref="ArgumentException">A vector has the wrong length or contains NaN or ±∞ (the message names the index).</exception>
    public void Append(ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        Check(key, nameof(key));
        Check(value, nameof(value));

        key.CopyTo(_keyResidual.AsSpan(_keyResidualCount * Channels, Channels));
        if (++_keyResidualCount == ResidualLength)
        {
            FlushKeys();
        }

        if (_valueResidualCount == ResidualLength)
        {
            QuantizeOldestValue();
        }

        int slot = (_valueResidualStart + _valueResidualCount) % ResidualLength;
        value.CopyTo(_valueResidual.AsSpan(slot * Channels, Channels));
        _valueResidualCount++;
        TokenCount++;
    }

    /// <summary>Writes the dequantized keys (quantized tokens, then the full-precision ones), token-major: TokenCount × Channels.</summary>
    /// <param name="destination">At least TokenCount × Channels values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void GetKeys(Span<float> destination)
    {
        CheckDestination(destination);
        int r = ResidualLength, groupsPerChannel = ResidualLength / GroupSize, mask = (1 << KeyBits) - 1;
        for (int chunk = 0; chunk < _keyCodes.Count; chunk++)
        {
            byte[] codes = _keyCodes[chunk];
            float[] scales = _keyScales[chunk], mins = _keyMins[chunk];
            for (int c = 0; c < Channels; c++)
            {
                for (int t = 0; t < r; t++)
                {
                    int g = (c * groupsPerChannel) + (t / GroupSize);
                    int q = BitPacking.Get(KeyBits, mask, codes, (c * r) + t);
                    destination[(((chunk * r) + t) * Channels) + c] = Dequantize(q, scales[g], mins[g]);
                }
            }
        }

        _keyResidual.AsSpan(0, _keyResidualCount * Channels).CopyTo(destination[(QuantizedKeyTokens * Channels)..]);
    }

    /// <summary>Writes the dequantized values (quantized tokens, then the full-precision ones), token-major: TokenCount × Channels.</summary>
    /// <param name="destination">At least TokenCount × Channels values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void GetValues(Span<float> destination)
    {
        CheckDestination(destination);
        int mask = (1 << ValueBits) - 1, rowBytes = ValueRowBytes, groups = ValueGroups;
        for (int t = 0; t < _valueQuantized; t++)
        {
            ReadOnlySpan<byte> row = _valueCodes.AsSpan(t * rowBytes, rowBytes);
            for (int c = 0; c < Channels; c++)
            {
                int g = (t * groups) + (c / GroupSize);
                destination[(t * Channels) + c] = Dequantize(BitPacking.Get(ValueBits, mask, row, c), _valueScales[g], _valueMins[g]);
            }
        }

        for (int i = 0; i < _valueResidualCount; i++)
        {
            int slot = (_valueResidualStart + i) % ResidualLength;
            _valueResidual.AsSpan(slot * Channels, Channels).CopyTo(destination.Slice((_valueQuantized + i) * Channels, Channels));
        }
    }

    /// <summary>Asymmetric min–max parameters of a group: (scale, mn).</summary>
    internal static (float Scale, float Min) GroupParameters(ReadOnlySpan<float> group, int bits)
    {
        float mn = group[0], mx = group[0];
        foreach (float v in group)
        {
            mn = MathF.Min(mn, v);
            mx = MathF.Max(mx, v);
        }

        return ((float)(((double)mx - mn) / ((1 << bits) - 1)), mn);
    }

    /// <summary>The code of x: RNE(clamp((x − mn) / scale, 0, 2^b − 1)), 0 when scale is 0.</summary>
    internal static int Code(float x, float scale, float mn, int bits)
    {
        if (scale == 0)
        {
            return 0;
        }

        double t = Math.Clamp(((double)x - mn) / scale, 0, (1 << bits) - 1);
        return (int)Math.Round(t, MidpointRounding.ToEven);
    }

    /// <summary>q·scale + mn, rounded once to float32 (q·scale is exact in double).</summary>
    internal static float Dequantize(int q, float scale, float mn) => (float)((q * (double)scale) + mn);

    private void FlushKeys()
    {
        int r = ResidualLength, groupsPerChannel = r / GroupSize;
        var codes = new byte[r * Channels];
        var scales = new float[Channels * groupsPerChannel];
        var mins = new float[Channels * groupsPerChannel];
        float[] buffer = _groupBuffer;
        for (int c = 0; c < Channels; c++)
        {
            for (int j = 0; j < groupsPerChannel; j++)
            {
                for (int t = 0; t < GroupSize; t++)
                {
                    buffer[t] = _keyResidual[(((j * GroupSize) + t) * Channels) + c];
                }

                int g = (c * groupsPerChannel) + j;
                (scales[g], mins[g]) = GroupParameters(buffer, KeyBits);
                for (int t = 0; t < GroupSize; t++)
                {
                    codes[(c * r) + (j * GroupSize) + t] = (byte)Code(buffer[t], scales[g], mins[g], KeyBits);
                }
            }
        }

        var packed = new byte[BitPacking.PackedBytes(KeyBits, codes.Length)];
        BitPacking.Pack(KeyBits, codes, packed);
        _keyCodes.Add(packed);
        _keyScales.Add(scales);
        _keyMins.Add(mins);
        _keyResidualCount = 0;
    }

    private void QuantizeOldestValue()
    {
        int rowBytes = ValueRowBytes, groups = ValueGroups, t = _valueQuantized;
        EnsureValueCapacity(t + 1);
        ReadOnlySpan<float> oldest = _valueResidual.AsSpan(_valueResidualStart * Channels, Channels);
        byte[] unpacked = _valueBuffer;
        for (int j = 0; j < groups; j++)
        {
            int start = j * GroupSize, length = Math.Min(GroupSize, Channels - start);
            ReadOnlySpan<float> group = oldest.Slice(start, length);
            (float scale, float mn) = GroupParameters(group, ValueBits);
            _valueScales[(t * groups) + j] = scale;
            _valueMins[(t * groups) + j] = mn;
            for (int c = 0; c < length; c++)
            {
                unpacked[start + c] = (byte)Code(group[c], scale, mn, ValueBits);
            }
        }

        BitPacking.Pack(ValueBits, unpacked, _valueCodes.AsSpan(t * rowBytes, rowBytes));
        _valueQuantized++;
        _valueResidualStart = (_valueResidualStart + 1) % ResidualLength;
        _valueResidualCount--;
    }

    private void EnsureValueCapacity(int tokens)
    {
        int rowBytes = ValueRowBytes, groups = ValueGroups;
        if (_valueScales.Length >= tokens * groups)
        {
            return;
        }

        int capacity = Math.Max(tokens, Math.Max(16, 2 * (_valueScales.Length / groups)));
        Array.Resize(ref _valueCodes, capacity * rowBytes);
        Array.Resize(ref _valueScales, capacity * groups);
        Array.Resize(ref _valueMins, capacity * groups);
    }

    private void Check(ReadOnlySpan<float> vector, string name)
    {
        if (vector.Length != Channels)
        {
            throw new ArgumentException($"{name} has {vector.Length} values; the cache has {Channels} channels.", name);
        }

        int bad = GgmlBlocks.IndexOfNonFinite(vector);
        if (bad >= 0)
        {
            throw new ArgumentException($"{name}[{bad}] is {vector[bad]}; only finite values can be cached.", name);
        }
    }

    private void CheckDestination(Span<float> destination)
    {
        long needed = (long)TokenCount * Channels;
        if (destination.Length < needed)
        {
            throw new ArgumentException($"The destination needs {needed} values; it has {destination.Length}.", nameof(destination));
        }
    }
}
