"""The plan as Markdown: a printable report with the strategy plan and timeline."""

from __future__ import annotations

from smartpick.contract import PlanResult, ProgramOut

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

__all__ = ["plan_markdown"]


def _step(step: str) -> str:
    """A strategy step; a ready-to-use text (several lines) becomes a quoted block."""
    if "\n" not in step:
        return f"- {step}"
    head, _, body = step.partition(": ")
    quoted = "\n".join(f"  > {line}  " if line else "  >" for line in body.splitlines())
    return f"- {head}:\n\n{quoted}\n"


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _program(p: ProgramOut) -> str:
    """Institution first, then the program's name (unverified institutions say so)."""
    inst = p.institution if p.institution_verified else f"{p.institution} (unverified)"
    return f"**{_esc(inst)}** — {_esc(p.name)}"


def _table(header: tuple[str, ...], align: str, rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", align]
    return lines + ["| " + " | ".join(_esc(c) for c in row) + " |" for row in rows]


def plan_markdown(r: PlanResult) -> str:
    """Markdown report of a plan: every listed and every screened-out program."""
    lines = ["# SmartPick plan", ""]
    first, *rest = headline(r)
    lines += [f"- **{first}**"] + [f"- {line}" for line in rest] + [""]
    if len(r.portfolio) > 1:
        lines += ["## Portfolio", ""]
        lines += _table(PORTFOLIO_HEADER, "|---|---|---:|---:|---:|", portfolio_rows(r))
        lines.append("")
    lines += [f"## Programs ({len(r.programs)})", "", PROGRAMS_NOTE, ""]
    rows = []
    for i, p in enumerate(r.programs, start=1):
        cells = [_esc(c) for c in program_row(i, p)]
        cells[3] = _program(p)
        rows.append("| " + " | ".join(cells) + " |")
    lines += _table(PROGRAMS_HEADER, "|---:|---|---:|---|---|---|---|", []) + rows + [""]
    if r.screened_out:
        lines += [f"## Screened out ({len(r.screened_out)})", ""]
        for s in r.screened_out:
            lines.append(f"- {_esc(s.name)} ({s.program_code}): {s.reason} [{s.strictness}]")
        lines.append("")
    if r.standing is not None:
        lines += [
            "## Where you stand",
            "",
            f"**{cap(r.standing.band_label)}.** {r.standing.summary}",
            "",
        ]
        lines += [f"- {p}" for p in r.standing.points] + [""]
    if r.advice:
        lines += ["## Strategy plan", ""]
        for a in sorted(r.advice, key=lambda a: a.priority):
            lines.append(f"### {a.priority}. {a.title}")
            lines += ["", a.why, ""]
            if a.effect is not None:
                lines.append(
                    f"*Measured with the model:* P(match) {pct(a.effect.match_probability_before)}"
                    f" → {pct(a.effect.match_probability_after)}"
                    f" (ERAS fees ${a.effect.cost_usd:,.0f})"
                )
                lines.append("")
            lines += [_step(step) for step in a.steps]
            lines.append("")
    if r.timeline:
        lines += ["## Timeline", "", "| date | step | detail |", "|---|---|---|"]
        lines += [f"| {t.date} | {_esc(t.title)} | {_esc(t.detail)} |" for t in r.timeline]
        lines.append("")
    if r.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in r.notes] + [""]
    lines += ["## Sources", ""] + [f"- {s}" for s in r.sources]
    lines += ["", f"Model version {r.model_version}.", ""]
    return "\n".join(lines)
