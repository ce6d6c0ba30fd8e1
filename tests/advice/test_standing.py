"""Score bands and the standing's figures."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smartpick.advice import score_band, specialty_facts, standing
from smartpick.profile import parse_profile

from .fakes import profile

ORDER = ["very_low", "low", "lower", "competitive", "strong"]


def test_band_edges_follow_the_guide() -> None:
    cases = {
        209: "very_low",
        210: "low",
        219: "low",
        220: "lower",
        229: "lower",
        230: "competitive",
        244: "competitive",
        245: "strong",
        None: "not_taken",
    }
    for score, band in cases.items():
        assert score_band(score) == band, score


@given(st.integers(1, 299))
def test_bands_never_go_down_as_the_score_rises(score: int) -> None:
    assert ORDER.index(score_band(score)) <= ORDER.index(score_band(score + 1))


def test_standing_places_the_score_in_the_specialty_distribution() -> None:
    s = standing(
        profile(specialty="Neurology", step2_score=214),
        specialty_facts("Neurology"),
    )
    assert s.band == "low"
    assert s.weak
    text = " ".join(s.points)
    assert "214 is below the lower quartile (240)" in text
    assert "Charting Outcomes" in text and "Neurology" in s.summary
    assert "failed" not in text


def test_failures_are_named_with_the_program_director_figure() -> None:
    s = standing(profile(step2_score=250, exam_failures=2), specialty_facts("140"))
    assert s.band == "strong" and s.weak
    assert any("2 failed USMLE attempts" in p and "82.5%" in p for p in s.points)


def test_strong_score_without_failures_is_not_weak() -> None:
    s = standing(profile(step2_score=250), specialty_facts("140"))
    assert not s.weak
    assert any("250 is between the lower quartile and the median (251)" in p for p in s.points)


def test_numeric_step1_below_the_guides_range_is_named() -> None:
    s = standing(profile(step2_score=240, step1=218), specialty_facts("140"))
    assert any("numeric Step 1 of 218" in p for p in s.points)
    s = standing(profile(step2_score=240, step1=231), specialty_facts("140"))
    assert not any("numeric Step 1" in p for p in s.points)


def test_each_applicant_type_sees_its_own_groups_figures() -> None:
    from smartpick.advice import uncited_sentences

    md = parse_profile({"specialty": "Dermatology", "applicant_type": "us_md", "step2_score": 255})
    where = standing(md, specialty_facts("080"))
    text = " ".join(where.points)
    assert "24 of 240 US MD seniors" in text  # nrmp_tracks_2025: Dermatology, US MD seniors
    assert "US-citizen IMG" not in text and "IMG-friendly" not in text
    assert "advanced (PGY-2)" in text  # most Dermatology positions are not in the PGY-1 table
    assert not [s for p in where.points for s in uncited_sentences(p, md)]
    img = parse_profile({"specialty": "Internal Medicine", "step2_score": 217})
    img_text = " ".join(standing(img, specialty_facts("140")).points)
    assert "1,145 of 2,099 US-citizen IMGs" in img_text
    assert "advanced (PGY-2)" not in img_text  # IM has no advanced positions
