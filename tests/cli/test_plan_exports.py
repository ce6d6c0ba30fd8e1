"""`smartpick plan` exports end to end through the real CLI on the shipped catalog: CSV with
a BOM, XLSX, PDF, Markdown with every program, and the edited list brought back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from smartpick.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "us_img_im_217.toml"
TODAY = "2026-12-01"


@pytest.fixture(scope="module")
def workdir(shipped_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plan-exports")
    shutil.copy(EXAMPLE, folder / "me.toml")
    return folder


def _plan(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "plan", *args, "--today", TODAY])
    out, err = capsys.readouterr()
    return code, out, err


def test_exports_hold_every_program(
    shipped_db: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    me = str(workdir / "me.toml")
    code, out, _ = _plan(shipped_db, capsys, me, "--json")
    assert code == 0
    codes = [p["program_code"] for p in json.loads(out)["programs"]]
    assert _plan(shipped_db, capsys, me, "--csv", "-o", str(workdir / "l.csv"))[0] == 0
    assert (workdir / "l.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert _plan(shipped_db, capsys, me, "--markdown", "-o", str(workdir / "p.md"))[0] == 0
    md = (workdir / "p.md").read_text(encoding="utf-8")
    assert f"## Programs ({len(codes)})" in md and f"\n| {len(codes)} | " in md
    assert _plan(shipped_db, capsys, me, "--pdf", "-o", str(workdir / "p.pdf"))[0] == 0
    assert (workdir / "p.pdf").read_bytes().startswith(b"%PDF-")
    code, _, err = _plan(shipped_db, capsys, me, "--xlsx")
    assert code == 2 and "--xlsx writes a file: add -o FILE" in err


def test_xlsx_round_trip_through_the_cli(
    shipped_db: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    me, xlsx = str(workdir / "me.toml"), workdir / "list.xlsx"
    assert _plan(shipped_db, capsys, me, "--xlsx", "-o", str(xlsx))[0] == 0
    wb = load_workbook(xlsx)
    ws = wb["Programs"]
    codes = [ws.cell(r, 5).value for r in range(2, ws.max_row + 1)]
    ws.delete_rows(3)  # the second program
    ws["B3"] = "removed"  # the third
    wb["Tracking"]["C2"] = "applied"
    wb.save(workdir / "edited.xlsx")
    new = workdir / "new.xlsx"
    code, _, err = _plan(
        shipped_db,
        capsys,
        me,
        "--from-list",
        str(workdir / "edited.xlsx"),
        "--xlsx",
        "-o",
        str(new),
    )
    assert code == 0, err
    assert "2 removed, 0 added by you" in err and "1 tracking event read" in err
    again = load_workbook(new)
    kept = [again["Programs"].cell(r, 5).value for r in range(2, again["Programs"].max_row + 1)]
    assert codes[1] not in kept and codes[2] not in kept and codes[0] in kept
    assert again["Tracking"]["A2"].value == codes[0] and again["Tracking"]["C2"].value == "applied"


def test_a_bad_list_file_lists_every_problem_and_applies_nothing(
    shipped_db: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = workdir / "bad.csv"
    bad.write_text("program_code,list,status\r\n1903140C0,gone,aplied\r\nZZZZZZZZZ,,\r\n")
    code, _, err = _plan(shipped_db, capsys, str(workdir / "me.toml"), "--from-list", str(bad))
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 4, err
    assert f"{bad}, row 2, column 'list': 'gone' is not a list value" in err
    assert "row 3, column 'program_code': unknown program code 'ZZZZZZZZZ'" in err
    assert "3 problems in" in err and "nothing was applied" in err
