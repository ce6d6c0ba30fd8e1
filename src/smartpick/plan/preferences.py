"""Soft preferences (regions, settings) as per-program weights on the interview probability.

The planner orders programs by ``p × weight``. A program that meets every stated preference has
weight 1; each unmet preference divides it by ``margin`` (default 2). So a program outside the
preferred regions is listed before one inside only when its chance of an interview is more than
twice as high: preferences order the list without ever hiding a much better program. Preferences
never remove a program (excluded states are a screen, see :mod:`smartpick.plan.screen`).

- regions: met when the program's census region or division is one the applicant named;
  unknown location (territories) counts as unmet.
- settings: met when the program's setting (FREIDA; else the setting of the same institution's
  Internal Medicine program) is one the applicant named; an unknown setting counts as half unmet
  (weight ÷ √margin), since most programs outside Internal Medicine have no published setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from smartpick.errors import InputError
from smartpick.frame import FloatArray, ProgramFrame
from smartpick.profile import Profile

__all__ = ["DEFAULT_MARGIN", "preference_weights", "unmet_preferences"]

#: How many times higher p must be to list a program that misses one preference first.
DEFAULT_MARGIN = 2.0


def unmet_preferences(profile: Profile, frame: ProgramFrame) -> FloatArray:
    """Number of stated preferences each program misses (0, 0.5, 1, 1.5 or 2)."""
    unmet = np.zeros(len(frame))
    if profile.regions:
        wanted = list(profile.regions)
        region, division = _places(frame)
        unmet += ~(_member(region, wanted) | _member(division, wanted))
    if profile.settings:
        setting = _settings(frame)
        known = ~_member(setting, [""])
        met = _member(setting, list(profile.settings))
        unmet += np.where(known, ~met, 0.5)
    return unmet


@dataclass(frozen=True, eq=False)
class _Coded:
    """A string column as its distinct values (sorted) and each row's position among them."""

    values: tuple[str, ...]
    inv: npt.NDArray[np.intp]

    @classmethod
    def of(cls, column: list[str]) -> _Coded:
        uniq, inv = np.unique(np.array(column, dtype=object), return_inverse=True)
        inv = inv.reshape(len(column))
        inv.flags.writeable = False
        return cls(tuple(uniq.tolist()), inv)


def _member(col: _Coded, wanted: list[str]) -> npt.NDArray[np.bool_]:
    """Per row: is its value among ``wanted``."""
    hit = np.array([v in wanted for v in col.values], dtype=bool)
    return hit[col.inv]


@lru_cache(maxsize=64)
def _places(frame: ProgramFrame) -> tuple[_Coded, _Coded]:
    """Census region and division of every program ("" unknown); cached on the frame (by
    identity), at most 64 frames."""
    return (
        _Coded.of([r or "" for r in frame.region.tolist()]),
        _Coded.of([d or "" for d in frame.division.tolist()]),
    )


@lru_cache(maxsize=64)
def _settings(frame: ProgramFrame) -> _Coded:
    """Every program's setting, else its institution's IM setting ("" unknown); cached on the
    frame (by identity), at most 64 frames."""
    return _Coded.of(
        [
            s or i or ""
            for s, i in zip(frame.setting.tolist(), frame.inst_setting.tolist(), strict=True)
        ]
    )


def preference_weights(
    profile: Profile, frame: ProgramFrame, *, margin: float = DEFAULT_MARGIN
) -> FloatArray:
    """Weight in (0, 1] per program: ``margin ** -unmet`` (1 when no preference is stated)."""
    if not margin >= 1.0:
        raise InputError(f"{margin}", field="preference_margin", allowed="a number ≥ 1")
    return np.asarray(margin ** -unmet_preferences(profile, frame), dtype=np.float64)
