"""The catalog built from the shipped data, end to end; atomic builds; validation errors."""

from __future__ import annotations

import shutil
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from smartpick.catalog import build as build_mod
from smartpick.catalog.build import build_catalog
from smartpick.catalog.store import Catalog, is_stale
from smartpick.errors import CatalogError
from smartpick.query import ProgramQuery
from smartpick.resources import DATA_FILES
from smartpick.store import UserFact


def _one(cat: Catalog, sql: str) -> object:
    return cat.connection().execute(sql).fetchone()[0]


def test_every_program_of_the_2026_match(catalog: Catalog) -> None:
    assert _one(catalog, "SELECT count(*) FROM programs") == 6687
    assert _one(catalog, "SELECT sum(positions) FROM programs") == 44320
    assert _one(catalog, "SELECT sum(filled) FROM programs") == 41460
    assert catalog.count(ProgramQuery(specialty="140", tracks=("C",))) == 764
    im_positions = _one(
        catalog,
        "SELECT sum(positions) FROM programs WHERE specialty_code = '140' AND track = 'C'",
    )
    assert im_positions == 11189
    assert _one(catalog, "SELECT count(*) FROM institutions") == 914


def test_sources_table_records_each_file(catalog: Catalog) -> None:
    rows = {r["file"]: r for r in catalog.sources()}
    assert set(rows) == set(DATA_FILES)
    assert rows["nrmp_programs_2026.csv"]["rows"] == 6687
    assert rows["freida_im_programs_2025.csv"]["rows"] == 688
    assert rows["nrmp_tracks_2025.csv"]["rows"] == 48
    assert rows["nrmp_programs_2026.csv"]["year"] == "2026"
    assert all(len(r["sha256"]) == 64 for r in rows.values())


def test_every_program_has_region_unless_territory(catalog: Catalog) -> None:
    missing = catalog.connection().execute(
        "SELECT DISTINCT state FROM programs WHERE region IS NULL"
    )
    assert {r[0] for r in missing} <= {"PR", "VI", "GU"}


def test_specialties_carry_track_and_outcome_figures(catalog: Catalog) -> None:
    specs = {s["code"]: s for s in catalog.specialties()}
    im = specs["140"]
    assert im["programs"] == 1169
    assert {t["track"] for t in im["tracks_2025"]} == {"C", "P", "M"}
    categorical = next(t for t in im["tracks_2025"] if t["track"] == "C")
    assert categorical["positions_unfilled"] == 357  # checked in the data README
    assert im["co_non_us_img_matched"] is not None
    assert any(o["measure"] == "step2ck" for o in im["outcomes_2026"])
    assert any("nrmp_tracks_2025.csv" in s for s in im["sources"])
    assert specs["999"]["co_name"] is None  # no Charting Outcomes table for TY
    assert sum(s["programs"] for s in specs.values()) == 6687


def test_build_failing_midway_leaves_previous_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog_path: Path
) -> None:
    target = tmp_path / "catalog.sqlite"
    shutil.copy(catalog_path, target)
    before = target.read_bytes()

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("simulated failure while deriving institutions")

    monkeypatch.setattr(build_mod.fx, "derive_institutions", boom)
    with pytest.raises(RuntimeError, match="simulated"):
        build_catalog(target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.sqlite"]  # temp file removed


def test_validation_failure_is_a_catalog_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = build_mod._write

    def drop_a_track_row(conn: sqlite3.Connection, *args: object) -> None:
        original(conn, *args)  # type: ignore[arg-type]
        conn.execute("DELETE FROM specialty_tracks_2025 WHERE rowid = 1")

    monkeypatch.setattr(build_mod, "_write", drop_a_track_row)
    with pytest.raises(CatalogError, match="specialty_tracks_2025 is 47, expected 48"):
        build_catalog(tmp_path / "c.sqlite")
    assert not list(tmp_path.iterdir())


def _data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    pkg = resources.files("smartpick.data")
    for name in DATA_FILES:
        (folder / name).write_bytes(pkg.joinpath(name).read_bytes())
    return folder


def test_bad_source_row_names_file_line_and_column(tmp_path: Path) -> None:
    folder = _data_copy(tmp_path)
    path = folder / "nrmp_programs_2026.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 2)[0] + ",many,4"  # quota_2026 not a number
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        build_catalog(tmp_path / "c.sqlite", data_dir=folder)
    assert "nrmp_programs_2026.csv, line 4, column 'quota_2026'" in str(err.value)


def test_bad_track_letter_is_rejected(tmp_path: Path) -> None:
    folder = _data_copy(tmp_path)
    path = folder / "nrmp_programs_2026.csv"
    text = path.read_text(encoding="utf-8").replace(
        "1903140C0,AL,Baptist Health,Internal Medicine,C",
        "1903140C0,AL,Baptist Health,Internal Medicine,P",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="line 2, column 'track'"):
        build_catalog(tmp_path / "c.sqlite", data_dir=folder)


def test_a_rebuild_never_touches_the_user_store(tmp_path: Path) -> None:
    from smartpick.planner import Planner
    from smartpick.store import open_store

    target = tmp_path / "catalog.sqlite"
    build_catalog(target)
    store = open_store(db=target)
    store.put_user_facts([UserFact("1903140C0", "pct_img", "0.4", "mine.csv (your data)")])
    plan_id, _ = store.save_plan({"plan": 1})
    before = (tmp_path / "user.sqlite").stat().st_mtime_ns
    build_catalog(target)
    assert (tmp_path / "user.sqlite").stat().st_mtime_ns == before
    with Planner(target, store) as planner, planner.open_catalog() as cat:
        rec = cat.program("1903140C0")
        assert rec is not None
        assert (rec["img_share"], rec["img_share_source"]) == (0.4, "user")
        assert "mine.csv (your data)" in rec["sources"]
    assert store.get_plan(plan_id) is not None
    store.close()


def test_open_builds_when_missing_and_rebuilds_when_stale(
    tmp_path: Path, catalog_path: Path
) -> None:
    missing = tmp_path / "none.sqlite"
    with pytest.raises(CatalogError, match="no catalog"):
        Catalog.open(missing, build_if_missing=False)
    target = tmp_path / "catalog.sqlite"
    build_catalog(target)  # fresh: the session catalog may predate a code change
    assert not is_stale(target)
    with sqlite3.connect(target) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    conn.close()
    assert is_stale(target)
    with pytest.raises(CatalogError, match="out of date"):
        Catalog.open(target, build_if_missing=False)
    with Catalog.open(target) as cat:
        assert cat.count(ProgramQuery(limit=None)) == 6687
    assert not is_stale(target)


def test_garbage_file_is_reported_never_rebuilt(tmp_path: Path) -> None:
    """Replaces ``test_garbage_file_is_stale``, which encoded the bug of issue 9."""
    bad = tmp_path / "c.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CatalogError, match="not a readable SmartPick catalog"):
        is_stale(bad)
    with pytest.raises(CatalogError, match="left as it is"):
        Catalog.open(bad)
    assert bad.read_bytes() == b"not a database at all" * 100


def test_every_table_is_written_by_column_name() -> None:
    """Issue 9, item 7: the write stage inserts dictionaries by column name, no positional
    placeholders are counted by hand."""
    text = (Path(build_mod.__file__).parent / "build.py").read_text(encoding="utf-8")
    assert '"?" *' not in text and "VALUES (?" not in text
