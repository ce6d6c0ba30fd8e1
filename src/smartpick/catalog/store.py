"""The catalog store: open read-only (building on first use), search, frames, specialties,
sources; the user's facts are applied per connection (:meth:`Catalog.set_user_facts`).

>>> with Catalog.open(":memory:") as cat:             # doctest: +SKIP
...     cat.count(ProgramQuery(specialty="Internal Medicine", tracks=("C",)))
764
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from smartpick.config import resolve_db_path
from smartpick.dbfile import connect_read_only
from smartpick.errors import CatalogError
from smartpick.frame import ProgramFrame
from smartpick.query import ProgramQuery

from .filters import compile_query, resolve_tracks, specialty_or_error
from .fingerprint import builder_fingerprint, sources_fingerprint
from .records import frame_from_rows, record
from .replace import build_lock
from .schema import SCHEMA_VERSION, USER_FACTS_DDL, VIEW_DDL

__all__ = ["DEFAULT_WAIT", "Catalog", "ensure_catalog", "is_stale"]

#: How long a command waits for a catalog another process holds locked (seconds).
DEFAULT_WAIT = 30.0


def _not_a_catalog(path: Path, why: object) -> CatalogError:
    return CatalogError(
        f"{path}: not a readable SmartPick catalog ({why}). It was left as it is; if it is a "
        "catalog, `smartpick data build` replaces it (a catalog holds no data of yours)"
    )


def is_stale(path: Path, *, wait: float = DEFAULT_WAIT) -> bool:
    """True when the catalog at ``path`` was built by other code or data (or an old format).

    A catalog that cannot be read *now* is not stale: a lock is waited for (then
    :class:`~smartpick.errors.CatalogBusyError`), a hot journal is rolled back, and a file that
    is not a catalog raises :class:`~smartpick.errors.CatalogError`. None of them is rebuilt.
    """
    try:
        with contextlib.closing(connect_read_only(path, wait=wait)) as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise _not_a_catalog(path, exc) from None
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        return True
    if meta.get("builder_sha256") != builder_fingerprint():
        return True
    data_dir = meta.get("data_dir") or None
    try:
        return meta.get("sources_sha256") != sources_fingerprint(
            Path(data_dir) if data_dir else None
        )
    except CatalogError:
        return True


def ensure_catalog(
    path: str | os.PathLike[str] | None = None,
    *,
    build_if_missing: bool = True,
    wait: float = DEFAULT_WAIT,
) -> Path:
    """The catalog file's path, built first when missing or stale (unless told not to: then
    :class:`~smartpick.errors.CatalogError`). A catalog that cannot be read now is waited for
    or reported (:func:`is_stale`), never rebuilt."""
    target = resolve_db_path(path)
    if not target.exists() or is_stale(target, wait=wait):
        if not build_if_missing:
            why = "no catalog here" if not target.exists() else "catalog is out of date"
            raise CatalogError(f"{target}: {why}; run `smartpick data build`")
        from .build import build_catalog  # the builder only when a build is due

        build_catalog(target, unless=lambda t: t.exists() and not is_stale(t, wait=wait))
    else:
        with build_lock(target, blocking=False):
            pass  # removes temp files of killed builds (when no build is running)
    return target


class Catalog:
    """Read access to the catalog database, with the user's facts applied per connection.

    The file is opened read-only; ``temp.user_facts`` and ``temp.program_view`` live in the
    connection only (see :mod:`.schema`): :meth:`set_user_facts` loads the user's facts.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        conn.row_factory = sqlite3.Row
        conn.execute(USER_FACTS_DDL)
        conn.execute(VIEW_DDL)
        self._conn = conn
        self.path = path

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        build_if_missing: bool = True,
        wait: float = DEFAULT_WAIT,
        user_facts: Iterable[Sequence[Any]] = (),
    ) -> Catalog:
        """Open the catalog read-only; build it first when missing or stale (unless told not
        to). A catalog that cannot be read now is waited for or reported, never rebuilt.

        ``path`` None → ``--db`` / ``$SMARTPICK_DB`` / the per-user default; ``":memory:"``
        builds a private in-memory catalog.
        """
        if str(path) == ":memory:":
            from .build import populate

            conn = sqlite3.connect(":memory:", check_same_thread=False)
            populate(conn)
            cat = cls(conn)
        else:
            target = ensure_catalog(path, build_if_missing=build_if_missing, wait=wait)
            try:
                conn = connect_read_only(target, wait=wait)
            except sqlite3.DatabaseError as exc:
                raise _not_a_catalog(target, exc) from None
            cat = cls(conn, target)
        cat.set_user_facts(user_facts)
        return cat

    def set_user_facts(self, facts: Iterable[Sequence[Any]]) -> None:
        """Replace the user's facts this connection applies (program_code, field, value,
        source), e.g. :meth:`smartpick.store.UserStore.user_facts`."""
        conn = self._conn
        with conn:
            conn.execute("DELETE FROM temp.user_facts")
            conn.executemany(
                "INSERT OR REPLACE INTO temp.user_facts (program_code, field, value, source) "
                "VALUES (?, ?, ?, ?)",
                [tuple(f) for f in facts],
            )

    # ------------------------------------------------------------------ queries
    def search(self, query: ProgramQuery) -> list[dict[str, Any]]:
        """Programs matching the query, as JSON-ready records (sorted, limited)."""
        f = compile_query(query)
        sql = f"SELECT * FROM program_view WHERE {f.where} {f.order} LIMIT ? OFFSET ?"
        return [record(r) for r in self._conn.execute(sql, (*f.params, *f.limit))]

    def count(self, query: ProgramQuery) -> int:
        """How many programs match (ignoring limit and offset)."""
        f = compile_query(query)
        row = self._conn.execute(f"SELECT count(*) FROM program_view WHERE {f.where}", f.params)
        return int(row.fetchone()[0])

    def frame(self, specialty_code: str, tracks: Sequence[str] = ("C",)) -> ProgramFrame:
        """Every program of a specialty and tracks as a :class:`ProgramFrame`."""
        code = specialty_or_error(specialty_code).code
        letters = resolve_tracks(tuple(tracks))
        marks = ", ".join("?" * len(letters))
        rows = self._conn.execute(
            f"SELECT * FROM program_view WHERE specialty_code = ? AND track IN ({marks}) "
            "ORDER BY program_code",
            (code, *letters),
        ).fetchall()
        return frame_from_rows(rows)

    def program(self, program_code: str) -> dict[str, Any] | None:
        """One program with all its facts, FREIDA links and the fixes applied to it."""
        row = self._conn.execute(
            "SELECT * FROM program_view WHERE program_code = ?", (program_code.strip().upper(),)
        ).fetchone()
        if row is None:
            return None
        out = record(row)
        out["institution_name_source"] = self._conn.execute(
            "SELECT name_source FROM institutions WHERE inst_code = ?", (row["inst_code"],)
        ).fetchone()[0]
        out["links"] = [
            dict(r)
            for r in self._conn.execute(
                "SELECT acgme_id, confidence, method FROM freida_link WHERE program_code = ? "
                "ORDER BY confidence DESC",
                (row["program_code"],),
            )
        ]
        out["explorer_links"] = [
            dict(r)
            for r in self._conn.execute(
                "SELECT l.row_id, e.program_name, e.city, e.state, l.confidence, l.method "
                "FROM explorer_link l JOIN explorer e ON e.row_id = l.row_id "
                "WHERE l.program_code = ? ORDER BY l.confidence DESC, l.row_id",
                (row["program_code"],),
            )
        ]
        out["fixes"] = [
            dict(r)
            for r in self._conn.execute(
                "SELECT kind, key, field, old, new, rule FROM fixes "
                "WHERE (kind = 'program' AND key = ?) OR (kind = 'institution' AND key = ?) "
                "OR (kind = 'freida' AND key = ?) ORDER BY id",
                (row["program_code"], row["inst_code"], row["acgme_id"] or ""),
            )
        ]
        out["user_facts"] = [
            dict(r)
            for r in self._conn.execute(
                "SELECT field, value, source FROM user_facts WHERE program_code = ? ORDER BY field",
                (row["program_code"],),
            )
        ]
        return out

    def specialties(self) -> list[dict[str, Any]]:
        """Every specialty with its 2026 program totals, 2025 track figures and Charting
        Outcomes 2026 figures where they exist, each with its sources."""
        tracks: dict[str, list[dict[str, Any]]] = {}
        for r in self._conn.execute(
            "SELECT * FROM specialty_tracks_2025 WHERE specialty_code IS NOT NULL ORDER BY track"
        ):
            tracks.setdefault(r["specialty_code"], []).append(dict(r))
        outcomes: dict[str, list[dict[str, Any]]] = {}
        for r in self._conn.execute(
            "SELECT * FROM specialty_outcomes_2026 WHERE specialty_code IS NOT NULL "
            "ORDER BY measure, cohort"
        ):
            outcomes.setdefault(r["specialty_code"], []).append(dict(r))
        cite = {r["file"]: f"{r['file']} ({r['publisher']}, {r['year']})" for r in self.sources()}
        out: list[dict[str, Any]] = []
        for r in self._conn.execute("SELECT * FROM specialties ORDER BY name"):
            item = dict(r)
            item["combined"] = bool(item["combined"])
            item["tracks_2025"] = tracks.get(r["code"], [])
            item["outcomes_2026"] = outcomes.get(r["code"], [])
            sources = [cite["nrmp_programs_2026.csv"]]
            if item["tracks_2025"]:
                sources.append(cite["nrmp_tracks_2025.csv"])
            if item["co_name"]:
                sources.append(cite["charting_outcomes_non_us_img_2026_summary.csv"])
            if item["outcomes_2026"]:
                sources.append(cite["charting_outcomes_non_us_img_2026.csv"])
            if item["us_md_step2_matched_n"] is not None:
                sources.append(cite["step2_us_md_seniors_2026.csv"])
            item["sources"] = sources
            out.append(item)
        return out

    def sources(self) -> list[dict[str, Any]]:
        """Each source file with its publisher, year, row count and sha256."""
        return [dict(r) for r in self._conn.execute("SELECT * FROM sources ORDER BY file")]

    def fixes(self) -> list[dict[str, Any]]:
        """Every recorded defect fix."""
        return [dict(r) for r in self._conn.execute("SELECT * FROM fixes ORDER BY id")]

    def connection(self) -> sqlite3.Connection:
        """The underlying (read-only) connection."""
        return self._conn

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
