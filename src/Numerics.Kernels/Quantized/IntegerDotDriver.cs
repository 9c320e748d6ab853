// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>The operands of a 4-bit-weights × Q8_0-activations call, validated and pinned by the caller.</summary>
internal unsafe struct IntegerDotOperands
{
    /// <summary>First weight row (ggml Q4_0 or MXFP4 blocks).</summary>
    public byte* W;

    /// <summary>Bytes per weight row.</summary>
    public nint RowBytes;

    /// <summary>The activations as ggml Q8_0 blocks: M rows of K / 32 blocks of 34 bytes.</summary>
    public byte* A;

    /// <summary>AVX-512 path: the activations rearranged by <see cref="IntegerDotDriver.Prepare"/>; null on the scalar path.</summary>
    public byte* Prepared;

    /// <summary>Output (M × N, row-major).</summary>
    public float* C;

    /// <summary>Rows of A and C.</summary>
    public int M;

    /// <summary>Weight rows = columns of C.</summary>
    public int N;

    /// <summary>Values per row (a multiple of 32).</summary>
    public int K;

    /// <summary>MXFP4 weights (else Q4_0).</summary>
    public bool Mxfp4;

    /// <summary>The code path.</summary>
    public QuantizedPath Path;
}

/// <summary>
/// C[m, n] = Σ over blocks of (weight scale · activation scale) · (exact integer dot product of the block's codes), for ggml
/// Q4_0 or MXFP4 weight rows against Q8_0 activation rows: llama.cpp's CPU arithmetic for these types.
/// </summary>
/// <remarks>
/// <para>
/// The order of every output element (both paths, every thread count): sixteen float lanes L start at +0. For each block b
/// in increasing order, with s = b mod 4, the block's scale product σ_b = RN(d_w · d_a) (d_w: the binary16 scale of Q4_0, or
/// ggml's halved E8M0 scale 2^(e − 128) of MXFP4; d_a: the Q8_0 binary16 scale) and, for t = 0 … 3, the exact integer
/// P_t = Σ_{j = 4t}^{4t+3} (w_j·q_j + w_{16+j}·q_{16+j}) (w: nibble − 8, or ggml's kvalues_mxfp4; q: the Q8_0 codes):
/// L_{4s+t} = fma(P_t, σ_b, L_{4s+t}). Then u_l = L_l + L_{l+8} (l &lt; 8), v_l = u_l + u_{l+4} (l &lt; 4), C = (v_0 + v_2) + (v_1 + v_3).
/// </para>
/// <para>
/// The AVX-512 path (BW, VBMI and GFNI) takes four blocks of a row per 512-bit step: their 64 code bytes gathered by one
/// <c>vpermt2b</c>, low nibbles by a mask and high nibbles by one <c>vgf2p8affineqb</c> (MXFP4: both by <c>vpermb</c> into kvalues + 12), <c>vpmaddubsw</c> against the
/// activation codes (the weights as unsigned w + 8 or w + 12, the offset times the activation sums taken off afterwards,
/// which <see cref="Prepare"/> computes once per activation row), <c>vpmaddwd</c> to the sixteen P_t, one conversion and one
/// FMA. The weight scales are converted in the register: binary16 by shifting its fields to d_w·2^-112 (activation scales
/// carry the 2^112, so the product and its rounding are the same), E8M0 by <c>vscalefps</c> of the activation scale.
/// </para>
/// </remarks>
[SkipLocalsInit]
internal static unsafe class IntegerDotDriver
{
    /// <summary>Weight rows per register tile.</summary>
    private const int Rows = 4;

    /// <summary>Bytes of one ggml Q8_0 block.</summary>
    public const int Q8_0BlockBytes = 34;

    /// <summary>Bytes per group of four activation blocks in the prepared layout.</summary>
    public const int PreparedGroupBytes = 256;

    /// <summary>ggml's kvalues_mxfp4 (twice the E2M1 values).</summary>
    private static ReadOnlySpan<sbyte> Kvalues => [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

    /// <summary>Whether a path can run here.</summary>
    public static bool Supported(QuantizedPath path) => path switch
    {
        QuantizedPath.Vector512 => Avx512BW.IsSupported && Avx512Vbmi.IsSupported && Gfni.V512.IsSupported && Vector512.IsHardwareAccelerated,
        QuantizedPath.Vector256 => Avx2.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>The fastest path here.</summary>
    public static QuantizedPath Best =>
        Supported(QuantizedPath.Vector512) ? QuantizedPath.Vector512 : Supported(QuantizedPath.Vector256) ? QuantizedPath.Vector256 : QuantizedPath.Scalar;

    /// <summary>Groups of four blocks per row (the last may be partial).</summary>
    public static int Groups(int k) => ((k / 32) + 3) / 4;

    /// <summary>
    /// Rearranges Q8_0 activation rows for the AVX-512 path: per row and group g of four blocks (b = 4g + s), 256 bytes:
    /// the codes 0-15 of each block (bytes 16s …), the codes 16-31 (64 + 16s …), sixteen int32 offset · (q_{4t} + … + q_{4t+3}
    /// + q_{16+4t} + … + q_{16+4t+3}) at lane 4s + t, and sixteen floats d_a (MXFP4) or d_a·2^112 (Q4_0, exact) at lane
    /// 4s + t (<paramref name="lift"/>: the Q4_0 AVX-512 path's exact 2^112; the others take d_a). Blocks past the end of
    /// the row are zeros.
    /// </summary>
    public static void Prepare(byte* a, int m, int k, bool mxfp4, bool lift, byte* prepared)
    {
        if (!Ssse3.IsSupported)
        {
            throw new PlatformNotSupportedException(); // Only the vector paths (AVX2 or AVX-512) prepare.
        }

        int blocks = k / 32, groups = Groups(k), offset = mxfp4 ? 12 : 8;
        float factor = lift ? BitConverter.UInt32BitsToSingle((127u + 112u) << 23) : 1f; // 2^112
        for (int i = 0; i < m; i++)
        {
            for (int g = 0; g < groups; g++)
            {
                byte* dst = prepared + ((((nint)i * groups) + g) * PreparedGroupBytes);
                sbyte* lo = (sbyte*)dst, hi = (sbyte*)(dst + 64);
                int* corr = (int*)(dst + 128);
                float* da = (float*)(dst + 192);
                for (int s = 0; s < 4; s++)
                {
                    int b = (4 * g) + s;
                    if (b >= blocks)
                    {
                        new Span<byte>(lo + (16 * s), 16).Clear();
                        new Span<byte>(hi + (16 * s), 16).Clear();
                        new Span<int>(corr + (4 * s), 4).Clear();
                        new Span<float>(da + (4 * s), 4).Clear();
                        continue;
                    }

                    byte* src = a + ((((nint)i * blocks) + b) * Q8_0BlockBytes);
                    Vector128<sbyte> q0 = Vector128.Load((sbyte*)(src + 2)), q1 = Vector128.Load((sbyte*)(src + 18));
                    q0.Store(lo + (16 * s));
                    q1.Store(hi + (16 * s));

                    // Lane t: q_{4t} + … + q_{4t+3} + q_{16+4t} + … + q_{16+4t+3}, by byte pairs (vpmaddubsw against ones) and word pairs.
                    Vector128<short> pairs = Ssse3.MultiplyAddAdjacent(Vector128<byte>.One, q0) + Ssse3.MultiplyAddAdjacent(Vector128<byte>.One, q1);
                    (Sse2.MultiplyAddAdjacent(pairs, Vector128<short>.One) * offset).Store(corr + (4 * s));
                    Vector128.Create(QuantizedScales.HalfToSingle(Unsafe.ReadUnaligned<ushort>(src)) * factor).Store(da + (4 * s));
                }
            }
        }
    }

    /// <summary>Runs the validated call on <paramref name="threads"/> threads.</summary>
    public static void Run(ref IntegerDotOperands operands, int threads) =>
        QuantizedDriver.RunTiles(ref operands, operands.M, operands.N, operands.K, threads, &Work);

    private static void Work(GemmJob job, int thread, GemmSpinBarrier? barrier)
    {
        IntegerDotOperands* o = (IntegerDotOperands*)job.Payload;
        (int n0, int n1) = QuantizedDriver.TileRange(job, thread);
        if (n0 < n1)
        {
            switch (o->Path)
            {
                case QuantizedPath.Vector512 or QuantizedPath.Vector256 when o->Mxfp4: RangeVector<Mxfp4Step>(o, n0, n1); break;
                case QuantizedPath.Vector512 or QuantizedPath.Vector256: RangeVector<Q4_0Step>(o, n0, n1); break;
                default: RangeScalar(o, n0, n1); break;
            }
        }

        barrier?.SignalAndWait();
    }

    /// <summary>The scalar reference: the order of the class remarks, one element at a time.</summary>
    private static void RangeScalar(IntegerDotOperands* o, int n0, int n1)
    {
        int blocks = o->K / 32, bb = o->Mxfp4 ? Mxfp4Block.BlockBytes : Q4_0Block.BlockBytes;
        float* l = stackalloc float[16];
        for (int n = n0; n < n1; n++)
        {
            byte* wr = o->W + (n * o->RowBytes);
            for (int m = 0; m < o->M; m++)
            {
                byte* ar = o->A + ((nint)m * blocks * Q8_0BlockBytes);
                new Span<float>(l, 16).Clear();
                for (int b = 0; b < blocks; b++)
                {
                    byte* wb = wr + ((nint)b * bb), ab = ar + ((nint)b * Q8_0BlockBytes);
                    float dw = o->Mxfp4 ? QuantizedScales.E8M0Half(wb[0]) : QuantizedScales.HalfToSingle(Unsafe.ReadUnaligned<ushort>(wb));
                    float sigma = dw * QuantizedScales.HalfToSingle(Unsafe.ReadUnaligned<ushort>(ab));
                    byte* qs = wb + (o->Mxfp4 ? 1 : 2);
                    sbyte* q = (sbyte*)(ab + 2);
                    for (int t = 0; t < 4; t++)
                    {
                        int p = 0;
                        for (int u = 0; u < 4; u++)
                        {
                            int j = (4 * t) + u;
                            p += (WeightValue(qs[j] & 15, o->Mxfp4) * q[j]) + (WeightValue(qs[j] >> 4, o->Mxfp4) * q[16 + j]);
                        }

                        int lane = (4 * (b & 3)) + t;
                        l[lane] = MathF.FusedMultiplyAdd(p, sigma, l[lane]);
                    }
                }

                o->C[((nint)m * o->N) + n] = QuantizedDriver.ReduceScalar(l);
            }
        }
    }

    /// <summary>The integer weight of a code: nibble − 8 (Q4_0) or ggml's kvalues_mxfp4.</summary>
    private static int WeightValue(int nibble, bool mxfp4) => mxfp4 ? Kvalues[nibble] : nibble - 8;

    /// <summary>
    /// The vector loops: four weight rows side by side, each group of four blocks of a row in one 512-bit step (or two
    /// 256-bit halves) against the shared prepared activations; a last partial group is copied, zero-padded, to the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeVector<TStep>(IntegerDotOperands* o, int n0, int n1)
        where TStep : struct, IIntegerDotStep
    {
        bool wide = o->Path == QuantizedPath.Vector512;
        int blocks = o->K / 32, full = blocks / 4, groups = Groups(o->K), rest = blocks % 4;
        int groupBytes = 4 * TStep.BlockBytes;
        nint rowBytes = o->RowBytes;
        nint ahead = QuantizedDriver.PrefetchAhead(rowBytes);
        bool prefetch = QuantizedDriver.SoftwarePrefetch, toL2 = QuantizedDriver.PrefetchToL2;
        Vector512<byte> codeIndex = TStep.CodeIndex, scaleIndex = TStep.ScaleIndex;
        byte* tail = stackalloc byte[Rows * 80];
        for (int n = n0; n < n1; n += Rows)
        {
            int rows = Math.Min(Rows, n1 - n);
            byte* w0 = o->W + (n * rowBytes);
            byte* w1 = o->W + (TileRow(n, 1, rows) * rowBytes), w2 = o->W + (TileRow(n, 2, rows) * rowBytes), w3 = o->W + (TileRow(n, 3, rows) * rowBytes);
            if (rest != 0)
            {
                CopyTail(tail, w0 + ((nint)full * groupBytes), (nint)(w1 - w0), (nint)(w2 - w0), (nint)(w3 - w0), rest * TStep.BlockBytes);
            }

            nint d1 = (nint)(w1 - w0), d2 = (nint)(w2 - w0), d3 = (nint)(w3 - w0);
            for (int m = 0; m < o->M; m++)
            {
                // The weights stream from memory on the first activation row only: prefetch there.
                byte* ap = o->Prepared + ((nint)m * groups * PreparedGroupBytes);
                float* c = o->C + ((nint)m * o->N) + n;
                if (!wide)
                {
                    Tile256<TStep>(w0, d1, d2, d3, ap, full, rest != 0 ? tail : null, m == 0 && prefetch ? ahead : 0, toL2, c, rows);
                }
                else if (Tile<TStep, FastScales>(w0, d1, d2, d3, ap, full, rest != 0 ? tail : null, m == 0 && prefetch ? ahead : 0, toL2, codeIndex, scaleIndex, c, rows))
                {
                    // A weight scale of magnitude 2 or more (binary16 exponent ≥ 16, which includes Inf and NaN): the
                    // conversion with the Inf/NaN case, again over the same (now cached) weights.
                    Tile<TStep, ExactScales>(w0, d1, d2, d3, ap, full, rest != 0 ? tail : null, 0, toL2, codeIndex, scaleIndex, c, rows);
                }
            }
        }
    }

    /// <summary>
    /// One tile of four weight rows (w0, w0 + d1, …) against one prepared activation row: the group loop, the zero-padded
    /// tail group, the reduction. Its own method (not inlined) so the JIT keeps the four accumulators in registers: inlined
    /// into the tile loop, it kept them on the stack, and reloading a 512-bit value just stored stalls store forwarding on
    /// every group.
    /// </summary>
    /// <returns>Whether a scale needs <see cref="ExactScales"/> (only from <see cref="FastScales"/>); C is then not yet final.</returns>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool Tile<TStep, TScales>(byte* w0, nint d1, nint d2, nint d3, byte* ap, int full, byte* tail, nint ahead, bool toL2,
        Vector512<byte> codeIndex, Vector512<byte> scaleIndex, float* c, int rows)
        where TStep : struct, IIntegerDotStep
        where TScales : struct, IScaleMode
    {
        int groupBytes = 4 * TStep.BlockBytes;
        bool exact = TScales.Exact;
        Vector512<float> l0 = default, l1 = default, l2 = default, l3 = default;
        Vector512<int> sticky = default;
        byte* wp = w0;
        for (int g = 0; g < full; g++, wp += groupBytes, ap += PreparedGroupBytes)
        {
            if (ahead != 0)
            {
                QuantizedDriver.Prefetch4(wp + ahead, d1, d2, d3, toL2);
            }

            Vector512<sbyte> aLo = Vector512.Load((sbyte*)ap), aHi = Vector512.Load((sbyte*)(ap + 64));
            Vector512<int> corr = Vector512.Load((int*)(ap + 128));
            Vector512<float> da = Vector512.Load((float*)(ap + 192));
            l0 = TStep.Step(wp, codeIndex, scaleIndex, aLo, aHi, corr, da, l0, exact, ref sticky);
            l1 = TStep.Step(wp + d1, codeIndex, scaleIndex, aLo, aHi, corr, da, l1, exact, ref sticky);
            l2 = TStep.Step(wp + d2, codeIndex, scaleIndex, aLo, aHi, corr, da, l2, exact, ref sticky);
            l3 = TStep.Step(wp + d3, codeIndex, scaleIndex, aLo, aHi, corr, da, l3, exact, ref sticky);
        }

        if (tail != null)
        {
            Vector512<sbyte> aLo = Vector512.Load((sbyte*)ap), aHi = Vector512.Load((sbyte*)(ap + 64));
            Vector512<int> corr = Vector512.Load((int*)(ap + 128));
            Vector512<float> da = Vector512.Load((float*)(ap + 192));
            l0 = TStep.Step(tail, codeIndex, scaleIndex, aLo, aHi, corr, da, l0, exact, ref sticky);
            l1 = TStep.Step(tail + 80, codeIndex, scaleIndex, aLo, aHi, corr, da, l1, exact, ref sticky);
            l2 = TStep.Step(tail + 160, codeIndex, scaleIndex, aLo, aHi, corr, da, l2, exact, ref sticky);
            l3 = TStep.Step(tail + 240, codeIndex, scaleIndex, aLo, aHi, corr, da, l3, exact, ref sticky);
        }

        QuantizedDriver.Store(c, rows, l0, l1, l2, l3);
        return !exact && TStep.NeedsExactScales(sticky);
    }

    /// <summary>
    /// One tile on the AVX2 path: the same groups and lane order as <see cref="Tile{TStep, TScales}"/>, each group of a row
    /// in two 256-bit halves (blocks 0-1 in lanes 0-7, blocks 2-3 in lanes 8-15), the scales from the tables of
    /// <see cref="QuantizedScaleTables"/> and the plain activation scales: σ = d_w·d_a as the reference computes it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile256<TStep>(byte* w0, nint d1, nint d2, nint d3, byte* ap, int full, byte* tail, nint ahead, bool toL2, float* c, int rows)
        where TStep : struct, IIntegerDotStep
    {
        int groupBytes = 4 * TStep.BlockBytes;
        Vector256<float> l0a = default, l0b = default, l1a = default, l1b = default, l2a = default, l2b = default, l3a = default, l3b = default;
        byte* wp = w0;
        for (int g = 0; g <= full; g++, wp += groupBytes, ap += PreparedGroupBytes)
        {
            byte* p0 = wp, p1 = wp + d1, p2 = wp + d2, p3 = wp + d3;
            if (g == full)
            {
                if (tail == null)
                {
                    break;
                }

                p0 = tail;
                p1 = tail + 80;
                p2 = tail + 160;
                p3 = tail + 240;
            }
            else if (ahead != 0)
            {
                QuantizedDriver.Prefetch4(wp + ahead, d1, d2, d3, toL2);
            }

            for (int half = 0; half < 2; half++)
            {
                int o = 32 * half;
                Vector256<sbyte> aLo = Vector256.Load((sbyte*)(ap + o)), aHi = Vector256.Load((sbyte*)(ap + 64 + o));
                Vector256<int> corr = Vector256.Load((int*)(ap + 128) + (8 * half));
                Vector256<float> da = Vector256.Load((float*)(ap + 192) + (8 * half));
                int first = 2 * half;
                if (half == 0)
                {
                    l0a = TStep.Step256(p0, first, aLo, aHi, corr, da, l0a);
                    l1a = TStep.Step256(p1, first, aLo, aHi, corr, da, l1a);
                    l2a = TStep.Step256(p2, first, aLo, aHi, corr, da, l2a);
                    l3a = TStep.Step256(p3, first, aLo, aHi, corr, da, l3a);
                }
                else
                {
                    l0b = TStep.Step256(p0, first, aLo, aHi, corr, da, l0b);
                    l1b = TStep.Step256(p1, first, aLo, aHi, corr, da, l1b);
                    l2b = TStep.Step256(p2, first, aLo, aHi, corr, da, l2b);
                    l3b = TStep.Step256(p3, first, aLo, aHi, corr, da, l3b);
                }
            }
        }

        QuantizedDriver.Store256(c, rows, l0a, l0b, l1a, l1b, l2a, l2b, l3a, l3b);
    }

    /// <summary>
    /// Copies the last <paramref name="bytes"/> bytes of blocks of the tile's four rows (row r at <paramref name="first"/> +
    /// its offset) to <paramref name="tail"/>, 80 bytes per row, zero-padded: padding codes meet zero activation codes,
    /// offset sums and scales, so each padding lane adds fma(0, 0, L) = L. Called before the tile loop, so no call sits in it.
    /// </summary>
    private static void CopyTail(byte* tail, byte* first, nint d1, nint d2, nint d3, int bytes)
    {
        new Span<byte>(tail, Rows * 80).Clear();
        new ReadOnlySpan<byte>(first, bytes).CopyTo(new Span<byte>(tail, 80));
        new ReadOnlySpan<byte>(first + d1, bytes).CopyTo(new Span<byte>(tail + 80, 80));
        new ReadOnlySpan<byte>(first + d2, bytes).CopyTo(new Span<byte>(tail + 160, 80));
        new ReadOnlySpan<byte>(first + d3, bytes).CopyTo(new Span<byte>(tail + 240, 80));
    }

    /// <summary>The first byte of weight row <paramref name="r"/> of the tile at <paramref name="n"/>, or of row n when the tile is short of it (its result is dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TileRow(int n, int r, int rows) => r < rows ? n + r : n;

    /// <summary>
    /// The integer products of four blocks of one row against the prepared activations, to the sixteen P_t (exact int32):
    /// <paramref name="lo"/> and <paramref name="hi"/> are the weights of elements 0-15 and 16-31 of each block (block s at
    /// bytes 16s …) as unsigned w + offset, and <paramref name="corr"/> the offset times the activation sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> Products(Vector512<byte> lo, Vector512<byte> hi, Vector512<sbyte> aLo, Vector512<sbyte> aHi, Vector512<int> corr)
    {
        // |w + offset| ≤ 24 and |q| ≤ 128: each vpmaddubsw pair is at most 6144 and the sum of the two 12288, so nothing saturates.
        Vector512<short> p16 = Avx512BW.Add(Avx512BW.MultiplyAddAdjacent(lo, aLo), Avx512BW.MultiplyAddAdjacent(hi, aHi));
        return Avx512BW.MultiplyAddAdjacent(p16, Vector512<short>.One) - corr;
    }

    /// <summary>
    /// The high nibble of every byte in one <c>vgf2p8affineqb</c>: the bit matrix sends bit i + 4 to bit i (i &lt; 4) and
    /// clears bits 4-7 (row of output bit i in byte 7 − i of each qword).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> HighNibbles(Vector512<byte> codes) =>
        Gfni.V512.GaloisFieldAffineTransform(codes, Vector512.Create(0x1020_4080_0000_0000UL).AsByte(), 0);

    /// <summary>The 256-bit form of <see cref="Products"/> (two blocks, the same exact integers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> Products256(Vector256<byte> lo, Vector256<byte> hi, Vector256<sbyte> aLo, Vector256<sbyte> aHi, Vector256<int> corr)
    {
        Vector256<short> p16 = Avx2.Add(Avx2.MultiplyAddAdjacent(lo, aLo), Avx2.MultiplyAddAdjacent(hi, aHi));
        return Avx2.MultiplyAddAdjacent(p16, Vector256<short>.One) - corr;
    }
}
