"""What every advice rule sees (:class:`Context`) and what it returns (:class:`Draft`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from smartpick.advice.cite import MODEL, months, pct, usd
from smartpick.advice.facts import SpecialtyFacts
from smartpick.advice.standing import Standing
from smartpick.advice.timeline import CycleDate, current_match_year, cycle_dates
from smartpick.advice.whatif import Measured, Outcome, Runner
from smartpick.profile import Profile

__all__ = ["Context", "Draft", "effect_sentence"]

IMG_TYPES = frozenset({"us_img", "non_us_img"})


@dataclass(frozen=True)
class Draft:
    """An advice item before it is ranked."""

    id: str
    title: str
    why: str
    steps: tuple[str, ...]
    measured: Measured | None = None


@dataclass(frozen=True)
class Context:
    """The profile, where it stands, the base outcome and the what-if runner."""

    profile: Profile
    standing: Standing
    facts: SpecialtyFacts
    base: Outcome
    runner: Runner
    today: dt.date
    #: IMG-friendly programs of the user's own list, "Institution (City, ST): IMG share 98%
    #: (source: AMA FREIDA, 2025)", best first: where to rotate, whom to write to (may be empty).
    sites: tuple[str, ...] = ()

    @property
    def spec(self) -> str:
        """The chosen specialty's name."""
        return self.profile.specialty

    @property
    def is_img(self) -> bool:
        """US-citizen or non-US IMG."""
        return self.profile.applicant_type in IMG_TYPES

    @property
    def us_citizen_img(self) -> bool:
        """A US-citizen IMG who needs no visa: the guide's reader."""
        return self.profile.applicant_type == "us_img" and self.profile.visa == "none"

    @property
    def score_phrase(self) -> str:
        """``your Step 2 CK of 212`` or ``Step 2 CK not yet taken``."""
        s = self.profile.step2_score
        return "Step 2 CK not yet taken" if s is None else f"your Step 2 CK of {s}"

    @property
    def usce_phrase(self) -> str:
        """``3 months of US clinical experience (elective)`` or ``no US clinical experience``."""
        m = self.profile.usce_months
        if m == 0:
            return "no US clinical experience yet"
        unit = "month" if m == 1 else "months"
        kind = f" ({self.profile.usce_kind})" if self.profile.usce_kind else ""
        return f"{months(m)} {unit} of US clinical experience{kind}"

    def submission(self) -> CycleDate:
        """The next first-submission day on or after today (this cycle's or the next one's)."""
        year = current_match_year(self.today)
        c = cycle_dates(year)["eras_submit"]
        return c if c.date >= self.today else cycle_dates(year + 1)["eras_submit"]

    def cycle_event(self, event: str, match_year: int) -> CycleDate:
        """One event of a Match cycle."""
        return cycle_dates(match_year)[event]


def effect_sentence(m: Measured, change: str) -> str:
    """``change: P(match) 41% → 48%, ERAS fees $660 → $1,260 (SmartPick model estimate).``"""
    b, a = m.before, m.after
    fees = (
        f"ERAS fees {usd(a.cost_usd)}"
        if round(a.cost_usd) == round(b.cost_usd)
        else f"ERAS fees {usd(b.cost_usd)} → {usd(a.cost_usd)}"
    )
    return (
        f"{change}: P(match) {pct(b.match_probability)} → {pct(a.match_probability)}, {fees} "
        f"{MODEL}."
    )
