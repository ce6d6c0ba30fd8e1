"""Move saved plans and user facts out of a catalog file of the old format (first start).

Before the user store existed, ``saved_plans`` and ``user_facts`` lived inside the catalog file.
On first start they are copied into the user store, once per old file (a marker in the store's
``meta`` names the file's build time and a hash of its rows, so a later ``data reset`` stays
reset). Rows already
in the store win. The catalog build keeps a hard link of an old catalog that still holds such
rows (``<catalog>.user-data-backup*``) before it replaces it, and those are read here too.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.dbfile import connect_read_only
from smartpick.errors import CatalogError, StoreError

from .base import UserFact
from .sql import SqlStore

__all__ = ["LEGACY_TABLES", "Adopted", "adopt_legacy", "backup_paths", "legacy_rows"]

#: The user's tables that an old catalog file may hold.
LEGACY_TABLES: tuple[str, ...] = ("saved_plans", "user_facts")


@dataclass(frozen=True)
class Adopted:
    """What moved across from one old file."""

    source: str
    plans: int
    facts: int


def backup_paths(catalog: Path) -> list[Path]:
    """Copies of old catalogs the build kept beside ``catalog``."""
    return sorted(catalog.parent.glob(f"{catalog.name}.user-data-backup*"))


def _read_only(path: Path) -> sqlite3.Connection:
    try:
        return connect_read_only(path, wait=15)
    except CatalogError as exc:
        raise StoreError(
            f"cannot read the old catalog to move your saved plans and facts into the user "
            f"store: {exc}; nothing was changed"
        ) from None


def legacy_rows(path: Path) -> tuple[str, list[tuple[Any, ...]], list[UserFact]] | None:
    """``(marker, plans, facts)`` held by an old-format catalog file, or None when none.

    A file that is not a database holds nothing readable (None); a file that cannot be read now
    (locked, or a hot journal that a read-only connection cannot roll back) raises StoreError.
    """
    if not path.is_file():
        return None
    try:
        with closing(_read_only(path)) as conn:
            names = {
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)",
                    LEGACY_TABLES,
                )
            }
            if not names:
                return None
            plans: list[tuple[Any, ...]] = []
            facts: list[UserFact] = []
            if "saved_plans" in names:
                plans = conn.execute(
                    "SELECT id, created, payload, delete_token_hash FROM saved_plans"
                ).fetchall()
            if "user_facts" in names:
                facts = [
                    UserFact(*r)
                    for r in conn.execute(
                        "SELECT program_code, field, value, source FROM user_facts"
                    )
                ]
            built = ""
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                row = conn.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()
                built = str(row[0]) if row else ""
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            return None
        raise StoreError(
            f"{path}: cannot read the old catalog to move your saved plans and facts into the "
            f"user store ({exc}); nothing was changed, try again"
        ) from None
    if not plans and not facts:
        return None
    # the marker names the content (a kept hard link of the same file is the same data)
    digest = hashlib.sha256(repr((built, sorted(plans), sorted(facts))).encode()).hexdigest()
    return f"catalog built {built or '?'} ({digest[:16]})", plans, facts


def adopt_legacy(store: SqlStore, catalog: Path) -> list[Adopted]:
    """Copy the user's rows from ``catalog`` (and kept backups) into ``store``, once each."""
    out: list[Adopted] = []
    for path in (catalog, *backup_paths(catalog)):
        found = legacy_rows(path)
        if found is None:
            continue
        marker, plans, facts = found
        if store.adopt(marker, plans, facts):
            out.append(Adopted(str(path), len(plans), len(facts)))
    return out
