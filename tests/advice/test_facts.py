"""Specialty facts come from the bundled tables, each with its source."""

from __future__ import annotations

import pytest

from smartpick.advice.facts import friendliness, specialty_facts
from smartpick.errors import InputError
from smartpick.resources import read_csv


def test_internal_medicine_figures_match_the_tables() -> None:
    f = specialty_facts("140")
    row = next(
        r for r in read_csv("nrmp_tracks_2025.csv") if r["track"].startswith("Internal Medicine (C")
    )  # type: ignore[union-attr]
    assert f.us_img_ranked_2025 == int(row["us_img_ranked"] or 0)
    assert f.us_img_match_rate_2025 is not None
    assert f.us_img_match_rate_2025.value == pytest.approx(
        int(row["us_img_matched"] or 0) / int(row["us_img_ranked"] or 1)
    )
    # IMG share of filled positions: the data README's derived 45.4%
    assert f.img_share_filled_2025 is not None
    assert f.img_share_filled_2025.value == pytest.approx(0.454, abs=0.0005)
    assert "NRMP Advance Data Tables, 2025" in f.img_share_filled_2025.citation
    m = f.step2_non_us_img_matched
    assert m is not None and (m.q1, m.median, m.q3) == (240, 251, 259)
    assert "Charting Outcomes" in m.citation
    assert f.step2_us_md_matched is not None and f.step2_us_md_matched.median == 254
    assert f.friendliness == "most"


def test_suppressed_and_unpublished_figures_are_none() -> None:
    derm = specialty_facts("Dermatology")
    assert derm.step2_non_us_img_matched is None  # cohort under 5
    ty = specialty_facts("Transitional Year")
    assert ty.step2_us_md_matched is None and ty.step2_non_us_img_matched is None


def test_unknown_specialty_names_the_field() -> None:
    with pytest.raises(InputError, match="specialty"):
        specialty_facts("Astrology")


@pytest.mark.parametrize(
    ("name", "level"),
    [("Family Medicine", "most"), ("Neurology", "possible"), ("Dermatology", "less")],
)
def test_friendliness_follows_the_guide(name: str, level: str) -> None:
    assert friendliness(name) == level
