"""The planner's inner loops: compiled when the extension is built, NumPy otherwise.

These loops carry most of a plan's work: the Poisson-binomial dynamic programme (one update per
program over every strength node and parameter draw, :mod:`.forecast`, :mod:`.sizing`), the best
pair of list sizes per total size (:mod:`.sizing`), the tier-mixing greedy order
(:mod:`.ordering`) and the interview quantiles of every prefix of a list (:mod:`.forecast`).
``pip install`` builds them from ``_kernels.pyx`` and ``_kernels_dp.h`` (Cython, setuptools
``ext-modules``); without a C compiler the install still
succeeds and these NumPy versions run instead, the same numbers more slowly (said once on
stderr). ``SMARTPICK_PURE_KERNELS=1`` forces the NumPy versions (tests compare the two).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np

from smartpick.frame import FloatArray, IntArray

__all__ = [
    "COMPILED",
    "grid_product",
    "mixed_order",
    "pair_scan",
    "pmf_quantiles",
    "run_programmes",
]


def _load() -> Any:
    if os.environ.get("SMARTPICK_PURE_KERNELS") == "1":
        return None
    try:
        from smartpick.plan import _kernels  # type: ignore[attr-defined]
    except ImportError:
        sys.stderr.write(
            "smartpick: the compiled planner kernels are not built (no C compiler at install?);"
            " using the NumPy versions: the same results, several times slower.\n"
        )
        return None
    return _kernels


_compiled = _load()
#: True when the compiled kernels are in use.
COMPILED: bool = _compiled is not None


def run_programmes(
    pmf: FloatArray,
    cols: FloatArray,
    w: FloatArray | None = None,
    mix: FloatArray | None = None,
    m: FloatArray | None = None,
    node: FloatArray | None = None,
) -> None:
    """Add the programs ``cols`` (n, rows) one by one to ``pmf`` (bins, rows), in place.

    Program j moves ``pmf[k] * p_j`` from bin k to bin k + 1; the last bin absorbs (K ≥ kmax).
    With ``w`` (rows,) and ``mix`` (n + 1, bins), ``mix[j]`` receives the mixture ``pmf @ w``
    after the first j programs; with ``m`` (bins,) and ``node`` (n + 1, rows), ``node[j]``
    receives ``m @ pmf`` (P(match) per row). Every array C-contiguous float64; ``pmf`` holds
    its mass in bin 0 on entry.
    """
    if _compiled is not None:
        _compiled.run_programmes(pmf, cols, w, mix, m, node)
    else:
        _numpy_run_programmes(pmf, cols, w, mix, m, node)


def _numpy_run_programmes(
    pmf: FloatArray,
    cols: FloatArray,
    w: FloatArray | None,
    mix: FloatArray | None,
    m: FloatArray | None,
    node: FloatArray | None,
) -> None:
    """NumPy version of :func:`run_programmes`: before program ``bins - 2`` only the lowest
    ``j + 1`` bins hold mass, so the update runs on them; from there on on fixed views."""
    bins = pmf.shape[0]
    n = cols.shape[0]
    tmp = np.empty((bins - 1, pmf.shape[1]))

    def summarise(j: int) -> None:
        if w is not None and mix is not None:
            np.dot(pmf, w, out=mix[j])
        if m is not None and node is not None:
            np.dot(m, pmf, out=node[j])

    summarise(0)
    early = max(0, min(n, bins - 2))
    for j in range(early):
        moved = tmp[: j + 1]
        np.multiply(pmf[: j + 1], cols[j], out=moved)
        pmf[: j + 1] -= moved
        pmf[1 : j + 2] += moved
        summarise(j + 1)
    lo, hi = pmf[:-1], pmf[1:]
    for j in range(early, n):
        np.multiply(lo, cols[j], out=tmp)
        np.subtract(lo, tmp, out=lo)
        np.add(hi, tmp, out=hi)
        summarise(j + 1)


def pair_scan(
    f: FloatArray,
    cost1: FloatArray,
    cost2: FloatArray,
    forced: tuple[int, int],
    threshold: float,
    factors: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[int, int] | None]:
    """One pass over the grid ``f`` (r, s) of P(categorical) per pair of list sizes, in place.

    ``f`` holds the weighted chance that both parts fail on entry and P(categorical)
    ``clip(1 - f, 0, 1)`` on return. Given its ``factors`` ``a`` (r, q) and ``bt`` (q, s), ``f``
    need not be filled on entry: it is their product (:func:`grid_product`; the compiled
    kernel computes only the allowed pairs, in the same order). Sets to -1 the pairs not allowed
    (:func:`.sizing.allowed_pairs`, except the ``forced`` pair itself, and fewer than the
    ``forced`` programs of either part);
    returns the best value per total size N = i + j
    (anti-diagonals; ties: the smallest i; all -1: i = 0), the cost ``cost1[i] + cost2[j]`` of
    that pair, its i, and the cheapest pair with ``f >= threshold`` (ties: the first in row
    order; None when none reaches it).
    """
    r, s = f.shape
    if _compiled is not None:
        g, g_cost, g_at = np.empty(r + s - 1), np.empty(r + s - 1), np.empty(r + s - 1)
        c1 = np.ascontiguousarray(cost1, dtype=np.float64)
        c2 = np.ascontiguousarray(cost2, dtype=np.float64)
        a, bt = (None, None) if factors is None else factors
        ci, cj = _compiled.pair_scan(
            f, c1, c2, forced[0], forced[1], threshold, g, g_cost, g_at, a, bt
        )
        return g, g_cost, g_at, (None if ci < 0 else (int(ci), int(cj)))
    if factors is not None:
        f[...] = grid_product(*factors)
    return _numpy_pair_scan(f, cost1, cost2, forced, threshold)


def grid_product(a: FloatArray, bt: FloatArray) -> FloatArray:
    """(r, s) ``a @ bt`` for ``a`` (r, q) and ``bt`` (q, s), each sum added left to right
    (k = 0 first) with every product and sum rounded on its own: what the compiled
    :func:`pair_scan` computes from its factors (BLAS adds in an order of its own)."""
    f = a[:, :1] * bt[:1, :]
    for k in range(1, a.shape[1]):
        f += a[:, k : k + 1] * bt[k : k + 1, :]
    return f


def _numpy_pair_scan(
    f: FloatArray, cost1: FloatArray, cost2: FloatArray, forced: tuple[int, int], threshold: float
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[int, int] | None]:
    """NumPy version of :func:`pair_scan`: the grid sheared so that anti-diagonals are columns."""
    r, s = f.shape
    np.subtract(1.0, f, out=f)
    np.clip(f, 0.0, 1.0, out=f)
    n1 = np.arange(r)[:, None]
    n2 = np.arange(s)[None, :]
    allowed = (n1 >= n2) | (n1 == r - 1)  # the chosen specialty first ...
    if forced[0] < r and forced[1] < s:
        allowed[forced] = True  # ... unless the applicant's own programs say otherwise
    f[~allowed] = -1.0
    f[: forced[0], :] = -1.0  # forced programs always stay
    f[:, : forced[1]] = -1.0
    cost = cost1[:, None] + cost2[None, :]
    sheared = np.full((r, r + s - 1), -1.0)
    for i in range(r):
        sheared[i, i : i + s] = f[i]
    best_i = np.argmax(sheared, axis=0)
    n_all = np.arange(r + s - 1)
    g = sheared[best_i, n_all]
    g_cost = cost[best_i, np.clip(n_all - best_i, 0, s - 1)]
    reach = f >= threshold
    cheapest = None
    if reach.any():
        at = np.unravel_index(int(np.argmin(np.where(reach, cost, np.inf))), f.shape)
        cheapest = (int(at[0]), int(at[1]))
    return g, g_cost, best_i.astype(np.float64), cheapest


def mixed_order(
    value: FloatArray,
    queues: tuple[IntArray, IntArray, IntArray],
    counts: FloatArray,
    aim: FloatArray,
    keep: float,
    start: IntArray,
) -> IntArray:
    """The forced ``start`` programs, then the greedy tier-mixing order of the three tier
    ``queues`` (reach, target, safety; each best ``value`` first), see :mod:`.ordering`.

    ``counts`` (3,) are the programs of each tier among ``start``. Each step compares the tier
    heads within ``keep`` of the best head: the tier furthest below its aimed-for share
    ``aim[t] * (size + 1) - count[t]``, then the better head, the first tier on a tie; never a
    reach first while another tier has programs.
    """
    if _compiled is not None:
        queued = np.ascontiguousarray(np.concatenate(queues), dtype=np.int64)
        out = np.empty(len(start) + len(queued), dtype=np.int64)
        out[: len(start)] = start
        c = np.array(counts, dtype=np.float64)
        _compiled.mixed_order(
            np.ascontiguousarray(value, dtype=np.float64),
            queued,
            len(queues[0]),
            len(queues[1]),
            np.ascontiguousarray(aim, dtype=np.float64),
            c,
            float(keep),
            out,
            len(start),
        )
        return out
    return _python_mixed_order(value, queues, counts, aim, keep, start)


def _python_mixed_order(
    value: FloatArray,
    queues: tuple[IntArray, IntArray, IntArray],
    counts: FloatArray,
    aim: FloatArray,
    keep: float,
    start: IntArray,
) -> IntArray:
    """Python version of :func:`mixed_order`: each step compares only the heads of the tier
    queues (plain Python floats); once a single tier has programs left, its queue is the rest."""
    tier_aim = [float(a) for a in aim]
    have = [float(c) for c in counts]
    vals = value.tolist()
    lists = [q.tolist() for q in queues]
    heads = [0, 0, 0]
    out: list[int] = start.tolist()
    total = float(len(out))
    for _ in range(sum(len(q) for q in lists)):
        live = [t for t in range(3) if heads[t] < len(lists[t])]
        if len(live) == 1:
            out.extend(lists[live[0]][heads[live[0]] :])
            break
        if total == 0 and (1 in live or 2 in live):
            live = [t for t in live if t != 0]  # never open the list with a reach
        head = [vals[lists[t][heads[t]]] for t in live]
        floor = keep * max(head)
        pick, best = -1, (0.0, 0.0)
        for t, h in zip(live, head, strict=True):
            # the tier furthest below its aimed-for share, then the better head (first wins)
            key = (tier_aim[t] * (total + 1.0) - have[t], h)
            if h >= floor and (pick < 0 or key > best):
                pick, best = t, key
        out.append(lists[pick][heads[pick]])
        heads[pick] += 1
        have[pick] += 1.0
        total += 1.0
    return np.asarray(out, dtype=np.int64)


def pmf_quantiles(pmf: FloatArray, levels: tuple[float, ...]) -> FloatArray:
    """(len(levels), rows): for each row of ``pmf`` (rows, bins), the smallest k with
    ``cumsum(pmf)[k] >= level`` (0 when none; ``argmax`` of the comparison)."""
    if _compiled is not None and pmf.ndim == 2:
        out = np.empty((len(levels), pmf.shape[0]))
        _compiled.pmf_quantiles(
            np.ascontiguousarray(pmf, dtype=np.float64), np.asarray(levels, dtype=np.float64), out
        )
        return out
    cdf = np.cumsum(pmf, axis=-1)
    return np.asarray([np.argmax(cdf >= q, axis=-1) for q in levels], dtype=np.float64)
