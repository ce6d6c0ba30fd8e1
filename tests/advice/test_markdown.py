"""The Markdown rendering of the strategy plan."""

from __future__ import annotations

from smartpick.advice import (
    build_advice,
    build_timeline,
    render_markdown,
    specialty_facts,
    standing,
)

from .fakes import TODAY, FakePlanner, profile


def test_markdown_has_standing_ranked_actions_and_timeline() -> None:
    p = profile(specialty="Neurology", step2_score=212, exam_failures=1, regions=["Midwest"])
    planner = FakePlanner()
    facts = specialty_facts(p.specialty)
    advice = build_advice(p, planner.base(p), planner, today=TODAY, facts=facts)
    md = render_markdown(advice, build_timeline(TODAY), standing(p, facts))
    assert md.index("## Where you stand") < md.index("## What to do, in order")
    assert md.index("## What to do, in order") < md.index("## Timeline")
    first = min(advice, key=lambda a: a.priority)
    assert f"### 1. {first.title}" in md
    by_priority = sorted(advice, key=lambda a: a.priority)
    positions = [md.index(f"### {a.priority}. {a.title}") for a in by_priority]
    assert positions == sorted(positions)
    assert "*What-if:* P(match)" in md and "(SmartPick model estimate)" in md
    assert "    > Dear [Coordinator name]," in md  # the email as an indented block
    assert "| 2027-03-19 | Match Day |" in md
    assert "212" in md


def test_pipes_in_timeline_cells_are_escaped() -> None:
    from smartpick.contract import TimelineItem

    p = profile()
    facts = specialty_facts(p.specialty)
    md = render_markdown(
        [], [TimelineItem(date="2027-01-01", title="a | b", detail="c")], standing(p, facts)
    )
    assert "| 2027-01-01 | a \\| b | c |" in md
