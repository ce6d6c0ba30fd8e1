"""build_advice: which rules fire, what-if signs, numbers from evaluate, personal facts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.advice import build_advice, specialty_facts
from smartpick.advice.cite import pct, usd
from smartpick.advice.whatif import MAX_CALLS
from smartpick.contract import Advice
from smartpick.profile import Profile

from .fakes import TODAY, FakePlanner, profile


def run(p: Profile, planner: FakePlanner | None = None) -> tuple[dict[str, Advice], FakePlanner]:
    planner = planner or FakePlanner()
    advice = build_advice(
        p, planner.base(p), planner, today=TODAY, facts=specialty_facts(p.specialty)
    )
    return {a.id: a for a in advice}, planner


def text(a: Advice) -> str:
    return "\n".join([a.title, a.why, *a.steps])


# -- which rules fire ---------------------------------------------------------------------


def test_backup_advice_for_a_212_neurology_hopeful() -> None:
    adv, _ = run(
        profile(specialty="Neurology", step2_score=212, exam_failures=1, usce_kind="observership")
    )
    assert {"img_friendly_specialties", "backup_specialty", "preliminary_year"} <= set(adv)
    # the guide's backup within the field for neurology
    assert adv["backup_specialty"].title == "Add Internal Medicine as a backup"
    assert "neurology-related fellowships" in adv["backup_specialty"].why
    assert "not guaranteed" in adv["preliminary_year"].why


def test_no_backup_advice_for_a_250_in_family_medicine() -> None:
    adv, planner = run(
        profile(specialty="Family Medicine", step2_score=250, usce_months=4, us_letters=4),
        FakePlanner(level=0.2),
    )
    assert not {"img_friendly_specialties", "backup_specialty", "preliminary_year"} & set(adv)
    assert not any(p.specialty != "Family Medicine" for p, _ in planner.calls)


def test_no_score_paragraph_for_250_without_failures() -> None:
    adv, _ = run(profile(step2_score=250))
    assert "score_paragraph" not in adv
    assert "cv_reliability" not in adv
    assert "score" not in " ".join(adv["interview_prep"].steps[-2:]).lower().split("about the")[0]


@pytest.mark.parametrize(
    "kw",
    [{"step2_score": 215}, {"step2_score": 250, "exam_failures": 1}, {"step1": "fail"}],
)
def test_score_paragraph_for_low_score_or_failure(kw: dict[str, Any]) -> None:
    adv, _ = run(profile(**kw))
    assert "score_paragraph" in adv
    assert any("20–40 seconds" in s for s in adv["interview_prep"].steps)


def test_us_citizen_advice_only_for_us_img_without_visa() -> None:
    adv, _ = run(profile())
    assert "visa not required" in adv["us_citizen"].title.lower()
    assert "Visa: not required" in adv["us_citizen"].steps[0]
    for kw in ({"applicant_type": "non_us_img", "visa": "j1"}, {"visa": "h1b"}):
        other, _ = run(profile(**kw))
        assert "us_citizen" not in other
        assert "no visa is required" not in text(other["outreach"])


def test_step2_advice_only_when_not_taken() -> None:
    taken, _ = run(profile(step2_score=232))
    assert "step2_timing" not in taken
    adv, planner = run(profile(step2_score=None))
    tried = {p.step2_score for p, _ in planner.calls} - {None}
    # the plausible scores come from the published IM distribution (Charting Outcomes 2026)
    assert tried == {243, 251, 259}
    assert adv["step2_timing"].effect is not None


def test_usce_and_outreach_only_for_imgs() -> None:
    adv, _ = run(profile(applicant_type="us_md", usce_months=0, usce_kind=None))
    assert not {"usce", "outreach", "networking", "us_citizen"} & set(adv)
    assert {"apply_day_one", "interview_prep", "more_programs"} <= set(adv)


def test_geography_what_if_only_with_region_preferences() -> None:
    assert "geography" not in run(profile())[0]
    adv, planner = run(profile(regions=["Midwest"]))
    assert "geography" in adv
    assert any(p.regions == () for p, _ in planner.calls)


# -- measured what-ifs --------------------------------------------------------------------


def test_effects_have_the_right_sign_with_a_monotone_planner() -> None:
    adv, _ = run(
        profile(
            specialty="Neurology",
            step2_score=212,
            exam_failures=1,
            regions=["South"],
            usce_kind="observership",
        )
    )
    for key in (
        "usce",
        "letters",
        "geography",
        "backup_specialty",
        "preliminary_year",
        "more_programs",
    ):
        e = adv[key].effect
        assert e is not None, key
        assert e.match_probability_after > e.match_probability_before, key


def test_advice_reports_what_evaluate_returns() -> None:
    p = profile(regions=["South"], step2_score=None)
    adv, planner = run(p)
    outs = {(o.match_probability, o.cost_usd) for o in planner.returned}
    base = planner.base(p)
    for a in adv.values():
        if a.effect is None:
            continue
        assert a.effect.match_probability_before == base.match_probability
        assert (a.effect.match_probability_after, a.effect.cost_usd) in outs
        assert pct(a.effect.match_probability_after) in text(a)
    more = adv["more_programs"]
    assert more.effect is not None
    assert usd(more.effect.cost_usd) in more.why


def test_evaluate_calls_stay_within_budget() -> None:
    p = profile(
        specialty="Neurology",
        step2_score=None,
        exam_failures=2,
        regions=["South"],
        usce_kind="shadowing",
        usce_months=0.5,
        us_letters=0,
        specialty_letters=0,
    )
    _, planner = run(p)
    assert 0 < len(planner.calls) <= MAX_CALLS


def test_priorities_rank_measured_actions_by_effect() -> None:
    adv, _ = run(profile(specialty="Neurology", step2_score=214, regions=["West"]))
    ordered = sorted(adv.values(), key=lambda a: a.priority)
    assert [a.priority for a in ordered] == list(range(1, len(ordered) + 1))
    gains = [
        a.effect.match_probability_after - a.effect.match_probability_before
        for a in ordered
        if a.effect is not None
    ]
    helpful = [g for g in gains if g >= 0.005]
    assert helpful == sorted(helpful, reverse=True)
    assert ordered[0].effect is not None


# -- personal facts -----------------------------------------------------------------------


def test_texts_contain_the_users_own_facts() -> None:
    p = profile(
        specialty="Neurology",
        step2_score=213,
        exam_failures=1,
        usce_months=1.5,
        usce_kind="observership",
    )
    adv, _ = run(p)
    assert "1.5 months of US clinical experience (observership)" in adv["usce"].why
    assert "213" in text(adv["letters"])  # the request text
    assert "213" in text(adv["outreach"])  # the coordinator email
    assert "213" in text(adv["score_paragraph"])
    for key in ("usce", "letters", "outreach", "networking"):
        assert "Neurology" in text(adv[key]), key


def test_coordinator_email_is_eight_to_ten_lines() -> None:
    for kw in ({"step2_score": 214}, {"step2_score": 250}, {"usce_months": 0, "usce_kind": None}):
        adv, _ = run(profile(**kw))
        email = next(s for s in adv["outreach"].steps if s.startswith("Email: "))
        assert 8 <= len(email.splitlines()) <= 10, kw


# -- every number has a source ------------------------------------------------------------

_profiles = st.builds(
    dict,
    specialty=st.sampled_from(
        [
            "Internal Medicine",
            "Family Medicine",
            "Neurology",
            "Psychiatry",
            "Anesthesiology",
            "General Surgery",
            "Dermatology",
            "Transitional Year",
            "Pathology",
        ]
    ),
    applicant_type=st.sampled_from(["us_img", "non_us_img", "us_md"]),
    step2_score=st.one_of(st.none(), st.integers(214, 275)),
    exam_failures=st.integers(0, 3),
    usce_months=st.sampled_from([0.0, 1.0, 2.5, 4.0, 8.0]),
    us_letters=st.integers(0, 5),
    specialty_letters=st.integers(0, 4),
    regions=st.sampled_from([[], ["Midwest"], ["Pacific", "South"]]),
    budget_usd=st.one_of(st.none(), st.sampled_from([500.0, 2500.0])),
    backup_specialty=st.sampled_from([None, "Family Medicine"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kw=_profiles, level=st.floats(-0.3, 0.5))
def test_no_advice_text_quotes_a_number_without_its_source(
    kw: dict[str, Any], level: float
) -> None:
    from smartpick.advice import advice_texts, build_timeline, standing, uncited_sentences

    if kw["backup_specialty"] == kw["specialty"]:
        kw["backup_specialty"] = None
    if kw["usce_months"]:
        kw["usce_kind"] = "elective"
    else:
        kw["usce_kind"] = None
    if kw["applicant_type"] == "non_us_img":
        kw["visa"] = "h1b"  # a non-US IMG must state the visa (issue 11)
    p = profile(**kw)
    planner = FakePlanner(level)
    facts = specialty_facts(p.specialty)
    advice = build_advice(p, planner.base(p), planner, today=TODAY, facts=facts)
    assert len(planner.calls) <= MAX_CALLS
    texts = advice_texts(advice, build_timeline(TODAY), standing(p, facts))
    bad = [s for t in texts for s in uncited_sentences(t, p)]
    assert bad == []


class _FavoursFamilyMedicine(FakePlanner):
    def odds(self, p: Profile, size: int | None) -> float:
        bonus = 0.2 if "Family Medicine" in (p.specialty, p.backup_specialty) else 0.0
        return min(0.98, super().odds(p, size) + bonus)


def test_backup_is_the_best_measured_option_and_the_within_field_one_is_named() -> None:
    p = profile(specialty="Neurology", step2_score=212, exam_failures=1)
    adv, planner = run(p, _FavoursFamilyMedicine())
    backup = adv["backup_specialty"]
    assert backup.title == "Add Family Medicine as a backup"
    within = next(s for s in backup.steps if "backup within the field" in s)
    im = next(q for q, _ in planner.calls if q.specialty == "Internal Medicine")
    assert pct(planner.odds(im, None)) in within and "Internal Medicine" in within


def test_step2_scenarios_for_us_md_use_the_us_md_distribution() -> None:
    _, planner = run(
        profile(applicant_type="us_md", step2_score=None, usce_kind=None, usce_months=0)
    )
    # IM matched US MD seniors: q1 243, median 254, q3 262 (Charting Outcomes 2026)
    assert {p.step2_score for p, _ in planner.calls} - {None} == {243, 254, 262}


def test_more_programs_forces_the_total_list_size() -> None:
    p = profile(backup_specialty="Family Medicine")
    adv, planner = run(p)
    more = adv["more_programs"]
    base = planner.base(p)
    total = base.recommended_count + 20
    assert f"Applying to {total} programs instead of the recommended" in more.why
    assert [n for _, n in planner.calls if n is not None] == [total]


def test_backup_for_a_friendly_target_depends_on_the_models_odds() -> None:
    p = profile(step2_score=217)  # Internal Medicine, weak score
    high, _ = run(p, FakePlanner(level=0.5))
    assert not {"backup_specialty", "preliminary_year", "img_friendly_specialties"} & set(high)
    low, _ = run(p, FakePlanner(level=-0.2))
    assert {"backup_specialty", "preliminary_year"} <= set(low)
    assert "img_friendly_specialties" not in low  # the target already is one of them
    assert low["backup_specialty"].title.startswith("Add ")


def test_usce_and_letters_rules_stop_once_the_guides_targets_are_met() -> None:
    adv, _ = run(profile(usce_months=4, usce_kind="clerkship", us_letters=4, specialty_letters=3))
    assert "usce" not in adv and "letters" not in adv
    adv, _ = run(profile(usce_months=6, usce_kind="observership"))
    assert "usce" in adv  # months enough, but not hands-on


def test_rotation_and_outreach_name_programs_from_the_users_list() -> None:
    from smartpick.advice import uncited_sentences

    p = profile(step2_score=217, usce_months=1, usce_kind="observership")
    sites = ["Hurley Medical Center (Flint, MI): IMG share 100% (source: AMA FREIDA, 2025)"]
    planner = FakePlanner()
    advice = build_advice(
        p, planner.base(p), planner, today=TODAY, facts=specialty_facts(p.specialty), sites=sites
    )
    by_id = {a.id: a for a in advice}
    assert sites[0] in text(by_id["usce"])
    assert sites[0] in text(by_id["outreach"])
    assert not [s for a in advice for s in uncited_sentences(text(a), p)]
    plain, _ = run(p)  # without a list, no program is named
    assert "Hurley" not in text(plain["usce"])
