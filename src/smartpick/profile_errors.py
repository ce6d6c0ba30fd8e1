"""Pydantic's validation errors of a profile as plain-worded problems, every one of them.

Each problem names its field; an unknown field gets a did-you-mean (rapidfuzz: ``stepp2`` →
``step2_score``), a list item its number. :func:`profile_error` folds them into one
:class:`~smartpick.errors.ProfileError` whose message is the first problem (and the other fields
to check) and whose ``problems`` are all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from smartpick.errors import ProfileError, ProfileProblem
from smartpick.suggest import suggest

__all__ = ["problems_of", "profile_error", "short"]

#: Pydantic's wording → plain wording, by error type (ctx values filled in).
_PLAIN: dict[str, str] = {
    "less_than_equal": "must be at most {le}",
    "less_than": "must be below {lt}",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be above {gt}",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "string_too_long": "must be at most {max_length} characters",
    "finite_number": "must be a finite number",
}


def short(value: Any) -> str:
    """A value for an error message, cut to a readable length."""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unknown_field(name: str, fields: Sequence[str]) -> str:
    hints = suggest(name, fields)
    if hints:
        return "unknown field; did you mean " + " or ".join(f"'{h}'" for h in hints) + "?"
    return f"unknown field (allowed: {', '.join(fields)})"


def _one(err: Any, fields: Sequence[str]) -> list[ProfileProblem]:
    parts = [str(p) for p in err["loc"]]
    field = parts[0] if parts else "profile"
    msg = str(err["msg"]).removeprefix("Value error, ")
    plain = _PLAIN.get(err["type"])
    if plain is not None:
        msg = plain.format(**err.get("ctx", {}))
        if "input" in err and not isinstance(err["input"], dict):
            msg += f" (got {short(repr(err['input']))})"
    if len(parts) > 1 and parts[1].isdigit():
        msg = f"item {int(parts[1]) + 1} ({short(repr(err.get('input')))}): {msg}"
    if err["type"] == "extra_forbidden":
        msg = _unknown_field(field, fields)
    elif err["type"] == "missing":
        msg = "required field is missing"
    if parts:
        return [ProfileProblem(field, msg)]
    out = []  # a model-level error: one line per cross-field rule, each naming its field
    for line in msg.splitlines():
        head, sep, rest = line.partition(": ")
        named = sep and " " not in head
        out.append(ProfileProblem(head if named else "profile", rest if named else line))
    return out


def problems_of(exc: ValidationError, fields: Sequence[str]) -> list[ProfileProblem]:
    """Every validation error, in the order of the profile's fields (unknown ones last)."""
    found = [p for err in exc.errors() for p in _one(err, fields)]
    order = {name: i for i, name in enumerate(fields)}
    return sorted(found, key=lambda p: order.get(p.field, len(order)))


def profile_error(problems: Sequence[ProfileProblem]) -> ProfileError:
    """One error for all the problems: the first in the message, every one in ``problems``."""
    first = problems[0]
    msg = str(first)
    others = sorted({p.field for p in problems[1:]} - {first.field})
    if others:
        msg += f" [also check: {', '.join(others)}]"
    return ProfileError(msg, field=first.field, problems=tuple(problems))
