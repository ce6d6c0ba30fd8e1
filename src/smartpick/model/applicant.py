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

__all__ = ["ApplicantTerms", "applicant_terms", "saturating", "visa_terms"]


@dataclass(frozen=True)
class ApplicantTerms:
    """Scalar log-odds terms of one profile (before the program-dependent visa term)."""

    score: float | None  # the score used (Step 2 CK, else a numeric Step 1), None if none
    score_assumed: bool
    values: dict[str, float]  # term name -> log-odds
    used: float = 0.0  # the score the terms use (the assumed one when none is given)


def saturating(x: float, strength: float) -> float:
    """|strength| * (exp(-1) - exp(-x / GUIDE_TARGET)): 0 at the guide's target, diminishing."""
    return abs(strength) * (math.exp(-1.0) - math.exp(-max(x, 0.0) / GUIDE_TARGET))


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
    score: float | None = None
    if profile.step2_score is not None:
        score = float(profile.step2_score)
    elif isinstance(profile.step1, int):
        score = float(profile.step1)
    assumed = score is None
    default = center + params.type_score_shift.get(atype, 0.0)
    fallback = default if assumed_score is None else assumed_score
    used = fallback if score is None else score
    failures = profile.exam_failures + (
        1 if profile.step1 == "fail" and profile.exam_failures == 0 else 0
    )
    ysg = profile.years_since_graduation(today)
    usce = profile.usce_months * (usce_weight(profile.usce_kind) if profile.usce_months else 0.0)
    letters = profile.specialty_letters + OTHER_LETTER_WEIGHT * max(
        0, profile.us_letters - profile.specialty_letters
    )
    values = {
        "step2": beta * (used - center) / params.score_unit,
        "applicant_type": delta,
        "exam_failures": pv["exam_failure"] if failures >= 1 else 0.0,
        "graduation_gap": pv["graduation_gap"] if ysg is not None and ysg > 1 else 0.0,
        "usce": saturating(usce, pv["no_usce"]),
        "letters": saturating(letters, pv["no_specialty_letters"]),
    }
    return ApplicantTerms(score=score, score_assumed=assumed, values=values, used=used)


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
