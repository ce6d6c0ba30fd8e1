"""The cycle timeline: published dates, the documented pattern, order relative to today."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.advice.timeline import (
    EVENTS,
    PAST,
    build_timeline,
    current_match_year,
    cycle_dates,
    list_match_year,
    pattern_date,
)
from smartpick.resources import read_csv


def test_pattern_reproduces_every_published_date() -> None:
    rows = read_csv("cycle_dates.csv")
    assert len(rows) >= 18
    for r in rows:
        y, event = int(r["match_year"] or 0), r["event"] or ""
        assert event in EVENTS, event
        assert pattern_date(y, event) == dt.date.fromisoformat(r["date"] or ""), (y, event)
        assert (r["source"] or "").startswith(("AAMC", "NRMP"))


def test_published_dates_cite_their_source_and_others_are_labelled_estimated() -> None:
    d2026 = cycle_dates(2026)
    assert d2026["eras_submit"].date == dt.date(2025, 9, 3)
    assert not d2026["eras_submit"].estimated
    assert d2026["eras_submit"].citation == "(source: AAMC, ERAS 2026 residency timeline)"
    assert d2026["match_day"].date == dt.date(2026, 3, 20)
    # not published in the file: estimated from the nearest published calendar
    assert d2026["rank_deadline"].estimated
    assert d2026["rank_deadline"].citation.startswith("(estimated from the 2025 calendar;")
    d2030 = cycle_dates(2030)
    assert all(c.estimated for c in d2030.values())
    assert "confirm on the NRMP/AAMC sites" in d2030["match_day"].citation
    assert d2030["match_day"].date.weekday() == 4  # a Friday


def test_current_cycle_switches_after_match_day() -> None:
    assert current_match_year(dt.date(2026, 3, 20)) == 2026
    assert current_match_year(dt.date(2026, 3, 21)) == 2027
    assert current_match_year(dt.date(2026, 11, 25)) == 2027


def test_timeline_in_summer_before_submission() -> None:
    today = dt.date(2025, 7, 1)
    items = build_timeline(today)
    titles = [t.title for t in items]
    assert titles[0] == f"{PAST}ERAS season opens"
    assert items[-1].title == "Match Day" and items[-1].date == "2026-03-20"
    assert not any(t.startswith("Next cycle") for t in titles)  # submission still ahead
    assert "(source: AAMC, ERAS 2026 residency timeline)" in items[1].detail


def test_timeline_after_submission_adds_the_next_cycle() -> None:
    items = build_timeline(dt.date(2026, 11, 25))
    assert any(t.title.startswith("Next cycle: First day to submit") for t in items)
    assert next(t for t in items if t.title == "Match Day").date == "2027-03-19"


@given(st.dates(dt.date(2023, 1, 1), dt.date(2040, 12, 31)))
def test_items_are_in_order_and_marked_relative_to_today(today: dt.date) -> None:
    items = build_timeline(today)
    dates = [dt.date.fromisoformat(t.date) for t in items]
    assert dates == sorted(dates)
    for d, t in zip(dates, items, strict=True):
        assert t.title.startswith(PAST) == (d < today)
        assert "(source: " in t.detail or "(estimated from the " in t.detail
    match_day = next(d for d, t in zip(dates, items, strict=True) if t.title == "Match Day")
    assert match_day >= today
    assert len({t.title for t in items}) == len(items)


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (dt.date(2025, 9, 15), 2026),  # before programs receive this season's applications
        (dt.date(2026, 1, 10), 2027),  # interview season of the 2026 Match: too late for it
        (dt.date(2026, 4, 1), 2027),  # after Match Day 2026: the next season
        (dt.date(2026, 12, 1), 2028),  # issue 11: this season's applications are in
    ],
)
def test_list_match_year(today: dt.date, year: int) -> None:
    assert list_match_year(today) == year


def test_list_match_year_turns_the_day_after_programs_review() -> None:
    review = cycle_dates(2027)["programs_review"].date
    assert list_match_year(review) == 2027
    assert list_match_year(review + dt.timedelta(days=1)) == 2028


def test_memoised_dates_and_timeline_are_new_each_call() -> None:
    today = dt.date(2026, 11, 25)
    first = cycle_dates(2027)
    first.pop("match_day")
    assert "match_day" in cycle_dates(2027)  # a copy: the memo is untouched
    items = build_timeline(today)
    items.clear()
    again = build_timeline(today)
    assert again and again == build_timeline(today) and again is not build_timeline(today)
