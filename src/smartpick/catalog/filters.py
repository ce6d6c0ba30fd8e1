"""Turn a :class:`~smartpick.query.ProgramQuery` into a parameterised SQL WHERE / ORDER BY.

Values never enter the SQL text: every value is a ``?`` parameter. Bad filter values raise
:class:`~smartpick.errors.InputError` naming the field and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartpick import geo
from smartpick.errors import InputError
from smartpick.frame import SETTINGS, TRACKS
from smartpick.query import SORT_KEYS, ProgramQuery
from smartpick.specialties import Specialty, resolve_specialty, suggest_specialty

__all__ = ["SqlFilter", "compile_query", "resolve_tracks", "specialty_or_error"]

_STATES = frozenset(geo.STATE_DIVISION) | frozenset(geo.TERRITORIES)
_TRACK_NAMES = {name: letter for letter, name in TRACKS.items()}
_ORDER = {
    "name": "name COLLATE NOCASE",
    "state": "state",
    "positions": "positions",
    "img_share": "img_share",
    "fill_rate": "fill_rate",
    "program_code": "program_code",
}


@dataclass(frozen=True)
class SqlFilter:
    """A WHERE clause with its parameters, and an ORDER BY / LIMIT tail."""

    where: str
    params: tuple[Any, ...]
    order: str
    limit: tuple[Any, ...]


def specialty_or_error(text: str) -> Specialty:
    """The specialty named by ``text`` (name, alias or code), or an InputError with did-you-mean."""
    spec = resolve_specialty(text)
    if spec is None:
        hints = suggest_specialty(text)
        hint = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
        raise InputError(
            f"unknown specialty {text!r}{hint}",
            field="specialty",
            allowed="a specialty name, alias or 3-digit NRMP code, e.g. 140",
        )
    return spec


def resolve_tracks(tracks: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Track letters from letters or names (categorical, preliminary, ...)."""
    out: list[str] = []
    for t in tracks:
        key = t.strip()
        letter = key.upper() if key.upper() in TRACKS else _TRACK_NAMES.get(key.lower())
        if letter is None:
            allowed = ", ".join(f"{k} ({v})" for k, v in TRACKS.items())
            raise InputError(f"unknown track {t!r}", field="track", allowed=allowed)
        if letter not in out:
            out.append(letter)
    return tuple(out)


def _states(q: ProgramQuery) -> list[str] | None:
    chosen: set[str] | None = None
    if q.states:
        states = {s.strip().upper() for s in q.states}
        bad = sorted(states - _STATES)
        if bad:
            raise InputError(
                f"unknown state {bad[0]!r}", field="state", allowed="two-letter US state codes"
            )
        chosen = states
    if q.regions:
        area: set[str] = set()
        for region in q.regions:
            found = geo.states_in(region)
            if not found:
                allowed = ", ".join([*geo.REGIONS, *geo.DIVISIONS])
                raise InputError(f"unknown region {region!r}", field="region", allowed=allowed)
            area.update(found)
        chosen = area if chosen is None else chosen & area
    return sorted(chosen) if chosen is not None else None


def _in(column: str, values: list[str] | tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join('?' * len(values))})"


def compile_query(q: ProgramQuery) -> SqlFilter:
    """WHERE / ORDER BY / LIMIT for ``program_view``."""
    clauses: list[str] = []
    params: list[Any] = []
    if q.specialty:
        clauses.append("specialty_code = ?")
        params.append(specialty_or_error(q.specialty).code)
    if q.tracks:
        letters = resolve_tracks(q.tracks)
        clauses.append(_in("track", letters))
        params.extend(letters)
    states = _states(q)
    if states is not None:
        clauses.append(_in("state", states) if states else "0")
        params.extend(states)
    if q.settings:
        settings = [s.strip().lower() for s in q.settings]
        bad = [s for s in settings if s not in SETTINGS]
        if bad:
            raise InputError(
                f"unknown setting {bad[0]!r}", field="setting", allowed=", ".join(SETTINGS)
            )
        clauses.append(_in("setting", settings))
        params.extend(settings)
    if q.min_img_share is not None:
        if not 0 <= q.min_img_share <= 1:
            raise InputError(
                f"{q.min_img_share} is out of range", field="min_img_share", allowed="0 to 1"
            )
        clauses.append("img_share >= ?")
        params.append(q.min_img_share)
    for column, wanted in (
        ("visa_j1", q.visa_j1),
        ("visa_h1b", q.visa_h1b),
        ("accepting", q.accepting),
    ):
        if wanted is not None:
            clauses.append(f"{column} = ?")
            params.append(int(wanted))
    if q.text and q.text.strip():
        like = (
            "%" + q.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        fields = ("name", "name_as_listed", "institution", "institution_as_listed", "city")
        clauses.append("(" + " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in fields) + ")")
        params.extend([like] * len(fields))
    if q.sort not in SORT_KEYS:
        raise InputError(f"unknown sort key {q.sort!r}", field="sort", allowed=", ".join(SORT_KEYS))
    direction = "DESC" if q.descending else "ASC"
    column = _ORDER[q.sort]
    order = f"ORDER BY ({q.sort} IS NULL), {column} {direction}, program_code"
    if q.limit is not None and q.limit < 0:
        raise InputError(f"{q.limit} is negative", field="limit", allowed="0 or more")
    if q.offset < 0:
        raise InputError(f"{q.offset} is negative", field="offset", allowed="0 or more")
    limit = (q.limit if q.limit is not None else -1, q.offset)
    return SqlFilter(" AND ".join(clauses) or "1", tuple(params), order, limit)
