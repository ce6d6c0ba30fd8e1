"""The plan as a terminal report (rich): headline odds, count and cost, tiers, top programs,
screened-out summary, portfolio, strategy and timeline."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from smartpick.contract import PlanResult
from smartpick.render.report import PORTFOLIO_HEADER, pct, portfolio_rows
from smartpick.render.terminal_signals import headline_signals, signal_mark, signals_section

__all__ = ["render_plan"]


def _row(table: Table, *cells: str) -> None:
    """Add a row of plain text (no rich markup: names and dates may hold brackets)."""
    table.add_row(*(Text(c) for c in cells))


def _headline(r: PlanResult) -> Panel:
    t = Text()
    t.append("Chance of matching ", style="bold")
    t.append(pct(r.match_probability), style="bold green")
    t.append(
        f"  (range {pct(r.match_probability_low)}–{pct(r.match_probability_high)}, our estimate)"
    )
    if r.match_year is not None:
        t.append(f"  for the {r.match_year} Match")
    t.append(headline_signals(r))
    t.append(f"\nApply to {r.recommended_count} programs", style="bold")
    real = [p for p in r.portfolio if p.count]
    if len(real) > 1:
        t.append(" (" + ", ".join(f"{p.count} {p.specialty}" for p in real) + ")")
    t.append(f" · ERAS fees ${r.cost_usd:,.0f}")
    once = ", ".join(f"{k} ${v:,.0f}" for k, v in r.fees_once_usd.items())
    if once:
        t.append(f" (plus once per season: {once})")
    t.append(
        f"\nExpected interviews {r.expected_interviews:.1f} (80% range "
        f"{r.interviews_low:.0f}-{r.interviews_high:.0f}; our estimate)"
    )
    tc = r.tier_counts
    t.append(
        f"\nTiers: {tc.reach} reach · {tc.target} target · {tc.safety} safety "
        "(relative to your own typical chance)"
    )
    if r.visa_unknown_count:
        t.append(
            f"\n{r.visa_unknown_count} listed programs: visa sponsorship unknown (ask them)",
            style="yellow",
        )
    return Panel(t, title="SmartPick plan", border_style="green")


def _programs(r: PlanResult, top: int) -> Table:
    caption = "P(interview): our estimate."
    if len(r.programs) > top:
        caption += " Every program: --csv or --markdown."
    table = Table(
        title=f"Top {min(top, len(r.programs))} of {len(r.programs)} programs", caption=caption
    )
    table.add_column("#", justify="right")
    table.add_column("tier")
    table.add_column("P(interview)", justify="right")
    table.add_column("program", ratio=3, overflow="fold")
    table.add_column("place", ratio=1, overflow="fold")
    table.add_column("IMG share", justify="right")
    table.add_column("main reason", ratio=3, overflow="fold")
    for i, p in enumerate(r.programs[:top], start=1):
        share = "unknown"
        if p.img_share is not None:
            share = pct(p.img_share)
            if p.img_share_source == "estimated":
                sd = f" ± {pct(p.img_share_sd)}" if p.img_share_sd else ""
                share += f"{sd} est."
        place = ", ".join(x for x in (p.city, p.state) if x)
        inst = p.institution if p.institution_verified else f"{p.institution} (unverified)"
        label = f"{inst} — {p.name}"
        if r.portfolio and (p.specialty, p.track) != (
            r.portfolio[0].specialty,
            r.portfolio[0].track,
        ):
            label += f" ({p.specialty}, {p.track})"
        _row(
            table,
            str(i),
            (p.tier or "") + signal_mark(p.signal),
            pct(p.interview_probability),
            label,
            place,
            share,
            p.reasons[0] if p.reasons else "",
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
        _row(table, reason, strict, str(n))
    return table


def _portfolio(r: PlanResult) -> RenderableType:
    table = Table(title="Portfolio")
    for col in PORTFOLIO_HEADER:
        table.add_column(col)
    for row in portfolio_rows(r):
        _row(table, *row)
    return table


def _standing(r: PlanResult) -> RenderableType:
    assert r.standing is not None
    t = Text()
    label = r.standing.band_label
    t.append(f"{label[:1].upper()}{label[1:]}. ", style="bold")
    t.append(r.standing.summary)
    for point in r.standing.points:
        t.append(f"\n• {point}")  # Text.append never parses markup
    return Panel(t, title="Where you stand", border_style="blue")


def _advice(r: PlanResult) -> RenderableType:
    table = Table(
        title="Strategy plan (highest effect first)",
        caption="Effect: chance of matching before → after, our estimate. "
        "The steps of each action: --markdown.",
    )
    table.add_column("#")
    table.add_column("action")
    table.add_column("effect")
    for a in sorted(r.advice, key=lambda a: a.priority):
        eff = ""
        if a.effect is not None:
            eff = (
                f"{pct(a.effect.match_probability_before)} → "
                f"{pct(a.effect.match_probability_after)}"
            )
        _row(table, str(a.priority), a.title, eff)
    return table


def _timeline(r: PlanResult) -> RenderableType:
    table = Table(title="Timeline")
    table.add_column("date")
    table.add_column("step")
    for item in r.timeline:
        _row(table, item.date, item.title)
    return table


def render_plan(result: PlanResult, console: Console | None = None, *, top: int = 25) -> None:
    """Print the plan report."""
    if console is None:
        console = Console()
        if not console.is_terminal:  # piped or redirected: do not squeeze into 80 columns
            console = Console(width=160)
    parts: list[RenderableType] = [_headline(result)]
    if result.standing is not None:
        parts.append(_standing(result))
    parts += [_programs(result, top), _screened(result)]
    signals = signals_section(result)
    if signals is not None:
        parts.append(signals)
    if len(result.portfolio) > 1:
        parts.append(_portfolio(result))
    if result.advice:
        parts.append(_advice(result))
    if result.timeline:
        parts.append(_timeline(result))
    for note in result.notes:
        parts.append(Text(f"Note: {note}", style="dim"))  # plain Text: no markup
    parts.append(Text("Sources: " + "; ".join(result.sources), style="dim"))
    parts.append(Text(f"Model {result.model_version}", style="dim"))
    console.print(Group(*parts))
