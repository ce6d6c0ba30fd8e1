# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled loops of the planner (issue 10): the Poisson-binomial programme and the frontier.

Each function does exactly what its NumPy version in :mod:`.kernels` does, element by element
in the same order of operations (the program update ``(x - x p) + carried``), so the pmfs are
the same to the last bit; only the sums over rows / bins (the mixture and M(k)) add up in a
different order than BLAS, a difference of about 1e-16. ``tests/plan/test_kernels.py`` compares
both on random inputs. Built by ``pip install`` (setuptools ``ext-modules``, Cython).
"""

from libc.stdlib cimport free, malloc


def run_programmes(
    double[:, ::1] pmf,
    const double[:, ::1] cols,
    const double[::1] w=None,
    double[:, ::1] mix=None,
    const double[::1] m=None,
    double[:, ::1] node=None,
):
    """Add the programs ``cols`` (n, rows) one by one to ``pmf`` (bins, rows), in place.

    With ``w`` (rows,) and ``mix`` (n + 1, bins): ``mix[j] = pmf @ w`` after j programs. With
    ``m`` (bins,) and ``node`` (n + 1, rows): ``node[j] = m @ pmf`` after j programs.
    """
    cdef Py_ssize_t bins = pmf.shape[0], rows = pmf.shape[1], n = cols.shape[0]
    cdef Py_ssize_t j, k, r, top
    cdef double *carry
    if cols.shape[1] != rows:
        raise ValueError("cols: one column per pmf row expected")
    if (w is None) != (mix is None) or (m is None) != (node is None):
        raise ValueError("w goes with mix and m with node")
    if w is not None and (w.shape[0] != rows or mix.shape[0] != n + 1 or mix.shape[1] != bins):
        raise ValueError("w / mix: wrong shape")
    if m is not None and (m.shape[0] != bins or node.shape[0] != n + 1 or node.shape[1] != rows):
        raise ValueError("m / node: wrong shape")
    if bins < 1:
        raise ValueError("pmf: needs at least one bin")
    carry = <double *> malloc(rows * sizeof(double))
    if carry == NULL:
        raise MemoryError()
    try:
        with nogil:
            _summaries(pmf, w, mix, m, node, 0)
            for j in range(n):
                if bins == 1:
                    pass  # one absorbing bin: nothing moves
                else:
                    top = j if j < bins - 2 else bins - 2  # highest bin that gives mass
                    for r in range(rows):
                        carry[r] = 0.0
                    for k in range(top + 1):
                        _move(&pmf[k, 0], &cols[j, 0], carry, rows)
                    _add(&pmf[top + 1, 0], carry, rows)
                _summaries(pmf, w, mix, m, node, j + 1)
    finally:
        free(carry)


cdef inline void _move(double *row, const double *c, double *carry, Py_ssize_t rows) noexcept nogil:
    """One bin of one program's update: ``row = (row - row c) + carry``, ``carry = row c``."""
    cdef Py_ssize_t r
    cdef double x, moved
    for r in range(rows):
        x = row[r]
        moved = x * c[r]
        row[r] = (x - moved) + carry[r]
        carry[r] = moved


cdef inline void _add(double *row, const double *carry, Py_ssize_t rows) noexcept nogil:
    cdef Py_ssize_t r
    for r in range(rows):
        row[r] = row[r] + carry[r]


cdef inline void _summaries(
    double[:, ::1] pmf,
    const double[::1] w,
    double[:, ::1] mix,
    const double[::1] m,
    double[:, ::1] node,
    Py_ssize_t j,
) noexcept nogil:
    cdef Py_ssize_t bins = pmf.shape[0], rows = pmf.shape[1], k, r
    cdef double s
    cdef double *acc
    if w is not None:
        # bins-outer sums are one chain of dependent additions per bin; rows-outer keeps the
        # bins independent (the same order of additions per bin: row 0 first)
        acc = &mix[j, 0]
        for k in range(bins):
            acc[k] = 0.0
        for r in range(rows):
            s = w[r]
            for k in range(bins):
                acc[k] = acc[k] + pmf[k, r] * s
    if m is not None:
        acc = &node[j, 0]
        for r in range(rows):
            acc[r] = 0.0
        for k in range(bins):
            _axpy(acc, m[k], &pmf[k, 0], rows)


cdef inline void _axpy(double *acc, double a, const double *x, Py_ssize_t rows) noexcept nogil:
    cdef Py_ssize_t r
    for r in range(rows):
        acc[r] = acc[r] + a * x[r]


def pair_scan(
    double[:, ::1] f,
    const double[::1] cost1,
    const double[::1] cost2,
    Py_ssize_t forced1,
    Py_ssize_t forced2,
    double threshold,
    double[::1] g,
    double[::1] g_cost,
    double[::1] g_at,
):
    """One pass over the grid of list sizes ``f`` (r, s) of :func:`.sizing.categorical_sizes`.

    ``f`` holds the weighted chance that both parts fail on entry; it becomes P(categorical)
    ``clip(1 - f, 0, 1)``. Sets to -1 the pairs not allowed (the primary list shorter than the backup unless it is
    whole, i < r - 1 and i < j, except at the forced pair itself; or fewer than the forced programs), then writes the best value
    per total size N = i + j into ``g`` (ties: the smallest i; none above -1: i = 0), the cost
    ``cost1[i] + cost2[j]`` of that pair into ``g_cost`` and its i into ``g_at``. Returns the
    cheapest pair with ``f >= threshold`` (ties: the first in row order), or (-1, -1).
    """
    cdef Py_ssize_t r = f.shape[0], s = f.shape[1], i, jj, nn, big = r + s - 1
    cdef Py_ssize_t ci = -1, cj = -1
    cdef double v, c, cheapest = 0.0
    cdef Py_ssize_t *at
    if r < 1 or s < 1:
        raise ValueError("f: empty grid")
    if cost1.shape[0] != r or cost2.shape[0] != s:
        raise ValueError("costs: one per row and one per column of f expected")
    if g.shape[0] != big or g_cost.shape[0] != big or g_at.shape[0] != big:
        raise ValueError("outputs: r + s - 1 values expected")
    at = <Py_ssize_t *> malloc(big * sizeof(Py_ssize_t))
    if at == NULL:
        raise MemoryError()
    with nogil:
        for nn in range(big):
            g[nn] = -1.0
            at[nn] = 0
        for i in range(r):
            for jj in range(s):
                if i < forced1 or jj < forced2 or (i < jj and i != r - 1 and not (i == forced1 and jj == forced2)):
                    v = -1.0
                else:
                    v = 1.0 - f[i, jj]
                    v = 0.0 if v < 0.0 else (1.0 if v > 1.0 else v)
                f[i, jj] = v
                if v > g[i + jj]:
                    g[i + jj] = v
                    at[i + jj] = i
                if v >= threshold:
                    c = cost1[i] + cost2[jj]
                    if ci < 0 or c < cheapest:
                        ci, cj, cheapest = i, jj, c
        for nn in range(big):
            jj = nn - at[nn]
            jj = 0 if jj < 0 else (s - 1 if jj > s - 1 else jj)
            g_cost[nn] = cost1[at[nn]] + cost2[jj]
            g_at[nn] = <double> at[nn]
    free(at)
    return ci, cj
