"""A tracking sheet (the list file's status and date columns) as tracker events (pure).

The list file (:mod:`smartpick.importing`) gives each program's steps: one event per filled
date column (``applied_on``, ``invited_on``, ``interviewed_on``), then the current ``status``
on ``status_on`` when no date column holds it. Each step is checked as the tracker checks an
event (the program is on the saved plan's list or among its candidates, the date within the
plan's season and not after today, the note short enough); every problem is listed at once,
with the file, sheet, row and column. A step identical to an event already recorded (same
program, status and date; the note is not compared) is skipped, so importing the same sheet
again records nothing new, and an updated sheet adds only its new steps. The steps are kept in
date order (a program's latest status is its latest event).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from smartpick.importing import ImportedList, ListProblem
from smartpick.listfile import DATE_COLUMNS, TrackingEntry, TrackingEvent

from .events import MAX_EVENTS, MAX_NOTE, date_problem
from .records import PlanEvent

__all__ = ["SheetEvents", "sheet_events", "tracking_entries"]

_COLUMN_OF = {status: column for column, status in DATE_COLUMNS.items()}


@dataclass(frozen=True)
class SheetEvents:
    """The sheet's new events (``{program_code, status, date, note?}``), how many steps were
    already recorded, and every problem (none recorded while there is one)."""

    raws: list[dict[str, Any]]
    skipped: int
    problems: list[ListProblem]


def _column(imported: ImportedList, ev: TrackingEvent) -> str:
    """The column that holds (or would hold) the step's date."""
    column = _COLUMN_OF.get(ev.status)
    entry = imported.entries.get(ev.program_code)
    if column is not None and getattr(entry, column, None) is not None:
        return column
    return "status_on"


def sheet_events(
    imported: ImportedList,
    *,
    allowed: Collection[str],
    match_year: int,
    today: dt.date,
    recorded: Sequence[PlanEvent],
) -> SheetEvents:
    """The sheet's steps checked against the saved plan (see the module docstring)."""
    problems = list(imported.problems)
    done = {(e.program_code, e.status, e.date) for e in recorded}
    raws: list[dict[str, Any]] = []
    skipped = 0

    def bad(ev: TrackingEvent, column: str, message: str, allow: str | None) -> None:
        sheet, row = imported.entry_rows.get(ev.program_code, (None, None))
        problems.append(ListProblem(imported.path, message, sheet, row, column, allow))

    for ev in imported.events:
        if ev.program_code not in allowed:
            bad(
                ev,
                "program_code",
                f"{ev.program_code} is not on this plan's list nor among its candidate programs",
                "a program code of the saved plan",
            )
            continue
        if ev.date is None:
            where = " or ".join(c for c in (_COLUMN_OF.get(ev.status), "status_on") if c)
            bad(ev, "status_on", f"no date for '{ev.status}'", f"its date (YYYY-MM-DD) in {where}")
            continue
        why = date_problem(ev.date, match_year, today)
        if why is not None:
            bad(ev, _column(imported, ev), *why)
            continue
        if ev.note is not None and len(ev.note) > MAX_NOTE:
            bad(ev, "notes", f"{len(ev.note)} characters", f"at most {MAX_NOTE}")
            continue
        if (ev.program_code, ev.status, ev.date.isoformat()) in done:
            skipped += 1
            continue
        raw: dict[str, Any] = {
            "program_code": ev.program_code,
            "status": ev.status,
            "date": ev.date.isoformat(),
        }
        if ev.note:
            raw["note"] = ev.note
        raws.append(raw)
    if len(raws) > MAX_EVENTS:
        problems.append(
            ListProblem(imported.path, f"{len(raws)} new events", allowed=f"at most {MAX_EVENTS}")
        )
    raws.sort(key=lambda r: str(r["date"]))  # stable: a program's steps keep their order
    return SheetEvents(raws if not problems else [], skipped, problems)


def tracking_entries(events: Sequence[PlanEvent]) -> dict[str, TrackingEntry]:
    """The recorded events as the list file's tracking cells, by program: the latest date of
    each dated step, the latest status (on ``status_on`` when no date column holds it) and the
    latest note. Importing these cells again records nothing new."""
    cells: dict[str, dict[str, Any]] = {}
    for ev in sorted(events, key=lambda e: e.position):
        day = dt.date.fromisoformat(ev.date)
        row = cells.setdefault(ev.program_code, {})
        row["status"] = ev.status
        column = _COLUMN_OF.get(ev.status)
        if column is not None:
            row[column] = day
        row["status_on"] = None if column is not None else day
        if ev.note:
            row["notes"] = ev.note
    return {code: TrackingEntry(**row) for code, row in cells.items()}
