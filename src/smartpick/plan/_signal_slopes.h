/* The loops of the signal allocator that carry most of its arithmetic (see
 * _signal_kernels.pyx). The loop over programs (or values) runs innermost, so vector
 * instructions treat several at once, each with the same operations in the same order: the
 * same bits with or without them. GCC on x86-64 also builds AVX2 versions (AVX-512 too for the
 * reciprocals, about 10% faster there), chosen at run time where the CPU has them. Build without contraction to fused multiply-adds
 * (-ffp-contract=off) and with -fno-trapping-math (which lets the divisions vectorise). */
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

/* One strength node: the factors f = 1 - p + p z = (p zr + (1 - p), p zi + 0) of the programs
 * p (n,) at the roots (zr, zi) (big,) into factor (n, 2 big: complex (n, big)) and their
 * reciprocals 1 / f into re, im (big, n). */
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
    for (ptrdiff_t k = 0; k < big; k++) {
        const double cr = zr[k], ci = zi[k];
        double *xr = re + k * n, *xi = im + k * n;
        for (ptrdiff_t j = 0; j < n; j++)
            sp_smith(p[j] * cr + (1.0 - p[j]), p[j] * ci + 0.0, xr + j, xi + j);
        for (ptrdiff_t j = 0; j < n; j++)
            sp_zero(p[j] * cr + (1.0 - p[j]), p[j] * ci + 0.0, xr + j, xi + j);
    }
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

#endif
