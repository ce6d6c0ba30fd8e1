"""Applicant factors with no published figure to fit them to: priors derived by coded rules.

The rule, shared by all factors: if a share ``c`` of program directors cite a factor when
deciding whom to interview (NRMP Program Director Survey), an applicant lacking it has the odds
of an interview multiplied by ``1 - c`` (each citing program is assumed to pass over such an
applicant; the others ignore it). The prior's sd is half its size: these are priors from the
named source, not fitted, and the calibration report lists them as such.

Diminishing returns for counts (months of US clinical experience, letters) use
``1 - exp(-x / x0)`` with ``x0`` the amount the guide recommends (3-4 months of USCE, 3-4 US
letters: midpoint 3.5). Kinds of USCE are weighted by their rank in the guide's hierarchy
(``(L - rank + 1) / L`` for L levels).
"""

from __future__ import annotations

import math

from smartpick.datafiles import fact

from .params import Prior

__all__ = [
    "GUIDE_TARGET",
    "USCE_LEVELS",
    "build_priors",
    "reference_applicant",
    "usce_weight",
]

#: The guide's recommended amount of USCE (months) and of US letters ("3-4"): midpoint.
GUIDE_TARGET = 3.5
#: The guide's USCE hierarchy, strongest first (kinds on one level count the same).
USCE_LEVELS: tuple[tuple[str, ...], ...] = (
    ("clerkship", "subinternship"),
    ("elective", "externship"),
    ("observership",),
    ("shadowing",),
)
#: Letters from outside the specialty count this fraction of a letter in it (rule: half).
OTHER_LETTER_WEIGHT = 0.5


def usce_weight(kind: str | None) -> float:
    """Weight of a kind of USCE by its level in the guide's hierarchy (1 strongest)."""
    if kind is None:
        rank = 2  # kind not given: counted as the second level (elective / externship)
        return (len(USCE_LEVELS) - rank + 1) / len(USCE_LEVELS)
    for rank, level in enumerate(USCE_LEVELS, start=1):
        if kind in level:
            return (len(USCE_LEVELS) - rank + 1) / len(USCE_LEVELS)
    return 0.0


def _from_fact(key: str, rule: str) -> Prior:
    f = fact(key)
    c = f.value / 100.0
    value = math.log(1.0 - c)
    return Prior(
        value=value,
        sd=abs(value) / 2.0,
        source=f"{key}: {f.description} ({f.citation})",
        rule=rule,
    )


def build_priors() -> dict[str, Prior]:
    """Every prior effect, derived from facts.csv by the rule in the module docstring."""
    odds = "log(1 - share of PDs citing it)"
    priors = {
        "visa_sponsor_known": _from_fact(
            "pd_fm_visa_status", f"needs a visa, program sponsors it: {odds}"
        ),
        "visa_sponsor_unknown": _from_fact(
            "pd_fm_no_visa_needed",
            f"needs a visa, program's sponsorship unknown: {odds} ('legal to work without a visa')",
        ),
        "exam_failure": _from_fact(
            "pd_im_failed_attempt",
            f"one or more failed attempts (the survey asks about any failure): {odds}",
        ),
        "no_usce": _from_fact(
            "pd_fm_audition_rotation",
            f"no US clinical experience: {odds} ('audition rotation'); "
            f"recovered as 1 - exp(-weighted months / {GUIDE_TARGET})",
        ),
        "no_specialty_letters": _from_fact(
            "pd_fm_letters_in_specialty",
            f"no letters in the specialty: {odds}; recovered as 1 - exp(-letters / "
            f"{GUIDE_TARGET}), other US letters count {OTHER_LETTER_WEIGHT}",
        ),
    }
    priors["graduation_gap"] = _from_fact(
        "pd_fm_continuous_education",
        f"more than one year since graduation (a gap): {odds} ('continuous education')",
    )
    return priors


def reference_applicant() -> dict[str, float]:
    """The applicant the fitted intercepts refer to: the guide's recommended profile.

    Contributions of USCE and letters are measured against it, so the intercepts carry the
    Charting Outcomes applicants' (unpublished) average of these factors.
    """
    return {
        "usce_months": GUIDE_TARGET,
        "usce_weight": usce_weight("clerkship"),
        "letters": GUIDE_TARGET,
        "exam_failures": 0.0,
        "years_since_graduation": 1.0,
    }
