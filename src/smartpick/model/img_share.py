"""IMG share of a program's residents: published where known, estimated elsewhere.

Only Internal Medicine programs have a published share (FREIDA). The estimator is a ridge
regression of logit(share) on setting, census region, size and 2026 unfilled rate, fitted on
those programs (penalty chosen by 10-fold cross-validation). For another specialty's program:

    logit(share) = base + logit(specialty share) - logit(IM share)

where ``base`` is the logit of the same institution's published IM share when there is one, else
the regression's prediction, and the specialty shares are the 2025 IMG shares of filled
positions (nrmp_tracks_2025). The sd (logit scale) is the within-institution sd of IM shares
(institution route) or the regression's cross-validated residual sd (regression route); for
other specialties the cross-validated sd is added once more in quadrature for the extrapolation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from smartpick.frame import FloatArray, ObjArray, ProgramFrame

from .features import SHARE_FEATURES, effective_setting, expit, is_none, logit, program_design
from .params import ModelParams
from .targets import cohort_key

__all__ = [
    "ShareFit",
    "cohorts",
    "estimate_img_share",
    "estimate_share_logit",
    "fit_share",
    "share_logit",
]

IM_COHORT = "140C"
_LAMBDAS = (0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)


@dataclass(frozen=True)
class ShareFit:
    """The fitted IMG-share regression and its cross-validated error."""

    coef: dict[str, float]
    sd_cv: float  # residual sd, logit scale, out of fold
    sd_within: float  # sd of logit shares within one institution
    mae_cv: float  # mean absolute error, share scale (0-1), out of fold
    mae_baseline: float  # the same for predicting the mean share everywhere
    mae_by_setting: dict[str, float]
    n: int
    n_within: int
    ridge: float


def _ridge(x: FloatArray, y: FloatArray, lam: float) -> FloatArray:
    xm = np.column_stack([np.ones(len(x)), x])
    pen = lam * np.eye(xm.shape[1])
    pen[0, 0] = 0.0
    return np.asarray(np.linalg.solve(xm.T @ xm + pen, xm.T @ y))


def _predict(x: FloatArray, beta: FloatArray) -> FloatArray:
    return np.asarray(beta[0] + x @ beta[1:])


def fit_share(frame: ProgramFrame, *, seed: int = 0, folds: int = 10) -> ShareFit:
    """Fit the regression on the rows of ``frame`` with a published IMG share."""
    mask = np.isfinite(frame.img_share) & (frame.img_share_source == "published")
    sub = frame.take(np.flatnonzero(mask))
    x = program_design(sub)
    y = logit(sub.img_share)
    n = len(y)
    fold = np.random.default_rng(seed).permutation(n) % folds
    best: tuple[float, float, FloatArray] | None = None
    for lam in _LAMBDAS:
        pred = np.empty(n)
        for f in range(folds):
            test = fold == f
            pred[test] = _predict(x[test], _ridge(x[~test], y[~test], lam))
        rmse = float(np.sqrt(np.mean((pred - y) ** 2)))
        if best is None or rmse < best[0]:
            best = (rmse, lam, pred)
    assert best is not None
    sd_cv, lam, pred = best
    beta = _ridge(x, y, lam)
    share_pred = expit(pred)
    err = np.abs(share_pred - sub.img_share)
    base = np.empty(n)
    for f in range(folds):
        base[fold == f] = np.mean(sub.img_share[fold != f])
    setting = effective_setting(sub)
    by_setting = {
        str(s): float(np.mean(err[setting == s]))
        for s in ("university", "affiliated", "community")
        if np.any(setting == s)
    }
    sd_within, n_within = _within_sd(sub.inst_code, y)
    return ShareFit(
        coef={"intercept": float(beta[0])}
        | {name: float(b) for name, b in zip(SHARE_FEATURES, beta[1:], strict=True)},
        sd_cv=sd_cv,
        sd_within=sd_within if n_within >= 2 else sd_cv,
        mae_cv=float(np.mean(err)),
        mae_baseline=float(np.mean(np.abs(base - sub.img_share))),
        mae_by_setting=by_setting,
        n=n,
        n_within=n_within,
        ridge=lam,
    )


def _within_sd(inst: ObjArray, y: FloatArray) -> tuple[float, int]:
    """Pooled within-institution sd of y over institutions with 2+ programs (and the count)."""
    ss, dof, groups = 0.0, 0, 0
    for code in sorted(set(inst.tolist()) - {None}):  # sorted: the same sum every run
        vals = y[inst == code]
        if len(vals) >= 2:
            ss += float(np.sum((vals - vals.mean()) ** 2))
            dof += len(vals) - 1
            groups += 1
    return (float(np.sqrt(ss / dof)) if dof else float("nan")), groups


def cohorts(frame: ProgramFrame) -> ObjArray:
    """Cohort key of every program (specialty code + C/P)."""
    out = np.empty(len(frame), dtype=object)
    for code in set(frame.specialty_code.tolist()):
        rows = frame.specialty_code == code
        for track in ("C", "P"):
            sel = rows & ((frame.track == "P") == (track == "P"))
            out[sel] = cohort_key(str(code), track)
    return out


def estimate_share_logit(
    frame: ProgramFrame, params: ModelParams
) -> tuple[FloatArray, FloatArray, ObjArray]:
    """(logit share, its sd, source) per program; published / user values have sd 0."""
    return share_logit(
        frame,
        params.share_coef_,
        params.share_sd_,
        params.share_sd_within_,
        params.specialty_share,
    )


def share_logit(
    frame: ProgramFrame,
    coef: dict[str, float],
    sd_cv: float,
    sd_within: float,
    shares: dict[str, float],
) -> tuple[FloatArray, FloatArray, ObjArray]:
    """:func:`estimate_share_logit` from the fitted pieces (used while fitting)."""
    n = len(frame)
    b = np.array([coef[name] for name in SHARE_FEATURES])
    regression = coef["intercept"] + program_design(frame) @ b
    keys = cohorts(frame)
    im = shares[IM_COHORT]
    spec = np.array([shares.get(k, np.nan) for k in keys.tolist()], dtype=np.float64)
    is_im = keys == IM_COHORT
    offset = np.where(
        np.isfinite(spec), logit(np.nan_to_num(spec, nan=im)) - logit(np.array(im)), 0.0
    )
    offset = np.where(is_im, 0.0, offset)
    inst = frame.inst_im_img_share
    has_inst = np.isfinite(inst)
    base = np.where(has_inst, logit(np.nan_to_num(inst, nan=0.5)), regression)
    sd = np.where(has_inst, sd_within, sd_cv)
    sd = np.where(is_im, sd, np.sqrt(sd**2 + sd_cv**2))
    mu = base + offset
    known = np.isfinite(frame.img_share) & np.isin(frame.img_share_source, ["published", "user"])
    nothing = ~has_inst & is_none(effective_setting(frame)) & ~np.isfinite(spec)
    est = np.full(n, "estimated", dtype=object)
    est[nothing] = None
    source = np.where(known, frame.img_share_source, est)
    mu = np.where(known, logit(np.nan_to_num(frame.img_share, nan=0.5)), mu)
    sd = np.where(known, 0.0, sd)
    return (
        np.asarray(mu, dtype=np.float64),
        np.asarray(sd, dtype=np.float64),
        source.astype(object).reshape(n),
    )


def estimate_img_share(
    frame: ProgramFrame, params: ModelParams
) -> tuple[FloatArray, FloatArray, ObjArray]:
    """(share, sd, source): published/user values kept, others estimated (sd by delta method).

    ``source`` is "published", "user", "estimated", or None where there is nothing to go on (the
    share is then nan and the interview model falls back to the specialty's share).
    """
    mu, sd_logit, source = estimate_share_logit(frame, params)
    known = np.isin(source, ["published", "user"])
    share = np.where(known, frame.img_share, expit(mu))
    sd = share * (1.0 - share) * sd_logit
    none = is_none(source)
    share = np.where(none, np.nan, share)
    sd = np.where(none, np.nan, sd)
    return np.asarray(share, dtype=np.float64), np.asarray(sd, dtype=np.float64), source
