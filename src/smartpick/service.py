"""The one entry point the CLI and the web app call: composes catalog → screen → estimate →
plan → forecast → advise into a :class:`~smartpick.contract.PlanResult`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from smartpick.contract import PlanResult
from smartpick.profile import Profile
from smartpick.query import ProgramQuery

__all__ = ["plan", "search_programs"]


def plan(
    profile: Profile,
    *,
    db: str | Path | None = None,
    today: dt.date | None = None,
    exclude_codes: tuple[str, ...] = (),
    include_codes: tuple[str, ...] = (),
) -> PlanResult:
    """The full plan for a profile (deterministic: same profile and date, same plan).

    ``exclude_codes`` removes programs from the list; ``include_codes`` forces programs in
    (the web app's "adjust the list").
    """
    raise NotImplementedError("service.plan is wired once the planner lands")


def search_programs(
    query: ProgramQuery, *, db: str | Path | None = None, profile: Profile | None = None
) -> list[dict[str, Any]]:
    """Catalog search: one JSON-ready record per program (keys: see `smartpick programs --json`)."""
    raise NotImplementedError("service.search_programs is wired once the catalog lands")
