"""The strategy plan as Markdown: where you stand, the ranked actions, the timeline."""

from __future__ import annotations

from collections.abc import Sequence

from smartpick.advice.cite import MODEL, pct, usd
from smartpick.advice.standing import Standing
from smartpick.contract import Advice, TimelineItem

__all__ = ["render_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _step(text: str) -> list[str]:
    """A list item; multi-line steps (the email) become an indented block."""
    head, *rest = text.split("\n")
    if not rest:
        return [f"- {head}"]
    return [f"- {head}", "", *(f"    > {line}" for line in rest), ""]


def render_markdown(
    advice: Sequence[Advice], timeline: Sequence[TimelineItem], standing: Standing
) -> str:
    """Markdown of the strategy plan (sections: Where you stand, What to do, Timeline)."""
    lines = ["## Where you stand", "", f"**{standing.summary}**", ""]
    lines += [f"- {p}" for p in standing.points]
    lines += ["", "## What to do, in order", ""]
    for a in sorted(advice, key=lambda a: a.priority):
        lines += [f"### {a.priority}. {a.title}", "", a.why, ""]
        if a.effect is not None:
            e = a.effect
            lines += [
                f"*What-if:* P(match) {pct(e.match_probability_before)} → "
                f"{pct(e.match_probability_after)}, ERAS fees {usd(e.cost_usd)} {MODEL}.",
                "",
            ]
        for s in a.steps:
            lines += _step(s)
        lines.append("")
    if timeline:
        lines += ["## Timeline", "", "| date | step | detail |", "|---|---|---|"]
        lines += [f"| {t.date} | {_cell(t.title)} | {_cell(t.detail)} |" for t in timeline]
        lines.append("")
    return "\n".join(lines)
