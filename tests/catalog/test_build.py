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
    original = build_mod._write_specialties

    def drop_a_track_row(conn: sqlite3.Connection, *args: object) -> None:
        original(conn, *args)  # type: ignore[arg-type]
        conn.execute("DELETE FROM specialty_tracks_2025 WHERE rowid = 1")

    monkeypatch.setattr(build_mod, "_write_specialties", drop_a_track_row)
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


def test_user_facts_survive_a_rebuild(tmp_path: Path, catalog_path: Path) -> None:
    target = tmp_path / "catalog.sqlite"
    shutil.copy(catalog_path, target)
    with Catalog.open(target) as cat:
        cat.connection().execute(
            "INSERT INTO user_facts VALUES ('1903140C0', 'pct_img', '0.4', 'mine.csv (your data)')"
        )
        cat.connection().commit()
    report = build_catalog(target)
    assert report.user_facts_kept == 1
    with Catalog.open(target) as cat:
        rec = cat.program("1903140C0")
        assert rec is not None
        assert rec["img_share"] == 0.4
        assert rec["img_share_source"] == "user"
        assert "mine.csv (your data)" in rec["sources"]


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


def test_garbage_file_is_stale(tmp_path: Path) -> None:
    bad = tmp_path / "c.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    assert is_stale(bad)


def test_saved_plans_survive_a_rebuild(tmp_path: Path) -> None:
    """A rebuild (new data, a new version) must not lose the plans users chose to save."""
    from smartpick.web.store import PlanStore

    path = tmp_path / "catalog.sqlite"
    build_catalog(path)
    store = PlanStore(path)
    plan_id, _token = store.save({"plan": {"match_probability": 0.5}})
    build_catalog(path)
    again = PlanStore(path).get(plan_id)
    assert again is not None
    assert again.payload == {"plan": {"match_probability": 0.5}}
