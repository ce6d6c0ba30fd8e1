"""Top reasons behind one program's interview probability, in plain words with sources."""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from smartpick.datafiles import fact
from smartpick.frame import ProgramFrame
from smartpick.profile import Profile

from .rates import GROUP_LABELS

if TYPE_CHECKING:
    from .interview import InterviewEstimate

__all__ = ["applicant_factors", "reasons"]

_SETTING_WORDS = {
    "university": "university program",
    "affiliated": "community-based, university-affiliated program",
    "community": "community program",
    "military": "military program",
    "other": "program in another setting",
}
_VISA_WORDS = {"j1": "J-1", "h1b": "H-1B"}


def _share_text(est: InterviewEstimate, frame: ProgramFrame, i: int) -> str:
    share, sd = float(est.img_share[i]), float(est.img_share_sd[i])
    src = est.img_share_source[i]
    if src == "published":
        return f"{share:.0%} of residents are IMGs (FREIDA 2025)"
    if src == "user":
        return f"{share:.0%} of residents are IMGs (your data)"
    if src is None:
        return "IMG share unknown: nothing to estimate it from"
    if math.isfinite(float(frame.inst_im_img_share[i])):
        basis = "from the institution's IM program (FREIDA 2025)"
    else:
        basis = "from setting, region and size"
    extra = "" if frame.specialty_code[i] == "140" else " and the specialty's 2025 IMG share"
    return f"IMG share estimated {share:.0%} ± {sd:.0%} {basis}{extra}"


EXPLORER = "AAMC Residency Explorer, 2024 Match"


def _rate_text(est: InterviewEstimate, i: int) -> str:
    """The program's own published rate for the applicant's group, or our model's estimate."""
    who = GROUP_LABELS.get(est.group, est.group)
    r = est.rates
    if r.source[i] == "published":
        pub = float(r.published[i])
        shown = "under 1%" if pub < 0.005 else f"{pub:.0%}"
        return (
            f"invited {shown} of its {who} applicants ({EXPLORER}); "
            f"our estimate for an average {who} applicant: {float(r.rate[i]):.1%}"
        )
    return (
        f"no published {who} interview rate: estimated {float(r.rate[i]):.1%} for an average "
        f"{who} applicant from programs like it (our model, fitted to {EXPLORER})"
    )


def _score_text(est: InterviewEstimate, profile: Profile, i: int) -> str:
    center = float(est.score_center[i])
    who = GROUP_LABELS.get(est.group, est.group)
    if est.score_assumed:
        return (
            f"no Step 2 CK given: we assume {est.score_used:.0f}, the lower quartile of "
            f"{who} applicants (our estimate); many programs do not review an IMG without one"
        )
    label = "Step 2 CK" if profile.step2_score is not None else "Step 1"
    gap = est.score_used - center
    if abs(gap) < 3:
        return (
            f"your {label} {est.score_used:.0f} is close to the average {who} "
            f"applicant's (~{center:.0f}, our estimate)"
        )
    side = "below" if gap < 0 else "above"
    return (
        f"your {label} {est.score_used:.0f} is ~{abs(gap):.0f} points {side} the average "
        f"{who} applicant's (~{center:.0f}, our estimate from Charting Outcomes 2026)"
    )


@cache
def _groups(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The setting and the region terms among ``names``, in their order (one lookup a model)."""
    return (
        tuple(f for f in names if f.startswith("setting_")),
        tuple(f for f in names if f.startswith("region_")),
    )


def reasons(
    est: InterviewEstimate,
    frame: ProgramFrame,
    index: int,
    profile: Profile,
    k: int = 3,
    *,
    median_positions: float | None = None,
) -> list[str]:
    """The k strongest reasons for program ``index``'s interview probability, strongest first.

    ``median_positions`` is ``np.median(frame.positions)`` when the caller has it (one median a
    frame rather than one a program); None computes it here.
    """
    i = index
    c = dict(zip(est.feature_names, est.contributions[i].tolist(), strict=True))
    out: list[tuple[float, str]] = []
    if est.blocked[i]:
        out.append(
            (
                math.inf,
                f"states it does not sponsor the {_VISA_WORDS[est.visa]} visa "
                "you need (FREIDA 2025)",
            )
        )
    out.append((abs(c["published_rate"]) + 10.0, _rate_text(est, i)))
    out.append((abs(c["img_share_logit"]) + 1e-3, _share_text(est, frame, i)))
    out.append((abs(c["step2"]) + 1e-3, _score_text(est, profile, i)))
    settings, regions = _groups(est.feature_names)
    setting_w = sum(abs(c[f]) for f in settings)
    setting = frame.setting[i] or frame.inst_setting[i]
    if setting in _SETTING_WORDS:
        own = frame.setting[i] is not None
        src = "FREIDA 2025" if own else "setting of the institution's IM program, FREIDA 2025"
        out.append((setting_w, f"{_SETTING_WORDS[str(setting)]} ({src})"))
    positions, filled = int(frame.positions[i]), int(frame.filled[i])
    if positions > filled:
        out.append(
            (
                abs(c["unfilled_2026"]),
                f"{positions - filled} of {positions} positions unfilled in the 2026 Match "
                "(NRMP 2026)",
            )
        )
    if abs(c["log_positions"]) > 0.05:
        median = float(np.median(frame.positions)) if median_positions is None else median_positions
        size = "large" if positions > median else "small"
        out.append((abs(c["log_positions"]), f"{size} program: {positions} positions (NRMP 2026)"))
    region_w = sum(abs(c[f]) for f in regions)
    if frame.region[i] is not None and region_w > 0:
        out.append((region_w, f"in the {frame.region[i]} (census region)"))
    if est.visa != "none" and not est.blocked[i]:
        flag = frame.visa_j1[i] if est.visa == "j1" else frame.visa_h1b[i]
        word = _VISA_WORDS[est.visa]
        text = (
            f"sponsors the {word} visa you need (FREIDA 2025)"
            if flag == 1
            else f"{word} sponsorship unknown: no visa information"
        )
        out.append((abs(c["visa"]), text))
    out.sort(key=lambda t: -t[0])
    return [text for _, text in out[:k]]


#: The program-director survey figure behind each applicant-wide factor: (fact key, the
#: specialty surveyed, what the directors cite).
_SURVEY = {
    "exam_failures": ("pd_im_failed_attempt", "Internal Medicine", "any failed USMLE attempt"),
    "graduation_gap": (
        "pd_fm_continuous_education",
        "Family Medicine",
        "continuous education without gaps",
    ),
    "usce": ("pd_fm_audition_rotation", "Family Medicine", "audition rotations"),
    "letters": ("pd_fm_letters_in_specialty", "Family Medicine", "letters in the specialty"),
}
_FACTOR_TEXT = {
    "exam_failures": "a failed USMLE attempt lowers the odds",
    "graduation_gap": "more than a year since graduation",
    "usce": "little hands-on US clinical experience",
    "letters": "few US letters in the specialty",
}
#: How far a factor must lower the log-odds to be said (failures and gaps: any amount).
_FACTOR_MIN = {"exam_failures": 0.0, "graduation_gap": 0.0, "usce": 0.1, "letters": 0.1}


def _survey_note(feature: str, specialty: str) -> str:
    """The survey figure for a factor, labelled when it comes from another specialty."""
    key, surveyed, cited = _SURVEY[feature]
    f = fact(key)
    text = f"{f.value:g}% of {surveyed} program directors cite {cited}; {f.citation}"
    if specialty != surveyed:
        text += f"; a {surveyed} survey figure, not one for {specialty}"
    return text


def applicant_factors(est: InterviewEstimate, specialty: str) -> list[str]:
    """Factors of the applicant that lower the odds at every program alike, strongest first.

    They are the same for every program, so they are said once for the plan rather than
    repeated among each program's reasons. Each cites the program-director survey figure behind
    it, labelled as another specialty's figure when it is not ``specialty``'s.
    """
    if not len(est.p):
        return []
    c = dict(zip(est.feature_names, est.contributions[0].tolist(), strict=True))
    out = [
        (abs(c[k]), f"{_FACTOR_TEXT[k]} ({_survey_note(k, specialty)})")
        for k in _SURVEY
        if c[k] < -_FACTOR_MIN[k] or (_FACTOR_MIN[k] == 0.0 and c[k] < 0)
    ]
    out.sort(key=lambda t: -t[0])
    return [text for _, text in out]
