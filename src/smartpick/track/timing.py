"""When interview invitations arrive: how much of a program's invitations are out on a date.

The only public figure found (``facts.csv``): the NRMP Program Director Survey 2018, as
reported by a secondary source, gives the share of a season's invitations programs sent in
September (18%), October (47%) and November (22%), all specialties pooled, in a season where
programs could open applications on 15 September. No public source gives the distribution by
specialty, so every specialty uses it. The curve is counted in days from the day programs may
review applications (the cycle's ``programs_review`` date, :mod:`smartpick.advice.timeline`),
or from the day the applicant applied to the program when that is later; it rises linearly
between the survey's month ends. **Our assumption**: the remaining 13% ("December or later")
arrive evenly until 31 January (day 138 of the survey's season). Before programs may review
applications, silence carries no information.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np

from smartpick.advice.timeline import cycle_dates
from smartpick.datafiles import fact

__all__ = ["TimingRule", "timing_rule"]

#: The survey season: programs could open applications on 15 September 2017 (2018 Match).
_SURVEY_START = dt.date(2017, 9, 15)
_MONTH_ENDS = (dt.date(2017, 9, 30), dt.date(2017, 10, 31), dt.date(2017, 11, 30))
_KEYS = ("invitations_share_september", "invitations_share_october", "invitations_share_november")
#: Our assumption: the invitations after November arrive evenly until 31 January.
_LAST = dt.date(2018, 1, 31)


@cache
def _curve() -> tuple[tuple[float, ...], tuple[float, ...], str]:
    """Days after the review start and the cumulative share of invitations sent by then."""
    days = [0.0] + [float((d - _SURVEY_START).days) for d in _MONTH_ENDS]
    shares = [0.0]
    for key in _KEYS:
        shares.append(shares[-1] + fact(key).value / 100.0)
    days.append(float((_LAST - _SURVEY_START).days))
    shares.append(1.0)
    return tuple(days), tuple(shares), fact(_KEYS[0]).citation


@dataclass(frozen=True)
class TimingRule:
    """The share of a program's invitations already sent, for one Match cycle."""

    match_year: int
    review_start: dt.date  # programs may review applications from this day
    review_estimated: bool  # the date is estimated from the pattern of published cycles
    source: str

    def share_out(self, on: dt.date, applied: dt.date | None = None) -> float:
        """Share of a program's invitations sent by ``on`` (0 before the clock starts)."""
        start = max(self.review_start, applied) if applied else self.review_start
        days, shares, _ = _curve()
        return float(np.interp(float((on - start).days), days, shares, left=0.0, right=1.0))

    def text(self) -> str:
        """The rule in words, with its source and what is our assumption."""
        shares = _curve()[1]
        pct = [f"{100 * s:.0f}%" for s in shares[1:4]]
        est = " (estimated)" if self.review_estimated else ""
        return (
            f"Invitations: {pct[0]} of a season's invitations are out 15 days after programs may "
            f"review applications, {pct[1]} after 46 days and {pct[2]} after 76 days "
            f"({self.source}; all specialties pooled: no public source gives it by specialty). "
            f"Counted from {self.review_start.isoformat()}{est}, when programs may review "
            f"applications for the {self.match_year} Match, or from the day you applied if later. "
            "Our assumption: "
            "the rest arrive evenly until day 138 (31 January in the survey's season). Before "
            "programs may review applications, silence carries no information."
        )


def timing_rule(match_year: int) -> TimingRule:
    """The timing rule of a Match cycle."""
    review = cycle_dates(match_year)["programs_review"]
    return TimingRule(match_year, review.date, review.estimated, _curve()[2])
