"""Parse one cell of a list file: a program code, the list column, a status, a date, a note.

Each parser returns the value or raises :class:`BadCell` with the message and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from smartpick.listfile import LIST_LISTED, LIST_REMOVED, LIST_SCREENED, STATUSES, Status
from smartpick.suggest import did_you_mean, key

__all__ = ["MAX_NOTE", "BadCell", "code_cell", "date_cell", "list_cell", "note_cell", "status_cell"]

MAX_NOTE = 2000
_CODE = re.compile(r"^[A-Z0-9]{9}$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_LIST_VALUES = {
    LIST_LISTED: LIST_LISTED,
    "keep": LIST_LISTED,
    LIST_REMOVED: LIST_REMOVED,
    "remove": LIST_REMOVED,
    LIST_SCREENED: LIST_SCREENED,
}


class BadCell(ValueError):
    """A cell that cannot be read: the message, and what would be accepted."""

    def __init__(self, message: str, allowed: str) -> None:
        super().__init__(message)
        self.allowed = allowed


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def code_cell(value: Any) -> str | None:
    """An NRMP program code (upper-cased), or None for an empty cell."""
    text = _text(value).upper()
    if not text:
        return None
    if not _CODE.match(text):
        raise BadCell(
            f"'{text[:40]}' is not a program code",
            "a 9-character NRMP code such as 1903140C0 (see `smartpick programs`)",
        )
    return text


def list_cell(value: Any) -> str:
    """``listed`` (also an empty cell: a row you added), ``removed`` or ``screened out``."""
    text = _text(value)
    if not text:
        return LIST_LISTED
    found = {key(k): v for k, v in _LIST_VALUES.items()}.get(key(text))
    if found is None:
        raise BadCell(
            f"'{text[:40]}' is not a list value" + did_you_mean(text, _LIST_VALUES),
            f"{LIST_LISTED}, {LIST_REMOVED} (or delete the row), {LIST_SCREENED}",
        )
    return found


def status_cell(value: Any) -> Status | None:
    """An application status (case and punctuation ignored), or None for an empty cell."""
    text = _text(value)
    if not text:
        return None
    for status in STATUSES:
        if key(status) == key(text):
            return status
    raise BadCell(
        f"'{text[:40]}' is not a status" + did_you_mean(text, STATUSES), ", ".join(STATUSES)
    )


def date_cell(value: Any) -> dt.date | None:
    """A date: a spreadsheet date, ``YYYY-MM-DD`` or ``M/D/YYYY``; None for an empty cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    allowed = "a date such as 2027-09-24 (or 9/24/2027)"
    us = _US_DATE.match(text)
    try:
        if us:
            month, day, year = (int(g) for g in us.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadCell(f"'{text[:40]}' is not a date", allowed) from None


def note_cell(value: Any) -> str | None:
    """Free text of at most :data:`MAX_NOTE` characters, or None."""
    text = _text(value)
    if len(text) > MAX_NOTE:
        raise BadCell(f"{len(text):,} characters", f"at most {MAX_NOTE:,}")
    return text or None
