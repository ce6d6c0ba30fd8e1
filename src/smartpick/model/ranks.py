"""Distributions of contiguous ranks and the match curve M(k) derived from them.

Charting Outcomes 2026 publishes, per preferred specialty, the number of programs of that
specialty ranked contiguously (n, min, quartiles, max, mean, sd) by non-US IMGs who matched and
who did not. We turn each summary into a probability mass function on k = 1..kmax with a shifted
negative binomial (k - 1 ~ NB, moments matched to the published mean and sd; Poisson when the
published spread is not over-dispersed), truncated at kmax and renormalised.

M(k) = P(match | k ranked) follows by Bayes' rule with the specialty's matched share ``pi``::

    M(k) = pi f_m(k) / (pi f_m(k) + (1 - pi) f_u(k)),    M(0) = 0,

made non-decreasing by weighted isotonic regression (pool-adjacent-violators, weights = the
marginal mass at k).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from smartpick.frame import FloatArray

__all__ = ["RankSummary", "isotonic", "match_curve", "nbinom_pmf", "poisson_pmf", "rank_pmf"]

#: Cohorts with fewer applicants than this in either group use the pooled curve.
MIN_COHORT = 10


@dataclass(frozen=True)
class RankSummary:
    """Mean, sd and size of a published contiguous-ranks distribution (k >= 1)."""

    mean: float
    sd: float
    n: int

    def to_list(self) -> list[float]:
        """[mean, sd, n] for JSON."""
        return [self.mean, self.sd, float(self.n)]

    @classmethod
    def from_list(cls, values: list[float]) -> RankSummary:
        """Inverse of :meth:`to_list`."""
        return cls(float(values[0]), float(values[1]), int(values[2]))


def _lgamma(x: FloatArray) -> FloatArray:
    return np.array([math.lgamma(v) for v in x.tolist()], dtype=np.float64)


def nbinom_pmf(k: FloatArray, r: float, p: float) -> FloatArray:
    """Negative binomial pmf ``C(k + r - 1, k) p^r (1 - p)^k`` at integers k ≥ 0 (scipy's
    ``nbinom.pmf``, computed here so that planning never imports ``scipy.stats``)."""
    log = _lgamma(k + r) - math.lgamma(r) - _lgamma(k + 1.0) + r * math.log(p)
    return np.asarray(np.exp(log + k * math.log1p(-p)), dtype=np.float64)


def poisson_pmf(k: FloatArray, mu: float) -> FloatArray:
    """Poisson pmf ``mu^k e^-mu / k!`` at integers k ≥ 0 (scipy's ``poisson.pmf``)."""
    return np.asarray(np.exp(k * math.log(mu) - mu - _lgamma(k + 1.0)), dtype=np.float64)


def rank_pmf(summary: RankSummary, kmax: int) -> FloatArray:
    """P(K = k), k = 0..kmax (P(0) = 0): shifted negative binomial with the summary's moments."""
    k = np.arange(kmax + 1, dtype=np.float64)
    m = max(summary.mean - 1.0, 1e-6)
    v = summary.sd**2
    shifted = np.maximum(k - 1.0, 0.0)
    if v > m * 1.0001:
        r = m * m / (v - m)
        pmf = nbinom_pmf(shifted, r, r / (r + m))
    else:
        pmf = poisson_pmf(shifted, m)
    pmf = np.where(k >= 1, pmf, 0.0)
    total = pmf.sum()
    return np.asarray(pmf / total, dtype=np.float64)


def isotonic(y: FloatArray, w: FloatArray) -> FloatArray:
    """Weighted non-decreasing least-squares fit of y (pool-adjacent-violators)."""
    blocks: list[list[float]] = []  # [weighted mean, weight, length]
    for yi, wi in zip(y.tolist(), np.maximum(w, 1e-12).tolist(), strict=True):
        blocks.append([yi, wi, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            b2 = blocks.pop()
            b1 = blocks.pop()
            wt = b1[1] + b2[1]
            blocks.append([(b1[0] * b1[1] + b2[0] * b2[1]) / wt, wt, b1[2] + b2[2]])
    return np.asarray(np.repeat([b[0] for b in blocks], [int(b[2]) for b in blocks]))


def match_curve(f_m: FloatArray, f_u: FloatArray, pi: float) -> FloatArray:
    """M(k) by Bayes' rule from the matched / unmatched rank pmfs and the matched share pi."""
    num = pi * f_m
    den = num + (1.0 - pi) * f_u
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    # beyond the support of both pmfs: carry the last defined value forward
    valid = np.isfinite(raw)
    idx = np.where(valid, np.arange(len(raw)), 0)
    np.maximum.accumulate(idx, out=idx)
    filled = np.where(valid, raw, raw[idx])
    filled = np.nan_to_num(filled, nan=0.0)
    filled[0] = 0.0
    mono = isotonic(filled[1:], den[1:] + 1e-9)
    return np.asarray(np.clip(np.concatenate([[0.0], mono]), 0.0, 1.0), dtype=np.float64)
