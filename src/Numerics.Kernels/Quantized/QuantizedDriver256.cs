// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Numerics.Kernels;

/// <summary>
/// The AVX2 + FMA path of <see cref="QuantizedDriver"/>: the sixteen lane sums of <see cref="IQuantizedBlock"/> as two
/// 256-bit halves (lanes 0-7 and 8-15), the same per-lane operations in the same order, and the same tree (u = a + b is
/// exactly L_l + L_{l+8}), so the bits are those of the scalar reference and of the AVX-512 path.
/// </summary>
/// <remarks>
/// <para>
/// Tiles of four weight rows, as on the AVX-512 path. Without AVX-512 there are only sixteen vector registers: the eight
/// accumulators of a tile stay in registers only if the tile loop is a method of its own with no calls in it, the rows
/// read the activations as memory operands rather than holding them in registers, and the decoders use few constants
/// (see <see cref="TileInBlockScale256{TBlock}"/>; checked with <c>DOTNET_JitDisasm</c> under <c>DOTNET_EnableAVX512=0</c>).
/// </para>
/// <para>
/// Decoding never uses <c>vpermps</c> (eight entries only): nibbles are masked, shifted and offset as integers, MXFP4 codes
/// go through a 16-byte <c>vpshufb</c> table, Q8_0 codes are sign-extended, all then converted exactly; E4M3FN codes are
/// rebuilt as float bit patterns and multiplied by 2^120 as the scalar reference does (see <see cref="DecodeE4M3FN256"/>).
/// That multiply takes a subnormal operand for the codes with exponent 0, which costs time on some processors (Zen 4,
/// 4096²: 2.6-3.2 ms for uniformly random codes, 5.5 % of them subnormal, against 1.6-1.7 ms without them; real weights
/// have few). .NET 10 has no F16C intrinsic, which would have converted them without a multiply.
/// </para>
/// </remarks>
internal static unsafe partial class QuantizedDriver
{
    private static void Range256<TBlock>(QuantizedWeights* w, int n0, int n1)
        where TBlock : struct, IQuantizedBlock
    {
        if (typeof(TBlock) == typeof(E4M3FNBlock))
        {
            RangeE4M3FN256(w, n0, n1);
        }
        else if (typeof(TBlock) == typeof(Int4Block))
        {
            RangeInt4256(w, n0, n1);
        }
        else
        {
            RangeInBlockScale256<TBlock>(w, n0, n1);
        }
    }

    /// <summary>Q8_0, Q4_0, MXFP4 on AVX2: tiles of four rows, each (tile, activation row) in <see cref="TileInBlockScale256{TBlock}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeInBlockScale256<TBlock>(QuantizedWeights* w, int n0, int n1)
        where TBlock : struct, IQuantizedBlock
    {
        int blocks = w->K / 32;
        nint rowBytes = w->RowBytes;
        float* table = TBlock.ScaleTable;
        nint ahead = PrefetchAhead(rowBytes);
        bool prefetch = SoftwarePrefetch, toL2 = PrefetchToL2;
        for (int n = n0; n < n1; n += Rows)
        {
            int rows = Math.Min(Rows, n1 - n);
            byte* w0 = w->W + (n * rowBytes);
            nint d1 = (TileRow(n, 1, rows) - n) * rowBytes, d2 = (TileRow(n, 2, rows) - n) * rowBytes, d3 = (TileRow(n, 3, rows) - n) * rowBytes;
            for (int m = 0; m < w->M; m++)
            {
                // The weights stream from memory on the first activation row only: prefetch there.
                TileInBlockScale256<TBlock>(w0, d1, d2, d3, w->A + ((nint)m * w->K), zero: 0, blocks, table, m == 0 && prefetch ? ahead : 0, toL2, w->C + ((nint)m * w->N) + n, rows);
            }
        }
    }

    /// <summary>
    /// One tile of four weight rows (w0, w0 + d1, …) against one activation row: the block loop and the reduction. Its own
    /// method with no calls in it, so the JIT keeps the eight accumulators in registers (inlined into the tile loop, or with
    /// a call inside, it keeps them on the stack, and reloading a value just stored stalls store forwarding every block).
    /// </summary>
    /// <remarks>
    /// <para>Per block and row: the block's scale from its table entry, then lanes 0-7 and 8-15 each decoded and accumulated on their own (fewer live registers).</para>
    /// <para>
    /// <paramref name="zero"/> is always 0, but not a constant here (the method is not inlined): row r reads the activations
    /// at a + r'·zero (r' = 0, 1, 2, 4, an address mode's index scale), so the four rows' loads are different expressions,
    /// and the JIT folds each into its multiply or FMA instead of holding the shared activation vectors in registers. With
    /// sixteen registers, eight accumulators and the decoding, holding them made it keep accumulators on the stack.
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TileInBlockScale256<TBlock>(byte* w0, nint d1, nint d2, nint d3, float* a, nint zero, int blocks, float* table, nint ahead, bool toL2, float* c, int rows)
        where TBlock : struct, IQuantizedBlock
    {
        int bb = TBlock.BlockBytes;
        int every = Math.Max(1, PrefetchBytes / bb); // blocks per prefetch of PrefetchBytes on each row
        Vector256<float> l0a = default, l0b = default, l1a = default, l1b = default, l2a = default, l2b = default, l3a = default, l3b = default;
        byte* p = w0;
        for (int b0 = 0; b0 < blocks; b0 += every)
        {
            if (ahead != 0)
            {
                Prefetch4(p + ahead, d1, d2, d3, toL2);
            }

            int end = Math.Min(blocks, b0 + every);
            for (int b = b0; b < end; b++, p += bb, a += 32)
            {
                Vector256<float> s = Vector256.Create(table[TBlock.ScaleIndex(p)]);
                l0a = Half256<TBlock>(p, 0, s, a, l0a);
                l0b = Half256<TBlock>(p, 1, s, a, l0b);
                s = Vector256.Create(table[TBlock.ScaleIndex(p + d1)]);
                l1a = Half256<TBlock>(p + d1, 0, s, a + zero, l1a);
                l1b = Half256<TBlock>(p + d1, 1, s, a + zero, l1b);
                s = Vector256.Create(table[TBlock.ScaleIndex(p + d2)]);
                l2a = Half256<TBlock>(p + d2, 0, s, a + (2 * zero), l2a);
                l2b = Half256<TBlock>(p + d2, 1, s, a + (2 * zero), l2b);
                s = Vector256.Create(table[TBlock.ScaleIndex(p + d3)]);
                l3a = Half256<TBlock>(p + d3, 0, s, a + (4 * zero), l3a);
                l3b = Half256<TBlock>(p + d3, 1, s, a + (4 * zero), l3b);
            }
        }

        Store256(c, rows, l0a, l0b, l1a, l1b, l2a, l2b, l3a, l3b);
    }

    /// <summary>Half h of one block of one row: t = fma(hi, a[16 + 8h …], lo·a[8h …]), L = fma(s, t, L).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Half256<TBlock>(byte* block, int half, Vector256<float> s, float* a, Vector256<float> l)
        where TBlock : struct, IQuantizedBlock
    {
        TBlock.Decode256(block, half, out Vector256<float> lo, out Vector256<float> hi);
        Vector256<float> t = Fma.MultiplyAdd(hi, Vector256.Load(a + 16 + (8 * half)), lo * Vector256.Load(a + (8 * half)));
        return Fma.MultiplyAdd(s, t, l);
    }

    /// <summary>INT4 on AVX2: tiles of four rows, each (tile, activation row) in <see cref="TileInt4256{TSign}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeInt4256(QuantizedWeights* w, int n0, int n1)
    {
        int blocks = w->K / 32, shift = Math.Min(w->GroupShift, 30), perRow = w->ScalesPerRow;
        nint rowBytes = w->RowBytes;
        nint ahead = PrefetchAhead(rowBytes);
        bool prefetch = SoftwarePrefetch, toL2 = PrefetchToL2, signed = w->Signed;
        for (int n = n0; n < n1; n += Rows)
        {
            int rows = Math.Min(Rows, n1 - n);
            int r1 = TileRow(n, 1, rows), r2 = TileRow(n, 2, rows), r3 = TileRow(n, 3, rows);
            byte* w0 = w->W + (n * rowBytes);
            nint d1 = (r1 - n) * rowBytes, d2 = (r2 - n) * rowBytes, d3 = (r3 - n) * rowBytes;

            // Scales and zero points share their indexing: row r's groups start at r·perRow.
            nint first = (nint)n * perRow, e1 = (nint)(r1 - n) * perRow, e2 = (nint)(r2 - n) * perRow, e3 = (nint)(r3 - n) * perRow;
            for (int m = 0; m < w->M; m++)
            {
                float* a = w->A + ((nint)m * w->K), c = w->C + ((nint)m * w->N) + n;
                nint at = m == 0 && prefetch ? ahead : 0;
                if (signed)
                {
                    TileInt4256<SignedNibbles>(w0, d1, d2, d3, w->Scales + first, w->ZeroPoints + first, e1, e2, e3, shift, a, zero: 0, blocks, at, toL2, c, rows);
                }
                else
                {
                    TileInt4256<UnsignedNibbles>(w0, d1, d2, d3, w->Scales + first, w->ZeroPoints + first, e1, e2, e3, shift, a, zero: 0, blocks, at, toL2, c, rows);
                }
            }
        }
    }

    /// <summary>
    /// One INT4 tile against one (even/odd reordered) activation row; its own method for the reason of
    /// <see cref="TileInBlockScale256{TBlock}"/>. The tile's first row has its scales at s0 and zero points at z0, the
    /// others at s0 + e1, z0 + e1, …; each block reads its group's scale and zero point (index b &gt;&gt; shift) from memory,
    /// which keeps them out of registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TileInt4256<TSign>(byte* w0, nint d1, nint d2, nint d3, float* s0, int* z0, nint e1, nint e2, nint e3, int shift,
        float* a, nint zero, int blocks, nint ahead, bool toL2, float* c, int rows)
        where TSign : struct, INibbleSign
    {
        Vector256<float> l0a = default, l0b = default, l1a = default, l1b = default, l2a = default, l2b = default, l3a = default, l3b = default;
        byte* p = w0;
        for (int b = 0; b < blocks; b++, p += 16, a += 32)
        {
            if (ahead != 0 && (b & 7) == 0)
            {
                Prefetch4(p + ahead, d1, d2, d3, toL2);
            }

            nint g = b >> shift;
            l0a = HalfInt4256<TSign>(p, 0, s0 + g, z0 + g, a, l0a);
            l0b = HalfInt4256<TSign>(p, 1, s0 + g, z0 + g, a, l0b);
            l1a = HalfInt4256<TSign>(p + d1, 0, s0 + g + e1, z0 + g + e1, a + zero, l1a);
            l1b = HalfInt4256<TSign>(p + d1, 1, s0 + g + e1, z0 + g + e1, a + zero, l1b);
            l2a = HalfInt4256<TSign>(p + d2, 0, s0 + g + e2, z0 + g + e2, a + (2 * zero), l2a);
            l2b = HalfInt4256<TSign>(p + d2, 1, s0 + g + e2, z0 + g + e2, a + (2 * zero), l2b);
            l3a = HalfInt4256<TSign>(p + d3, 0, s0 + g + e3, z0 + g + e3, a + (4 * zero), l3a);
            l3b = HalfInt4256<TSign>(p + d3, 1, s0 + g + e3, z0 + g + e3, a + (4 * zero), l3b);
        }

        Store256(c, rows, l0a, l0b, l1a, l1b, l2a, l2b, l3a, l3b);
    }

    /// <summary>Half h of one INT4 block of one row: the codes minus the zero point (exact integers), converted; then as <see cref="Half256{TBlock}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> HalfInt4256<TSign>(byte* block, int half, float* scale, int* zeroPoint, float* a, Vector256<float> l)
        where TSign : struct, INibbleSign
    {
        TSign.Codes(block + (8 * half), out Vector256<int> low, out Vector256<int> high);
        Vector256<int> z = Vector256.Create(*zeroPoint);
        Vector256<float> lo = Avx.ConvertToVector256Single(low - z), hi = Avx.ConvertToVector256Single(high - z);
        Vector256<float> t = Fma.MultiplyAdd(hi, Vector256.Load(a + 16 + (8 * half)), lo * Vector256.Load(a + (8 * half)));
        return Fma.MultiplyAdd(Vector256.Create(*scale), t, l);
    }

    /// <summary>The two nibbles of 8 bytes as 32-bit codes, unsigned or two's complement.</summary>
    internal interface INibbleSign
    {
        /// <summary>Byte j's low nibble in lane j of <paramref name="low"/>, its high nibble in lane j of <paramref name="high"/>.</summary>
        static abstract void Codes(byte* p, out Vector256<int> low, out Vector256<int> high);
    }

    /// <summary>Unsigned nibbles 0 … 15: zero-extended bytes, masked or shifted.</summary>
    internal readonly struct UnsignedNibbles : INibbleSign
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Codes(byte* p, out Vector256<int> low, out Vector256<int> high)
        {
            Vector256<int> x = Avx2.ConvertToVector256Int32(p);
            low = x & Vector256.Create(15);
            high = Vector256.ShiftRightLogical(x, 4);
        }
    }

    /// <summary>Two's-complement nibbles −8 … 7: sign-extended bytes shifted arithmetically (the low nibble first moved to the top).</summary>
    internal readonly struct SignedNibbles : INibbleSign
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Codes(byte* p, out Vector256<int> low, out Vector256<int> high)
        {
            Vector256<int> x = Avx2.ConvertToVector256Int32((sbyte*)p);
            low = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(x, 28), 28);
            high = Vector256.ShiftRightArithmetic(x, 4);
        }
    }

    /// <summary>
    /// E4M3FN on AVX2: lanes 0-7 of the chunked order (<see cref="RangeE4M3FN512"/>) are exactly the 32 values of block 2c
    /// of chunk c and lanes 8-15 those of block 2c + 1, so each block goes to one half with its own scale; a last block
    /// of 32 (k % 64 = 32) goes to lanes 0-7 alone (the padding lanes would add fma(0, +0, L) = L).
    /// </summary>
    /// <remarks>
    /// NaN codes (S.1111.111) take four more instructions per 16 codes and two more registers; real weights have none, so
    /// each tile's four rows are first scanned for them (<see cref="HasNaNCodes"/>: the rows are then in cache for the tile)
    /// and only a tile that has one takes the decoder that handles them. Both decoders give the same values otherwise.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RangeE4M3FN256(QuantizedWeights* w, int n0, int n1)
    {
        int k = w->K, perRow = w->ScalesPerRow, shift = w->GroupShift;
        int stride = (k + 63) & ~63;
        nint rowBytes = w->RowBytes;
        nint ahead = PrefetchAhead(rowBytes);
        bool prefetch = SoftwarePrefetch, toL2 = PrefetchToL2;
        for (int n = n0; n < n1; n += Rows)
        {
            int rows = Math.Min(Rows, n1 - n);
            int r1 = TileRow(n, 1, rows), r2 = TileRow(n, 2, rows), r3 = TileRow(n, 3, rows);
            byte* w0 = w->W + (n * rowBytes);
            nint d1 = (r1 - n) * rowBytes, d2 = (r2 - n) * rowBytes, d3 = (r3 - n) * rowBytes;
            float* s0 = w->Scales + ((nint)n * perRow);
            nint e1 = (nint)(r1 - n) * perRow, e2 = (nint)(r2 - n) * perRow, e3 = (nint)(r3 - n) * perRow;
            bool nan = HasNaNCodes(w0, d1, d2, d3, k);
            for (int m = 0; m < w->M; m++)
            {
                float* a = w->AChunked + ((nint)m * stride), c = w->C + ((nint)m * w->N) + n;
                nint at = m == 0 && prefetch ? ahead : 0;
                if (nan)
                {
                    TileE4M3FN256<WithNaNCodes>(w0, d1, d2, d3, s0, e1, e2, e3, a, 0, k, shift, at, toL2, c, rows);
                }
                else
                {
                    TileE4M3FN256<WithoutNaNCodes>(w0, d1, d2, d3, s0, e1, e2, e3, a, 0, k, shift, at, toL2, c, rows);
                }
            }
        }
    }

    /// <summary>
    /// One E4M3FN tile against one chunked activation row; its own method for the reason of <see cref="TileInBlockScale256{TBlock}"/>.
    /// The scales of the tile's first row start at s0, the other rows' at s0 + e1, s0 + e2, s0 + e3.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TileE4M3FN256<TNaN>(byte* w0, nint d1, nint d2, nint d3, float* s0, nint e1, nint e2, nint e3, float* a, nint zero, int k, int shift,
        nint ahead, bool toL2, float* c, int rows)
        where TNaN : struct, INaNCodes
    {
        int full = k / 64;
        Vector256<float> l0a = default, l0b = default, l1a = default, l1b = default, l2a = default, l2b = default, l3a = default, l3b = default;
        byte* p = w0;
        for (int ch = 0; ch < full; ch++, p += 64, a += 64)
        {
            if (ahead != 0 && (ch & 1) == 0)
            {
                Prefetch4(p + ahead, d1, d2, d3, toL2);
            }

            // Block 2ch: lanes 0-7 of each activation vector t (at 16t); block 2ch + 1: lanes 8-15 (at 16t + 8).
            float* sa = s0 + ((2 * ch) >> shift), sb = s0 + (((2 * ch) + 1) >> shift);
            l0a = StepE4M3FN256<TNaN>(p, a, sa, l0a);
            l0b = StepE4M3FN256<TNaN>(p + 32, a + 8, sb, l0b);
            l1a = StepE4M3FN256<TNaN>(p + d1, a + zero, sa + e1, l1a);
            l1b = StepE4M3FN256<TNaN>(p + d1 + 32, a + zero + 8, sb + e1, l1b);
            l2a = StepE4M3FN256<TNaN>(p + d2, a + (2 * zero), sa + e2, l2a);
            l2b = StepE4M3FN256<TNaN>(p + d2 + 32, a + (2 * zero) + 8, sb + e2, l2b);
            l3a = StepE4M3FN256<TNaN>(p + d3, a + (4 * zero), sa + e3, l3a);
            l3b = StepE4M3FN256<TNaN>(p + d3 + 32, a + (4 * zero) + 8, sb + e3, l3b);
        }

        if ((k & 32) != 0)
        {
            float* sa = s0 + ((2 * full) >> shift);
            l0a = StepE4M3FN256<TNaN>(p, a, sa, l0a);
            l1a = StepE4M3FN256<TNaN>(p + d1, a + zero, sa + e1, l1a);
            l2a = StepE4M3FN256<TNaN>(p + d2, a + (2 * zero), sa + e2, l2a);
            l3a = StepE4M3FN256<TNaN>(p + d3, a + (4 * zero), sa + e3, l3a);
        }

        Store256(c, rows, l0a, l0b, l1a, l1b, l2a, l2b, l3a, l3b);
    }

    /// <summary>32 codes against their activations (a, a + 16, a + 32, a + 48): t = f0·a0, fma(f1, a1, t), fma(f2, a2, t), fma(f3, a3, t); L = fma(s, t, L).</summary>
    /// <remarks>Each pair of value vectors is decoded just before its use (<see cref="DecodeE4M3FN256"/>), which keeps few registers live.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> StepE4M3FN256<TNaN>(byte* codes, float* a, float* scale, Vector256<float> l)
        where TNaN : struct, INaNCodes
    {
        Vector256<byte> c = Vector256.Load(codes);
        DecodeE4M3FN256<TNaN>(Avx2.UnpackLow(c, c), out Vector256<float> f0, out Vector256<float> f1);
        Vector256<float> t = f0 * Vector256.Load(a);
        t = Fma.MultiplyAdd(f1, Vector256.Load(a + 16), t);
        DecodeE4M3FN256<TNaN>(Avx2.UnpackHigh(c, c), out Vector256<float> f2, out Vector256<float> f3);
        t = Fma.MultiplyAdd(f2, Vector256.Load(a + 32), t);
        t = Fma.MultiplyAdd(f3, Vector256.Load(a + 48), t);
        return Fma.MultiplyAdd(Vector256.Create(*scale), t, l);
    }

    /// <summary>
    /// Decodes 16 E4M3FN codes, given as 16-bit words code·257 (a byte unpack of 32 codes with themselves), to their
    /// exact floats: <paramref name="even"/> lane 4L + d holds word 8L + 2d, <paramref name="odd"/> word 8L + 2d + 1. With
    /// the unpack of bytes 0-7 and 16-23 (or 8-15 and 24-31) of a block, that is the lane order of <see cref="E4M3FNBlock.Decode64"/>
    /// restricted to 32 codes (vector t, lane 4L + d: code 16L + 8·(t / 2) + 2d + (t % 2), L = 0, 1).
    /// </summary>
    /// <remarks>
    /// An arithmetic shift by 4 and a mask leave the sign at bit 15 and the 7 magnitude bits at bits 4-10 (the low copy of
    /// the code goes to bits 0-3, which the mask clears), which, as the top
    /// half of a float, is the float whose bits are magnitude·2^20 (what <see cref="E4M3FNBlock.Value"/> builds); NaN codes
    /// (magnitude 0x7F) take 0xFFC0 instead, the top half of float.NaN (only with <typeparamref name="TNaN"/> = <see cref="WithNaNCodes"/>:
    /// without, they would give ±480, which is why a tile with one takes that decoder). The words go to the top halves of floats by a shift
    /// (even) or by clearing the low half (odd), as the AVX-512 decoder splits its pairs, and are multiplied by 2^120 as the
    /// scalar reference does (exact: for the exponent-0 codes the float is subnormal and the product is E4M3FN's subnormal;
    /// NaN stays float.NaN).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void DecodeE4M3FN256<TNaN>(Vector256<byte> words, out Vector256<float> even, out Vector256<float> odd)
        where TNaN : struct, INaNCodes
    {
        Vector256<short> h = words.AsInt16();
        Vector256<uint> bits = (Vector256.ShiftRightArithmetic(h, 4) & Vector256.Create(unchecked((short)0x87F0))).AsUInt32();
        Vector256<float> scale = Vector256.Create(BitConverter.UInt32BitsToSingle((127u + 120u) << 23));
        if (TNaN.Present)
        {
            // code·257 doubled has the magnitude in bits 9-15 (the sign shifted out; the low copy, doubled, stays below bit 9),
            // so an arithmetic shift by 9 gives all ones exactly for the magnitude 0x7F (other magnitudes give −64 … 63).
            // (Comparing with a constant would hold one more register.)
            Vector256<short> nan = Vector256.Equals(Vector256.ShiftRightArithmetic(h + h, 9), Vector256<short>.AllBitsSet);
            bits = Avx2.BlendVariable(bits.AsByte(), Vector256.Create(0xFFC0_FFC0u).AsByte(), nan.AsByte()).AsUInt32();
            even = Vector256.ShiftLeft(bits, 16).AsSingle() * scale;
            odd = Vector256.ShiftLeft(Vector256.ShiftRightLogical(bits, 16), 16).AsSingle() * scale; // a mask would hold a register
        }
        else
        {
            even = Vector256.ShiftLeft(bits, 16).AsSingle() * scale;
            odd = (bits & Vector256.Create(0xFFFF_0000u)).AsSingle() * scale;
        }
    }

    /// <summary>Whether a tile's E4M3FN rows have NaN codes (selects the decoder of <see cref="DecodeE4M3FN256{TNaN}"/>).</summary>
    internal interface INaNCodes
    {
        /// <summary>Whether the rows may have NaN codes.</summary>
        static abstract bool Present { get; }
    }

    /// <summary>Rows that may have NaN codes.</summary>
    internal readonly struct WithNaNCodes : INaNCodes
    {
        public static bool Present => true;
    }

    /// <summary>Rows without NaN codes.</summary>
    internal readonly struct WithoutNaNCodes : INaNCodes
    {
        public static bool Present => false;
    }

    /// <summary>Whether any of the k codes of the four rows at w0, w0 + d1, … is a NaN code (code + code is 0xFE modulo 256 exactly for those).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool HasNaNCodes(byte* w0, nint d1, nint d2, nint d3, int k)
    {
        Vector256<byte> any = default, nan = Vector256.Create((byte)0xFE);
        for (int i = 0; i < k; i += 32)
        {
            Vector256<byte> c0 = Vector256.Load(w0 + i), c1 = Vector256.Load(w0 + d1 + i), c2 = Vector256.Load(w0 + d2 + i), c3 = Vector256.Load(w0 + d3 + i);
            any |= Vector256.Equals(c0 + c0, nan) | Vector256.Equals(c1 + c1, nan) | Vector256.Equals(c2 + c2, nan) | Vector256.Equals(c3 + c3, nan);
        }

        return any != Vector256<byte>.Zero;
    }

    /// <summary>Reduces and stores the first <paramref name="rows"/> results of a tile (lanes 0-7 in the first vector of each pair, 8-15 in the second).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store256(float* c, int rows, Vector256<float> l0a, Vector256<float> l0b, Vector256<float> l1a, Vector256<float> l1b,
        Vector256<float> l2a, Vector256<float> l2b, Vector256<float> l3a, Vector256<float> l3b)
    {
        c[0] = Reduce256(l0a, l0b);
        if (rows > 1)
        {
            c[1] = Reduce256(l1a, l1b);
        }

        if (rows > 2)
        {
            c[2] = Reduce256(l2a, l2b);
        }

        if (rows > 3)
        {
            c[3] = Reduce256(l3a, l3b);
        }
    }

    /// <summary>The tree of <see cref="Reduce"/> on two halves: u = a + b is exactly L_l + L_{l+8}; then the lower plus the upper half of u, then (v0 + v2) + (v1 + v3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce256(Vector256<float> a, Vector256<float> b)
    {
        Vector256<float> u = a + b;
        Vector128<float> v = u.GetLower() + u.GetUpper();
        return (v.GetElement(0) + v.GetElement(2)) + (v.GetElement(1) + v.GetElement(3));
    }
}
