"""The one entry point the CLI and the web app call.

Composes catalog → screen → estimate → plan → forecast → advise into a
:class:`~smartpick.contract.PlanResult` through a :class:`~smartpick.planner.Planner`, which
holds the catalog loader, the user store and the caches. The functions here are one-call
conveniences that make a planner, use it once and close it; anything that plans more than once
(the CLI, the web app, a notebook) should create a planner and keep it. Deterministic: the same
profile, catalog and date give the same plan. Nothing here logs or stores the profile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smartpick.contract import PlanResult
from smartpick.pipeline import (
    SPECIALTY_TRACKS,
    FrameLoader,
    Part,
    PlanCore,
    evaluate_parts,
)
from smartpick.plan import PRELIMINARY_TRACKS
from smartpick.plan.tiers import assign_tiers
from smartpick.planner import Planner
from smartpick.profile import Profile
from smartpick.query import ProgramQuery
from smartpick.specialties import resolve_specialty

__all__ = ["Planner", "plan", "search_programs", "specialties", "with_profile"]


def plan(
    profile: Profile,
    *,
    db: str | Path | None = None,
    today: dt.date | None = None,
    exclude_codes: Sequence[str] = (),
    include_codes: Sequence[str] = (),
    advice: bool = True,
) -> PlanResult:
    """The full plan for a profile, from a one-off :class:`Planner` over ``db``."""
    with Planner(db) as planner:
        return planner.plan(
            profile,
            today=today,
            exclude_codes=exclude_codes,
            include_codes=include_codes,
            advice=advice,
        )


def search_programs(
    query: ProgramQuery,
    *,
    db: str | Path | None = None,
    profile: Profile | None = None,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Catalog search (see :meth:`Planner.search_programs`), from a one-off planner."""
    with Planner(db) as planner:
        return planner.search_programs(query, profile=profile, today=today)


def specialties(*, db: str | Path | None = None) -> list[dict[str, Any]]:
    """Every specialty with its figures and sources."""
    with Planner(db) as planner:
        return planner.specialties()


def with_profile(
    records: list[dict[str, Any]], profile: Profile, load: FrameLoader, today: dt.date
) -> list[dict[str, Any]]:
    """Add the profile's interview probability, tier and screen result to search records."""
    core = PlanCore(load, today)
    by_code: dict[str, dict[str, Any]] = {}
    # one frame per specialty and the plan's own track set (categorical tracks together, the
    # preliminary ones together), so a program's chance and tier are the ones a plan gives it
    groups = sorted({(str(rec["specialty_code"]), _track_set(rec)) for rec in records})
    for code, tracks in groups:
        spec = resolve_specialty(code)
        if spec is None:
            continue
        part = Part("primary", spec.name, (code,), tracks, "search", code)
        res = evaluate_parts(core, profile, [part], plan_lists=False, draws=False)[0]
        # once per frame, not per program; the plan's rule: bands relative to the applicant's
        # typical chance among the programs that pass the screens
        tiers = assign_tiers(res.estimate.p, res.bands)
        out_of = (~res.screen.keep).tolist()
        reason, strictness = res.screen.reason, res.screen.strictness
        # plain Python values column by column (one conversion a column, not one a program)
        for i, (pc, p, tier) in enumerate(
            zip(
                res.frame.program_code.tolist(),
                res.estimate.p.tolist(),
                tiers.tolist(),
                strict=True,
            )
        ):
            by_code[str(pc)] = {
                "interview_probability": p,
                "tier": str(tier),
                "screen_reason": reason[i] if out_of[i] else None,
                "screen_strictness": strictness[i] if out_of[i] else None,
            }
    out = []
    for rec in records:
        extra = by_code.get(rec["program_code"], {})
        out.append({**rec, **extra})
    return out


_LETTERS = {
    "categorical": "C",
    "preliminary": "P",
    "advanced": "A",
    "physician": "R",
    "primary": "M",
}


def _track_letter(rec: dict[str, Any]) -> str:
    track = str(rec.get("track") or "")
    return _LETTERS.get(track, track[:1].upper() or "C")


def _track_set(rec: dict[str, Any]) -> tuple[str, ...]:
    """The plan's track set holding the record's track (a track of neither: on its own)."""
    letter = _track_letter(rec)
    for tracks in (SPECIALTY_TRACKS, PRELIMINARY_TRACKS):
        if letter in tracks:
            return tracks
    return (letter,)
