"""SmartPick: an open, free residency-selection tool for US-citizen IMGs.

From Python::

    import smartpick
    result = smartpick.make_plan("examples/us_img_im_217.toml")   # or a dict, or a Profile
    print(result.match_probability, result.recommended_count)
    result.model_dump(mode="json")                                 # the JSON contract
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "make_plan"]

# One BLAS thread per process unless the caller chose otherwise: the planner's matrix products
# are small (a few hundred rows by 16 strength nodes), where OpenBLAS's threads only spin and
# double the CPU time of a plan (measured: 144 -> 102 ms CPU per plan, docs/performance.md);
# the web server scales by worker processes instead. It must be set before NumPy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

if TYPE_CHECKING:
    from smartpick.contract import PlanResult
    from smartpick.profile import Profile


def make_plan(
    profile: Profile | Mapping[str, Any] | str | os.PathLike[str],
    *,
    db: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
    advice: bool = True,
) -> PlanResult:
    """The plan for a profile given as a :class:`~smartpick.profile.Profile`, a mapping of
    profile fields, or the path of a TOML profile file (see ``smartpick.service.plan``)."""
    from smartpick import service
    from smartpick.profile import Profile, load_profile, parse_profile

    if isinstance(profile, Profile):
        prof = profile
    elif isinstance(profile, Mapping):
        prof = parse_profile(dict(profile), today=today)
    else:
        prof = load_profile(Path(profile), today=today)
    return service.plan(prof, db=Path(db) if db is not None else None, today=today, advice=advice)
