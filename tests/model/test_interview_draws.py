"""The vectorised parameter draws of the interview model against the per-draw loop (oracle).

``_draws_loop`` is the original implementation: one :func:`applicant_terms` call per draw and
cohort. The vectorised ``_draws`` must give bitwise the same log-odds.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import numpy.typing as npt
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from smartpick.errors import ProfileError
from smartpick.frame import ProgramFrame
from smartpick.model.anchors import assumed_score
from smartpick.model.applicant import applicant_terms, visa_terms
from smartpick.model.img_share import cohorts
from smartpick.model.interview import (
    APPLICANT_FEATURES,
    interview_probabilities,
    program_anchors,
)
from smartpick.model.params import ModelParams, load_params
from smartpick.profile import Profile

from .conftest import TODAY, make_profile
from .frames import im_frame, nrmp_frame


def _draws_loop(
    profile: Profile, frame: ProgramFrame, params: ModelParams, today: dt.date
) -> npt.NDArray[np.float64]:
    """(d, n) log-odds at strength 0 under the draws, one draw and cohort at a time."""
    group = profile.applicant_type
    _, anchor_d = program_anchors(frame, group, params)
    pv = {k: p.value for k, p in params.priors.items()}
    blocked = visa_terms(
        profile.visa,
        frame.visa_j1,
        frame.visa_h1b,
        pv["visa_sponsor_known"],
        pv["visa_sponsor_unknown"],
    )[1]
    keys = cohorts(frame)
    prior_names = list(params.priors)
    pr_d = params.draw("priors")
    slope_names = list(params.beta_score_cohort_)
    slope_d = params.draw("beta_score_cohort_")
    pooled_d = params.draw("beta_score_")
    shift = params.type_score_shift.get(group, 0.0)
    uniq, inv = np.unique(keys.astype(str), return_inverse=True)
    out = np.empty((params.n_draws, len(frame)))
    for i in range(params.n_draws):
        pri = {nm: float(pr_d[i, j]) for j, nm in enumerate(prior_names)}
        vals = []
        for k in uniq.tolist():
            slope = float(slope_d[i, slope_names.index(k)] if k in slope_names else pooled_d[i])
            t = applicant_terms(
                profile,
                params,
                params.score_center.get(k, params.score_center_pooled) + shift,
                today=today,
                priors=pri,
                beta_score=slope,
                type_offset=0.0,
                assumed_score=assumed_score(params, k, group),
            )
            vals.append(sum(t.values[f] for f in APPLICANT_FEATURES[:-1]))
        visa = visa_terms(
            profile.visa,
            frame.visa_j1,
            frame.visa_h1b,
            pri["visa_sponsor_known"],
            pri["visa_sponsor_unknown"],
        )[0]
        out[i] = anchor_d[i] + np.array(vals)[inv] + visa
    return np.where(blocked[None, :], -np.inf, out)


@cache
def _mixed() -> ProgramFrame:
    """Several cohorts in one frame: IM (categorical and preliminary), FM, and a cohort
    without its own slope."""
    return ProgramFrame.concat(
        [
            im_frame(),
            nrmp_frame("120", ("C",)),
            nrmp_frame("140", ("P",)),
            nrmp_frame("999", ("P",)),
        ]
    )


@cache
def _fm() -> ProgramFrame:
    return nrmp_frame("120", ("C",))


@settings(max_examples=40, deadline=None)
@given(
    group=st.sampled_from(["us_img", "non_us_img", "us_md", "us_do"]),
    visa=st.sampled_from(["none", "j1", "h1b"]),
    step2=st.one_of(st.none(), st.integers(180, 290)),
    step1=st.sampled_from(["pass", "fail", None, 231]),
    failures=st.integers(0, 3),
    grad=st.one_of(st.none(), st.integers(2005, 2026)),
    usce=st.sampled_from([0.0, 0.5, 2.0, 7.0, 30.0]),
    kind=st.sampled_from([None, "clerkship", "observership", "elective"]),
    letters=st.tuples(st.integers(0, 6), st.integers(0, 6)),
    mixed=st.booleans(),
)
def test_draws_match_the_loop(
    group: str,
    visa: str,
    step2: int | None,
    step1: object,
    failures: int,
    grad: int | None,
    usce: float,
    kind: str | None,
    letters: tuple[int, int],
    mixed: bool,
) -> None:
    params = load_params()
    try:
        prof = make_profile(
            applicant_type=group,
            visa=visa,
            step2_score=step2,
            step1=step1,
            exam_failures=failures,
            graduation_year=grad,
            usce_months=usce,
            usce_kind=kind if usce else None,
            us_letters=max(letters),
            specialty_letters=min(letters),
        )
    except ProfileError:
        reject()  # an inconsistent profile (e.g. a failing score without a failure)
    frame = _mixed() if mixed else _fm()  # several cohorts, or one (its column broadcast)
    est = interview_probabilities(prof, frame, params, today=TODAY)
    assert np.array_equal(est.eta_draws, _draws_loop(prof, frame, params, TODAY))
    # the point estimate: the applicant's terms summed per program as before
    anchor, _ = program_anchors(frame, prof.applicant_type, params)
    first = est.feature_names.index("step2")
    terms = np.ascontiguousarray(est.contributions[:, first : first + len(APPLICANT_FEATURES) - 1])
    visa_term = est.contributions[:, -1]
    eta = np.where(est.blocked, -np.inf, anchor + terms.sum(axis=1) + visa_term)
    assert np.array_equal(est.eta, eta)
