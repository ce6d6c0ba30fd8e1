"""Hard screens: which programs a profile cannot (or will not) apply to, and why.

Rules, each vectorised over the frame:

- ``strict``: visa sponsorship needed (``profile.visa`` j1 / h1b) but the program is known not
  to sponsor that visa; a stated graduation-year limit below the applicant's years since
  graduation; a stated Step 2 CK minimum above the applicant's score; known not to accept
  applications (``frame.accepting == 0``); a track that does not belong to this plan part.
- ``preference``: a state the applicant excludes.
- ``unknown``: a strict rule could apply but the fact is unknown (visa needed and sponsorship
  unknown; a stated limit or minimum but the applicant's graduation year or score unknown).
  These programs stay IN; the note tells the user what to check.

Screened programs are returned with every reason that applies, never silently dropped. A rule
whose fact is unknown for nearly every program and that the applicant does not trigger (e.g.
acceptance unknown outside FREIDA's Internal Medicine data) adds no note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.frame import TRACKS, FloatArray, ObjArray, ProgramFrame
from smartpick.profile import Profile

__all__ = ["CATEGORICAL_TRACKS", "PRELIMINARY_TRACKS", "ScreenResult", "screen"]

BoolArray = npt.NDArray[np.bool_]

#: Tracks of a full residency from PGY-1 (primary and backup parts).
CATEGORICAL_TRACKS: tuple[str, ...] = ("C", "M")
#: Tracks of a one-year PGY-1 position (preliminary IM / transitional-year part).
PRELIMINARY_TRACKS: tuple[str, ...] = ("P",)

_ORDER = {"strict": 0, "preference": 1, "unknown": 2}


@dataclass(frozen=True, eq=False)
class ScreenResult:
    """Per-program screen outcome (row i = program i of the frame)."""

    keep: BoolArray  # True: the program stays in the candidate list
    reason: ObjArray  # "; "-joined reasons, or None
    strictness: ObjArray  # "strict" | "preference" | "unknown" | None

    def __len__(self) -> int:
        return len(self.keep)

    @property
    def excluded(self) -> npt.NDArray[np.intp]:
        """Indices of programs ruled out (strict or preference), in frame order."""
        return np.flatnonzero(~self.keep)

    @property
    def noted(self) -> npt.NDArray[np.intp]:
        """Indices of programs kept with an ``unknown`` note."""
        return np.flatnonzero(self.keep & (self.strictness == "unknown"))


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


def screen(
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
