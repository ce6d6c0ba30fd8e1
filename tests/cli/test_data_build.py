"""`smartpick data build`: builds, --if-missing, --json, $SMARTPICK_DB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartpick.cli import main
from smartpick.config import DB_ENV


def test_build_then_if_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "sub" / "catalog.sqlite"
    assert main(["--db", str(db), "data", "build", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["built"] is True
    assert report["programs"] == 6687
    assert report["freida"] == 688
    assert db.exists()
    stamp = db.stat().st_mtime_ns
    assert main(["--db", str(db), "data", "build", "--if-missing"]) == 0
    assert "catalog present" in capsys.readouterr().out
    assert db.stat().st_mtime_ns == stamp


def test_env_variable_places_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv(DB_ENV, str(db))
    assert main(["data", "build"]) == 0
    out = capsys.readouterr().out
    assert "6,687 programs" in out and db.exists()


def test_help_has_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "build", "--help"]) == 0
    assert "Example: smartpick" in capsys.readouterr().out
