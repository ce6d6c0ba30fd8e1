"""`smartpick data import | check | reset` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartpick.cli import main
from smartpick.config import DB_ENV
from smartpick.store import STORE_ENV, SQLiteStore


@pytest.fixture
def store_path(tmp_path: Path, shipped_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session's catalog (only read) and a user store of this test's own."""
    path = tmp_path / "user.sqlite"
    monkeypatch.setenv(DB_ENV, str(shipped_db))
    monkeypatch.setenv(STORE_ENV, str(path))
    return path


def facts(store_path: Path) -> list[tuple[str, str, str | None]]:
    store = SQLiteStore(store_path)
    try:
        return [(f.program_code, f.field, f.value) for f in store.user_facts()]
    finally:
        store.close()


GOOD = "program_code,pct_img,visa_h1b\n1903140C0,62,no\n"
BAD = "program_code,pct_img,visa_h1b\n1903140C0,62,no\n2405140C0,sixty,yes\n"


def test_check_validates_without_writing(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["data", "check", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is True and out["written"] is False
    assert (out["programs"], out["facts"]) == (1, 2)
    assert facts(store_path) == []


def test_import_then_reset(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["data", "import", str(path)]) == 0
    assert "Overlaid 2 facts on 1 programs" in capsys.readouterr().out
    assert facts(store_path) == [("1903140C0", "pct_img", "0.62"), ("1903140C0", "visa_h1b", "0")]
    assert main(["data", "reset", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"removed_facts": 2}
    assert facts(store_path) == []


def test_bad_file_exits_non_zero_and_writes_nothing(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    for command in ("check", "import"):
        assert main(["data", command, str(path)]) == 2
        err = capsys.readouterr().err
        assert "bad.csv" in err and "line 3" in err and "pct_img" in err
    assert facts(store_path) == []


@pytest.mark.parametrize("command", ["import", "check", "reset"])
def test_every_command_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", command, "--help"]) == 0
    assert "Example" in capsys.readouterr().out


def test_a_corrupt_store_is_reported_with_the_copy_kept(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path.write_bytes(b"not sqlite at all " * 400)
    assert main(["data", "reset"]) == 1
    err = capsys.readouterr().err
    assert "integrity check" in err and "a copy was kept at" in err
    assert "Traceback" not in err
    assert store_path.read_bytes() == b"not sqlite at all " * 400  # never replaced
    assert list(store_path.parent.glob("user.sqlite.corrupt-*"))
