# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled loops of the planner (issue 10): the Poisson-binomial programme, the size grid's
frontier, the tier-mixing greedy order and the interview quantiles of every prefix.

Each function does exactly what its NumPy / Python version in :mod:`.kernels` does, element by
element in the same order of operations (the program update ``(x - x p) + carried``; every sum
left to right), so the pmfs, orders and quantiles are the same to the last bit; only the sums
over rows / bins (the mixture and M(k)) add up in a different order than BLAS, a difference of
about 1e-16. The programme's inner loops are C (``_kernels_dp.h``): GCC on x86-64 builds an
AVX2 clone next to the baseline one and picks it at load time, without FMA, so both give the
same bits. ``tests/plan/test_kernels.py`` compares every kernel with its NumPy version on
random inputs. Built by ``pip install`` (setuptools ``ext-modules``, Cython).
"""

from libc.stdlib cimport free, malloc


cdef extern from "_kernels_dp.h" nogil:
    # rows updated together: their carries and per-row sums stay in registers while one
    # program's update walks down the bins (C, for an AVX2 clone where the CPU has it)
    const Py_ssize_t BLOCK "SP_BLOCK"
    void _block "sp_block"(
        double *pmf, Py_ssize_t bins, Py_ssize_t rows, const double *cols, Py_ssize_t n,
        Py_ssize_t r0, const double *w, double *mix, const double *m, double *node,
    )
    void _tail "sp_tail"(
        double *pmf, Py_ssize_t bins, Py_ssize_t rows, const double *cols, Py_ssize_t n,
        Py_ssize_t r0, Py_ssize_t width, const double *w, double *mix, const double *m,
        double *node,
    )
    Py_ssize_t _pair_row "sp_pair_row"(
        double *row, double *best, Py_ssize_t *at, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t i,
        double threshold,
    )
    const Py_ssize_t GRID_ROWS "SP_GRID_ROWS"
    void _grid_rows "sp_grid_rows"(
        const double *a, const double *bt, Py_ssize_t q, Py_ssize_t s, double *f,
        Py_ssize_t rows, Py_ssize_t lo, Py_ssize_t hi,
    )


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

    ``pmf`` holds its mass in bin 0 on entry (as every caller starts it), so before program
    j + 1 the bins above j + 1 are empty: they are skipped (their sums are 0). The rows run in
    blocks of ``BLOCK``, each block through every program (the rows never mix; carries and
    per-row sums stay in registers), ``node``'s sums of a bin right after its update, ``mix``'s
    after the program's whole update (four bins at a time); ``mix`` adds the blocks in row
    order, so every sum adds its terms in the order of the NumPy version (row 0 first; bin 0
    first).
    """
    cdef Py_ssize_t bins = pmf.shape[0], rows = pmf.shape[1], n = cols.shape[0]
    cdef Py_ssize_t r0, j, k, r
    cdef double s
    cdef const double *wp = NULL
    cdef const double *mp = NULL
    cdef double *mixp = NULL
    cdef double *nodep = NULL
    cdef const double *colp = NULL
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
    if rows == 0:
        return
    if w is not None:
        wp, mixp = &w[0], &mix[0, 0]
    if m is not None:
        mp, nodep = &m[0], &node[0, 0]
    if n:
        colp = &cols[0, 0]
    with nogil:
        if wp != NULL:  # before any program; the blocks add into mix[1:]
            for k in range(bins):
                s = 0.0
                for r in range(rows):
                    s = s + pmf[k, r] * wp[r]
                mixp[k] = s
        if mp != NULL:
            for r in range(rows):
                s = 0.0
                for k in range(bins):
                    s = s + mp[k] * pmf[k, r]
                nodep[r] = s
        r0 = 0
        while r0 + BLOCK <= rows:
            _block(&pmf[0, 0], bins, rows, colp, n, r0, wp, mixp, mp, nodep)
            r0 += BLOCK
        if r0 < rows:
            _tail(&pmf[0, 0], bins, rows, colp, n, r0, rows - r0, wp, mixp, mp, nodep)


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
    const double[:, ::1] a=None,
    const double[:, ::1] bt=None,
):
    """One pass over the grid of list sizes ``f`` (r, s) of :func:`.sizing.size_grid`.

    ``f`` holds the weighted chance that both parts fail on entry, or, given its factors ``a``
    (r, q) and ``bt`` (q, s), is computed here where the pair is allowed (``f[i, j]`` = the sum
    over k of ``a[i, k] * bt[k, j]``, left to right), never stored elsewhere; it becomes P(categorical)
    ``clip(1 - f, 0, 1)``. Sets to -1 the pairs not allowed (the primary list shorter than the
    backup unless it is whole, i < r - 1 and i < j, except at the forced pair itself; or fewer
    than the forced programs), then writes the best value per total size N = i + j into ``g``
    (ties: the smallest i; none above -1: i = 0), the cost ``cost1[i] + cost2[j]`` of that pair
    into ``g_cost`` and its i into ``g_at``. Returns the cheapest pair with ``f >= threshold``
    (ties: the first in row order), or (-1, -1).

    The allowed pairs of row i are one run of columns, so each row is a masked prefix, a
    branch-free pass and a masked suffix. When ``cost2`` never decreases, the first column of
    a row that reaches the threshold is that row's cheapest (later ones cost as much or more,
    and only a cheaper pair displaces an earlier one), so the rest of the row is not searched.
    """
    cdef Py_ssize_t r = f.shape[0], s = f.shape[1], i, jj, nn, lo, hi, big = r + s - 1
    cdef Py_ssize_t q = 0 if a is None else a.shape[1]
    cdef Py_ssize_t done = -1, start  # columns lo .. done of this row already computed
    cdef Py_ssize_t ci = -1, cj = -1
    cdef double c, cheapest = 0.0
    cdef bint first_is_cheapest = threshold > -1.0  # a masked pair (-1) never reaches it
    cdef Py_ssize_t first
    cdef double *row
    cdef Py_ssize_t *at
    if r < 1 or s < 1:
        raise ValueError("f: empty grid")
    if cost1.shape[0] != r or cost2.shape[0] != s:
        raise ValueError("costs: one per row and one per column of f expected")
    if g.shape[0] != big or g_cost.shape[0] != big or g_at.shape[0] != big:
        raise ValueError("outputs: r + s - 1 values expected")
    if (a is None) != (bt is None):
        raise ValueError("a goes with bt")
    if a is not None and (a.shape[0] != r or bt.shape[0] != q or bt.shape[1] != s or q < 1):
        raise ValueError("a / bt: shapes (r, q) and (q, s) with q >= 1 expected")
    at = <Py_ssize_t *> malloc(big * sizeof(Py_ssize_t))
    if at == NULL:
        raise MemoryError()
    with nogil:
        for jj in range(s - 1):
            if not cost2[jj + 1] >= cost2[jj]:
                first_is_cheapest = False
        for nn in range(big):
            g[nn] = -1.0
            at[nn] = 0
        for i in range(r):
            row = &f[i, 0]
            # the allowed run [lo, hi] of row i
            lo = forced2
            hi = -1 if i < forced1 else (s - 1 if i == r - 1 else (i if i < s - 1 else s - 1))
            if i == forced1 and hi < forced2 and forced2 < s:
                hi = forced2  # the forced pair itself
            if hi < lo:
                lo, hi = s, s - 1
            for jj in range(lo):
                row[jj] = -1.0
            for jj in range(hi + 1, s):
                row[jj] = -1.0
            if q and i % GRID_ROWS == 0:
                # rows i .. i + 3 past the forced row and before the whole one: each holds
                # columns lo .. hi of row i at least, computed for the four at once
                done = hi if (i > forced1 and i + GRID_ROWS < r and lo <= hi) else -1
                if done >= 0:
                    _grid_rows(&a[i, 0], &bt[0, 0], q, s, row, GRID_ROWS, lo, hi)
            if q and lo <= hi:
                start = lo if done < lo else done + 1
                if start <= hi:
                    _grid_rows(&a[i, 0], &bt[0, 0], q, s, row, 1, start, hi)
            # a masked pair (-1) never beats g's start (-1): only the run updates it
            first = _pair_row(row, &g[i], &at[i], lo, hi, i, threshold)
            if first_is_cheapest:
                if first <= hi:
                    c = cost1[i] + cost2[first]
                    if ci < 0 or c < cheapest:
                        ci, cj, cheapest = i, first, c
            else:
                for jj in range(s):
                    if row[jj] >= threshold:
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


def mixed_order(
    const double[::1] value,
    const long long[::1] queued,
    Py_ssize_t n0,
    Py_ssize_t n1,
    const double[::1] aim,
    double[::1] counts,
    double keep,
    long long[::1] out,
    Py_ssize_t done,
):
    """The tier-mixing greedy order of :func:`.ordering._mixed_order`, into ``out[done:]``.

    ``queued`` holds the three tier queues one after the other (best value first; ``n0`` reach
    then ``n1`` target programs, the rest safety), ``counts`` (3,) the programs of each tier
    already listed (updated) and ``done`` how many. Each step takes the head of the tier
    furthest below its aimed-for share among the heads within ``keep`` of the best head (then
    the better head; the first tier on a tie), never a reach first while another tier is left.
    """
    cdef Py_ssize_t start[3]
    cdef Py_ssize_t stop[3]
    cdef Py_ssize_t heads[3]
    cdef double head[3]
    cdef bint live[3]
    cdef Py_ssize_t t, pick, left, nlive, step, total_len = queued.shape[0]
    cdef double floor, top, key, best_key = 0.0, best_head = 0.0, total = <double> done
    if aim.shape[0] != 3 or counts.shape[0] != 3:
        raise ValueError("aim / counts: one per tier expected")
    if n0 < 0 or n1 < 0 or n0 + n1 > total_len or out.shape[0] != done + total_len:
        raise ValueError("queued / out: wrong sizes")
    start[0], stop[0] = 0, n0
    start[1], stop[1] = n0, n0 + n1
    start[2], stop[2] = n0 + n1, total_len
    for t in range(3):
        heads[t] = start[t]
        head[t] = 0.0
    with nogil:
        for step in range(total_len):
            nlive = 0
            for t in range(3):
                live[t] = heads[t] < stop[t]
                nlive += live[t]
            if nlive == 1:  # one tier left: the rest of its queue, in order
                for t in range(3):
                    if live[t]:
                        while heads[t] < stop[t]:
                            out[done] = queued[heads[t]]
                            done += 1
                            heads[t] += 1
                break
            if total == 0.0 and (live[1] or live[2]):
                live[0] = False  # never open the list with a reach
            top = 0.0
            left = 0
            for t in range(3):
                if live[t]:
                    head[t] = value[queued[heads[t]]]
                    if left == 0 or head[t] > top:
                        top = head[t]
                    left += 1
            floor = keep * top
            pick = -1
            for t in range(3):
                if live[t] and head[t] >= floor:
                    key = aim[t] * (total + 1.0) - counts[t]
                    if pick < 0 or key > best_key or (key == best_key and head[t] > best_head):
                        pick, best_key, best_head = t, key, head[t]
            out[done] = queued[heads[pick]]
            done += 1
            heads[pick] += 1
            counts[pick] += 1.0
            total += 1.0
    return done


def pmf_quantiles(const double[:, ::1] pmf, const double[::1] levels, double[:, ::1] out):
    """``out[l, i]``: the smallest k with ``cumsum(pmf[i])[k] >= levels[l]`` (0 when none), the
    cumulative sum left to right as ``np.cumsum``; each level's scan stops at its k."""
    cdef Py_ssize_t rows = pmf.shape[0], bins = pmf.shape[1], nl = levels.shape[0]
    cdef Py_ssize_t i, k, l
    cdef double s, level
    cdef const double *row
    if out.shape[0] != nl or out.shape[1] != rows:
        raise ValueError("out: (levels, rows) expected")
    with nogil:
        for i in range(rows):
            row = &pmf[i, 0]
            for l in range(nl):
                level = levels[l]
                out[l, i] = 0.0
                s = 0.0
                for k in range(bins):
                    s = row[k] if k == 0 else s + row[k]
                    if s >= level:
                        out[l, i] = <double> k
                        break
