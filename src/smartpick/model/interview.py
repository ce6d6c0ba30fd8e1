"""Interview probability per program for one applicant, vectorised over a specialty.

For an applicant of group g (US MD, US DO, US IMG, non-US IMG) at program j::

    logit p_j(u) = a_j + A + v_j + u,        u ~ N(0, tau^2)

- ``a_j``: the program's anchor, from the interview rate of the *average applicant of group g*
  at the program (:mod:`.rates`: published by the program where it exists, shrunk toward the
  program model; the program model elsewhere), turned into log-odds at ``A = u = 0`` so that the
  group's applicants, spread by their observed terms (sd ``sigma_A``, from the group's score
  spread) and by their unobserved strength (sd ``tau``), average exactly that rate
  (:func:`.strength.anchor_logit`);
- ``A``: the applicant's own terms against the group's average applicant (:mod:`.applicant`):
  Step 2 CK against the group's mean applicant score in the specialty, failures, graduation
  gap, US clinical experience, letters;
- ``v_j``: the visa the applicant needs at a program with known / unknown sponsorship (a
  program that states it does not sponsor it gets p = 0);
- ``u``: the applicant's unobserved strength, shared by all programs (:mod:`.strength`).

``p`` is the marginal ``E_u[p_j(u)]``; ``eta`` the log-odds at ``u = 0`` (the forecast integrates
over u itself). ``p_draws`` / ``eta_draws`` repeat this under the parameter draws.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray, ObjArray, ProgramFrame
from smartpick.profile import Profile

from .anchors import FrameTerms, assumed_score, frame_terms, program_anchors
from .applicant import applicant_terms, term_sums, visa_draws, visa_terms
from .features import expit_inplace
from .params import ModelParams
from .rates import RATE_FEATURES, ProgramRates, RateModel, load_rate_model
from .reasons import reasons
from .strength import Strength

__all__ = [
    "APPLICANT_FEATURES",
    "InterviewEstimate",
    "assumed_score",
    "interview_probabilities",
    "program_anchors",
    "reasons",
]

#: Applicant-side features (after the program features in ``contributions``).
APPLICANT_FEATURES: tuple[str, ...] = (
    "step2",
    "exam_failures",
    "graduation_gap",
    "usce",
    "letters",
    "visa",
)
#: Program-side entries of ``contributions``: the published rate's pull, then the features.
PROGRAM_TERMS: tuple[str, ...] = ("published_rate", *RATE_FEATURES)


@dataclass(frozen=True, eq=False)
class InterviewEstimate:
    """Interview probabilities of one applicant at n programs, with what drives them."""

    p: FloatArray  # (n,) marginal over the applicant's strength, in [0, 1]
    eta: FloatArray  # (n,) log-odds at strength 0 (-inf: blocked)
    eta_draws: FloatArray  # (d, n)
    tau: float  # sd of the applicant's unobserved strength
    rates: ProgramRates  # the group's average-applicant rates behind the anchors
    img_share: FloatArray  # (n,) published / user value or our estimate (nan: nothing)
    img_share_source: ObjArray  # "published" | "user" | "estimated" | None
    img_share_sd: FloatArray  # (n,) 0 for published / user
    contributions: FloatArray  # (n, m) log-odds per term, vs. the specialty's typical program
    feature_names: tuple[str, ...]
    blocked: npt.NDArray[np.bool_]  # (n,) states it does not sponsor the needed visa
    score: float | None  # the applicant's own score (None: not given)
    score_used: float  # the score the model used (assumed when not given)
    score_assumed: bool
    score_center: FloatArray  # (n,) mean Step 2 CK of the group's applicants (our estimate)
    visa: str  # visa the applicant needs
    group: str  # applicant group whose rates anchor the programs

    @property
    def strength(self) -> Strength:
        """The applicant's unobserved strength on its integration nodes."""
        return Strength.of(self.tau)

    def p_draws_at(self, cols: npt.NDArray[np.intp] | slice) -> FloatArray:
        """(d, len(cols)) the marginal under each parameter draw at the programs ``cols``:
        the probit approximation (one logistic per program and draw instead of one per
        strength node: the draws only give ranges), in [0, 1] as it is. Computed where it is
        read (the listed programs' ranges), not for the whole frame."""
        scaled = self.eta_draws[:, cols] / np.sqrt(1.0 + np.pi / 8.0 * self.tau**2)
        return expit_inplace(np.asarray(scaled, dtype=np.float64))

    @property
    def p_draws(self) -> FloatArray:
        """(d, n) :meth:`p_draws_at` every program (no rows: no draws)."""
        return self.p_draws_at(slice(None))


def _group_columns(
    profile: Profile, params: ModelParams, ft: FrameTerms, today: dt.date
) -> tuple[FloatArray, FloatArray, FloatArray, float, bool]:
    """Per program: applicant term values (n, 5), their sum (n,) and score centre; the score
    used. The sum is taken per cohort (the same row sums, once per cohort)."""
    rows = []
    used, assumed = 0.0, False
    for i in range(len(ft.cohorts)):
        t = applicant_terms(
            profile,
            params,
            float(ft.center[i]),
            today=today,
            type_offset=0.0,
            beta_score=float(ft.slope[i]),
            assumed_score=float(ft.assumed[i]),
        )
        rows.append([t.values[f] for f in APPLICANT_FEATURES[:-1]])
        used, assumed = t.used, t.score_assumed
    vals = np.array(rows, dtype=np.float64).reshape(len(ft.cohorts), len(APPLICANT_FEATURES) - 1)
    return vals[ft.inv], vals.sum(axis=1)[ft.inv], ft.center[ft.inv], used, assumed


def interview_probabilities(
    profile: Profile,
    frame: ProgramFrame,
    params: ModelParams,
    *,
    today: dt.date,
    draws: bool = True,
    rate_model: RateModel | None = None,
) -> InterviewEstimate:
    """Interview probability of ``profile`` at every program of ``frame``.

    ``draws=False`` skips the parameter draws (``p_draws`` then has no rows): the cheap mode
    for what-if runs that need only the point estimate.
    """
    n = len(frame)
    group = profile.applicant_type
    ft = frame_terms(frame, group, params, rate_model or load_rate_model())
    a_vals, a_sum, centers, used, assumed = _group_columns(profile, params, ft, today)
    tau = float(params.tau_)
    strength = Strength.of(tau)
    pv = {k: p.value for k, p in params.priors.items()}
    visa, blocked = visa_terms(
        profile.visa,
        frame.visa_j1,
        frame.visa_h1b,
        pv["visa_sponsor_known"],
        pv["visa_sponsor_unknown"],
    )
    eta = np.where(blocked, -np.inf, ft.anchor + a_sum + visa)
    p = strength.marginal(eta) if n else np.zeros(0)

    eta_d = _draws(profile, frame, params, today, ft, blocked) if draws and n else np.empty((0, n))

    rates = ft.rates
    contributions = np.column_stack([rates.terms, a_vals, visa])
    return InterviewEstimate(
        p=np.clip(p, 0.0, 1.0),
        eta=eta,
        eta_draws=eta_d,
        tau=tau,
        rates=rates,
        img_share=ft.img_share,
        img_share_source=rates.share_source,
        img_share_sd=ft.img_share_sd,
        contributions=contributions,
        feature_names=(*PROGRAM_TERMS, *APPLICANT_FEATURES),
        blocked=blocked,
        score=None if assumed else used,
        score_used=used,
        score_assumed=assumed,
        score_center=centers,
        visa=profile.visa,
        group=group,
    )


def _draws(
    profile: Profile,
    frame: ProgramFrame,
    params: ModelParams,
    today: dt.date,
    ft: FrameTerms,
    blocked: npt.NDArray[np.bool_],
) -> FloatArray:
    """Log-odds at strength 0 under the parameter draws, shape (d, n): every draw's applicant
    terms at once (:func:`.applicant.term_sums`, bitwise those of ``applicant_terms``)."""
    pr_d = params.draw("priors")
    pri = {nm: pr_d[:, j] for j, nm in enumerate(params.priors)}
    vals = term_sums(
        profile, params, ft.center, ft.assumed, today=today, priors=pri, beta_score=ft.slope_d
    )
    visa = visa_draws(
        profile.visa,
        frame.visa_j1,
        frame.visa_h1b,
        pri["visa_sponsor_known"],
        pri["visa_sponsor_unknown"],
    )
    # one cohort: its column broadcasts (the same sums as gathering it per program)
    out = ft.anchor_d + (vals[:, ft.inv] if len(ft.cohorts) > 1 else vals)
    if profile.visa != "none":  # else the visa term is 0 and nothing is blocked
        out += visa
        out[:, blocked] = -np.inf
    return out
