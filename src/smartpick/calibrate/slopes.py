"""Step 2 CK slope per cohort with partial pooling (random-effects meta-analysis).

1. Each cohort with a Charting Outcomes table gets its own slope ``b_c >= 0``: the value whose
   simulated matched / not-matched Step 2 CK means come closest to the published ones, in units
   of their sampling standard errors (sd / sqrt(n)); the cohort's intercept is re-solved at
   every trial slope so its match rate stays exact. Its standard error ``s_c`` follows from the
   Jacobian (Gauss-Newton).
2. DerSimonian-Laird: the between-cohort variance ``T^2`` of the slopes (method of moments,
   from Cochran's Q) and the random-effects pooled slope ``b_0`` (weights 1 / (s_c^2 + T^2)).
3. Shrinkage (empirical Bayes): ``b_c* = (b_c / s_c^2 + b_0 / T^2) / (1 / s_c^2 + 1 / T^2)``,
   posterior sd ``(1 / s_c^2 + 1 / T^2)^-1/2``. Large, precise cohorts keep their own slope;
   small ones move toward the pooled value.

A cohort whose published matched mean is below its not-matched mean contradicts every
non-negative slope (at slope 0 both simulated means equal the cohort mean; a positive slope
puts the matched mean above it), so its table says nothing about the slope: it is left out of
the pooling and gets ``b_0`` with the predictive sd ``(se(b_0)^2 + T^2)^1/2``. Cohorts without a
table get the same. Slopes are never negative: a higher score never lowers the odds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from .population import CohortData, Published
from .simulate import simulate

__all__ = ["SLOPE_MAX", "CohortSlope", "SlopeFit", "fit_slopes"]

#: Search range of a cohort's own slope (log-odds per score unit): wide enough that no fitted
#: slope sits at its upper end (the report would show it).
SLOPE_MAX = 6.0


@dataclass(frozen=True)
class CohortSlope:
    """One cohort's slope: its own estimate, the shrunk value used, and why."""

    own: float  # own least-squares slope (nan when not estimated)
    own_se: float
    value: float  # the slope used (shrunk, or the pooled value)
    sd: float  # its uncertainty (posterior or predictive sd)
    status: str  # "shrunk" | "pooled: contradicts a positive slope" | "pooled: no table"


@dataclass(frozen=True)
class SlopeFit:
    """The pooled slope, the between-cohort sd and every cohort's slope."""

    pooled: float
    pooled_se: float
    between_sd: float
    q: float  # Cochran's Q
    k: int  # cohorts pooled
    cohorts: dict[str, CohortSlope]

    @property
    def predictive_sd(self) -> float:
        """sd of the slope of a cohort with no informative table: (se^2 + T^2)^1/2."""
        return float(np.hypot(self.pooled_se, self.between_sd))


def contradicts(pub: Published) -> bool:
    """True when no non-negative slope can put the matched mean at or above the other."""
    return pub.step2_matched < pub.step2_unmatched


def _own_slope(
    c: CohortData, tau: float, unit: float, solve_alpha: Callable[[CohortData, float], float]
) -> tuple[float, float]:
    """(slope, se) of one cohort from its matched / not-matched Step 2 CK means."""
    pub = c.published
    assert pub is not None
    se_m = pub.step2_m.sd / np.sqrt(max(pub.step2_m.n, 1))
    se_u = pub.step2_u.sd / np.sqrt(max(pub.step2_u.n, 1))

    def resid(beta: float) -> np.ndarray:
        alpha = solve_alpha(c, beta)
        s = simulate(c.cohort, c.table_visa, alpha, beta, tau, unit=unit)
        return np.array(
            [
                (s.step2_matched - pub.step2_matched) / se_m,
                (s.step2_unmatched - pub.step2_unmatched) / se_u,
            ]
        )

    sol = optimize.minimize_scalar(
        lambda b: float(np.sum(resid(b) ** 2)),
        bounds=(0.0, SLOPE_MAX),
        method="bounded",
        options={"xatol": 1e-4},
    )
    b = float(sol.x)
    h = 1e-3
    jac = (resid(b + h) - resid(max(b - h, 0.0))) / (b + h - max(b - h, 0.0))
    info = float(jac @ jac)
    return b, float(1.0 / np.sqrt(max(info, 1e-12)))


def fit_slopes(
    cohorts: dict[str, CohortData],
    tau: float,
    unit: float,
    solve_alpha: Callable[[CohortData, float], float],
) -> SlopeFit:
    """Own slopes of the cohorts with a table, pooled and shrunk (see the module docstring)."""
    own: dict[str, tuple[float, float]] = {}
    out: dict[str, CohortSlope] = {}
    for key, c in sorted(cohorts.items()):
        if c.published is None or contradicts(c.published):
            continue
        own[key] = _own_slope(c, tau, unit, solve_alpha)
    b = np.array([v[0] for v in own.values()])
    s2 = np.array([v[1] for v in own.values()]) ** 2
    w = 1.0 / s2
    fixed = float(np.sum(w * b) / w.sum())
    q = float(np.sum(w * (b - fixed) ** 2))
    k = len(b)
    denom = float(w.sum() - np.sum(w**2) / w.sum())
    t2 = max(0.0, (q - (k - 1)) / denom) if denom > 0 else 0.0
    w_re = 1.0 / (s2 + t2)
    pooled = float(np.sum(w_re * b) / w_re.sum())
    pooled_se = float(np.sqrt(1.0 / w_re.sum()))
    predictive = float(np.sqrt(pooled_se**2 + t2))
    for key, c in sorted(cohorts.items()):
        if key in own:
            bc, sc = own[key]
            if t2 > 0:
                prec = 1.0 / sc**2 + 1.0 / t2
                val = (bc / sc**2 + pooled / t2) / prec
                sd = float(np.sqrt(1.0 / prec))
            else:
                val, sd = pooled, pooled_se
            out[key] = CohortSlope(bc, sc, max(float(val), 0.0), sd, "shrunk")
        elif c.published is not None:
            status = (
                f"pooled: published matched mean {c.published.step2_matched:.0f} is below the "
                f"not-matched mean {c.published.step2_unmatched:.0f}, which no non-negative "
                "slope reproduces"
            )
            out[key] = CohortSlope(float("nan"), float("nan"), pooled, predictive, status)
        else:
            out[key] = CohortSlope(
                float("nan"), float("nan"), pooled, predictive, "pooled: no table"
            )
    return SlopeFit(pooled, pooled_se, float(np.sqrt(t2)), q, k, out)
