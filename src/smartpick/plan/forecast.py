"""The forecast: how many interviews a list brings and the chance it ends in a match.

Interviews move together. Each program's log-odds ``eta_j`` share the applicant's unobserved
strength ``u ~ N(0, tau^2)`` (:mod:`smartpick.model.strength`): given ``u`` the programs decide
independently, so K, the number of interview offers, is Poisson-binomial given ``u`` with
probabilities ``p_j(u) = expit(eta_j + u)``, and its law is the mixture over ``u``::

    P(K = k) = E_u[ PB(k; p(u)) ],     P(match) = E_u[ Σ_k PB(k; p(u)) M(k) ]

taken on the strength's Gauss-Hermite nodes. Each Poisson-binomial is exact (dynamic
programming, one vectorised update per program, all nodes at once), never sampled. With one node
at ``u = 0`` (``tau = 0``, or a plain 1-D ``p``) this is the independent forecast.

M(k) is the chance of matching with k programs ranked (M(0) = 0, non-decreasing, length
kmax + 1), extended by its last value beyond kmax, so the dynamic programme keeps kmax + 1 bins,
the last one absorbing.

**Ranges.** The range of P(match) is the 10th to 90th percentile of P(match | theta, u) over
the model's parameter draws theta *and* the applicant's strength u (both unknown to us: the
first is our uncertainty about programs, the second about how programs will see this
applicant). The interview interval is the 10th to 90th percentile of K itself under the mixture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.errors import ModelError
from smartpick.frame import FloatArray
from smartpick.plan.kernels import pmf_quantiles as quantiles
from smartpick.plan.kernels import run_programmes

__all__ = [
    "INTERVAL",
    "Curve",
    "Forecast",
    "forecast",
    "interview_count_distribution",
    "match_probability",
    "mixture_curve",
    "pmf_quantile",
    "pmf_quantiles",
    "weighted_percentiles",
]

#: Percentiles of every range (an 80 % interval).
INTERVAL: tuple[float, float] = (10.0, 90.0)
_TOL = 1e-9
_LEVELS = (INTERVAL[0] / 100.0, INTERVAL[1] / 100.0)  # the interval's levels, 0-1


@dataclass(frozen=True, eq=False)
class Forecast:
    """P(match) of a list with its range, and the interviews it brings."""

    match_probability: float
    low: float  # 10th percentile of P(match | theta, u)
    high: float  # 90th percentile of P(match | theta, u)
    expected_interviews: float
    interviews_low: float  # 10th percentile of K
    interviews_high: float  # 90th percentile of K
    draws: int  # number of parameter draws behind the range (0: strength only)
    weights: FloatArray  # (q,) strength-node weights
    nodes: FloatArray  # (q,) P(match | u_q) at the point parameters
    samples: FloatArray | None = None  # (d, r) P(match | theta_d, u_r) on the range's nodes
    sample_weights: FloatArray | None = None  # (r,) weights of the range's strength nodes


@dataclass(frozen=True, eq=False)
class Curve:
    """Every prefix of an ordered list: P(match) and the interviews it brings (n + 1 points)."""

    match_probability: FloatArray  # (n + 1,)
    expected_interviews: FloatArray  # (n + 1,)
    interviews_low: FloatArray  # (n + 1,) 10th percentile of K
    interviews_high: FloatArray  # (n + 1,) 90th percentile of K
    nodes: FloatArray | None = None  # (n + 1, q) P(match | u_q) per prefix, when asked for


def _probabilities(p: npt.ArrayLike, name: str, ndim: int) -> FloatArray:
    arr = np.asarray(p, dtype=np.float64)
    if arr.ndim != ndim:
        raise ModelError(f"{name}: expected a {ndim}-D array, got shape {arr.shape}")
    if arr.size and (not np.all(np.isfinite(arr)) or arr.min() < 0.0 or arr.max() > 1.0):
        raise ModelError(f"{name}: probabilities must be finite and within [0, 1]")
    return arr


def _curve_m(m: npt.ArrayLike, name: str, ndim: int) -> FloatArray:
    arr = _probabilities(m, name, ndim)
    if arr.shape[-1] < 1:
        raise ModelError(f"{name}: needs at least M(0)")
    if np.any(np.diff(arr, axis=-1) < -_TOL):
        raise ModelError(f"{name}: M(k) must not decrease with k")
    return arr


def _weights(w: npt.ArrayLike | None, q: int) -> FloatArray:
    if w is None:
        if q != 1:
            raise ModelError(f"weights: {q} strength nodes need their weights")
        return np.ones(1)
    arr = np.asarray(w, dtype=np.float64)
    if arr.shape != (q,) or not np.all(np.isfinite(arr)) or arr.min() < 0:
        raise ModelError(f"weights: expected {q} non-negative weights, got shape {arr.shape}")
    if abs(arr.sum() - 1.0) > 1e-9:
        raise ModelError("weights: strength-node weights must sum to 1")
    return arr


def _pmf(pd: FloatArray | tuple[FloatArray, ...], kmax: int | None) -> FloatArray:
    """Poisson-binomial pmf of each row of ``pd`` (..., n) → (..., bins).

    The dynamic programme runs bins-major, ``(bins, rows)``: each program's update runs across
    every row of ``pd`` at once (:func:`.kernels.run_programmes`). A tuple of (rows_i, n) arrays
    is their rows stacked (each copied once, straight into the programme's layout).
    """
    if isinstance(pd, tuple):
        n = pd[0].shape[-1]
        lead = [sum(len(b) for b in pd)]
        cols = np.empty((n, lead[0]))  # (n, rows)
        at = 0
        for b in pd:
            cols[:, at : at + len(b)] = b.T
            at += len(b)
    else:
        *lead, n = pd.shape
        cols = np.ascontiguousarray(pd.reshape(math.prod(lead), n).T)  # (n, rows)
    truncated = kmax is not None and kmax < n
    bins = (kmax + 1) if (kmax is not None and truncated) else n + 1
    rows = math.prod(lead)
    pmf = np.zeros((bins, rows))
    pmf[0] = 1.0
    run_programmes(pmf, cols)
    out = np.moveaxis(pmf, 0, -1).reshape(*lead, bins)
    if kmax is not None and not truncated and kmax > n:
        out = np.pad(out, [(0, 0)] * len(lead) + [(0, kmax - n)])
    return np.ascontiguousarray(out)


def _check_kmax(kmax: int | None) -> None:
    if kmax is not None and kmax < 0:
        raise ModelError(f"kmax: {kmax} must be ≥ 0")


def interview_count_distribution(
    p: npt.ArrayLike, *, kmax: int | None = None, weights: npt.ArrayLike | None = None
) -> FloatArray:
    """Exact pmf of the number of interviews K for one list, shape (n + 1,).

    ``p`` is (n,) (independent programs) or (q, n) on strength nodes with ``weights`` (q,).
    With ``kmax``, shape (kmax + 1,): entries 0..kmax-1 are P(K = k), the last is P(K ≥ kmax).
    """
    _check_kmax(kmax)
    arr = np.asarray(p, dtype=np.float64)
    nodes = _probabilities(arr[None, :] if arr.ndim == 1 else arr, "p", 2)
    w = _weights(weights, nodes.shape[0])
    out: FloatArray = w @ _pmf(nodes, kmax)
    return out


def match_probability(
    p: npt.ArrayLike, m: npt.ArrayLike, weights: npt.ArrayLike | None = None
) -> float:
    """P(match) = E_u Σ_k P(K = k | u) · M(k); ``p`` (n,) or (q, n) with ``weights``."""
    mm = _curve_m(m, "M", 1)
    pmf = interview_count_distribution(p, kmax=len(mm) - 1, weights=weights)
    return float(np.clip(pmf @ mm, 0.0, 1.0))


def _prefix_mixture(nodes: FloatArray, w: FloatArray, bins: int) -> FloatArray:
    """The mixture pmf after every prefix: (q, n) nodes → (n + 1, bins), node pmfs not kept."""
    return _prefix_pass(nodes, w, bins, None)[0]


def _prefix_pass(
    nodes: FloatArray, w: FloatArray, bins: int, m: FloatArray | None
) -> tuple[FloatArray, FloatArray | None]:
    """The mixture pmf after every prefix (n + 1, bins) and, with ``m`` (bins,), P(match | u_q)
    after every prefix (n + 1, q): bins-major ``(bins, q)`` buffers, one update per program
    (:func:`.kernels.run_programmes`)."""
    q, n = nodes.shape
    pmf = np.zeros((bins, q))
    pmf[0] = 1.0
    out = np.empty((n + 1, bins))
    per_node = None if m is None else np.empty((n + 1, q))
    mm = None if m is None else np.ascontiguousarray(m)
    run_programmes(pmf, np.ascontiguousarray(nodes.T), np.ascontiguousarray(w), out, mm, per_node)
    return out, per_node


def pmf_quantile(pmf: FloatArray, q: float) -> FloatArray:
    """Smallest k with P(K ≤ k) ≥ q, for each pmf row (..., bins) → (...)."""
    return pmf_quantiles(pmf, (q,))[0]


def pmf_quantiles(pmf: FloatArray, qs: tuple[float, ...] = _LEVELS) -> list[FloatArray]:
    """:func:`pmf_quantile` at each level of ``qs`` (default: the 80 % interval's), from one
    cumulative sum."""
    if pmf.ndim == 2:  # every prefix of a list: one pass (:func:`.kernels.pmf_quantiles`)
        return list(quantiles(pmf, tuple(q - 1e-12 for q in qs)))
    cdf = np.cumsum(pmf, axis=-1)
    return [np.asarray(np.argmax(cdf >= q - 1e-12, axis=-1), dtype=np.float64) for q in qs]


def mixture_curve(
    p_nodes: npt.ArrayLike,
    weights: npt.ArrayLike | None,
    m: npt.ArrayLike,
    *,
    per_node: bool = False,
) -> Curve:
    """Every prefix of an ordered list under the strength mixture.

    ``p_nodes`` is (q, n): interview probabilities at each strength node, programs in list
    order; ``weights`` (q,). P(match) of each prefix, its expected interviews and the 10th /
    90th percentiles of the interview count K (K ≥ kmax counted as kmax). With ``per_node``,
    also P(match | u_q) of each prefix (``Curve.nodes``, clipped to [0, 1]: what
    :func:`.sizing.node_curves` gives), from the same pass.
    """
    pa = np.asarray(p_nodes, dtype=np.float64)
    nodes = _probabilities(pa[None, :] if pa.ndim == 1 else pa, "p", 2)
    w = _weights(weights, nodes.shape[0])
    mm = _curve_m(m, "M", 1)
    mix, at_nodes = _prefix_pass(nodes, w, len(mm), mm if per_node else None)  # (n + 1, bins)
    curve = np.maximum.accumulate(np.clip(mix @ mm, 0.0, 1.0))
    expected = np.concatenate([[0.0], np.cumsum(w @ nodes)])
    k_lo, k_hi = pmf_quantiles(mix)
    return Curve(
        match_probability=np.asarray(curve, dtype=np.float64),
        expected_interviews=expected,
        interviews_low=k_lo,
        interviews_high=k_hi,
        nodes=None if at_nodes is None else np.clip(at_nodes, 0.0, 1.0),
    )


def weighted_percentiles(
    values: npt.ArrayLike, weights: npt.ArrayLike, qs: tuple[float, ...] = INTERVAL
) -> tuple[float, ...]:
    """Percentiles (0-100) of a discrete distribution: the smallest value reaching each level."""
    v = np.asarray(values, dtype=np.float64).ravel()
    w = np.asarray(weights, dtype=np.float64).ravel()
    order = np.argsort(v, kind="stable")
    cdf = np.cumsum(w[order]) / w.sum()
    return tuple(float(v[order][np.argmax(cdf >= q / 100.0 - 1e-12)]) for q in qs)


def forecast(
    p: npt.ArrayLike,
    m: npt.ArrayLike,
    p_draws: npt.ArrayLike | None = None,
    m_draws: npt.ArrayLike | None = None,
    *,
    weights: npt.ArrayLike | None = None,
    draw_weights: npt.ArrayLike | None = None,
) -> Forecast:
    """Point P(match), its 80 % range, and the interviews of one list.

    ``p`` is (n,) for independent programs or (q, n) on the strength nodes with ``weights``.
    ``p_draws`` is (d, n) or (d, r, n) and ``m_draws`` (d, kmax + 1): paired draw by draw;
    either may be omitted (the point estimate is then used for every draw). The draws may sit
    on fewer strength nodes than the point (``draw_weights`` (r,), default ``weights``): the
    range needs less precision than the point, at a fraction of the cost.
    """
    pa = np.asarray(p, dtype=np.float64)
    nodes = _probabilities(pa[None, :] if pa.ndim == 1 else pa, "p", 2)
    q, n = nodes.shape
    w = _weights(weights, q)
    mm = _curve_m(m, "M", 1)
    kmax = len(mm) - 1
    pd: FloatArray | None = None
    if p_draws is not None:
        raw = np.asarray(p_draws, dtype=np.float64)
        pd = _probabilities(raw[:, None, :] if raw.ndim == 2 else raw, "p_draws", 3)
        wd = w if draw_weights is None else _weights(draw_weights, pd.shape[1])
        if pd.shape[2] != n or pd.shape[1] != len(wd):
            raise ModelError(f"p_draws: shape {pd.shape[1:]} per draw but p has {n} programs")
        # one dynamic programme for the point's nodes and every draw's nodes
        both = _pmf((nodes, pd.reshape(pd.shape[0] * pd.shape[1], n)), kmax)
        pmf, pmf_d = both[:q], both[q:].reshape(*pd.shape[:2], kmax + 1)
    else:
        pmf = _pmf(nodes, kmax)  # (q, bins)
    node_p = np.clip(pmf @ mm, 0.0, 1.0)
    point = float(np.clip(w @ node_p, 0.0, 1.0))
    mix = w @ pmf
    ek = float(w @ nodes.sum(axis=1))
    k_lo, k_hi = (float(k) for k in pmf_quantiles(mix))
    if p_draws is None and m_draws is None:
        lo, hi = weighted_percentiles(node_p, w)
        return Forecast(point, min(lo, point), max(hi, point), ek, k_lo, k_hi, 0, w, node_p, None)
    if pd is None:  # the point's nodes for every draw of M
        pd, wd, pmf_d = nodes[None], w, pmf[None]
    md = _curve_m(m_draws, "M_draws", 2) if m_draws is not None else mm[None, :]
    q = pd.shape[1]
    if md.shape[1] != len(mm):
        raise ModelError(f"M_draws: {md.shape[1]} values but M has {len(mm)}")
    d = max(pd.shape[0], md.shape[0])
    if {pd.shape[0], md.shape[0]} - {1, d}:
        raise ModelError(f"p_draws has {pd.shape[0]} draws but M_draws has {md.shape[0]}")
    probs = np.clip(
        np.einsum(
            "dqk,dk->dq",
            np.broadcast_to(pmf_d, (d, q, kmax + 1)),
            np.broadcast_to(md, (d, kmax + 1)),
        ),
        0.0,
        1.0,
    )
    lo, hi = weighted_percentiles(probs, np.broadcast_to(wd / d, (d, q)))
    mix_d = np.einsum("dqk,q->k", np.broadcast_to(pmf_d, (d, q, kmax + 1)), wd) / d
    k_lo, k_hi = (float(k) for k in pmf_quantiles(mix_d))
    return Forecast(
        match_probability=point,
        low=float(min(lo, point)),
        high=float(max(hi, point)),
        expected_interviews=ek,
        interviews_low=min(k_lo, ek),
        interviews_high=max(k_hi, ek),
        draws=d,
        weights=w,
        nodes=node_p,
        samples=probs,
        sample_weights=wd,
    )
