"""What-if runs that reuse a base run give the numbers of a fresh run (issue 10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.assemble import _sized, headline
from smartpick.frame import ProgramFrame
from smartpick.pipeline import LIST_ONLY_FIELDS, PORTFOLIO_FIELDS, PlanCore, Run, reusable, run
from smartpick.planner import Planner
from smartpick.profile import Profile, parse_profile

TODAY = dt.date(2026, 11, 25)
BASE: dict[str, Any] = {
    "specialty": "Internal Medicine",
    "backup_specialty": "Family Medicine",
    "applicant_type": "us_img",
    "step2_score": 221,
    "graduation_year": 2023,
    "usce_months": 2,
    "usce_kind": "elective",
    "us_letters": 2,
    "specialty_letters": 1,
    "regions": ["Midwest"],
}
REGIONS = ["Midwest", "South", "Northeast", "West"]


@pytest.fixture(scope="module")
def planner(shipped_db: Path) -> Planner:
    return Planner(shipped_db)


def _same(a: Run, b: Run) -> None:
    """Two runs with the same lists, curves and headline."""
    assert astuple(headline(a)) == pytest.approx(astuple(headline(b)), abs=1e-12)
    for role, plan in a.plans.items():
        other = b.plans[role]
        assert plan.order.tolist() == other.order.tolist()
        assert plan.recommended_count == other.recommended_count
        np.testing.assert_allclose(plan.match_probability, other.match_probability, atol=1e-12)


def test_list_only_fields_are_profile_fields() -> None:
    assert set(LIST_ONLY_FIELDS | PORTFOLIO_FIELDS) <= set(Profile.model_fields)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    regions=st.lists(st.sampled_from(REGIONS), unique=True, max_size=3),
    settings_=st.lists(st.sampled_from(["community", "university"]), unique=True, max_size=1),
    target=st.sampled_from([0.6, 0.8, 0.9]),
    budget=st.one_of(st.none(), st.sampled_from([800.0, 3000.0])),
)
def test_a_list_only_change_reuses_the_estimates_with_the_same_result(
    planner: Planner,
    regions: list[str],
    settings_: list[str],
    target: float,
    budget: float | None,
) -> None:
    core = PlanCore(planner, TODAY)
    base = run(core, parse_profile(BASE, today=TODAY))
    changed = parse_profile(
        {
            **BASE,
            "regions": regions,
            "settings": settings_,
            "target_match_probability": target,
            "budget_usd": budget,
        },
        today=TODAY,
    )
    reused = run(core, changed, draws=False, base=base)
    assert reusable(base, changed)
    assert all(r.estimate is b.estimate for r, b in zip(reused.results, base.results, strict=True))
    _same(reused, run(core, changed, draws=False))


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    specialty=st.sampled_from(["Internal Medicine", "Psychiatry"]),
    backup=st.sampled_from([None, "Family Medicine", "Pediatrics"]),
    preliminary=st.booleans(),
    signals=st.booleans(),
    regions=st.lists(st.sampled_from(REGIONS), unique=True, max_size=2),
)
def test_a_portfolio_change_reuses_the_parts_it_shares_with_the_same_result(
    planner: Planner,
    specialty: str,
    backup: str | None,
    preliminary: bool,
    signals: bool,
    regions: list[str],
) -> None:
    """The what-ifs that add a preliminary year or change the backup re-evaluate only the
    parts the base run does not have."""
    core = PlanCore(planner, TODAY)
    base = run(core, parse_profile(BASE, today=TODAY))
    changed = parse_profile(
        {
            **BASE,
            "specialty": specialty,
            "backup_specialty": backup,
            "include_preliminary": preliminary,
            "signals": signals,
            "regions": regions,
        },
        today=TODAY,
    )
    reused = run(core, changed, draws=False, base=base)
    shared = reusable(base, changed)
    assert set(shared) == {r.part for r in base.results}
    for res in reused.results:
        if res.part in shared:
            assert res.estimate is shared[res.part].estimate
    _same(reused, run(core, changed, draws=False))


def test_a_changed_estimate_field_is_not_reused(planner: Planner) -> None:
    core = PlanCore(planner, TODAY)
    base = run(core, parse_profile(BASE, today=TODAY))
    assert reusable(base, parse_profile({**BASE, "usce_months": 4}, today=TODAY)) == {}


@pytest.mark.parametrize("size", [None, 50, 200])
def test_the_base_run_answers_its_own_what_if(planner: Planner, size: int | None) -> None:
    """``more_programs`` reads the base run (with draws) instead of re-running the profile."""
    core = PlanCore(planner, TODAY)
    profile = parse_profile(BASE, today=TODAY)
    base, fresh = run(core, profile), run(core, profile, draws=False)
    if size is None:
        assert astuple(headline(base)) == pytest.approx(astuple(headline(fresh)), abs=1e-12)
    else:
        assert astuple(_sized(base, size)) == pytest.approx(astuple(_sized(fresh, size)), abs=1e-12)


def test_a_core_loads_each_part_once(planner: Planner) -> None:
    """The runs of one core (a plan and its what-ifs) share its frames: one load per part."""
    calls: list[tuple[str, tuple[str, ...]]] = []

    def load(code: str, tracks: tuple[str, ...]) -> ProgramFrame:
        calls.append((code, tracks))
        return planner.frame(code, tracks)

    core = PlanCore(load, TODAY)
    profile = parse_profile(BASE, today=TODAY)
    base = run(core, profile)
    other = run(core, parse_profile({**BASE, "usce_months": 4}, today=TODAY), draws=False)
    assert sorted(calls) == sorted(set(calls)) and len(calls) == len(base.results)
    assert all(a.frame is b.frame for a, b in zip(base.results, other.results, strict=True))
    # a new core asks the loader again (a request sees the catalog as it is then)
    run(PlanCore(load, TODAY), profile, draws=False)
    assert len(calls) == 2 * len(base.results)
