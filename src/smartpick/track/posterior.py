"""Bayes' rule on the applicant's strength from what happened so far, and the updated forecast.

The forecast integrates over the applicant's unobserved strength ``u`` on nodes ``u_q`` with
weights ``w_q`` (:mod:`smartpick.model.strength`); given ``u`` the programs decide
independently, with ``p_j(u) = expit(eta_j + u)``. What the applicant has seen is evidence on
``u``::

    w'_q  ∝  w_q · Π_invited p_j(u_q) · Π_rejected (1 − p_j(u_q)) · Π_silent (1 − s_j p_j(u_q))

where ``s_j`` is the share of program j's invitations already sent (:mod:`.timing`): a
program still silent after it sent a share s of its invitations has, given u, the chance
``1 − s p`` of that silence, and the chance ``p (1 − s) / (1 − s p)`` of inviting later. A
program applied to late, after a share g of its invitations went out, keeps ``(1 − g) p``.
Invited programs count as interviews (probability 1), rejected and withdrawn ones drop out (0),
and the rest keep their conditional chance; P(match) is the same Poisson-binomial mixture as the
plan's forecast, with the posterior weights. Parameter draws (``eta_draws``) get their own
posterior on the range's nodes, so the range carries both uncertainties as the plan's does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray
from smartpick.model.strength import Strength
from smartpick.plan.forecast import (
    INTERVAL,
    forecast,
    interview_count_distribution,
    pmf_quantile,
    weighted_percentiles,
)
from smartpick.plan.optimise import RANGE_NODES

__all__ = [
    "INVITED",
    "OUT",
    "PENDING",
    "Evidence",
    "PartEvidence",
    "Updated",
    "node_likelihood",
    "posterior_weights",
    "update",
]

#: A program's state for the forecast: still open, an interview in hand, or out of the race.
PENDING, INVITED, OUT = 0, 1, 2


@dataclass(frozen=True, eq=False)
class Evidence:
    """What was seen at each program of a list (arrays of the same length n).

    ``state``: PENDING / INVITED / OUT for the forecast. ``invited`` / ``rejected``: evidence of
    an invitation (also for one later withdrawn) / of a rejection. ``silent``: the share of the
    program's invitations already sent while it said nothing (0 = no information yet).
    """

    state: npt.NDArray[np.int8]
    invited: npt.NDArray[np.bool_]
    rejected: npt.NDArray[np.bool_]
    silent: FloatArray
    late: FloatArray | None = None  # share of invitations gone before a late application

    @classmethod
    def none(cls, n: int) -> Evidence:
        """Nothing has happened at n programs."""
        return cls(np.zeros(n, dtype=np.int8), np.zeros(n, bool), np.zeros(n, bool), np.zeros(n))


@dataclass(frozen=True, eq=False)
class PartEvidence:
    """One part of the portfolio: its listed programs' log-odds, M(k) and evidence."""

    eta: FloatArray  # (n,) log-odds at u = 0
    m: FloatArray  # (kmax + 1,)
    evidence: Evidence
    categorical: bool = True  # counts toward the headline (primary / backup)
    eta_draws: FloatArray | None = None  # (d, n)
    m_draws: FloatArray | None = None  # (d, kmax + 1)


@dataclass(frozen=True, eq=False)
class Updated:
    """The forecast after the evidence."""

    match_probability: float  # categorical parts (the plan's headline)
    low: float
    high: float
    match_probability_any: float  # every part (with a preliminary year)
    expected_interviews: float  # received + expected from the programs still open
    interviews_low: float
    interviews_high: float
    received: int  # interviews in hand
    chances: tuple[FloatArray, ...]  # per part (n,): updated interview chance
    chances_low: tuple[FloatArray, ...]
    chances_high: tuple[FloatArray, ...]
    weights: FloatArray  # (q,) posterior strength weights


def node_likelihood(p: FloatArray, ev: Evidence) -> FloatArray:
    """log P(evidence | u) at each node: ``p`` (..., q, n) → (..., q)."""
    with np.errstate(divide="ignore"):
        terms = np.where(ev.invited, np.log(p), 0.0)
        terms = terms + np.where(ev.rejected, np.log1p(-p), 0.0)
        quiet = (ev.silent > 0) & ~ev.invited & ~ev.rejected
        terms = terms + np.where(quiet, np.log1p(-ev.silent * p), 0.0)
    out: FloatArray = terms.sum(axis=-1)
    return out


def posterior_weights(prior: FloatArray, log_lik: FloatArray) -> FloatArray:
    """``prior × exp(log_lik)``, normalised along the last axis (stable in the log domain)."""
    with np.errstate(divide="ignore"):
        lw = np.log(prior) + log_lik
    top = np.max(lw, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    raw = np.exp(lw - top)
    total = raw.sum(axis=-1, keepdims=True)
    out: FloatArray = np.where(total > 0, raw / np.where(total > 0, total, 1.0), prior)
    return out


def _open_chance(p: FloatArray, ev: Evidence) -> FloatArray:
    """Each program's chance of an interview given u and the evidence: (..., q, n)."""
    s = np.where(ev.state == PENDING, ev.silent, 0.0)
    later = p * (1.0 - s) / np.maximum(1.0 - s * p, 1e-300)
    if ev.late is not None:
        later = later * (1.0 - ev.late)
    return np.where(ev.state == INVITED, 1.0, np.where(ev.state == OUT, 0.0, later))


def _either(values: list[FloatArray]) -> FloatArray:
    """1 − Π(1 − P) over parts, elementwise."""
    miss = np.ones_like(values[0])
    for v in values:
        miss = miss * (1.0 - v)
    return 1.0 - miss


def _exact(chance: FloatArray, ev: Evidence) -> FloatArray:
    """Invited programs at exactly 1 and programs out at exactly 0 (no rounding of weights)."""
    return np.where(ev.state == INVITED, 1.0, np.where(ev.state == OUT, 0.0, chance))


def _point(parts: list[PartEvidence], st: Strength) -> tuple[FloatArray, list[FloatArray]]:
    """Posterior node weights and each part's (q, n) open chances at the point parameters."""
    ll = sum(
        (node_likelihood(st.probabilities(pt.eta), pt.evidence) for pt in parts),
        np.zeros(len(st)),
    )
    w = posterior_weights(st.w, ll)
    chances = [_open_chance(st.probabilities(pt.eta), pt.evidence) for pt in parts]
    return w, chances


def update(parts: list[PartEvidence], strength: Strength) -> Updated:
    """The forecast of the parts' lists after their evidence (see the module docstring)."""
    parts = [pt for pt in parts if len(pt.eta)] or [
        PartEvidence(np.zeros(0), np.zeros(1), Evidence.none(0))
    ]
    w, chances = _point(parts, strength)
    at_nodes = [forecast(c, pt.m, weights=w).nodes for c, pt in zip(chances, parts, strict=True)]
    cat = [v for v, pt in zip(at_nodes, parts, strict=True) if pt.categorical] or [np.zeros(len(w))]
    point = float(w @ _either(cat))
    point_any = float(w @ _either(at_nodes))
    everything = np.concatenate(chances, axis=1)
    pmf = interview_count_distribution(everything, weights=w) if everything.size else np.ones(1)
    marg = [_exact(w @ c, pt.evidence) for c, pt in zip(chances, parts, strict=True)]
    lo, hi, c_lo, c_hi = _ranges(parts, strength, point, marg)
    c_lo = [_exact(c, pt.evidence) for c, pt in zip(c_lo, parts, strict=True)]
    c_hi = [_exact(c, pt.evidence) for c, pt in zip(c_hi, parts, strict=True)]
    received = int(sum(int(np.count_nonzero(pt.evidence.state == INVITED)) for pt in parts))
    return Updated(
        match_probability=point,
        low=lo,
        high=hi,
        match_probability_any=point_any,
        expected_interviews=float(sum(m.sum() for m in marg)),
        interviews_low=float(pmf_quantile(pmf, INTERVAL[0] / 100.0)),
        interviews_high=float(pmf_quantile(pmf, INTERVAL[1] / 100.0)),
        received=received,
        chances=tuple(marg),
        chances_low=tuple(c_lo),
        chances_high=tuple(c_hi),
        weights=w,
    )


def _ranges(
    parts: list[PartEvidence], strength: Strength, point: float, marg: list[FloatArray]
) -> tuple[float, float, list[FloatArray], list[FloatArray]]:
    """10th-90th percentiles over parameter draws and strength, each draw with its posterior."""
    if strength.tau == 0.0 and all(pt.eta_draws is None for pt in parts):
        return point, point, list(marg), list(marg)
    coarse = Strength.of(strength.tau, RANGE_NODES)
    d = max((len(pt.eta_draws) for pt in parts if pt.eta_draws is not None), default=1)
    draws = [
        np.broadcast_to(pt.eta if pt.eta_draws is None else pt.eta_draws, (d, len(pt.eta)))
        for pt in parts
    ]
    ll = sum(
        (
            node_likelihood(coarse.probabilities(e), pt.evidence)
            for e, pt in zip(draws, parts, strict=True)
        ),
        np.zeros((d, len(coarse))),
    )
    wn = posterior_weights(np.broadcast_to(coarse.w, (d, len(coarse))), ll)  # (d, r)
    per_part, c_lo, c_hi = [], [], []
    for e, pt, mg in zip(draws, parts, marg, strict=True):
        ch = _open_chance(coarse.probabilities(e), pt.evidence)  # (d, r, n)
        md = pt.m_draws if pt.m_draws is not None and len(pt.m_draws) in (1, d) else None
        fc = forecast(ch[0], pt.m, ch, md, weights=coarse.w, draw_weights=coarse.w)
        assert fc.samples is not None
        per_part.append(fc.samples if pt.categorical else None)
        flat_w = (wn / d).ravel()
        flat = ch.reshape(-1, ch.shape[-1])
        bounds = np.array([weighted_percentiles(flat[:, j], flat_w) for j in range(flat.shape[1])])
        c_lo.append(np.minimum(bounds[:, 0], mg) if len(bounds) else mg)
        c_hi.append(np.maximum(bounds[:, 1], mg) if len(bounds) else mg)
    cat = [s for s in per_part if s is not None] or [np.zeros((d, len(coarse)))]
    values = _either([np.broadcast_to(s, (d, len(coarse))) for s in cat])
    lo, hi = weighted_percentiles(values, wn / d)
    return float(min(lo, point)), float(max(hi, point)), c_lo, c_hi
