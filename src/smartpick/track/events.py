"""What the user records about a program, checked, and each program's state from its history.

An event is ``{program_code, status, date, note?}``. Checks (each error names its field):
the program is on the saved plan's list or among the plan's other candidate programs (a
program the applicant added later: same specialties, passing the same screens); the status is
one of :data:`~smartpick.store.base.EVENT_STATUSES`; the date is a real ISO date within the
plan's season (from the day ERAS opens to Match Day) and not after today. Status changes are
appended: the latest event of a program sets its state, and an invitation anywhere in its
history stays evidence (an applicant rejected after the interview was still invited).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smartpick.advice.timeline import cycle_dates
from smartpick.errors import InputError

from .records import EVENT_STATUSES, NewEvent, PlanEvent

__all__ = [
    "FIELDS",
    "INVITE_LIKE",
    "MAX_EVENTS",
    "MAX_NOTE",
    "ProgramState",
    "check_event",
    "check_events",
    "date_problem",
    "program_states",
    "season_window",
]

#: The fields of an event.
FIELDS = ("program_code", "status", "date", "note")
#: Statuses that mean the program invited the applicant.
INVITE_LIKE = frozenset({"invited", "interviewed", "ranked"})
MAX_NOTE = 500
#: Events per request.
MAX_EVENTS = 500


def season_window(match_year: int) -> tuple[dt.date, dt.date]:
    """The dates an event of this Match may carry: ERAS opening to Match Day."""
    dates = cycle_dates(match_year)
    return dates["eras_opens"].date, dates["match_day"].date


def _long(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def date_problem(day: dt.date, match_year: int, today: dt.date) -> tuple[str, str] | None:
    """Why an event may not carry this date (message, allowed), or None when it may.

    An event's date is within its Match's season (ERAS opening to Match Day) and not after
    today (a day's grace for time zones). Before the season opens, nothing can be recorded
    yet, and the message says when it can.
    """
    first, last = season_window(match_year)
    latest = min(last, today + dt.timedelta(days=1))
    if first <= day <= latest:
        return None
    if latest < first:
        return (
            f"{day.isoformat()} cannot be recorded yet: the plan is for the {match_year} Match, "
            f"whose season has not started (it opens on {_long(first)}, when ERAS opens, and "
            f"ends on Match Day, {_long(last)})",
            f"dates from {first.isoformat()} on, once the season has started",
        )
    season = f"the {match_year} Match season ({first.isoformat()} to {last.isoformat()})"
    allowed = f"{first.isoformat()} to {latest.isoformat()} (the {match_year} Match)"
    if day < first:
        return f"{day.isoformat()} is before {season}", allowed
    if day > last:
        return f"{day.isoformat()} is after {season}", allowed
    return f"{day.isoformat()} is in the future (today is {today.isoformat()})", allowed


def _text(raw: Mapping[str, Any], name: str, where: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InputError("is required (a text value)", field=f"{where}{name}")
    return value.strip()


def check_event(
    raw: Mapping[str, Any],
    *,
    allowed: Collection[str],
    match_year: int,
    today: dt.date,
    where: str = "",
) -> NewEvent:
    """One event, checked (``where`` prefixes the field names, e.g. ``events[2].``)."""
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise InputError("unknown field", field=f"{where}{unknown[0]}", allowed=", ".join(FIELDS))
    code = _text(raw, "program_code", where).upper()
    if code not in allowed:
        raise InputError(
            f"{code[:20]!r} is not on this plan's list nor among its candidate programs",
            field=f"{where}program_code",
            allowed="a program code of the saved plan (see its list)",
        )
    status = _text(raw, "status", where).lower()
    if status not in EVENT_STATUSES:
        raise InputError(
            f"{status[:20]!r} is not a status",
            field=f"{where}status",
            allowed=", ".join(EVENT_STATUSES),
        )
    text = _text(raw, "date", where)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{text[:20]!r} is not a date", field=f"{where}date", allowed="YYYY-MM-DD"
        ) from None
    problem = date_problem(day, match_year, today)
    if problem is not None:
        raise InputError(problem[0], field=f"{where}date", allowed=problem[1])
    note = raw.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        raise InputError("must be text", field=f"{where}note", allowed=f"≤ {MAX_NOTE} characters")
    return NewEvent(code, status, day.isoformat(), note.strip() or None if note else None)


def check_events(
    raws: Sequence[Mapping[str, Any]],
    *,
    allowed: Collection[str],
    match_year: int,
    today: dt.date,
) -> list[NewEvent]:
    """Several events, all checked before any is kept (fields named ``events[i].<field>``)."""
    if not raws:
        raise InputError("no event given", field="events", allowed="1 or more events")
    if len(raws) > MAX_EVENTS:
        raise InputError(f"{len(raws)} events", field="events", allowed=f"≤ {MAX_EVENTS}")
    many = len(raws) > 1
    return [
        check_event(
            r,
            allowed=allowed,
            match_year=match_year,
            today=today,
            where=f"events[{i}]." if many else "",
        )
        for i, r in enumerate(raws)
    ]


@dataclass(frozen=True)
class ProgramState:
    """A program's season so far, from its events in the order recorded."""

    status: str  # the latest status
    date: dt.date  # of the latest event
    invited: bool  # an invitation anywhere in its history
    applied: dt.date | None  # the latest "applied" date


def program_states(events: Sequence[PlanEvent]) -> dict[str, ProgramState]:
    """Each program's state (programs without an event are absent)."""
    out: dict[str, ProgramState] = {}
    for ev in sorted(events, key=lambda e: e.position):
        day = dt.date.fromisoformat(ev.date)
        prev = out.get(ev.program_code)
        invited = (prev.invited if prev else False) or ev.status in INVITE_LIKE
        applied = day if ev.status == "applied" else (prev.applied if prev else None)
        out[ev.program_code] = ProgramState(ev.status, day, invited, applied)
    return out
