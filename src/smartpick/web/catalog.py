"""Catalog look-ups for the web pages, through the planner's ``search_programs`` only."""

from __future__ import annotations

import re
from typing import Any

from smartpick.planner import PlanService
from smartpick.query import ProgramQuery
from smartpick.specialties import SPECIALTIES

__all__ = ["find_program", "search"]

_CODE = re.compile(r"^[A-Za-z0-9]{4,16}$")
_SPECIALTY_CODES = {s.code for s in SPECIALTIES}


def search(query: ProgramQuery, planner: PlanService) -> list[dict[str, Any]]:
    """Catalog records matching the query."""
    return planner.search_programs(query)


def find_program(code: str, planner: PlanService) -> dict[str, Any] | None:
    """The catalog record of one program code, or None.

    The planner protocol has no look-up by code, so this searches the code's specialty (5-7 of
    an NRMP code) without a limit, or the whole catalog for other codes.
    """
    if not _CODE.match(code):
        return None
    code = code.upper()
    spec = code[4:7] if len(code) == 9 and code[4:7] in _SPECIALTY_CODES else None
    rows = planner.search_programs(ProgramQuery(specialty=spec, limit=None))
    return next((r for r in rows if str(r.get("program_code", "")).upper() == code), None)
