"""The one entry point the CLI and the web app call.

Composes catalog → screen → estimate → plan → forecast → advise into a
:class:`~smartpick.contract.PlanResult`. Deterministic: the same profile, catalog and date give
the same plan. Nothing here logs or stores the profile.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.catalog.store import Catalog
from smartpick.contract import Advice, PlanResult
from smartpick.frame import ProgramFrame
from smartpick.pipeline import Part, PlanCore, evaluate_parts
from smartpick.plan.tiers import assign_tiers
from smartpick.profile import Profile
from smartpick.query import ProgramQuery
from smartpick.specialties import resolve_specialty

__all__ = ["clear_cache", "clear_cache_plans", "plan", "search_programs", "specialties"]

_FRAMES: dict[tuple[str, float, str, tuple[str, ...]], ProgramFrame] = {}
#: Recent plans, keyed by a SHA-256 digest of the profile (never the profile itself), the list
#: adjustments, the date and the catalog file's version. In memory only; never written anywhere.
_RESULTS: OrderedDict[tuple[Any, ...], PlanResult] = OrderedDict()
_ADVICE: OrderedDict[tuple[Any, ...], list[Advice]] = OrderedDict()
_RESULTS_MAX = 128


def clear_cache_plans() -> None:
    """Forget cached plans and strategy what-ifs (keeps the program frames)."""
    _RESULTS.clear()
    _ADVICE.clear()


def clear_cache() -> None:
    """Forget cached frames and plans (both are also keyed on the catalog file's version)."""
    _FRAMES.clear()
    _RESULTS.clear()
    _ADVICE.clear()


@dataclass
class _Loader:
    """Loads program frames from the catalog, cached per file version."""

    db: str | Path | None

    def version(self) -> tuple[str, float]:
        """The catalog file and its modification time (-1 before it exists)."""
        from smartpick.config import resolve_db_path

        path = resolve_db_path(self.db)
        return str(path), path.stat().st_mtime if path.exists() else -1.0

    def __call__(self, specialty_code: str, tracks: tuple[str, ...]) -> ProgramFrame:
        key = (*self.version(), specialty_code, tracks)
        frame = _FRAMES.get(key)
        if frame is None:
            with Catalog.open(self.db) as cat:
                frame = cat.frame(specialty_code, tracks)
            # the open may have built the catalog: key on the file as it is now
            key = (*self.version(), specialty_code, tracks)
            if len(_FRAMES) > 64:
                _FRAMES.clear()
            _FRAMES[key] = frame
        return frame


def plan(
    profile: Profile,
    *,
    db: str | Path | None = None,
    today: dt.date | None = None,
    exclude_codes: Sequence[str] = (),
    include_codes: Sequence[str] = (),
    advice: bool = True,
) -> PlanResult:
    """The full plan for a profile (deterministic: same profile and date, same plan).

    ``exclude_codes`` removes programs from the list; ``include_codes`` forces programs in
    (the web app's "adjust the list"). ``advice=False`` skips the strategy plan's what-ifs.
    """
    from smartpick.assemble import assemble

    today = today or dt.date.today()
    loader = _Loader(db)
    key = (
        hashlib.sha256(profile.model_dump_json().encode()).hexdigest(),
        tuple(sorted(exclude_codes)),
        tuple(sorted(include_codes)),
        today.isoformat(),
        loader.version(),
        advice,
    )
    cached = _RESULTS.get(key)
    if cached is not None:
        _RESULTS.move_to_end(key)
        return cached
    core = PlanCore(loader, today)
    advice_key = (key[0], key[3], key[4])
    known = _ADVICE.get(advice_key) if advice else None
    result = assemble(
        core,
        profile,
        exclude_codes=tuple(exclude_codes),
        include_codes=tuple(include_codes),
        with_advice=advice and known is None,
    )
    if known is not None:  # the what-ifs depend on the profile, not on list adjustments
        result = result.model_copy(update={"advice": known})
    elif advice:
        _ADVICE[advice_key] = result.advice
    _RESULTS[key] = result
    while len(_RESULTS) > _RESULTS_MAX:
        _RESULTS.popitem(last=False)
    while len(_ADVICE) > _RESULTS_MAX:
        _ADVICE.popitem(last=False)
    return result


def search_programs(
    query: ProgramQuery,
    *,
    db: str | Path | None = None,
    profile: Profile | None = None,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Catalog search: one JSON-ready record per program (keys: see `smartpick programs --json`).

    With a profile, each record also gets ``interview_probability``, ``tier`` and, for programs
    a hard screen rules out, ``screen_reason`` and ``screen_strictness``.
    """
    with Catalog.open(db) as cat:
        records = cat.search(query)
    if profile is None or not records:
        return records
    return _with_profile(records, profile, _Loader(db), today or dt.date.today())


def _with_profile(
    records: list[dict[str, Any]], profile: Profile, load: _Loader, today: dt.date
) -> list[dict[str, Any]]:
    """Add the profile's interview probability, tier and screen result to search records."""
    core = PlanCore(load, today)
    by_code: dict[str, dict[str, Any]] = {}
    groups = sorted({(str(rec["specialty_code"]), _track_letter(rec)) for rec in records})
    for code, letter in groups:
        spec = resolve_specialty(code)
        if spec is None:
            continue
        part = Part("primary", spec.name, (code,), (letter,), "search", code)
        res = evaluate_parts(core, profile, [part], plan_lists=False, draws=False)[0]
        tiers = assign_tiers(res.estimate.p)  # once per frame, not per program
        out_of = ~res.screen.keep
        for i, pc in enumerate(res.frame.program_code.tolist()):
            by_code[str(pc)] = {
                "interview_probability": float(res.estimate.p[i]),
                "tier": str(tiers[i]),
                "screen_reason": res.screen.reason[i] if out_of[i] else None,
                "screen_strictness": res.screen.strictness[i] if out_of[i] else None,
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


def specialties(*, db: str | Path | None = None) -> list[dict[str, Any]]:
    """Every specialty with its figures and sources."""
    with Catalog.open(db) as cat:
        return cat.specialties()
