"""The profile's JSON schema beyond field types: the values each field accepts.

Used by :class:`smartpick.profile.Profile` (``json_schema_extra``) so that the OpenAPI schema
says what the server accepts: specialty spellings, regions, states, settings, the graduation
year's upper bound and the one cross-field rule JSON Schema can state. Generators of valid
requests (schemathesis) then produce requests the server takes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from smartpick import geo
from smartpick.specialties import SPECIALTIES

__all__ = [
    "AREAS_SCHEMA",
    "CROSS_FIELD_SCHEMA",
    "SETTINGS_SCHEMA",
    "SPECIALTY_SCHEMA",
    "SPECIALTY_SPELLINGS",
    "STATES_SCHEMA",
    "graduation_year_schema",
]


def _one_or_many(values: list[str]) -> dict[str, Any]:
    """A list field that also takes one value (or null) for a list of one."""
    return {
        "anyOf": [
            {"type": "array", "items": {"enum": values}},
            {"enum": values},
            {"type": "null"},
        ]
    }


#: Every spelling the specialty fields accept (case aside): names, 3-digit codes, aliases.
SPECIALTY_SPELLINGS: list[str] = sorted(
    {s.name for s in SPECIALTIES}
    | {s.code for s in SPECIALTIES}
    | {a for s in SPECIALTIES for a in s.aliases}
)
#: A specialty as text, or its code as a number (a TOML file may say ``specialty = 140``).
SPECIALTY_SCHEMA: list[Any] = [
    {"type": "string", "enum": SPECIALTY_SPELLINGS},
    {"type": "integer", "enum": sorted({int(s.code) for s in SPECIALTIES})},
]
AREAS_SCHEMA = _one_or_many([*geo.REGIONS, *geo.DIVISIONS])
STATES_SCHEMA = _one_or_many(sorted(set(geo.STATE_DIVISION) | set(geo.TERRITORIES)))
SETTINGS_SCHEMA = _one_or_many(["university", "affiliated", "community"])
#: Rules across fields (``if`` usce_kind ``then`` usce_months > 0; the others in words).
CROSS_FIELD_SCHEMA: dict[str, Any] = {
    "description": "An applicant profile. Also checked: backup_specialty must differ from "
    "specialty; usce_kind needs usce_months above 0; graduation_year at most next year; a "
    "step2_score below the USMLE pass mark (214) needs exam_failures of at least 1; a non-US IMG "
    "(applicant_type non_us_img) must state the visa.",
    "allOf": [
        {
            "if": {"properties": {"usce_kind": {"type": "string"}}, "required": ["usce_kind"]},
            "then": {
                "properties": {"usce_months": {"exclusiveMinimum": 0}},
                "required": ["usce_months"],
            },
        },
        {
            "if": {
                "properties": {"step2_score": {"type": "integer", "maximum": 213}},
                "required": ["step2_score"],
            },
            "then": {
                "properties": {"exam_failures": {"type": "integer", "minimum": 1}},
                "required": ["exam_failures"],
            },
        },
        {
            "if": {
                "properties": {"applicant_type": {"const": "non_us_img"}},
                "required": ["applicant_type"],
            },
            "then": {"required": ["visa"]},
        },
    ],
}


def graduation_year_schema(today: dt.date | None = None) -> dict[str, Any]:
    """1950 up to next year (the bound the profile checks), or null."""
    year = (today or dt.date.today()).year + 1
    return {"anyOf": [{"type": "integer", "minimum": 1950, "maximum": year}, {"type": "null"}]}
