"""The printable report's content, shared by the Markdown and the PDF renderers: the
headline lines, the portfolio and program tables (every program), each figure labelled with
its source or as our estimate."""

from __future__ import annotations

from smartpick.contract import PlanResult, ProgramOut

__all__ = [
    "PORTFOLIO_HEADER",
    "PROGRAMS_HEADER",
    "PROGRAMS_NOTE",
    "cap",
    "headline",
    "pct",
    "place",
    "portfolio_rows",
    "program_row",
    "share",
]

PORTFOLIO_HEADER = ("specialty", "track", "programs", "ERAS fees", "P(match)")
PROGRAMS_HEADER = ("#", "tier", "P(interview)", "program", "place", "IMG share", "reasons")
PROGRAMS_NOTE = (
    "P(interview) is our model's estimate; IMG shares are published (AMA FREIDA) unless "
    "marked estimated."
)


def pct(x: float | None) -> str:
    """A probability as a whole percentage ("unknown" when missing)."""
    return "unknown" if x is None else f"{100 * x:.0f}%"


def cap(text: str) -> str:
    """The text with a capital first letter."""
    return text[:1].upper() + text[1:]


def headline(r: PlanResult) -> list[str]:
    """The headline figures, one line each (the first is the chance of matching)."""
    match = f" for the {r.match_year} Match" if r.match_year else ""
    tc = r.tier_counts
    lines = [
        f"Chance of matching{match}: {pct(r.match_probability)} (range "
        f"{pct(r.match_probability_low)}–{pct(r.match_probability_high)}; "
        "our estimate from the calibrated model)",
        f"Apply to {r.recommended_count} programs; ERAS fees ${r.cost_usd:,.0f} "
        "(AAMC fee schedule, 2026 season)",
    ]
    if r.fees_once_usd:
        once = ", ".join(f"{k} ${v:,.0f}" for k, v in r.fees_once_usd.items())
        lines.append(f"Once per season: {once}")
    lines += [
        f"Expected interviews: {r.expected_interviews:.1f} (80% range "
        f"{r.interviews_low:.0f}-{r.interviews_high:.0f}; our estimate)",
        f"Tiers: {tc.reach} reach, {tc.target} target, {tc.safety} safety",
    ]
    return lines


def portfolio_rows(r: PlanResult) -> list[tuple[str, ...]]:
    """One row per part of the portfolio ("none" for a part with no program)."""
    rows: list[tuple[str, ...]] = []
    for part in r.portfolio:
        if not part.count:
            rows.append((part.specialty, part.track, "none", "—", "—"))
            continue
        rows.append(
            (
                part.specialty,
                part.track,
                str(part.count),
                f"${part.cost_usd:,.0f}",
                pct(part.match_probability),
            )
        )
    return rows


def share(p: ProgramOut) -> str:
    """The IMG share, "(estimated)" when it is our estimate."""
    text = "unknown" if p.img_share is None else pct(p.img_share)
    return text + " (estimated)" if p.img_share_source == "estimated" else text


def place(p: ProgramOut) -> str:
    """City, state."""
    return ", ".join(x for x in (p.city, p.state) if x)


def program_row(rank: int, p: ProgramOut) -> tuple[str, ...]:
    """A program's cells under :data:`PROGRAMS_HEADER` (the program cell is filled by the
    renderer: institution first, in bold, then the name)."""
    return (
        str(rank),
        p.tier or "",
        pct(p.interview_probability),
        "",
        place(p),
        share(p),
        "; ".join(p.reasons[:3]),
    )
