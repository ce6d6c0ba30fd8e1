"""The plan as Markdown: a printable report with the strategy plan and timeline."""

from __future__ import annotations

from smartpick.contract import PlanResult, ProgramOut

__all__ = ["plan_markdown"]


def _pct(x: float | None) -> str:
    return "unknown" if x is None else f"{100 * x:.0f}%"


def _step(step: str) -> str:
    """A strategy step; a ready-to-use text (several lines) becomes a quoted block."""
    if "\n" not in step:
        return f"- {step}"
    head, _, body = step.partition(": ")
    quoted = "\n".join(f"  > {line}  " if line else "  >" for line in body.splitlines())
    return f"- {head}:\n\n{quoted}\n"


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _program(p: ProgramOut) -> str:
    """Institution first, then the program's name (unverified institutions say so)."""
    inst = p.institution if p.institution_verified else f"{p.institution} (unverified)"
    return f"**{_esc(inst)}** — {_esc(p.name)}"


def plan_markdown(r: PlanResult, *, top: int = 40) -> str:
    """Markdown report of a plan."""
    tc = r.tier_counts
    lines = [
        "# SmartPick plan",
        "",
        f"- **Chance of matching: {_pct(r.match_probability)}** (range "
        f"{_pct(r.match_probability_low)}–{_pct(r.match_probability_high)}; "
        "our estimate from the calibrated model)",
        f"- **Apply to {r.recommended_count} programs**; ERAS fees ${r.cost_usd:,.0f} "
        "(AAMC fee schedule, 2026 season)",
    ]
    if r.fees_once_usd:
        once = ", ".join(f"{k} ${v:,.0f}" for k, v in r.fees_once_usd.items())
        lines.append(f"- Once per season: {once}")
    lines += [
        f"- Expected interviews: {r.expected_interviews:.1f} (80% range "
        f"{r.interviews_low:.0f}-{r.interviews_high:.0f}; our estimate)",
        f"- Tiers: {tc.reach} reach, {tc.target} target, {tc.safety} safety",
        "",
    ]
    if len(r.portfolio) > 1:
        lines += ["## Portfolio", "", "| specialty | track | programs | ERAS fees | P(match) |"]
        lines.append("|---|---|---:|---:|---:|")
        for part in r.portfolio:
            if not part.count:
                lines.append(f"| {_esc(part.specialty)} | {part.track} | none | — | — |")
                continue
            lines.append(
                f"| {_esc(part.specialty)} | {part.track} | {part.count} | ${part.cost_usd:,.0f} | "
                f"{_pct(part.match_probability)} |"
            )
        lines.append("")
    lines += [
        f"## Programs (top {min(top, len(r.programs))} of {len(r.programs)})",
        "",
    ]
    if len(r.programs) > top:
        lines += ["Every program is in the CSV export (`smartpick plan PROFILE --csv`).", ""]
    lines += [
        "P(interview) is our model's estimate; IMG shares are published (AMA FREIDA) unless "
        "marked estimated.",
        "",
        "| # | tier | P(interview) | program | place | IMG share | reasons |",
        "|---:|---|---:|---|---|---|---|",
    ]
    for i, p in enumerate(r.programs[:top], start=1):
        share = "unknown" if p.img_share is None else _pct(p.img_share)
        if p.img_share_source == "estimated":
            share += " (estimated)"
        place = ", ".join(x for x in (p.city, p.state) if x)
        lines.append(
            f"| {i} | {p.tier or ''} | {_pct(p.interview_probability)} | {_program(p)} | "
            f"{_esc(place)} | {share} | {_esc('; '.join(p.reasons[:3]))} |"
        )
    lines.append("")
    if r.screened_out:
        lines += [f"## Screened out ({len(r.screened_out)})", ""]
        for s in r.screened_out[:top]:
            lines.append(f"- {_esc(s.name)} ({s.program_code}): {s.reason} [{s.strictness}]")
        lines.append("")
    if r.standing is not None:
        lines += [
            "## Where you stand",
            "",
            f"**{_cap(r.standing.band_label)}.** {r.standing.summary}",
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
                    f"*Measured with the model:* P(match) {_pct(a.effect.match_probability_before)}"
                    f" → {_pct(a.effect.match_probability_after)}"
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
