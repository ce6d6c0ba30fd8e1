"""Programs anchored on their published interview rates (issue 8, items 2 and 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from smartpick.catalog.store import Catalog
from smartpick.frame import ProgramFrame
from smartpick.model.interview import assumed_score, interview_probabilities
from smartpick.model.params import load_params
from smartpick.model.rates import load_rate_model, program_rates
from smartpick.profile import parse_profile

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def im(shipped_db: Path) -> ProgramFrame:
    with Catalog.open(shipped_db, build_if_missing=False) as cat:
        return cat.frame("140", ("C",))


def _est(frame: ProgramFrame, **fields: object):  # type: ignore[no-untyped-def]
    base = {"specialty": "Internal Medicine", "applicant_type": "us_img", "graduation_year": 2026}
    return interview_probabilities(
        parse_profile({**base, **fields}, today=TODAY), frame, load_params(), today=TODAY
    )


def test_published_rates_anchor_and_order_the_programs(im: ProgramFrame) -> None:
    rates = program_rates(im, "us_img", load_params())
    pub = np.isfinite(rates.published)
    assert pub.sum() > 500  # most IM programs published a US-IMG rate
    assert np.all(rates.source[pub] == "published") and np.all(rates.source[~pub] == "model")
    # shrunk toward the model, never past it
    w = rates.weight[pub]
    assert np.all((w > 0) & (w < 1))
    est = _est(im, step2_score=235)
    # one cohort, no visa: the order of p is the order of the programs' own rates
    order_p = np.argsort(-est.p, kind="stable")
    assert np.all(np.diff(rates.rate[order_p]) <= 1e-12)


def test_a_higher_published_rate_means_a_higher_chance(im: ProgramFrame) -> None:
    est = _est(im, step2_score=235)
    r = est.rates
    pub = np.isfinite(r.published)
    lo, hi = np.quantile(r.published[pub], [0.2, 0.8])
    assert est.p[pub & (r.published >= hi)].mean() > 2 * est.p[pub & (r.published <= lo)].mean()


def test_no_score_never_rates_better_than_a_below_median_passing_score(im: ProgramFrame) -> None:
    params = load_params()
    none = _est(im)
    assumed = assumed_score(params, "140C", "us_img")
    median_like = params.score_center["140C"] + params.type_score_shift["us_img"]
    assert 214 <= assumed < median_like
    below_median = _est(im, step2_score=int(np.floor(median_like)) - 1)
    assert np.all(none.p <= below_median.p + 1e-12)
    assert none.score is None and none.score_assumed and none.score_used == pytest.approx(assumed)


def test_each_applicant_type_reads_its_own_rates(im: ProgramFrame) -> None:
    model = load_rate_model()
    assert set(model.groups) == {"us_md", "us_do", "us_img", "non_us_img"}
    md = _est(im, step2_score=235, applicant_type="us_md")
    img = _est(im, step2_score=235)
    # US MDs are invited far more often than US IMGs at the same programs
    assert md.p.mean() > 2 * img.p.mean()


def test_interviews_move_together(im: ProgramFrame) -> None:
    """At the same per-program chances, the shared strength spreads the interview count."""
    from smartpick.plan.forecast import interview_count_distribution, pmf_quantile

    est = _est(im, step2_score=235)
    top = np.argsort(-est.p)[:100]
    s = est.strength
    mixed = interview_count_distribution(s.probabilities(est.eta[top]), weights=s.w)
    indep = interview_count_distribution(est.p[top])
    k = np.arange(len(indep))
    assert float(k @ mixed) == pytest.approx(float(k @ indep), rel=1e-6)  # same E[K]
    assert float((k - k @ mixed) ** 2 @ mixed) > 1.5 * float((k - k @ indep) ** 2 @ indep)
    assert mixed[0] > 1.5 * indep[0]  # no interview at all is far likelier than independence says
    assert pmf_quantile(mixed, 0.9) > pmf_quantile(indep, 0.9)
