"""The synthetic applicant population of one cohort, evaluated in closed form.

Applicants (Step 2 CK nodes drawn from the Charting Outcomes distributions of matched and
not-matched non-US IMGs, mixed by their published counts, times Gauss-Hermite nodes of the
unobserved strength ``u ~ N(0, tau^2)``) each apply to ``A`` programs of the cohort at random.
Interviews K ~ Poisson(lambda), lambda = A * mean_j p_j (p_j the interview probabilities; the
Poisson law is the limit of the Poisson-binomial for small p). Charting Outcomes counts only
applicants who ranked at least one program, so everything is conditional on K >= 1 and the
population is re-weighted so that, after conditioning, its scores follow the published mixture.
Ranks = interviews; a match follows with probability M(K).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from smartpick.frame import FloatArray
from smartpick.model.features import expit
from smartpick.model.targets import Distribution

__all__ = ["Cohort", "SimResult", "quantile_nodes", "simulate"]

GRID = np.linspace(-16.0, 8.0, 481)
GH_NODES = 9


def quantile_nodes(d: Distribution, count: int) -> FloatArray:
    """Scores at mid-probabilities (i + 0.5) / count of the piecewise-linear quantile function
    through min, q1, median, q3, max (min / max placed at probability 0.5 / n, 1 - 0.5 / n)."""
    lo = 0.5 / max(d.n, 1)
    probs = np.array([lo, 0.25, 0.5, 0.75, 1.0 - lo])
    vals = np.array([d.min, d.q1, d.median, d.q3, d.max])
    u = (np.arange(count) + 0.5) / count
    return np.asarray(np.interp(u, probs, vals))


def cdf(d: Distribution, x: float) -> float:
    """The same piecewise-linear CDF at x."""
    lo = 0.5 / max(d.n, 1)
    probs = np.array([0.0, lo, 0.25, 0.5, 0.75, 1.0 - lo, 1.0])
    vals = np.array([d.min - 1e-9, d.min, d.q1, d.median, d.q3, d.max, d.max + 1e-9])
    return float(np.interp(x, vals, probs))


@dataclass(frozen=True, eq=False)
class Cohort:
    """What the simulation needs about one cohort."""

    key: str
    offsets: FloatArray  # program log-odds terms, no visa (n,)
    visa_terms: FloatArray  # log-odds of needing a J-1 at each program (n,)
    visa_blocked: np.ndarray  # (n,) states no J-1 sponsorship
    applications: float
    curve: FloatArray  # M(k), k = 0..kmax
    scores: FloatArray  # score nodes
    weights: FloatArray  # their weights (sum 1)
    center: float

    def table(self, needs_visa: bool) -> FloatArray:
        """log lambda on GRID: log(A * mean_j p_j(eta))."""
        off = self.offsets + (self.visa_terms if needs_visa else 0.0)
        keep = ~self.visa_blocked if needs_visa else np.ones(len(off), dtype=bool)
        p = expit(GRID[:, None] + off[None, :]) * keep[None, :]
        lam = self.applications * p.mean(axis=1)
        return np.asarray(np.log(np.maximum(lam, 1e-300)))


@dataclass(frozen=True)
class SimResult:
    """Simulated figures of one cohort and applicant type."""

    rate: float
    step2_matched: float
    step2_unmatched: float
    ranks_matched_mean: float
    ranks_unmatched_mean: float
    ranks_matched_median: float
    ranks_unmatched_median: float
    weights: FloatArray  # (a, q) joint weights after conditioning
    p_match: FloatArray  # (a, q)
    eta: FloatArray  # (a, q) applicant log-odds (before program terms)


def _median(pmf: FloatArray) -> float:
    c = np.cumsum(pmf) / pmf.sum()
    return float(np.searchsorted(c, 0.5) + 0)


def simulate(
    cohort: Cohort,
    log_lam_table: FloatArray,
    alpha: float,
    beta: float,
    tau: float,
    *,
    unit: float,
    shift: float = 0.0,
    offset: float = 0.0,
) -> SimResult:
    """Closed-form figures of the cohort's population under the given parameters."""
    x, w = np.polynomial.hermite_e.hermegauss(GH_NODES)
    gw = w / w.sum()
    s = cohort.scores + shift
    eta = alpha + offset + beta * (s[:, None] - cohort.center) / unit + tau * x[None, :]
    lam = np.exp(np.interp(eta, GRID, log_lam_table))
    kmax = len(cohort.curve) - 1
    k = np.arange(1, kmax + 1)
    pk = stats.poisson.pmf(k[None, None, :], lam[:, :, None])
    pk[:, :, -1] += stats.poisson.sf(kmax, lam)
    p1 = np.maximum(1.0 - np.exp(-lam), 1e-300)
    q = pk / p1[:, :, None]
    m = cohort.curve[1:]
    p_match = q @ m
    joint = gw[None, :] * p1
    wts = cohort.weights[:, None] * joint / joint.sum(axis=1, keepdims=True)
    rate = float(np.sum(wts * p_match))
    ss = s[:, None]
    sm = float(np.sum(wts * p_match * ss) / rate)
    su = float(np.sum(wts * (1 - p_match) * ss) / (1 - rate))
    pmf_m = np.einsum("aq,aqk->k", wts, q * m)
    pmf_u = np.einsum("aq,aqk->k", wts, q * (1 - m))
    return SimResult(
        rate=rate,
        step2_matched=sm,
        step2_unmatched=su,
        ranks_matched_mean=float(pmf_m @ k / pmf_m.sum()),
        ranks_unmatched_mean=float(pmf_u @ k / pmf_u.sum()),
        ranks_matched_median=_median(pmf_m) + 1,
        ranks_unmatched_median=_median(pmf_u) + 1,
        weights=wts,
        p_match=p_match,
        eta=eta,
    )
