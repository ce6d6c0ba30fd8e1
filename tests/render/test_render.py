"""Renderers: CSV, terminal and Markdown show every section of a plan."""

from __future__ import annotations

import csv
import io

from rich.console import Console

from smartpick.render import plan_csv, render_plan
from smartpick.render.export import CSV_COLUMNS, records_csv
from smartpick.render.markdown import plan_markdown

from .factory import make_result


def test_plan_csv_has_one_row_per_program_then_the_screened_out() -> None:
    result = make_result(5)
    rows = list(csv.DictReader(io.StringIO(plan_csv(result).removeprefix("\ufeff"))))
    assert len(rows) == 5 + 1
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["list"] for r in rows] == ["listed"] * 5 + ["screened out"]
    assert rows[0]["sources"] == "freida_im_programs_2025.csv (AMA FREIDA, 2025)"
    assert rows[0]["visa_j1"] == "yes" and rows[0]["visa_h1b"] == ""
    assert rows[1]["img_share_source"] == "estimated"
    assert rows[0]["name"] == "Program 0 | <b>Community</b>"  # CSV keeps text verbatim
    assert rows[5]["screen_reason"].startswith("does not accept applications")


def test_records_csv_joins_lists_blanks_unknowns_and_defuses_formulas() -> None:
    text = records_csv([{"a": [1, 2], "b": None, "c": float("nan"), "d": "=HYPERLINK()"}])
    assert text.splitlines() == ["a,b,c,d", "1; 2,,,'=HYPERLINK()"]
    assert records_csv([]) == ""


def test_terminal_report_shows_headline_tiers_and_sections() -> None:
    buf = io.StringIO()
    render_plan(make_result(), Console(file=buf, width=200), top=3)
    out = buf.getvalue()
    for fragment in (
        "81%",
        "72%–88%",
        "Apply to 5 programs",
        "Top 3 of 5",
        "Screened out",
        "Portfolio",
        "Family Medicine",
        "Strategy plan",
        "81% → 86%",
        "Timeline",
        "est.",
        "(unverified)",
        "Sources",
        "Where you stand",
        "Low Step 2 CK (< 220)",
        "[past] First day to submit",
        "<b>Community</b>",
    ):
        assert fragment in out, fragment


def test_markdown_escapes_tables_and_includes_strategy() -> None:
    md = plan_markdown(make_result())
    assert "Program 0 \\| <b>Community</b>" in md
    assert "### 1. Add hands-on US clinical experience" in md
    assert "P(match) 81% → 86%" in md
    assert "(estimated)" in md
    assert "## Where you stand" in md and "median 254 (Charting Outcomes 2026)" in md


def test_ready_to_use_texts_are_quoted_blocks_in_markdown() -> None:
    from smartpick.contract import Advice

    result = make_result()
    email = Advice(
        id="outreach",
        title="Email the coordinators",
        why="Keep it short.",
        steps=["Email: Subject: Internal Medicine applicant\nDear [Coordinator name],"],
        effect=None,
        priority=2,
    )
    md = plan_markdown(result.model_copy(update={"advice": [*result.advice, email]}))
    assert (
        "- Email:\n\n  > Subject: Internal Medicine applicant  \n  > Dear [Coordinator name],  "
        in md
    )
