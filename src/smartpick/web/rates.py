"""Published interview-offer rates of listed programs (AAMC Residency Explorer, 2024 Match),
read from the catalog through the planner's ``search_programs`` once per specialty and kept for
the app's lifetime (the catalog is read-only derived data)."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from smartpick.contract import ProgramOut
from smartpick.planner import PlanService
from smartpick.query import ProgramQuery

__all__ = ["PublishedRates"]


class PublishedRates:
    """Program code → published interview rate, per catalog column, cached per specialty."""

    def __init__(self, planner: PlanService) -> None:
        self._planner = planner
        self._by_specialty: dict[str, dict[str, dict[str, float | None]]] = {}
        self._lock = threading.Lock()

    def _specialty(self, name: str) -> dict[str, dict[str, float | None]]:
        with self._lock:
            found = self._by_specialty.get(name)
        if found is not None:
            return found
        rows = self._planner.search_programs(ProgramQuery(specialty=name, limit=None))
        table = {
            str(r["program_code"]): {k: v for k, v in r.items() if k.startswith("interview_rate_")}
            for r in rows
        }
        with self._lock:
            self._by_specialty[name] = table
        return table

    def rates(self, programs: Iterable[ProgramOut], column: str) -> dict[str, float | None]:
        """Each program's value of ``column`` (e.g. ``interview_rate_us_img``), None if none."""
        out: dict[str, float | None] = {}
        for p in programs:
            value = self._specialty(p.specialty).get(p.program_code, {}).get(column)
            out[p.program_code] = float(value) if isinstance(value, int | float) else None
        return out
