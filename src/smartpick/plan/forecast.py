"""The forecast: how many interviews a list brings and the chance it ends in a match.

K, the number of interview offers from a list, is a sum of independent Bernoulli variables with
the programs' interview probabilities ``p`` (a Poisson-binomial variable). Its distribution is
computed exactly by dynamic programming (one vectorised update per program), never sampled.

P(match) = Σ_k P(K = k) · M(k), where M(k) is the chance of matching with k programs ranked
(from the model; M(0) = 0, non-decreasing, length kmax + 1). M is extended by its last value
beyond kmax, so only P(K = 0..kmax-1) and the tail P(K ≥ kmax) are needed: the dynamic
programme keeps kmax + 1 bins, the last one absorbing.

The range of a forecast is the 10th to 90th percentile of P(match) over the model's parameter
draws (an 80 % interval), widened if needed so that it contains the point estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.errors import ModelError
from smartpick.frame import FloatArray

__all__ = [
    "INTERVAL",
    "Forecast",
    "forecast",
    "interview_count_distribution",
    "interview_count_distribution_batch",
    "match_curve",
    "match_probability",
]

#: Percentiles of the forecast range (an 80 % interval over parameter draws).
INTERVAL: tuple[float, float] = (10.0, 90.0)
_TOL = 1e-9


@dataclass(frozen=True, eq=False)
class Forecast:
    """P(match) of a list with its range and the expected number of interviews."""

    match_probability: float
    low: float  # 10th percentile over parameter draws (= point without draws)
    high: float  # 90th percentile over parameter draws (= point without draws)
    expected_interviews: float
    expected_interviews_low: float
    expected_interviews_high: float
    draws: int  # number of parameter draws behind the range (0: no range)
    samples: FloatArray | None = None  # P(match) under each draw, shape (draws,)


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


def _pmf(pd: FloatArray, kmax: int | None) -> FloatArray:
    """Poisson-binomial pmf of each row of ``pd`` (d, n) → (d, bins)."""
    d, n = pd.shape
    truncated = kmax is not None and kmax < n
    bins = (kmax + 1) if (kmax is not None and truncated) else n + 1
    pmf = np.zeros((d, bins))
    pmf[:, 0] = 1.0
    for j in range(n):
        q = pd[:, j, None]
        top = min(j + 1, bins - 1)
        moved = pmf[:, :top] * q  # mass moving up one interview from bins 0..top-1
        pmf[:, :top] -= moved
        pmf[:, 1 : top + 1] += moved  # the last bin (when truncated) only gains: absorbing
    if kmax is not None and not truncated and kmax > n:
        pmf = np.pad(pmf, ((0, 0), (0, kmax - n)))
    return pmf


def _check_kmax(kmax: int | None) -> None:
    if kmax is not None and kmax < 0:
        raise ModelError(f"kmax: {kmax} must be ≥ 0")


def interview_count_distribution(p: npt.ArrayLike, *, kmax: int | None = None) -> FloatArray:
    """Exact pmf of the number of interviews K for one list, shape (n + 1,).

    With ``kmax``, shape (kmax + 1,): entries 0..kmax-1 are P(K = k), the last is P(K ≥ kmax).
    """
    _check_kmax(kmax)
    arr = _probabilities(p, "p", 1)
    out: FloatArray = _pmf(arr[None, :], kmax)[0]
    return out


def interview_count_distribution_batch(
    p_draws: npt.ArrayLike, *, kmax: int | None = None
) -> FloatArray:
    """Exact pmf of K for each row of ``p_draws`` (d, n) → (d, n + 1) or (d, kmax + 1)."""
    _check_kmax(kmax)
    return _pmf(_probabilities(p_draws, "p_draws", 2), kmax)


def _expected(pmf: FloatArray, m: FloatArray) -> FloatArray:
    """Σ_k pmf[..., k] · M[..., k] with M extended by its last value; pmf has kmax+1 bins."""
    return np.asarray(np.sum(pmf * m, axis=-1), dtype=np.float64)


def match_probability(p: npt.ArrayLike, m: npt.ArrayLike) -> float:
    """P(match) = Σ_k P(K = k) · M(k) for one list of interview probabilities ``p``."""
    mm = _curve_m(m, "M", 1)
    pmf = interview_count_distribution(p, kmax=len(mm) - 1)
    return float(np.clip(_expected(pmf, mm), 0.0, 1.0))


def match_curve(p: npt.ArrayLike, m: npt.ArrayLike) -> FloatArray:
    """P(match) of every prefix of an ordered list: shape (n + 1,), entry t = first t programs.

    ``p`` may also be (d, n) draws with ``m`` (kmax + 1,) or (d, kmax + 1): result (d, n + 1).
    One pass of the dynamic programme (kmax + 1 bins) gives every prefix.
    """
    pa = np.asarray(p, dtype=np.float64)
    one = pa.ndim == 1
    pd = _probabilities(pa[None, :] if one else pa, "p", 2)
    ma = np.asarray(m, dtype=np.float64)
    md = _curve_m(ma[None, :] if ma.ndim == 1 else ma, "M", 2)
    d, n = pd.shape
    if md.shape[0] not in (1, d):
        raise ModelError(f"M: {md.shape[0]} draws but p has {d}")
    bins = md.shape[1]
    pmf = np.zeros((d, bins))
    pmf[:, 0] = 1.0
    hist = np.empty((n + 1, d, bins))
    hist[0] = pmf
    for j in range(n):
        q = pd[:, j, None]
        top = min(j + 1, bins - 1)
        moved = pmf[:, :top] * q
        pmf[:, :top] -= moved
        pmf[:, 1 : top + 1] += moved
        hist[j + 1] = pmf
    curve = np.clip(np.einsum("tdk,dk->dt", hist, np.broadcast_to(md, (d, bins))), 0.0, 1.0)
    # guard against rounding: adding a program never lowers P(match)
    curve = np.maximum.accumulate(curve, axis=1)
    return np.asarray(curve[0] if one else curve, dtype=np.float64)


def forecast(
    p: npt.ArrayLike,
    m: npt.ArrayLike,
    p_draws: npt.ArrayLike | None = None,
    m_draws: npt.ArrayLike | None = None,
) -> Forecast:
    """Point P(match), its 80 % range over parameter draws, and the expected interviews.

    ``p_draws`` (d, n) and ``m_draws`` (d, kmax + 1) are paired draw by draw; either may be
    omitted (the point estimate is then used for every draw).
    """
    pp = _probabilities(p, "p", 1)
    mm = _curve_m(m, "M", 1)
    kmax = len(mm) - 1
    point = match_probability(pp, mm)
    ek = float(pp.sum())
    if p_draws is None and m_draws is None:
        return Forecast(point, point, point, ek, ek, ek, 0)
    pd = _probabilities(p_draws, "p_draws", 2) if p_draws is not None else pp[None, :]
    md = _curve_m(m_draws, "M_draws", 2) if m_draws is not None else mm[None, :]
    if pd.shape[1] != len(pp):
        raise ModelError(f"p_draws: {pd.shape[1]} programs but p has {len(pp)}")
    if md.shape[1] != len(mm):
        raise ModelError(f"M_draws: {md.shape[1]} values but M has {len(mm)}")
    d = max(pd.shape[0], md.shape[0])
    if {pd.shape[0], md.shape[0]} - {1, d}:
        raise ModelError(f"p_draws has {pd.shape[0]} draws but M_draws has {md.shape[0]}")
    pmf = _pmf(pd, kmax)
    probs = np.clip(_expected(pmf, md), 0.0, 1.0)
    lo, hi = np.percentile(probs, INTERVAL)
    k_lo, k_hi = np.percentile(pd.sum(axis=1), INTERVAL)
    return Forecast(
        match_probability=point,
        low=float(min(lo, point)),
        high=float(max(hi, point)),
        expected_interviews=ek,
        expected_interviews_low=float(min(k_lo, ek)),
        expected_interviews_high=float(max(k_hi, ek)),
        draws=d,
        samples=np.broadcast_to(probs, (d,)).copy(),
    )
