"""The plan as a terminal report (rich): headline odds, count and cost, tiers, top programs,
screened-out summary, portfolio, strategy and timeline."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from smartpick.contract import PlanResult

__all__ = ["render_plan"]


def _pct(x: float | None) -> str:
    return "unknown" if x is None else f"{100 * x:.0f}%"


def _headline(r: PlanResult) -> Panel:
    t = Text()
    t.append("P(match) ", style="bold")
    t.append(_pct(r.match_probability), style="bold green")
    t.append(
        f"  (range {_pct(r.match_probability_low)}–{_pct(r.match_probability_high)}, our estimate)"
    )
    t.append(f"\nApply to {r.recommended_count} programs", style="bold")
    t.append(f" · ERAS fees ${r.cost_usd:,.0f}")
    once = ", ".join(f"{k} ${v:,.0f}" for k, v in r.fees_once_usd.items())
    if once:
        t.append(f" (plus once per season: {once})")
    t.append(f"\nExpected interviews {r.expected_interviews:.1f} (our estimate)")
    tc = r.tier_counts
    t.append(f"\nTiers: {tc.reach} reach · {tc.target} target · {tc.safety} safety")
    return Panel(t, title="SmartPick plan", border_style="green")


def _programs(r: PlanResult, top: int) -> Table:
    table = Table(title=f"Top {min(top, len(r.programs))} of {len(r.programs)} programs")
    for col in ("#", "tier", "P(interview)", "program", "city, state", "IMG share", "why"):
        table.add_column(col, overflow="fold")
    for i, p in enumerate(r.programs[:top], start=1):
        share = "unknown"
        if p.img_share is not None:
            share = _pct(p.img_share)
            if p.img_share_source == "estimated":
                sd = f" ± {_pct(p.img_share_sd)}" if p.img_share_sd else ""
                share += f"{sd} est."
        place = ", ".join(x for x in (p.city, p.state) if x)
        name = p.name if p.institution_verified else f"{p.name} (institution unverified)"
        table.add_row(
            str(i),
            p.tier or "",
            _pct(p.interview_probability),
            name,
            place,
            share,
            "; ".join(p.reasons[:2]),
        )
    return table


def _screened(r: PlanResult) -> RenderableType:
    if not r.screened_out:
        return Text("No program was screened out.")
    counts = Counter((s.reason, s.strictness) for s in r.screened_out)
    table = Table(title=f"Screened out: {len(r.screened_out)} programs")
    table.add_column("reason")
    table.add_column("strictness")
    table.add_column("programs", justify="right")
    for (reason, strict), n in counts.most_common(8):
        table.add_row(reason, strict, str(n))
    return table


def _portfolio(r: PlanResult) -> RenderableType:
    table = Table(title="Portfolio")
    for col in ("specialty", "track", "programs", "ERAS fees", "P(match)"):
        table.add_column(col)
    for part in r.portfolio:
        table.add_row(
            part.specialty,
            part.track,
            str(part.count),
            f"${part.cost_usd:,.0f}",
            _pct(part.match_probability),
        )
    return table


def _advice(r: PlanResult) -> RenderableType:
    table = Table(title="Strategy plan (highest effect first)")
    table.add_column("#")
    table.add_column("action")
    table.add_column("effect")
    for a in sorted(r.advice, key=lambda a: a.priority):
        eff = ""
        if a.effect is not None:
            eff = (
                f"{_pct(a.effect.match_probability_before)} → "
                f"{_pct(a.effect.match_probability_after)}"
            )
        table.add_row(str(a.priority), a.title, eff)
    return table


def _timeline(r: PlanResult) -> RenderableType:
    table = Table(title="Timeline")
    table.add_column("date")
    table.add_column("step")
    for item in r.timeline:
        table.add_row(item.date, item.title)
    return table


def render_plan(result: PlanResult, console: Console | None = None, *, top: int = 25) -> None:
    """Print the plan report."""
    console = console or Console()
    parts: list[RenderableType] = [_headline(result), _programs(result, top), _screened(result)]
    if len(result.portfolio) > 1:
        parts.append(_portfolio(result))
    if result.advice:
        parts.append(_advice(result))
    if result.timeline:
        parts.append(_timeline(result))
    for note in result.notes:
        parts.append(Text(f"Note: {note}", style="dim"))
    parts.append(Text("Sources: " + "; ".join(result.sources), style="dim"))
    parts.append(Text(f"Model {result.model_version}", style="dim"))
    console.print(Group(*parts))
