// Licensed under the MIT License. See LICENSE in the repository root.
//
// A native peer for SoftmaxNativeBenchmarks: the two-pass softmax of Dukhan and Ablavatski ("The Two-Pass Softmax
// Algorithm", arXiv:2001.04438) in C with AVX-512F intrinsics, written for this repository from the algorithm's
// description in ../shared/specs/KERNELS.md section 4.2 (exp split into a degree-5 polynomial p and an integer exponent n;
// pass 1 sums the (p, n) pairs per lane with vscalefps rescaling, pass 2 recomputes them and scales). Two entry points:
// as published, and with a software prefetch in pass 1. It is a benchmark
// baseline, not library code: it assumes finite inputs (the benchmarks use uniform [-10, 10]) and n > 0.
//
// Build: eng/build-native.sh (gcc -O3 -march=x86-64-v4 -shared -fPIC).

#include <immintrin.h>
#include <math.h>
#include <stddef.h>

// exp(x) = p * 2^n with n = round(x * log2(e)), t = x - n * ln2 (two constants), p = 1 + t + t^2/2 + ... + t^5/120.
static inline void ext_exp(__m512 x, __m512 *p, __m512 *n)
{
    const __m512 log2e = _mm512_set1_ps(1.44269504088896341f);
    const __m512 ln2_hi = _mm512_set1_ps(0.693145751953125f);
    const __m512 ln2_lo = _mm512_set1_ps(1.42860682030941723212e-6f);
    __m512 k = _mm512_roundscale_ps(_mm512_mul_ps(x, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 t = _mm512_fnmadd_ps(k, ln2_hi, x);
    t = _mm512_fnmadd_ps(k, ln2_lo, t);
    __m512 q = _mm512_set1_ps(1.0f / 120.0f);
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.0f / 24.0f));
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.0f / 6.0f));
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(0.5f));
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.0f));
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.0f));
    *p = q;
    *n = k;
}

// acc_v * 2^acc_e += p * 2^n, keeping the larger exponent.
static inline void accumulate(__m512 *acc_v, __m512 *acc_e, __m512 p, __m512 n)
{
    __m512 m = _mm512_max_ps(*acc_e, n);
    *acc_v = _mm512_add_ps(_mm512_scalef_ps(*acc_v, _mm512_sub_ps(*acc_e, m)), _mm512_scalef_ps(p, _mm512_sub_ps(n, m)));
    *acc_e = m;
}

// Pass 1 over one block: the sum of exp(x) as a (value, exponent) pair, four accumulators of one vector each.
static inline void reduce_block(const float *x, size_t count, int prefetch, float *value, float *exponent)
{
    const __m512 minus_inf = _mm512_set1_ps(-__builtin_inff());
    __m512 v0 = _mm512_setzero_ps(), v1 = v0, v2 = v0, v3 = v0;
    __m512 e0 = minus_inf, e1 = minus_inf, e2 = minus_inf, e3 = minus_inf;
    size_t i = 0;
    for (; i + 64 <= count; i += 64)
    {
        if (prefetch)
        {
            // 8 KiB ahead, the 4 lines of this step (the same hint the C# reduce issues on long rows).
            const char *ahead = (const char *)(x + i) + 8192;
            _mm_prefetch(ahead, _MM_HINT_T0);
            _mm_prefetch(ahead + 64, _MM_HINT_T0);
            _mm_prefetch(ahead + 128, _MM_HINT_T0);
            _mm_prefetch(ahead + 192, _MM_HINT_T0);
        }

        __m512 p0, n0, p1, n1, p2, n2, p3, n3;
        ext_exp(_mm512_loadu_ps(x + i), &p0, &n0);
        ext_exp(_mm512_loadu_ps(x + i + 16), &p1, &n1);
        ext_exp(_mm512_loadu_ps(x + i + 32), &p2, &n2);
        ext_exp(_mm512_loadu_ps(x + i + 48), &p3, &n3);
        accumulate(&v0, &e0, p0, n0);
        accumulate(&v1, &e1, p1, n1);
        accumulate(&v2, &e2, p2, n2);
        accumulate(&v3, &e3, p3, n3);
    }

    for (; i < count; i += 16)
    {
        // Masked lanes read -1000, whose exp underflows to 0 against any real sum.
        size_t left = count - i;
        __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
        __m512 p, n;
        ext_exp(_mm512_mask_loadu_ps(_mm512_set1_ps(-1000.0f), mask, x + i), &p, &n);
        accumulate(&v0, &e0, p, n);
    }

    accumulate(&v0, &e0, v1, e1);
    accumulate(&v2, &e2, v3, e3);
    accumulate(&v0, &e0, v2, e2);
    float top = _mm512_reduce_max_ps(e0);
    *value = _mm512_reduce_add_ps(_mm512_scalef_ps(v0, _mm512_sub_ps(e0, _mm512_set1_ps(top))));
    *exponent = top;
}

static inline void twopass(const float *x, float *y, size_t count, int prefetch)
{
    // Pass 1 in blocks of 16 Ki elements, each block's pair merged into a double one: float lane sums over a whole 16 Mi row
    // drift by about 1e-4 relative, the blocked sum stays within 1e-6 (the C# kernel does the same).
    double sum = 0.0, exponent = -__builtin_inf();
    for (size_t start = 0; start < count; start += 16384)
    {
        float v, e;
        reduce_block(x + start, count - start < 16384 ? count - start : 16384, prefetch, &v, &e);
        double m = e > exponent ? e : exponent;
        sum = (exponent == -__builtin_inf() ? 0.0 : ldexp(sum, (int)(exponent - m))) + ldexp((double)v, (int)(e - m));
        exponent = m;
    }

    // Pass 2: y = p * (1 / sum) * 2^(n - top).
    const __m512 scale = _mm512_set1_ps((float)(1.0 / sum)), shift = _mm512_set1_ps((float)exponent);
    size_t i = 0;
    for (; i + 64 <= count; i += 64)
    {
        __m512 p0, n0, p1, n1, p2, n2, p3, n3;
        ext_exp(_mm512_loadu_ps(x + i), &p0, &n0);
        ext_exp(_mm512_loadu_ps(x + i + 16), &p1, &n1);
        ext_exp(_mm512_loadu_ps(x + i + 32), &p2, &n2);
        ext_exp(_mm512_loadu_ps(x + i + 48), &p3, &n3);
        _mm512_storeu_ps(y + i, _mm512_scalef_ps(_mm512_mul_ps(p0, scale), _mm512_sub_ps(n0, shift)));
        _mm512_storeu_ps(y + i + 16, _mm512_scalef_ps(_mm512_mul_ps(p1, scale), _mm512_sub_ps(n1, shift)));
        _mm512_storeu_ps(y + i + 32, _mm512_scalef_ps(_mm512_mul_ps(p2, scale), _mm512_sub_ps(n2, shift)));
        _mm512_storeu_ps(y + i + 48, _mm512_scalef_ps(_mm512_mul_ps(p3, scale), _mm512_sub_ps(n3, shift)));
    }

    for (; i < count; i += 16)
    {
        size_t left = count - i;
        __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
        __m512 p, n;
        ext_exp(_mm512_maskz_loadu_ps(mask, x + i), &p, &n);
        _mm512_mask_storeu_ps(y + i, mask, _mm512_scalef_ps(_mm512_mul_ps(p, scale), _mm512_sub_ps(n, shift)));
    }
}

// The algorithm as published (XNNPACK's kernels issue no software prefetch).
void numerics_softmax_twopass_c(const float *x, float *y, size_t count) { twopass(x, y, count, 0); }

// The same with a software prefetch in pass 1, 8 KiB ahead (what the C# kernel does on rows of 1 Mi elements and more).
void numerics_softmax_twopass_c_prefetch(const float *x, float *y, size_t count) { twopass(x, y, count, 1); }
