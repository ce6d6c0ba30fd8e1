"""One typed reader per bundled data file: validated, frozen, cached; a bad row names its cell."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

import smartpick
from smartpick import datafiles as df
from smartpick.catalog import build, load
from smartpick.errors import CatalogError
from smartpick.resources import DATA_FILES, read_text

PACKAGE = Path(smartpick.__file__).parent

READERS: dict[str, Callable[[], Sequence[df.Row]]] = {
    df.NRMP_FILE: df.nrmp_rows,
    df.FREIDA_FILE: df.freida_rows,
    df.TRACKS_FILE: df.track_rows,
    df.CO_FILE: df.outcome_rows,
    df.CO_SUMMARY_FILE: df.co_summary_rows,
    df.STEP2_FILE: df.step2_rows,
    df.EXPLORER_FILE: df.explorer_rows,
    df.RATES_FILE: df.match_rate_rows,
    df.FACTS_FILE: lambda: tuple(df.facts().values()),
    df.CYCLE_DATES_FILE: df.cycle_date_rows,
    df.SIGNALS_FILE: df.signal_count_rows,
}


def test_every_bundled_csv_has_exactly_one_row_type_and_reader() -> None:
    bundled = {
        p.name for p in resources.files("smartpick.data").iterdir() if p.name.endswith(".csv")
    }
    assert bundled == set(DATA_FILES) == set(df.ROW_TYPES) == set(READERS)
    assert len(set(df.ROW_TYPES.values())) == len(df.ROW_TYPES)


@pytest.mark.parametrize("name", sorted(READERS))
def test_reader_returns_every_row_validated_frozen_and_cached(name: str) -> None:
    rows = READERS[name]()
    lines = read_text(name).strip("\n").count("\n")  # data lines (no quoted newlines here)
    assert len(rows) == lines > 0
    assert all(type(r) is df.ROW_TYPES[name] for r in rows)
    with pytest.raises(ValidationError):
        rows[0].__setattr__(next(iter(type(rows[0]).model_fields)), None)
    assert READERS[name]() == rows
    if name != df.FACTS_FILE:
        assert READERS[name]() is rows  # cached: one parse per process


def test_catalog_validates_with_the_same_row_types() -> None:
    assert load.NrmpRow is df.NrmpRow and load.TrackRow is df.TrackRow
    source = load.load_source(df.TRACKS_FILE)
    assert tuple(load.parse_rows(source, df.TrackRow)) == df.track_rows()
    with pytest.raises(CatalogError, match="is read as TrackRow"):
        load.parse_rows(source, df.Step2Row)
    assert set(build.ROW_MODULES) == {"rows.py", "parse.py"}
    assert all((PACKAGE / "datafiles" / n).is_file() for n in build.ROW_MODULES)


def _raw_access(path: Path) -> set[str]:
    """Raw readers a module imports from :mod:`smartpick.resources`, and "smartpick.data"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "smartpick.resources":
            names.update(a.name for a in node.names if a.name.startswith("read_"))
        elif isinstance(node, ast.ImportFrom) and node.module == "smartpick":
            names.update("resources" for a in node.names if a.name == "resources")
        elif isinstance(node, ast.Constant) and node.value == "smartpick.data":
            names.add("smartpick.data")
    return names


#: Raw access to package data, and the modules allowed to use it.
RAW_ACCESS: dict[str, set[str]] = {
    "read_csv": set(),  # raw string rows: for tests and one-off tools only
    "read_text": {"datafiles/__init__.py"},  # the typed readers
    "read_bytes": {"catalog/load.py"},  # a source's bytes for its hash; rows via datafiles
    "resources": set(),
    "smartpick.data": {"resources.py"},
}


@pytest.mark.parametrize("access", sorted(RAW_ACCESS))
def test_only_the_readers_touch_raw_package_data(access: str) -> None:
    users = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if access in _raw_access(p)}
    assert users <= RAW_ACCESS[access], f"{access} used by {sorted(users - RAW_ACCESS[access])}"


def test_the_raw_access_check_sees_an_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from smartpick.resources import read_csv\nX = 'smartpick.data'\n")
    assert _raw_access(probe) == {"read_csv", "smartpick.data"}


def _broken(name: str, line: int, column: str, value: str) -> str:
    """The bundled text of ``name`` with one cell of data line ``line`` (header = 1) replaced."""
    rows = list(csv.reader(io.StringIO(read_text(name))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "line", "column", "value"),
    [
        (df.NRMP_FILE, 4, "quota_2026", "many"),
        (df.TRACKS_FILE, 3, "us_img_matched", "-1"),
        (df.STEP2_FILE, 2, "matched_median", "high"),
        (df.RATES_FILE, 3, "us_img_pct", "140"),
        (df.CYCLE_DATES_FILE, 2, "date", "2023-13-07"),
        (df.FACTS_FILE, 2, "value", "eleven"),
        (df.SIGNALS_FILE, 4, "signal", "five"),
        (df.SIGNALS_FILE, 3, "signal", "4"),
    ],
)
def test_a_bad_row_names_file_line_and_column(
    name: str, line: int, column: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _broken(name, line, column, value)
    with pytest.raises(CatalogError, match=f"{name}, line {line}, column '{column}'") as err:
        df.parse_rows(name, text, df.ROW_TYPES[name])
    assert repr(value) in str(err.value)
    monkeypatch.setattr(df, "read_text", lambda _: text)  # the reader itself, uncached
    with pytest.raises(CatalogError, match=f"line {line}, column '{column}'"):
        df._bundled(name, df.ROW_TYPES[name])


def test_a_wrong_header_is_line_1() -> None:
    text = read_text(df.RATES_FILE).replace("us_img_pct", "us_img_percent", 1)
    with pytest.raises(CatalogError, match=r"match_rates_by_applicant_type.csv, line 1: header"):
        df.parse_rows(df.RATES_FILE, text, df.MatchRateRow)


def test_typed_values() -> None:
    assert df.fact("eras_fee_first_30").value == 11.0
    assert df.fact("eras_fee_first_30").citation.endswith(", 2026")
    assert all(isinstance(r.date, dt.date) for r in df.cycle_date_rows())
    assert {r.match_year for r in df.match_rate_rows()} >= {2025}
