// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>The operands of an INT4-tensor × Q8_0-activations call, validated and pinned by the caller.</summary>
internal unsafe struct Int4DotOperands
{
    /// <summary>The tensor's codes: N rows of K / 2 bytes, element 2i in the low nibble of byte i.</summary>
    public byte* W;

    /// <summary>The tensor's scales.</summary>
    public float* Scales;

    /// <summary>The tensor's zero points (in [-8, 15]).</summary>
    public int* ZeroPoints;

    /// <summary>Scales per row (0 when one serves the tensor).</summary>
    public int ScalesPerRow;

    /// <summary>log2 of the 32-value blocks per scale group; 30 for "whole row".</summary>
    public int GroupShift;

    /// <summary>Two's-complement codes.</summary>
    public bool Signed;

    /// <summary>The activations as ggml Q8_0 blocks: M rows of K / 32 blocks of 34 bytes.</summary>
    public byte* A;

    /// <summary>Vector paths: the activations rearranged by <see cref="Int4DotDriver.Prepare"/>; null on the scalar path.</summary>
    public byte* Prepared;

    /// <summary>Output (M × N, row-major).</summary>
    public float* C;

    /// <summary>Rows of A and C.</summary>
    public int M;

    /// <summary>Weight rows = columns of C.</summary>
    public int N;

    /// <summary>Values per row (a multiple of 32).</summary>
    public int K;

    /// <summary>The code path.</summary>
    public QuantizedPath Path;

    /// <summary>The scale group of block <paramref name="block"/> in <paramref name="row"/>.</summary>
    public readonly int Group(int row, int block) => (row * ScalesPerRow) + (block >> GroupShift);

    /// <summary>The unsigned stored code u (the nibble, or the nibble XOR 8 for two's-complement codes) minus this is the weight code minus the zero point.</summary>
    public readonly int Offset(int group) => ZeroPoints[group] + (Signed ? 8 : 0);
}

/// <summary>
/// C[m, n] = Σ over blocks of 32 of RN(s·d_a) · (exact integer dot product of (code − zero point) and the Q8_0 activation
/// codes), for an INT4 <c>QuantizedTensor</c> against Q8_0 activation rows.
/// </summary>
/// <remarks>
/// <para>
/// Order of every output element (both paths, every thread count): sixteen float lanes L start at +0. For each block b
/// in increasing order, s = b mod 4, σ_b = RN(scale of b's group · d_a of activation block b), and for t = 0 … 3 the exact
/// integer P_t = Σ_{i = 4t}^{4t+3} (w_{2i}·q_{2i} + w_{2i+1}·q_{2i+1}) (w: code − zero point, q: the Q8_0 codes, i the byte
/// of the block): L_{4s+t} = fma(P_t, σ_b, L_{4s+t}); then the tree of <see cref="IntegerDotDriver"/>.
/// </para>
/// <para>
/// The AVX-512 path (and the AVX2 one, in halves) takes the 64 code bytes of four blocks in one load; the unsigned codes u
/// (nibble, or nibble XOR 8) go
/// through <c>vpmaddubsw</c> against the even and odd activation codes, <c>vpmaddwd</c> gives Σ u·q, and P = Σ u·q −
/// offset·Σ q is one exact FMA in float (every term is an integer below 2^15).
/// </para>
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Int4DotDriver
{
    /// <summary>Weight rows per register tile.</summary>
    private const int Rows = 4;

    /// <summary>
    /// Rearranges Q8_0 activation rows for the vector paths: per row and group g of four blocks (b = 4g + s), 256 bytes:
    /// the even-indexed codes of each block (bytes 16s …), the odd ones (64 + 16s …), sixteen floats Σ q over the eight
    /// elements of lane 4s + t (elements 8t … 8t + 7), and sixteen floats d_a. Blocks past the end of the row are zeros.
    /// </summary>
    public static void Prepare(byte* a, int m, int k, byte* prepared)
    {
        if (!Ssse3.IsSupported)
        {
            throw new PlatformNotSupportedException(); // Only the vector paths (AVX2 or AVX-512) prepare.
        }

        int blocks = k / 32, groups = IntegerDotDriver.Groups(k);
        for (int i = 0; i < m; i++)
        {
            for (int g = 0; g < groups; g++)
            {
                byte* dst = prepared + ((((nint)i * groups) + g) * IntegerDotDriver.PreparedGroupBytes);
                new Span<byte>(dst, IntegerDotDriver.PreparedGroupBytes).Clear();
                sbyte* even = (sbyte*)dst, odd = (sbyte*)(dst + 64);
                float* sums = (float*)(dst + 128), da = (float*)(dst + 192);
                for (int s = 0; s < 4 && (4 * g) + s < blocks; s++)
                {
                    byte* src = a + ((((nint)i * blocks) + (4 * g) + s) * IntegerDotDriver.Q8_0BlockBytes);
                    Vector128<sbyte> q0 = Vector128.Load((sbyte*)(src + 2)), q1 = Vector128.Load((sbyte*)(src + 18));

                    // Each half to its eight even then eight odd codes.
                    Vector128<sbyte> split = Vector128.Create((sbyte)0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
                    Vector128<ulong> h0 = Ssse3.Shuffle(q0, split).AsUInt64(), h1 = Ssse3.Shuffle(q1, split).AsUInt64();
                    Sse2.UnpackLow(h0, h1).Store((ulong*)(even + (16 * s)));
                    Sse2.UnpackHigh(h0, h1).Store((ulong*)(odd + (16 * s)));

                    // Lane t: elements 8t … 8t + 7, by byte pairs (vpmaddubsw against ones), word pairs and one horizontal add.
                    Vector128<int> s0 = Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(Vector128<byte>.One, q0), Vector128<short>.One);
                    Vector128<int> s1 = Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(Vector128<byte>.One, q1), Vector128<short>.One);
                    Vector128.ConvertToSingle(Ssse3.HorizontalAdd(s0, s1)).Store(sums + (4 * s));
                    Vector128.Create(QuantizedScales.HalfToSingle(Unsafe.ReadUnaligned<ushort>(src))).Store(da + (4 * s));
                }
            }
        }
    }

    /// <summary>Runs the validated call on <paramref name="threads"/> threads.</summary>
    public static void Run(ref Int4DotOperands operands, int threads) =>
        QuantizedDriver.RunTiles(ref operands, operands.M, operands.N, operands.K, threads, &Work);

    private static void Work(GemmJob job, int thread, GemmSpinBarrier? barrier)
    {
        Int4DotOperands* o = (Int4DotOperands*)job.Payload;
        (int n0, int n1) = QuantizedDriver.TileRange(job, thread);
        if (n0 < n1)
        {
            switch (o->Path)
            {
                case QuantizedPath.Vector512 or QuantizedPath.Vector256: RangeVector(o, n0, n1); break;
                default: RangeScalar(o, n0, n1); break;
            }
        }

        barrier?.SignalAndWait();
    }

    /// <summary>The scalar reference: the order of the class remarks, one element at a time.</summary>
    private static void RangeScalar(Int4DotOperands* o, int n0, int n1)
    {
        int blocks = o->K / 32;
        float* l = stackalloc float[16];
        for (int n = n0; n < n1; n++)
        {
            byte* wr = o->W + ((nint)n * (o->K / 2));
            for (int m = 0; m < o->M; m++)
            {
                byte* ar = o->A + ((nint)m * blocks * IntegerDotDriver.Q8_0BlockBytes);
                new Span<float>(l, 16).Clear();
                for (int b = 0; b < blocks; b++)
                {
                    byte* wb = wr + ((nint)b * 16), ab = ar + ((nint)b * IntegerDotDriver.Q8_0BlockBytes);
                    int group = o->Group(n, b), zero = o->ZeroPoints[group];
                    float sigma = o->Scales[group] * QuantizedScales.HalfToSingle(Unsafe.ReadUnaligned<ushort>(ab));
                    sbyte* q = (sbyte*)(ab + 2);
                    for (int t = 0; t < 4; t++)
                    {
                        int p = 0;
                        for (int i = 4 * t; i < (4 * t) + 4; i++)
                        {
                            p += ((Code(wb[i] & 15, o->Signed) - zero) * q[2 * i]) + ((Code(wb[i] >> 4, o->Signed) - zero) * q[(2 * i) + 1]);
                        }

                        int lane = (4 * (b & 3)) + t;
                        l[lane] = MathF.FusedMultiplyAdd(p, sigma, l[lane]);
                    }
                }

                o->C[((nint)m * o->N) + n] = QuantizedDriver.ReduceScalar(l);
            }
        }
    }

    /// <summary>The code of a nibble: unsigned, or two's complement.</summary>
    private static int Code(int nibble, bool signed) => signed ? (nibble ^ 8) - 8 : nibble;

    /// <summary>The vector loops (AVX-512, or AVX2 in halves): four weight rows side by side, four blocks of a row per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeVector(Int4DotOperands* o, int n0, int n1)
    {
        bool wide = o->Path == QuantizedPath.Vector512;
        int blocks = o->K / 32, full = blocks / 4, groups = IntegerDotDriver.Groups(o->K), rest = blocks % 4;
        nint rowBytes = o->K / 2;
        nint ahead = QuantizedDriver.PrefetchAhead(rowBytes);
        bool prefetch = QuantizedDriver.SoftwarePrefetch, toL2 = QuantizedDriver.PrefetchToL2;
        byte* tail = stackalloc byte[Rows * 64];
        float* tailScales = stackalloc float[Rows * 16];
        float* tailOffsets = stackalloc float[Rows * 16];
        for (int n = n0; n < n1; n += Rows)
        {
            int rows = Math.Min(Rows, n1 - n);
            int r1 = TileRow(n, 1, rows), r2 = TileRow(n, 2, rows), r3 = TileRow(n, 3, rows);
            byte* w0 = o->W + (n * rowBytes);
            if (rest != 0)
            {
                FillTail(o, n, r1, r2, r3, full, rest, tail, tailScales, tailOffsets);
            }

            nint d1 = (r1 - n) * rowBytes, d2 = (r2 - n) * rowBytes, d3 = (r3 - n) * rowBytes;
            for (int m = 0; m < o->M; m++)
            {
                byte* ap = o->Prepared + ((nint)m * groups * IntegerDotDriver.PreparedGroupBytes);
                nint pf = m == 0 && prefetch ? ahead : 0;
                float* c = o->C + ((nint)m * o->N) + n;
                byte* t = rest != 0 ? tail : null;
                switch (o->GroupShift)
                {
                    case 0 when wide: Tile<OneBlockGroups>(o, n, r1, r2, r3, w0, d1, d2, d3, ap, full, pf, toL2, c, rows, t, tailScales, tailOffsets); break;
                    case 1 when wide: Tile<TwoBlockGroups>(o, n, r1, r2, r3, w0, d1, d2, d3, ap, full, pf, toL2, c, rows, t, tailScales, tailOffsets); break;
                    case 0: Tile256<OneBlockGroups>(o, n, r1, r2, r3, w0, d1, d2, d3, ap, full, pf, toL2, c, rows, t, tailScales, tailOffsets); break;
                    case 1: Tile256<TwoBlockGroups>(o, n, r1, r2, r3, w0, d1, d2, d3, ap, full, pf, toL2, c, rows, t, tailScales, tailOffsets); break;
                    default:
                        if (wide)
                        {
                            Tile<WideGroups>(o, n, r1, r2, r3, w0, d1, d2, d3, ap, full, pf, toL2, c, rows, t, tailScales, tailOffsets);
                        }
                        else
                        {
                            Tile256<WideGroups>(o, n, r1, r2, r3, w0, d1, d2, d3, ap, full, pf, toL2, c, rows, t, tailScales, tailOffsets);
                        }

                        break;
                }
            }
        }
    }

    /// <summary>
    /// The last blocks of each row of a tile, zero-padded to a group, with their per-lane scales and offsets and 0 on the
    /// padding lanes (whose activation codes and sums are 0 too, so each padding lane adds fma(0, 0, L) = L).
    /// </summary>
    private static void FillTail(Int4DotOperands* o, int n, int r1, int r2, int r3, int full, int rest, byte* tail, float* tailScales, float* tailOffsets)
    {
        nint rowBytes = o->K / 2;
        new Span<byte>(tail, Rows * 64).Clear();
        new Span<float>(tailScales, Rows * 16).Clear();
        new Span<float>(tailOffsets, Rows * 16).Clear();
        for (int r = 0; r < Rows; r++)
        {
            int row = r switch { 0 => n, 1 => r1, 2 => r2, _ => r3 };
            new ReadOnlySpan<byte>(o->W + (row * rowBytes) + (full * 64), rest * 16).CopyTo(new Span<byte>(tail + (64 * r), 64));
            for (int s = 0; s < rest; s++)
            {
                int group = o->Group(row, (4 * full) + s);
                for (int t = 0; t < 4; t++)
                {
                    tailScales[(16 * r) + (4 * s) + t] = o->Scales[group];
                    tailOffsets[(16 * r) + (4 * s) + t] = o->Offset(group);
                }
            }
        }
    }

    /// <summary>
    /// One tile against one prepared activation row: its own method, specialised per scale-group width, so the accumulators
    /// and the group vectors stay in registers (with the three group forms in one loop, the JIT kept eight 512-bit temporaries
    /// on the stack and stored them on every group).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TGroups>(Int4DotOperands* o, int n, int r1, int r2, int r3, byte* w0, nint d1, nint d2, nint d3, byte* ap, int full,
        nint ahead, bool toL2, float* c, int rows, byte* tail, float* tailScales, float* tailOffsets)
        where TGroups : struct, IInt4Groups
    {
        Vector512<float> l0 = default, l1 = default, l2 = default, l3 = default;
        int shift = o->GroupShift, perRow = o->ScalesPerRow;
        float* scales = o->Scales;
        int* zeros = o->ZeroPoints;
        int signedOffset = o->Signed ? 8 : 0;
        byte xor = o->Signed ? (byte)0x88 : (byte)0;
        int g0 = n * perRow, g1 = r1 * perRow, g2 = r2 * perRow, g3 = r3 * perRow;
        byte* wp = w0;
        for (int g = 0; g < full; g++, wp += 64, ap += IntegerDotDriver.PreparedGroupBytes)
        {
            if (ahead != 0)
            {
                QuantizedDriver.Prefetch4(wp + ahead, d1, d2, d3, toL2);
            }

            Vector512<sbyte> aEven = Vector512.Load((sbyte*)ap), aOdd = Vector512.Load((sbyte*)(ap + 64));
            Vector512<float> sums = Vector512.Load((float*)(ap + 128)), da = Vector512.Load((float*)(ap + 192));
            int b = 4 * g;
            l0 = Step(wp, xor, aEven, aOdd, sums, da, TGroups.Scales(scales, g0, b, shift), TGroups.Offsets(zeros, g0, b, shift, signedOffset), l0);
            l1 = Step(wp + d1, xor, aEven, aOdd, sums, da, TGroups.Scales(scales, g1, b, shift), TGroups.Offsets(zeros, g1, b, shift, signedOffset), l1);
            l2 = Step(wp + d2, xor, aEven, aOdd, sums, da, TGroups.Scales(scales, g2, b, shift), TGroups.Offsets(zeros, g2, b, shift, signedOffset), l2);
            l3 = Step(wp + d3, xor, aEven, aOdd, sums, da, TGroups.Scales(scales, g3, b, shift), TGroups.Offsets(zeros, g3, b, shift, signedOffset), l3);
        }

        if (tail != null)
        {
            Vector512<sbyte> aEven = Vector512.Load((sbyte*)ap), aOdd = Vector512.Load((sbyte*)(ap + 64));
            Vector512<float> sums = Vector512.Load((float*)(ap + 128)), da = Vector512.Load((float*)(ap + 192));
            l0 = Step(tail, xor, aEven, aOdd, sums, da, Vector512.Load(tailScales), Vector512.Load(tailOffsets), l0);
            l1 = Step(tail + 64, xor, aEven, aOdd, sums, da, Vector512.Load(tailScales + 16), Vector512.Load(tailOffsets + 16), l1);
            l2 = Step(tail + 128, xor, aEven, aOdd, sums, da, Vector512.Load(tailScales + 32), Vector512.Load(tailOffsets + 32), l2);
            l3 = Step(tail + 192, xor, aEven, aOdd, sums, da, Vector512.Load(tailScales + 48), Vector512.Load(tailOffsets + 48), l3);
        }

        QuantizedDriver.Store(c, rows, l0, l1, l2, l3);
    }

    /// <summary>L + P·σ for the four blocks at <paramref name="codes"/> (64 bytes), P = Σ u·q − offset·Σ q exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step(byte* codes, byte xor, Vector512<sbyte> aEven, Vector512<sbyte> aOdd, Vector512<float> sums, Vector512<float> da,
        Vector512<float> scale, Vector512<float> offset, Vector512<float> l)
    {
        Vector512<byte> u = Vector512.Load(codes) ^ Vector512.Create(xor);
        Vector512<byte> lo = u & Vector512.Create((byte)0x0F), hi = IntegerDotDriver.HighNibbles(u);

        // u ≤ 15 and |q| ≤ 128: each vpmaddubsw pair is at most 3840 and the sum of the two 7680, so nothing saturates.
        Vector512<short> p16 = Avx512BW.Add(Avx512BW.MultiplyAddAdjacent(lo, aEven), Avx512BW.MultiplyAddAdjacent(hi, aOdd));
        Vector512<float> uq = Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(p16, Vector512<short>.One));

        // Σ u·q − offset·Σ q: integers below 2^15, so the FMA is exact; then the block's σ = RN(s·d_a).
        Vector512<float> p = Vector512.FusedMultiplyAdd(-offset, sums, uq);
        return Vector512.FusedMultiplyAdd(p, scale * da, l);
    }

    /// <summary>
    /// One tile on the AVX2 path: the lanes and order of <see cref="Tile{TGroups}"/>, each group of a row in two 256-bit
    /// halves (blocks 0-1 in lanes 0-7, 2-3 in lanes 8-15), the last partial group from the same zero-padded copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile256<TGroups>(Int4DotOperands* o, int n, int r1, int r2, int r3, byte* w0, nint d1, nint d2, nint d3, byte* ap, int full,
        nint ahead, bool toL2, float* c, int rows, byte* tail, float* tailScales, float* tailOffsets)
        where TGroups : struct, IInt4Groups
    {
        Vector256<float> l0a = default, l0b = default, l1a = default, l1b = default, l2a = default, l2b = default, l3a = default, l3b = default;
        int shift = o->GroupShift, perRow = o->ScalesPerRow;
        float* scales = o->Scales;
        int* zeros = o->ZeroPoints;
        int signedOffset = o->Signed ? 8 : 0;
        byte xor = o->Signed ? (byte)0x88 : (byte)0;
        int g0 = n * perRow, g1 = r1 * perRow, g2 = r2 * perRow, g3 = r3 * perRow;
        byte* wp = w0;
        for (int g = 0; g < full; g++, wp += 64, ap += IntegerDotDriver.PreparedGroupBytes)
        {
            if (ahead != 0 && (g & 1) == 0)
            {
                QuantizedDriver.Prefetch4(wp + ahead, d1, d2, d3, toL2); // two lines: this group and the next
            }

            for (int half = 0; half < 2; half++)
            {
                int o32 = 32 * half, b = (4 * g) + (2 * half);
                Vector256<sbyte> aEven = Vector256.Load((sbyte*)(ap + o32)), aOdd = Vector256.Load((sbyte*)(ap + 64 + o32));
                Vector256<float> sums = Vector256.Load((float*)(ap + 128) + (8 * half)), da = Vector256.Load((float*)(ap + 192) + (8 * half));
                Vector256<float> s0 = TGroups.Scales256(scales, g0, b, shift), s1 = TGroups.Scales256(scales, g1, b, shift);
                Vector256<float> s2 = TGroups.Scales256(scales, g2, b, shift), s3 = TGroups.Scales256(scales, g3, b, shift);
                Vector256<float> z0 = TGroups.Offsets256(zeros, g0, b, shift, signedOffset), z1 = TGroups.Offsets256(zeros, g1, b, shift, signedOffset);
                Vector256<float> z2 = TGroups.Offsets256(zeros, g2, b, shift, signedOffset), z3 = TGroups.Offsets256(zeros, g3, b, shift, signedOffset);
                if (half == 0)
                {
                    l0a = Step256(wp, xor, aEven, aOdd, sums, da, s0, z0, l0a);
                    l1a = Step256(wp + d1, xor, aEven, aOdd, sums, da, s1, z1, l1a);
                    l2a = Step256(wp + d2, xor, aEven, aOdd, sums, da, s2, z2, l2a);
                    l3a = Step256(wp + d3, xor, aEven, aOdd, sums, da, s3, z3, l3a);
                }
                else
                {
                    l0b = Step256(wp + 32, xor, aEven, aOdd, sums, da, s0, z0, l0b);
                    l1b = Step256(wp + d1 + 32, xor, aEven, aOdd, sums, da, s1, z1, l1b);
                    l2b = Step256(wp + d2 + 32, xor, aEven, aOdd, sums, da, s2, z2, l2b);
                    l3b = Step256(wp + d3 + 32, xor, aEven, aOdd, sums, da, s3, z3, l3b);
                }
            }
        }

        if (tail != null)
        {
            for (int half = 0; half < 2; half++)
            {
                int o32 = 32 * half, o8 = 8 * half;
                Vector256<sbyte> aEven = Vector256.Load((sbyte*)(ap + o32)), aOdd = Vector256.Load((sbyte*)(ap + 64 + o32));
                Vector256<float> sums = Vector256.Load((float*)(ap + 128) + o8), da = Vector256.Load((float*)(ap + 192) + o8);
                if (half == 0)
                {
                    l0a = Step256(tail, xor, aEven, aOdd, sums, da, Vector256.Load(tailScales), Vector256.Load(tailOffsets), l0a);
                    l1a = Step256(tail + 64, xor, aEven, aOdd, sums, da, Vector256.Load(tailScales + 16), Vector256.Load(tailOffsets + 16), l1a);
                    l2a = Step256(tail + 128, xor, aEven, aOdd, sums, da, Vector256.Load(tailScales + 32), Vector256.Load(tailOffsets + 32), l2a);
                    l3a = Step256(tail + 192, xor, aEven, aOdd, sums, da, Vector256.Load(tailScales + 48), Vector256.Load(tailOffsets + 48), l3a);
                }
                else
                {
                    l0b = Step256(tail + 32, xor, aEven, aOdd, sums, da, Vector256.Load(tailScales + 8), Vector256.Load(tailOffsets + 8), l0b);
                    l1b = Step256(tail + 96, xor, aEven, aOdd, sums, da, Vector256.Load(tailScales + 24), Vector256.Load(tailOffsets + 24), l1b);
                    l2b = Step256(tail + 160, xor, aEven, aOdd, sums, da, Vector256.Load(tailScales + 40), Vector256.Load(tailOffsets + 40), l2b);
                    l3b = Step256(tail + 224, xor, aEven, aOdd, sums, da, Vector256.Load(tailScales + 56), Vector256.Load(tailOffsets + 56), l3b);
                }
            }
        }

        QuantizedDriver.Store256(c, rows, l0a, l0b, l1a, l1b, l2a, l2b, l3a, l3b);
    }

    /// <summary>The 256-bit <see cref="Step"/>: two blocks (32 code bytes), the same exact integers and roundings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Step256(byte* codes, byte xor, Vector256<sbyte> aEven, Vector256<sbyte> aOdd, Vector256<float> sums, Vector256<float> da,
        Vector256<float> scale, Vector256<float> offset, Vector256<float> l)
    {
        Vector256<byte> u = Vector256.Load(codes) ^ Vector256.Create(xor);
        Vector256<byte> mask = Vector256.Create((byte)0x0F);
        Vector256<byte> lo = u & mask, hi = Vector256.ShiftRightLogical(u.AsUInt16(), 4).AsByte() & mask;
        Vector256<short> p16 = Avx2.Add(Avx2.MultiplyAddAdjacent(lo, aEven), Avx2.MultiplyAddAdjacent(hi, aOdd));
        Vector256<float> uq = Avx.ConvertToVector256Single(Avx2.MultiplyAddAdjacent(p16, Vector256<short>.One));
        Vector256<float> p = Vector256.FusedMultiplyAdd(-offset, sums, uq);
        return Vector256.FusedMultiplyAdd(p, scale * da, l);
    }

    /// <summary>Row <paramref name="r"/> of the tile at <paramref name="n"/>, or row n when the tile is short of it (its result is dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TileRow(int n, int r, int rows) => r < rows ? n + r : n;
}

/// <summary>The scale and offset vectors of four consecutive blocks (lane 4s + t: block b + s) for one scale-group width.</summary>
internal unsafe interface IInt4Groups
{
    /// <summary>The scales of blocks b … b + 3 of the row whose groups start at <paramref name="rowFirst"/>.</summary>
    static abstract Vector512<float> Scales(float* values, int rowFirst, int b, int shift);

    /// <summary>The offsets (zero point, plus 8 for two's-complement codes) of blocks b … b + 3, as floats.</summary>
    static abstract Vector512<float> Offsets(int* zeros, int rowFirst, int b, int shift, int signedOffset);

    /// <summary>The scales of blocks b and b + 1 (lanes 0-3 and 4-7).</summary>
    static abstract Vector256<float> Scales256(float* values, int rowFirst, int b, int shift);

    /// <summary>The offsets of blocks b and b + 1 (lanes 0-3 and 4-7), as floats.</summary>
    static abstract Vector256<float> Offsets256(int* zeros, int rowFirst, int b, int shift, int signedOffset);
}

/// <summary>Groups of 128 values or more (or one per row or tensor): one scale for the four blocks.</summary>
internal readonly unsafe struct WideGroups : IInt4Groups
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Scales(float* values, int rowFirst, int b, int shift) => Vector512.Create(values[rowFirst + (b >> shift)]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Offsets(int* zeros, int rowFirst, int b, int shift, int signedOffset) =>
        Vector512.Create((float)(zeros[rowFirst + (b >> shift)] + signedOffset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Scales256(float* values, int rowFirst, int b, int shift) => Vector256.Create(values[rowFirst + (b >> shift)]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Offsets256(int* zeros, int rowFirst, int b, int shift, int signedOffset) =>
        Vector256.Create((float)(zeros[rowFirst + (b >> shift)] + signedOffset));
}

/// <summary>Groups of 64 values: two scales, each for two blocks (one 8-byte load and a permute).</summary>
internal readonly unsafe struct TwoBlockGroups : IInt4Groups
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Scales(float* values, int rowFirst, int b, int shift) =>
        Avx512F.PermuteVar16x32(Vector128.CreateScalarUnsafe(*(double*)(values + rowFirst + (b >> 1))).AsSingle().ToVector256Unsafe().ToVector512Unsafe(), Index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Offsets(int* zeros, int rowFirst, int b, int shift, int signedOffset)
    {
        Vector512<int> z = Avx512F.PermuteVar16x32(Vector128.CreateScalarUnsafe(*(long*)(zeros + rowFirst + (b >> 1))).AsInt32().ToVector256Unsafe().ToVector512Unsafe(), Index);
        return Avx512F.ConvertToVector512Single(z + Vector512.Create(signedOffset));
    }

    // Blocks b and b + 1 of a half (b even) share a group of 64.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Scales256(float* values, int rowFirst, int b, int shift) => Vector256.Create(values[rowFirst + (b >> 1)]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Offsets256(int* zeros, int rowFirst, int b, int shift, int signedOffset) =>
        Vector256.Create((float)(zeros[rowFirst + (b >> 1)] + signedOffset));

    private static Vector512<int> Index => Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
}

/// <summary>Groups of 32 values: one scale per block (one 16-byte load and a permute).</summary>
internal readonly unsafe struct OneBlockGroups : IInt4Groups
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Scales(float* values, int rowFirst, int b, int shift) =>
        Avx512F.PermuteVar16x32(Vector128.Load(values + rowFirst + b).ToVector256Unsafe().ToVector512Unsafe(), Index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Offsets(int* zeros, int rowFirst, int b, int shift, int signedOffset)
    {
        Vector512<int> z = Avx512F.PermuteVar16x32(Vector128.Load(zeros + rowFirst + b).ToVector256Unsafe().ToVector512Unsafe(), Index);
        return Avx512F.ConvertToVector512Single(z + Vector512.Create(signedOffset));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Scales256(float* values, int rowFirst, int b, int shift) =>
        Avx2.PermuteVar8x32(Vector128.CreateScalarUnsafe(*(double*)(values + rowFirst + b)).AsSingle().ToVector256Unsafe(), Index256);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Offsets256(int* zeros, int rowFirst, int b, int shift, int signedOffset)
    {
        Vector256<int> z = Avx2.PermuteVar8x32(Vector128.CreateScalarUnsafe(*(long*)(zeros + rowFirst + b)).AsInt32().ToVector256Unsafe(), Index256);
        return Avx.ConvertToVector256Single(z + Vector256.Create(signedOffset));
    }

    private static Vector512<int> Index => Vector512.Create(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);

    private static Vector256<int> Index256 => Vector256.Create(0, 0, 0, 0, 1, 1, 1, 1);
}
