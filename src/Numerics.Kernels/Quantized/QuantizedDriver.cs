// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>
/// C[m, n] = Σ_k A[m, k]·W[n, k] over quantized weight rows, dequantized block by block in registers (never to memory).
/// </summary>
/// <remarks>
/// Weight rows are taken four at a time (four independent accumulator chains, and the activation loads shared); a tile of four
/// rows is reused, hot in L1, for every row of A. Threads split the weight rows in whole tiles. Each output element follows the
/// order of <see cref="IQuantizedBlock"/>, so neither the tiling, the thread count nor the vector width changes its bits.
/// </remarks>
[SkipLocalsInit]
internal static unsafe partial class QuantizedDriver
{
    /// <summary>Weight rows per register tile.</summary>
    private const int Rows = 4;

    /// <summary>Runs the validated call on <paramref name="threads"/> threads.</summary>
    public static void Run<TBlock>(ref QuantizedWeights weights, int threads)
        where TBlock : struct, IQuantizedBlock =>
        RunTiles(ref weights, weights.M, weights.N, weights.K, threads, &Work<TBlock>);

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="threads"/> threads of the GEMM pool (or alone on the caller when the
    /// pool is busy or one thread is asked for), with <paramref name="payload"/> as the job's payload: the dispatch of every
    /// quantized driver.
    /// </summary>
    internal static void RunTiles<TPayload>(ref TPayload payload, int m, int n, int k, int threads, delegate*<GemmJob, int, GemmSpinBarrier?, void> work)
        where TPayload : unmanaged
    {
        fixed (TPayload* p = &payload)
        {
            GemmJob job = new() { M = m, N = n, K = k, Threads = threads, Payload = p };
            if (threads > 1 && GemmThreadPool.TryRun(work, job))
            {
                return;
            }

            job.Threads = 1;
            work(job, 0, null);
        }
    }

    /// <summary>The weight rows [n0, n1) of thread <paramref name="thread"/>: whole tiles of four rows, split evenly.</summary>
    internal static (int N0, int N1) TileRange(GemmJob job, int thread)
    {
        (int first, int end) = GemmDriver.Split((job.N + Rows - 1) / Rows, thread, job.Threads);
        return (first * Rows, Math.Min(job.N, end * Rows));
    }

    private static void Work<TBlock>(GemmJob job, int thread, GemmSpinBarrier? barrier)
        where TBlock : struct, IQuantizedBlock
    {
        QuantizedWeights* w = (QuantizedWeights*)job.Payload;
        (int n0, int n1) = TileRange(job, thread);
        if (n0 < n1)
        {
            if (w->Path == QuantizedPath.Vector512)
            {
                Range512<TBlock>(w, n0, n1);
            }
            else if (w->Path == QuantizedPath.Vector256)
            {
                Range256<TBlock>(w, n0, n1);
            }
            else if (typeof(TBlock) == typeof(E4M3FNBlock))
            {
                RangeE4M3FNScalar(w, n0, n1);
            }
            else
            {
                RangeScalar<TBlock>(w, n0, n1);
            }
        }

        barrier?.SignalAndWait();
    }

    private static void Range512<TBlock>(QuantizedWeights* w, int n0, int n1)
        where TBlock : struct, IQuantizedBlock
    {
        if (typeof(TBlock) == typeof(E4M3FNBlock))
        {
            RangeE4M3FN512(w, n0, n1);
        }
        else if (typeof(TBlock) == typeof(Int4Block))
        {
            RangeInt4512(w, n0, n1);
        }
        else
        {
            RangeInBlockScale512<TBlock>(w, n0, n1);
        }
    }

    /// <summary>Whether the AVX-512 loops issue their software prefetches (on by default; a switch for in-process A/B measurements).</summary>
    internal static bool SoftwarePrefetch { get; set; } = true;

    /// <summary>Bytes of each weight row fetched by one software prefetch step (two cache lines).</summary>
    private const int PrefetchBytes = 128;

    /// <summary>The least distance, in bytes, that the software prefetch runs ahead of the loads.</summary>
    private const int PrefetchLeast = 4096;

    /// <summary>
    /// How far ahead of a tile's rows the software prefetch reads: a whole number of tiles (so it lands at the same column
    /// of a later tile's rows), at least <see cref="PrefetchLeast"/> bytes.
    /// </summary>
    /// <remarks>
    /// Why prefetch at all: a tile reads four rows side by side, each only a few bytes per step, with enough arithmetic in
    /// between that the core keeps few misses in flight. With the weights in DRAM (decode: a model's layers do not fit in any
    /// cache) the hardware prefetchers then delivered a third of the bandwidth a plain read gets
    /// (docs/benchmarks/kernels-2026-11-27.md). Prefetches never fault, so running past the last row is harmless.
    /// </remarks>
    internal static nint PrefetchAhead(nint rowBytes)
    {
        nint tile = Rows * rowBytes;
        return tile >= PrefetchLeast ? tile : ((PrefetchLeast + tile - 1) / tile) * tile;
    }

    /// <summary>
    /// Whether the software prefetches fill the L2 only (<c>prefetcht1</c>) rather than the L1 too (<c>prefetcht0</c>): on by
    /// default on Zen 4, off elsewhere. Only the speed depends on it.
    /// </summary>
    /// <remarks>
    /// Zen 4, decode case (8 distinct 4096² matrices in turn), read/GEMV against <c>prefetcht0</c>, 1 / 2 threads: Q8_0 0.79 /
    /// 0.99 against 0.52 / 0.80, Q4_0 0.48 / 0.87 against 0.43 / 0.76, E4M3FN 0.58 / 0.75 against 0.53 / 0.69, MXFP4
    /// 0.45 / 0.51 against 0.43 / 0.48 (docs/benchmarks/zen4-2026-11-27.md). The likely reason (not measured directly): a prefetch
    /// into the L1 holds one of its few miss buffers until the line arrives, which caps the lines one core has in flight. Zen 5 measured <c>prefetcht1</c>
    /// level with <c>prefetcht0</c> (0.88 against 0.85, one run, docs/benchmarks/kernels-2026-11-27.md), so it keeps the
    /// form it was tuned with until a rerun there.
    /// </remarks>
    internal static bool PrefetchToL2 { get; set; } = GemmCpu.IsAmdZen4;

    /// <summary>Prefetches <see cref="PrefetchBytes"/> at <paramref name="p"/> and at the same place of the tile's other three rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Prefetch4(byte* p, nint d1, nint d2, nint d3, bool toL2)
    {
        PrefetchTwoLines(p, toL2);
        PrefetchTwoLines(p + d1, toL2);
        PrefetchTwoLines(p + d2, toL2);
        PrefetchTwoLines(p + d3, toL2);
    }

    /// <summary>Prefetches the two cache lines at <paramref name="p"/> into the L2 (<c>prefetcht1</c>) or the L1 (<c>prefetcht0</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTwoLines(byte* p, bool toL2)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        if (toL2)
        {
            Sse.Prefetch1(p);
            Sse.Prefetch1(p + 64);
        }
        else
        {
            Sse.Prefetch0(p);
            Sse.Prefetch0(p + 64);
        }
    }

    /// <summary>The first byte of weight row <paramref name="r"/> of the tile at <paramref name="n"/>, or of row n when the tile is short of it (its result is dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TileRow(int n, int r, int rows) => r < rows ? n + r : n;

    /// <summary>
    /// Q8_0, Q4_0, MXFP4: the blocks of four rows side by side. Each block's scale is its entry in a table of every encoding
    /// (<see cref="QuantizedScaleTables"/>), which the FMA reads as an embedded broadcast: no conversion work in the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeInBlockScale512<TBlock>(QuantizedWeights* w, int n0, int n1)
        where TBlock : struct, IQuantizedBlock
    {
        int blocks = w->K / 32, bb = TBlock.BlockBytes;
        nint rowBytes = w->RowBytes;
        float* table = TBlock.ScaleTable; // read once: a static read in the loop would keep a class-initialization check there
        int every = Math.Max(1, PrefetchBytes / bb); // blocks per prefetch of PrefetchBytes on each row
        nint ahead = PrefetchAhead(rowBytes);
        bool prefetch = SoftwarePrefetch, toL2 = PrefetchToL2;
        for (int n = n0; n < n1; n += Rows)
        {
            int rows = Math.Min(Rows, n1 - n);
            byte* w0 = w->W + (n * rowBytes);
            byte* w1 = w->W + (TileRow(n, 1, rows) * rowBytes), w2 = w->W + (TileRow(n, 2, rows) * rowBytes), w3 = w->W + (TileRow(n, 3, rows) * rowBytes);
            for (int m = 0; m < w->M; m++)
            {
                float* a = w->A + ((nint)m * w->K);
                Vector512<float> l0 = default, l1 = default, l2 = default, l3 = default;
                for (int b0 = 0; b0 < blocks; b0 += every)
                {
                    if (m == 0 && prefetch)
                    {
                        Prefetch4(w0 + ((nint)b0 * bb) + ahead, (nint)(w1 - w0), (nint)(w2 - w0), (nint)(w3 - w0), toL2);
                    }

                    int end = Math.Min(blocks, b0 + every);
                    for (int b = b0; b < end; b++)
                    {
                        nint at = (nint)b * bb;
                        Vector512<float> aLo = Vector512.Load(a + (b * 32)), aHi = Vector512.Load(a + (b * 32) + 16);
                        l0 = Step<TBlock>(w0 + at, table + TBlock.ScaleIndex(w0 + at), null, aLo, aHi, l0);
                        l1 = Step<TBlock>(w1 + at, table + TBlock.ScaleIndex(w1 + at), null, aLo, aHi, l1);
                        l2 = Step<TBlock>(w2 + at, table + TBlock.ScaleIndex(w2 + at), null, aLo, aHi, l2);
                        l3 = Step<TBlock>(w3 + at, table + TBlock.ScaleIndex(w3 + at), null, aLo, aHi, l3);
                    }
                }

                Store(w->C + ((nint)m * w->N) + n, rows, l0, l1, l2, l3);
            }
        }
    }

    /// <summary>
    /// E4M3FN: 64 codes at a time (<see cref="E4M3FNBlock.Decode64"/>) against the reordered activations
    /// (<see cref="QuantizedWeights.AChunked"/>), four rows side by side; the order is <see cref="ChunkScalar"/>'s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeE4M3FN512(QuantizedWeights* w, int n0, int n1)
    {
        int k = w->K, full = k / 64, perRow = w->ScalesPerRow, shift = w->GroupShift;
        int stride = (k + 63) & ~63;
        bool pairs = shift == 0; // groups of 32: each chunk has two scales
        nint rowBytes = w->RowBytes;
        Vector512<byte> h0 = E4M3FNBlock.Table(high: true, upper: false), h1 = E4M3FNBlock.Table(high: true, upper: true);
        Vector512<byte> o0 = E4M3FNBlock.Table(high: false, upper: false), o1 = E4M3FNBlock.Table(high: false, upper: true);
        bool tail = k % 64 != 0;
        Vector512<int> pairIndex = Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
        nint ahead = PrefetchAhead(rowBytes), scalesAhead = ahead / rowBytes * perRow * sizeof(float);
        bool prefetch = SoftwarePrefetch, toL2 = PrefetchToL2;
        for (int n = n0; n < n1; n += Rows)
        {
            int rows = Math.Min(Rows, n1 - n);
            int r1 = TileRow(n, 1, rows), r2 = TileRow(n, 2, rows), r3 = TileRow(n, 3, rows);
            byte* w0 = w->W + (n * rowBytes), w1 = w->W + (r1 * rowBytes), w2 = w->W + (r2 * rowBytes), w3 = w->W + (r3 * rowBytes);
            float* s0 = w->Scales + ((nint)n * perRow), s1 = w->Scales + ((nint)r1 * perRow), s2 = w->Scales + ((nint)r2 * perRow), s3 = w->Scales + ((nint)r3 * perRow);
            for (int m = 0; m < w->M; m++)
            {
                float* a = w->AChunked + ((nint)m * stride);
                Vector512<float> l0 = default, l1 = default, l2 = default, l3 = default;
                for (int c = 0; c < full; c++)
                {
                    nint at = (nint)c * 64;
                    if (m == 0 && prefetch && (c & 1) == 0)
                    {
                        Prefetch4(w0 + at + ahead, (nint)(w1 - w0), (nint)(w2 - w0), (nint)(w3 - w0), toL2);
                        if ((c & 15) == 0 && perRow != 0)
                        {
                            // The scales: 8 bytes per chunk and row, so 128 bytes every 16 chunks.
                            Prefetch4((byte*)(s0 + (2 * c)) + scalesAhead, (nint)((byte*)s1 - (byte*)s0), (nint)((byte*)s2 - (byte*)s0), (nint)((byte*)s3 - (byte*)s0), toL2);
                        }
                    }

                    Vector512<float> a0 = Vector512.Load(a + at), a1 = Vector512.Load(a + at + 16), a2 = Vector512.Load(a + at + 32), a3 = Vector512.Load(a + at + 48);
                    Vector512<float> c0, c1, c2, c3;
                    if (pairs)
                    {
                        c0 = Avx512F.PermuteVar16x32(Vector512.Create(*(double*)(s0 + (2 * c))).AsSingle(), pairIndex);
                        c1 = Avx512F.PermuteVar16x32(Vector512.Create(*(double*)(s1 + (2 * c))).AsSingle(), pairIndex);
                        c2 = Avx512F.PermuteVar16x32(Vector512.Create(*(double*)(s2 + (2 * c))).AsSingle(), pairIndex);
                        c3 = Avx512F.PermuteVar16x32(Vector512.Create(*(double*)(s3 + (2 * c))).AsSingle(), pairIndex);
                    }
                    else
                    {
                        int g = (2 * c) >> shift;
                        c0 = Vector512.Create(s0[g]);
                        c1 = Vector512.Create(s1[g]);
                        c2 = Vector512.Create(s2[g]);
                        c3 = Vector512.Create(s3[g]);
                    }

                    l0 = ChunkStep(Vector512.Load(w0 + at), h0, h1, o0, o1, a0, a1, a2, a3, c0, l0);
                    l1 = ChunkStep(Vector512.Load(w1 + at), h0, h1, o0, o1, a0, a1, a2, a3, c1, l1);
                    l2 = ChunkStep(Vector512.Load(w2 + at), h0, h1, o0, o1, a0, a1, a2, a3, c2, l2);
                    l3 = ChunkStep(Vector512.Load(w3 + at), h0, h1, o0, o1, a0, a1, a2, a3, c3, l3);
                }

                if (tail)
                {
                    // A last half chunk: 32 codes (zero-extended, so the padding decodes to +0 against +0 activations), and
                    // scale 0 on the padding lanes.
                    nint at = (nint)full * 64;
                    int g = (2 * full) >> shift;
                    Vector512<float> a0 = Vector512.Load(a + at), a1 = Vector512.Load(a + at + 16), a2 = Vector512.Load(a + at + 32), a3 = Vector512.Load(a + at + 48);
                    l0 = ChunkStep(Vector256.Load(w0 + at).ToVector512(), h0, h1, o0, o1, a0, a1, a2, a3, HalfScale(s0[g]), l0);
                    l1 = ChunkStep(Vector256.Load(w1 + at).ToVector512(), h0, h1, o0, o1, a0, a1, a2, a3, HalfScale(s1[g]), l1);
                    l2 = ChunkStep(Vector256.Load(w2 + at).ToVector512(), h0, h1, o0, o1, a0, a1, a2, a3, HalfScale(s2[g]), l2);
                    l3 = ChunkStep(Vector256.Load(w3 + at).ToVector512(), h0, h1, o0, o1, a0, a1, a2, a3, HalfScale(s3[g]), l3);
                }

                Store(w->C + ((nint)m * w->N) + n, rows, l0, l1, l2, l3);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> HalfScale(float s) => Vector512.Create(Vector256.Create(s), Vector256<float>.Zero);

    /// <summary>t = f0·a0, then t = fma(f1, a1, t), fma(f2, a2, t), fma(f3, a3, t); L = fma(scale, t, L).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ChunkStep(Vector512<byte> codes, Vector512<byte> h0, Vector512<byte> h1, Vector512<byte> o0, Vector512<byte> o1,
        Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3, Vector512<float> scale, Vector512<float> l)
    {
        E4M3FNBlock.Decode64(codes, h0, h1, o0, o1, out Vector512<float> f0, out Vector512<float> f1, out Vector512<float> f2, out Vector512<float> f3);
        Vector512<float> t = f0 * a0;
        t = Vector512.FusedMultiplyAdd(f1, a1, t);
        t = Vector512.FusedMultiplyAdd(f2, a2, t);
        t = Vector512.FusedMultiplyAdd(f3, a3, t);
        return Vector512.FusedMultiplyAdd(scale, t, l);
    }

    /// <summary>
    /// The E4M3FN scalar reference, in the order of the AVX-512 path: per chunk c of 64 values (a last one of 32 padded with
    /// code 0 and activation 0), lane p = 4L + d (0 ≤ p &lt; 16) takes the values v_t = 64c + 16L + 8·(t / 2) + 2d + (t % 2) for t = 0 … 3:
    /// t_p = q(v_0)·a(v_0), then t_p = fma(q(v_t), a(v_t), t_p) for t = 1, 2, 3, and L_p = fma(s_p, t_p, L_p), with s_p the scale of
    /// the block of v_0 (0 on padding lanes); then the tree of <see cref="Reduce"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeE4M3FNScalar(QuantizedWeights* w, int n0, int n1)
    {
        int k = w->K;
        float* l = stackalloc float[16];
        for (int n = n0; n < n1; n++)
        {
            byte* row = w->W + (n * w->RowBytes);
            for (int m = 0; m < w->M; m++)
            {
                float* a = w->A + ((nint)m * k);
                new Span<float>(l, 16).Clear();
                for (int c = 0; c * 64 < k; c++)
                {
                    for (int p = 0; p < 16; p++)
                    {
                        int first = (64 * c) + (16 * (p >> 2)) + (2 * (p & 3));
                        float t = ChunkScalar(row, k, first) * ChunkActivation(a, k, first);
                        for (int s = 1; s < 4; s++)
                        {
                            int v = first + (8 * (s >> 1)) + (s & 1);
                            t = MathF.FusedMultiplyAdd(ChunkScalar(row, k, v), ChunkActivation(a, k, v), t);
                        }

                        float scale = first < k ? w->Scales[w->Group(n, first / 32)] : 0f;
                        l[p] = MathF.FusedMultiplyAdd(scale, t, l[p]);
                    }
                }

                w->C[((nint)m * w->N) + n] = ReduceScalar(l);
            }
        }
    }

    private static float ChunkScalar(byte* row, int k, int v) => v < k ? E4M3FNBlock.Value(row[v]) : 0f;

    private static float ChunkActivation(float* a, int k, int v) => v < k ? a[v] : 0f;

    /// <summary>The fixed tree of the 16 lane sums (modified in place): (L_l + L_{l+8}), then (… + 4), then (v_0 + v_2) + (v_1 + v_3).</summary>
    internal static float ReduceScalar(float* l)
    {
        for (int j = 0; j < 8; j++)
        {
            l[j] += l[j + 8];
        }

        for (int j = 0; j < 4; j++)
        {
            l[j] += l[j + 4];
        }

        return (l[0] + l[2]) + (l[1] + l[3]);
    }

    /// <summary>
    /// INT4: per scale group and row, the 16-entry table of code − zero point (exact small integers) and the broadcast scale
    /// are set up once, then the blocks of the group are looked up (vpermps reads the low 4 bits of each index) four rows side by side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeInt4512(QuantizedWeights* w, int n0, int n1)
    {
        int blocks = w->K / 32, shift = w->GroupShift, perRow = w->ScalesPerRow;
        int groupBlocks = shift >= 30 ? blocks : 1 << shift;
        nint rowBytes = w->RowBytes;
        Vector512<float> codes = w->Signed
            ? Vector512.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, -8f, -7f, -6f, -5f, -4f, -3f, -2f, -1f)
            : Vector512.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f);
        nint ahead = PrefetchAhead(rowBytes), scalesAhead = ahead / rowBytes * perRow * sizeof(float);
        bool prefetch = SoftwarePrefetch, toL2 = PrefetchToL2;
        for (int n = n0; n < n1; n += Rows)
        {
            int rows = Math.Min(Rows, n1 - n);
            int r1 = TileRow(n, 1, rows), r2 = TileRow(n, 2, rows), r3 = TileRow(n, 3, rows);
            byte* w0 = w->W + (n * rowBytes), w1 = w->W + (r1 * rowBytes), w2 = w->W + (r2 * rowBytes), w3 = w->W + (r3 * rowBytes);
            for (int m = 0; m < w->M; m++)
            {
                float* a = w->A + ((nint)m * w->K);
                Vector512<float> l0 = default, l1 = default, l2 = default, l3 = default;
                for (int g0 = 0; g0 < blocks; g0 += groupBlocks)
                {
                    int gi = g0 >> shift;
                    int i0 = (n * perRow) + gi, i1 = (r1 * perRow) + gi, i2 = (r2 * perRow) + gi, i3 = (r3 * perRow) + gi;
                    Vector512<float> t0 = codes - Vector512.Create((float)w->ZeroPoints[i0]), t1 = codes - Vector512.Create((float)w->ZeroPoints[i1]);
                    Vector512<float> t2 = codes - Vector512.Create((float)w->ZeroPoints[i2]), t3 = codes - Vector512.Create((float)w->ZeroPoints[i3]);
                    Vector512<float> c0 = Vector512.Create(w->Scales[i0]), c1 = Vector512.Create(w->Scales[i1]);
                    Vector512<float> c2 = Vector512.Create(w->Scales[i2]), c3 = Vector512.Create(w->Scales[i3]);
                    if (m == 0 && prefetch && (gi & 15) == 0 && perRow != 0)
                    {
                        // The scales and zero points: 4 bytes each per group and row, so 64 bytes every 16 groups.
                        Prefetch4((byte*)(w->Scales + i0) + scalesAhead, (i1 - i0) * sizeof(float), (i2 - i0) * sizeof(float), (i3 - i0) * sizeof(float), toL2);
                        Prefetch4((byte*)(w->ZeroPoints + i0) + scalesAhead, (i1 - i0) * sizeof(int), (i2 - i0) * sizeof(int), (i3 - i0) * sizeof(int), toL2);
                    }

                    int end = Math.Min(blocks, g0 + groupBlocks);
                    for (int b = g0; b < end; b++)
                    {
                        nint at = (nint)b * 16;
                        if (m == 0 && prefetch && (b & 7) == 0)
                        {
                            Prefetch4(w0 + at + ahead, (nint)(w1 - w0), (nint)(w2 - w0), (nint)(w3 - w0), toL2);
                        }

                        Vector512<float> aLo = Vector512.Load(a + (b * 32)), aHi = Vector512.Load(a + (b * 32) + 16);
                        l0 = StepInt4(w0 + at, t0, c0, aLo, aHi, l0);
                        l1 = StepInt4(w1 + at, t1, c1, aLo, aHi, l1);
                        l2 = StepInt4(w2 + at, t2, c2, aLo, aHi, l2);
                        l3 = StepInt4(w3 + at, t3, c3, aLo, aHi, l3);
                    }
                }

                Store(w->C + ((nint)m * w->N) + n, rows, l0, l1, l2, l3);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> StepInt4(byte* block, Vector512<float> table, Vector512<float> scale, Vector512<float> aLo, Vector512<float> aHi, Vector512<float> l)
    {
        Vector512<int> x = Avx512F.ConvertToVector512Int32(Vector128.Load(block));
        Vector512<float> lo = Avx512F.PermuteVar16x32(table, x);
        Vector512<float> hi = Avx512F.PermuteVar16x32(table, Vector512.ShiftRightLogical(x, 4));
        Vector512<float> t = Vector512.FusedMultiplyAdd(hi, aHi, lo * aLo);
        return Vector512.FusedMultiplyAdd(scale, t, l);
    }

    /// <summary>Reduces and stores the first <paramref name="rows"/> results of a tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store(float* c, int rows, Vector512<float> l0, Vector512<float> l1, Vector512<float> l2, Vector512<float> l3)
    {
        c[0] = Reduce(l0);
        if (rows > 1)
        {
            c[1] = Reduce(l1);
        }

        if (rows > 2)
        {
            c[2] = Reduce(l2);
        }

        if (rows > 3)
        {
            c[3] = Reduce(l3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step<TBlock>(byte* block, float* s, int* offset, Vector512<float> aLo, Vector512<float> aHi, Vector512<float> l)
        where TBlock : struct, IQuantizedBlock
    {
        TBlock.Decode512(block, offset, out Vector512<float> lo, out Vector512<float> hi);
        Vector512<float> t = Vector512.FusedMultiplyAdd(hi, aHi, lo * aLo);
        return Vector512.FusedMultiplyAdd(Vector512.Create(*s), t, l);
    }

    [ThreadStatic]
    private static float[]? t_scales;

    [ThreadStatic]
    private static int[]? t_offsets;

    /// <summary>This thread's buffers for the scales and offsets of a tile of weight rows (pinned, grown, never per call).</summary>
    private static float* Workspace(int blocks, out int* offsets)
    {
        int need = Rows * blocks;
        if (t_scales is null || t_scales.Length < need)
        {
            t_scales = GC.AllocateUninitializedArray<float>(need, pinned: true);
            t_offsets = GC.AllocateUninitializedArray<int>(need, pinned: true);
        }

        offsets = (int*)Unsafe.AsPointer(ref t_offsets![0]);
        return (float*)Unsafe.AsPointer(ref t_scales[0]);
    }

    /// <summary>((L_j + L_{j+8}) then +4, +2, +1): the fixed tree of <see cref="IQuantizedBlock"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector512<float> l)
    {
        Vector256<float> s8 = l.GetLower() + l.GetUpper();
        Vector128<float> s4 = s8.GetLower() + s8.GetUpper();
        float s20 = s4.GetElement(0) + s4.GetElement(2), s21 = s4.GetElement(1) + s4.GetElement(3);
        return s20 + s21;
    }

    /// <summary>The scalar reference: the same per-lane operations in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeScalar<TBlock>(QuantizedWeights* w, int n0, int n1)
        where TBlock : struct, IQuantizedBlock
    {
        int blocks = w->K / 32, bb = TBlock.BlockBytes;
        float* l = stackalloc float[16];
        float* scales = Workspace(blocks, out int* offsets);
        for (int n = n0; n < n1; n++)
        {
            byte* wr = w->W + (n * w->RowBytes);
            TBlock.Scales(in *w, wr, n, 0, blocks, scales, offsets, vector: false);
            for (int m = 0; m < w->M; m++)
            {
                float* a = w->A + ((nint)m * w->K);
                new Span<float>(l, 16).Clear();
                for (int b = 0; b < blocks; b++)
                {
                    byte* block = wr + (b * bb);
                    float s = scales[b];
                    int offset = offsets[b];
                    for (int j = 0; j < 16; j++)
                    {
                        float lo = TBlock.DecodeScalar(block, offset, j), hi = TBlock.DecodeScalar(block, offset, j + 16);
                        float t = MathF.FusedMultiplyAdd(hi, a[(b * 32) + 16 + j], lo * a[(b * 32) + j]);
                        l[j] = MathF.FusedMultiplyAdd(s, t, l[j]);
                    }
                }

                for (int j = 0; j < 8; j++)
                {
                    l[j] += l[j + 8];
                }

                for (int j = 0; j < 4; j++)
                {
                    l[j] += l[j + 4];
                }

                w->C[((nint)m * w->N) + n] = (l[0] + l[2]) + (l[1] + l[3]);
            }
        }
    }
}
