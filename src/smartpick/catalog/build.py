"""Build the SQLite catalog from the source CSV files, atomically.

The catalog is built in memory, validated (row counts against the source files, totals,
foreign keys), then installed by :mod:`.replace` (temp file, fsync, rename, fsync of the
folder, one build at a time), so a failed or killed build leaves the previous catalog
untouched. The catalog holds no user data: saved plans and a user's facts live in the user
store (:mod:`smartpick.store`), which a build never touches.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartpick.errors import CatalogError
from smartpick.resources import DATA_FILES

from . import fixes as fx
from .explorer_db import EXPLORER_FILE, write_explorer
from .explorer_inst import write_institution_rates
from .fingerprint import BUILDER_MODULES, ROW_MODULES, builder_fingerprint, sources_fingerprint
from .load import (
    ExplorerRow,
    FreidaRow,
    NrmpRow,
    OutcomeRow,
    SourceFile,
    Step2Row,
    SummaryRow,
    TrackRow,
    load_source,
    parse_rows,
)
from .replace import build_lock, install_image
from .rows import (
    freida_rows,
    insert_rows,
    institution_rows,
    outcome_rows,
    program_rows,
    specialty_rows,
    track_rows,
)
from .schema import DDL, SCHEMA_VERSION

__all__ = [
    "BUILDER_MODULES",
    "ROW_MODULES",
    "BuildReport",
    "Progress",
    "build_catalog",
    "builder_fingerprint",
    "populate",
    "sources_fingerprint",
]

#: progress(step description, fraction done 0-1)
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    path: str
    seconds: float
    programs: int
    institutions: int
    freida: int
    links: int
    linked_freida: int
    fixes: int
    crosswalk: dict[str, Any] = field(default_factory=dict)
    #: a hard link kept of an old-format catalog that held a user's rows ("" if none)
    user_data_backup: str = ""


def _as_text(row: NrmpRow | FreidaRow) -> dict[str, str | None]:
    """A validated row back as CSV-like strings (what the crosswalk reads)."""
    out: dict[str, str | None] = {}
    for key, value in row.model_dump().items():
        out[key] = None if value is None else str(value)
    return out


def _links(
    freida: Sequence[FreidaRow], nrmp: Sequence[NrmpRow]
) -> tuple[list[Any], dict[str, Any]]:
    """Crosswalk links (empty if the crosswalk module is not available)."""
    try:
        from . import crosswalk
    except ImportError:  # pragma: no cover - the crosswalk ships with the package
        return [], {}
    f_rows = [_as_text(r) for r in freida]
    links = crosswalk.link_freida(f_rows, [_as_text(r) for r in nrmp])
    codes = {r.program_code for r in nrmp}
    ids = {r.acgme_id for r in freida}
    unique: dict[tuple[str, str], Any] = {}
    for link in links:
        if link.program_code in codes and link.acgme_id in ids:
            unique.setdefault((link.acgme_id, link.program_code), link)
    kept = list(unique.values())
    return kept, dict(crosswalk.crosswalk_report(kept, f_rows))


@dataclass(frozen=True)
class _Read:
    """Stage 1: every source file, validated into typed rows."""

    src: dict[str, SourceFile]
    nrmp: Sequence[NrmpRow]
    freida: Sequence[FreidaRow]
    tracks: Sequence[TrackRow]
    outcomes: Sequence[OutcomeRow]
    summary: Sequence[SummaryRow]
    step2: Sequence[Step2Row]
    explorer: Sequence[ExplorerRow]
    counts: dict[str, int]


@dataclass(frozen=True)
class _Fixed:
    """Stages 2-3: known defects fixed, FREIDA linked, states and institutions derived."""

    freida: Sequence[FreidaRow]
    names: dict[str, str]
    links: list[Any]
    crosswalk: dict[str, Any]
    states: dict[str, str]
    listed: dict[str, str]
    institutions: Sequence[Any]
    fixes: list[Any]


def _read(data_dir: Path | None) -> _Read:
    src: dict[str, SourceFile] = {name: load_source(name, data_dir) for name in DATA_FILES}
    read = _Read(
        src=src,
        nrmp=parse_rows(src["nrmp_programs_2026.csv"], NrmpRow),
        freida=parse_rows(src["freida_im_programs_2025.csv"], FreidaRow),
        tracks=parse_rows(src["nrmp_tracks_2025.csv"], TrackRow),
        outcomes=parse_rows(src["charting_outcomes_non_us_img_2026.csv"], OutcomeRow),
        summary=parse_rows(src["charting_outcomes_non_us_img_2026_summary.csv"], SummaryRow),
        step2=parse_rows(src["step2_us_md_seniors_2026.csv"], Step2Row),
        explorer=parse_rows(src[EXPLORER_FILE], ExplorerRow),
        counts={},
    )
    parsed: dict[str, Sequence[Any]] = {
        "nrmp_programs_2026.csv": read.nrmp,
        "freida_im_programs_2025.csv": read.freida,
        "nrmp_tracks_2025.csv": read.tracks,
        "charting_outcomes_non_us_img_2026.csv": read.outcomes,
        "charting_outcomes_non_us_img_2026_summary.csv": read.summary,
        "step2_us_md_seniors_2026.csv": read.step2,
        EXPLORER_FILE: read.explorer,
    }
    read.counts.update({name: len(rows) for name, rows in parsed.items()})
    for name, s in src.items():
        read.counts.setdefault(name, max(s.text.count("\n") - 1, 0))
    return read


def _fix_and_link(read: _Read, step: Callable[[str, float], None]) -> _Fixed:
    freida, freida_fixes = fx.fix_freida(read.freida, read.nrmp)
    names, name_fixes = fx.fix_program_names(read.nrmp)
    step("linking FREIDA to NRMP (crosswalk)", 0.25)
    links, report = _links(freida, read.nrmp)
    step("deriving states and institutions", 0.8)
    states, listed, state_fixes = fx.fix_states(read.nrmp, freida, links)
    institutions, inst_fixes = fx.derive_institutions(read.nrmp, freida, links, listed)
    return _Fixed(
        freida=freida,
        names=names,
        links=links,
        crosswalk=report,
        states=states,
        listed=listed,
        institutions=institutions,
        fixes=[*freida_fixes, *name_fixes, *state_fixes, *inst_fixes],
    )


def _write(
    conn: sqlite3.Connection,
    read: _Read,
    fixed: _Fixed,
    data_dir: Path | None,
    step: Callable[[str, float], None],
) -> None:
    for ddl in DDL:
        conn.execute(ddl)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "sources_sha256": sources_fingerprint(data_dir),
        "builder_sha256": builder_fingerprint(),
        "data_dir": str(data_dir or ""),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    insert_rows(conn, "meta", ({"key": k, "value": v} for k, v in sorted(meta.items())))
    insert_rows(
        conn,
        "sources",
        (
            {"file": n, "publisher": s.publisher, "year": s.year, "rows": read.counts[n]}
            | {"sha256": s.sha256}
            for n, s in read.src.items()
        ),
    )
    insert_rows(conn, "institutions", institution_rows(fixed.institutions))
    insert_rows(conn, "specialties", specialty_rows(read.nrmp, read.summary, read.step2))
    insert_rows(conn, "specialty_tracks_2025", track_rows(read.tracks))
    insert_rows(conn, "specialty_outcomes_2026", outcome_rows(read.outcomes))
    insert_rows(conn, "freida", freida_rows(fixed.freida, read.freida))
    insert_rows(
        conn,
        "programs",
        program_rows(read.nrmp, fixed.states, fixed.listed, fixed.names, fixed.links),
    )
    insert_rows(
        conn,
        "freida_link",
        (
            {
                "acgme_id": lk.acgme_id,
                "program_code": lk.program_code,
                "confidence": float(lk.confidence),
                "method": lk.method,
            }
            for lk in fixed.links
        ),
    )
    step("linking Residency Explorer rows to NRMP programs", 0.93)
    write_explorer(conn, read.explorer)
    write_institution_rates(conn)
    insert_rows(
        conn,
        "fixes",
        (
            {"kind": f.kind, "key": f.key, "field": f.field, "old": f.old, "new": f.new}
            | {"rule": f.rule}
            for f in fixed.fixes
        ),
    )
    conn.commit()


def populate(
    conn: sqlite3.Connection,
    *,
    data_dir: Path | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Create the schema in an empty database and fill it from the sources.

    Stages: read (every file validated into typed rows) → fix (known defects, recorded) →
    link (FREIDA and Residency Explorer to NRMP codes) → write (by column name) → validate.
    """
    started = time.perf_counter()

    def step(text: str, done: float) -> None:
        if progress is not None:
            progress(text, done)

    step("reading and validating source files", 0.0)
    read = _read(data_dir)
    step("fixing known defects", 0.15)
    fixed = _fix_and_link(read, step)
    step("writing the catalog", 0.9)
    _write(conn, read, fixed, data_dir, step)
    step("validating", 0.97)
    _validate(conn, read.nrmp, read.counts)
    step("done", 1.0)
    return BuildReport(
        path="",
        seconds=time.perf_counter() - started,
        programs=len(read.nrmp),
        institutions=len(fixed.institutions),
        freida=len(fixed.freida),
        links=len(fixed.links),
        linked_freida=len({lk.acgme_id for lk in fixed.links}),
        fixes=len(fixed.fixes),
        crosswalk=fixed.crosswalk,
    )


def _validate(conn: sqlite3.Connection, nrmp: Sequence[NrmpRow], counts: dict[str, int]) -> None:
    """Row counts vs the source files, totals, foreign keys."""

    def one(sql: str) -> Any:
        return conn.execute(sql).fetchone()[0]

    checks = {
        "programs": (one("SELECT count(*) FROM programs"), counts["nrmp_programs_2026.csv"]),
        "freida": (one("SELECT count(*) FROM freida"), counts["freida_im_programs_2025.csv"]),
        "specialty_tracks_2025": (
            one("SELECT count(*) FROM specialty_tracks_2025"),
            counts["nrmp_tracks_2025.csv"],
        ),
        "specialty_outcomes_2026": (
            one("SELECT count(*) FROM specialty_outcomes_2026"),
            counts["charting_outcomes_non_us_img_2026.csv"],
        ),
        "positions": (one("SELECT sum(positions) FROM programs"), sum(r.quota_2026 for r in nrmp)),
        "filled": (one("SELECT sum(filled) FROM programs"), sum(r.filled_2026 for r in nrmp)),
        "institutions": (
            one("SELECT count(*) FROM institutions"),
            len({r.program_code[:4] for r in nrmp}),
        ),
        "specialties total": (
            one("SELECT sum(programs) FROM specialties"),
            counts["nrmp_programs_2026.csv"],
        ),
    }
    for what, (got, want) in checks.items():
        if got != want:
            raise CatalogError(f"catalog validation failed: {what} is {got}, expected {want}")
    bad = conn.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        raise CatalogError(
            f"catalog validation failed: {len(bad)} broken references, e.g. {bad[0]}"
        )
    if one("PRAGMA integrity_check") != "ok":
        raise CatalogError("catalog validation failed: SQLite integrity check")


def build_catalog(
    path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    unless: Callable[[Path], bool] | None = None,
) -> BuildReport | None:
    """Build the catalog at ``path`` atomically (in memory, validate, install durably).

    ``unless(path)`` is asked under the build lock; when it says True nothing is built and
    None is returned (another process built it meanwhile).
    """
    target = Path(path)
    started = time.perf_counter()
    with build_lock(target):
        if unless is not None and unless(target):
            return None
        with contextlib.closing(sqlite3.connect(":memory:")) as conn:
            report = populate(
                conn, data_dir=Path(data_dir) if data_dir else None, progress=progress
            )
            image = conn.serialize()
        backup = install_image(target, image)
    return BuildReport(
        **{
            **report.__dict__,
            "path": str(target),
            "seconds": time.perf_counter() - started,
            "user_data_backup": backup or "",
        }
    )
