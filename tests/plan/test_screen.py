"""Hard screens: strict / preference / unknown, never silently dropped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.plan.screen import PRELIMINARY_TRACKS, screen
from smartpick.profile import parse_profile
from tests.plan.factory import make_frame
from tests.plan.reference_screen import reference_screen

TODAY = dt.date(2025, 9, 1)  # Match 2026: years since graduation counted to July 2026


def profile(**fields: Any) -> Any:
    return parse_profile({"specialty": "Internal Medicine", **fields}, today=TODAY)


def test_nothing_known_keeps_everything_silently() -> None:
    res = screen(profile(), make_frame(4), today=TODAY)
    assert res.keep.all()
    assert list(res.reason) == [None] * 4
    assert list(res.strictness) == [None] * 4


def test_visa_rules() -> None:
    frame = make_frame(3, visa_j1=[1, 0, -1], visa_h1b=[0, 1, -1])
    j1 = screen(profile(visa="j1"), frame, today=TODAY)
    assert list(j1.keep) == [True, False, True]
    assert list(j1.strictness) == [None, "strict", "unknown"]
    assert "J-1" in j1.reason[1] and "unknown" in j1.reason[2]
    h1b = screen(profile(visa="h1b"), frame, today=TODAY)
    assert list(h1b.keep) == [False, True, True]
    citizen = screen(profile(visa="none"), frame, today=TODAY)
    assert citizen.keep.all() and list(citizen.strictness) == [None] * 3


def test_graduation_limit() -> None:
    frame = make_frame(3, yog_limit_years=[3, 10, np.nan])
    res = screen(profile(graduation_year=2020), frame, today=TODAY)  # 6 years by July 2026
    assert list(res.keep) == [False, True, True]
    assert (
        res.strictness[0] == "strict" and "6 years" in res.reason[0] and "3 years" in res.reason[0]
    )
    unknown = screen(profile(), frame, today=TODAY)
    assert unknown.keep.all()
    assert list(unknown.strictness) == ["unknown", "unknown", None]


def test_step2_minimum() -> None:
    frame = make_frame(3, step2_min=[220, 215, np.nan])
    res = screen(profile(step2_score=217), frame, today=TODAY)
    assert list(res.keep) == [False, True, True]
    assert "217" in res.reason[0] and "220" in res.reason[0]
    no_score = screen(profile(), frame, today=TODAY)
    assert no_score.keep.all() and list(no_score.strictness) == ["unknown", "unknown", None]


def test_accepting_track_and_states() -> None:
    frame = make_frame(
        5,
        accepting=[0, 1, -1, 1, 1],
        track=["C", "C", "P", "M", "C"],
        state=["OH", "OH", "OH", "OH", "NY"],
    )
    res = screen(profile(exclude_states=["NY"]), frame, today=TODAY)
    assert list(res.keep) == [False, True, False, True, False]
    assert list(res.strictness) == ["strict", None, "strict", None, "preference"]
    assert "not accepting" in res.reason[0]
    assert "Preliminary" in res.reason[2]
    assert list(res.excluded) == [0, 2, 4]
    prelim = screen(profile(), frame, today=TODAY, tracks=PRELIMINARY_TRACKS)
    assert list(prelim.keep) == [False, False, True, False, False]


def test_several_reasons_are_all_listed_strict_first() -> None:
    frame = make_frame(1, visa_j1=[0], state=["NY"], step2_min=[230])
    res = screen(profile(visa="j1", exclude_states=["NY"], step2_score=220), frame, today=TODAY)
    assert res.strictness[0] == "strict"
    assert res.reason[0].count(";") == 2
    assert res.reason[0].index("state you exclude") > res.reason[0].index("J-1")


flags = st.sampled_from([-1, 0, 1])


@settings(max_examples=80)
@given(
    st.data(),
    st.integers(1, 12),
    st.sampled_from(["none", "j1", "h1b"]),
    st.one_of(st.none(), st.integers(214, 280)),
    st.one_of(st.none(), st.integers(2010, 2026)),
)
def test_screens_never_admit_a_strict_breach(
    data: st.DataObject, n: int, visa: str, score: int | None, grad: int | None
) -> None:
    draw = data.draw
    frame = make_frame(
        n,
        visa_j1=draw(st.lists(flags, min_size=n, max_size=n)),
        visa_h1b=draw(st.lists(flags, min_size=n, max_size=n)),
        accepting=draw(st.lists(flags, min_size=n, max_size=n)),
        track=draw(st.lists(st.sampled_from(["C", "P", "A", "M", "R"]), min_size=n, max_size=n)),
        step2_min=draw(st.lists(st.sampled_from([np.nan, 200.0, 230.0]), min_size=n, max_size=n)),
        yog_limit_years=draw(st.lists(st.sampled_from([np.nan, 1.0, 5.0]), min_size=n, max_size=n)),
    )
    prof = profile(visa=visa, step2_score=score, graduation_year=grad)
    res = screen(prof, frame, today=TODAY)
    years = prof.years_since_graduation(TODAY)
    for i in np.flatnonzero(res.keep):
        assert frame.accepting[i] != 0
        assert frame.track[i] in ("C", "M")
        if visa == "j1":
            assert frame.visa_j1[i] != 0
        if visa == "h1b":
            assert frame.visa_h1b[i] != 0
        if score is not None and not np.isnan(frame.step2_min[i]):
            assert score >= frame.step2_min[i]
        if years is not None and not np.isnan(frame.yog_limit_years[i]):
            assert years <= frame.yog_limit_years[i]
    # nothing dropped silently: every excluded program carries a reason and a strictness
    for i in np.flatnonzero(~res.keep):
        assert res.reason[i] and res.strictness[i] in ("strict", "preference")


@settings(max_examples=80)
@given(
    st.data(),
    st.integers(0, 12),
    st.sampled_from(["none", "j1", "h1b"]),
    st.one_of(st.none(), st.integers(214, 280)),
    st.one_of(st.none(), st.integers(2010, 2026)),
    st.sampled_from([(), ("NY",), ("NY", "OH"), ("TX",)]),
    st.sampled_from([("C", "M"), ("P",), ("C", "M", "A")]),
)
def test_screen_matches_the_reference(
    data: st.DataObject,
    n: int,
    visa: str,
    score: int | None,
    grad: int | None,
    states: tuple[str, ...],
    tracks: tuple[str, ...],
) -> None:
    draw = data.draw
    frame = make_frame(
        n,
        visa_j1=draw(st.lists(flags, min_size=n, max_size=n)),
        visa_h1b=draw(st.lists(flags, min_size=n, max_size=n)),
        accepting=draw(st.lists(flags, min_size=n, max_size=n)),
        track=draw(st.lists(st.sampled_from(["C", "P", "A", "M", "R"]), min_size=n, max_size=n)),
        state=draw(st.lists(st.sampled_from(["OH", "NY", "TX", None]), min_size=n, max_size=n)),
        step2_min=draw(st.lists(st.sampled_from([np.nan, 200.0, 230.0]), min_size=n, max_size=n)),
        yog_limit_years=draw(st.lists(st.sampled_from([np.nan, 1.0, 5.0]), min_size=n, max_size=n)),
    )
    other = draw(st.one_of(st.none(), st.integers(214, 280)))
    profiles = [
        profile(visa=visa, step2_score=score, graduation_year=grad, exclude_states=states),
        profile(visa=visa, step2_score=other, graduation_year=grad, exclude_states=states),
        profile(visa=visa, step2_score=score, graduation_year=grad, usce_months=6),
    ]
    for prof in [*profiles, *profiles]:  # again: the results cached on the facts they read
        res = screen(prof, frame, today=TODAY, tracks=tracks)
        ref = reference_screen(prof, frame, today=TODAY, tracks=tracks)
        assert np.array_equal(res.keep, ref.keep)
        assert res.reason.tolist() == ref.reason.tolist()
        assert res.strictness.tolist() == ref.strictness.tolist()


def test_profiles_the_screens_cannot_tell_apart_share_one_result() -> None:
    frame = make_frame(3, step2_min=[220, np.nan, np.nan])
    base = screen(profile(step2_score=230), frame, today=TODAY)
    assert screen(profile(step2_score=230, usce_months=4), frame, today=TODAY) is base
    assert screen(profile(step2_score=231), frame, today=TODAY) is not base
    # a frame without stated minimums does not read the score at all
    plain = make_frame(3)
    assert screen(profile(step2_score=230), plain, today=TODAY) is screen(
        profile(step2_score=250), plain, today=TODAY
    )
    assert not base.keep.flags.writeable and not base.reason.flags.writeable
