"""The tracker's update: Bayes' rule on the strength, checked by brute force and properties."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.model.features import expit
from smartpick.model.strength import Strength
from smartpick.track.posterior import INVITED, OUT, PENDING, Evidence, PartEvidence, update

M = np.array([0.0, 0.4, 0.6, 0.75, 0.85])  # non-decreasing, M(0) = 0


def _ev(
    state: list[int], invited: list[bool], rejected: list[bool], silent: list[float]
) -> Evidence:
    return Evidence(
        np.asarray(state, dtype=np.int8),
        np.asarray(invited),
        np.asarray(rejected),
        np.asarray(silent, dtype=float),
    )


def _brute(eta: np.ndarray, st_: Strength, ev: Evidence) -> float:
    """P(match | evidence) by enumerating every outcome of every program at every node."""
    num = 0.0
    den = 0.0
    n = len(eta)
    for u, w in zip(st_.u, st_.w, strict=True):
        p = expit(eta + u)
        # likelihood of what was seen
        lik = 1.0
        for j in range(n):
            if ev.invited[j]:
                lik *= p[j]
            elif ev.rejected[j]:
                lik *= 1 - p[j]
            elif ev.silent[j] > 0:
                lik *= 1 - ev.silent[j] * p[j]
        # the rest of the season: each open program invites later or not
        pm = 0.0
        for outcome in itertools.product((0, 1), repeat=n):
            prob, k = 1.0, 0
            for j, o in enumerate(outcome):
                if ev.state[j] == INVITED:
                    c = 1.0
                elif ev.state[j] == OUT:
                    c = 0.0
                else:
                    s = ev.silent[j]
                    c = p[j] * (1 - s) / (1 - s * p[j])
                prob *= c if o else 1 - c
                k += o
            pm += prob * M[min(k, len(M) - 1)]
        num += w * lik * pm
        den += w * lik
    return num / den


def test_matches_brute_force_on_small_lists() -> None:
    rng = np.random.default_rng(12)
    st_ = Strength.of(0.9, 6)
    for n in (3, 4, 5):
        for _ in range(4):
            eta = rng.normal(-1.0, 1.0, n)
            state = rng.choice([PENDING, INVITED, OUT], n).tolist()
            invited = [s == INVITED for s in state]
            rejected = [s == OUT and rng.random() < 0.7 for s in state]
            silent = [float(rng.choice([0.0, 0.4])) if s == PENDING else 0.0 for s in state]
            ev = _ev(state, invited, rejected, silent)
            got = update([PartEvidence(eta, M, ev)], st_).match_probability
            assert abs(got - _brute(eta, st_, ev)) < 1e-10


def test_no_news_is_the_plan_forecast() -> None:
    from smartpick.plan.forecast import forecast

    eta = np.array([-1.0, -0.5, 0.2, -2.0])
    st_ = Strength.of(1.1)
    got = update([PartEvidence(eta, M, Evidence.none(4))], st_)
    want = forecast(st_.probabilities(eta), M, weights=st_.w)
    assert abs(got.match_probability - want.match_probability) < 1e-12
    assert abs(got.expected_interviews - want.expected_interviews) < 1e-12


_eta = st.lists(st.floats(-4, 2), min_size=2, max_size=8)


@settings(max_examples=60, deadline=None)
@given(_eta, st.integers(0, 7), st.floats(0.0, 2.0), st.floats(0.05, 1.0))
def test_invitation_never_lowers_rejection_never_raises(
    eta: list[float], j: int, tau: float, s: float
) -> None:
    e = np.asarray(eta)
    j = j % len(e)
    st_ = Strength.of(tau, 8)
    n = len(e)
    base = Evidence(np.zeros(n, np.int8), np.zeros(n, bool), np.zeros(n, bool), np.full(n, s))
    p0 = update([PartEvidence(e, M, base)], st_).match_probability

    def with_(state: int, inv: bool, rej: bool) -> float:
        ev = Evidence(
            base.state.copy(), base.invited.copy(), base.rejected.copy(), base.silent.copy()
        )
        ev.state[j], ev.invited[j], ev.rejected[j], ev.silent[j] = state, inv, rej, 0.0
        return update([PartEvidence(e, M, ev)], st_).match_probability

    # against the same program still silent, an invitation never lowers the odds ...
    assert with_(INVITED, True, False) >= p0 - 1e-12
    # ... and a rejection never raises them
    assert with_(OUT, False, True) <= p0 + 1e-12


@settings(max_examples=60, deadline=None)
@given(_eta, st.floats(0.0, 2.0), st.floats(0.01, 1.0))
def test_silence_lowers_only_after_the_stated_date(eta: list[float], tau: float, s: float) -> None:
    e = np.asarray(eta)
    n = len(e)
    st_ = Strength.of(tau, 8)
    p0 = update([PartEvidence(e, M, Evidence.none(n))], st_).match_probability
    quiet = Evidence(np.zeros(n, np.int8), np.zeros(n, bool), np.zeros(n, bool), np.full(n, s))
    p1 = update([PartEvidence(e, M, quiet)], st_).match_probability
    assert p1 <= p0 + 1e-12  # silence after the date: never higher
    if np.max(expit(e)) > 1e-3:
        assert p1 < p0  # and strictly lower when programs could have invited


def test_timing_rule_is_zero_before_review_and_rises() -> None:
    import datetime as dt

    from smartpick.track.timing import timing_rule

    rule = timing_rule(2027)
    before = rule.review_start - dt.timedelta(days=1)
    assert rule.share_out(before) == 0.0 and rule.share_out(rule.review_start) == 0.0
    shares = [rule.share_out(rule.review_start + dt.timedelta(days=d)) for d in (15, 46, 76, 200)]
    assert shares == sorted(shares) and abs(shares[1] - 0.65) < 1e-9 and shares[-1] == 1.0
    # a late application starts its own clock
    late = rule.review_start + dt.timedelta(days=30)
    assert rule.share_out(late, applied=late) == 0.0
