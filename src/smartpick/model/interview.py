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
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray, ObjArray, ProgramFrame
from smartpick.memo import frame_model_key, persisted
from smartpick.profile import Profile

from .applicant import applicant_terms, visa_terms
from .features import expit, is_none
from .img_share import cohorts
from .params import ModelParams
from .rates import (
    RATE_FEATURES,
    ProgramRates,
    RateModel,
    load_rate_model,
    program_rates,
)
from .reasons import reasons
from .strength import Strength, anchor_logit
from .targets import co_distribution, co_name, co_specialties, co_summary

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
#: Normal quantile of the score assumed when none is given (the group's lower quartile).
_Q1 = -0.6744897501960817


@dataclass(frozen=True, eq=False)
class InterviewEstimate:
    """Interview probabilities of one applicant at n programs, with what drives them."""

    p: FloatArray  # (n,) marginal over the applicant's strength, in [0, 1]
    p_draws: FloatArray  # (d, n) under parameter draws
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


@cache
def _score_spread(key: str) -> tuple[float, float]:
    """(mean, sd) Step 2 CK of a cohort's non-US IMG applicants (Charting Outcomes 2026).

    Matched and not-matched distributions mixed by their counts; the pooled table of all
    published specialties where the cohort has none.
    """
    name = co_name(key)
    names = [name] if name else list(co_specialties())
    parts: list[tuple[float, float, float]] = []
    for nm in names:
        summary = co_summary(nm)
        for cohort, idx in (("matched", 0), ("not_matched", 1)):
            dist = co_distribution(nm, "step2ck", cohort)
            if dist is not None and summary is not None and summary[idx] > 0:
                parts.append((float(summary[idx]), dist.mean, dist.sd))
    if not parts and name:
        return _score_spread("000C")
    w = np.array([p[0] for p in parts])
    mu = np.array([p[1] for p in parts])
    sd = np.array([p[2] for p in parts])
    mean = float(w @ mu / w.sum())
    var = float(w @ (sd**2 + (mu - mean) ** 2) / w.sum())
    return mean, float(np.sqrt(var))


def assumed_score(params: ModelParams, key: str, group: str) -> float:
    """The Step 2 CK assumed when none is given: the group's lower quartile in the cohort.

    Many programs do not review an IMG's application without a Step 2 CK score; an applicant
    without one is never rated as an average applicant.
    """
    center = params.score_center.get(key, params.score_center_pooled)
    _, sd = _score_spread(key)
    return center + params.type_score_shift.get(group, 0.0) + _Q1 * sd


def _group_columns(
    profile: Profile, params: ModelParams, keys: ObjArray, today: dt.date
) -> tuple[FloatArray, FloatArray, float, bool]:
    """Per program: applicant term values (n, 5) and score centre; the score used."""
    group = profile.applicant_type
    shift = params.type_score_shift.get(group, 0.0)
    uniq, inv = np.unique(keys.astype(str), return_inverse=True)
    rows, centers = [], []
    used, assumed = 0.0, False
    for k in uniq.tolist():
        center = params.score_center.get(k, params.score_center_pooled) + shift
        slope = params.beta_score_cohort_.get(k, params.beta_score_)
        t = applicant_terms(
            profile,
            params,
            center,
            today=today,
            type_offset=0.0,
            beta_score=slope,
            assumed_score=assumed_score(params, k, group),
        )
        rows.append([t.values[f] for f in APPLICANT_FEATURES[:-1]])
        centers.append(center)
        used, assumed = t.used, t.score_assumed
    vals = np.array(rows, dtype=np.float64).reshape(len(uniq), len(APPLICANT_FEATURES) - 1)
    return vals[inv], np.array(centers)[inv], used, assumed


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
    model = rate_model or load_rate_model()
    group = profile.applicant_type
    rates = program_rates(frame, group, params, model)
    keys = cohorts(frame)
    a_vals, centers, used, assumed = _group_columns(profile, params, keys, today)
    tau = float(params.tau_)
    strength = Strength.of(tau)
    anchor, anchor_d = program_anchors(frame, group, params, model)
    pv = {k: p.value for k, p in params.priors.items()}
    visa, blocked = visa_terms(
        profile.visa,
        frame.visa_j1,
        frame.visa_h1b,
        pv["visa_sponsor_known"],
        pv["visa_sponsor_unknown"],
    )
    eta = np.where(blocked, -np.inf, anchor + a_vals.sum(axis=1) + visa)
    p = strength.marginal(eta) if n else np.zeros(0)

    if draws and n:
        eta_d = _draws(profile, frame, params, today, keys, anchor_d, blocked)
        # the marginal under each draw by the probit approximation (one logistic per
        # program instead of one per node: the draws only give ranges)
        p_d = expit(eta_d / np.sqrt(1.0 + np.pi / 8.0 * tau**2))
    else:
        eta_d = np.empty((0, n))
        p_d = np.empty((0, n))

    contributions = np.column_stack([rates.terms, a_vals, visa])
    known = np.isin(rates.share_source, ["published", "user"])
    share = np.where(known, frame.img_share, expit(rates.share_logit))
    share_sd = share * (1.0 - share) * rates.share_sd
    none = is_none(rates.share_source)
    return InterviewEstimate(
        p=np.clip(p, 0.0, 1.0),
        p_draws=np.clip(p_d, 0.0, 1.0),
        eta=eta,
        eta_draws=eta_d,
        tau=tau,
        rates=rates,
        img_share=np.where(none, np.nan, share),
        img_share_source=rates.share_source,
        img_share_sd=np.where(none, np.nan, share_sd),
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


def _spread(params: ModelParams, keys: ObjArray, slopes: FloatArray | None = None) -> FloatArray:
    """sd of the group's applicants' log-odds around the average applicant, per program:
    their Step 2 CK spread times the cohort's slope (observed) and tau (unobserved)."""
    out = np.empty(len(keys))
    for i, k in enumerate(sorted(set(keys.astype(str).tolist()))):
        sel = keys == k
        slope = (
            params.beta_score_cohort_.get(k, params.beta_score_) if slopes is None else slopes[i]
        )
        sigma_a = slope * _score_spread(k)[1] / params.score_unit
        out[sel] = np.sqrt(params.tau_**2 + sigma_a**2)
    return out


def program_anchors(
    frame: ProgramFrame, group: str, params: ModelParams, model: RateModel | None = None
) -> tuple[FloatArray, FloatArray]:
    """(n,) anchors a_j and (d, n) under the parameter draws (cached per frame and group).

    Profile-independent: the log-odds of the group's average applicant at every program.
    """
    return _program_anchors(frame, group, params, model or load_rate_model())


@lru_cache(maxsize=256)
@persisted("program_anchors", frame_model_key)
def _program_anchors(
    frame: ProgramFrame, group: str, params: ModelParams, model: RateModel
) -> tuple[FloatArray, FloatArray]:
    rates = program_rates(frame, group, params, model)
    keys = cohorts(frame)
    anchor = anchor_logit(rates.rate, _spread(params, keys))
    uniq = sorted(set(keys.astype(str).tolist()))
    names = list(params.beta_score_cohort_)
    slope_d = params.draw("beta_score_cohort_")
    pooled_d = params.draw("beta_score_")
    spreads = np.stack(
        [
            _spread(
                params,
                keys,
                np.array([slope_d[i, names.index(k)] if k in names else pooled_d[i] for k in uniq]),
            )
            for i in range(params.n_draws)
        ]
    )
    anchor_d = anchor_logit(rates.draws, spreads) if len(frame) else np.empty((params.n_draws, 0))
    anchor.flags.writeable = False
    anchor_d.flags.writeable = False
    return anchor, anchor_d


def _draws(
    profile: Profile,
    frame: ProgramFrame,
    params: ModelParams,
    today: dt.date,
    keys: ObjArray,
    anchor_d: FloatArray,
    blocked: npt.NDArray[np.bool_],
) -> FloatArray:
    """Log-odds at strength 0 under the parameter draws, shape (d, n)."""
    d = params.n_draws
    prior_names = list(params.priors)
    pr_d = params.draw("priors")
    slope_names = list(params.beta_score_cohort_)
    slope_d = params.draw("beta_score_cohort_")
    pooled_d = params.draw("beta_score_")
    group = profile.applicant_type
    shift = params.type_score_shift.get(group, 0.0)
    uniq, inv = np.unique(keys.astype(str), return_inverse=True)
    out = np.empty((d, len(frame)))
    for i in range(d):
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
