"""User data overlay: validation names file, line and column; writes are all or nothing."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.catalog.overlay import (
    OverlaySummary,
    apply_overlay,
    known_keys,
    overlay_source,
    reset_overlay,
    validate_overlay,
)
from smartpick.errors import CatalogError, DataFileError, StoreError
from smartpick.store import SQLiteStore, UserFact

CODES = frozenset({"1903140C0", "1903140P0", "2405140C0", "2405140M0"})
ACGME = {"1400100003": ("2405140C0", "2405140M0"), "1400100902": ()}


def write(tmp_path: Path, text: str, name: str = "mine.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def make_db(path: Path | str = ":memory:") -> sqlite3.Connection:
    """A minimal catalog: programs, freida and freida_link tables."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE programs (program_code TEXT PRIMARY KEY)")
    conn.execute("CREATE TABLE freida (acgme_id TEXT PRIMARY KEY)")
    conn.execute(
        "CREATE TABLE freida_link (acgme_id TEXT, program_code TEXT, confidence REAL, method TEXT)"
    )
    conn.executemany("INSERT INTO programs VALUES (?)", [(c,) for c in sorted(CODES)])
    conn.executemany("INSERT INTO freida VALUES (?)", [(a,) for a in ACGME])
    conn.executemany(
        "INSERT INTO freida_link VALUES (?, ?, 0.9, 'test')",
        [(a, c) for a, codes in ACGME.items() for c in codes],
    )
    conn.commit()
    return conn


def test_valid_file_normalises_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "program_code,pct_img,visa_j1,visa_h1b,setting,city,step2_min,yog_limit_years,notes\n"
        '1903140c0,62.5,yes,False,Community,Montgomery,220,5,"J-1 only, said PD"\n'
        "2405140C0,,,,,,,,\n",
    )
    rows = validate_overlay(path, CODES, ACGME)
    assert [r.line for r in rows] == [2, 3]
    first = rows[0]
    assert first.program_codes == ("1903140C0",)
    assert first.values == {
        "pct_img": "0.625",
        "visa_j1": "1",
        "visa_h1b": "0",
        "setting": "community",
        "city": "Montgomery",
        "step2_min": "220",
        "yog_limit_years": "5",
        "notes": "J-1 only, said PD",
    }
    assert rows[1].values == {}  # empty cells = no change
    assert OverlaySummary.of(rows) == OverlaySummary(rows=2, programs=2, facts=8)


def test_acgme_key_expands_to_every_linked_code(tmp_path: Path) -> None:
    rows = validate_overlay(write(tmp_path, "acgme_id,pct_img\n1400100003,40%\n"), CODES, ACGME)
    assert rows[0].program_codes == ("2405140C0", "2405140M0")
    assert rows[0].values == {"pct_img": "0.4"}


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("pct_img\n50\n", 1, "program_code", "no key column"),
        ("program_code,pct_img\n9999140C0,50\n", 2, "program_code", "unknown program code"),
        ("program_code,pct_img\n1903140C0,lots\n", 2, "pct_img", "not a number"),
        ("program_code,pct_img\n1903140C0,101\n", 2, "pct_img", "out of range"),
        ("program_code,step2_min\n1903140C0,0\n", 2, "step2_min", "out of range"),
        ("program_code,yog_limit_years\n1903140C0,51\n", 2, "yog_limit_years", "out of range"),
        ("program_code,visa_j1\n1903140C0,maybe\n", 2, "visa_j1", "not yes or no"),
        ("program_code,setting\n1903140C0,rural\n", 2, "setting", "not a known setting"),
        ("program_code,colour\n1903140C0,red\n", 1, "colour", "unknown column"),
        ("program_code,notes\n1903140C0,a\n\n1903140C0,b\n", 4, "program_code", "duplicate key"),
        ("acgme_id,notes\n1400100003,a\n", None, None, None),  # control: valid
        ("program_code,acgme_id,notes\n2405140M0,,a\n,1400100003,b\n", 3, "acgme_id", "duplicate"),
        ("acgme_id,notes\n1400100902,a\n", 2, "acgme_id", "not linked"),
        ("acgme_id,notes\n1400999999,a\n", 2, "acgme_id", "unknown ACGME id"),
        ("program_code,notes\n,a\n", 2, "program_code", "key is empty"),
        ("program_code,notes\n1903140C0,a,b\n", 2, None, "3 cells"),
        ("", 1, None, "empty"),
        ("program_code,pct_img\n", 2, None, "no rows"),
    ],
)
def test_bad_files_name_file_line_and_column(
    tmp_path: Path, text: str, line: int | None, column: str | None, fragment: str | None
) -> None:
    path = write(tmp_path, text)
    if fragment is None:
        assert validate_overlay(path, CODES, ACGME)
        return
    with pytest.raises(DataFileError) as info:
        validate_overlay(path, CODES, ACGME)
    err = info.value
    assert err.path == str(path)
    assert err.line == line
    assert err.column == column
    assert fragment in str(err)
    assert str(path) in str(err) and f"line {line}" in str(err)


def test_bad_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b"program_code,city\n1903140C0,Montgomery\n2405140C0,Mobil\xe9\n")
    with pytest.raises(DataFileError) as info:
        validate_overlay(path, CODES, ACGME)
    assert info.value.line == 3
    assert "UTF-8" in str(info.value)


def test_missing_file_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read"):
        validate_overlay(tmp_path / "nope.csv", CODES, ACGME)


def test_acgme_keys_without_crosswalk_cannot_resolve(tmp_path: Path) -> None:
    path = write(tmp_path, "acgme_id,notes\n1400100003,a\n")
    with pytest.raises(DataFileError, match="does not resolve"):
        validate_overlay(path, CODES, {})


def test_apply_writes_source_and_reset_removes(tmp_path: Path) -> None:
    conn = make_db()
    codes, acgme = known_keys(conn)
    assert codes == CODES and acgme["1400100003"] == ("2405140C0", "2405140M0")
    path = write(tmp_path, "acgme_id,pct_img,visa_j1\n1400100003,55,1\n")
    source = overlay_source(path, date(2026, 11, 25))
    assert source == "mine.csv (your data, imported 2026-11-25)"
    store = SQLiteStore(":memory:")
    summary = apply_overlay(store, validate_overlay(path, codes, acgme), source)
    assert summary == OverlaySummary(rows=1, programs=2, facts=4)
    stored = store.user_facts()
    assert stored == [
        ("2405140C0", "pct_img", "0.55", source),
        ("2405140C0", "visa_j1", "1", source),
        ("2405140M0", "pct_img", "0.55", source),
        ("2405140M0", "visa_j1", "1", source),
    ]
    assert all(isinstance(f, UserFact) for f in stored)
    assert reset_overlay(store) == 4
    assert store.user_facts() == []


def test_reimport_replaces_values(tmp_path: Path) -> None:
    codes, acgme = known_keys(make_db())
    store = SQLiteStore(":memory:")
    for pct in ("10", "20"):
        path = write(tmp_path, f"program_code,pct_img\n1903140C0,{pct}\n")
        apply_overlay(store, validate_overlay(path, codes, acgme), "x")
    assert [f.value for f in store.user_facts()] == ["0.2"]


def test_failing_write_leaves_the_database_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "user.sqlite"
    codes, acgme = known_keys(make_db())
    store = SQLiteStore(db)
    conn = store.connection()
    apply_overlay(
        store,
        validate_overlay(write(tmp_path, "program_code,notes\n1903140C0,old\n"), codes, acgme),
        "a",
    )
    rows = validate_overlay(
        write(tmp_path, "program_code,notes\n1903140C0,new\n2405140C0,x\n"), codes, acgme
    )
    # a trigger makes the second insert fail half-way through the transaction
    conn.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON user_facts WHEN NEW.program_code = '2405140C0' "
        "BEGIN SELECT RAISE(ABORT, 'boom'); END"
    )
    with pytest.raises(StoreError, match="boom"):
        apply_overlay(store, rows, "b")
    other = sqlite3.connect(db)
    assert other.execute("SELECT program_code, value, source FROM user_facts").fetchall() == [
        ("1903140C0", "old", "a")
    ]


def test_reset_without_facts_is_zero() -> None:
    assert reset_overlay(SQLiteStore(":memory:")) == 0


def test_known_keys_needs_a_built_catalog() -> None:
    with pytest.raises(CatalogError, match="data build"):
        known_keys(sqlite3.connect(":memory:"))


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_pct_img_is_stored_as_a_fraction(
    tmp_path_factory: pytest.TempPathFactory, pct: float
) -> None:
    path = write(tmp_path_factory.mktemp("h"), f"program_code,pct_img\n1903140C0,{pct!r}\n")
    value = float(validate_overlay(path, CODES, ACGME)[0].values["pct_img"])
    assert 0.0 <= value <= 1.0
    assert value == pytest.approx(pct / 100, rel=1e-5, abs=1e-9)
