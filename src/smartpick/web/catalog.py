"""Catalog look-ups for the web pages, through :func:`smartpick.service.search_programs` only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from smartpick import service
from smartpick.query import ProgramQuery
from smartpick.specialties import SPECIALTIES

__all__ = ["find_program", "search"]

_CODE = re.compile(r"^[A-Za-z0-9]{4,16}$")
_SPECIALTY_CODES = {s.code for s in SPECIALTIES}


def search(query: ProgramQuery, db: str | Path | None) -> list[dict[str, Any]]:
    """Catalog records matching the query."""
    return service.search_programs(query, db=db)


def find_program(code: str, db: str | Path | None) -> dict[str, Any] | None:
    """The catalog record of one program code, or None.

    The service has no look-up by code, so this searches the code's specialty (characters 5-7 of
    an NRMP code) without a limit, or the whole catalog for other codes.
    """
    if not _CODE.match(code):
        return None
    code = code.upper()
    spec = code[4:7] if len(code) == 9 and code[4:7] in _SPECIALTY_CODES else None
    rows = service.search_programs(ProgramQuery(specialty=spec, limit=None), db=db)
    return next((r for r in rows if str(r.get("program_code", "")).upper() == code), None)
