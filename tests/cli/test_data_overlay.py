"""`smartpick data import | check | reset` through the real CLI entry point."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from smartpick.cli import data_overlay, main

from ..catalog.test_overlay import make_db


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small catalog file the commands open instead of the real one."""
    path = tmp_path / "catalog.sqlite"
    make_db(path).close()

    @contextmanager
    def connect(state: object) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(path)
        try:
            yield conn
        finally:
            conn.close()

    monkeypatch.setattr(data_overlay, "_connection", connect)
    return path


def facts(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'user_facts'").fetchone():
            return []
        return conn.execute(
            "SELECT program_code, field, value FROM user_facts ORDER BY 1, 2"
        ).fetchall()
    finally:
        conn.close()


GOOD = "program_code,pct_img,visa_h1b\n1903140C0,62,no\n"
BAD = "program_code,pct_img,visa_h1b\n1903140C0,62,no\n2405140C0,sixty,yes\n"


def test_check_validates_without_writing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["data", "check", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is True and out["written"] is False
    assert (out["programs"], out["facts"]) == (1, 2)
    assert facts(db) == []


def test_import_then_reset(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["data", "import", str(path)]) == 0
    assert "Overlaid 2 facts on 1 programs" in capsys.readouterr().out
    assert facts(db) == [("1903140C0", "pct_img", "0.62"), ("1903140C0", "visa_h1b", "0")]
    assert main(["data", "reset", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"removed_facts": 2}
    assert facts(db) == []


def test_bad_file_exits_non_zero_and_writes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    for command in ("check", "import"):
        assert main(["data", command, str(path)]) == 2
        err = capsys.readouterr().err
        assert "bad.csv" in err and "line 3" in err and "pct_img" in err
    assert facts(db) == []


@pytest.mark.parametrize("command", ["import", "check", "reset"])
def test_every_command_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", command, "--help"]) == 0
    assert "Example" in capsys.readouterr().out
