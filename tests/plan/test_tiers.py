"""Tier bands."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartpick.errors import InputError
from smartpick.plan.tiers import (
    DEFAULT_MIX,
    MATCHED_RATE,
    REFERENCE_PROGRAMS,
    TIER_ODDS_RATIO,
    UNMATCHED_RATE,
    TierBands,
    assign_tiers,
    relative_bands,
    tier_counts,
)


def test_default_bands_come_from_published_interview_rates() -> None:
    assert pytest.approx(2 / 66) == UNMATCHED_RATE  # unmatched IMGs: 2 interviews / 66 apps
    assert pytest.approx(8 / 60) == MATCHED_RATE  # matched IMGs: 8 interviews / 60 apps
    assert TierBands() == TierBands(UNMATCHED_RATE, MATCHED_RATE)


def test_default_bands_and_boundaries() -> None:
    lo, hi = UNMATCHED_RATE, MATCHED_RATE
    tiers = assign_tiers([0.0, lo - 1e-9, lo, hi - 1e-9, hi, 1.0])
    assert list(tiers) == ["reach", "reach", "target", "target", "safety", "safety"]
    assert tier_counts(tiers) == {"reach": 2, "target": 2, "safety": 2}


def test_custom_bands() -> None:
    assert list(assign_tiers([0.05, 0.2], TierBands(0.04, 0.15))) == ["target", "safety"]


@pytest.mark.parametrize(("lo", "hi"), [(0.3, 0.1), (0.0, 0.2), (0.1, 1.5)])
def test_bad_bands(lo: float, hi: float) -> None:
    with pytest.raises(InputError, match="tier_bands"):
        TierBands(lo, hi)


@given(st.lists(st.floats(0, 1), min_size=2, max_size=50))
def test_tiers_are_monotone_in_p(p: list[float]) -> None:
    rank = {"reach": 0, "target": 1, "safety": 2}
    order = np.argsort(p, kind="stable")
    codes = [rank[t] for t in assign_tiers(np.asarray(p)[order])]
    assert codes == sorted(codes)


def test_default_mix_is_the_guides() -> None:
    aim = DEFAULT_MIX.aim()
    assert aim.sum() == pytest.approx(1.0)
    assert aim[1] > aim[2] > aim[0]  # target > safety > reach


def test_relative_bands_centre_on_the_applicants_typical_chance() -> None:
    # issue 11: absolute bands called every low scorer's list "all reach", every list "0% safety"
    low = np.array([0.028] * 5 + [0.012] * 100 + [0.004] * 300)  # every chance below 3 %
    bands = relative_bands(low)
    typical = float(np.median(np.sort(low)[::-1][:REFERENCE_PROGRAMS]))
    assert bands.reference == pytest.approx(typical)
    odds = typical / (1 - typical)
    lo, hi = odds / TIER_ODDS_RATIO, odds * TIER_ODDS_RATIO
    assert bands.target_min == pytest.approx(lo / (1 + lo))
    assert bands.safety_min == pytest.approx(hi / (1 + hi))
    tiers = assign_tiers(low, bands)
    counts = tier_counts(tiers)
    assert counts["safety"] > 0 and counts["reach"] > 0 and counts["target"] > 0
    assert set(assign_tiers(low)) == {"reach"}  # the absolute bands: all reach


def test_relative_bands_stay_inside_zero_one_for_strong_applicants() -> None:
    bands = relative_bands(np.full(100, 0.9))
    assert 0 < bands.target_min < 0.9 < bands.safety_min < 1
    assert relative_bands([]) == TierBands()
    with pytest.raises(InputError, match="tier_ratio"):
        relative_bands([0.1], ratio=1.0)


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=300), st.integers(1, 250))
def test_the_reference_is_numpys_median_of_the_top_chances_to_the_bit(
    p: list[float], programs: int
) -> None:
    arr = np.asarray(p)
    top = np.sort(arr)[::-1][:programs]
    expected = float(np.clip(np.median(top), 1e-9, 1.0 - 1e-9))
    assert relative_bands(arr, programs=programs).reference == expected  # exact, not approx
