"""The user store in PostgreSQL, for deployments with several web workers or machines.

Selected by ``SMARTPICK_DATABASE_URL=postgresql://user:password@host:5432/dbname`` (any libpq
connection URI; ``?options=-csearch_path%3Dmyschema`` puts the tables in another schema).
The driver is psycopg 3: the maintained PostgreSQL adapter, with server-side parameter binding,
explicit transaction blocks and a binary wheel (nothing to compile). SQLAlchemy would add an
ORM-sized dependency for the dozen statements this store runs.

Durability comes from the server (``fsync = on``, ``synchronous_commit = on``, its defaults): a
commit that returned is on disk. Migrations run under an advisory lock, so workers that start
together migrate once. PostgreSQL has no ``PRAGMA integrity_check``; :meth:`check` reads every
table, and page checksums (``initdb --data-checksums``) or ``amcheck`` cover the rest.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from smartpick.errors import StoreError

from .sql import Cursor, SqlStore

__all__ = ["PostgresStore", "redact"]

_LOCK_KEY = 7_405_281_190  # pg_advisory_xact_lock key for migrations ("SmartPick store")


def redact(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


class PostgresStore(SqlStore):
    """Saved plans and user facts in PostgreSQL through a small pool of psycopg connections."""

    _mark = "%s"

    def __init__(self, url: str, *, pool_size: int = 8, connect_timeout: float = 10) -> None:
        self.url = url
        self.location = redact(url)
        self._timeout = connect_timeout
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(pool_size)
        self._closed = False
        try:
            with self._write() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                self._migrate(cur)
        except StoreError:
            self.close()
            raise

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(
                self.url, autocommit=True, connect_timeout=max(1, int(self._timeout))
            )
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: cannot connect to the user store ({exc})") from None

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        import psycopg

        if self._closed:
            raise StoreError(f"{self.location}: the user store is closed")
        self._slots.acquire()
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._connect()
            try:
                yield conn
            except psycopg.Error as exc:
                conn.close()
                raise StoreError(f"{self.location}: the user store failed ({exc})") from None
            except BaseException:
                conn.close()
                raise
            if conn.closed or conn.broken:
                conn.close()
            else:
                self._idle.put(conn)
        finally:
            self._slots.release()

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        with self._connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        with self._connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur

    def check(self) -> None:
        """Read every table (PostgreSQL checks its own pages; see the module docstring)."""
        with self._read() as cur:
            self._check_tables(cur)

    def close(self) -> None:
        """Close every idle connection (connections in use close when returned)."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                break
