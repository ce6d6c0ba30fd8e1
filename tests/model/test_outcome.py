"""M(k): zero at k = 0, non-decreasing, at most 1; draws likewise; pooled fallback."""

from __future__ import annotations

import numpy as np
import pytest

from smartpick.model.outcome import (
    curve_source,
    match_given_interviews,
    match_given_interviews_draws,
)
from smartpick.model.params import ModelParams


@pytest.mark.parametrize("code", ["140", "120", "400", "320", "440", "999", "140P"])
def test_curve_shape(code: str, params: ModelParams) -> None:
    m = match_given_interviews(code, params, kmax=60)
    assert m.shape == (61,)
    assert m[0] == 0.0
    assert np.all(np.diff(m) >= -1e-12)
    assert 0.0 < m[1] < m[-1] <= 1.0


def test_more_interviews_match_more_often_in_im(params: ModelParams) -> None:
    m = match_given_interviews("140", params)
    # Charting Outcomes: matched IMGs ranked a median 5, unmatched 2 programs
    assert m[5] > m[2] + 0.1
    assert m[12] > 0.8


def test_draws_are_monotone_and_vary(params: ModelParams) -> None:
    d = match_given_interviews_draws("140", params, kmax=40)
    assert d.shape == (params.n_draws, 41)
    assert np.all(d[:, 0] == 0.0)
    assert np.all(np.diff(d, axis=1) >= -1e-12)
    assert np.all(d <= 1.0)
    assert d[:, 3].std() > 0


def test_specialty_without_table_uses_pooled_curve(params: ModelParams) -> None:
    assert curve_source("999", params).startswith("pooled")
    assert "Internal Medicine" in curve_source("140", params)


def test_deterministic(params: ModelParams) -> None:
    a = match_given_interviews_draws("120", params)
    b = match_given_interviews_draws("120", params)
    assert np.array_equal(a, b)
