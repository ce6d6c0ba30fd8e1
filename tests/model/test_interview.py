"""Interview probabilities: bounds, monotonicity, visa, labels, reasons, determinism."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from smartpick.frame import ProgramFrame
from smartpick.model.interview import interview_probabilities, reasons
from smartpick.model.params import ModelParams

from .conftest import TODAY, make_profile


def _p(frame: ProgramFrame, params: ModelParams, **fields: object) -> np.ndarray:
    return interview_probabilities(make_profile(**fields), frame, params, today=TODAY).p


def test_shapes_and_bounds(im: ProgramFrame, params: ModelParams) -> None:
    est = interview_probabilities(make_profile(), im, params, today=TODAY)
    n = len(im)
    assert est.p.shape == (n,)
    assert est.p_draws.shape == (params.n_draws, n)
    assert est.contributions.shape == (n, len(est.feature_names))
    for arr in (est.p, est.p_draws):
        assert np.all((arr >= 0) & (arr <= 1))
    # the draws scatter around the point estimate
    assert np.all(est.p_draws.std(axis=0) > 0)


@settings(max_examples=25, deadline=None)
@given(lo=st.integers(214, 279), step=st.integers(1, 20))
def test_monotone_in_step2(im: ProgramFrame, params: ModelParams, lo: int, step: int) -> None:
    hi = min(lo + step, 300)
    assert np.all(_p(im, params, step2_score=hi) >= _p(im, params, step2_score=lo))


def test_monotone_in_usce_and_letters(fm: ProgramFrame, params: ModelParams) -> None:
    months = [_p(fm, params, usce_months=m) for m in (1, 2, 4, 8, 12)]
    assert all(np.all(b > a) for a, b in itertools.pairwise(months))
    letters = [_p(fm, params, us_letters=4, specialty_letters=k) for k in (0, 1, 2, 3, 4)]
    assert all(np.all(b > a) for a, b in itertools.pairwise(letters))
    # hands-on experience counts more than an observership of the same length
    assert np.all(_p(fm, params, usce_kind="clerkship") > _p(fm, params, usce_kind="observership"))


def test_failures_and_gaps_lower_the_odds(im: ProgramFrame, params: ModelParams) -> None:
    base = _p(im, params)
    assert np.all(_p(im, params, exam_failures=1) < base)
    assert np.all(_p(im, params, graduation_year=2018) < base)


def test_visa_need(im: ProgramFrame, params: ModelParams) -> None:
    none = _p(im, params, visa="none")
    j1 = _p(im, params, visa="j1")
    stated_no = im.visa_j1 == 0
    assert stated_no.any() and (im.visa_j1 == -1).any()
    assert np.all(j1[stated_no] == 0)
    assert np.all(j1[~stated_no] < none[~stated_no])
    # unknown sponsorship keeps the program in, below a known sponsor of the same program
    assert np.all(j1[im.visa_j1 == -1] > 0)


def test_published_share_kept_and_labelled(im: ProgramFrame, params: ModelParams) -> None:
    est = interview_probabilities(make_profile(), im, params, today=TODAY)
    pub = im.img_share_source == "published"
    assert np.array_equal(est.img_share[pub], im.img_share[pub])
    assert set(est.img_share_source[pub]) == {"published"}
    assert np.all(est.img_share_sd[pub] == 0)


def test_estimated_share_labelled_with_sd(fm: ProgramFrame, params: ModelParams) -> None:
    est = interview_probabilities(
        make_profile(specialty="Family Medicine"), fm, params, today=TODAY
    )
    assert set(est.img_share_source.tolist()) == {"estimated"}
    assert np.all(est.img_share_sd > 0)
    assert np.all((est.img_share > 0) & (est.img_share < 1))


def test_img_friendly_programs_rank_higher(im: ProgramFrame, params: ModelParams) -> None:
    p = _p(im, params)
    share = im.img_share
    ok = np.isfinite(share)
    hi = ok & (share >= 0.6)
    lo = ok & (share <= 0.1)
    assert np.median(p[hi]) > 2 * np.median(p[lo])


def test_reasons_cite_sources(im: ProgramFrame, fm: ProgramFrame, params: ModelParams) -> None:
    prof = make_profile(visa="j1")
    est = interview_probabilities(prof, im, params, today=TODAY)
    for i in range(0, len(im), 97):
        out = reasons(est, im, i, prof, k=3)
        assert 1 <= len(out) <= 3
        assert all(
            (
                "FREIDA" in r
                or "NRMP" in r
                or "estimated" in r
                or "your" in r
                or "census" in r
                or "visa" in r
            )
            for r in out
        )
    blocked = int(np.flatnonzero(est.blocked)[0])
    assert "does not sponsor the J-1" in reasons(est, im, blocked, prof)[0]
    prof_fm = make_profile(specialty="Family Medicine")
    est_fm = interview_probabilities(prof_fm, fm, params, today=TODAY)
    text = " ".join(reasons(est_fm, fm, 0, prof_fm, k=5))
    assert "estimated" in text


def test_deterministic(fm: ProgramFrame, params: ModelParams) -> None:
    a = interview_probabilities(make_profile(), fm, params, today=TODAY)
    b = interview_probabilities(make_profile(), fm, params, today=TODAY)
    assert np.array_equal(a.p, b.p)
    assert np.array_equal(a.p_draws, b.p_draws)


def test_draws_stable_under_subsets(fm: ProgramFrame, params: ModelParams) -> None:
    full = interview_probabilities(make_profile(), fm, params, today=TODAY)
    idx = np.arange(0, len(fm), 3)
    part = interview_probabilities(make_profile(), fm.take(idx), params, today=TODAY)
    assert np.allclose(full.p_draws[:, idx], part.p_draws)


def test_program_with_nothing_known_still_gets_a_probability(
    fm: ProgramFrame, params: ModelParams
) -> None:
    import dataclasses

    odd = dataclasses.replace(fm, specialty_code=np.full(len(fm), "382", dtype=object))
    est = interview_probabilities(make_profile(), odd, params, today=TODAY)
    assert np.all(np.isfinite(est.p)) and np.all((est.p > 0) & (est.p < 1))
    assert all(s is None for s in est.img_share_source.tolist())
    assert "unknown" in " ".join(reasons(est, odd, 0, make_profile(), k=5))


def test_point_only_mode_gives_the_same_point_estimate(
    im: ProgramFrame, params: ModelParams
) -> None:
    prof = make_profile(step2_score=221)
    full = interview_probabilities(prof, im, params, today=TODAY)
    point = interview_probabilities(prof, im, params, today=TODAY, draws=False)
    np.testing.assert_array_equal(point.p, full.p)
    assert point.p_draws.shape == (0, len(im))
    assert full.p_draws.shape == (params.n_draws, len(im))
