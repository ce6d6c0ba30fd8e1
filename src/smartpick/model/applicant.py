"""The applicant's side of the interview model: per-profile log-odds terms (scalars).

Every term is measured against the reference applicant the intercepts refer to (see
:func:`smartpick.model.priors.reference_applicant`), so the guide's recommended profile scores 0.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from smartpick.frame import FlagArray, FloatArray
from smartpick.profile import Profile

from .params import ModelParams
from .priors import GUIDE_TARGET, OTHER_LETTER_WEIGHT, usce_weight

__all__ = [
    "ApplicantTerms",
    "applicant_terms",
    "saturating",
    "term_sums",
    "visa_draws",
    "visa_terms",
]


@dataclass(frozen=True)
class ApplicantTerms:
    """Scalar log-odds terms of one profile (before the program-dependent visa term)."""

    score: float | None  # the score used (Step 2 CK, else a numeric Step 1), None if none
    score_assumed: bool
    values: dict[str, float]  # term name -> log-odds
    used: float = 0.0  # the score the terms use (the assumed one when none is given)


def saturating(x: float, strength: float) -> float:
    """|strength| * (exp(-1) - exp(-x / GUIDE_TARGET)): 0 at the guide's target, diminishing."""
    return abs(strength) * _saturation(x)


def applicant_terms(
    profile: Profile,
    params: ModelParams,
    center: float,
    *,
    today: dt.date,
    priors: dict[str, float] | None = None,
    beta_score: float | None = None,
    type_offset: float | None = None,
    assumed_score: float | None = None,
) -> ApplicantTerms:
    """Log-odds terms of the profile; ``priors`` / ``beta_score`` / ``type_offset`` override.

    ``assumed_score`` is the score used when the profile gives none (default: ``center``
    shifted by the applicant type's score shift).
    """
    pv = priors or {k: p.value for k, p in params.priors.items()}
    beta = params.beta_score_ if beta_score is None else beta_score
    atype = profile.applicant_type
    delta = params.type_offset_.get(atype, 0.0) if type_offset is None else type_offset
    score = _own_score(profile)
    assumed = score is None
    default = center + params.type_score_shift.get(atype, 0.0)
    fallback = default if assumed_score is None else assumed_score
    used = fallback if score is None else score
    failed, gap, usce, letters = _facts(profile, today)
    values = {
        "step2": beta * (used - center) / params.score_unit,
        "applicant_type": delta,
        "exam_failures": pv["exam_failure"] if failed else 0.0,
        "graduation_gap": pv["graduation_gap"] if gap else 0.0,
        "usce": saturating(usce, pv["no_usce"]),
        "letters": saturating(letters, pv["no_specialty_letters"]),
    }
    return ApplicantTerms(score=score, score_assumed=assumed, values=values, used=used)


def _own_score(profile: Profile) -> float | None:
    """The profile's score: Step 2 CK, else a numeric Step 1, else None."""
    if profile.step2_score is not None:
        return float(profile.step2_score)
    if isinstance(profile.step1, int):
        return float(profile.step1)
    return None


def _facts(profile: Profile, today: dt.date) -> tuple[bool, bool, float, float]:
    """(any exam failure, graduation gap over a year, weighted USCE months, letter count)."""
    failures = profile.exam_failures + (
        1 if profile.step1 == "fail" and profile.exam_failures == 0 else 0
    )
    ysg = profile.years_since_graduation(today)
    usce = profile.usce_months * (usce_weight(profile.usce_kind) if profile.usce_months else 0.0)
    letters = profile.specialty_letters + OTHER_LETTER_WEIGHT * max(
        0, profile.us_letters - profile.specialty_letters
    )
    return failures >= 1, ysg is not None and ysg > 1, usce, letters


def term_sums(
    profile: Profile,
    params: ModelParams,
    center: FloatArray,
    assumed_score: FloatArray,
    *,
    today: dt.date,
    priors: dict[str, FloatArray],
    beta_score: FloatArray,
) -> FloatArray:
    """Sum of the step2, failure, gap, USCE and letter terms of :func:`applicant_terms` for many
    parameter sets at once, bitwise the same: ``center`` / ``assumed_score`` (k,) per cohort,
    ``beta_score`` (d, k) and each prior (d,) per draw; returns (d, k)."""
    score = _own_score(profile)
    used = assumed_score if score is None else np.full(len(center), score)
    failed, gap, usce, letters = _facts(profile, today)
    zero = np.zeros(len(beta_score))
    # the terms in applicant_terms' order, each as saturating() computes it
    step2 = beta_score * (used - center)[None, :] / params.score_unit
    fail = priors["exam_failure"] if failed else zero
    grad = priors["graduation_gap"] if gap else zero
    u = np.abs(priors["no_usce"]) * _saturation(usce)
    lt = np.abs(priors["no_specialty_letters"]) * _saturation(letters)
    return np.asarray(step2 + fail[:, None] + grad[:, None] + u[:, None] + lt[:, None])


def _saturation(x: float) -> float:
    """The factor of :func:`saturating` that does not depend on the strength."""
    return math.exp(-1.0) - math.exp(-max(x, 0.0) / GUIDE_TARGET)


def visa_terms(
    needs_visa: str,
    visa_j1: FlagArray,
    visa_h1b: FlagArray,
    known: float,
    unknown: float,
) -> tuple[FloatArray, np.ndarray]:
    """(log-odds per program, blocked mask) for a visa need: "none", "j1" or "h1b"."""
    n = len(visa_j1)
    if needs_visa == "none":
        return np.zeros(n), np.zeros(n, dtype=bool)
    flag = visa_j1 if needs_visa == "j1" else visa_h1b
    term = np.where(flag == 1, known, unknown).astype(np.float64)
    return term, np.asarray(flag == 0)


def visa_draws(
    needs_visa: str,
    visa_j1: FlagArray,
    visa_h1b: FlagArray,
    known: FloatArray,
    unknown: FloatArray,
) -> FloatArray:
    """:func:`visa_terms`' log-odds under (d,) draws of the two priors: (d, n), or zeros (n,)
    when no visa is needed (they broadcast against (d, n))."""
    if needs_visa == "none":
        return np.zeros(len(visa_j1))
    flag = visa_j1 if needs_visa == "j1" else visa_h1b
    return np.where(flag[None, :] == 1, known[:, None], unknown[:, None]).astype(np.float64)
