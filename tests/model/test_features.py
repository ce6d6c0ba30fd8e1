"""The logistic function against its plain NumPy formula (the oracle of the one-buffer form)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smartpick.model.features import expit


def _expit_reference(x: object) -> np.ndarray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64))))


@settings(max_examples=100)
@given(arrays(np.float64, st.tuples(st.integers(0, 4), st.integers(0, 30))))
def test_expit_matches_the_formula(x: np.ndarray) -> None:
    got, ref = expit(x), _expit_reference(x)
    assert got.shape == ref.shape
    assert np.array_equal(got, ref, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(ref))
    ok = ~np.isnan(x)
    assert np.all((got[ok] >= 0.0) & (got[ok] <= 1.0))  # no clip needed after it


def test_expit_of_scalars_and_lists() -> None:
    for x in (0.0, -0.0, 3.5, np.inf, -np.inf, [1, -2, 3]):
        assert np.array_equal(expit(x), _expit_reference(x))
    assert expit(2.0).shape == ()
