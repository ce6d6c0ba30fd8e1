"""The tracker's events in the user store: appended per saved plan, deleted with it.

Every write checks the plan's token (the delete token shown once at saving) inside the same
transaction that writes. The plan's row is touched first (``UPDATE ... SET id = id``), which
takes its row lock in PostgreSQL, so two writers to one plan number their events one after the
other (SQLite's ``BEGIN IMMEDIATE`` already serialises writers).
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Literal, cast

from smartpick.track.records import EventStatus, NewEvent, PlanEvent

from .base import PLAN_ID, DeleteResult, TokenCheck, now_iso
from .base import token_matches as _matches

if TYPE_CHECKING:
    from .sql import Cursor

__all__ = ["EventsMixin"]

_COLUMNS = "id, plan_id, position, program_code, status, event_date, note, recorded_at"
#: What an event id looks like (anything else is "no such event" without a query).
_EVENT_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _event(row: Sequence[Any]) -> PlanEvent:
    return PlanEvent(
        id=str(row[0]),
        plan_id=str(row[1]),
        position=int(row[2]),
        program_code=str(row[3]),
        status=cast(EventStatus, str(row[4])),
        date=str(row[5]),
        note=None if row[6] is None else str(row[6]),
        recorded_at=str(row[7]),
    )


class EventsMixin(ABC):
    """``add_events``, ``plan_events``, ``delete_event`` and ``check_token`` over SQL."""

    @abstractmethod
    def _write(self) -> AbstractContextManager[Cursor]: ...

    @abstractmethod
    def _read(self) -> AbstractContextManager[Cursor]: ...

    @abstractmethod
    def _run(self, cur: Cursor, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def _token_of(self, cur: Cursor, plan_id: str, token: str) -> TokenCheck:
        row = self._run(
            cur, "SELECT delete_token_hash FROM saved_plans WHERE id = ?", (plan_id,)
        ).fetchone()
        if row is None:
            return "missing"
        return "ok" if _matches(str(row[0]), token) else "forbidden"

    def _lock_plan(self, cur: Cursor, plan_id: str, token: str) -> TokenCheck:
        """Lock the plan's row and check its token (inside a write)."""
        self._run(cur, "UPDATE saved_plans SET id = id WHERE id = ?", (plan_id,))
        return self._token_of(cur, plan_id, token)

    def check_token(self, plan_id: str, token: str) -> TokenCheck:
        """Whether ``token`` is this saved plan's token."""
        if not PLAN_ID.match(plan_id):
            return "missing"
        with self._read() as cur:
            return self._token_of(cur, plan_id, token)

    def add_events(
        self, plan_id: str, token: str, events: list[NewEvent]
    ) -> list[PlanEvent] | Literal["forbidden", "missing"]:
        """Append events to a saved plan in one transaction (all or nothing)."""
        if not PLAN_ID.match(plan_id):
            return "missing"
        out: list[PlanEvent] = []
        with self._write() as cur:
            check = self._lock_plan(cur, plan_id, token)
            if check != "ok":
                return check
            row = self._run(
                cur, "SELECT max(position) FROM plan_events WHERE plan_id = ?", (plan_id,)
            ).fetchone()
            position = int(row[0]) if row and row[0] is not None else 0
            recorded = now_iso()
            for event in events:
                position += 1
                item = PlanEvent(
                    id=secrets.token_urlsafe(9),
                    plan_id=plan_id,
                    position=position,
                    program_code=event.program_code,
                    status=event.status,
                    date=event.date,
                    note=event.note,
                    recorded_at=recorded,
                )
                self._run(
                    cur,
                    f"INSERT INTO plan_events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        item.id,
                        plan_id,
                        position,
                        item.program_code,
                        item.status,
                        item.date,
                        item.note,
                        recorded,
                    ),
                )
                out.append(item)
        return out

    def plan_events(self, plan_id: str) -> list[PlanEvent]:
        """Every event of a saved plan, in the order recorded."""
        if not PLAN_ID.match(plan_id):
            return []
        with self._read() as cur:
            rows = self._run(
                cur,
                f"SELECT {_COLUMNS} FROM plan_events WHERE plan_id = ? ORDER BY position",
                (plan_id,),
            ).fetchall()
        return [_event(r) for r in rows]

    def delete_event(self, plan_id: str, token: str, event_id: str) -> DeleteResult:
        """Delete one recorded event when the token is right ("missing": plan or event)."""
        if not PLAN_ID.match(plan_id) or not event_id or set(event_id) - _EVENT_ID_CHARS:
            return "missing"
        with self._write() as cur:
            check = self._lock_plan(cur, plan_id, token)
            if check != "ok":
                return check
            gone = self._run(
                cur,
                "DELETE FROM plan_events WHERE plan_id = ? AND id = ?",
                (plan_id, event_id),
            ).rowcount
        return "deleted" if gone else "missing"
