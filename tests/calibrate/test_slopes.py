"""Per-cohort Step 2 CK slopes: partial pooling, never negative, FM pooled with a reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from smartpick.calibrate.population import _published
from smartpick.calibrate.slopes import contradicts
from smartpick.model.params import ModelParams

REPORT = Path(__file__).parents[2] / "docs" / "calibration.json"


@pytest.fixture(scope="module")
def slopes() -> dict[str, Any]:
    data = json.loads(REPORT.read_text(encoding="utf-8"))
    return dict(data["parameters"]["slopes"])


def test_every_cohort_has_a_non_negative_slope(params: ModelParams) -> None:
    assert set(params.beta_score_cohort_) == set(params.alpha_)
    assert all(v >= 0 for v in params.beta_score_cohort_.values())
    draws = params.draw("beta_score_cohort_")
    assert draws.shape == (params.n_draws, len(params.beta_score_cohort_))
    assert np.all(draws >= 0) and np.all(params.draw("beta_score_") >= 0)


def test_family_medicine_contradicts_a_positive_slope_and_gets_the_pooled_one(
    slopes: dict[str, Any], params: ModelParams
) -> None:
    fm = _published("Family Medicine")
    im = _published("Internal Medicine")
    assert fm is not None and im is not None
    assert contradicts(fm) and not contradicts(im)
    row = slopes["cohorts"]["120C"]
    assert row["status"].startswith("pooled") and "below" in row["status"]
    assert params.beta_score_cohort_["120C"] == pytest.approx(params.beta_score_, rel=1e-4)


def test_shrinkage_lies_between_own_and_pooled(slopes: dict[str, Any]) -> None:
    pooled = slopes["pooled"]
    shrunk = [c for c in slopes["cohorts"].values() if c["status"] == "shrunk"]
    assert len(shrunk) >= 10
    for c in shrunk:
        lo, hi = sorted((c["own"], pooled))
        assert lo - 1e-6 <= c["value"] <= hi + 1e-6, c
        # a more precise own estimate is shrunk less: the used sd is below the own se
        assert c["sd"] <= c["own_se"] + 1e-9


def test_apdim_community_groups_affiliated_programs() -> None:
    data = json.loads(REPORT.read_text(encoding="utf-8"))
    rows = [t for t in data["targets"] if t["measure"] == "IMG share of interviews"]
    assert {r["cohort"] for r in rows} == {
        "Internal Medicine, community programs",
        "Internal Medicine, university programs",
    }
    community = next(r for r in rows if "community" in r["cohort"])
    assert "affiliated" in community["note"]
    assert community["model"] > next(r for r in rows if "university" in r["cohort"])["model"]
