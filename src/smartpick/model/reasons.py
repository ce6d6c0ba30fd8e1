"""Top reasons behind one program's interview probability, in plain words with sources."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import numpy as np

from smartpick.datafiles import fact
from smartpick.frame import FloatArray, IntArray, ProgramFrame
from smartpick.profile import Profile

from .rates import GROUP_LABELS

if TYPE_CHECKING:
    from .interview import InterviewEstimate

__all__ = ["applicant_factors", "reasons", "reasons_for"]

_SETTING_WORDS = {
    "university": "university program",
    "affiliated": "community-based, university-affiliated program",
    "community": "community program",
    "military": "military program",
    "other": "program in another setting",
}
_VISA_WORDS = {"j1": "J-1", "h1b": "H-1B"}


def _share_words(share: float, sd: float, src: str | None, inst_known: bool, im: bool) -> str:
    """The IMG share line: its value and where it comes from (``inst_known``: the institution's
    IM program publishes its share; ``im``: the program is Internal Medicine)."""
    if src == "published":
        return f"{share:.0%} of residents are IMGs (FREIDA 2025)"
    if src == "user":
        return f"{share:.0%} of residents are IMGs (your data)"
    if src is None:
        return "IMG share unknown: nothing to estimate it from"
    return _estimated_share_words(share, sd, inst_known, im)


@lru_cache(maxsize=8192)
def _estimated_share_words(share: float, sd: float, inst_known: bool, im: bool) -> str:
    """The line of an estimated IMG share (cached on its arguments, bounded: every plan of a
    group and specialty writes the same lines for the same programs; a share and its sd are
    never -0.0, which would share 0.0's key)."""
    if inst_known:
        basis = "from the institution's IM program (FREIDA 2025)"
    else:
        basis = "from setting, region and size"
    extra = "" if im else " and the specialty's 2025 IMG share"
    return f"IMG share estimated {share:.0%} ± {sd:.0%} {basis}{extra}"


def _share_text(est: InterviewEstimate, frame: ProgramFrame, i: int) -> str:
    return _share_words(
        float(est.img_share[i]),
        float(est.img_share_sd[i]),
        est.img_share_source[i],
        math.isfinite(float(frame.inst_im_img_share[i])),
        bool(frame.specialty_code[i] == "140"),
    )


EXPLORER = "AAMC Residency Explorer, 2024 Match"


@lru_cache(maxsize=8192)
def _rate_words(who: str, published: float | None, rate: float) -> str:
    """The program's own published rate for the applicant's group (None: it published none),
    or our model's estimate (cached on its arguments, bounded: every plan of a group and
    specialty writes the same lines for the same programs; a rate is never -0.0, which would
    share 0.0's key)."""
    if published is not None:
        shown = "under 1%" if published < 0.005 else f"{published:.0%}"
        return (
            f"invited {shown} of its {who} applicants ({EXPLORER}); "
            f"our estimate for an average {who} applicant: {rate:.1%}"
        )
    return (
        f"no published {who} interview rate: estimated {rate:.1%} for an average "
        f"{who} applicant from programs like it (our model, fitted to {EXPLORER})"
    )


def _rate_text(est: InterviewEstimate, i: int) -> str:
    r = est.rates
    who = GROUP_LABELS.get(est.group, est.group)
    published = float(r.published[i]) if r.source[i] == "published" else None
    return _rate_words(who, published, float(r.rate[i]))


def _score_text(est: InterviewEstimate, profile: Profile, center: float) -> str:
    """The applicant's score against the average applicant of the group (``center``)."""
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


def _blocked_text(visa: str) -> str:
    return f"states it does not sponsor the {_VISA_WORDS[visa]} visa you need (FREIDA 2025)"


def _setting_text(setting: str, own: bool) -> str:
    src = "FREIDA 2025" if own else "setting of the institution's IM program, FREIDA 2025"
    return f"{_SETTING_WORDS[setting]} ({src})"


def _unfilled_text(positions: int, filled: int) -> str:
    return f"{positions - filled} of {positions} positions unfilled in the 2026 Match (NRMP 2026)"


def _size_text(positions: int, median: float) -> str:
    size = "large" if positions > median else "small"
    return f"{size} program: {positions} positions (NRMP 2026)"


def _visa_text(visa: str, flag: int) -> str:
    word = _VISA_WORDS[visa]
    if flag == 1:
        return f"sponsors the {word} visa you need (FREIDA 2025)"
    return f"{word} sponsorship unknown: no visa information"


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
    frame rather than one a program); None computes it here. :func:`reasons_for` gives the
    same for many programs at once (this is its test oracle).
    """
    i = index
    c = dict(zip(est.feature_names, est.contributions[i].tolist(), strict=True))
    out: list[tuple[float, str]] = []
    if est.blocked[i]:
        out.append((math.inf, _blocked_text(est.visa)))
    out.append((abs(c["published_rate"]) + 10.0, _rate_text(est, i)))
    out.append((abs(c["img_share_logit"]) + 1e-3, _share_text(est, frame, i)))
    out.append((abs(c["step2"]) + 1e-3, _score_text(est, profile, float(est.score_center[i]))))
    settings, regions = _groups(est.feature_names)
    setting_w = sum(abs(c[f]) for f in settings)
    setting = frame.setting[i] or frame.inst_setting[i]
    if setting in _SETTING_WORDS:
        out.append((setting_w, _setting_text(str(setting), frame.setting[i] is not None)))
    positions, filled = int(frame.positions[i]), int(frame.filled[i])
    if positions > filled:
        out.append((abs(c["unfilled_2026"]), _unfilled_text(positions, filled)))
    if abs(c["log_positions"]) > 0.05:
        median = float(np.median(frame.positions)) if median_positions is None else median_positions
        out.append((abs(c["log_positions"]), _size_text(positions, median)))
    region_w = sum(abs(c[f]) for f in regions)
    if frame.region[i] is not None and region_w > 0:
        out.append((region_w, f"in the {frame.region[i]} (census region)"))
    if est.visa != "none" and not est.blocked[i]:
        flag = frame.visa_j1[i] if est.visa == "j1" else frame.visa_h1b[i]
        out.append((abs(c["visa"]), _visa_text(est.visa, int(flag))))
    out.sort(key=lambda t: -t[0])
    return [text for _, text in out[:k]]


#: The candidate reasons in :func:`reasons`' order (the stable sort keeps it among equals).
_BLOCKED, _RATE, _SHARE, _SCORE, _SETTING, _UNFILLED, _SIZE, _REGION, _VISA = range(9)


def _abs_sum(a: FloatArray, cols: list[int]) -> FloatArray:
    """Row sums of ``a[:, cols]`` added left to right from 0, as Python's ``sum`` adds them."""
    out = np.zeros(len(a))
    for j in cols:
        out = out + a[:, j]
    return out


def reasons_for(
    est: InterviewEstimate,
    frame: ProgramFrame,
    rows: IntArray,
    profile: Profile,
    k: int = 3,
    *,
    median_positions: float | None = None,
) -> list[list[str]]:
    """``[reasons(est, frame, i, profile, k) for i in rows]``, column by column.

    The candidates' weights are one array (a row per program, a column per candidate, -inf
    where a candidate does not apply) ranked by one stable sort; only the chosen lines are
    written, candidate by candidate (each for the programs that chose it). The contributions
    are finite, so the ranking is the one :func:`reasons` makes.
    """
    idx = np.asarray(rows, dtype=np.intp)
    n = len(idx)
    if not n:
        return []
    col = {f: j for j, f in enumerate(est.feature_names)}
    a = np.abs(est.contributions[idx])
    blocked = est.blocked[idx]
    own = frame.setting[idx].tolist()
    setting = [s or t for s, t in zip(own, frame.inst_setting[idx].tolist(), strict=True)]
    region = frame.region[idx].tolist()
    positions, filled = frame.positions[idx], frame.filled[idx]
    settings, regions = _groups(est.feature_names)
    region_w = _abs_sum(a, [col[f] for f in regions])
    w = np.full((n, 9), -np.inf)
    w[blocked, _BLOCKED] = np.inf
    w[:, _RATE] = a[:, col["published_rate"]] + 10.0
    w[:, _SHARE] = a[:, col["img_share_logit"]] + 1e-3
    w[:, _SCORE] = a[:, col["step2"]] + 1e-3
    has = np.array([s in _SETTING_WORDS for s in setting], dtype=bool)
    w[has, _SETTING] = _abs_sum(a, [col[f] for f in settings])[has]
    has = positions > filled
    w[has, _UNFILLED] = a[has, col["unfilled_2026"]]
    has = a[:, col["log_positions"]] > 0.05
    w[has, _SIZE] = a[has, col["log_positions"]]
    has = np.array([g is not None for g in region], dtype=bool) & (region_w > 0)
    w[has, _REGION] = region_w[has]
    if est.visa != "none":
        w[~blocked, _VISA] = a[~blocked, col["visa"]]
    order = np.argsort(-w, axis=1, kind="stable")[:, :k]
    picked = np.where(np.take_along_axis(w, order, axis=1) > -np.inf, order, -1)  # -1: none

    r = est.rates
    who = GROUP_LABELS.get(est.group, est.group)
    source, published, rate = (x[idx].tolist() for x in (r.source, r.published, r.rate))
    share, sd, share_src = (
        x[idx].tolist() for x in (est.img_share, est.img_share_sd, est.img_share_source)
    )
    inst_known = np.isfinite(frame.inst_im_img_share[idx]).tolist()
    im = (frame.specialty_code[idx] == "140").tolist()
    center = est.score_center[idx].tolist()
    pos, fil = positions.tolist(), filled.tolist()
    flags = (frame.visa_j1 if est.visa == "j1" else frame.visa_h1b)[idx].tolist()

    def score_lines(at: list[int]) -> list[str]:
        scores: dict[float, str] = {}  # the score line depends on the group's center only
        for c in {center[i] for i in at}:
            scores[c] = _score_text(est, profile, c)
        return [scores[center[i]] for i in at]

    def size_lines(at: list[int]) -> list[str]:
        median = float(np.median(frame.positions)) if median_positions is None else median_positions
        return [_size_text(pos[i], median) for i in at]

    #: Each candidate's lines for the programs ``at`` (list positions) that chose it.
    lines: dict[int, Callable[[list[int]], list[str]]] = {
        _BLOCKED: lambda at: [_blocked_text(est.visa)] * len(at),
        _RATE: lambda at: [
            _rate_words(who, published[i] if source[i] == "published" else None, rate[i])
            for i in at
        ],
        _SHARE: lambda at: [
            _share_words(share[i], sd[i], share_src[i], inst_known[i], im[i]) for i in at
        ],
        _SCORE: score_lines,
        _SETTING: lambda at: [_setting_text(str(setting[i]), own[i] is not None) for i in at],
        _UNFILLED: lambda at: [_unfilled_text(pos[i], fil[i]) for i in at],
        _SIZE: size_lines,
        _REGION: lambda at: [f"in the {region[i]} (census region)" for i in at],
        _VISA: lambda at: [_visa_text(est.visa, flags[i]) for i in at],
    }
    texts: dict[int, dict[int, str]] = {}  # candidate -> list position -> its line
    for slot in np.unique(picked[picked >= 0]).tolist():
        at = np.flatnonzero((picked == slot).any(axis=1)).tolist()
        texts[slot] = dict(zip(at, lines[slot](at), strict=True))
    return [[texts[s][i] for s in slots if s >= 0] for i, slots in enumerate(picked.tolist())]


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
