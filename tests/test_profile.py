"""Profile validation: every field checked, errors name the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.errors import ProfileError
from smartpick.profile import Profile, load_profile, parse_profile

TODAY = dt.date(2026, 11, 25)
EXAMPLES = Path(__file__).parents[1] / "examples"


def test_minimal_profile_gets_defaults() -> None:
    p = parse_profile({"specialty": "im"}, today=TODAY)
    assert p.specialty == "Internal Medicine"
    assert p.applicant_type == "us_img"
    assert p.visa == "none"
    assert p.target_match_probability == pytest.approx(0.8)


@pytest.mark.parametrize("text", ["140", "Internal Medicine", "internal medicine", "IM", 140])
def test_specialty_by_name_alias_or_code(text: object) -> None:
    assert parse_profile({"specialty": text}, today=TODAY).specialty == "Internal Medicine"


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"specialty": "Internl Medicine"}, "specialty", "did you mean 'Internal Medicine'"),
        ({"specialty": "IM", "step2_score": 301}, "step2_score", "300"),
        ({"specialty": "IM", "step2_score": 0}, "step2_score", "1"),
        ({"specialty": "IM", "graduation_year": 2031}, "graduation_year", "future"),
        ({"specialty": "IM", "visa": "f1"}, "visa", "'none', 'j1' or 'h1b'"),
        ({"specialty": "IM", "regions": ["Midwst"]}, "regions", "unknown region"),
        ({"specialty": "IM", "exclude_states": ["XX"]}, "exclude_states", "two-letter"),
        ({"specialty": "IM", "settings": ["rural"]}, "settings", "university"),
        ({"specialty": "IM", "target_match_probability": 150}, "target_match_probability", "80%"),
        ({"specialty": "IM", "backup_specialty": "Internal Medicine"}, "backup_specialty", ""),
        ({"specialty": "IM", "usce_kind": "elective"}, "usce_kind", "usce_months"),
        ({"specialty": "IM", "exam_failures": -1}, "exam_failures", "0"),
        ({"specialty": "IM", "shoe_size": 9}, "shoe_size", "unknown field"),
        ({}, "specialty", "required"),
    ],
)
def test_bad_fields_are_named(data: dict[str, object], field: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(data, today=TODAY)
    assert info.value.field == field
    assert str(info.value).startswith(field)
    assert fragment in str(info.value)


def test_years_since_graduation_counts_to_the_match_year() -> None:
    p = parse_profile({"specialty": "FM", "graduation_year": 2022}, today=TODAY)
    assert p.years_since_graduation(TODAY) == 5  # Match in 2027
    assert p.years_since_graduation(dt.date(2027, 2, 1)) == 5


def test_example_profiles_load() -> None:
    for path in sorted(EXAMPLES.glob("*.toml")):
        assert isinstance(load_profile(path, today=TODAY), Profile)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text("specialty = \n", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(bad)
    with pytest.raises(ProfileError, match="not found"):
        load_profile(tmp_path / "missing.toml")


@given(st.integers(min_value=1, max_value=300))
def test_any_valid_score_is_accepted(score: int) -> None:
    fails = 1 if score < 214 else 0  # below the pass mark is a failed attempt
    profile = parse_profile(
        {"specialty": "FM", "step2_score": score, "exam_failures": fails}, today=TODAY
    )
    assert profile.step2_score == score


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"specialty": "IM", "step2_score": 400}, "step2_score: must be at most 300 (got 400)"),
        ({"specialty": "IM", "applicnt_type": "us_img"}, "did you mean 'applicant_type'?"),
        ({"specialty": "IM", "exam_failures": 1.5}, "must be a whole number (got 1.5)"),
        ({"specialty": "IM", "us_letters": -1}, "us_letters: must be at least 0"),
        (
            {"specialty": "IM", "step2_score": "abc", "usce_months": -1},
            "[also check: usce_months]",
        ),
    ],
)
def test_errors_read_as_plain_words(data: dict[str, object], expected: str) -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(data, today=TODAY)
    assert expected in str(info.value)


def test_a_score_below_the_pass_mark_needs_a_recorded_failure() -> None:
    """Issue 8: Step 2 CK below the USMLE pass mark (214 since 2022) with no failure."""
    with pytest.raises(ProfileError, match=r"step2_score: 205 is below the Step 2 CK pass mark"):
        parse_profile({"specialty": "IM", "step2_score": 205})
    ok = parse_profile({"specialty": "IM", "step2_score": 205, "exam_failures": 1})
    assert ok.step2_score == 205
    assert parse_profile({"specialty": "IM", "step2_score": 214}).step2_score == 214


def test_a_non_us_img_must_state_the_visa() -> None:
    # issue 11: a non-US IMG with no visa line was silently planned as needing none
    with pytest.raises(ProfileError, match="visa: required for a non-US IMG"):
        parse_profile({"specialty": "IM", "applicant_type": "non_us_img"})
    assert parse_profile({"specialty": "IM", "applicant_type": "non_us_img", "visa": "none"})
    assert parse_profile({"specialty": "IM", "applicant_type": "us_img"}).visa == "none"
