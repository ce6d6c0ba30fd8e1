"""The derived cache: profile-independent results kept in a file beside the catalog.

A planner's first plan in a process spends most of its time on work that no profile changes:
program frames read from SQLite, the rate model's anchors per frame and applicant group, the
pooled signal effects, figures summed over the bundled CSVs. :class:`DerivedCache` is the
:class:`~smartpick.memo.MemoStore` the planner activates for :func:`smartpick.memo.persisted`
functions (and its frames): ``<catalog>.derived``, so the next process loads them.

Keyed by exactly what the results depend on:

- the file's header: :data:`FORMAT`, the catalog file (path, inode, size, modification time),
  :data:`~smartpick.model.params.MODEL_VERSION`, a fingerprint of the package's code and
  bundled data (:func:`code_fingerprint`), the Python and NumPy versions; a different header
  discards every entry;
- each entry: its kind and the function's own key (e.g. a frame's content digest and the
  applicant group, :func:`smartpick.memo.frame_digest`).

Never mixed with the user store: a planner uses the cache only while the user has no facts of
their own (their frames differ), and no profile or result of a profile is ever stored.
Bounded: at most :data:`MAX_BYTES` of entries (the oldest are dropped). Entries of a stale
header are deleted; a damaged entry or file is recomputed (the file recreated), never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import sys
import threading
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import numpy as np

from smartpick.dbfile import is_busy

__all__ = ["FORMAT", "MAX_BYTES", "SUFFIX", "DerivedCache", "code_fingerprint"]

#: Version of the file's layout (part of the header).
FORMAT = 1
#: Upper bound on the pickled entries kept in one file (bytes).
MAX_BYTES = 64 * 2**20
#: Suffix of the cache file beside the catalog.
SUFFIX = ".derived"


_PACKAGE = Path(__file__).resolve().parent
#: Package files the fingerprint covers (the web layer computes nothing cached here).
_CODE_SUFFIXES = (".py", ".pyx", ".so", ".json", ".csv")
_SKIP_DIRS = {"__pycache__", "web"}


# --------------------------------------------------------------------------- fingerprints
def _code_files() -> list[tuple[str, os.stat_result]]:
    out: list[tuple[str, os.stat_result]] = []
    stack = [_PACKAGE]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in _SKIP_DIRS:
                        stack.append(Path(entry.path))
                elif entry.name.endswith(_CODE_SUFFIXES):
                    rel = os.path.relpath(entry.path, _PACKAGE)
                    out.append((rel, entry.stat()))
    out.sort(key=lambda item: item[0])
    return out


def code_fingerprint(known: tuple[Any, str] | None = None) -> tuple[tuple[Any, ...], str]:
    """(stat signature, sha256) of the package's code and bundled data.

    ``known`` is a (signature, sha256) pair computed earlier: when the files' sizes and
    modification times still match it, its sha256 is returned without reading the files.
    """
    files = _code_files()
    signature = tuple((rel, st.st_size, st.st_mtime_ns) for rel, st in files)
    if known is not None and known[0] == signature:
        return signature, known[1]
    h = hashlib.sha256()
    for rel, _ in files:
        h.update(rel.encode())
        h.update(b"\0")
        h.update((_PACKAGE / rel).read_bytes())
        h.update(b"\0")
    return signature, h.hexdigest()


# --------------------------------------------------------------------------- the file
def _freeze_flags(value: Any) -> tuple[bool, ...] | None:
    """Which arrays of a value (an array or a tuple of them) are read-only."""
    if isinstance(value, np.ndarray):
        return (not value.flags.writeable,)
    if isinstance(value, tuple) and value and all(isinstance(v, np.ndarray) for v in value):
        return tuple(not v.flags.writeable for v in value)
    return None


def _refreeze(value: Any, flags: tuple[bool, ...] | None) -> Any:
    if flags is None:
        return value
    arrays = (value,) if isinstance(value, np.ndarray) else value
    for arr, frozen in zip(arrays, flags, strict=True):
        if frozen:
            arr.flags.writeable = False
    return value


_DDL = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
)


def _meta(conn: sqlite3.Connection) -> dict[str, Any]:
    """The file's meta rows ({} for a new, empty file)."""
    try:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return {}
        raise


class DerivedCache:
    """The derived results of one catalog file (see the module docstring); thread-safe.

    Stored in an SQLite file (entries read one by one when asked for, new ones written by
    :meth:`save` in one transaction); nothing is kept in memory past :meth:`save` (the callers'
    own bounded caches keep what they use). Every failure to read or write only costs time.
    """

    def __init__(self, path: Path, catalog: tuple[Any, ...], code: tuple[Any, str]) -> None:
        from smartpick.model.params import MODEL_VERSION

        self.path = path
        self.catalog = catalog
        runtime = (sys.version_info[:3], np.__version__)  # the arithmetic behind the values
        self.header = repr((FORMAT, catalog, MODEL_VERSION, code[1], runtime))
        self._code = code
        self._conn: sqlite3.Connection | None = None
        self._pending: dict[str, bytes] = {}  # new entries until :meth:`save`
        self._lock = threading.Lock()

    @classmethod
    def load(cls, catalog_path: Path, catalog: tuple[Any, ...]) -> DerivedCache:
        """The cache beside ``catalog_path`` for the catalog file ``catalog`` (its identity);
        emptied when it was made for another catalog, model or code, recreated when damaged."""
        path = catalog_path.with_name(catalog_path.name + SUFFIX)
        try:
            return cls._open(path, catalog)
        except sqlite3.Error as exc:
            if is_busy(exc):  # another process is writing it: do without it this time
                return cls(path, catalog, code_fingerprint())
        except Exception:  # damaged or not a cache file
            pass
        with contextlib.suppress(OSError):
            path.unlink()  # start a new one
        try:
            return cls._open(path, catalog)
        except Exception:  # a folder we cannot write: compute everything
            return cls(path, catalog, code_fingerprint())

    @classmethod
    def _open(cls, path: Path, catalog: tuple[Any, ...]) -> DerivedCache:
        conn = sqlite3.connect(path, timeout=1.0, isolation_level=None, check_same_thread=False)
        try:
            meta = _meta(conn)
            known = pickle.loads(meta["code"]) if "code" in meta else None
            code = code_fingerprint(known if isinstance(known, tuple) and len(known) == 2 else None)
            cache = cls(path, catalog, code)
            if meta.get("header") != cache.header or known != code:
                with conn:
                    conn.execute("BEGIN IMMEDIATE")
                    for ddl in _DDL:
                        conn.execute(ddl)
                    if _meta(conn).get("header") != cache.header:  # as it is now, locked
                        conn.execute("DELETE FROM entries")
                    conn.executemany(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                        [("header", cache.header), ("code", pickle.dumps(code, protocol=5))],
                    )
        except BaseException:
            conn.close()
            raise
        cache._conn = conn
        return cache

    def get(self, key: tuple[Hashable, ...]) -> tuple[bool, Any]:
        """(True, value) when the entry exists and loads, else (False, None)."""
        with self._lock:
            blob = self._pending.get(repr(key))
            conn = self._conn
            try:
                if blob is None and conn is not None:
                    row = conn.execute("SELECT value FROM entries WHERE key = ?", (repr(key),))
                    found = row.fetchone()
                    blob = None if found is None else found[0]
                if blob is None:
                    return False, None
                flags, value = pickle.loads(blob)
                return True, _refreeze(value, flags)
            except Exception:  # a damaged entry: recompute it
                return False, None

    def put(self, key: tuple[Hashable, ...], value: Any) -> None:
        """Keep an entry (written by :meth:`save`)."""
        blob = pickle.dumps((_freeze_flags(value), value), protocol=5)
        with self._lock:
            self._pending[repr(key)] = blob

    def save(self) -> None:
        """Write the new entries in one transaction, then drop the oldest past
        :data:`MAX_BYTES` (a failure is ignored: the cache only saves time)."""
        with self._lock:
            pending, self._pending = self._pending, {}
            conn = self._conn
            if not pending or conn is None:
                return
            try:
                with conn:
                    conn.execute("BEGIN IMMEDIATE")
                    if conn.execute("SELECT value FROM meta WHERE key = 'header'").fetchone() != (
                        self.header,
                    ):
                        return  # another process made it for another catalog meanwhile
                    conn.executemany(
                        "INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)",
                        pending.items(),
                    )
                    total = 0
                    rows = conn.execute(
                        "SELECT rowid, length(value) FROM entries ORDER BY rowid DESC"
                    ).fetchall()
                    old = []
                    for rowid, size in rows:
                        total += size
                        if total > MAX_BYTES:
                            old.append((rowid,))
                    conn.executemany("DELETE FROM entries WHERE rowid = ?", old)
            except sqlite3.Error:
                pass

    def close(self) -> None:
        """Close the file (unsaved entries are dropped)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
