"""Fit the program rate model to the AAMC Residency Explorer's published interview rates.

One row per program (a Residency Explorer row owns all the NRMP tracks it was linked to), per
applicant group (US MD, US DO, US IMG, non-US IMG), on the logit scale::

    logit(r_j) = intercept[specialty] + x_j . beta + e_j

``r_j`` is the share of the group's applicants the program invited (2024 Match); a published 0
or 1 is taken as half the file's rounding unit from the bound (``FLOOR``). ``x_j`` are program
facts of the 2026 catalog (:data:`smartpick.model.rates.RATE_FEATURES`). Terms are kept by
forward selection of feature groups on 5-fold cross-validated squared error (held-out
programs): a group stays only when it lowers the held-out error.

**Reliability of a published rate.** The file has no applicant counts, so a rate from a handful
of applicants is noisy. Write the residual ``e_j = d_j + n_j``: ``d_j`` the program's true
departure from the model, ``n_j`` sampling noise. A program's departure is largely shared by
the applicant groups (the same program is IMG-friendly for US and non-US IMGs alike) while their
noise is independent, so across programs ``cov(e_g, e_g') ~ var(d)`` and the reliability
``w = var(d) / var(e) = cov(e_g, e_g') / var(e_g)`` (the parallel-forms reliability; where the
groups' departures differ it is a lower bound, so a published rate is, if anything,
under-trusted). US and non-US IMGs pair with each other, US MD with US DO. ``w`` is estimated per
specialty with at least ``MIN_RELIABILITY_N`` programs carrying both rates, pooled otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from smartpick.frame import FloatArray, IntArray, ObjArray, ProgramFrame
from smartpick.model.img_share import estimate_share_logit
from smartpick.model.params import ModelParams
from smartpick.model.rates import (
    APPLICANT_GROUPS,
    FLOOR,
    RATE_FEATURES,
    RATE_GROUPS,
    GroupModel,
    RateModel,
    rate_design,
    to_logit,
)

__all__ = [
    "FLOOR",
    "FOLDS",
    "PAIRS",
    "RateFit",
    "RateRows",
    "fit_group",
    "fit_groups",
    "fit_rates",
    "folds_of",
    "rate_rows",
    "select_features",
]

FOLDS = 5
MIN_RELIABILITY_N = 40
#: Group whose residuals give each group's reliability (see the module docstring).
PAIRS: dict[str, str] = {
    "us_img": "non_us_img",
    "non_us_img": "us_img",
    "us_md": "us_do",
    "us_do": "us_md",
}
_RIDGE = 1e-3
SOURCE = "AAMC Residency Explorer, 2024 Match, via datadoc1/signal-analysis"


@dataclass(frozen=True, eq=False)
class RateRows:
    """One row per Residency Explorer program linked to the catalog."""

    specialty: ObjArray  # (n,) NRMP specialty code
    row: IntArray  # (n,) Residency Explorer row id
    name: ObjArray  # (n,) program name (for reports)
    x: FloatArray  # (n, groups, len(RATE_FEATURES)): each group's design (APPLICANT_GROUPS order)
    share_published: FloatArray  # (n,) published IMG share (nan: none), for the baseline
    rates: dict[str, FloatArray]  # group -> (n,) published rate (nan: none)

    def __len__(self) -> int:
        return len(self.specialty)


def rate_rows(frames: Mapping[str, ProgramFrame], params: ModelParams) -> RateRows:
    """One row per linked Residency Explorer program (its categorical track first)."""
    spec, rows, names, xs, shares = [], [], [], [], []
    rates: dict[str, list[float]] = {g: [] for g in APPLICANT_GROUPS}
    for code in sorted(frames):
        frame = frames[code]
        if not len(frame):
            continue
        mu, _, _ = estimate_share_logit(frame, params)
        xs_g = {g: rate_design(frame, mu, g) for g in APPLICANT_GROUPS}
        order = np.lexsort((frame.program_code.astype(str), frame.track != "C"))
        seen: set[int] = set()
        for i in order.tolist():
            r = int(frame.explorer_row[i])
            if r < 0 or r in seen:
                continue
            seen.add(r)
            spec.append(str(frame.specialty_code[i]))
            rows.append(r)
            names.append(str(frame.name[i]))
            xs.append(np.stack([xs_g[g][i] for g in APPLICANT_GROUPS]))
            share = frame.img_share[i] if frame.img_share_source[i] == "published" else np.nan
            shares.append(float(share))
            for g, col in APPLICANT_GROUPS.items():
                rates[g].append(float(getattr(frame, col)[i]))
    return RateRows(
        specialty=np.array(spec, dtype=object),
        row=np.array(rows, dtype=np.int64),
        name=np.array(names, dtype=object),
        x=np.array(xs, dtype=np.float64).reshape(len(rows), len(APPLICANT_GROUPS), -1),
        share_published=np.array(shares, dtype=np.float64),
        rates={g: np.array(v, dtype=np.float64) for g, v in rates.items()},
    )


def design_of(rows: RateRows, group: str) -> FloatArray:
    """The rows' design matrix for one group."""
    return np.asarray(rows.x[:, list(APPLICANT_GROUPS).index(group), :])


def folds_of(rows: IntArray, k: int = FOLDS, seed: int = 0) -> IntArray:
    """Fold (0..k-1) of every row id: a seeded permutation, stable for a given file."""
    perm = np.random.default_rng(seed).permutation(int(rows.max(initial=0)) + 1)
    return np.asarray(perm[rows] % k, dtype=np.int64)


def _design(
    rows_x: FloatArray, spec: ObjArray, features: tuple[str, ...], codes: list[str]
) -> FloatArray:
    cols = [RATE_FEATURES.index(f) for f in features]
    dummies = (spec[:, None] == np.array(codes, dtype=object)[None, :]).astype(np.float64)
    return np.column_stack([dummies, rows_x[:, cols]])


@dataclass(frozen=True)
class _Ols:
    codes: list[str]
    features: tuple[str, ...]
    beta: FloatArray
    cov: FloatArray
    sigma2: float

    def predict(self, x: FloatArray, spec: ObjArray, pooled: float) -> FloatArray:
        cols = [RATE_FEATURES.index(f) for f in self.features]
        k = len(self.codes)
        inter = np.array(
            [self.beta[self.codes.index(s)] if s in self.codes else pooled for s in spec.tolist()]
        )
        return np.asarray(inter + x[:, cols] @ self.beta[k:])

    @property
    def pooled(self) -> float:
        return float(np.mean(self.beta[: len(self.codes)]))


def _ols(x: FloatArray, spec: ObjArray, y: FloatArray, features: tuple[str, ...]) -> _Ols:
    codes = sorted(set(spec.tolist()))
    a = _design(x, spec, features, codes)
    pen = np.r_[np.zeros(len(codes)), np.full(len(features), _RIDGE * len(y))]
    # features are centred by the intercepts; a tiny ridge keeps rare dummies finite
    gram = a.T @ a + np.diag(pen)
    beta = np.linalg.solve(gram, a.T @ y)
    resid = y - a @ beta
    dof = max(len(y) - a.shape[1], 1)
    sigma2 = float(resid @ resid / dof)
    cov = sigma2 * np.linalg.inv(gram)
    return _Ols(codes, features, beta, cov, sigma2)


def _cv_predictions(
    x: FloatArray, spec: ObjArray, y: FloatArray, folds: IntArray, features: tuple[str, ...]
) -> FloatArray:
    out = np.empty(len(y))
    for k in np.unique(folds).tolist():
        test = folds == k
        fit = _ols(x[~test], spec[~test], y[~test], features)
        out[test] = fit.predict(x[test], spec[test], fit.pooled)
    return out


def select_features(
    x: FloatArray, spec: ObjArray, y: FloatArray, folds: IntArray
) -> tuple[tuple[str, ...], list[dict[str, float | str]]]:
    """Forward selection of feature groups on cross-validated squared error."""
    chosen: list[str] = []
    path: list[dict[str, float | str]] = []
    best = float(np.mean((y - _cv_predictions(x, spec, y, folds, ())) ** 2))
    path.append({"step": "intercepts only", "cv_mse": best})
    while True:
        trials = {}
        for group in RATE_GROUPS:
            if group in chosen:
                continue
            feats = tuple(f for gname in (*chosen, group) for f in RATE_GROUPS[gname])
            trials[group] = float(np.mean((y - _cv_predictions(x, spec, y, folds, feats)) ** 2))
        if not trials:
            break
        group = min(trials, key=lambda gname: (trials[gname], gname))
        if trials[group] >= best - 1e-9:
            break
        best = trials[group]
        chosen.append(group)
        path.append({"step": f"+ {group}", "cv_mse": best})
    return tuple(f for gname in chosen for f in RATE_GROUPS[gname]), path


def _reliability(
    spec: ObjArray, e: FloatArray, e_pair: FloatArray
) -> tuple[dict[str, float], float, float]:
    """(per-specialty w, pooled w, pooled var(d)) from paired residuals (nan: no pair)."""
    both = np.isfinite(e) & np.isfinite(e_pair)

    def w_of(sel: np.ndarray) -> tuple[float, float]:
        a, b = e[sel], e_pair[sel]
        cov = float(np.mean((a - a.mean()) * (b - b.mean())))
        var = float(np.var(a))
        return float(np.clip(cov / var, 0.05, 0.95)) if var > 0 else 0.05, max(cov, 0.0)

    pooled_w, pooled_cov = w_of(both) if both.sum() >= 3 else (0.05, 0.0)
    per: dict[str, float] = {}
    for s in sorted(set(spec.tolist())):
        sel = both & (spec == s)
        if sel.sum() >= MIN_RELIABILITY_N:
            per[s] = w_of(sel)[0]
    return per, pooled_w, pooled_cov


@dataclass(frozen=True)
class GroupFit:
    """One group's fitted model with its selection path and held-out residuals."""

    model: GroupModel
    path: list[dict[str, float | str]]
    cv_pred: FloatArray  # (n,) held-out predictions (nan where no rate)


@dataclass(frozen=True, eq=False)
class _Selected:
    """One group's feature selection, full fit and held-out residuals."""

    features: tuple[str, ...]
    path: list[dict[str, float | str]]
    fit: _Ols
    cv: FloatArray  # (n,) held-out predictions (nan where no rate)
    residual: FloatArray  # (n,) logit(published) - held-out prediction (nan where no rate)
    n: int


def _select(rows: RateRows, group: str, seed: int) -> _Selected:
    r = rows.rates[group]
    has = np.isfinite(r)
    x, spec, y = design_of(rows, group)[has], rows.specialty[has], to_logit(r[has])
    folds = folds_of(rows.row[has], seed=seed)
    features, path = select_features(x, spec, y, folds)
    cv = np.full(len(rows), np.nan)
    cv[has] = _cv_predictions(x, spec, y, folds, features)
    residual = np.where(has, to_logit(np.nan_to_num(r, nan=0.5)) - cv, np.nan)
    return _Selected(features, path, _ols(x, spec, y, features), cv, residual, int(has.sum()))


def _group_model(sel: _Selected, pair: _Selected, specialty: ObjArray) -> GroupModel:
    per, pooled_w, var_d = _reliability(specialty, sel.residual, pair.residual)
    fit = sel.fit
    k = len(fit.codes)
    se = np.sqrt(np.diag(fit.cov))
    return GroupModel(
        features_=sel.features,
        coef_=tuple(float(v) for v in fit.beta[k:]),
        intercept_={c: float(fit.beta[i]) for i, c in enumerate(fit.codes)},
        intercept_pooled_=fit.pooled,
        cov_=tuple(tuple(float(v) for v in row) for row in fit.cov[k:, k:]),
        intercept_se_={
            **{c: float(se[i]) for i, c in enumerate(fit.codes)},
            "pooled": float(np.sqrt(np.var(fit.beta[:k]) + np.mean(se[:k] ** 2))),
        },
        program_sd_=float(np.sqrt(var_d)),
        reliability_=per,
        reliability_pooled_=pooled_w,
        floor=FLOOR,
        n_programs=sel.n,
    )


def fit_groups(
    rows: RateRows,
    groups: tuple[str, ...] = tuple(APPLICANT_GROUPS),
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, GroupFit]:
    """Fit the groups' rate models; each group (and its reliability pair) is selected once."""
    selected: dict[str, _Selected] = {}
    for g in dict.fromkeys([*groups, *(PAIRS[g] for g in groups)]):
        if progress:
            progress(f"rate model: {g}")
        selected[g] = _select(rows, g, seed)
    return {
        g: GroupFit(
            _group_model(selected[g], selected[PAIRS[g]], rows.specialty),
            selected[g].path,
            selected[g].cv,
        )
        for g in groups
    }


def fit_group(rows: RateRows, group: str, seed: int = 0) -> GroupFit:
    """Fit one group's rate model (selection, coefficients, reliability)."""
    return fit_groups(rows, (group,), seed)[group]


@dataclass(frozen=True)
class RateFit:
    """The fitted rate model with each group's selection path and held-out predictions."""

    model: RateModel
    groups: dict[str, GroupFit]
    rows: RateRows


def fit_rates(
    frames: Mapping[str, ProgramFrame],
    params: ModelParams,
    *,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> RateFit:
    """Fit every applicant group's rate model on the catalog's linked programs."""
    rows = rate_rows(frames, params)
    fits = fit_groups(rows, seed=seed, progress=progress)
    notes = (
        "One row per Residency Explorer program; logit of the published rate, 0 and 1 read as "
        f"{FLOOR} from the bound.",
        "Feature groups kept by forward selection on 5-fold held-out squared error.",
        "Reliability of a published rate: parallel-forms (US IMG with non-US IMG, US MD with "
        "US DO residuals); a lower bound where groups' program effects differ.",
    )
    model = RateModel({g: f.model for g, f in fits.items()}, SOURCE, "", notes)
    return RateFit(model, fits, rows)
