"""The plan's words around the numbers: where the applicant stands, each listed program's visa
status, and the notes of the headline (the Match the list is for, how the applications split,
visa sponsorship unknown, the models' sources, the signals, the list's rules)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from smartpick.advice import specialty_facts, standing
from smartpick.advice.timeline import cycle_dates
from smartpick.assemble_signals import signal_notes
from smartpick.contract import ProgramOut, StandingOut
from smartpick.frame import IntArray, ProgramFrame
from smartpick.model.outcome import curve_source
from smartpick.model.reasons import applicant_factors
from smartpick.pipeline import PlanCore, Run
from smartpick.plan.preferences import DEFAULT_MARGIN
from smartpick.plan.tiers import REFERENCE_PROGRAMS, TIER_ODDS_RATIO
from smartpick.profile import Profile

__all__ = [
    "plan_notes",
    "program_visa_status",
    "standing_out",
    "visa_status",
    "visa_statuses",
]


_VISA_FLAG = {"j1": "visa_j1", "h1b": "visa_h1b"}
_VISA_NAME = {"j1": "J-1", "h1b": "H-1B"}


def program_visa_status(frame: ProgramFrame, fi: int, visa: str) -> str | None:
    """Program ``fi``'s sponsorship of the visa the applicant needs (None: no visa needed)."""
    if visa not in _VISA_FLAG:
        return None
    return visa_status(getattr(frame, _VISA_FLAG[visa])[fi], visa)


def visa_statuses(frame: ProgramFrame, rows: IntArray, visa: str) -> list[str | None]:
    """:func:`program_visa_status` of each of the programs ``rows``."""
    if visa not in _VISA_FLAG:
        return [None] * len(rows)
    flags = getattr(frame, _VISA_FLAG[visa])[rows].tolist()
    return [visa_status(v, visa) for v in flags]


def visa_status(flag: Any, visa: str) -> str | None:
    """Sponsorship of the visa the applicant needs (None when no visa is needed)."""
    if visa == "none":
        return None
    known = None if int(flag) < 0 else bool(flag)  # the frame codes unknown as -1
    return "unknown" if known is None else ("sponsors" if known else "does_not")


def standing_out(profile: Profile) -> StandingOut:
    where = standing(profile, specialty_facts(profile.specialty_info.code))
    return StandingOut(
        band=str(where.band),
        band_label=where.band_label,
        summary=where.summary,
        points=list(where.points),
    )


def _split_note(r: Run) -> str | None:
    """Which specialty most applications go to, when the list spans several parts."""
    parts = [p for p in r.portfolio.parts if p.count]
    if len(r.portfolio.parts) < 2 or not parts:
        return None
    total = sum(p.count for p in parts)
    top = max(parts, key=lambda p: p.count)
    role = {"primary": "your specialty", "backup": "your backup specialty"}.get(
        top.role, "preliminary / transitional-year positions"
    )
    split = ", ".join(f"{p.count} {p.specialty}" for p in r.portfolio.parts)
    text = (
        f"Most of your {total} applications ({top.count}) go to {top.specialty}, {role}: {split}."
    )
    if top.role != "primary":
        text += (
            f" The parts are sized together for one target and one budget, and "
            f"{top.specialty} gives more chance of a position per application."
        )
    return text


def _visa_note(programs: Sequence[ProgramOut], visa: str) -> str | None:
    unknown = sum(p.visa_status == "unknown" for p in programs)
    if not unknown:
        return None
    name = _VISA_NAME.get(visa, visa)
    return (
        f"{unknown} of the {len(programs)} listed programs have unknown {name} sponsorship "
        "(not published in SmartPick's data): ask each program before applying "
        "(their visa column says unknown)."
    )


def _tier_note(r: Run) -> str | None:
    """What reach / target / safety mean for this applicant (the primary part's bands)."""
    res = r.results[0]
    if not len(res.candidates):
        return None
    bands = res.bands
    if bands.reference is None:
        return None
    return (
        f"Tiers are relative to your own chances: your typical interview chance in "
        f"{res.part.specialty} is {100 * bands.reference:.1f}% (the median of your "
        f"{REFERENCE_PROGRAMS} best listable programs); safety means at least "
        f"{TIER_ODDS_RATIO:g} times those odds ({100 * bands.safety_min:.1f}% or more), reach "
        f"at most 1/{TIER_ODDS_RATIO:g} of them (below {100 * bands.target_min:.1f}%); the "
        f"{TIER_ODDS_RATIO:g} is our rule, not a published figure. A safety is where you stand "
        "best, not a sure interview (docs/planner.md)."
    )


def plan_notes(core: PlanCore, r: Run, programs: Sequence[ProgramOut] = ()) -> list[str]:
    notes: list[str] = []
    year = core.match_year
    notes.append(
        f"This list is for the {year} Main Residency Match (Match Day "
        f"{cycle_dates(year)['match_day'].date:%d %B %Y})."
    )
    for extra in (_split_note(r), _tier_note(r), _visa_note(programs, r.profile.visa)):
        if extra:
            notes.append(extra)
    notes += list(r.portfolio.notes)
    multi = len(r.results) > 1
    for res in r.results:
        plan = r.plans[res.part.role]
        prefix = f"{res.part.specialty}: " if multi else ""
        notes += [prefix + n for n in plan.notes]
        notes.append(
            prefix + "P(match | interviews): " + curve_source(res.part.outcome_code, core.params)
        )
    notes += signal_notes(r)
    factors = applicant_factors(r.results[0].estimate, r.results[0].part.specialty)
    if factors:
        notes.append(
            "At every program alike, your odds are lowered by: " + "; ".join(factors) + "."
        )
    p = r.profile
    if p.regions or p.settings:
        prefs = ", ".join([*p.regions, *p.settings])
        notes.append(
            f"Which programs are listed: those that meet your preferences ({prefs}) are chosen "
            f"first; another program is chosen before them only when its interview chance is "
            f"more than {DEFAULT_MARGIN:g} times as high for each preference it misses "
            "(docs/planner.md). The list shows each part by interview chance, highest first."
        )
    advanced = sum(
        int(np.count_nonzero(res.frame.track[res.candidates[r.plans[res.part.role].chosen]] == "A"))
        for res in r.results
        if res.part.role != "preliminary"
    )
    if advanced:
        notes.append(
            f"{advanced} of the listed programs are advanced (PGY-2) positions: they start after a "
            "separate PGY-1 year, so also apply to preliminary / transitional-year positions "
            + ("(included below)." if r.profile.include_preliminary else "(include_preliminary).")
        )
    pf = r.portfolio
    if any(p.role == "preliminary" for p in pf.parts):
        notes.append(
            f"Chance of any PGY-1 position including preliminary / transitional years: "
            f"{100 * pf.match_probability_any:.0f}% (range {100 * pf.any_low:.0f}–"
            f"{100 * pf.any_high:.0f}%, our estimate); the headline counts categorical positions."
        )
    return notes
