"""Reference implementations kept as test oracles for the fast paths (issue 8, Measure).

These are the planner's kernels exactly as they were before the speed work: the Poisson-binomial
dynamic programme row-major with a branch per step, the prefix mixture with a ``w @ pmf`` per
program, and the tier-mixing greedy order with a dict of heads and ``max(key=...)`` per pick.
``tests/plan/test_equivalence.py`` checks that the fast versions give the same numbers.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray, IntArray
from smartpick.plan.optimise import PlanOptions


def reference_pmf(pd: FloatArray, kmax: int | None) -> FloatArray:
    """Poisson-binomial pmf of each row of ``pd`` (..., n) → (..., bins)."""
    *lead, n = pd.shape
    truncated = kmax is not None and kmax < n
    bins = (kmax + 1) if (kmax is not None and truncated) else n + 1
    pmf = np.zeros((*lead, bins))
    pmf[..., 0] = 1.0
    cols = np.ascontiguousarray(np.moveaxis(pd, -1, 0)[..., None])  # (n, ..., 1)
    tmp = np.empty((*lead, bins - 1))
    lo, hi = pmf[..., : bins - 1], pmf[..., 1:]
    for j in range(n):
        top = min(j + 1, bins - 1)
        if top < bins - 1:
            moved = pmf[..., :top] * cols[j]
            pmf[..., :top] -= moved
            pmf[..., 1 : top + 1] += moved
        else:
            np.multiply(lo, cols[j], out=tmp)
            np.subtract(lo, tmp, out=lo)
            np.add(hi, tmp, out=hi)
    if kmax is not None and not truncated and kmax > n:
        pmf = np.pad(pmf, [(0, 0)] * len(lead) + [(0, kmax - n)])
    return pmf


def reference_prefix_mixture(nodes: FloatArray, w: FloatArray, bins: int) -> FloatArray:
    """The mixture pmf after every prefix: (q, n) nodes → (n + 1, bins)."""
    q, n = nodes.shape
    pmf = np.zeros((q, bins))
    pmf[:, 0] = 1.0
    out = np.empty((n + 1, bins))
    np.dot(w, pmf, out=out[0])
    cols = np.ascontiguousarray(nodes.T[:, :, None])  # (n, q, 1)
    tmp = np.empty((q, bins - 1))
    lo, hi = pmf[:, : bins - 1], pmf[:, 1:]
    for j in range(n):
        top = j + 1
        if top < bins - 1:
            moved = pmf[:, :top] * cols[j]
            pmf[:, :top] -= moved
            pmf[:, 1 : top + 1] += moved
        else:
            np.multiply(lo, cols[j], out=tmp)
            np.subtract(lo, tmp, out=lo)
            np.add(hi, tmp, out=hi)
        np.dot(w, pmf, out=out[j + 1])
    return out


def reference_mixed_order(
    value: FloatArray,
    codes: npt.NDArray[np.int8],
    start: IntArray,
    pool: IntArray,
    options: PlanOptions,
) -> IntArray:
    """Greedy order of ``pool`` after the forced ``start`` programs."""
    aim = options.mix.aim()
    counts = np.bincount(codes[start], minlength=3).astype(np.float64)
    queues: list[list[int]] = []
    for t in range(3):
        members = pool[codes[pool] == t]
        ranked = members[np.lexsort((members, -value[members]))]
        queues.append(ranked.tolist())
    heads = [0, 0, 0]
    out: list[int] = start.tolist()
    keep = 1.0 - options.mix_tolerance
    total = float(len(out))
    vals = value.tolist()
    for _ in range(len(pool)):
        live = [t for t in range(3) if heads[t] < len(queues[t])]
        if total == 0 and (1 in live or 2 in live):
            live = [t for t in live if t != 0]
        head = {t: vals[queues[t][heads[t]]] for t in live}
        floor = keep * max(head.values())
        pick = max(
            (t for t in live if head[t] >= floor),
            key=lambda t: (aim[t] * (total + 1.0) - counts[t], head[t]),
        )
        out.append(queues[pick][heads[pick]])
        heads[pick] += 1
        counts[pick] += 1.0
        total += 1.0
    return np.asarray(out, dtype=np.int64)
