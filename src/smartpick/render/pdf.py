"""The printable report as a PDF (fpdf2, pure Python): the same content as the Markdown
report (:mod:`.report`), every program included. The fonts are the DejaVu fonts that
matplotlib (a dependency) ships, so "±", "—" and accents print without any system font."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from smartpick.contract import PlanResult
from smartpick.errors import SmartPickError

from .report import (
    PORTFOLIO_HEADER,
    PROGRAMS_HEADER,
    PROGRAMS_NOTE,
    cap,
    headline,
    pct,
    portfolio_rows,
    program_row,
)

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["plan_pdf"]

_FONT = "DejaVu"
_PROGRAM_WIDTHS = (5, 7, 8, 36, 12, 10, 32)  # percent of the line, per PROGRAMS_HEADER column


def _font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise SmartPickError("the PDF needs matplotlib's fonts: reinstall SmartPick")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def _document() -> FPDF:
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="letter")
    fonts = _font_dir()
    pdf.add_font(_FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(_FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title("SmartPick plan")
    pdf.set_creator("SmartPick")
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 13) -> None:
    pdf.set_font(_FONT, "B", size)
    pdf.ln(2)
    pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, "", 9)


def _para(pdf: FPDF, text: str, bold: bool = False) -> None:
    pdf.set_font(_FONT, "B" if bold else "", 9)
    pdf.multi_cell(0, 4.6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, "", 9)


def _table(
    pdf: FPDF,
    header: tuple[str, ...],
    rows: list[tuple[str, ...]],
    widths: tuple[int, ...] | None = None,
) -> None:
    pdf.set_font(_FONT, "", 8)
    with pdf.table(
        col_widths=widths, line_height=4.2, repeat_headings=1, first_row_as_headings=True
    ) as table:
        for row in (header, *rows):
            line = table.row()
            for cell in row:
                line.cell(cell)
    pdf.set_font(_FONT, "", 9)


def plan_pdf(r: PlanResult) -> bytes:
    """The plan's printable report as PDF bytes."""
    pdf = _document()
    _heading(pdf, "SmartPick plan", 18)
    first, *rest = headline(r)
    _para(pdf, first, bold=True)
    for line in rest:
        _para(pdf, line)
    if len(r.portfolio) > 1:
        _heading(pdf, "Portfolio")
        _table(pdf, PORTFOLIO_HEADER, portfolio_rows(r))
    _heading(pdf, f"Programs ({len(r.programs)})")
    _para(pdf, PROGRAMS_NOTE)
    rows = []
    for i, p in enumerate(r.programs, start=1):
        cells = list(program_row(i, p))
        inst = p.institution if p.institution_verified else f"{p.institution} (unverified)"
        cells[3] = f"{inst} — {p.name}"
        rows.append(tuple(cells))
    _table(pdf, PROGRAMS_HEADER, rows, _PROGRAM_WIDTHS)
    if r.screened_out:
        _heading(pdf, f"Screened out ({len(r.screened_out)})")
        _table(
            pdf,
            ("program", "code", "reason", "rule"),
            [(s.name, s.program_code, s.reason, s.strictness) for s in r.screened_out],
            (30, 10, 50, 10),
        )
    if r.standing is not None:
        _heading(pdf, "Where you stand")
        _para(pdf, f"{cap(r.standing.band_label)}. {r.standing.summary}")
        for point in r.standing.points:
            _para(pdf, f"• {point}")
    if r.advice:
        _heading(pdf, "Strategy plan")
        for a in sorted(r.advice, key=lambda a: a.priority):
            _para(pdf, f"{a.priority}. {a.title}", bold=True)
            _para(pdf, a.why)
            if a.effect is not None:
                _para(
                    pdf,
                    f"Measured with the model: P(match) {pct(a.effect.match_probability_before)}"
                    f" → {pct(a.effect.match_probability_after)}"
                    f" (ERAS fees ${a.effect.cost_usd:,.0f})",
                )
            for step in a.steps:
                _para(pdf, f"• {step}")
    if r.timeline:
        _heading(pdf, "Timeline")
        _table(
            pdf,
            ("date", "step", "detail"),
            [(t.date, t.title, t.detail) for t in r.timeline],
            (12, 30, 58),
        )
    if r.notes:
        _heading(pdf, "Notes")
        for note in r.notes:
            _para(pdf, f"• {note}")
    _heading(pdf, "Sources")
    for source in r.sources:
        _para(pdf, f"• {source}")
    _para(pdf, f"Model version {r.model_version}.")
    return bytes(pdf.output())
