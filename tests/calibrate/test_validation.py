"""The published back-test (docs/validation.*) holds the model to its accuracy (issue 8)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DOCS / "validation.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("code", ["140", "120"])
def test_us_img_calibration_slope_is_near_one(report: dict[str, Any], code: str) -> None:
    slope = report["groups"]["us_img"]["cells"][code]["model"]["slope"]
    assert 0.8 <= slope <= 1.25


@pytest.mark.parametrize("code", ["140", "120", "320", "400", "180", "all"])
def test_us_img_ranking_beats_both_baselines(report: dict[str, Any], code: str) -> None:
    cell = report["groups"]["us_img"]["cells"][code]
    model = cell["model"]["spearman"]
    assert model > cell["specialty mean"]["spearman"]
    assert model > cell["IMG share alone"]["spearman"]


@pytest.mark.parametrize("group", ["us_img", "non_us_img", "us_md", "us_do"])
def test_every_group_is_calibrated_overall(report: dict[str, Any], group: str) -> None:
    cell = report["groups"][group]["cells"]["all"]["model"]
    assert 0.8 <= cell["slope"] <= 1.25
    assert cell["brier"] <= report["groups"][group]["cells"]["all"]["specialty mean"]["brier"]


def test_population_check_covers_the_core_specialties(report: dict[str, Any]) -> None:
    rows = {r["specialty"]: r for r in report["population"]["rows"]}
    assert set(rows) == {"140", "120", "320", "400", "180"}
    for r in rows.values():
        assert 0.0 < r["model"] < 1.0 and 0.0 < r["published"] < 1.0


def test_report_files_are_deterministic_text() -> None:
    md = (DOCS / "validation.md").read_text(encoding="utf-8")
    svg = (DOCS / "validation.svg").read_text(encoding="utf-8")
    assert "![reliability diagram](validation.svg)" in md
    # no wall-clock times in tracked files
    for text in (md, svg):
        assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d", text)
    assert "<svg" in svg
