"""The embedded user store: one SQLite file in WAL mode with ``synchronous = FULL``.

Why these settings:

- **WAL** lets readers (other web workers, the CLI) read while one writer commits, and a crash
  never leaves a half-written page in the database file: recovery replays or drops the log.
- **synchronous = FULL**: the WAL is fsynced at every commit, so a commit that returned is on
  disk. In WAL mode ``NORMAL`` only syncs at checkpoints: it survives a killed process but can
  lose the last commits on a power cut or an OS crash, and a saved plan the user was shown a
  link for must not vanish. FULL survives both kill -9 and a power cut, for the cost of one
  fsync per save.
- **busy_timeout**: a writer waits for another writer (bounded) instead of failing at once.
- ``PRAGMA quick_check`` on open: a damaged file is never used, migrated or replaced; a copy is
  kept beside it and :class:`~smartpick.errors.StoreCorruptError` names that copy.

The store takes a path, ``":memory:"`` or an open :class:`sqlite3.Connection` (like
sqlite-utils' ``Database``). One connection is shared by the threads of a process, behind a lock;
processes coordinate through SQLite's own locking.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from smartpick.errors import StoreCorruptError, StoreError

from .sql import Cursor, SqlStore

__all__ = ["SQLiteStore"]

#: How long a writer waits for another one (milliseconds).
BUSY_TIMEOUT_MS = 15_000
_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def _keep_copy(path: Path) -> str | None:
    """Copy a damaged store (and its WAL) aside; the copy's path, or None if it failed."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    copy = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        shutil.copy2(path, copy)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                shutil.copy2(side, copy.with_name(copy.name + suffix))
    except OSError:
        return None
    return str(copy)


class SQLiteStore(SqlStore):
    """The user store in an SQLite database (see the module docstring)."""

    def __init__(self, target: str | os.PathLike[str] | sqlite3.Connection) -> None:
        self._lock = threading.RLock()
        self.path: Path | None = None
        if isinstance(target, sqlite3.Connection):
            self.location = "<connection>"
            self._conn = target
        elif str(target) == ":memory:":
            self.location = ":memory:"
            self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            self.path = Path(target).expanduser()
            self.location = str(self.path)
            self._conn = self._open_file(self.path)
        self._configure()
        try:
            with self._write() as cur:
                self._migrate(cur)
        except sqlite3.Error as exc:
            self._conn.close()
            raise StoreError(f"{self.location}: cannot migrate the user store ({exc})") from None

    # ------------------------------------------------------------------ opening
    def _open_file(self, path: Path) -> sqlite3.Connection:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the user store ({exc})") from None
        try:
            result = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if getattr(exc, "sqlite_errorcode", None) in _CORRUPT:
                self._corrupt(path, str(exc))
            raise StoreError(f"{path}: cannot read the user store ({exc})") from None
        if [tuple(r) for r in result] != [("ok",)]:
            conn.close()
            self._corrupt(path, "; ".join(str(r[0]) for r in result[:3]))
        return conn

    def _corrupt(self, path: Path, why: str) -> None:
        copy = _keep_copy(path)
        kept = f"a copy was kept at {copy}" if copy else "no copy could be made"
        raise StoreCorruptError(
            f"{path}: the user store (your saved plans and facts) failed its integrity check "
            f"({why}). It was left as it is and not replaced; {kept}. Restore it from a backup, "
            "or move it away to start an empty store.",
            copy=copy,
        )

    def _configure(self) -> None:
        conn = self._conn
        conn.isolation_level = None  # explicit BEGIN IMMEDIATE / COMMIT below
        try:
            if self.path is not None:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(f"{self.location}: cannot switch the store to WAL ({mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.location}: cannot configure the user store ({exc})") from None

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"{self.location}: the user store is busy ({exc})") from None
            try:
                yield conn.cursor()
            except sqlite3.Error as exc:
                conn.rollback()
                raise StoreError(f"{self.location}: nothing was saved ({exc})") from None
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.commit()
            except sqlite3.Error as exc:
                conn.rollback()
                raise StoreError(f"{self.location}: could not save ({exc})") from None

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        with self._lock:
            try:
                with closing(self._conn.cursor()) as cur:
                    yield cur
            except sqlite3.OperationalError as exc:
                raise StoreError(f"{self.location}: cannot read the user store ({exc})") from None

    # ------------------------------------------------------------------ checks
    def check(self) -> None:
        """``PRAGMA integrity_check`` plus a read of every table."""
        with self._read() as cur:
            rows = cur.execute("PRAGMA integrity_check").fetchall()
            if [tuple(r) for r in rows] != [("ok",)]:
                raise StoreCorruptError(
                    f"{self.location}: integrity check failed: {rows[0][0]}", copy=None
                )
            self._check_tables(cur)

    def connection(self) -> sqlite3.Connection:
        """The underlying connection (tests use it to add triggers)."""
        return self._conn

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
