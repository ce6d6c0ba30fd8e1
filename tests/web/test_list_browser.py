"""The spreadsheet round-trip in real Chromium over the real planner (issue 11): export the
results as XLSX, edit the file as a user would (delete a row, mark one removed, set a status),
bring it back with the page's upload, and see the re-planned list without those programs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.web import create_app

from .server import running_server
from .test_browser import _shot, browser  # noqa: F401  (the module-scoped Chromium fixture)

pytestmark = pytest.mark.browser
ROWS = "#programs tbody tr[data-code]"


@pytest.fixture(scope="module")
def real_base(shipped_db: Path) -> Iterator[str]:
    store = SQLiteStore(":memory:")
    with running_server(create_app(Planner(shipped_db, store), store)) as base:
        yield base


def _codes(pg: Any) -> list[str]:
    return [str(c) for c in pg.locator(ROWS).evaluate_all("rs => rs.map(r => r.dataset.code)")]


@pytest.mark.parametrize("width", [1280, 390])
def test_export_edit_import_round_trip(
    browser: Any,  # noqa: F811
    real_base: str,
    tmp_path: Path,
    width: int,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        pg.goto(real_base + "/")
        pg.fill("#step2_score", "230")
        pg.fill("#usce_months", "4")
        pg.select_option("#usce_kind", "elective")
        pg.click("button.primary")
        pg.wait_for_selector("#p-match")
        before = _codes(pg)
        assert len(before) >= 10
        with pg.expect_download() as info:
            pg.click("#export-xlsx")
        exported = tmp_path / "list.xlsx"
        info.value.save_as(exported)

        wb = load_workbook(exported)
        ws = wb["Programs"]
        header = [c.value for c in ws[1]]
        code_col, list_col = header.index("program_code") + 1, header.index("list") + 1
        deleted = str(ws.cell(2, code_col).value)
        removed = str(ws.cell(4, code_col).value)
        ws.cell(4, list_col).value = "removed"
        ws.delete_rows(2)
        wb["Tracking"]["C2"] = "applied"
        edited = tmp_path / "edited.xlsx"
        wb.save(edited)

        pg.set_input_files("#import-list input[type=file]", str(edited))
        pg.click("#import-list-submit")
        pg.wait_for_selector("#p-match")
        pg.locator("#import-status").wait_for()
        status = pg.inner_text("#import-status")
        assert re.search(r"\b2 removed\b", status), status
        after = _codes(pg)
        assert deleted in before and removed in before
        assert deleted not in after and removed not in after
        _shot(pg, f"list-round-trip-{width}")
    finally:
        context.close()
    assert errors == []
