"""Specialty realism and backups: IMG-friendly specialties, a backup specialty, a preliminary
year. Every option's odds come from the model; no backup advice for those who do not need it."""

from __future__ import annotations

from dataclasses import dataclass

from smartpick.advice.cite import GUIDE, MODEL, pct, source
from smartpick.advice.context import Context, Draft, effect_sentence
from smartpick.advice.facts import IMG_FRIENDLY_MOST, specialty_facts
from smartpick.advice.whatif import Measured, changed

__all__ = [
    "MAX_ALTERNATIVES",
    "WITHIN_FIELD",
    "Backups",
    "alternatives",
    "backup_specialty",
    "img_friendly_specialties",
    "needs_backup",
    "preliminary_year",
]

#: At most this many IMG-friendly alternatives are measured (each is a planner run).
MAX_ALTERNATIVES = 3

#: The guide's "backup within the specialty" examples: target → backup, and how to frame it.
WITHIN_FIELD: dict[str, tuple[str, str]] = {
    "Neurology": (
        "Internal Medicine",
        "Internal Medicine at IMG-friendly programs whose graduates go on to neurology-related "
        "fellowships",
    ),
    "Psychiatry": ("Family Medicine", "Family Medicine with a mental-health focus"),
}


def needs_backup(ctx: Context) -> bool:
    """Backup advice is for those whose odds fall short of their target or whose score or record
    is weak for a less IMG-friendly specialty (the guide: below 220 → focus on FM, IM, Peds,
    Psych)."""
    short = ctx.base.match_probability < ctx.profile.target_match_probability
    competitive = ctx.facts.friendliness != "most"
    weak = ctx.standing.weak
    return (short and (weak or competitive)) or (weak and competitive)


@dataclass(frozen=True)
class Backups:
    """The measured alternatives (specialty → outcome as primary) and the chosen backup."""

    options: tuple[tuple[str, Measured], ...]
    backup: str | None


def alternatives(ctx: Context) -> Backups:
    """Measure the IMG-friendly specialties as primary (most US-IMG-friendly by 2025 data first)
    and choose the backup: the option with the best odds for this profile."""
    if not needs_backup(ctx):
        return Backups((), None)
    if ctx.facts.friendliness == "most" and ctx.profile.backup_specialty is not None:
        return Backups((), None)  # nothing to weigh: friendly target, backup already chosen
    cands = [s for s in IMG_FRIENDLY_MOST if s != ctx.spec]
    within = WITHIN_FIELD.get(ctx.spec, (None, ""))[0]

    def rate(name: str) -> float:
        r = specialty_facts(name).us_img_match_rate_2025
        return -1.0 if r is None else r.value

    cands.sort(key=lambda s: (s != within, -rate(s)))
    options: list[tuple[str, Measured]] = []
    for name in cands[:MAX_ALTERNATIVES]:
        m = ctx.runner.measure(
            f"alt_{name}", changed(ctx.profile, ctx.today, specialty=name, backup_specialty=None)
        )
        if m is not None:
            options.append((name, m))
    best = max(options, key=lambda o: o[1].after.match_probability)[0] if options else None
    backup = best or within or (cands[0] if cands else None)
    return Backups(tuple(options), backup)


def img_friendly_specialties(ctx: Context, b: Backups) -> Draft | None:
    """For a less IMG-friendly target with weak odds: the realistic specialties, with odds."""
    if not b.options or ctx.facts.friendliness == "most":
        return None
    steps = []
    for name, m in b.options:
        f = specialty_facts(name)
        line = (
            f"{name}: P(match) {pct(m.after.match_probability)} with your profile and a list "
            f"of {m.after.recommended_count} programs {MODEL}."
        )
        if f.us_img_match_rate_2025 is not None:
            line += (
                f" In 2025, {pct(f.us_img_match_rate_2025.value)} of US-citizen IMGs who ranked "
                f"it matched to it {f.us_img_match_rate_2025.citation}."
            )
        steps.append(line)
    best = max(b.options, key=lambda o: o[1].after.match_probability)
    why = (
        f"With {ctx.score_phrase}, {ctx.spec} is a hard target: the guide points applicants below "
        "220 without extraordinary compensating factors to Family Medicine, Internal Medicine, "
        f"Pediatrics or Psychiatry in community programs with many IMGs {source(GUIDE)}. "
        + effect_sentence(best[1], f"Applying to {best[0]} instead of {ctx.spec}")
    )
    return Draft(
        "img_friendly_specialties",
        "Weigh the IMG-friendly specialties",
        why,
        tuple(steps),
        best[1],
    )


def backup_specialty(ctx: Context, b: Backups) -> Draft | None:
    """Add a concrete backup specialty next to the target (measured)."""
    if b.backup is None or ctx.profile.backup_specialty is not None:
        return None
    m = ctx.runner.measure("backup", changed(ctx.profile, ctx.today, backup_specialty=b.backup))
    framing = f"the IMG-friendly option with the best odds for your profile {MODEL}"
    within = WITHIN_FIELD.get(ctx.spec)
    if within and within[0] == b.backup:
        framing = f"the guide's backup within the field for {ctx.spec}: {within[1]} {source(GUIDE)}"
    why = [f"Apply to {ctx.spec} and, at the same time, to {b.backup}: {framing}."]
    if m is not None:
        why.append(effect_sentence(m, f"Adding {b.backup} as a backup"))
    extra: list[str] = []
    if within and within[0] != b.backup:
        odds = dict(b.options).get(within[0])
        line = f"The guide's backup within the field for {ctx.spec} is {within[1]} {source(GUIDE)}"
        if odds is not None:
            line += (
                f"; as your only specialty it gives P(match) "
                f"{pct(odds.after.match_probability)} {MODEL}"
            )
        extra.append(line + ".")
    steps = (
        f"Apply broadly to IMG-friendly {ctx.spec} programs and to IMG-friendly {b.backup} "
        "programs in the same season.",
        f"Write a separate personal statement for {b.backup} and get at least one letter from "
        "that specialty.",
        f"Rank {ctx.spec} programs first and {b.backup} programs after them on the same rank "
        "order list.",
        *extra,
    )
    return Draft("backup_specialty", f"Add {b.backup} as a backup", " ".join(why), steps, m)


def preliminary_year(ctx: Context) -> Draft | None:
    """The preliminary IM / transitional-year route, honestly (measured)."""
    if not needs_backup(ctx) or ctx.profile.include_preliminary:
        return None
    m = ctx.runner.measure("preliminary", changed(ctx.profile, ctx.today, include_preliminary=True))
    why = [
        "A preliminary Internal Medicine or transitional year gives US residency experience and "
        "fresh evaluations and lets you re-apply from inside the system; the guide calls this "
        f"path demanding and not guaranteed {source(GUIDE)}."
    ]
    if m is not None:
        why.append(effect_sentence(m, "Adding preliminary positions to your list"))
        if m.gain < 0.005:
            why.append(
                "A preliminary position is not a categorical match, so the measured odds of a "
                "categorical match barely move; its value is the second chance it buys."
            )
    steps = (
        "A preliminary position is one year only: plan to re-apply for a categorical position "
        "during that year, with letters from your preliminary-year faculty.",
        "Rank preliminary programs after every categorical program you would accept.",
        "Check that each transitional-year program takes IMGs before applying.",
    )
    return Draft(
        "preliminary_year",
        "Consider a preliminary year (demanding, not guaranteed)",
        " ".join(why),
        steps,
        m,
    )
