"""`smartpick track`: save, export the season as XLSX, import the edited sheet (CSV or XLSX),
see the odds change; a bad file lists every problem and records nothing.

The clock is pinned (``$SMARTPICK_TODAY``): the plan is saved on 1 July 2026 (the 2027
Match), the sheet imported and the status read on 1 November 2026.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from smartpick.cli import main
from smartpick.config import TODAY_ENV

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "us_img_im_217.toml"
INVITED_A, INVITED_B, REJECTED = "2407140C0", "2405140C0", "2132140C0"  # on the example's list


class Cli:
    """The CLI over one catalog and one user store, with the plan's token."""

    def __init__(self, db: Path, store: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.base = ["--db", str(db), "--store", str(store)]
        self.capsys = capsys
        self.token = ""

    def __call__(self, *args: str) -> tuple[int, str, str]:
        token = ["--token", self.token] if self.token and args[0] != "save" else []
        code = main([*self.base, "track", *args, *token])
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def status(self, plan_id: str) -> dict[str, Any]:
        code, out, err = self("status", plan_id, "--json")
        assert code == 0, err
        data: dict[str, Any] = json.loads(out)
        return data

    def events(self, plan_id: str) -> list[dict[str, Any]]:
        code, out, err = self("export", plan_id)
        assert code == 0, err
        data: list[dict[str, Any]] = json.loads(out)
        return data


@pytest.fixture
def cli(
    shipped_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    return Cli(shipped_db, tmp_path / "user.sqlite", capsys)


def _save(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(TODAY_ENV, "2026-07-01")
    code, out, err = cli("save", str(EXAMPLE))
    assert code == 0, err
    found = re.search(r"plan id: (\S+)\ntoken: +(\S+)", out)
    assert found, out
    cli.token = found.group(2)
    monkeypatch.setenv(TODAY_ENV, "2026-11-01")
    return found.group(1)


def _fill(path: Path, out: Path, rows: dict[str, dict[str, Any]], sheet: str = "Tracking") -> None:
    """Set cells of the workbook's tracking rows by program code and column name."""
    wb = load_workbook(path)
    ws = wb[sheet]
    col = {c.value: c.column for c in ws[1]}
    at = {ws.cell(r, col["program_code"]).value: r for r in range(2, ws.max_row + 1)}
    for code, cells in rows.items():
        row = at.get(code, ws.max_row + 1)
        ws.cell(row, col["program_code"], code)
        for name, value in cells.items():
            ws.cell(row, col[name], value)
    wb.save(out)


def test_import_the_exported_workbook_and_the_odds_change(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _save(cli, monkeypatch)
    before = cli.status(pid)
    assert before["match_year"] == 2027 and before["received_interviews"] == 0
    season = tmp_path / "season.xlsx"
    code, out, err = cli("export", pid, "--xlsx", "-o", str(season))
    assert code == 0, err
    assert "0 events in its Tracking sheet" in out
    filled = tmp_path / "filled.xlsx"
    _fill(
        season,
        filled,
        {
            INVITED_A: {"status": "invited", "invited_on": dt.date(2026, 10, 12)},
            INVITED_B: {"status": "invited", "invited_on": dt.date(2026, 10, 20), "notes": "zoom"},
            REJECTED: {"status": "rejected", "status_on": dt.date(2026, 10, 25)},
        },
    )
    code, out, err = cli("import", pid, str(filled))
    assert code == 0, err
    assert "recorded 3 events; 0 already recorded (skipped)" in out
    after = cli.status(pid)
    assert after["received_interviews"] == 2 and after["rejections"] == 1
    assert after["match_probability"] > before["match_probability"]
    by_code = {p["program_code"]: p for p in after["programs"]}
    assert by_code[INVITED_A]["interview_probability"] == 1.0
    assert by_code[REJECTED]["interview_probability"] == 0.0
    assert [e["note"] for e in cli.events(pid) if e["program_code"] == INVITED_B] == ["zoom"]

    # the same sheet again, and the season's own export: nothing new
    code, out, _ = cli("import", pid, str(filled))
    assert code == 0 and "recorded 0 events; 3 already recorded (skipped)" in out
    again = tmp_path / "again.xlsx"
    assert cli("export", pid, "--xlsx", "-o", str(again))[0] == 0
    ws = load_workbook(again)["Tracking"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == REJECTED)
    assert row[2] == "rejected" and row[6] == dt.datetime(2026, 10, 25)
    code, out, _ = cli("import", pid, str(again))
    assert code == 0 and "recorded 0 events; 3 already recorded" in out
    assert len(cli.events(pid)) == 3
    assert cli.status(pid)["match_probability"] == after["match_probability"]


def test_import_the_plans_csv_export(
    cli: Cli, shipped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _save(cli, monkeypatch)
    listed = tmp_path / "list.csv"
    argv = ["--db", str(shipped_db), "plan", str(EXAMPLE), "--csv", "-o", str(listed)]
    assert main([*argv, "--today", "2026-07-01"]) == 0
    with listed.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = list(reader.fieldnames or []), list(reader)
    row = next(r for r in rows if r["program_code"] == INVITED_A)
    row["status"], row["invited_on"] = "invited", "2026-10-12"
    with listed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)
    code, out, err = cli("import", pid, str(listed))
    assert code == 0, err
    assert "recorded invited at 2407140C0 on 2026-10-12" in out
    assert cli.status(pid)["received_interviews"] == 1


def test_a_bad_sheet_lists_every_problem_and_records_nothing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _save(cli, monkeypatch)
    season = tmp_path / "season.xlsx"
    assert cli("export", pid, "--xlsx", "-o", str(season))[0] == 0
    bad = tmp_path / "bad.xlsx"
    _fill(
        season,
        bad,
        {
            INVITED_A: {"status": "invited", "invited_on": dt.date(2026, 10, 12)},  # fine
            INVITED_B: {"status": "maybe"},
            REJECTED: {"status": "invited", "invited_on": dt.date(2026, 11, 20)},  # future
            "0000999X0": {"status": "applied", "applied_on": dt.date(2026, 9, 1)},
        },
    )
    code, _, err = cli("import", pid, str(bad))
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 4, err
    assert f"{bad}, sheet 'Tracking', row " in lines[0] and "column 'status'" in lines[0]
    assert "column 'invited_on': 2026-11-20 is in the future (today is 2026-11-01)" in err
    assert "column 'program_code': 0000999X0 is not on this plan's list" in err
    assert "3 problems in" in err and "nothing was recorded" in err
    assert cli.events(pid) == []
    cli.token = "not-the-token"
    code, _, err = cli("import", pid, str(season))
    assert code == 2 and "--token: the token does not match this saved plan" in err
