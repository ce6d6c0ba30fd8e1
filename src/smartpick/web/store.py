"""Saved plans: stored only when the user asks, behind an unguessable link.

One table in the catalog's SQLite file, created on first use::

    saved_plans(id TEXT PRIMARY KEY, created TEXT, payload TEXT, delete_token_hash TEXT)

The id (the link) and the delete token are ``secrets.token_urlsafe(16)`` / ``(24)``; only a
SHA-256 hash of the delete token is kept, and the token is shown once, to the saver.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.config import resolve_db_path
from smartpick.errors import CatalogError

__all__ = ["PlanStore", "SavedPlan"]

_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_plans (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    payload TEXT NOT NULL,
    delete_token_hash TEXT NOT NULL
)
"""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SavedPlan:
    """A stored plan: its id, when it was saved, and the saved payload."""

    id: str
    created: str
    payload: dict[str, Any]


class PlanStore:
    """Saved plans in the catalog database (path via :func:`~smartpick.config.resolve_db_path`)."""

    def __init__(self, db: str | Path | None = None) -> None:
        self.path = resolve_db_path(db)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CatalogError(f"cannot open the plan store {self.path}: {exc}") from None
        return conn

    def save(self, payload: dict[str, Any]) -> tuple[str, str]:
        """Store a payload; return ``(id, delete_token)``."""
        plan_id = secrets.token_urlsafe(16)
        token = secrets.token_urlsafe(24)
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "INSERT INTO saved_plans (id, created, payload, delete_token_hash) "
                "VALUES (?, ?, ?, ?)",
                (plan_id, created, json.dumps(payload, separators=(",", ":")), _hash(token)),
            )
        return plan_id, token

    def get(self, plan_id: str) -> SavedPlan | None:
        """The saved plan with this id, or None."""
        if not _ID.match(plan_id):
            return None
        if not self.path.exists():
            return None
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT id, created, payload FROM saved_plans WHERE id = ?", (plan_id,)
            ).fetchone()
        if row is None:
            return None
        return SavedPlan(id=row[0], created=row[1], payload=json.loads(row[2]))

    def delete(self, plan_id: str, token: str) -> bool:
        """Delete a saved plan if the token is right; True when it was deleted."""
        if not _ID.match(plan_id) or not self.path.exists():
            return False
        with closing(self._connect()) as conn, conn:
            row = conn.execute(
                "SELECT delete_token_hash FROM saved_plans WHERE id = ?", (plan_id,)
            ).fetchone()
            if row is None or not hmac.compare_digest(row[0], _hash(token)):
                return False
            conn.execute("DELETE FROM saved_plans WHERE id = ?", (plan_id,))
        return True
