"""The applicant's strength: node integration and the anchor solve."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

from smartpick.model.features import expit
from smartpick.model.strength import Strength, anchor_logit


@pytest.mark.parametrize("tau", [0.3, 1.0, 2.0])
@pytest.mark.parametrize("eta", [-6.0, -3.0, 0.0, 2.0])
def test_marginal_matches_quadrature(tau: float, eta: float) -> None:
    exact, _ = integrate.quad(
        lambda u: float(expit(eta + u)) * stats.norm.pdf(u, scale=tau), -12 * tau, 12 * tau
    )
    got = float(Strength.of(tau).marginal(np.array([eta]))[0])
    assert got == pytest.approx(exact, abs=1e-5)


def test_no_strength_is_one_node_at_zero() -> None:
    s = Strength.of(0.0)
    assert len(s) == 1 and s.u[0] == 0.0 and s.w[0] == 1.0
    assert np.allclose(s.marginal(np.array([-1.0, 0.5])), expit(np.array([-1.0, 0.5])))


@given(st.floats(0.001, 0.999), st.floats(0.0, 3.0))
def test_anchor_reproduces_the_rate(rate: float, sd: float) -> None:
    a = anchor_logit(np.array([rate]), sd)
    assert float(Strength.of(sd).marginal(a)[0]) == pytest.approx(rate, abs=1e-7)


def test_anchor_bounds_and_spread() -> None:
    a = anchor_logit(np.array([0.0, 1.0, 0.05]), 1.0)
    assert a[0] == -np.inf and a[1] == np.inf
    # a rare event averaged over a spread population: the median member is below the mean
    assert a[2] < np.log(0.05 / 0.95)


def test_rejects_a_negative_tau() -> None:
    with pytest.raises(ValueError, match="tau"):
        Strength.of(-1.0)
