"""The application cycle's dates: published ones from ``data/cycle_dates.csv``, the rest
estimated from the pattern the published cycles follow.

Pattern of the published 2024-2026 cycles (each rule reproduces every date in the file; a test
checks it), for the Match of year ``Y``:

- ERAS season opens: first Wednesday of June, ``Y - 1`` (AAMC).
- Applicants may submit: the Wednesday after Labor Day (first Monday of September), ``Y - 1``.
- Programs may review applications: three weeks after the first submission day.
- NRMP registration opens: 15 September, ``Y - 1``; standard registration deadline: 31 January.
- Match Day: third Friday of March; Match Week starts the Monday before; the rank order list
  deadline is the Wednesday 16 days before Match Day (NRMP).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from smartpick.advice.cite import source
from smartpick.contract import TimelineItem
from smartpick.datafiles import CYCLE_DATES_FILE, cycle_date_rows

__all__ = [
    "EVENTS",
    "CycleDate",
    "build_timeline",
    "current_match_year",
    "cycle_dates",
    "list_match_year",
    "pattern_date",
]

FILE = CYCLE_DATES_FILE
PAST = "[past] "


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday (Monday = 0) of a month."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _match_day(y: int) -> dt.date:
    return _nth_weekday(y, 3, 4, 3)


def _eras_submit(y: int) -> dt.date:
    return _nth_weekday(y - 1, 9, 0, 1) + dt.timedelta(days=2)


#: event → (pattern rule, title, what to do). Titles and texts carry no numbers of their own.
EVENTS: dict[str, tuple[Callable[[int], dt.date], str, str]] = {
    "eras_opens": (
        lambda y: _nth_weekday(y - 1, 6, 2, 1),
        "ERAS season opens",
        "The ERAS season for the {y} Match opens: get your ECFMG token, start MyERAS, request "
        "your letters and the USMLE transcript, and draft the personal statement",
    ),
    "eras_submit": (
        _eras_submit,
        "First day to submit applications",
        "First day applicants may submit to programs for the {y} Match: submit on this day with "
        "every document (personal statement, letters, photo, transcripts) assigned",
    ),
    "nrmp_registration_opens": (
        lambda y: dt.date(y - 1, 9, 15),
        "NRMP registration opens",
        "Registration for the {y} Main Residency Match opens: register and enter your NRMP ID "
        "in MyERAS",
    ),
    "programs_review": (
        lambda y: _eras_submit(y) + dt.timedelta(days=21),
        "Programs receive applications; interview season begins",
        "Programs may begin reviewing applications for the {y} Match; invitations follow and "
        "interviews run through the fall and early winter, so answer invitations the same day",
    ),
    "nrmp_registration_deadline": (
        lambda y: dt.date(y, 1, 31),
        "NRMP standard registration deadline",
        "Standard registration deadline for the {y} Match; registering later costs a late fee",
    ),
    "rank_deadline": (
        lambda y: _match_day(y) - dt.timedelta(days=16),
        "Rank order list deadline",
        "Certify your rank order list for the {y} Match in the NRMP system; rank every program "
        "you would accept, in your true order of preference",
    ),
    "match_week": (
        lambda y: _match_day(y) - dt.timedelta(days=4),
        "Match Week and SOAP",
        "Match Week of the {y} Match begins: you learn whether you matched, and unmatched "
        "applicants can take part in SOAP from Monday to Thursday",
    ),
    "match_day": (
        _match_day,
        "Match Day",
        "Match Day of the {y} Match: results are released",
    ),
}
#: Events listed for the next cycle when this cycle's submission day has passed.
NEXT_CYCLE = ("eras_opens", "eras_submit", "programs_review")


@dataclass(frozen=True)
class CycleDate:
    """One dated event of a Match cycle, published or estimated."""

    match_year: int
    event: str
    date: dt.date
    citation: str
    estimated: bool


@cache
def _published() -> dict[tuple[int, str], tuple[dt.date, str]]:
    out: dict[tuple[int, str], tuple[dt.date, str]] = {}
    for row in cycle_date_rows():
        out[(row.match_year, row.event)] = (row.date, row.source)
    return out


def pattern_date(match_year: int, event: str) -> dt.date:
    """The date the documented pattern gives an event of a Match year."""
    return EVENTS[event][0](match_year)


def cycle_dates(match_year: int) -> dict[str, CycleDate]:
    """Every event of a Match cycle: published where known, else estimated from the pattern
    (a new dict each call, of the year's memoised dates)."""
    return dict(_cycle_dates(match_year))


@lru_cache(maxsize=64)
def _cycle_dates(match_year: int) -> dict[str, CycleDate]:
    """:func:`cycle_dates` of a Match year, memoised keyed by the year (the published dates
    are read once, and the pattern is fixed): read in place here, copied for other callers."""
    pub = _published()
    out: dict[str, CycleDate] = {}
    for event in EVENTS:
        if (match_year, event) in pub:
            day, src = pub[(match_year, event)]
            out[event] = CycleDate(match_year, event, day, source(src), False)
            continue
        known = [y for (y, e) in pub if e == event]
        basis = max(known, key=lambda y: (-abs(y - match_year), y)) if known else None
        label = (
            f"(estimated from the {basis} calendar; confirm on the NRMP/AAMC sites)"
            if basis is not None
            else "(estimated; confirm on the NRMP/AAMC sites)"
        )
        out[event] = CycleDate(match_year, event, pattern_date(match_year, event), label, True)
    return out


def current_match_year(today: dt.date) -> int:
    """The Match whose Match Day is the first on or after ``today``."""
    y = today.year
    return y if today <= _cycle_dates(y)["match_day"].date else y + 1


def list_match_year(today: dt.date) -> int:
    """The Main Match a list made on ``today`` is for.

    Applications for the Match of year Y go to programs from the day programs may review them
    (late September of Y - 1, ``programs_review``); a list made after that day is too late for
    this season (its applications are in) and is for the next Match, Y + 1, whose ERAS season
    opens the following June. A list made before it is for this season's Match.
    """
    year = current_match_year(today)
    return year + 1 if today > _cycle_dates(year)["programs_review"].date else year


def _item(c: CycleDate, today: dt.date, prefix: str = "") -> TimelineItem:
    _, title, text = EVENTS[c.event]
    mark = PAST if c.date < today else ""
    return TimelineItem(
        date=c.date.isoformat(),
        title=f"{mark}{prefix}{title}",
        detail=f"{text.format(y=c.match_year)} {c.citation}.",
    )


def build_timeline(today: dt.date) -> list[TimelineItem]:
    """Dated checklist of the current cycle up to Match Day, in date order.

    Events already past stay in the list, their titles prefixed with ``[past]``. When this
    cycle's first submission day has passed, the next cycle's opening dates are added.
    A new list each call, of the day's memoised (frozen) items.
    """
    return list(_timeline(today))


@lru_cache(maxsize=64)
def _timeline(today: dt.date) -> tuple[TimelineItem, ...]:
    """:func:`build_timeline`'s items, memoised keyed by the day (the dates depend on it and
    on the fixed :func:`cycle_dates` only)."""
    year = current_match_year(today)
    dates = sorted(_cycle_dates(year).values(), key=lambda c: c.date)
    items = [_item(c, today) for c in dates]
    if _cycle_dates(year)["eras_submit"].date < today:
        nxt = _cycle_dates(year + 1)
        items += [_item(nxt[e], today, "Next cycle: ") for e in NEXT_CYCLE]
    return tuple(items)
