"""Read-only SQLite connections that wait for a writer and recover a hot journal.

A catalog is opened read-only at run time. Two states of the file are "cannot read it now",
not "out of date":

- **locked** by a writer: the connection waits (``busy_timeout``, bounded by ``wait``), then
  :class:`~smartpick.errors.CatalogBusyError` says so;
- a **hot journal** left by a writer that was killed mid-transaction: a read-only connection
  cannot roll it back (``SQLITE_READONLY_ROLLBACK``), so a read-write connection is opened once
  to let SQLite roll the file back to its last commit, and the read-only open is retried.

Neither ever leads to a rebuild.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from smartpick.errors import CatalogBusyError, CatalogError

__all__ = ["connect_read_only", "is_busy"]

_READONLY_ROLLBACK = getattr(sqlite3, "SQLITE_READONLY_ROLLBACK", 776)


def is_busy(exc: sqlite3.Error) -> bool:
    """True when the error means another connection holds a lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return True
    return "locked" in str(exc) or "busy" in str(exc)


def _probe(conn: sqlite3.Connection) -> None:
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def _roll_back_hot_journal(path: Path, wait: float) -> None:
    try:
        with closing(sqlite3.connect(path, timeout=wait)) as rw:
            _probe(rw)  # the first read rolls the hot journal back
    except sqlite3.Error as exc:
        if is_busy(exc):
            raise CatalogBusyError(
                f"{path}: the catalog is locked by another process (waited {wait:g} s); "
                "try again when it finishes"
            ) from None
        raise CatalogError(
            f"{path}: an interrupted write left a journal that needs write access to roll back "
            f"({exc}); run any smartpick command as the file's owner"
        ) from None


def connect_read_only(path: Path, *, wait: float = 30.0) -> sqlite3.Connection:
    """A read-only connection to ``path`` that has read the schema (see the module docstring).

    Raises :class:`CatalogBusyError` after ``wait`` seconds of a lock, and lets other
    :class:`sqlite3.DatabaseError` (not a database, damaged) through for the caller to name.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    for attempt in range(2):
        conn = sqlite3.connect(uri, uri=True, timeout=wait, check_same_thread=False)
        try:
            _probe(conn)
            return conn
        except sqlite3.Error as exc:
            conn.close()
            if getattr(exc, "sqlite_errorcode", None) == _READONLY_ROLLBACK and attempt == 0:
                _roll_back_hot_journal(path, wait)
                continue
            if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
                raise CatalogBusyError(
                    f"{path}: the catalog is locked by another process (waited {wait:g} s); "
                    "try again when it finishes"
                ) from None
            raise
    raise CatalogError(f"{path}: cannot open the catalog read-only")  # pragma: no cover
