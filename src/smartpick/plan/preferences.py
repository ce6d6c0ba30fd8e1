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

import numpy as np

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


def preference_weights(
    profile: Profile, frame: ProgramFrame, *, margin: float = DEFAULT_MARGIN
) -> FloatArray:
    """Weight in (0, 1] per program: ``margin ** -unmet`` (1 when no preference is stated)."""
    if not margin >= 1.0:
        raise InputError(f"{margin}", field="preference_margin", allowed="a number ≥ 1")
    return np.asarray(margin ** -unmet_preferences(profile, frame), dtype=np.float64)
