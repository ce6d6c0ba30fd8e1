"""Install a freshly built catalog file atomically and durably.

1. One build at a time per folder: an exclusive ``flock`` on the catalog's folder itself (no
   lock file to leave behind).
2. Under that lock any ``.<name>.*.tmp`` file is a leftover of a killed build: removed.
3. The new database image (built in memory) is written to a temp file in the same folder,
   flushed and fsynced, renamed over the catalog (:func:`os.replace`, atomic on POSIX), and the
   folder is fsynced so the rename itself survives a power cut. Readers see the old file or
   the new one, never a mix; a reader with the old file open keeps reading it.
4. An old-format catalog that still holds a user's rows (``saved_plans``, ``user_facts``) is
   hard-linked to ``<name>.user-data-backup`` first, so nothing a user made is ever deleted by
   a build (the user store adopts those rows on its next start).
5. A journal left beside the old file by a killed writer is rolled back before the swap (a stale
   journal must never be applied to the new file).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from smartpick.dbfile import connect_read_only
from smartpick.errors import CatalogError

__all__ = ["build_lock", "install_image", "stale_temps"]

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process build lock
    fcntl = None  # type: ignore[assignment]


def stale_temps(target: Path) -> list[Path]:
    """Temp files of builds of ``target`` (only stale while :func:`build_lock` is held)."""
    return sorted(target.parent.glob(f".{target.name}.*.tmp"))


@contextlib.contextmanager
def build_lock(target: Path, *, blocking: bool = True) -> Iterator[bool]:
    """Hold the catalog's build lock; yields False when ``blocking=False`` and it is taken.

    While held, stale temp files of killed builds are removed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        if fcntl is not None:
            flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
            try:
                fcntl.flock(fd, flags)
            except BlockingIOError:
                yield False
                return
        try:
            for tmp in stale_temps(target):
                tmp.unlink(missing_ok=True)
            yield True
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _user_rows(path: Path) -> int:
    try:
        with contextlib.closing(connect_read_only(path, wait=15)) as conn:
            total = 0
            for table in ("saved_plans", "user_facts"):
                found = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
                ).fetchone()
                if found:
                    total += int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            return total
    except sqlite3.DatabaseError:
        return 0  # not a database: nothing readable to keep


def _keep_user_data(target: Path) -> str | None:
    """Hard-link an old catalog holding user rows aside; the link's path."""
    if not target.is_file() or _user_rows(target) == 0:
        return None
    n = 0
    while True:
        backup = target.with_name(f"{target.name}.user-data-backup" + (f".{n}" if n else ""))
        try:
            os.link(target, backup)
            return str(backup)
        except FileExistsError:
            n += 1
        except OSError as exc:
            raise CatalogError(
                f"{target}: holds saved plans or your facts from an older SmartPick and no "
                f"backup of it could be made ({exc}); the catalog was not replaced"
            ) from None


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def install_image(target: Path, image: bytes) -> str | None:
    """Write ``image`` to ``target`` atomically (caller holds :func:`build_lock`).

    Returns the path of the user-data backup it kept, if any.
    """
    journal = target.with_name(target.name + "-journal")
    if journal.exists() and target.exists():
        with contextlib.suppress(sqlite3.Error, CatalogError):
            connect_read_only(target, wait=15).close()  # rolls a hot journal back
    backup = _keep_user_data(target)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(image)
            out.flush()
            os.fsync(out.fileno())
        journal.unlink(missing_ok=True)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return backup
