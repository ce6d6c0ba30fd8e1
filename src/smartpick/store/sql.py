"""The store's SQL, written once for both backends (they differ in connections and locking).

A backend supplies :meth:`SqlStore._write` (one transaction that takes the write lock) and
:meth:`SqlStore._read`, each yielding a cursor; statements use ``?`` and are rewritten to
``%s`` for PostgreSQL.
"""

from __future__ import annotations

import json
import secrets
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from smartpick.errors import StoreError

from .base import (
    PLAN_ID,
    DeleteResult,
    SavedPlan,
    UserFact,
    hash_token,
    new_plan_id,
    new_token,
    now_iso,
    token_matches,
)
from .events import EventsMixin
from .schema import LATEST, MIGRATIONS, VERSION_TABLE

__all__ = ["Cursor", "SqlStore"]


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses (sqlite3 and psycopg alike)."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: Any, params: Sequence[Any] = ..., /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


_BUMP = (
    "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'facts_version'"
)


class SqlStore(EventsMixin, ABC):
    """Saved plans, their tracker events, user facts, meta and migrations over DB-API."""

    location: str = ""
    _mark = "?"

    @abstractmethod
    def _write(self) -> AbstractContextManager[Cursor]:
        """A write transaction (committed on success, rolled back on error)."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[Cursor]:
        """A consistent read."""

    @abstractmethod
    def close(self) -> None:
        """Release connections."""

    def _q(self, sql: str) -> str:
        return sql if self._mark == "?" else sql.replace("?", self._mark)

    def _run(self, cur: Cursor, sql: str, params: Sequence[Any] = ()) -> Cursor:
        cur.execute(self._q(sql), tuple(params))
        return cur

    # ------------------------------------------------------------------ schema
    def _migrate(self, cur: Cursor) -> None:
        """Apply pending migrations inside the caller's write transaction."""
        self._run(cur, VERSION_TABLE)
        row = self._run(cur, "SELECT max(version) FROM schema_migrations").fetchone()
        current = int(row[0]) if row and row[0] is not None else 0
        if current > LATEST:
            raise StoreError(
                f"{self.location}: the user store is at schema version {current}, newer than "
                f"this SmartPick knows ({LATEST}); upgrade SmartPick (the store is unchanged)"
            )
        for version in sorted(v for v in MIGRATIONS if v > current):
            for statement in MIGRATIONS[version]:
                self._run(cur, statement)
            self._run(
                cur,
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                (version, now_iso()),
            )

    def schema_version(self) -> int:
        """The store's applied schema version."""
        with self._read() as cur:
            row = self._run(cur, "SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0])

    def _check_tables(self, cur: Cursor) -> None:
        """Read every table once: each row count, and every payload parses."""
        for table in ("meta", "saved_plans", "plan_events", "user_facts", "schema_migrations"):
            self._run(cur, f"SELECT count(*) FROM {table}").fetchone()

    # ------------------------------------------------------------------ plans
    def save_plan(self, payload: dict[str, Any]) -> tuple[str, str]:
        """Store a payload; return ``(id, delete_token)``."""
        plan_id, token = new_plan_id(), new_token()
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        with self._write() as cur:
            self._run(
                cur,
                "INSERT INTO saved_plans (id, created, payload, delete_token_hash) "
                "VALUES (?, ?, ?, ?)",
                (plan_id, now_iso(), body, hash_token(token)),
            )
        return plan_id, token

    def get_plan(self, plan_id: str) -> SavedPlan | None:
        """The saved plan with this id, or None."""
        if not PLAN_ID.match(plan_id):
            return None
        with self._read() as cur:
            row = self._run(
                cur, "SELECT id, created, payload FROM saved_plans WHERE id = ?", (plan_id,)
            ).fetchone()
        if row is None:
            return None
        return SavedPlan(id=str(row[0]), created=str(row[1]), payload=json.loads(row[2]))

    def delete_plan(self, plan_id: str, token: str) -> DeleteResult:
        """Delete a saved plan when the token is right."""
        if not PLAN_ID.match(plan_id):
            return "missing"
        with self._write() as cur:
            row = self._run(
                cur, "SELECT delete_token_hash FROM saved_plans WHERE id = ?", (plan_id,)
            ).fetchone()
            if row is None:
                return "missing"
            if not token_matches(str(row[0]), token):
                return "forbidden"
            self._run(cur, "DELETE FROM plan_events WHERE plan_id = ?", (plan_id,))
            self._run(cur, "DELETE FROM saved_plans WHERE id = ?", (plan_id,))
        return "deleted"

    def plan_count(self) -> int:
        """How many plans are saved."""
        with self._read() as cur:
            return int(self._run(cur, "SELECT count(*) FROM saved_plans").fetchone()[0])

    def plan_ids(self) -> list[str]:
        """Every saved plan's id (for checks and tests)."""
        with self._read() as cur:
            return [str(r[0]) for r in self._run(cur, "SELECT id FROM saved_plans").fetchall()]

    # ------------------------------------------------------------------ facts
    def user_facts(self) -> list[UserFact]:
        """Every fact of the user's, ordered by program code and field."""
        with self._read() as cur:
            rows = self._run(
                cur,
                "SELECT program_code, field, value, source FROM user_facts "
                "ORDER BY program_code, field",
            ).fetchall()
        return [UserFact(*r) for r in rows]

    def put_user_facts(self, facts: list[UserFact]) -> int:
        """Insert or replace facts in one transaction (all or nothing)."""
        with self._write() as cur:
            self._put_facts(cur, facts, replace=True)
            self._run(cur, _BUMP)
        return len(facts)

    def _put_facts(self, cur: Cursor, facts: Sequence[UserFact], *, replace: bool) -> None:
        action = (
            "DO UPDATE SET value = excluded.value, source = excluded.source"
            if replace
            else "DO NOTHING"
        )
        sql = self._q(
            "INSERT INTO user_facts (program_code, field, value, source) VALUES (?, ?, ?, ?) "
            f"ON CONFLICT (program_code, field) {action}"
        )
        for fact in facts:
            cur.execute(sql, tuple(fact))

    def reset_user_facts(self) -> int:
        """Remove every fact of the user's; how many were removed."""
        with self._write() as cur:
            removed = self._run(cur, "DELETE FROM user_facts").rowcount
            self._run(cur, _BUMP)
        return int(removed)

    def facts_version(self) -> int:
        """Changes whenever the facts change."""
        return int(self._meta("facts_version") or 0)

    # ------------------------------------------------------------------ meta
    def _meta(self, key: str) -> str | None:
        with self._read() as cur:
            row = self._run(cur, "SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def secret(self) -> str:
        """A persistent random server secret, created once (the first writer wins)."""
        found = self._meta("server_secret")
        if found:
            return found
        with self._write() as cur:
            self._run(
                cur,
                "INSERT INTO meta (key, value) VALUES ('server_secret', ?) "
                "ON CONFLICT (key) DO NOTHING",
                (secrets.token_hex(32),),
            )
            row = self._run(cur, "SELECT value FROM meta WHERE key = 'server_secret'").fetchone()
        return str(row[0])

    # ------------------------------------------------------------------ legacy
    def adopt(
        self, marker: str, plans: Sequence[tuple[Any, ...]], facts: Sequence[UserFact]
    ) -> bool:
        """Copy plans and facts from an old catalog file once (``marker`` names that file).

        Rows already here win (nothing is overwritten). False when ``marker`` was seen before.
        """
        key = f"adopted:{marker}"
        with self._write() as cur:
            if self._run(cur, "SELECT 1 FROM meta WHERE key = ?", (key,)).fetchone():
                return False
            sql = self._q(
                "INSERT INTO saved_plans (id, created, payload, delete_token_hash) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
            )
            for plan in plans:
                cur.execute(sql, tuple(plan))
            self._put_facts(cur, facts, replace=False)
            self._run(cur, _BUMP)
            self._run(cur, "INSERT INTO meta (key, value) VALUES (?, ?)", (key, now_iso()))
        return True

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
