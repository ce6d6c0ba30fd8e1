"""Build the SQLite catalog from the source CSV files, atomically.

The catalog is built in memory, validated (row counts against the source files, totals,
foreign keys), then installed by :mod:`.replace` (temp file, fsync, rename, fsync of the
folder, one build at a time), so a failed or killed build leaves the previous catalog
untouched. The catalog holds no user data: saved plans and a user's facts live in the user
store (:mod:`smartpick.store`), which a build never touches.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from smartpick import geo
from smartpick.errors import CatalogError
from smartpick.resources import DATA_FILES
from smartpick.specialties import SPECIALTIES

from . import fixes as fx
from .explorer_db import EXPLORER_FILE, write_explorer
from .explorer_inst import write_institution_rates
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
    source_hashes,
)
from .replace import build_lock, install_image
from .schema import DDL, SCHEMA_VERSION

__all__ = ["BuildReport", "Progress", "build_catalog", "builder_fingerprint", "populate"]

#: progress(step description, fraction done 0-1)
Progress = Callable[[str, float], None]

#: Modules whose code shapes the catalog's contents (a change triggers a rebuild).
BUILDER_MODULES: tuple[str, ...] = (
    "schema.py",
    "load.py",
    "fixes.py",
    "build.py",
    "crosswalk.py",
    "crosswalk_units.py",
    "crosswalk_curated.py",
    "crosswalk_manual.csv",
    "names.py",
    "explorer.py",
    "explorer_score.py",
    "explorer_text.py",
    "explorer_units.py",
    "explorer_db.py",
    "explorer_inst.py",
)
#: Modules of :mod:`smartpick.datafiles` that validate the rows going into the catalog.
ROW_MODULES: tuple[str, ...] = ("rows.py", "parse.py")


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


def builder_fingerprint() -> str:
    """sha256 over the schema version and the catalog builder's code."""
    h = hashlib.sha256(f"schema {SCHEMA_VERSION}".encode())
    pkg = resources.files("smartpick.catalog")
    rows = resources.files("smartpick.datafiles")
    entries = [(n, pkg.joinpath(n)) for n in BUILDER_MODULES]
    entries += [(f"datafiles/{n}", rows.joinpath(n)) for n in ROW_MODULES]
    for name, entry in entries:
        if entry.is_file():
            h.update(name.encode())
            h.update(entry.read_bytes())
    return h.hexdigest()


def sources_fingerprint(data_dir: Path | None = None) -> str:
    """sha256 over the source files' hashes."""
    hashes = source_hashes(data_dir)
    return hashlib.sha256(repr(sorted(hashes.items())).encode()).hexdigest()


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


def populate(
    conn: sqlite3.Connection,
    *,
    data_dir: Path | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Create the schema in an empty database and fill it from the sources (then validate)."""
    started = time.perf_counter()

    def step(text: str, done: float) -> None:
        if progress is not None:
            progress(text, done)

    step("reading and validating source files", 0.0)
    src: dict[str, SourceFile] = {name: load_source(name, data_dir) for name in DATA_FILES}
    nrmp = parse_rows(src["nrmp_programs_2026.csv"], NrmpRow)
    freida_raw = parse_rows(src["freida_im_programs_2025.csv"], FreidaRow)
    tracks = parse_rows(src["nrmp_tracks_2025.csv"], TrackRow)
    outcomes = parse_rows(src["charting_outcomes_non_us_img_2026.csv"], OutcomeRow)
    summary = parse_rows(src["charting_outcomes_non_us_img_2026_summary.csv"], SummaryRow)
    step2 = parse_rows(src["step2_us_md_seniors_2026.csv"], Step2Row)
    explorer = parse_rows(src[EXPLORER_FILE], ExplorerRow)
    counts = {
        "nrmp_programs_2026.csv": len(nrmp),
        "freida_im_programs_2025.csv": len(freida_raw),
        "nrmp_tracks_2025.csv": len(tracks),
        "charting_outcomes_non_us_img_2026.csv": len(outcomes),
        "charting_outcomes_non_us_img_2026_summary.csv": len(summary),
        "step2_us_md_seniors_2026.csv": len(step2),
        EXPLORER_FILE: len(explorer),
    }
    for name, s in src.items():
        counts.setdefault(name, max(s.text.count("\n") - 1, 0))

    step("fixing known defects", 0.15)
    freida, freida_fixes = fx.fix_freida(freida_raw, nrmp)
    names, name_fixes = fx.fix_program_names(nrmp)
    step("linking FREIDA to NRMP (crosswalk)", 0.25)
    links, report = _links(freida, nrmp)
    step("deriving states and institutions", 0.8)
    states, listed, state_fixes = fx.fix_states(nrmp, freida, links)
    institutions, inst_fixes = fx.derive_institutions(nrmp, freida, links, listed)
    all_fixes = [*freida_fixes, *name_fixes, *state_fixes, *inst_fixes]

    step("writing the catalog", 0.9)
    for ddl in DDL:
        conn.execute(ddl)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "sources_sha256": sources_fingerprint(data_dir),
        "builder_sha256": builder_fingerprint(),
        "data_dir": str(data_dir or ""),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    conn.executemany(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?)",
        [(n, s.publisher, s.year, counts[n], s.sha256) for n, s in src.items()],
    )
    conn.executemany(
        "INSERT INTO institutions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                i.inst_code,
                i.name,
                int(i.name_verified),
                i.name_source,
                i.label_as_listed,
                i.city,
                i.state,
                i.im_img_share,
                i.im_setting,
            )
            for i in institutions
        ],
    )
    _write_specialties(conn, nrmp, tracks, outcomes, summary, step2)
    conn.executemany(
        "INSERT INTO freida VALUES (" + ", ".join("?" * 20) + ")",
        [
            (
                f.acgme_id,
                f.program_name,
                f.city,
                raw.city,
                f.state,
                raw.state,
                f.first_year_positions,
                f.interviews_last_year,
                f.pct_do,
                f.pct_img,
                f.pct_usmd,
                f.setting,
                f.visa_j1,
                f.visa_h1b,
                f.visa_f1,
                f.us_gov,
                f.accepting_2026_27,
                f.eras,
                f.yog_limit_years,
                f.data_as_of,
            )
            for f, raw in zip(freida, freida_raw, strict=True)
        ],
    )
    best: dict[str, Any] = {}
    for link in sorted(links, key=lambda lk: (-lk.confidence, lk.acgme_id)):
        best.setdefault(link.program_code, link)
    conn.executemany(
        "INSERT INTO programs VALUES (" + ", ".join("?" * 17) + ")",
        [
            (
                r.program_code,
                r.program_code[:4],
                r.program_code[4:7],
                r.track,
                states[r.program_code],
                listed[r.program_code],
                geo.region_of(states[r.program_code]),
                geo.division_of(states[r.program_code]),
                r.institution_as_listed,
                names[r.program_code],
                r.program_name,
                r.quota_2026,
                r.filled_2026,
                r.filled_2026 / r.quota_2026 if r.quota_2026 else None,
                best[r.program_code].acgme_id if r.program_code in best else None,
                best[r.program_code].confidence if r.program_code in best else None,
                order,
            )
            for order, r in enumerate(nrmp)
        ],
    )
    conn.executemany(
        "INSERT INTO freida_link VALUES (?, ?, ?, ?)",
        [(lk.acgme_id, lk.program_code, float(lk.confidence), lk.method) for lk in links],
    )
    step("linking Residency Explorer rows to NRMP programs", 0.93)
    write_explorer(conn, explorer)
    write_institution_rates(conn)
    conn.executemany(
        "INSERT INTO fixes (kind, key, field, old, new, rule) VALUES (?, ?, ?, ?, ?, ?)",
        [(f.kind, f.key, f.field, f.old, f.new, f.rule) for f in all_fixes],
    )
    conn.commit()
    step("validating", 0.97)
    _validate(conn, nrmp, counts)
    step("done", 1.0)
    return BuildReport(
        path="",
        seconds=time.perf_counter() - started,
        programs=len(nrmp),
        institutions=len(institutions),
        freida=len(freida),
        links=len(links),
        linked_freida=len({lk.acgme_id for lk in links}),
        fixes=len(all_fixes),
        crosswalk=report,
    )


def _write_specialties(
    conn: sqlite3.Connection,
    nrmp: Sequence[NrmpRow],
    tracks: Sequence[TrackRow],
    outcomes: Sequence[OutcomeRow],
    summary: Sequence[SummaryRow],
    step2: Sequence[Step2Row],
) -> None:
    co = {r.specialty: r for r in summary}
    s2 = {r.specialty: r for r in step2}
    rows = []
    for s in SPECIALTIES:
        mine = [r for r in nrmp if r.program_code[4:7] == s.code]
        c = co.get(s.charting_outcomes or "")
        m = s2.get(s.charting_outcomes or "")
        rows.append(
            (
                s.code,
                s.name,
                int(s.combined),
                len(mine),
                sum(r.quota_2026 for r in mine),
                sum(r.filled_2026 for r in mine),
                s.charting_outcomes if c else None,
                c.positions if c else None,
                c.applicants_preferring_specialty if c else None,
                c.non_us_img_matched if c else None,
                c.non_us_img_not_matched if c else None,
                m.matched_n if m else None,
                m.matched_q1 if m else None,
                m.matched_median if m else None,
                m.matched_q3 if m else None,
                m.unmatched_n if m else None,
                m.unmatched_median if m else None,
            )
        )
    conn.executemany("INSERT INTO specialties VALUES (" + ", ".join("?" * 17) + ")", rows)
    track_of = {
        name: (s.code, letter) for s in SPECIALTIES for letter, name in s.tracks_2025.items()
    }
    conn.executemany(
        "INSERT INTO specialty_tracks_2025 VALUES (" + ", ".join("?" * 13) + ")",
        [
            (
                *track_of.get(t.track, (None, None)),
                t.track,
                t.positions_offered,
                t.positions_unfilled,
                t.usmd_senior_ranked,
                t.usmd_senior_matched,
                t.usdo_senior_ranked,
                t.usdo_senior_matched,
                t.us_img_ranked,
                t.us_img_matched,
                t.non_us_img_ranked,
                t.non_us_img_matched,
            )
            for t in tracks
        ],
    )
    code_of = {s.charting_outcomes: s.code for s in SPECIALTIES if s.charting_outcomes}
    conn.executemany(
        "INSERT INTO specialty_outcomes_2026 VALUES (" + ", ".join("?" * 12) + ")",
        [
            (
                code_of.get(o.specialty),
                o.specialty,
                o.measure,
                o.cohort,
                o.n,
                o.min,
                o.q1,
                o.median,
                o.q3,
                o.max,
                o.mean,
                o.sd,
            )
            for o in outcomes
        ],
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
