"""The vocabulary of the list file: the exported CSV / XLSX a user edits and brings back.

Written by :mod:`smartpick.render.export` and :mod:`smartpick.render.xlsx`, read back by
:mod:`smartpick.importing`. A program's row says whether it stays on the list (``list``:
``listed``, or ``removed`` to drop it; a deleted row drops it too) and how its application
stands (``status`` and the dates); the application tracker imports the events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from smartpick.track.records import EVENT_STATUSES, EventStatus

__all__ = [
    "DATE_COLUMNS",
    "LIST_COLUMN",
    "LIST_LISTED",
    "LIST_REMOVED",
    "LIST_SCREENED",
    "STATUSES",
    "TRACKING_COLUMNS",
    "Status",
    "TrackingEntry",
    "TrackingEvent",
]

#: The application statuses: the tracker's own, in the order an application moves through them.
Status = EventStatus
STATUSES: tuple[Status, ...] = EVENT_STATUSES

LIST_COLUMN = "list"
LIST_LISTED = "listed"
LIST_SCREENED = "screened out"
LIST_REMOVED = "removed"

#: Date columns and the status each one records.
DATE_COLUMNS: dict[str, Status] = {
    "applied_on": "applied",
    "invited_on": "invited",
    "interviewed_on": "interviewed",
}
#: The tracking columns of the CSV and of the XLSX's Tracking sheet, in order.
TRACKING_COLUMNS: tuple[str, ...] = ("status", *DATE_COLUMNS, "status_on", "notes")


@dataclass(frozen=True)
class TrackingEvent:
    """One step of an application: what happened at which program, when (if given)."""

    program_code: str
    status: Status
    date: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True)
class TrackingEntry:
    """A program's tracking cells: the current status, the dates, the notes."""

    status: Status | None = None
    applied_on: dt.date | None = None
    invited_on: dt.date | None = None
    interviewed_on: dt.date | None = None
    status_on: dt.date | None = None  # date of the current status when no date column has it
    notes: str | None = None

    @property
    def empty(self) -> bool:
        """Whether no tracking cell is filled."""
        return self == TrackingEntry()

    def cells(self) -> dict[str, str | dt.date | None]:
        """The entry by tracking column."""
        return {c: getattr(self, c) for c in TRACKING_COLUMNS}

    def events(self, program_code: str) -> list[TrackingEvent]:
        """The dated steps, then the current status if no date column holds it; the notes go
        with the last event."""
        out = [
            TrackingEvent(program_code, status, day)
            for column, status in DATE_COLUMNS.items()
            if (day := getattr(self, column)) is not None
        ]
        if self.status is not None and self.status not in {e.status for e in out}:
            out.append(TrackingEvent(program_code, self.status, self.status_on))
        if self.notes and out:
            last = out[-1]
            out[-1] = TrackingEvent(last.program_code, last.status, last.date, self.notes)
        return out
