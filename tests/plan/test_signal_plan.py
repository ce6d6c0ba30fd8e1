"""Signals through the whole plan: the contract fields, the headline, and the off switch."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from smartpick import service
from smartpick.contract import PlanResult
from smartpick.errors import ProfileError
from smartpick.plan import signal_gains
from smartpick.profile import parse_profile

TODAY = dt.date(2026, 11, 25)
BASE: dict[str, Any] = {
    "specialty": "Internal Medicine",
    "backup_specialty": "Family Medicine",
    "applicant_type": "us_img",
    "step2_score": 222,
    "graduation_year": 2024,
    "usce_months": 3,
    "usce_kind": "elective",
    "us_letters": 3,
}


def _plan(db: Path, **changes: Any) -> PlanResult:
    return service.plan(parse_profile({**BASE, **changes}, today=TODAY), db=db, today=TODAY)


@pytest.fixture(scope="module")
def both(shipped_db: Path) -> tuple[PlanResult, PlanResult]:
    return _plan(shipped_db), _plan(shipped_db, signals=False)


def test_signals_fill_the_contract_and_keep_every_rule(both: tuple[PlanResult, PlanResult]) -> None:
    plan, _ = both
    listed = {p.program_code: p for p in plan.programs}
    kinds = Counter(s.kind for s in plan.signals)
    assert kinds == {"gold": 3, "silver": 12, "signal": 5}  # IM 3 + 12, FM (backup) 5
    codes = [s.program_code for s in plan.signals]
    assert len(set(codes)) == len(codes) and set(codes) <= set(listed)
    assert len({c[:7] for c in codes}) == len(codes)  # one signal per program (not per track)
    for s in plan.signals:
        p = listed[s.program_code]
        assert p.signal == s.kind
        assert (p.specialty == "Family Medicine") == (s.kind == "signal")
        assert any("signal: interview chance" in r for r in p.reasons)
    assert sum(p.signal is not None for p in plan.programs) == len(plan.signals)


def test_the_headline_includes_the_signals_and_the_effect_shows_both(
    both: tuple[PlanResult, PlanResult],
) -> None:
    plan, off = both
    fx = plan.signals_effect
    assert fx is not None
    assert fx.match_probability_with == pytest.approx(plan.match_probability)
    assert fx.match_probability_without == pytest.approx(off.match_probability)
    assert fx.match_probability_with > fx.match_probability_without
    assert plan.match_probability_low <= plan.match_probability <= plan.match_probability_high
    assert any("assume you send these signals" in n for n in plan.notes)


def test_the_off_switch(both: tuple[PlanResult, PlanResult]) -> None:
    plan, off = both
    assert off.signals == [] and off.signals_effect is None
    assert all(p.signal is None for p in off.programs)
    # the same programs (the list is chosen before the signals); shown by chance, so a signal
    # may move its program up
    assert sorted(p.program_code for p in off.programs) == sorted(
        p.program_code for p in plan.programs
    )
    assert any("not planned (signals = false)" in n for n in off.notes)


def test_a_specialty_without_a_known_count_gets_no_signals(shipped_db: Path) -> None:
    plan = _plan(shipped_db, specialty="Obstetrics and Gynecology", backup_specialty=None)
    assert plan.signals == [] and plan.signals_effect is None
    assert any("no program-signal count" in n for n in plan.notes)


def test_signals_must_be_a_flag() -> None:
    with pytest.raises(ProfileError, match="signals"):
        parse_profile({**BASE, "signals": "yes"}, today=TODAY)


@pytest.mark.skipif(not signal_gains.COMPILED, reason="signal kernels not built")
@pytest.mark.parametrize("changes", [{}, {"step2_score": 241, "budget_usd": 1500}])
def test_the_plan_is_the_same_with_the_numpy_gains(
    shipped_db: Path, monkeypatch: pytest.MonkeyPatch, changes: dict[str, Any]
) -> None:
    """The whole plan, with the compiled signal gains and with their NumPy reference."""
    fast = _plan(shipped_db, **changes).model_dump(mode="json")
    monkeypatch.setattr(signal_gains, "_compiled", None)
    slow = _plan(shipped_db, **changes).model_dump(mode="json")
    assert fast == slow


def test_with_signals_the_sizing_notes_stay(shipped_db: Path) -> None:
    """The lists are sized before the signals: a budget that bounds them is still said (the
    notes quote the odds without the signals, and the signal note says so)."""
    plan, off = (_plan(shipped_db, budget_usd=1500, signals=s) for s in (True, False))
    limit = [n for n in off.notes if n.startswith("Your budget limits the list")]
    assert limit and limit[0] in plan.notes
    assert any("chosen on the odds without them" in n for n in plan.notes)
    assert plan.recommended_count == off.recommended_count
