"""The user store's vocabulary: the :class:`UserStore` protocol and the records it holds.

What a user made (saved plans, their own program facts, and next the application tracker) lives
in the user store, apart from the rebuildable catalog. Two backends implement the protocol:
:class:`~smartpick.store.sqlite.SQLiteStore` (embedded, the default) and
:class:`~smartpick.store.postgres.PostgresStore` (several web workers or machines).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, Protocol, runtime_checkable

from smartpick.track.records import EVENT_STATUSES, EventStatus, NewEvent, PlanEvent

__all__ = [
    "EVENT_STATUSES",
    "PLAN_ID",
    "DeleteResult",
    "EventStatus",
    "NewEvent",
    "PlanEvent",
    "SavedPlan",
    "TokenCheck",
    "UserFact",
    "UserStore",
    "hash_token",
    "new_plan_id",
    "new_token",
    "now_iso",
    "token_matches",
]

#: What a saved plan's id looks like (anything else is "no such plan" without a query).
PLAN_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

#: ``delete_plan``'s answer: deleted, the token is wrong, or there is no such plan.
DeleteResult = Literal["deleted", "forbidden", "missing"]
#: Whether a token opens a plan: it does, it is wrong, or there is no such plan.
TokenCheck = Literal["ok", "forbidden", "missing"]


class UserFact(NamedTuple):
    """One value a user gave for a program (``smartpick data import``)."""

    program_code: str
    field: str
    value: str | None
    source: str


@dataclass(frozen=True)
class SavedPlan:
    """A stored plan: its id, when it was saved (UTC, ISO 8601), and the saved payload."""

    id: str
    created: str
    payload: dict[str, Any]


@runtime_checkable
class UserStore(Protocol):
    """What the CLI, the planner and the web app need from the user store.

    Every write is one transaction, durable when the call returns.
    """

    #: Where the store is (a file path, ``:memory:`` or a URL without its password).
    location: str

    def save_plan(self, payload: dict[str, Any]) -> tuple[str, str]:
        """Store a payload; return ``(id, delete_token)`` (only a hash of the token is kept)."""
        ...

    def get_plan(self, plan_id: str) -> SavedPlan | None:
        """The saved plan with this id, or None."""
        ...

    def delete_plan(self, plan_id: str, token: str) -> DeleteResult:
        """Delete a saved plan when the token is right."""
        ...

    def plan_count(self) -> int:
        """How many plans are saved."""
        ...

    def check_token(self, plan_id: str, token: str) -> TokenCheck:
        """Whether ``token`` is this saved plan's token."""
        ...

    def add_events(
        self, plan_id: str, token: str, events: list[NewEvent]
    ) -> list[PlanEvent] | Literal["forbidden", "missing"]:
        """Append events to a saved plan (all or nothing) when the token is right."""
        ...

    def plan_events(self, plan_id: str) -> list[PlanEvent]:
        """Every event of a saved plan, in the order recorded."""
        ...

    def delete_event(self, plan_id: str, token: str, event_id: str) -> DeleteResult:
        """Delete one recorded event (to correct a mistake) when the token is right."""
        ...

    def user_facts(self) -> list[UserFact]:
        """Every fact of the user's, ordered by program code and field."""
        ...

    def put_user_facts(self, facts: list[UserFact]) -> int:
        """Insert or replace facts (same program and field) in one transaction; the count."""
        ...

    def reset_user_facts(self) -> int:
        """Remove every fact of the user's; how many were removed."""
        ...

    def facts_version(self) -> int:
        """A number that changes whenever the user's facts change (for caches)."""
        ...

    def secret(self) -> str:
        """A persistent random server secret (hex), created on first use (e.g. for CSRF)."""
        ...

    def check(self) -> None:
        """Raise :class:`~smartpick.errors.StoreError` unless the store passes its checks."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def new_plan_id() -> str:
    """An unguessable plan id (the link), never starting with "-": a command line would read
    ``smartpick track status -xyz...`` as an option (about 1 id in 64 did)."""
    while True:
        plan_id = secrets.token_urlsafe(16)
        if not plan_id.startswith("-"):
            return plan_id


def new_token() -> str:
    """An unguessable delete token (shown once, to the saver)."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """SHA-256 of a delete token: only this is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(stored_hash: str, token: str) -> bool:
    """Constant-time comparison of a token with the stored hash."""
    return hmac.compare_digest(stored_hash, hash_token(token))


def now_iso() -> str:
    """The current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
