"""The tracker's records: the statuses, an event to record and a recorded event (pure).

The user store keeps them (:mod:`smartpick.store.events`); :mod:`.events` checks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["EVENT_STATUSES", "EventStatus", "NewEvent", "PlanEvent"]

#: What can happen at a program during the season (the tracker's statuses).
EventStatus = Literal["applied", "invited", "interviewed", "rejected", "withdrawn", "ranked"]
EVENT_STATUSES: tuple[EventStatus, ...] = (
    "applied",
    "invited",
    "interviewed",
    "rejected",
    "withdrawn",
    "ranked",
)


@dataclass(frozen=True)
class NewEvent:
    """An event to record (validated by :mod:`smartpick.track.events` before it gets here)."""

    program_code: str
    status: EventStatus
    date: str  # ISO date of the event
    note: str | None = None


@dataclass(frozen=True)
class PlanEvent:
    """A recorded event of a saved plan: appended, never edited (a change is a new event)."""

    id: str
    plan_id: str
    position: int  # order of recording within the plan (1, 2, ...)
    program_code: str
    status: EventStatus
    date: str
    note: str | None
    recorded_at: str  # UTC, ISO 8601
