"""The hard screens and the preference counts exactly as they were before the speed work
(issue 10): the test oracles of :func:`smartpick.plan.screen.screen` (per-frame facts recomputed
on every call, the reasons joined per program in Python) and
:func:`smartpick.plan.preferences.unmet_preferences` (``np.isin`` on the frame's columns).
``tests/plan/test_screen.py`` and ``test_preferences.py`` check the same results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from smartpick.frame import TRACKS, FloatArray, ObjArray, ProgramFrame
from smartpick.plan.screen import CATEGORICAL_TRACKS, ScreenResult
from smartpick.profile import Profile

BoolArray = npt.NDArray[np.bool_]

_ORDER = {"strict": 0, "preference": 1, "unknown": 2}


class _Notes:
    """Collects (mask, text, strictness) rules and folds them into per-program arrays."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.rules: list[tuple[BoolArray, ObjArray | str, str]] = []

    def add(self, mask: BoolArray, text: ObjArray | str, strictness: str) -> None:
        if mask.any():
            self.rules.append((mask, text, strictness))

    def result(self) -> ScreenResult:
        reasons: dict[int, list[str]] = {}  # only the programs a rule names
        level = np.full(self.n, 99)
        for mask, text, strictness in sorted(self.rules, key=lambda r: _ORDER[r[2]]):
            idx = np.flatnonzero(mask)
            for i in idx.tolist():
                reasons.setdefault(i, []).append(str(text if isinstance(text, str) else text[i]))
            level[idx] = np.minimum(level[idx], _ORDER[strictness])
        names = np.array([None, *_ORDER], dtype=object)
        strictness_arr = names[np.where(level == 99, 0, level + 1)]
        reason = np.full(self.n, None, dtype=object)
        for i, r in reasons.items():
            reason[i] = "; ".join(r)
        keep = level > _ORDER["preference"]
        return ScreenResult(keep=keep, reason=reason, strictness=strictness_arr)


def _fmt(values: FloatArray, mask: BoolArray, template: str) -> ObjArray:
    """``template.format(v)`` for the rows of ``mask`` (the only ones shown), None elsewhere."""
    out = np.full(len(values), None, dtype=object)
    idx = np.flatnonzero(mask)
    out[idx] = [template.format(v) for v in values[idx].tolist()]
    return out


def reference_screen(
    profile: Profile,
    frame: ProgramFrame,
    *,
    today: dt.date,
    tracks: Iterable[str] = CATEGORICAL_TRACKS,
) -> ScreenResult:
    """Apply the hard screens of ``profile`` to every program of ``frame``.

    ``tracks`` are the track letters that belong to this plan part (default: categorical and
    primary-care tracks; :data:`PRELIMINARY_TRACKS` for the preliminary / transitional part).
    """
    n = len(frame)
    notes = _Notes(n)
    allowed = tuple(tracks)

    track = frame.track.astype(str)
    wrong = ~np.isin(track, allowed)
    names = " / ".join(TRACKS.get(t, t) for t in allowed)
    texts = {
        t: f"{TRACKS.get(t, t).capitalize()} track: this list takes {names} only"
        for t in set(track)
    }
    wrong_text = np.full(n, None, dtype=object)
    wrong_text[np.flatnonzero(wrong)] = [texts[t] for t in track[wrong].tolist()]
    notes.add(wrong, wrong_text, "strict")

    notes.add(frame.accepting == 0, "not accepting applications for 2026-27 (FREIDA)", "strict")

    if profile.visa != "none":
        flag = frame.visa_j1 if profile.visa == "j1" else frame.visa_h1b
        label = "J-1" if profile.visa == "j1" else "H-1B"
        notes.add(flag == 0, f"does not sponsor the {label} visa you need", "strict")
        notes.add(
            flag == -1, f"{label} sponsorship unknown: ask the program before applying", "unknown"
        )

    years = profile.years_since_graduation(today)
    has_limit = ~np.isnan(frame.yog_limit_years)
    if years is None:
        notes.add(
            has_limit,
            _fmt(
                frame.yog_limit_years,
                has_limit,
                "states a graduation limit of {:.0f} years; your graduation year is unknown",
            ),
            "unknown",
        )
    else:
        over = has_limit & (years > np.where(has_limit, frame.yog_limit_years, np.inf))
        notes.add(
            over,
            _fmt(
                frame.yog_limit_years,
                over,
                f"graduated {years} years ago; the program's limit is {{:.0f}} years",
            ),
            "strict",
        )

    has_min = ~np.isnan(frame.step2_min)
    if profile.step2_score is None:
        notes.add(
            has_min,
            _fmt(
                frame.step2_min,
                has_min,
                "states a Step 2 CK minimum of {:.0f}; your score is unknown",
            ),
            "unknown",
        )
    else:
        score = profile.step2_score
        below = has_min & (score < np.where(has_min, frame.step2_min, -np.inf))
        notes.add(
            below,
            _fmt(
                frame.step2_min, below, f"Step 2 CK {score} is below the stated minimum of {{:.0f}}"
            ),
            "strict",
        )

    if profile.exclude_states:
        state = np.array([s or "" for s in frame.state], dtype=object)
        notes.add(
            np.isin(state, list(profile.exclude_states)), "in a state you exclude", "preference"
        )
    return notes.result()


def reference_unmet(profile: Profile, frame: ProgramFrame) -> FloatArray:
    """Number of stated preferences each program misses (0, 0.5, 1, 1.5 or 2)."""
    unmet = np.zeros(len(frame))
    if profile.regions:
        wanted = list(profile.regions)
        region = np.array([r or "" for r in frame.region], dtype=object)
        division = np.array([d or "" for d in frame.division], dtype=object)
        unmet += ~(np.isin(region, wanted) | np.isin(division, wanted))
    if profile.settings:
        setting = np.array(
            [s or i or "" for s, i in zip(frame.setting, frame.inst_setting, strict=True)],
            dtype=object,
        )
        known = setting != ""
        met = np.isin(setting, list(profile.settings))
        unmet += np.where(known, ~met, 0.5)
    return unmet
