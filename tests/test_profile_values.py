"""Issue 11, item 7: forgiving enum spellings, the target as a fraction or a percentage, and
did-you-mean suggestions for unknown fields and values."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.errors import ProfileError
from smartpick.profile import Profile, parse_profile
from smartpick.profile_values import TARGET_PERCENT_PATTERN, target_fraction
from smartpick.suggest import key, suggest
from smartpick.web.forms import form_to_profile_data

TODAY = dt.date(2026, 12, 1)


def parse(**fields: Any) -> Profile:
    return parse_profile({"specialty": "IM", **fields}, today=TODAY)


@pytest.mark.parametrize(
    ("field", "spelling", "canonical"),
    [
        ("visa", "J-1", "j1"),
        ("visa", "j1", "j1"),
        ("visa", "J1", "j1"),
        ("visa", "H1B", "h1b"),
        ("visa", "H-1B", "h1b"),
        ("visa", " h-1b visa ", "h1b"),
        ("visa", "None", "none"),
        ("applicant_type", "us-img", "us_img"),
        ("applicant_type", "US_IMG", "us_img"),
        ("applicant_type", "US IMG", "us_img"),
        ("applicant_type", "Non US IMG", "non_us_img"),
        ("applicant_type", "non-US-citizen IMG", "non_us_img"),
        ("applicant_type", "US-MD", "us_md"),
        ("applicant_type", "us do", "us_do"),
        ("usce_kind", "Sub-Internship", "subinternship"),
        ("usce_kind", "OBSERVERSHIP", "observership"),
        ("step1", "Pass", "pass"),
        ("step1", "FAIL", "fail"),
    ],
)
def test_enums_ignore_case_and_punctuation(field: str, spelling: str, canonical: str) -> None:
    extra: dict[str, object] = {"usce_months": 2} if field == "usce_kind" else {}
    if canonical == "non_us_img":
        extra["visa"] = "none"  # a non-US IMG must say which visa (issue 11)
    assert getattr(parse(**{field: spelling}, **extra), field) == canonical


def test_list_enums_too() -> None:
    p = parse(settings=["University", "university-affiliated", "COMMUNITY", "community"])
    assert p.settings == ("university", "affiliated", "community")
    assert parse(regions=["south-atlantic", "MIDWEST"]).regions == ("South Atlantic", "Midwest")


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"visa": "H1-C"}, "visa", "did you mean 'h1b'?"),
        ({"visa": "f1"}, "visa", "allowed: 'none', 'j1' or 'h1b'"),
        ({"applicant_type": "img"}, "applicant_type", "did you mean 'us_img' or 'non_us_img'?"),
        ({"applicant_type": "us-imgg"}, "applicant_type", "did you mean 'us_img'?"),
        ({"usce_kind": "observrship", "usce_months": 1}, "usce_kind", "'observership'?"),
        ({"settings": ["comunity"]}, "settings", "did you mean 'community'?"),
        ({"settings": ["rural", "academic"]}, "settings", "item 1: unknown setting 'rural'"),
        ({"regions": ["Midwst"]}, "regions", "did you mean 'Midwest'?"),
        ({"step1": "passd"}, "step1", "did you mean 'pass'?"),
    ],
)
def test_unknown_values_suggest(fields: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as info:
        parse(**fields)
    assert info.value.field == field
    assert fragment in str(info.value), str(info.value)


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("stepp2", "step2_score"),
        ("step2", "step2_score"),
        ("Step2-Score", "step2_score"),
        ("applicnt_type", "applicant_type"),
        ("target", "target_match_probability"),
        ("budget", "budget_usd"),
        ("specialy", "specialty"),
        ("exam_fails", "exam_failures"),
    ],
)
def test_unknown_fields_suggest_the_right_one(typo: str, expected: str) -> None:
    with pytest.raises(ProfileError) as info:
        parse(**{typo: 1})
    assert info.value.field == typo
    hints = re.findall(r"'([a-z0-9_]+)'", str(info.value).split("did you mean")[1])
    assert hints[0] == expected, str(info.value)


def test_stepp2_does_not_suggest_step1() -> None:
    with pytest.raises(ProfileError) as info:
        parse(stepp2=230)
    assert "did you mean 'step2_score'?" in str(info.value)
    assert "step1" not in str(info.value)


def test_no_suggestion_for_nonsense() -> None:
    assert suggest("shoe_size", list(Profile.model_fields)) == []
    assert suggest("---", ["j1"]) == [] and key("J-1 ") == "j1"
    with pytest.raises(ProfileError, match=r"unknown field \(allowed: specialty, "):
        parse(shoe_size=9)


@pytest.mark.parametrize(
    ("value", "fraction"),
    [(0.8, 0.8), (80, 0.8), (80.0, 0.8), ("80%", 0.8), (" 62.5 % ", 0.625), (".5%", 0.005),
     (0.05, 0.05), (5, 0.05), (99, 0.99), (1.5, 0.015)],
)  # fmt: skip
def test_target_as_fraction_or_percentage(value: Any, fraction: float) -> None:
    assert parse(target_match_probability=value).target_match_probability == pytest.approx(fraction)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (0, "must be above 0"),
        (-0.5, "must be above 0"),
        (1, "certain match"),
        (100, "100% or more"),
        (150, "100% or more"),
        ("150%", "not a chance of matching"),
        ("0%", "not a chance of matching"),
        ("80", "not a chance of matching"),
        ("eighty", "not a chance of matching"),
        (True, "must be a number"),
        (float("inf"), "finite"),
        (float("nan"), "finite"),
    ],
)
def test_target_nonsense_is_refused_clearly(value: Any, fragment: str) -> None:
    with pytest.raises(ProfileError) as info:
        parse(target_match_probability=value)
    text = str(info.value)
    assert info.value.field == "target_match_probability"
    assert fragment in text and "e.g. 0.8" in text and "80%" in text, text


@given(st.from_regex(TARGET_PERCENT_PATTERN))
def test_every_string_the_schema_allows_is_taken(text: str) -> None:
    """The JSON schema's pattern and the parser agree (the API's schemathesis test relies on
    it): every match is a percentage above 0 and below 100."""
    assert 0 < target_fraction(text) < 1


def test_schema_documents_what_is_accepted() -> None:
    schema = Profile.model_json_schema()["properties"]["target_match_probability"]
    kinds = schema["anyOf"]
    assert {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}.items() <= kinds[
        0
    ].items()
    assert kinds[1]["exclusiveMinimum"] == 1 and kinds[1]["exclusiveMaximum"] == 100
    assert kinds[2]["pattern"] == TARGET_PERCENT_PATTERN
    assert schema["default"] == 0.8
    assert "percentage" in schema["description"]


def test_the_web_form_reads_percentages_and_spellings() -> None:
    data = form_to_profile_data(
        {"specialty": "IM", "target_match_probability": "80%", "visa": "J-1"}, {}
    )
    p = parse_profile(data, today=TODAY)
    assert p.target_match_probability == pytest.approx(0.8) and p.visa == "j1"
    data = form_to_profile_data({"specialty": "IM", "target_match_probability": "75"}, {})
    assert parse_profile(data, today=TODAY).target_match_probability == pytest.approx(0.75)


@pytest.mark.parametrize("value", [[{}], [[1]], [{}, {}], [3]])
def test_odd_list_items_are_refused_not_crashed(value: list[Any]) -> None:
    with pytest.raises(ProfileError, match="settings: item 1"):
        parse(settings=value)


def test_every_field_error_at_once() -> None:
    with pytest.raises(ProfileError) as info:
        parse(stepp2=230, visa="H1-C", target_match_probability=150, exam_failures=-1)
    fields = [p.field for p in info.value.problems]
    assert fields == ["exam_failures", "visa", "target_match_probability", "stepp2"]
    assert str(info.value).startswith("exam_failures: must be at least 0")
    assert "[also check: stepp2, target_match_probability, visa]" in str(info.value)


def test_every_cross_field_rule_at_once() -> None:
    with pytest.raises(ProfileError) as info:
        parse(backup_specialty="Internal Medicine", usce_kind="elective", step2_score=200)
    fields = [p.field for p in info.value.problems]
    assert fields == ["backup_specialty", "step2_score", "usce_kind"]  # in the fields' order
