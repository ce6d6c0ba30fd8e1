/* The loops of the signal allocator that carry most of its arithmetic (see
 * _signal_kernels.pyx, _signal_run.pyx and _signal_pairs.pyx, which include it). The loop over
 * programs (or values) runs innermost, so vector instructions treat several at once, each with
 * the same operations in the same order: the same bits with or without them. GCC on x86-64
 * also builds AVX2 versions (AVX-512 too for the reciprocals, about 10% faster there, and for
 * the batched slopes), chosen at run time where the CPU has them. Build without contraction to
 * fused multiply-adds (-ffp-contract=off) and with -fno-trapping-math (which lets the
 * divisions vectorise). */
#ifndef SMARTPICK_SIGNAL_SLOPES_H
#define SMARTPICK_SIGNAL_SLOPES_H

#include <math.h>
#include <stddef.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define SP_CLONES __attribute__((target_clones("avx2", "default")))
#define SP_FMA_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#define SP_V4_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define SP_CLONES
#define SP_FMA_CLONES
#define SP_V4_CLONES
#endif

/* The gains' inner sums: slopes[a, j] = sum_k (re[a, k, j] g[a, 2k] - im[a, k, j] g[a, 2k + 1]),
 * the terms added in root order k from 0 for every program j; re, im (q, big, n), g (q, 2 big),
 * slopes (q, n). */
SP_CLONES static void sp_slopes(const double *re, const double *im, const double *g,
                                double *slopes, ptrdiff_t q, ptrdiff_t big, ptrdiff_t n)
{
    for (ptrdiff_t a = 0; a < q; a++) {
        double *s = slopes + a * n;
        for (ptrdiff_t j = 0; j < n; j++)
            s[j] = 0.0;
        for (ptrdiff_t k = 0; k < big; k++) {
            const double gr = g[a * 2 * big + 2 * k], gi = g[a * 2 * big + 2 * k + 1];
            const double *xr = re + (a * big + k) * n;
            const double *xi = im + (a * big + k) * n;
            for (ptrdiff_t j = 0; j < n; j++)
                s[j] = s[j] + (xr[j] * gr - xi[j] * gi);
        }
    }
}

/* (1 + 0i) / (br + i bi) as NumPy's complex division computes it (Smith's method), both
 * branches computed and one kept; a zero divisor is sp_zero's. */
static inline void sp_smith(double br, double bi, double *r, double *i)
{
    const int first = fabs(br) >= fabs(bi);
    const double num = first ? bi : br, den = first ? br : bi;
    const double rat = num / den;
    const double scl = 1.0 / (den + num * rat);
    const double r1 = (1.0 + 0.0 * rat) * scl, i1 = (0.0 - 1.0 * rat) * scl;
    const double r2 = (1.0 * rat + 0.0) * scl, i2 = (0.0 * rat - 1.0) * scl;
    *r = first ? r1 : r2;
    *i = first ? i1 : i2;
}

/* NumPy's (1 + 0i) / 0: (inf, nan). */
static inline void sp_zero(double br, double bi, double *r, double *i)
{
    if (br == 0.0 && bi == 0.0) {
        *r = 1.0 / fabs(br);
        *i = 0.0 / fabs(br);
    }
}

/* The reciprocals 1 / f of the factors f = 1 - p + p z = (p zr + (1 - p), p zi + 0) of the
 * programs p (n,) at the roots (zr, zi) (big,) into re, im (big, n). */
static inline void sp_inverses(const double *p, const double *zr, const double *zi, ptrdiff_t n,
                               ptrdiff_t big, double *re, double *im)
{
    for (ptrdiff_t k = 0; k < big; k++) {
        const double cr = zr[k], ci = zi[k];
        double *xr = re + k * n, *xi = im + k * n;
        for (ptrdiff_t j = 0; j < n; j++)
            sp_smith(p[j] * cr + (1.0 - p[j]), p[j] * ci + 0.0, xr + j, xi + j);
        for (ptrdiff_t j = 0; j < n; j++)
            sp_zero(p[j] * cr + (1.0 - p[j]), p[j] * ci + 0.0, xr + j, xi + j);
    }
}

/* One strength node: the factors of the programs p (n,) into factor (n, 2 big: complex
 * (n, big)) and their reciprocals into re, im (big, n) (sp_inverses). */
SP_V4_CLONES static void sp_node(const double *p, const double *zr, const double *zi,
                                 ptrdiff_t n, ptrdiff_t big, double *factor, double *re,
                                 double *im)
{
    for (ptrdiff_t j = 0; j < n; j++) {
        const double pj = p[j], rest = 1.0 - pj;
        for (ptrdiff_t k = 0; k < big; k++) {
            factor[j * 2 * big + 2 * k] = pj * zr[k] + rest;
            factor[j * 2 * big + 2 * k + 1] = pj * zi[k] + 0.0;
        }
    }
    sp_inverses(p, zr, zi, n, big, re, im);
}

/* sp_node without the factors. */
SP_V4_CLONES static void sp_node_inverses(const double *p, const double *zr, const double *zi,
                                          ptrdiff_t n, ptrdiff_t big, double *re, double *im)
{
    sp_inverses(p, zr, zi, n, big, re, im);
}

/* The reciprocals of count complex values f (interleaved re, im) into r, i (count,). */
SP_CLONES static void sp_reciprocals(const double *f, ptrdiff_t count, double *r, double *i)
{
    for (ptrdiff_t t = 0; t < count; t++)
        sp_smith(f[2 * t], f[2 * t + 1], r + t, i + t);
    for (ptrdiff_t t = 0; t < count; t++)
        sp_zero(f[2 * t], f[2 * t + 1], r + t, i + t);
}

/* The complex products out = a * b of count values (interleaved re, im; out may be a) as NumPy's
 * multiply rounds them: fused (its SIMD loops where the CPU has FMA: re = fma(ar, br, -(ai bi)),
 * im = fma(ar, bi, ai br)) or not (each product rounded, then added). Which one NumPy does on
 * this machine is found on first use (signal_gains.fused_products); fma() is exact either way
 * (an instruction in the x86-64-v3 clone, the C library's elsewhere). */
SP_FMA_CLONES static void sp_cmul(const double *a, const double *b, double *out, ptrdiff_t count,
                                  int fused)
{
    if (fused) {
        for (ptrdiff_t t = 0; t < count; t++) {
            const double ar = a[2 * t], ai = a[2 * t + 1], br = b[2 * t], bi = b[2 * t + 1];
            const double ii = ai * bi, ir = ai * br;
            out[2 * t] = fma(ar, br, -ii);
            out[2 * t + 1] = fma(ar, bi, ir);
        }
    } else {
        for (ptrdiff_t t = 0; t < count; t++) {
            const double ar = a[2 * t], ai = a[2 * t + 1], br = b[2 * t], bi = b[2 * t + 1];
            const double rr = ar * br, ii = ai * bi, ri = ar * bi, ir = ai * br;
            out[2 * t] = rr - ii;
            out[2 * t + 1] = ri + ir;
        }
    }
}

/* G at one strength node: the product of the factors 1 - p_i + p_i z of the programs p (n,) in
 * program order, as np.multiply.reduce over them rounds it (fused or not, as sp_cmul), each
 * factor computed where it is used (as sp_node computes it), into total (2 big: complex (big,));
 * acc (2 big) is scratch. */
SP_FMA_CLONES static void sp_chain(const double *p, const double *zr, const double *zi,
                                   ptrdiff_t n, ptrdiff_t big, double *acc, double *total,
                                   int fused)
{
    double *ar = acc, *ai = acc + big;
    if (n <= 0)
        return;
    for (ptrdiff_t m = 0; m < big; m++) {
        ar[m] = p[0] * zr[m] + (1.0 - p[0]);
        ai[m] = p[0] * zi[m] + 0.0;
    }
    for (ptrdiff_t j = 1; j < n; j++) {
        const double pj = p[j], rest = 1.0 - pj;
        if (fused) {
            for (ptrdiff_t m = 0; m < big; m++) {
                const double br = pj * zr[m] + rest, bi = pj * zi[m] + 0.0;
                const double ii = ai[m] * bi, ir = ai[m] * br;
                const double re = fma(ar[m], br, -ii);
                ai[m] = fma(ar[m], bi, ir);
                ar[m] = re;
            }
        } else {
            for (ptrdiff_t m = 0; m < big; m++) {
                const double br = pj * zr[m] + rest, bi = pj * zi[m] + 0.0;
                const double rr = ar[m] * br, ii = ai[m] * bi, ri = ar[m] * bi, ir = ai[m] * br;
                ar[m] = rr - ii;
                ai[m] = ri + ir;
            }
        }
    }
    for (ptrdiff_t m = 0; m < big; m++) {
        total[2 * m] = ar[m];
        total[2 * m + 1] = ai[m];
    }
}

/* sp_slopes for P transforms at once (the reciprocals read once for all of them, so the loop is
 * bound by arithmetic rather than memory): slopes[t, a, j] for g[t] (P, q, 2 big), each sum in
 * root order from 0 as sp_slopes adds it. */
#if defined(__GNUC__)
typedef double sp_v8 __attribute__((vector_size(64), aligned(8)));
#define SP_LOAD(x) (*(const sp_v8 *)(x))
#define SP_TERM(g) (xr * (g)[2 * k] - xi * (g)[2 * k + 1])
SP_V4_CLONES static void sp_slopes_batch(const double *re, const double *im, const double *g,
                                         double *slopes, ptrdiff_t P, ptrdiff_t q,
                                         ptrdiff_t big, ptrdiff_t n)
{
    for (ptrdiff_t a = 0; a < q; a++) {
        ptrdiff_t j = 0;
        for (; j + 8 <= n; j += 8) {
            ptrdiff_t t = 0;
            for (; t + 4 <= P; t += 4) {
                const double *g0 = g + (t * q + a) * 2 * big, *g1 = g0 + q * 2 * big;
                const double *g2 = g1 + q * 2 * big, *g3 = g2 + q * 2 * big;
                sp_v8 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
                for (ptrdiff_t k = 0; k < big; k++) {
                    const sp_v8 xr = SP_LOAD(re + (a * big + k) * n + j);
                    const sp_v8 xi = SP_LOAD(im + (a * big + k) * n + j);
                    s0 = s0 + SP_TERM(g0);
                    s1 = s1 + SP_TERM(g1);
                    s2 = s2 + SP_TERM(g2);
                    s3 = s3 + SP_TERM(g3);
                }
                *(sp_v8 *)(slopes + (t * q + a) * n + j) = s0;
                *(sp_v8 *)(slopes + ((t + 1) * q + a) * n + j) = s1;
                *(sp_v8 *)(slopes + ((t + 2) * q + a) * n + j) = s2;
                *(sp_v8 *)(slopes + ((t + 3) * q + a) * n + j) = s3;
            }
            for (; t < P; t++) {
                const double *g0 = g + (t * q + a) * 2 * big;
                sp_v8 s0 = {0};
                for (ptrdiff_t k = 0; k < big; k++) {
                    const sp_v8 xr = SP_LOAD(re + (a * big + k) * n + j);
                    const sp_v8 xi = SP_LOAD(im + (a * big + k) * n + j);
                    s0 = s0 + SP_TERM(g0);
                }
                *(sp_v8 *)(slopes + (t * q + a) * n + j) = s0;
            }
        }
        for (; j < n; j++)
            for (ptrdiff_t t = 0; t < P; t++) {
                const double *g0 = g + (t * q + a) * 2 * big;
                double s0 = 0.0;
                for (ptrdiff_t k = 0; k < big; k++) {
                    const double xr = re[(a * big + k) * n + j], xi = im[(a * big + k) * n + j];
                    s0 = s0 + SP_TERM(g0);
                }
                slopes[(t * q + a) * n + j] = s0;
            }
    }
}
#undef SP_LOAD
#undef SP_TERM
#else
static void sp_slopes_batch(const double *re, const double *im, const double *g,
                            double *slopes, ptrdiff_t P, ptrdiff_t q, ptrdiff_t big, ptrdiff_t n)
{
    for (ptrdiff_t t = 0; t < P; t++)
        sp_slopes(re, im, g + t * q * 2 * big, slopes + t * q * n, q, big, n);
}
#endif

#endif
