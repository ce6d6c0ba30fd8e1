"""The plan's program signals in the terminal report: where to send each one, and what they do."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from smartpick.contract import PlanResult

__all__ = ["headline_signals", "signal_mark", "signals_section"]

_MARK = {"gold": "gold signal", "silver": "silver signal", "signal": "signal"}


def signal_mark(kind: str | None) -> str:
    """The mark a program row carries for its signal ("" when none)."""
    return f" · {_MARK[kind]}" if kind else ""


def headline_signals(r: PlanResult) -> str:
    """What the headline odds assume about signals ("" when the plan sends none)."""
    fx = r.signals_effect
    if fx is None:
        return ""
    return (
        f"\nWith the {len(r.signals)} program signals below "
        f"({100 * fx.match_probability_without:.0f}% without them)"
    )


def signals_section(r: PlanResult) -> RenderableType | None:
    """The "Signals" table (None when the plan sends none)."""
    if not r.signals or r.signals_effect is None:
        return None
    fx = r.signals_effect
    table = Table(
        title=f"Signals: {len(r.signals)} to send",
        caption=(
            f"P(match) {100 * fx.match_probability_without:.0f}% without these signals, "
            f"{100 * fx.match_probability_with:.0f}% with them (the headline includes them; "
            "our estimate, docs/signals.md)."
        ),
    )
    for col in ("kind", "program", "place", "P(interview) without → with"):
        table.add_column(col, overflow="fold")
    by_code = {p.program_code: p for p in r.programs}
    for s in r.signals:
        p = by_code[s.program_code]
        place = ", ".join(x for x in (p.city, p.state) if x)
        line = next((x for x in p.reasons if "signal: interview chance " in x), "")
        change = line.partition("interview chance ")[2].split(" (", 1)[0]
        table.add_row(
            Text(s.kind),
            Text(f"{p.institution} — {p.name} ({s.program_code})"),
            Text(place),
            Text(change),
        )
    return table
