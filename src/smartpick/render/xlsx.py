"""The plan as an XLSX workbook (openpyxl): Programs, Tracking, Screened out, Plan, Sources.

- **Programs**: one row per listed program, ranked, the columns of the CSV export; frozen
  header, filters, number formats, widths. Delete a row, or write ``removed`` in ``list``,
  to drop a program; add a row with a ``program_code`` to add one.
- **Tracking**: program code, name, ``status`` (a drop-down of the statuses), dates, notes.
- **Plan**: the headline figures with their sources, and the portfolio.
- **Sources**: every source the plan used.

The workbook holds no profile field (a profile is sensitive): only the plan made from it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from smartpick.contract import PlanResult
from smartpick.listfile import STATUSES, TrackingEntry

from .export import PROGRAM_COLUMNS, TRACKING_SPEC, Column, program_cells

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["SHEETS", "plan_xlsx"]

SHEETS = ("Programs", "Tracking", "Screened out", "Plan", "Sources")
_FORMATS = {"int": "0", "percent": "0.0", "date": "yyyy-mm-dd"}
_SPARE_ROWS = 200  # tracking rows with a drop-down below the listed programs, for additions
_MODEL = "our estimate (calibrated model, docs/calibration.md)"
_FEES = "AAMC ERAS fee schedule, 2026 season"


def _value(value: Any) -> Any:
    """A cell value: lists joined, booleans as yes/no, control characters dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _table(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> int:
    """Header, rows (text never run as a formula), formats, widths, frozen header, filters;
    returns the number of rows written."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append([c.name for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    n = 0
    for n, row in enumerate(rows, start=1):
        for j, col in enumerate(columns, start=1):
            cell = ws.cell(row=n + 1, column=j, value=_value(row.get(col.name)))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=..." stays text
            elif col.kind in _FORMATS:
                cell.number_format = _FORMATS[col.kind]
    for j, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = col.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(n + 1, 2)}"
    return n


def _tracking(ws: Worksheet, result: PlanResult, tracking: Mapping[str, TrackingEntry]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = [
        Column("program_code", width=12),
        Column("name", width=40),
        *TRACKING_SPEC,
    ]
    rows = []
    for p in result.programs:
        entry = tracking.get(p.program_code, TrackingEntry())
        rows.append({"program_code": p.program_code, "name": p.name, **entry.cells()})
    listed = {p.program_code for p in result.programs}
    names = {s.program_code: s.name for s in result.screened_out}
    rows += [  # tracked programs no longer on the list keep their rows
        {"program_code": code, "name": names.get(code, ""), **entry.cells()}
        for code, entry in tracking.items()
        if code not in listed
    ]
    n = _table(ws, columns, rows)
    last = n + 1 + _SPARE_ROWS
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="status",
        error="Choose one of: " + ", ".join(STATUSES),
    )
    status.add(f"C2:C{last}")
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(2000,1,1)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="date",
        error="A date, e.g. 2027-09-24",
    )
    dates.add(f"D2:G{last}")
    ws.add_data_validation(status)
    ws.add_data_validation(dates)
    for row in ws.iter_rows(min_row=n + 2, max_row=last, min_col=4, max_col=7):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"


def _plan_sheet(ws: Worksheet, r: PlanResult) -> None:
    from openpyxl.styles import Font

    rows: list[tuple[str, Any, str]] = []
    if r.match_year is not None:
        rows.append(("NRMP Main Match", r.match_year, "the Match this plan is for"))
    rows += [
        ("chance of matching (%)", round(100 * r.match_probability, 1), _MODEL),
        ("chance of matching, low (%)", round(100 * r.match_probability_low, 1), _MODEL),
        ("chance of matching, high (%)", round(100 * r.match_probability_high, 1), _MODEL),
        ("programs to apply to", r.recommended_count, _MODEL),
        ("ERAS fees (US$)", round(r.cost_usd, 2), _FEES),
        *((f"once per season: {k} (US$)", v, _FEES) for k, v in r.fees_once_usd.items()),
        ("expected interviews", round(r.expected_interviews, 1), _MODEL),
        ("interviews, 10th percentile", round(r.interviews_low, 1), _MODEL),
        ("interviews, 90th percentile", round(r.interviews_high, 1), _MODEL),
        ("reach programs", r.tier_counts.reach, "docs/planner.md (tiers)"),
        ("target programs", r.tier_counts.target, "docs/planner.md (tiers)"),
        ("safety programs", r.tier_counts.safety, "docs/planner.md (tiers)"),
        ("model version", r.model_version, ""),
    ]
    ws.append(["figure", "value", "source"])
    for label, value, source in rows:
        ws.append([label, value, source])
    ws.append([])
    ws.append(["portfolio: specialty", "track", "programs", "ERAS fees (US$)", "P(match) (%)"])
    for part in r.portfolio:
        ws.append(
            [
                part.specialty,
                part.track,
                part.count,
                round(part.cost_usd, 2),
                round(100 * part.match_probability, 1) if part.count else None,
            ]
        )
    if r.notes:
        ws.append([])
        ws.append(["notes"])
        for note in r.notes:
            ws.append([_value(note)])
    for row in ws.iter_rows():
        if row and row[0].value in ("figure", "portfolio: specialty", "notes"):
            for cell in row:
                cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (34, 16, 48, 16, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def plan_xlsx(result: PlanResult, tracking: Mapping[str, TrackingEntry] | None = None) -> bytes:
    """The plan as an XLSX workbook (bytes); ``tracking`` pre-fills the Tracking sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    programs = wb.active
    assert programs is not None
    programs.title = SHEETS[0]
    _table(
        programs,
        PROGRAM_COLUMNS,
        (program_cells(i, p) for i, p in enumerate(result.programs, start=1)),
    )
    _tracking(wb.create_sheet(SHEETS[1]), result, tracking or {})
    _table(
        wb.create_sheet(SHEETS[2]),
        [
            Column("program_code", width=12),
            Column("name", width=40),
            Column("reason", width=60),
            Column("strictness", width=12),
        ],
        (s.model_dump() for s in result.screened_out),
    )
    _plan_sheet(wb.create_sheet(SHEETS[3]), result)
    _table(
        wb.create_sheet(SHEETS[4]),
        [Column("source", width=100)],
        ({"source": s} for s in result.sources),
    )
    wb.properties.creator = "SmartPick"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
