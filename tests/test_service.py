"""The whole pipeline through the service: contract, worked examples from the guide, invariants."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from smartpick import service
from smartpick.contract import PlanResult
from smartpick.plan.tiers import MATCHED_RATE
from smartpick.profile import parse_profile

TODAY = dt.date(2026, 11, 25)

BASE: dict[str, Any] = {
    "specialty": "Internal Medicine",
    "applicant_type": "us_img",
    "step2_score": 217,
    "graduation_year": 2024,
    "usce_months": 3,
    "usce_kind": "elective",
    "us_letters": 3,
    "specialty_letters": 2,
}


def _plan(db: Path, advice: bool = False, **changes: Any) -> PlanResult:
    profile = parse_profile({**BASE, **changes}, today=TODAY)
    return service.plan(profile, db=db, today=TODAY, advice=advice)


def test_json_contract_keys(shipped_db: Path) -> None:
    data = _plan(shipped_db, advice=True).model_dump(mode="json")
    for key in (
        "recommended_count",
        "match_probability",
        "match_probability_low",
        "match_probability_high",
        "expected_interviews",
        "cost_usd",
        "tier_counts",
        "curve",
        "programs",
        "screened_out",
        "portfolio",
        "sources",
        "model_version",
        "advice",
        "timeline",
    ):
        assert key in data, key
    prog = data["programs"][0]
    for key in (
        "program_code",
        "acgme_id",
        "name",
        "institution",
        "city",
        "state",
        "specialty",
        "track",
        "tier",
        "interview_probability",
        "img_share",
        "img_share_source",
        "visa_j1",
        "visa_h1b",
        "reasons",
    ):
        assert key in prog, key
    assert data["recommended_count"] == len(data["programs"])
    assert 0 <= data["match_probability_low"] <= data["match_probability"]
    assert data["match_probability"] <= data["match_probability_high"] <= 1
    assert data["advice"] and data["timeline"]


def test_guide_example_us_img_217_internal_medicine(shipped_db: Path) -> None:
    """Guide: Step 2 CK 217 in IM → IMG-friendly community programs, Midwest and South when
    asked, and a count in the guide's 80-120+ range."""
    r = _plan(shipped_db, regions=["Midwest", "South"])
    assert 80 <= r.recommended_count <= 250  # "80-120+": open-ended above
    settings = Counter(p.setting for p in r.programs if p.setting)
    community_like = settings["community"] + settings["affiliated"]
    assert community_like > settings["university"] * 2
    regions = Counter(p.region for p in r.programs)
    assert (regions["Midwest"] + regions["South"]) / len(r.programs) >= 0.6
    shares = [p.img_share for p in r.programs if p.img_share is not None]
    assert sum(shares) / len(shares) >= 0.4  # IMG-friendly on average
    assert all(p.specialty == "Internal Medicine" for p in r.programs)
    if r.tier_counts.reach == r.recommended_count:  # honest odds: say so when all are reaches
        assert any("Every listed program is a reach" in n for n in r.notes)


def test_a_higher_score_never_lowers_the_odds(shipped_db: Path) -> None:
    plans = [_plan(shipped_db, step2_score=s) for s in (214, 217, 230, 245, 260)]
    for n in (10, 30, 60):  # the same number of applications
        odds = [r.curve[n - 1].match_probability for r in plans]
        assert odds == sorted(odds), n
        assert odds[-1] > odds[0]
    counts = [r.recommended_count for r in plans]  # fewer programs needed for the same target
    assert counts == sorted(counts, reverse=True)


def test_a_backup_never_lowers_the_odds(shipped_db: Path) -> None:
    alone = _plan(shipped_db, specialty="Neurology", step2_score=212, exam_failures=1)
    both = _plan(
        shipped_db,
        specialty="Neurology",
        step2_score=212,
        exam_failures=1,
        backup_specialty="Internal Medicine",
    )
    assert both.match_probability >= alone.match_probability
    assert [p.specialty for p in both.portfolio] == ["Neurology", "Internal Medicine"]


def test_visa_screen_is_reported_not_silent(shipped_db: Path) -> None:
    r = _plan(shipped_db, visa="h1b", applicant_type="non_us_img")
    assert r.screened_out
    assert any("H-1B" in s.reason for s in r.screened_out)
    listed = {p.program_code for p in r.programs}
    assert listed.isdisjoint({s.program_code for s in r.screened_out})
    assert all(p.visa_h1b is not False for p in r.programs)


def test_exclude_and_include_codes_adjust_the_list(shipped_db: Path) -> None:
    base = _plan(shipped_db)
    drop = base.programs[0].program_code
    profile = parse_profile(BASE, today=TODAY)
    fewer = service.plan(profile, db=shipped_db, today=TODAY, advice=False, exclude_codes=[drop])
    assert drop not in {p.program_code for p in fewer.programs}


def test_deterministic(shipped_db: Path) -> None:
    a = _plan(shipped_db).model_dump()
    b = _plan(shipped_db).model_dump()
    assert a == b


def test_preliminary_year_adds_a_part(shipped_db: Path) -> None:
    r = _plan(shipped_db, include_preliminary=True)
    assert [p.track for p in r.portfolio] == ["categorical", "preliminary"]
    assert any(p.track == "preliminary" for p in r.programs)


@pytest.mark.parametrize("specialty", ["Family Medicine", "Psychiatry", "Pediatrics"])
def test_other_core_specialties_plan(shipped_db: Path, specialty: str) -> None:
    r = _plan(shipped_db, specialty=specialty)
    assert r.recommended_count > 0
    assert 0 < r.match_probability < 1


def test_search_with_profile_adds_probability_and_tier(shipped_db: Path) -> None:
    from smartpick.query import ProgramQuery

    profile = parse_profile({**BASE, "visa": "j1"}, today=TODAY)
    recs = service.search_programs(
        ProgramQuery(specialty="Internal Medicine", states=("OH",), limit=20),
        db=shipped_db,
        profile=profile,
        today=TODAY,
    )
    assert recs
    assert all(0 <= r["interview_probability"] <= 1 for r in recs)
    assert all(r["tier"] in ("reach", "target", "safety") for r in recs)


def test_search_and_plan_give_a_program_the_same_tier(shipped_db: Path) -> None:
    # issue 11: the search kept the absolute bands after the plan moved to relative ones
    from smartpick.query import ProgramQuery

    profile = parse_profile(BASE, today=TODAY)
    plan = service.plan(profile, db=shipped_db, today=TODAY, advice=False)
    recs = service.search_programs(
        ProgramQuery(specialty="Internal Medicine", limit=None),
        db=shipped_db,
        profile=profile,
        today=TODAY,
    )
    tier = {r["program_code"]: r["tier"] for r in recs}
    listed = [p for p in plan.programs if p.specialty == "Internal Medicine" and p.signal is None]
    assert listed and all(tier[p.program_code] == p.tier for p in listed)


def test_variant_strong_us_md_needs_a_short_list_of_safeties(shipped_db: Path) -> None:
    strong = _plan(
        shipped_db,
        advice=True,
        applicant_type="us_md",
        step2_score=255,
        usce_months=12,
        usce_kind="clerkship",
        us_letters=4,
        specialty_letters=3,
    )
    weak = _plan(shipped_db)
    assert strong.recommended_count < weak.recommended_count / 3
    # tiers are relative to the applicant's own typical chance (issue 11), so a strong list is
    # mostly "target" for them; in absolute terms most of it lies above the interview rate of
    # IMGs who matched (the old, absolute safety line)
    above = sum(p.interview_probability >= MATCHED_RATE for p in strong.programs)
    assert above >= strong.recommended_count / 2
    ids = {a.id for a in strong.advice}
    assert not ids & {"us_citizen", "score_paragraph", "backup_specialty", "usce"}


def test_variant_very_low_score_with_failures_gets_backup_advice(shipped_db: Path) -> None:
    r = _plan(
        shipped_db,
        advice=True,
        specialty="Family Medicine",
        step2_score=205,
        exam_failures=2,
        graduation_year=2019,
    )
    assert r.match_probability < 0.8  # the target is out of reach: say so, plan a backup
    assert r.notes and any("target" in n for n in r.notes)
    ids = {a.id for a in r.advice}
    assert {"score_paragraph", "backup_specialty"} <= ids
    assert r.standing is not None and r.standing.band == "very_low"


def test_advanced_positions_are_planned_with_a_pgy1_note(shipped_db: Path) -> None:
    """Dermatology is mostly advanced (PGY-2) positions: they are listed, and the plan says a
    separate PGY-1 year is needed."""
    r = _plan(
        shipped_db,
        specialty="Dermatology",
        applicant_type="us_md",
        step2_score=255,
        us_letters=4,
        specialty_letters=3,
        usce_months=12,
        usce_kind="clerkship",
    )
    tracks = Counter(p.track for p in r.programs)
    assert tracks["advanced"] > tracks["categorical"] > 0
    assert any("advanced (PGY-2)" in n and "PGY-1" in n for n in r.notes)
    ims = _plan(shipped_db)  # Internal Medicine has no advanced track: no such note
    assert not any("advanced (PGY-2)" in n for n in ims.notes)


def test_applicant_factors_are_said_once_not_per_program(shipped_db: Path) -> None:
    r = _plan(shipped_db, exam_failures=1, graduation_year=2020, usce_months=0, usce_kind=None)
    once = [n for n in r.notes if n.startswith("At every program alike")]
    assert len(once) == 1
    assert "failed USMLE attempt" in once[0] and "since graduation" in once[0]
    assert not any("since graduation" in x for p in r.programs for x in p.reasons)
    clean = _plan(
        shipped_db,
        graduation_year=2026,
        usce_months=4,
        usce_kind="clerkship",
        us_letters=4,
        specialty_letters=4,
    )
    assert not any(n.startswith("At every program alike") for n in clean.notes)


def test_interviews_come_with_an_honest_interval(shipped_db: Path) -> None:
    """Issue 8: every curve point carries E[K] and its 10th-90th percentiles, and the headline
    interval covers the whole portfolio (interviews move together across parts)."""
    r = _plan(shipped_db, step2_score=235, backup_specialty="Family Medicine")
    assert r.interviews_low <= r.expected_interviews <= r.interviews_high
    assert r.interviews_high - r.interviews_low >= 3  # a shared strength spreads the count
    prev = 0.0
    for point in r.curve:
        assert point.interviews_low <= point.expected_interviews <= point.interviews_high + 1
        assert point.expected_interviews >= prev
        prev = point.expected_interviews


def test_h1b_plan_counts_unknown_sponsorship_and_measures_a_j1(shipped_db: Path) -> None:
    # issue 11: unknown H-1B sponsorship had no column, count or warning, and no J-1 what-if
    r = _plan(shipped_db, advice=True, visa="h1b", applicant_type="non_us_img")
    statuses = {p.visa_status for p in r.programs}
    assert statuses <= {"sponsors", "unknown"}  # "does_not" is screened out
    for p in r.programs:  # the status is the program's own H-1B flag, unknown where unknown
        assert p.visa_status == {True: "sponsors", None: "unknown"}[p.visa_h1b]
    unknown = sum(p.visa_status == "unknown" for p in r.programs)
    assert r.visa_unknown_count == unknown > 0  # FREIDA leaves many programs' H-1B unknown
    if unknown:
        assert any(f"{unknown} of the {len(r.programs)} listed" in n for n in r.notes)
    j1 = next(a for a in r.advice if a.id == "visa_j1")
    assert j1.effect is not None
    assert j1.effect.match_probability_after >= j1.effect.match_probability_before
    none = _plan(shipped_db, visa="none")
    assert {p.visa_status for p in none.programs} == {None} and none.visa_unknown_count == 0


def test_plan_names_its_match_and_its_main_specialty(shipped_db: Path) -> None:
    r = _plan(shipped_db, backup_specialty="Family Medicine")
    assert r.match_year is not None
    assert any(f"for the {r.match_year} Main Residency Match" in n for n in r.notes)
    parts = [p for p in r.portfolio if p.count]
    top = max(parts, key=lambda p: p.count)
    assert any(n.startswith(f"Most of your {r.recommended_count} applications") for n in r.notes)
    assert any(top.specialty in n for n in r.notes if n.startswith("Most of"))


def test_survey_figures_of_another_specialty_are_labelled(shipped_db: Path) -> None:
    r = _plan(shipped_db, advice=True, specialty="Psychiatry", us_letters=0, usce_months=1)
    texts = " ".join(a.why for a in r.advice)
    assert "Family Medicine program directors" in texts
    assert "a Family Medicine survey figure, not one for Psychiatry" in texts


def test_each_listed_program_carries_its_published_rate_for_the_group(shipped_db: Path) -> None:
    # the table read it from the catalog in the web layer; now the plan carries it
    from smartpick.query import ProgramQuery

    plan = _plan(shipped_db)
    recs = service.search_programs(
        ProgramQuery(specialty="Internal Medicine", limit=None), db=shipped_db
    )
    published = {r["program_code"]: r["interview_rate_us_img"] for r in recs}
    im = [p for p in plan.programs if p.specialty == "Internal Medicine"]
    assert im and all(p.interview_rate_published == published[p.program_code] for p in im)
    assert any(p.interview_rate_published is not None for p in im)
