"""The XLSX export: five sheets, a frozen and filtered header, formats, a status drop-down."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from smartpick.render.export import PROGRAM_COLUMNS
from smartpick.render.xlsx import SHEETS, plan_xlsx

from .factory import make_result


def test_workbook_has_the_sheets_and_one_row_per_listed_program() -> None:
    wb = load_workbook(io.BytesIO(plan_xlsx(make_result(4))))
    assert wb.sheetnames == list(SHEETS)
    ws = wb["Programs"]
    assert [c.value for c in ws[1]] == [c.name for c in PROGRAM_COLUMNS]
    assert ws.max_row == 1 + 4
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:AB{ws.max_row}"
    assert ws["A2"].value == 1 and ws["Q2"].value == 50.0 and ws["Q2"].number_format == "0.0"
    assert ws["G2"].value == "Program 0 | <b>Community</b>"
    assert ws.column_dimensions["G"].width == 40
    assert wb["Screened out"].max_row == 2


def test_tracking_sheet_has_a_status_list_and_date_columns() -> None:
    wb = load_workbook(io.BytesIO(plan_xlsx(make_result(3))))
    ws = wb["Tracking"]
    assert [c.value for c in ws[1]][:4] == ["program_code", "name", "status", "applied_on"]
    status, dates = ws.data_validations.dataValidation
    assert status.type == "list" and "applied,invited,interviewed" in str(status.formula1)
    assert str(status.sqref).startswith("C2:C") and dates.type == "date"


def test_plan_sheet_has_figures_with_sources_and_no_profile() -> None:
    wb = load_workbook(io.BytesIO(plan_xlsx(make_result())))
    rows = list(wb["Plan"].iter_rows(values_only=True))
    assert rows[1][:2] == ("chance of matching (%)", 81.0) and "our estimate" in str(rows[1][2])
    assert any(r[0] == "ERAS fees (US$)" and "AAMC" in str(r[2]) for r in rows)
    text = " ".join(str(c) for r in rows for c in r if c is not None)
    assert "step2" not in text.lower() and "score" not in text.lower()
    assert wb["Sources"]["A2"].value


def test_text_that_looks_like_a_formula_stays_text() -> None:
    result = make_result(1)
    prog = result.programs[0].model_copy(update={"name": '=HYPERLINK("x")'})
    wb = load_workbook(io.BytesIO(plan_xlsx(result.model_copy(update={"programs": [prog]}))))
    cell = wb["Programs"]["G2"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
