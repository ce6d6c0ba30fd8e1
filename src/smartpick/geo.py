"""US states and their census regions and divisions (US Census Bureau, 2020 definitions)."""

from __future__ import annotations

__all__ = ["DIVISIONS", "REGIONS", "STATE_DIVISION", "division_of", "region_of", "states_in"]

#: Census division → region.
DIVISIONS: dict[str, str] = {
    "New England": "Northeast",
    "Middle Atlantic": "Northeast",
    "East North Central": "Midwest",
    "West North Central": "Midwest",
    "South Atlantic": "South",
    "East South Central": "South",
    "West South Central": "South",
    "Mountain": "West",
    "Pacific": "West",
}
REGIONS: tuple[str, ...] = ("Northeast", "Midwest", "South", "West")

_BY_DIVISION: dict[str, tuple[str, ...]] = {
    "New England": ("CT", "ME", "MA", "NH", "RI", "VT"),
    "Middle Atlantic": ("NJ", "NY", "PA"),
    "East North Central": ("IL", "IN", "MI", "OH", "WI"),
    "West North Central": ("IA", "KS", "MN", "MO", "NE", "ND", "SD"),
    "South Atlantic": ("DE", "DC", "FL", "GA", "MD", "NC", "SC", "VA", "WV"),
    "East South Central": ("AL", "KY", "MS", "TN"),
    "West South Central": ("AR", "LA", "OK", "TX"),
    "Mountain": ("AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY"),
    "Pacific": ("AK", "CA", "HI", "OR", "WA"),
}
#: Territories in the Match (Puerto Rico, Virgin Islands, Guam) have no census division.
TERRITORIES: tuple[str, ...] = ("PR", "VI", "GU")

STATE_DIVISION: dict[str, str] = {s: d for d, states in _BY_DIVISION.items() for s in states}


def division_of(state: str | None) -> str | None:
    """Census division of a two-letter state code, or None (territory / unknown)."""
    return STATE_DIVISION.get((state or "").upper())


def region_of(state: str | None) -> str | None:
    """Census region of a two-letter state code, or None (territory / unknown)."""
    div = division_of(state)
    return DIVISIONS[div] if div else None


def states_in(area: str) -> tuple[str, ...]:
    """States of a census region or division (case-insensitive); empty if unknown."""
    key = area.strip().lower()
    for div, states in _BY_DIVISION.items():
        if div.lower() == key:
            return states
    return tuple(
        s for div, states in _BY_DIVISION.items() if DIVISIONS[div].lower() == key for s in states
    )
