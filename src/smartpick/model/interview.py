"""Interview probability per program for one applicant, vectorised over a specialty.

logit p = alpha[cohort] + program features . beta + applicant terms + visa term, with the
applicant's unobserved strength (sd ``tau``) and the estimated IMG share's uncertainty
integrated out (probit approximation of the logistic-normal mean). ``p_draws`` repeat the
computation under the parameter draws, with the estimated IMG shares drawn from their own
uncertainty. A program that states it does not sponsor the visa the applicant needs gets p = 0.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

from smartpick.frame import FloatArray, ObjArray, ProgramFrame
from smartpick.profile import Profile

from .applicant import applicant_terms, visa_terms
from .features import PROGRAM_FEATURES, expit, is_none, logit, program_design
from .img_share import cohorts, estimate_share_logit
from .params import ModelParams
from .reasons import reasons
from .targets import co_distribution, co_name, co_specialties

__all__ = ["APPLICANT_FEATURES", "InterviewEstimate", "interview_probabilities", "reasons"]

#: Applicant-side features (after PROGRAM_FEATURES in ``contributions``).
APPLICANT_FEATURES: tuple[str, ...] = (
    "step2",
    "applicant_type",
    "exam_failures",
    "graduation_gap",
    "usce",
    "letters",
    "visa",
)
_PI8 = math.pi / 8.0


@dataclass(frozen=True, eq=False)
class InterviewEstimate:
    """Interview probabilities of one applicant at n programs, with what drives them."""

    p: FloatArray  # (n,) in [0, 1]
    p_draws: FloatArray  # (d, n) under parameter draws
    img_share: FloatArray  # (n,) published / user value or our estimate (nan: nothing)
    img_share_source: ObjArray  # "published" | "user" | "estimated" | None
    img_share_sd: FloatArray  # (n,) 0 for published / user
    contributions: FloatArray  # (n, m) log-odds per feature, vs. the cohort's typical program
    feature_names: tuple[str, ...]
    typical_score: FloatArray  # (n,) estimated typical matched Step 2 CK of the program
    blocked: npt.NDArray[np.bool_]  # (n,) states it does not sponsor the needed visa
    score: float | None  # the applicant's score used (None: not given, average assumed)
    visa: str  # visa the applicant needs


_NORMALS: dict[tuple[int, int, str], FloatArray] = {}


def _normals_of(code: str, d: int, seed: int) -> FloatArray:
    """d standard normals keyed by program code and seed (a golden-ratio sequence from a hash)."""
    key = (seed, d, code)
    got = _NORMALS.get(key)
    if got is None:
        h = zlib.crc32(f"{seed}:{code}".encode()) / 2**32
        u = np.mod(h + np.arange(1, d + 1) * 0.6180339887498949, 1.0)
        got = np.asarray(ndtri(np.clip(u, 1e-6, 1 - 1e-6)))
        if len(_NORMALS) < 200_000:
            _NORMALS[key] = got
    return got


def _stable_normals(codes: ObjArray, d: int, seed: int) -> FloatArray:
    """(d, n) standard normals keyed by program code and seed (stable under row subsets)."""
    if not len(codes):
        return np.zeros((d, 0))
    return np.column_stack([_normals_of(str(c), d, seed) for c in codes.tolist()])


@cache
def _bounds_of(key: str) -> tuple[float, float]:
    """(min, max) Step 2 CK of matched non-US IMGs (Charting Outcomes 2026), pooled if none."""
    name = co_name(key)
    dist = co_distribution(name, "step2ck", "matched") if name else None
    if dist is not None and dist.n >= 10:
        return dist.min, dist.max
    all_d = [
        d for n in co_specialties() if (d := co_distribution(n, "step2ck", "matched")) is not None
    ]
    return min(d.min for d in all_d), max(d.max for d in all_d)


def _score_bounds(keys: ObjArray) -> tuple[FloatArray, FloatArray]:
    """Per-program bounds for the estimated typical matched score (the published range)."""
    lo = np.empty(len(keys))
    hi = np.empty(len(keys))
    for k in set(keys.tolist()):
        sel = keys == k
        lo[sel], hi[sel] = _bounds_of(str(k))
    return lo, hi


def _by_cohort(keys: ObjArray, table: dict[str, float], pooled: float) -> FloatArray:
    out = np.full(len(keys), pooled, dtype=np.float64)
    for k in set(keys.tolist()):
        if k in table:
            out[keys == k] = table[k]
    return out


def _draws(
    profile: Profile,
    frame: ProgramFrame,
    params: ModelParams,
    today: dt.date,
    keys: ObjArray,
    mu_l: FloatArray,
    sd_l: FloatArray,
    x: FloatArray,
    uniq: npt.NDArray[np.str_],
    inv: npt.NDArray[np.intp],
    g_center: FloatArray,
    delta_shift: FloatArray,
    blocked: npt.NDArray[np.bool_],
    atype: str,
) -> FloatArray:
    """Interview probabilities under the parameter draws, shape (d, n)."""
    n = len(frame)
    d = params.n_draws
    z = _stable_normals(frame.program_code, d, params.seed)
    l_d = mu_l[None, :] + sd_l[None, :] * z  # (d, n)
    b_d = params.draw("program_coef_")  # (d, m)
    prog_d = b_d[:, :1] * l_d + b_d[:, 1:] @ x[:, 1:].T
    cohort_names = list(params.alpha_)
    col = {k: i for i, k in enumerate(cohort_names)}
    a_d = params.draw("alpha_")
    pooled_d = params.draw("alpha_pooled_")
    idx = _by_cohort(keys, {k: float(i) for k, i in col.items()}, -1.0).astype(np.int64)
    alpha_d = np.where(idx[None, :] >= 0, a_d[:, np.maximum(idx, 0)], pooled_d[:, None])
    prior_names = list(params.priors)
    pr_d = params.draw("priors")
    types = list(params.type_offset_)
    off_d = params.draw("type_offset_")[:, types.index(atype)] if atype in types else np.zeros(d)
    slope_names = list(params.beta_score_cohort_)
    slope_d = params.draw("beta_score_cohort_")
    pooled_slope_d = params.draw("beta_score_")
    beta_d = np.column_stack(
        [slope_d[:, slope_names.index(k)] if k in slope_names else pooled_slope_d for k in uniq]
    ).reshape(d, len(uniq))
    app_d = np.empty((d, n))
    visa_d = np.empty((d, n))
    for i in range(d):
        pri = {nm: float(pr_d[i, j]) for j, nm in enumerate(prior_names)}
        ts = [
            applicant_terms(
                profile,
                params,
                float(c),
                today=today,
                priors=pri,
                beta_score=float(beta_d[i, g]),
                type_offset=float(off_d[i]),
            )
            for g, c in enumerate(g_center)
        ]
        app_d[i] = np.array([sum(t.values.values()) for t in ts])[inv] + delta_shift
        visa_d[i] = visa_terms(
            profile.visa,
            frame.visa_j1,
            frame.visa_h1b,
            pri["visa_sponsor_known"],
            pri["visa_sponsor_unknown"],
        )[0]
    eta_d = alpha_d + prog_d + app_d + visa_d
    p_draws = expit(eta_d / math.sqrt(1.0 + _PI8 * params.tau_**2))
    return np.where(blocked[None, :], 0.0, p_draws)


def interview_probabilities(
    profile: Profile,
    frame: ProgramFrame,
    params: ModelParams,
    *,
    today: dt.date,
    draws: bool = True,
) -> InterviewEstimate:
    """Interview probability of ``profile`` at every program of ``frame``.

    ``draws=False`` skips the parameter draws (``p_draws`` then has no rows): the cheap mode
    for what-if runs that need only the point estimate.
    """
    n = len(frame)
    keys = cohorts(frame)
    mu_l, sd_l, source = estimate_share_logit(frame, params)
    x = program_design(frame, mu_l)
    b = np.array([params.program_coef_[f] for f in PROGRAM_FEATURES])
    alpha = _by_cohort(keys, params.alpha_, params.alpha_pooled_)
    center = _by_cohort(keys, params.score_center, params.score_center_pooled)
    matched = _by_cohort(keys, params.score_matched, params.score_center_pooled)
    slope = _by_cohort(keys, params.beta_score_cohort_, params.beta_score_)
    # applicant terms depend on the cohort's score centre and slope: group rows by cohort
    uniq, inv = np.unique(keys.astype(str), return_inverse=True)
    first = [int(np.argmax(inv == g)) for g in range(len(uniq))]
    g_center, g_slope = center[first], slope[first]
    terms = [
        applicant_terms(
            profile, params, float(c), today=today, type_offset=0.0, beta_score=float(s)
        )
        for c, s in zip(g_center, g_slope, strict=True)
    ]
    a_vals = np.array([[t.values[f] for f in APPLICANT_FEATURES[:-1]] for t in terms])[inv]
    atype = profile.applicant_type
    pooled_delta = params.type_offset_.get(atype, 0.0)
    own = params.type_offset_cohort_.get(atype, {})
    delta_shift = np.array([own.get(k, pooled_delta) - pooled_delta for k in keys.tolist()])
    a_vals[:, APPLICANT_FEATURES.index("applicant_type")] = pooled_delta + delta_shift
    pv = {k: p.value for k, p in params.priors.items()}
    visa, blocked = visa_terms(
        profile.visa,
        frame.visa_j1,
        frame.visa_h1b,
        pv["visa_sponsor_known"],
        pv["visa_sponsor_unknown"],
    )
    prog = x @ b
    eta = alpha + prog + a_vals.sum(axis=1) + visa
    var = params.tau_**2 + (b[0] * sd_l) ** 2
    p = np.where(blocked, 0.0, expit(eta / np.sqrt(1.0 + _PI8 * var)))

    # -- draws ---------------------------------------------------------------------------
    if draws:
        p_draws = _draws(
            profile,
            frame,
            params,
            today,
            keys,
            mu_l,
            sd_l,
            x,
            uniq,
            inv,
            g_center,
            delta_shift,
            blocked,
            atype,
        )
    else:
        p_draws = np.empty((0, n))

    # -- explanation ---------------------------------------------------------------------
    spec_share = np.array(
        [params.specialty_share.get(k, params.specialty_share["all"]) for k in keys.tolist()]
    )
    ref = np.zeros(x.shape[1])
    x_ref = np.tile(ref, (n, 1))
    x_ref[:, 0] = logit(spec_share)
    li = PROGRAM_FEATURES.index("log_positions")
    x_ref[:, li] = float(np.median(x[:, li])) if n else 0.0
    prog_contrib = (x - x_ref) * b[None, :]
    contributions = np.column_stack([prog_contrib, a_vals, visa])
    lo, hi = _score_bounds(keys)
    beta = np.maximum(slope, 1e-3)  # a zero slope: the typical score is the published range
    typical = np.clip(matched - params.score_unit * (prog - (x_ref @ b)) / beta, lo, hi)
    known = np.isin(source, ["published", "user"])
    share = np.where(known, frame.img_share, expit(mu_l))
    share_sd = share * (1.0 - share) * sd_l
    none = is_none(source)
    return InterviewEstimate(
        p=np.clip(p, 0.0, 1.0),
        p_draws=np.clip(p_draws, 0.0, 1.0),
        img_share=np.where(none, np.nan, share),
        img_share_source=source,
        img_share_sd=np.where(none, np.nan, share_sd),
        contributions=contributions,
        feature_names=(*PROGRAM_FEATURES, *APPLICANT_FEATURES),
        typical_score=typical,
        blocked=blocked,
        score=terms[0].score if terms else None,
        visa=profile.visa,
    )
