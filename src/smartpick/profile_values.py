"""Forgiving profile values: enum spellings and the target as a fraction or a percentage.

Enum fields take any case and punctuation (``J-1``, ``j1``, ``H1B``, ``us-img``, ``US_IMG``,
``Non US IMG``) and are normalised to their canonical value; an unknown value is refused with a
did-you-mean. The target chance of matching is a fraction (``0.8``), a percentage (``80``) or a
percentage string (``"80%"``). Used wherever a profile is read: TOML, the API's JSON, the form.
"""

from __future__ import annotations

import math
import re
from typing import Any

from smartpick.suggest import did_you_mean, key, quoted

__all__ = [
    "ENUMS",
    "TARGET_PERCENT_PATTERN",
    "TARGET_SCHEMA",
    "canonical",
    "canonical_items",
    "target_fraction",
]

#: Every enum field: canonical value → other spellings (compared by :func:`key`).
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "applicant_type": {
        "us_md": ("US MD", "MD", "US MD senior", "USMD graduate"),
        "us_do": ("US DO", "DO", "US DO senior", "USDO graduate"),
        "us_img": ("US IMG", "US-citizen IMG", "US citizen IMG", "USC IMG", "US citizen"),
        "non_us_img": ("Non US IMG", "non-US-citizen IMG", "non-US citizen IMG", "foreign IMG"),
    },
    "visa": {
        "none": ("no visa", "not needed", "citizen", "green card"),
        "j1": ("J-1", "J1 visa", "J-1 visa"),
        "h1b": ("H-1B", "H1", "H-1", "H1B visa", "H-1B visa"),
    },
    "usce_kind": {
        "clerkship": ("clerkships", "core clerkship"),
        "subinternship": ("sub-internship", "sub-i", "subi", "acting internship"),
        "elective": ("electives", "hands-on elective"),
        "externship": ("externships",),
        "observership": ("observerships", "observation"),
        "shadowing": ("shadow",),
    },
    "settings": {
        "university": ("university-based", "academic", "university hospital"),
        "affiliated": ("university-affiliated", "university affiliated", "affiliate"),
        "community": ("community-based", "community hospital"),
    },
    "step1": {"pass": ("passed",), "fail": ("failed",)},
}

#: Spellings → canonical value, by field (keys only: case and punctuation are ignored).
_BY_KEY: dict[str, dict[str, str]] = {
    field: {key(s): value for value, others in table.items() for s in (value, *others)}
    for field, table in ENUMS.items()
}
_NAMES = {"settings": "setting", "step1": "Step 1 result"}


def _unknown(field: str, value: str) -> str:
    shown = value if len(value) <= 60 else value[:57] + "..."
    spellings = {s: v for v, others in ENUMS[field].items() for s in (v, *others)}
    return f"unknown {_NAMES.get(field, field.replace('_', ' '))} '{shown}'" + did_you_mean(
        value, spellings
    )


def _allowed(field: str) -> str:
    return f" (allowed: {quoted(ENUMS[field])}; case and punctuation do not matter)"


def _lookup(field: str, value: Any) -> tuple[Any, str | None]:
    """(canonical value, None), or (value, why not) for an unknown text."""
    if not isinstance(value, str):
        return value, None  # a number, None, a list: the model names the wrong type
    found = _BY_KEY[field].get(key(value))
    return (value, _unknown(field, value)) if found is None else (found, None)


def canonical(field: str, value: Any) -> Any:
    """A text value of an enum field as its canonical value (ValueError with a did-you-mean);
    anything else is returned for the model to check (a number, None)."""
    found, why = _lookup(field, value)
    if why is not None:
        raise ValueError(why + _allowed(field))
    return found


def canonical_items(field: str, values: list[Any]) -> tuple[Any, ...]:
    """Every item of a list field canonical (de-duplicated), or one ValueError naming each bad
    item."""
    out: list[Any] = []
    bad: list[str] = []
    for number, item in enumerate(values, start=1):
        found, why = _lookup(field, item)
        out.append(found)
        if why is not None:
            bad.append(f"item {number}: {why}" if len(values) > 1 else why)
    if bad:
        raise ValueError("; ".join(bad) + _allowed(field))
    unique: list[Any] = []  # by equality: an item may be unhashable ({}), for the model to refuse
    for item in out:
        if item not in unique:
            unique.append(item)
    return tuple(unique)


# -- the target chance of matching ------------------------------------------------------------
#: A percentage string above 0 and below 100 ("80%", "62.5 %", "0.5%"); the same pattern is in
#: the JSON schema, so the API documents exactly what it takes.
TARGET_PERCENT_PATTERN = r"^\s*([1-9][0-9]?(\.[0-9]+)?|0?\.[0-9]*[1-9][0-9]*)\s*%\s*$"
_PERCENT = re.compile(TARGET_PERCENT_PATTERN.removeprefix("^").removesuffix("$"))
_HOW = 'give a fraction below 1 (e.g. 0.8) or a percentage below 100 (e.g. 80 or "80%")'

#: The target's JSON schema: a fraction, a percentage, or a percentage string.
TARGET_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "type": "number",
            "exclusiveMinimum": 0,
            "exclusiveMaximum": 1,
            "description": "a fraction, e.g. 0.8",
        },
        {
            "type": "number",
            "exclusiveMinimum": 1,
            "exclusiveMaximum": 100,
            "description": "a percentage, e.g. 80",
        },
        {
            "type": "string",
            "pattern": TARGET_PERCENT_PATTERN,
            "description": 'a percentage as text, e.g. "80%"',
        },
    ]
}


def target_fraction(value: Any) -> Any:
    """The target as a fraction: 0.8, 80 and "80%" all give 0.8 (ValueError if neither)."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()}; {_HOW}")
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        if not _PERCENT.fullmatch(value):
            raise ValueError(f"'{shown}' is not a chance of matching; {_HOW}")
        return float(value.strip().removesuffix("%").strip()) / 100
    if not isinstance(value, int | float):
        return value  # the model names the wrong type
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number; {_HOW}")
    if value <= 0:
        raise ValueError(f"{value} must be above 0; {_HOW}")
    if value == 1:
        raise ValueError(f"1 would mean a certain match (100%), which no list gives; {_HOW}")
    if value >= 100:
        raise ValueError(f"{value} is 100% or more, which no list gives; {_HOW}")
    return float(value) / 100 if value > 1 else float(value)
