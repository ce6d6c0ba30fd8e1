"""Catalog-search filters from query parameters → :class:`~smartpick.query.ProgramQuery`.

Shared by ``GET /api/programs`` and the ``/programs`` page; every value is checked here so that a
bad filter is a 4xx that names the parameter, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast, get_args

from smartpick import geo
from smartpick.errors import InputError
from smartpick.frame import SETTINGS, TRACKS
from smartpick.query import SORT_KEYS, ProgramQuery, SortKey
from smartpick.specialties import resolve_specialty, suggest_specialty

__all__ = ["MAX_LIMIT", "make_query", "query_from_params"]

MAX_LIMIT = 500
_BOOL = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False}
_TRACK_NAMES = {name: letter for letter, name in TRACKS.items()}
_AREAS = [*geo.REGIONS, *geo.DIVISIONS]
_STATES = set(geo.STATE_DIVISION) | set(geo.TERRITORIES)
assert set(get_args(SortKey)) == set(SORT_KEYS)


def _one_of(field: str, value: str, allowed: Sequence[str]) -> str:
    match = next((a for a in allowed if a.lower() == value.strip().lower()), None)
    if match is None:
        raise InputError(f"unknown value '{value}'", field=field, allowed=", ".join(allowed))
    return match


def make_query(
    *,
    specialty: str | None = None,
    track: Sequence[str] = (),
    state: Sequence[str] = (),
    region: Sequence[str] = (),
    setting: Sequence[str] = (),
    min_img_share: float | None = None,
    visa_j1: bool | None = None,
    visa_h1b: bool | None = None,
    accepting: bool | None = None,
    text: str | None = None,
    sort: str = "name",
    descending: bool = False,
    limit: int | None = 50,
    offset: int = 0,
) -> ProgramQuery:
    """A checked :class:`ProgramQuery`; raises :class:`InputError` naming the parameter."""
    spec_name: str | None = None
    if specialty and specialty.strip():
        key = specialty.strip()
        spec = resolve_specialty(key.zfill(3) if key.isdigit() else key)
        if spec is None:
            hint = suggest_specialty(key)
            extra = f"; did you mean {' or '.join(hint)}?" if hint else ""
            raise InputError(f"unknown specialty '{specialty}'{extra}", field="specialty")
        spec_name = spec.name
    tracks: list[str] = []
    for t in track:
        key = t.strip()
        if key.upper() in TRACKS:
            tracks.append(key.upper())
        elif key.lower() in _TRACK_NAMES:
            tracks.append(_TRACK_NAMES[key.lower()])
        else:
            raise InputError(
                f"unknown track '{t}'",
                field="track",
                allowed="C P A R M or " + ", ".join(_TRACK_NAMES),
            )
    states: list[str] = []
    for s in state:
        code = s.strip().upper()
        if code not in _STATES:
            raise InputError(f"unknown state '{s}'", field="state", allowed="two-letter codes")
        states.append(code)
    if min_img_share is not None and not 0 <= min_img_share <= 1:
        raise InputError(f"{min_img_share} is out of range", field="min_img_share", allowed="0-1")
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"{limit} is out of range", field="limit", allowed=f"1-{MAX_LIMIT}")
    if offset < 0:
        raise InputError(f"{offset} is negative", field="offset", allowed="0 or more")
    if text is not None and len(text) > 200:
        raise InputError("too long", field="text", allowed="up to 200 characters")
    return ProgramQuery(
        specialty=spec_name,
        tracks=tuple(dict.fromkeys(tracks)),
        states=tuple(dict.fromkeys(states)),
        regions=tuple(dict.fromkeys(_one_of("region", r, _AREAS) for r in region)),
        settings=tuple(dict.fromkeys(_one_of("setting", s, SETTINGS) for s in setting)),
        min_img_share=min_img_share,
        visa_j1=visa_j1,
        visa_h1b=visa_h1b,
        accepting=accepting,
        text=(text or "").strip() or None,
        sort=cast(SortKey, _one_of("sort", sort, SORT_KEYS)),
        descending=descending,
        limit=limit,
        offset=offset,
    )


def _opt_bool(field: str, raw: str) -> bool | None:
    if not raw.strip():
        return None
    try:
        return _BOOL[raw.strip().lower()]
    except KeyError:
        raise InputError(f"'{raw}' is not yes or no", field=field, allowed="true, false") from None


def _opt_number(field: str, raw: str, kind: type[int] | type[float]) -> Any:
    if not raw.strip():
        return None
    try:
        return kind(raw.strip())
    except ValueError:
        raise InputError(f"'{raw}' is not a number", field=field) from None


def query_from_params(params: Mapping[str, Sequence[str]]) -> ProgramQuery:
    """A query from raw string parameters (an HTML form: empty means 'no filter')."""

    def first(name: str) -> str:
        values = params.get(name) or [""]
        return values[0]

    def many(name: str) -> list[str]:
        return [v for v in params.get(name, []) if v.strip()]

    limit = _opt_number("limit", first("limit"), int)
    return make_query(
        specialty=first("specialty") or None,
        track=many("track"),
        state=[s for v in many("state") for s in v.replace(",", " ").split()],
        region=many("region"),
        setting=many("setting"),
        min_img_share=_opt_number("min_img_share", first("min_img_share"), float),
        visa_j1=_opt_bool("visa_j1", first("visa_j1")),
        visa_h1b=_opt_bool("visa_h1b", first("visa_h1b")),
        accepting=_opt_bool("accepting", first("accepting")),
        text=first("text") or None,
        sort=first("sort") or "name",
        descending=bool(_opt_bool("descending", first("descending"))),
        limit=50 if limit is None else limit,
        offset=_opt_number("offset", first("offset"), int) or 0,
    )
