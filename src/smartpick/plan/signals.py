"""The signal allocator: which listed programs get which kind of signal, to maximise P(match).

A signal of kind k at program j shifts its interview log-odds by ``delta_jk`` at every strength
node (:mod:`smartpick.model.signal_effect`). P(match | u) is affine in each program's
probability: with ``K_-j`` the interviews from the other programs,

    P(match | u) = E[M(K_-j)] + p_j(u) · E[M(K_-j + 1) - M(K_-j) | u] = A_j(u) + p_j(u) B_j(u),

so signalling j with kind k adds exactly ``E_u[(p_jk(u) - p_j(u)) B_j(u)]``. ``B_j(u)`` comes
for every j at once from the probability generating function on ``N`` roots of unity (N odd,
N > n, so no root is -1 and no factor ``1 - p + p z`` vanishes):
``B_j(u) = Re Σ_m G(z_m | u) / (1 - p_j(u) + p_j(u) z_m) · h_m`` with ``G = Π_i (1 - p_i + p_i z)``
and ``h = FFT(ΔM) / N`` (exact, no truncation: M is extended by its last value).

**Greedy with re-evaluation.** Each step gives the signal with the largest exact gain given
the signals already placed (ties: the earlier program in list order, then gold before silver
before signal), then re-evaluates every gain. A program gets at most one signal, so a gold and
a silver never share a program; ERAS signals go to programs, not NRMP tracks, so the tracks of
one program (``groups``: the same institution and specialty code) share one signal, which
counts at the track it is placed on only (conservative); signals go only to listed programs;
every signal is used while a program is left (a signal never lowers the odds). A last pass
moves any signal to an unsignalled program while that raises P(match) (each signal is lifted
and put back where it gains most, given the others), at most three passes; then two signals of
different kinds swap programs while that raises P(match); and the rule of thumb ("signal your
top programs", :func:`top_allocation`) is kept instead when it does better. Deterministic.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.errors import ModelError
from smartpick.frame import FloatArray, IntArray
from smartpick.model.signal_effect import KINDS
from smartpick.model.strength import Strength
from smartpick.plan.forecast import match_probability
from smartpick.plan.optimise import RANGE_NODES
from smartpick.plan.signal_gains import COMPILED, Gains, gains_of

__all__ = [
    "Allocation",
    "allocate",
    "allocation_probability",
    "random_allocation",
    "top_allocation",
]

_MAX_PASSES = 3
_KNOWN = frozenset(KINDS)


@dataclass(frozen=True, eq=False)
class Allocation:
    """Signals over a list: ``kind[j]`` indexes :data:`KINDS` (-1: no signal)."""

    kind: IntArray  # (n,)
    delta: FloatArray  # (n,) log-odds shift applied (0 where no signal)

    def kinds(self) -> list[str | None]:
        """The kind name of each program's signal (None: no signal)."""
        return [KINDS[k] if k >= 0 else None for k in self.kind.tolist()]


def _check(
    eta: npt.ArrayLike, effects: npt.ArrayLike, counts: Mapping[str, int]
) -> tuple[FloatArray, FloatArray, IntArray]:
    e = np.asarray(eta, dtype=np.float64)
    d = np.asarray(effects, dtype=np.float64)
    if e.ndim != 1 or d.shape != (len(e), len(KINDS)):
        raise ModelError(f"effects: expected shape ({len(e)}, {len(KINDS)}), got {d.shape}")
    # one reduction each: a nan or an infinity shows in d's min or max, a nan in eta's sum
    valid = d.size == 0 or (d.min() >= 0.0 and np.isfinite(d.max()))
    if not valid or (np.isnan(e.sum()) and np.isnan(e).any()):
        raise ModelError("effects must be finite and >= 0, eta not nan")
    unknown = counts.keys() - _KNOWN
    if unknown or any(int(v) < 0 for v in counts.values()):
        raise ModelError(f"counts: kinds {sorted(unknown)} unknown or negative counts")
    return e, d, np.array([int(counts.get(k, 0)) for k in KINDS], dtype=np.int64)


def _from_kinds(kind: IntArray, d: FloatArray) -> Allocation:
    at = np.flatnonzero(kind >= 0)
    delta = np.zeros(len(kind))
    delta[at] = d[at, kind[at]]
    return Allocation(kind.astype(np.int64), delta)


def allocation_probability(
    eta: npt.ArrayLike, strength: Strength, m: npt.ArrayLike, alloc: Allocation
) -> float:
    """P(match) of the list with the allocation's signals (exact Poisson-binomial)."""
    e = np.asarray(eta, dtype=np.float64) + alloc.delta
    return match_probability(strength.probabilities(e), m, strength.w)


def allocate(
    eta: npt.ArrayLike,
    strength: Strength,
    m: npt.ArrayLike,
    effects: npt.ArrayLike,
    counts: Mapping[str, int],
    groups: npt.ArrayLike | None = None,
    *,
    compiled: bool = COMPILED,
) -> Allocation:
    """The signals for a list: ``eta`` (n,) log-odds of the listed programs at strength 0,
    ``effects`` (n, 3) each kind's log-odds shift, ``counts`` signals per kind; ``groups``
    (n,) labels the NRMP tracks of one ERAS program (one signal per group; default: each
    program its own). ``compiled=False``: the NumPy gains (the same result, slower)."""
    e, d, left = _check(eta, effects, counts)
    n = len(e)
    grp = _groups(groups, n)
    kind = np.full(n, -1, dtype=np.int64)
    if n == 0 or not left.any():
        return _from_kinds(kind, d)
    left0 = left.tolist()
    # the rule of thumb is a candidate too, so the result is never worse than it
    top = _top_kinds(strength.marginal(e), left)
    mm = np.asarray(m, dtype=np.float64)
    # the state lives only in this call: it may use the thread's scratch memory
    g = gains_of(e, d, _coarse(strength.tau), mm, compiled=compiled, reuse=True)
    g.place_signals(kind, grp, left, _MAX_PASSES)
    if sum(a != b for a, b in zip(left0, left.tolist(), strict=True)) > 1:
        _swap_kinds(g, kind)  # signals of more than one kind were placed
    ours = _from_kinds(kind, d)
    if np.array_equal(top, kind):
        return ours
    held = grp[top >= 0].tolist()
    if len(set(held)) == len(held):  # the rule of thumb keeps one signal per group
        rule = _from_kinds(top, d)
        if allocation_probability(e, strength, mm, rule) > allocation_probability(
            e, strength, mm, ours
        ):
            return rule
    return ours


@functools.lru_cache(maxsize=16)
def _coarse(tau: float) -> Strength:
    """The ranking's strength nodes (:data:`RANGE_NODES`) for ``tau`` (results use all nodes);
    keyed by tau, shared read-only."""
    return Strength.of(tau, RANGE_NODES)


def _swap_kinds(g: Gains, kind: IntArray) -> None:
    """Swap the kinds of two signalled programs (a gold for a silver) while that raises
    P(match): single moves cannot, and the greedy order can leave a gold where a silver does as
    well. At most :data:`_MAX_PASSES` passes over the pairs in order, each pair tried given the
    swaps made before it; in place (``kind`` and ``g``).

    Every pair's P(match) comes from ``g``'s generating function with the two factors replaced
    (exact up to rounding, about 1e-15, far below the 1e-13 a swap must gain): the pairs left
    in a pass are evaluated at once, the first that gains is made, and the rest re-evaluated.
    """
    best = float(g.values(g.total))
    placed = np.flatnonzero(kind >= 0)
    ia, ib = _pairs(len(placed))
    a_all, b_all = placed[ia], placed[ib]
    for _ in range(_MAX_PASSES):
        swapped = False
        start = 0
        while start < len(a_all):
            a, b = a_all[start:], b_all[start:]
            differ = np.flatnonzero(kind[a] != kind[b])
            if not len(differ):
                break
            a, b = a[differ], b[differ]
            value = g.swap_values(a, b, kind)
            better = np.flatnonzero(value > best + 1e-13)
            if not len(better):
                break
            t = int(better[0])
            ja, jb = int(a[t]), int(b[t])
            kind[ja], kind[jb] = kind[jb], kind[ja]
            g.set_kind(ja, int(kind[ja]))
            g.set_kind(jb, int(kind[jb]))
            best, swapped = float(value[t]), True
            start += int(differ[t]) + 1
        if not swapped:
            break


@functools.lru_cache(maxsize=64)
def _pairs(count: int) -> tuple[IntArray, IntArray]:
    """Every pair ``i < j`` of ``count`` items in order (``np.triu_indices(count, 1)``), keyed
    by the count; read-only."""
    out = np.triu_indices(count, 1)
    for x in out:
        x.flags.writeable = False
    return out[0], out[1]


def _groups(groups: npt.ArrayLike | None, n: int) -> IntArray:
    """Group labels in 0..n-1, equal where ``groups`` are (only equality matters to the rules)."""
    if groups is None:
        return np.arange(n, dtype=np.int64)
    if isinstance(groups, list | tuple) and set(map(type, groups)) == {str}:
        # each label the position of its first appearance (0..n-1): no sort needed
        first: dict[str, int] = {}
        inv = np.fromiter(
            map(first.setdefault, groups, itertools.count()), dtype=np.int64, count=len(groups)
        )
    else:
        _, inv = np.unique(np.asarray(groups), return_inverse=True)
    if len(inv) != n:
        raise ModelError(f"groups: expected {n} labels, got {len(inv)}")
    return np.asarray(inv, dtype=np.int64)


def top_allocation(
    p: npt.ArrayLike, effects: npt.ArrayLike, counts: Mapping[str, int]
) -> Allocation:
    """Baseline: the strongest kind to the programs with the highest interview chance, the
    next kind to the next ones (the rule of thumb "signal your top programs")."""
    pa = np.asarray(p, dtype=np.float64)
    _, d, left = _check(np.zeros(len(pa)), effects, counts)
    return _top(pa, d, left)


def _top(pa: FloatArray, d: FloatArray, left: IntArray) -> Allocation:
    """:func:`top_allocation` of checked inputs (``left`` signals per kind)."""
    return _from_kinds(_top_kinds(pa, left), d)


def _top_kinds(pa: FloatArray, left: IntArray) -> IntArray:
    """The kinds of :func:`_top`."""
    kind = np.full(len(pa), -1, dtype=np.int64)
    order = np.argsort(-pa, kind="stable")  # ties: the earlier program
    slots = np.repeat(np.arange(len(KINDS)), left)[: len(pa)]
    kind[order[: len(slots)]] = slots
    return kind


def random_allocation(
    n: int, effects: npt.ArrayLike, counts: Mapping[str, int], rng: np.random.Generator
) -> Allocation:
    """Baseline: every signal to a random listed program (one per program)."""
    _, d, left = _check(np.zeros(n), effects, counts)
    kind = np.full(n, -1, dtype=np.int64)
    slots = np.repeat(np.arange(len(KINDS)), left)[:n]
    kind[rng.permutation(n)[: len(slots)]] = slots
    return _from_kinds(kind, d)
