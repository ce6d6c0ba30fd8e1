"""Wording of the terminal and Markdown reports: institution first, estimates labelled."""

from __future__ import annotations

import io

from rich.console import Console

from smartpick.contract import PlanResult, PortfolioPart
from smartpick.render import render_plan
from smartpick.render.markdown import plan_markdown

from .factory import make_result


def _with_empty_part() -> PlanResult:
    r = make_result()
    empty = PortfolioPart(
        specialty="Preliminary IM / Transitional Year",
        track="preliminary",
        count=0,
        cost_usd=0.0,
        match_probability=0.0,
    )
    return r.model_copy(update={"portfolio": [*r.portfolio, empty]})


def test_markdown_names_the_institution_first_and_labels_estimates() -> None:
    md = plan_markdown(make_result())
    assert "| **Hospital 0** — Program 0 \\| <b>Community</b> |" in md
    assert "**Hospital 1 (unverified)**" in md
    assert "Chance of matching: 81%" in md and "our estimate" in md
    assert "P(interview) is our model's estimate" in md


def test_markdown_holds_every_program() -> None:
    md = plan_markdown(make_result(60))
    assert "## Programs (60)" in md
    assert all(f"| {i} | " in md for i in range(1, 61))


def test_empty_portfolio_part_reads_none_not_zero_percent() -> None:
    r = _with_empty_part()
    md = plan_markdown(r)
    assert "| Preliminary IM / Transitional Year | preliminary | none | — | — |" in md
    buf = io.StringIO()
    render_plan(r, Console(file=buf, width=200))
    out = buf.getvalue()
    assert "none" in out
    assert "Chance of matching 81%" in out
    assert "P(interview): our estimate." in out


def test_standing_label_starts_with_a_capital() -> None:
    r = make_result()
    assert r.standing is not None
    r = r.model_copy(update={"standing": r.standing.model_copy(update={"band_label": "low (x)"})})
    assert "**Low (x).**" in plan_markdown(r)
    buf = io.StringIO()
    render_plan(r, Console(file=buf, width=200))
    assert "Low (x). " in buf.getvalue()
