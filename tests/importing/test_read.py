"""Reading an edited export back: kept, deleted, removed and added programs, tracking events,
and every problem at once with its file, sheet, row and column."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import load_workbook

from smartpick.importing import read_list, read_list_bytes
from smartpick.listfile import TrackingEvent
from smartpick.render.export import plan_csv
from smartpick.render.xlsx import plan_xlsx

from ..render.factory import make_result

CODES = [f"1234140C{i}" for i in range(6)]


def _edited_workbook() -> bytes:
    wb = load_workbook(io.BytesIO(plan_xlsx(make_result(6))))
    ws = wb["Programs"]
    ws.delete_rows(3)  # rank 2 deleted
    ws["B3"] = "Removed"  # rank 3 marked
    ws.append([None, None, None, None, "1903140c0"])  # added, lower case
    tr = wb["Tracking"]
    tr["C2"], tr["D2"] = "applied", dt.date(2027, 9, 24)
    tr["C4"], tr["E4"], tr["H4"] = "Invited", "2027-10-10", "coordinator emailed"
    tr["C5"], tr["G5"] = "rejected", dt.datetime(2027, 11, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_round_trip_reads_changes_and_events() -> None:
    got = read_list_bytes(_edited_workbook(), "list.xlsx")
    assert got.ok, got.problems
    assert got.include_codes == (CODES[0], CODES[3], CODES[4], CODES[5], "1903140C0")
    assert got.exclude_codes == (CODES[2],)
    assert got.excludes(CODES) == (CODES[2], CODES[1])  # marked, then the deleted row
    assert got.events == (
        TrackingEvent(CODES[0], "applied", dt.date(2027, 9, 24)),
        TrackingEvent(CODES[2], "invited", dt.date(2027, 10, 10), "coordinator emailed"),
        TrackingEvent(CODES[3], "rejected", dt.date(2027, 11, 1)),
    )
    assert got.entries[CODES[0]].status == "applied"


def test_csv_round_trip_with_excel_dates_and_a_deleted_row(tmp_path: Path) -> None:
    lines = plan_csv(make_result(3)).splitlines()
    header = lines[0].removeprefix("\ufeff").split(",")
    col = {name: i for i, name in enumerate(header)}
    row = lines[1].split(",")  # no quoted comma before the program code
    assert lines[1].startswith("1,listed")
    cells = [""] * len(header)
    cells[col["program_code"]], cells[col["status"]] = row[col["program_code"]], "interviewed"
    cells[col["interviewed_on"]] = "11/3/2027"
    path = tmp_path / "list.csv"
    path.write_text("\ufeff" + ",".join(header) + "\r\n" + ",".join(cells) + "\r\n")
    got = read_list(path)
    assert got.ok, got.problems
    assert got.include_codes == (CODES[0],)
    assert got.excludes(CODES[:3]) == (CODES[1], CODES[2])
    assert got.events == (TrackingEvent(CODES[0], "interviewed", dt.date(2027, 11, 3)),)


def test_every_problem_at_once_with_sheet_row_and_column() -> None:
    wb = load_workbook(io.BytesIO(plan_xlsx(make_result(4))))
    ws, tr = wb["Programs"], wb["Tracking"]
    ws["B3"] = "remvd"
    ws["E4"] = "XYZ"
    ws["E5"] = ws["E2"].value  # a duplicate
    tr["C2"], tr["D3"] = "aplied", "next week"
    buf = io.BytesIO()
    wb.save(buf)
    got = read_list_bytes(buf.getvalue(), "mine.xlsx")
    texts = [str(p) for p in got.problems]
    assert texts == [
        "mine.xlsx, sheet 'Programs', row 3, column 'list': 'remvd' is not a list value; "
        "did you mean 'removed'? (allowed: listed, removed (or delete the row), screened out)",
        "mine.xlsx, sheet 'Programs', row 4, column 'program_code': 'XYZ' is not a program "
        "code (allowed: a 9-character NRMP code such as 1903140C0 (see `smartpick programs`))",
        f"mine.xlsx, sheet 'Programs', row 5, column 'program_code': program {CODES[0]} is "
        "also on row 2",
        "mine.xlsx, sheet 'Tracking', row 2, column 'status': 'aplied' is not a status; did "
        "you mean 'applied'? (allowed: applied, invited, interviewed, rejected, withdrawn, "
        "ranked)",
        "mine.xlsx, sheet 'Tracking', row 3, column 'applied_on': 'next week' is not a date "
        "(allowed: a date such as 2027-09-24 (or 9/24/2027))",
    ]
    assert not got.ok


def test_unknown_codes_missing_columns_and_unreadable_files(tmp_path: Path) -> None:
    got = read_list_bytes(b"program_code\r\n1903140C1\r\n", "a.csv", known_codes={"1903140C0"})
    assert [str(p) for p in got.problems] == [
        "a.csv, row 2, column 'program_code': unknown program code '1903140C1'; did you mean "
        "'1903140C0'? (allowed: a program code of the catalog)"
    ]
    got = read_list_bytes(b"name\r\nx\r\n", "b.csv")
    assert str(got.problems[0]) == (
        "b.csv, row 1, column 'program_code': column missing from the header "
        "(allowed: program_code)"
    )
    assert "not valid UTF-8" in str(read_list_bytes(b"program_code\n\xff\n", "c.csv").problems[0])
    assert "not a readable XLSX" in str(read_list_bytes(b"PK\x03\x04junk", "d.xlsx").problems[0])
    assert "cannot read the file" in str(read_list(tmp_path / "none.csv").problems[0])
    assert "no program rows" in str(read_list_bytes(b"program_code\r\n", "e.csv").problems[0])
