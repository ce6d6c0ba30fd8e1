"""The what-if runner: budget, cache, validated changed profiles, checked outputs."""

from __future__ import annotations

import pytest

from smartpick.advice.whatif import Outcome, Runner, changed
from smartpick.errors import ModelError, ProfileError

from .fakes import FakePlanner, profile


def test_runner_caches_and_stops_at_its_budget() -> None:
    planner = FakePlanner()
    p = profile()
    r = Runner(planner, planner.base(p), budget=2)
    a = r.measure("a", changed(p, us_letters=3))
    again = r.measure("a2", changed(p, us_letters=3))
    assert a is not None and again is not None and a.after == again.after
    assert len(planner.calls) == 1
    assert r.measure("b", changed(p, us_letters=4)) is not None
    assert r.measure("c", changed(p, us_letters=5)) is None
    assert len(planner.calls) == 2 and r.left == 0


def test_gain_is_after_minus_before() -> None:
    planner = FakePlanner()
    p = profile()
    m = Runner(planner, planner.base(p)).measure("usce", changed(p, usce_months=4))
    assert m is not None
    assert m.gain == pytest.approx(m.after.match_probability - m.before.match_probability)
    assert m.gain > 0


def test_an_invalid_probability_from_evaluate_is_a_model_error() -> None:
    def broken(_p: object, _n: int | None) -> Outcome:
        return Outcome(1.7, 0.0, 10)

    r = Runner(broken, Outcome(0.5, 0.0, 10))
    with pytest.raises(ModelError, match="allowed: 0 to 1"):
        r.measure("x", profile())


def test_changed_profiles_are_validated() -> None:
    with pytest.raises(ProfileError, match="backup_specialty"):
        changed(profile(), backup_specialty="Internal Medicine")
