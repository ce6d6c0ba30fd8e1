"""M(k): the chance of matching with k programs of a specialty ranked.

From the Charting Outcomes 2026 contiguous-rank distributions of matched and not-matched non-US
IMGs by Bayes' rule (see :mod:`smartpick.model.ranks`). Cohorts without a published table (or
with fewer than ``ranks.MIN_COHORT`` applicants in a group) use the pooled curve: all published
specialties together, weighted by their number of applicants. The same curve serves every
applicant type: no such table is published for US IMGs or US graduates.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from smartpick.frame import FloatArray
from smartpick.memo import params_key, persisted

from .params import ModelParams
from .ranks import RankSummary, match_curve, rank_pmf
from .targets import cohort_key

__all__ = ["curve_source", "match_given_interviews", "match_given_interviews_draws"]


def _entry(specialty_code: str, params: ModelParams) -> dict[str, object]:
    key = specialty_code if len(specialty_code) == 4 else cohort_key(specialty_code, "C")
    return params.ranks.get(key, params.ranks_pooled)


def curve_source(specialty_code: str, params: ModelParams) -> str:
    """Where the specialty's M(k) comes from (its own table or the pooled curve)."""
    return str(_entry(specialty_code, params)["source"])


def _pmfs(entry: dict[str, object], kmax: int) -> tuple[FloatArray, FloatArray]:
    m = RankSummary.from_list(entry["matched"])  # type: ignore[arg-type]
    u = RankSummary.from_list(entry["unmatched"])  # type: ignore[arg-type]
    return rank_pmf(m, kmax), rank_pmf(u, kmax)


def match_given_interviews(
    specialty_code: str, params: ModelParams, kmax: int = 60, applicant_type: str = "us_img"
) -> FloatArray:
    """M(k), k = 0..kmax: M(0) = 0, non-decreasing, at most 1.

    ``specialty_code`` is a three-digit code (categorical cohort) or a cohort key such as
    "140P". ``applicant_type`` is accepted for the interface; every type uses the non-US IMG
    curve (the only one published).
    """
    del applicant_type
    return _cached(specialty_code, params, kmax).copy()


@cache
def _cached(code: str, params: ModelParams, kmax: int) -> FloatArray:
    entry = _entry(code, params)
    fm, fu = _pmfs(entry, kmax)
    return match_curve(fm, fu, float(entry["pi"]))  # type: ignore[arg-type]


def match_given_interviews_draws(
    specialty_code: str, params: ModelParams, kmax: int = 60, applicant_type: str = "us_img"
) -> FloatArray:
    """(n_draws, kmax + 1) draws of M(k): parametric bootstrap of the published summaries.

    Each draw resamples the matched share pi (binomial with the published counts) and the two
    rank means and sds (normal with their standard errors), seeded by ``params.seed``.
    """
    del applicant_type
    return _cached_draws(specialty_code, params, kmax).copy()


@cache
@persisted("match_draws", params_key)
def _cached_draws(code: str, params: ModelParams, kmax: int) -> FloatArray:
    entry = _entry(code, params)
    m = RankSummary.from_list(entry["matched"])  # type: ignore[arg-type]
    u = RankSummary.from_list(entry["unmatched"])  # type: ignore[arg-type]
    n_m, n_u = int(entry["n_matched"]), int(entry["n_unmatched"])  # type: ignore[call-overload]
    rng = np.random.default_rng([params.seed, int.from_bytes(code.encode(), "little") % 2**31])
    out = np.empty((params.n_draws, kmax + 1))
    for i in range(params.n_draws):
        pi = rng.binomial(n_m + n_u, n_m / (n_m + n_u)) / (n_m + n_u)

        def resample(s: RankSummary) -> RankSummary:
            se_mean = s.sd / np.sqrt(max(s.n, 2))
            se_sd = s.sd / np.sqrt(2.0 * max(s.n - 1, 1))
            mean = max(1.0, s.mean + se_mean * rng.standard_normal())
            sd = max(0.05, s.sd + se_sd * rng.standard_normal())
            return RankSummary(mean, sd, s.n)

        out[i] = match_curve(rank_pmf(resample(m), kmax), rank_pmf(resample(u), kmax), pi)
    return out
