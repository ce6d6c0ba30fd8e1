"""IMG share: published kept, estimates labelled with an sd, institution route used."""

from __future__ import annotations

import dataclasses

import numpy as np

from smartpick.frame import ProgramFrame
from smartpick.model.img_share import estimate_img_share, fit_share
from smartpick.model.params import ModelParams


def test_published_kept(im: ProgramFrame, params: ModelParams) -> None:
    share, sd, source = estimate_img_share(im, params)
    pub = im.img_share_source == "published"
    assert np.array_equal(share[pub], im.img_share[pub])
    assert np.all(sd[pub] == 0)
    assert set(source[~pub].tolist()) == {"estimated"}
    assert np.all(sd[~pub] > 0)


def test_institution_im_share_drives_the_estimate(fm: ProgramFrame, params: ModelParams) -> None:
    n = len(fm)
    low = dataclasses.replace(fm, inst_im_img_share=np.full(n, 0.05))
    high = dataclasses.replace(fm, inst_im_img_share=np.full(n, 0.80))
    s_lo, sd_lo, src = estimate_img_share(low, params)
    s_hi, _, _ = estimate_img_share(high, params)
    assert np.all(s_hi > s_lo)
    assert set(src.tolist()) == {"estimated"}
    # the institution route is tighter than the regression route
    s_reg, sd_reg, _ = estimate_img_share(fm, params)
    assert np.all(sd_lo / (s_lo * (1 - s_lo)) < sd_reg / (s_reg * (1 - s_reg)))


def test_user_share_kept(fm: ProgramFrame, params: ModelParams) -> None:
    n = len(fm)
    user = dataclasses.replace(
        fm, img_share=np.full(n, 0.4), img_share_source=np.full(n, "user", dtype=object)
    )
    share, sd, source = estimate_img_share(user, params)
    assert np.all(share == 0.4) and np.all(sd == 0)
    assert set(source.tolist()) == {"user"}


def test_nothing_to_go_on_is_none(fm: ProgramFrame, params: ModelParams) -> None:
    odd = dataclasses.replace(fm, specialty_code=np.full(len(fm), "382", dtype=object))
    share, _sd, source = estimate_img_share(odd, params)
    assert all(s is None for s in source.tolist())
    assert np.all(np.isnan(share))


def test_cross_validated_error_beats_the_mean(im: ProgramFrame) -> None:
    fit = fit_share(im, seed=0)
    assert fit.mae_cv < fit.mae_baseline
    assert fit.sd_cv > 0 and fit.n > 400
    assert fit_share(im, seed=0) == fit  # deterministic
