"""Catalog search filters, shared by the CLI (`smartpick programs`), the web page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["SORT_KEYS", "ProgramQuery"]

SortKey = Literal["name", "state", "positions", "img_share", "fill_rate", "program_code"]
SORT_KEYS: tuple[str, ...] = (
    "name",
    "state",
    "positions",
    "img_share",
    "fill_rate",
    "program_code",
)


@dataclass(frozen=True)
class ProgramQuery:
    """Filters for a catalog search; every field is optional (None / empty = no filter)."""

    specialty: str | None = None  # name, alias or 3-digit code (did-you-mean on typos)
    tracks: tuple[str, ...] = ()  # track letters C P A R M or names (categorical, ...)
    states: tuple[str, ...] = ()  # two-letter codes
    regions: tuple[str, ...] = ()  # census regions or divisions
    settings: tuple[str, ...] = ()  # university | affiliated | community | military | other
    min_img_share: float | None = None  # 0-1; programs with unknown share are excluded
    visa_j1: bool | None = None  # True: sponsors J-1 (known)
    visa_h1b: bool | None = None  # True: sponsors H-1B (known)
    accepting: bool | None = None  # True: known to accept applications for 2026-27
    text: str | None = None  # case-insensitive search in program and institution names, city
    sort: SortKey = "name"
    descending: bool = False
    limit: int | None = 50
    offset: int = 0
