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
from functools import lru_cache

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
        """Every rule folded in, strictest first: a program's reasons joined by "; " in that
        order (rules of equal strictness in the order added), its level the strictest."""
        level = np.full(self.n, 99)
        reason = np.full(self.n, None, dtype=object)
        named = np.zeros(self.n, dtype=bool)
        for mask, text, strictness in sorted(self.rules, key=lambda r: _ORDER[r[2]]):
            idx = np.flatnonzero(mask)
            seen = named[idx]
            texts = text if isinstance(text, str) else text[idx]
            first, more = idx[~seen], idx[seen]
            reason[first] = texts if isinstance(texts, str) else texts[~seen]
            if len(more):
                added = texts if isinstance(texts, str) else texts[seen]
                reason[more] = reason[more] + "; " + added
            named[idx] = True
            level[idx] = np.minimum(level[idx], _ORDER[strictness])
        names = np.array([None, *_ORDER], dtype=object)
        strictness_arr = names[np.where(level == 99, 0, level + 1)]
        keep = level > _ORDER["preference"]
        return ScreenResult(keep=keep, reason=reason, strictness=strictness_arr)


@dataclass(frozen=True, eq=False)
class _FrameFacts:
    """The screens' profile-independent masks and texts of one frame and one part's tracks."""

    wrong: BoolArray  # track not among the part's
    wrong_text: ObjArray  # its note (None elsewhere)
    closed: BoolArray  # known not to accept applications
    has_limit: BoolArray  # a stated graduation-year limit
    has_min: BoolArray  # a stated Step 2 CK minimum
    states: ObjArray  # the frame's distinct states, sorted ("" for unknown)
    state_inv: npt.NDArray[np.intp]  # (n,) each program's position in ``states``
    any_limit: bool  # some program states a graduation-year limit
    any_min: bool  # some program states a Step 2 CK minimum


@lru_cache(maxsize=64)
def _frame_facts(frame: ProgramFrame, allowed: tuple[str, ...]) -> _FrameFacts:
    """:class:`_FrameFacts`, cached on exactly the frame (by identity) and the tracks, at most
    64 entries (the loader keeps its frames, so a plan's frames hit)."""
    n = len(frame)
    track = frame.track.astype(str)
    wrong = ~np.isin(track, allowed)
    names = " / ".join(TRACKS.get(t, t) for t in allowed)
    texts = {
        t: f"{TRACKS.get(t, t).capitalize()} track: this list takes {names} only"
        for t in set(track.tolist())
    }
    wrong_text = np.full(n, None, dtype=object)
    wrong_text[np.flatnonzero(wrong)] = [texts[t] for t in track[wrong].tolist()]
    state = np.array([s or "" for s in frame.state.tolist()], dtype=object)
    states, inv = np.unique(state, return_inverse=True)
    has_limit = ~np.isnan(frame.yog_limit_years)
    has_min = ~np.isnan(frame.step2_min)
    out = _FrameFacts(
        wrong=wrong,
        wrong_text=wrong_text,
        closed=np.asarray(frame.accepting == 0),
        has_limit=has_limit,
        has_min=has_min,
        states=states,
        state_inv=inv.reshape(n),
        any_limit=bool(has_limit.any()),
        any_min=bool(has_min.any()),
    )
    for arr in (out.wrong, out.wrong_text, out.closed, out.has_limit, out.has_min, out.states):
        arr.flags.writeable = False
    out.state_inv.flags.writeable = False
    return out


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
    The result is shared between the profiles the screens cannot tell apart (read-only).
    """
    allowed = tuple(tracks)
    facts = _frame_facts(frame, allowed)
    # the profile as the screens read it: a graduation year or score only where the frame
    # states a limit or a minimum
    return _screened(
        frame,
        allowed,
        profile.visa,
        profile.years_since_graduation(today) if facts.any_limit else None,
        profile.step2_score if facts.any_min else None,
        frozenset(profile.exclude_states),
    )


@lru_cache(maxsize=128)
def _screened(
    frame: ProgramFrame,
    allowed: tuple[str, ...],
    visa: str,
    years: int | None,
    score: int | None,
    exclude_states: frozenset[str],
) -> ScreenResult:
    """The screens of one frame and part for the profile facts they read; cached on exactly
    those (the frame by identity), at most 128 entries: a plan's what-ifs that change other
    fields share their base run's result."""
    facts = _frame_facts(frame, allowed)
    notes = _Notes(len(frame))
    notes.add(facts.wrong, facts.wrong_text, "strict")
    notes.add(facts.closed, "not accepting applications for 2026-27 (FREIDA)", "strict")

    if visa != "none":
        flag = frame.visa_j1 if visa == "j1" else frame.visa_h1b
        label = "J-1" if visa == "j1" else "H-1B"
        notes.add(flag == 0, f"does not sponsor the {label} visa you need", "strict")
        notes.add(
            flag == -1, f"{label} sponsorship unknown: ask the program before applying", "unknown"
        )

    if facts.any_limit:  # most frames state no limit (nor minimum): no rule to apply
        _limit_notes(notes, frame, facts.has_limit, years)
    if facts.any_min:
        _minimum_notes(notes, frame, facts.has_min, score)
    if exclude_states:
        excluded = np.isin(facts.states, list(exclude_states))[facts.state_inv]
        notes.add(excluded, "in a state you exclude", "preference")
    out = notes.result()
    for arr in (out.keep, out.reason, out.strictness):
        arr.flags.writeable = False
    return out


def _limit_notes(
    notes: _Notes, frame: ProgramFrame, has_limit: BoolArray, years: int | None
) -> None:
    """A stated graduation-year limit: strict when exceeded, a note when the year is unknown."""
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


def _minimum_notes(
    notes: _Notes, frame: ProgramFrame, has_min: BoolArray, score: int | None
) -> None:
    """A stated Step 2 CK minimum: strict when the score is below it, a note when unknown."""
    if score is None:
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
        below = has_min & (score < np.where(has_min, frame.step2_min, -np.inf))
        notes.add(
            below,
            _fmt(
                frame.step2_min, below, f"Step 2 CK {score} is below the stated minimum of {{:.0f}}"
            ),
            "strict",
        )
