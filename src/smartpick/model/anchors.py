"""The profile-independent side of the interview model, computed once per frame and group.

A program's anchor ``a_j`` is the log-odds of the applicant group's *average* applicant there
(:func:`program_anchors`); :class:`FrameTerms` bundles it with everything else the interview
model reads from a frame that no profile changes (the rates, each program's cohort and the
cohort's score centre, slope and assumed score, the IMG share shown), so a plan computes only
the applicant's own terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray, ObjArray, ProgramFrame
from smartpick.memo import frame_model_key, persisted

from .features import expit, is_none
from .img_share import cohorts
from .params import ModelParams
from .rates import ProgramRates, RateModel, load_rate_model, program_rates
from .strength import anchor_logit
from .targets import co_distribution, co_name, co_specialties, co_summary

__all__ = ["FrameTerms", "assumed_score", "frame_terms", "program_anchors", "score_spread"]

#: Normal quantile of the score assumed when none is given (the group's lower quartile).
_Q1 = -0.6744897501960817


@cache
def score_spread(key: str) -> tuple[float, float]:
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
        return score_spread("000C")
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
    _, sd = score_spread(key)
    return center + params.type_score_shift.get(group, 0.0) + _Q1 * sd


def _spread(params: ModelParams, keys: ObjArray, slopes: FloatArray | None = None) -> FloatArray:
    """sd of the group's applicants' log-odds around the average applicant, per program:
    their Step 2 CK spread times the cohort's slope (observed) and tau (unobserved)."""
    out = np.empty(len(keys))
    for i, k in enumerate(sorted(set(keys.astype(str).tolist()))):
        sel = keys == k
        slope = (
            params.beta_score_cohort_.get(k, params.beta_score_) if slopes is None else slopes[i]
        )
        sigma_a = slope * score_spread(k)[1] / params.score_unit
        out[sel] = np.sqrt(params.tau_**2 + sigma_a**2)
    return out


def _slope_draws(params: ModelParams, uniq: list[str]) -> FloatArray:
    """(d, k) score slope of each cohort under the parameter draws (pooled where none)."""
    names = list(params.beta_score_cohort_)
    slope_d = params.draw("beta_score_cohort_")
    pooled_d = params.draw("beta_score_")
    cols = [slope_d[:, names.index(k)] if k in names else pooled_d for k in uniq]
    return np.stack(cols, axis=1) if cols else np.empty((params.n_draws, 0))


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
    slopes = _slope_draws(params, sorted(set(keys.astype(str).tolist())))
    spreads = np.stack([_spread(params, keys, slopes[i]) for i in range(params.n_draws)])
    anchor_d = anchor_logit(rates.draws, spreads) if len(frame) else np.empty((params.n_draws, 0))
    anchor.flags.writeable = False
    anchor_d.flags.writeable = False
    return anchor, anchor_d


@dataclass(frozen=True, eq=False)
class FrameTerms:
    """What the interview model reads from one frame for one applicant group (read-only)."""

    rates: ProgramRates
    keys: ObjArray  # (n,) cohort of each program
    cohorts: tuple[str, ...]  # (k,) the frame's cohorts, sorted
    inv: npt.NDArray[np.intp]  # (n,) each program's position in ``cohorts``
    center: FloatArray  # (k,) the group's mean applicant score in the cohort
    slope: FloatArray  # (k,) the cohort's score slope
    slope_d: FloatArray  # (d, k) under the parameter draws
    assumed: FloatArray  # (k,) score assumed when the profile gives none
    anchor: FloatArray  # (n,)
    anchor_d: FloatArray  # (d, n)
    img_share: FloatArray  # (n,) published / user value or the estimate (nan: nothing)
    img_share_sd: FloatArray  # (n,)


@lru_cache(maxsize=64)
def frame_terms(
    frame: ProgramFrame, group: str, params: ModelParams, model: RateModel
) -> FrameTerms:
    """The profile-independent terms of ``frame`` for applicant ``group``.

    Cached on exactly its arguments (the frame and the model objects by identity; the loader
    keeps its frames, so a plan's frames hit), at most 64 entries.
    """
    rates = program_rates(frame, group, params, model)
    keys = cohorts(frame)
    uniq, inv = np.unique(keys.astype(str), return_inverse=True)
    ks = [str(k) for k in uniq.tolist()]
    shift = params.type_score_shift.get(group, 0.0)
    anchor, anchor_d = program_anchors(frame, group, params, model)
    known = np.isin(rates.share_source, ["published", "user"])
    share = np.where(known, frame.img_share, expit(rates.share_logit))
    share_sd = share * (1.0 - share) * rates.share_sd
    none = is_none(rates.share_source)
    out = FrameTerms(
        rates=rates,
        keys=keys,
        cohorts=tuple(ks),
        inv=inv.reshape(len(frame)),
        center=np.array(
            [params.score_center.get(k, params.score_center_pooled) + shift for k in ks],
            dtype=np.float64,
        ),
        slope=np.array(
            [params.beta_score_cohort_.get(k, params.beta_score_) for k in ks], dtype=np.float64
        ),
        slope_d=_slope_draws(params, ks),
        assumed=np.array([assumed_score(params, k, group) for k in ks], dtype=np.float64),
        anchor=anchor,
        anchor_d=anchor_d,
        img_share=np.where(none, np.nan, share),
        img_share_sd=np.where(none, np.nan, share_sd),
    )
    for arr in (out.keys, out.inv, out.center, out.slope, out.slope_d, out.assumed):
        arr.flags.writeable = False
    out.img_share.flags.writeable = False
    out.img_share_sd.flags.writeable = False
    return out
