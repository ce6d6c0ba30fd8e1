/* The planner's innermost loops (see _kernels.pyx): the Poisson-binomial programme on one block
 * of rows, and one row of the size grid.
 *
 * Plain C so that GCC on x86-64 builds an AVX2 clone next to the baseline one and picks it at
 * load time (target_clones). No FMA (AVX2 alone does not enable it, and the build passes
 * -ffp-contract=off): every product and sum is rounded on its own, so both clones give the same
 * bits. Elsewhere the one portable version is built. */
#ifndef SMARTPICK_KERNELS_DP_H
#define SMARTPICK_KERNELS_DP_H

#include <stddef.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define SP_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef SP_CLONES
#define SP_CLONES
#endif

#if defined(_MSC_VER)
#define SP_RESTRICT __restrict
#else
#define SP_RESTRICT restrict
#endif

#define SP_BLOCK 8

/* Rows r0 .. r0 + width (width <= SP_BLOCK) of pmf (bins, rows) through the n programs of
 * cols (n, rows); mix (n + 1, bins) += the block's rows of pmf @ w after each program (rows in
 * order; the block at r0 = 0 starts the sums), node (n + 1, rows) = m @ pmf of the block's
 * rows. w / mix and m / node may be NULL. */
#define SP_SUMS(WIDTH, K, ROW)                                                                \
    if (m)                                                                                    \
        for (ptrdiff_t b = 0; b < (WIDTH); b++) acc[b] = acc[b] + m[K] * (ROW)[b];

#if defined(__GNUC__)
typedef double sp_v4 __attribute__((vector_size(32)));
#define SP_NOINLINE __attribute__((noinline))
#else
#define SP_NOINLINE
#endif

/* mix[k] (+)= the block's rows of pmf[k] @ w for bins 0 .. used - 1, after a program's update:
 * each bin's sum adds the rows in order (row r0 first; 0.0 + the first term at r0 = 0), as one
 * sum per bin would, but four bins at a time in the lanes of a vector (their sums are
 * independent), so the additions do not wait on each other. */
/* Out of line: inlined, it changes how GCC compiles the update loop around it (slower). */
SP_CLONES SP_NOINLINE static void sp_mix(const double *pmf, ptrdiff_t rows, ptrdiff_t r0, ptrdiff_t width,
                      ptrdiff_t used, const double *w, double *outm) {
    ptrdiff_t k0 = 0;
#if defined(__GNUC__)
    for (; k0 + 4 <= used; k0 += 4) {
        const double *p = pmf + k0 * rows + r0;
        sp_v4 s = {0.0, 0.0, 0.0, 0.0};
        if (r0 != 0) s = (sp_v4){outm[k0], outm[k0 + 1], outm[k0 + 2], outm[k0 + 3]};
        for (ptrdiff_t b = 0; b < width; b++) {
            sp_v4 x = {p[b], p[rows + b], p[2 * rows + b], p[3 * rows + b]};
            s = s + x * w[r0 + b];
        }
        outm[k0] = s[0];
        outm[k0 + 1] = s[1];
        outm[k0 + 2] = s[2];
        outm[k0 + 3] = s[3];
    }
#endif
    for (; k0 < used; k0++) {
        const double *p = pmf + k0 * rows + r0;
        double s = r0 == 0 ? 0.0 : outm[k0];
        for (ptrdiff_t b = 0; b < width; b++) s = s + p[b] * w[r0 + b];
        outm[k0] = s;
    }
}

#define SP_BODY(WIDTH)                                                                        \
    double c[SP_BLOCK], carry[SP_BLOCK], acc[SP_BLOCK];                                      \
    for (ptrdiff_t j = 0; j < n; j++) {                                                       \
        double *outm = w ? mix + (j + 1) * bins : NULL;                                       \
        for (ptrdiff_t b = 0; b < (WIDTH); b++) {                                             \
            c[b] = cols[j * rows + r0 + b];                                                   \
            carry[b] = 0.0;                                                                   \
            acc[b] = 0.0;                                                                     \
        }                                                                                     \
        ptrdiff_t top = bins > 1 ? (j < bins - 2 ? j : bins - 2) : -1;                         \
        for (ptrdiff_t k = 0; k <= top; k++) {                                                \
            double *row = pmf + k * rows + r0;                                                \
            for (ptrdiff_t b = 0; b < (WIDTH); b++) {                                         \
                double x = row[b], moved = x * c[b];                                          \
                row[b] = (x - moved) + carry[b];                                              \
                carry[b] = moved;                                                             \
            }                                                                                 \
            SP_SUMS(WIDTH, k, row)                                                            \
        }                                                                                     \
        ptrdiff_t used = top + 2 < bins ? top + 2 : bins;                                     \
        {                                                                                     \
            double *row = pmf + (used - 1) * rows + r0;                                       \
            if (bins > 1)                                                                     \
                for (ptrdiff_t b = 0; b < (WIDTH); b++) row[b] = row[b] + carry[b];           \
            SP_SUMS(WIDTH, used - 1, row)                                                     \
        }                                                                                     \
        if (w) sp_mix(pmf, rows, r0, (WIDTH), used, w, outm);                                 \
        if (w && r0 == 0)                                                                     \
            for (ptrdiff_t k = used; k < bins; k++) outm[k] = 0.0;                            \
        if (m) {                                                                              \
            double *out = node + (j + 1) * rows + r0;                                         \
            for (ptrdiff_t b = 0; b < (WIDTH); b++) out[b] = acc[b];                          \
        }                                                                                     \
    }

SP_CLONES static void sp_block(double *pmf, ptrdiff_t bins, ptrdiff_t rows, const double *cols,
                               ptrdiff_t n, ptrdiff_t r0, const double *w, double *mix,
                               const double *m, double *node) {
    SP_BODY(SP_BLOCK)
}

SP_CLONES static void sp_tail(double *pmf, ptrdiff_t bins, ptrdiff_t rows, const double *cols,
                              ptrdiff_t n, ptrdiff_t r0, ptrdiff_t width, const double *w,
                              double *mix, const double *m, double *node) {
    SP_BODY(width)
}

/* One allowed run row[lo..hi] of pair_scan's grid (row i): P = clip(1 - row, 0, 1) in place,
 * and the best value per total size (best, at: shifted to start at this row's N = i).
 * Returns the first column of the run whose P reaches the threshold (hi + 1: none). */
SP_CLONES static ptrdiff_t sp_pair_row(double *SP_RESTRICT row, double *SP_RESTRICT best,
                                       ptrdiff_t *SP_RESTRICT at, ptrdiff_t lo, ptrdiff_t hi,
                                       ptrdiff_t i, double threshold) {
    ptrdiff_t first = hi + 1;
    for (ptrdiff_t jj = lo; jj <= hi; jj++) {
        double v = 1.0 - row[jj];
        v = v < 0.0 ? 0.0 : v;
        v = v > 1.0 ? 1.0 : v;
        row[jj] = v;
        int up = v > best[jj];
        best[jj] = up ? v : best[jj];
        at[jj] = up ? i : at[jj];
        ptrdiff_t reach = v >= threshold ? jj : hi + 1;
        first = reach < first ? reach : first;
    }
    return first;
}

/* Rows 0 .. 3 of a block of the size grid computed from its factors, over columns lo..hi:
 * f[i * s + j] = the sum over k of a[i * q + k] * bt[k * s + j], added left to right (k = 0
 * first), each product and sum rounded on its own. Eight columns of four rows at a time in the
 * lanes of vectors (their sums are independent; each load of bt serves four rows), the rest one
 * by one in the same order, so every pair gets the same bits whichever path computes it. */
#define SP_GRID_ROWS 4
#if defined(__GNUC__)
static inline __attribute__((always_inline)) sp_v4 sp_load4(const double *p) {
    sp_v4 x;
    __builtin_memcpy(&x, p, sizeof x);
    return x;
}
static inline __attribute__((always_inline)) void sp_store4(double *p, sp_v4 x) { __builtin_memcpy(p, &x, sizeof x); }
#endif
static inline void sp_grid_one(const double *SP_RESTRICT a, const double *SP_RESTRICT bt,
                               ptrdiff_t q, ptrdiff_t s, double *SP_RESTRICT row, ptrdiff_t j) {
    double acc = a[0] * bt[j];
    for (ptrdiff_t k = 1; k < q; k++) acc = acc + a[k] * bt[k * s + j];
    row[j] = acc;
}

SP_CLONES static void sp_grid_rows(const double *SP_RESTRICT a, const double *SP_RESTRICT bt,
                                   ptrdiff_t q, ptrdiff_t s, double *SP_RESTRICT f,
                                   ptrdiff_t rows, ptrdiff_t lo, ptrdiff_t hi) {
    ptrdiff_t j0 = lo;
#if defined(__GNUC__)
    if (rows == SP_GRID_ROWS) {
        for (; j0 + 8 <= hi + 1; j0 += 8) {
            sp_v4 acc[SP_GRID_ROWS][2];
            for (int i = 0; i < SP_GRID_ROWS; i++) {
                sp_v4 ai = {a[i * q], a[i * q], a[i * q], a[i * q]};
                acc[i][0] = ai * sp_load4(bt + j0);
                acc[i][1] = ai * sp_load4(bt + j0 + 4);
            }
            for (ptrdiff_t k = 1; k < q; k++) {
                sp_v4 b0 = sp_load4(bt + k * s + j0), b1 = sp_load4(bt + k * s + j0 + 4);
                for (int i = 0; i < SP_GRID_ROWS; i++) {
                    double x = a[i * q + k];
                    sp_v4 ai = {x, x, x, x};
                    acc[i][0] = acc[i][0] + ai * b0;
                    acc[i][1] = acc[i][1] + ai * b1;
                }
            }
            for (int i = 0; i < SP_GRID_ROWS; i++) {
                sp_store4(f + i * s + j0, acc[i][0]);
                sp_store4(f + i * s + j0 + 4, acc[i][1]);
            }
        }
    }
#endif
    for (ptrdiff_t i = 0; i < rows; i++)
        for (ptrdiff_t j = j0; j <= hi; j++) sp_grid_one(a + i * q, bt, q, s, f + i * s, j);
}

#endif
