"""Each program's interview rate for an applicant group: published where it exists, else modelled.

The AAMC Residency Explorer (2024 Match) publishes, for many programs, the share of each
applicant group's applicants (US MD, US DO, US IMG, non-US IMG) that the program invited. That
rate is the program's interview probability for the *average applicant of that group who
applied there*. Two routes give it for every program of a frame:

- **published** (the program reported the group's rate): its logit, shrunk toward the program
  model's prediction by the group's reliability weight ``w`` (``calibrate/rates.py`` derives it;
  the file has no applicant counts, so a published 0 % from a handful of applicants must not be
  taken literally):  ``l = f + w (logit(r) - f)``, remaining sd ``sqrt((1 - w) s^2)``;
- **model** (no published rate): ``l = f``, sd ``s``; ``f`` is the program model (specialty
  intercept + the program features kept by cross-validation), ``s`` the sd of real programs
  around it.

The average applicant's rate is then ``E[expit(l)]`` (the logistic-normal mean, probit
approximation). Everything here depends on the frame and the applicant group only, never on a
profile, so it is computed once per frame and group (:func:`program_rates` caches it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from smartpick.errors import ModelError
from smartpick.frame import FloatArray, ObjArray, ProgramFrame
from smartpick.memo import frame_model_key, persisted

from .features import expit, program_design
from .img_share import estimate_share_logit
from .params import ModelParams

__all__ = [
    "APPLICANT_GROUPS",
    "FLOOR",
    "GROUP_LABELS",
    "RATE_FEATURES",
    "RATE_GROUPS",
    "GroupModel",
    "ProgramRates",
    "RateModel",
    "load_rate_model",
    "mean_rate",
    "program_rates",
    "published_rate",
    "rate_design",
    "to_logit",
]

RATES_FILE = "rates.json"
#: Applicant type -> the ProgramFrame column with its published interview rate.
APPLICANT_GROUPS: dict[str, str] = {
    "us_md": "ir_us_md",
    "us_do": "ir_us_do",
    "us_img": "ir_us_img",
    "non_us_img": "ir_non_us_img",
}
#: How each applicant group is named to users.
GROUP_LABELS: dict[str, str] = {
    "us_img": "US IMG",
    "non_us_img": "non-US IMG",
    "us_md": "US MD",
    "us_do": "US DO",
}
#: Every program feature the rate model may use (columns of :func:`rate_design`).
RATE_FEATURES: tuple[str, ...] = (
    "img_share_logit",
    "setting_university",
    "setting_affiliated",
    "setting_military",
    "setting_other",
    "setting_unknown",
    "region_Northeast",
    "region_South",
    "region_West",
    "region_none",
    "log_positions",
    "unfilled_2026",
    "sponsors_visa",
    "visa_unknown",
    "institution_rate",
    "institution_none",
)
#: Feature groups the cross-validated selection keeps or drops together.
RATE_GROUPS: dict[str, tuple[str, ...]] = {
    "img_share": ("img_share_logit",),
    "setting": tuple(f for f in RATE_FEATURES if f.startswith("setting_")),
    "region": tuple(f for f in RATE_FEATURES if f.startswith("region_")),
    "size": ("log_positions",),
    "unfilled": ("unfilled_2026",),
    "visa": ("sponsors_visa", "visa_unknown"),
    "institution": ("institution_rate", "institution_none"),
}
#: A published 0 / 1 is read as this far from the bound (the source rounds to 0.01).
FLOOR = 0.0025
_PI8 = np.pi / 8.0


def to_logit(r: FloatArray, floor: float = FLOOR) -> FloatArray:
    """Logit of published rates with 0 / 1 moved ``floor`` inside (nan stays nan)."""
    q = np.clip(r, floor, 1.0 - floor)
    return np.asarray(np.log(q) - np.log1p(-q))


def rate_design(frame: ProgramFrame, share_logit: FloatArray, group: str) -> FloatArray:
    """(n, len(RATE_FEATURES)) program features of the rate model for one applicant group.

    ``institution_rate`` is the logit of the mean published rate of the group at the
    institution's *other* Residency Explorer programs (0 with ``institution_none`` = 1 where
    there are none): IMG-friendly institutions invite IMGs across specialties.
    """
    base = program_design(frame, share_logit)  # PROGRAM_FEATURES order = RATE_FEATURES[:12]
    sponsors = ((frame.visa_j1 == 1) | (frame.visa_h1b == 1)).astype(np.float64)
    unknown = ((frame.visa_j1 == -1) & (frame.visa_h1b == -1)).astype(np.float64)
    inst = np.asarray(getattr(frame, "inst_" + APPLICANT_GROUPS[group]), dtype=np.float64)
    has = np.isfinite(inst)
    inst_logit = np.where(has, to_logit(np.nan_to_num(inst, nan=0.5)), 0.0)
    return np.column_stack([base, sponsors, unknown, inst_logit, (~has).astype(np.float64)])


def published_rate(frame: ProgramFrame, group: str) -> FloatArray:
    """The group's published interview rate per program (nan where none)."""
    return np.asarray(getattr(frame, APPLICANT_GROUPS[group]), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class GroupModel:
    """The fitted rate model of one applicant group (learned values end with ``_``)."""

    features_: tuple[str, ...]  # kept by cross-validation, a subset of RATE_FEATURES
    coef_: tuple[float, ...]
    intercept_: dict[str, float]  # specialty code -> intercept
    intercept_pooled_: float
    cov_: tuple[tuple[float, ...], ...]  # covariance of coef_ (for parameter draws)
    intercept_se_: dict[str, float]
    program_sd_: float  # sd of real programs' logit rates around the model
    reliability_: dict[str, float]  # specialty code -> weight of a published rate
    reliability_pooled_: float
    floor: float  # rate used for a published 0 (half the source's rounding unit)
    n_programs: int

    def intercepts(self, codes: ObjArray) -> FloatArray:
        """Intercept per program (pooled for specialties the file does not cover)."""
        return np.array(
            [self.intercept_.get(str(c), self.intercept_pooled_) for c in codes.tolist()],
            dtype=np.float64,
        )

    def reliability(self, codes: ObjArray) -> FloatArray:
        """Reliability weight per program's specialty."""
        return np.array(
            [self.reliability_.get(str(c), self.reliability_pooled_) for c in codes.tolist()],
            dtype=np.float64,
        )

    def predict(self, x: FloatArray, codes: ObjArray) -> FloatArray:
        """Model logit of the group's rate, f (n,), from the full design matrix ``x``."""
        cols = [RATE_FEATURES.index(f) for f in self.features_]
        return np.asarray(self.intercepts(codes) + x[:, cols] @ np.array(self.coef_))


@dataclass(frozen=True, eq=False)
class RateModel:
    """The rate models of every applicant group, with provenance."""

    groups: dict[str, GroupModel]
    source: str
    fitted_on: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dictionary (floats rounded to 6 significant digits)."""
        from .params import _round

        return {
            "source": self.source,
            "fitted_on": self.fitted_on,
            "notes": list(self.notes),
            "groups": {k: _round(g.__dict__) for k, g in sorted(self.groups.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RateModel:
        """Inverse of :meth:`to_json`."""
        try:
            groups = {}
            for k, g in data["groups"].items():
                kw = dict(g)
                kw["features_"] = tuple(kw["features_"])
                kw["coef_"] = tuple(kw["coef_"])
                kw["cov_"] = tuple(tuple(r) for r in kw["cov_"])
                groups[k] = GroupModel(**kw)
            return cls(groups, data["source"], data.get("fitted_on", ""), tuple(data["notes"]))
        except (KeyError, TypeError) as exc:
            raise ModelError(f"rate model is incomplete or malformed: {exc}") from None


@cache
def load_rate_model() -> RateModel:
    """The packaged rate model (``smartpick/model/rates.json``)."""
    try:
        text = resources.files("smartpick.model").joinpath(RATES_FILE).read_text("utf-8")
    except FileNotFoundError:
        raise ModelError("rate model not found (run `smartpick calibrate`)") from None
    return RateModel.from_json(json.loads(text))


@dataclass(frozen=True, eq=False)
class ProgramRates:
    """The average applicant's interview rate of one group at every program of a frame."""

    logit: FloatArray  # (n,) posterior mean of the program's logit rate
    sd: FloatArray  # (n,) its remaining sd
    rate: FloatArray  # (n,) E[expit(l)]: the average applicant's interview probability
    draws: FloatArray  # (d, n) the rate under parameter draws
    published: FloatArray  # (n,) the published rate (nan: none)
    predicted: FloatArray  # (n,) the program model's rate (E[expit(f)] with sd s)
    weight: FloatArray  # (n,) weight given to the published rate (0 where none)
    source: ObjArray  # "published" | "model"
    share_logit: FloatArray  # (n,) IMG share used as a feature (published or estimated)
    share_sd: FloatArray  # (n,) its sd (logit scale; 0 for published)
    share_source: ObjArray  # "published" | "user" | "estimated" | None
    #: (n, 1 + len(RATE_FEATURES)) log-odds of the published rate's pull and of each program
    #: feature against the frame's typical program (the reasons; profile-independent)
    terms: FloatArray


def mean_rate(logit: npt.ArrayLike, sd: npt.ArrayLike) -> FloatArray:
    """``E[expit(l)]`` for ``l ~ N(logit, sd^2)`` (probit approximation)."""
    lg = np.asarray(logit, dtype=np.float64)
    return np.asarray(expit(lg / np.sqrt(1.0 + _PI8 * np.asarray(sd, dtype=np.float64) ** 2)))


def _terms(
    x: FloatArray, f: FloatArray, logit: FloatArray, w: FloatArray, g: GroupModel
) -> FloatArray:
    """The reasons' log-odds: the published rate's pull, then each feature vs the median."""
    b = np.zeros(len(RATE_FEATURES))
    for name, c in zip(g.features_, g.coef_, strict=True):
        b[RATE_FEATURES.index(name)] = c
    ref = np.median(x, axis=0) if len(x) else np.zeros(len(RATE_FEATURES))
    # a published rate leaves the features less to say
    feats = (x - ref[None, :]) * b[None, :] * (1.0 - w)[:, None]
    pull = np.where(w > 0, logit - f, 0.0)
    return np.column_stack([pull, feats])


def program_rates(
    frame: ProgramFrame, group: str, params: ModelParams, model: RateModel | None = None
) -> ProgramRates:
    """The group's rates at every program of ``frame`` (cached per frame, group and model)."""
    return _program_rates(frame, group, params, model or load_rate_model())


@lru_cache(maxsize=256)
@persisted("program_rates", frame_model_key)
def _program_rates(
    frame: ProgramFrame, group: str, params: ModelParams, model: RateModel
) -> ProgramRates:
    if group not in model.groups:
        raise ModelError(f"no rate model for applicant type '{group}'")
    g = model.groups[group]
    mu_l, sd_l, share_src = estimate_share_logit(frame, params)
    x = rate_design(frame, mu_l, group)
    codes = frame.specialty_code
    f = g.predict(x, codes)
    s = g.program_sd_
    r = published_rate(frame, group)
    has = np.isfinite(r)
    w = np.where(has, g.reliability(codes), 0.0)
    y = to_logit(np.nan_to_num(r, nan=0.5), g.floor)
    logit = np.where(has, f + w * (y - f), f)
    sd = np.sqrt((1.0 - w) * s**2)
    rate = mean_rate(logit, sd)
    # parameter draws: coefficients and intercepts from their sampling distribution
    d = params.n_draws
    cols = [RATE_FEATURES.index(name) for name in g.features_]
    rng = np.random.default_rng([params.seed, sum(map(ord, group)), 8])
    if cols:
        b = rng.multivariate_normal(np.array(g.coef_), np.array(g.cov_), size=d, method="eigh")
        prog_d = b @ x[:, cols].T  # (d, n)
    else:
        prog_d = np.zeros((d, len(frame)))
    # each specialty's intercept drawn on its own (one normal per specialty and draw)
    uniq, inv = np.unique(codes.astype(str), return_inverse=True)
    pooled_se = g.intercept_se_.get("pooled", 0.0)
    se = np.array([g.intercept_se_.get(c, pooled_se) for c in uniq.tolist()])
    z = rng.standard_normal((d, len(uniq))) * se[None, :]
    f_d = g.intercepts(codes)[None, :] + prog_d + z[:, inv]
    logit_d = np.where(has[None, :], (1.0 - w)[None, :] * f_d + (w * y)[None, :], f_d)
    draws = mean_rate(logit_d, sd[None, :])
    return ProgramRates(
        logit=logit,
        sd=sd,
        rate=rate,
        draws=draws,
        published=r,
        predicted=mean_rate(f, s),
        weight=w,
        source=np.where(has, "published", "model").astype(object),
        share_logit=mu_l,
        share_sd=sd_l,
        share_source=share_src,
        terms=_terms(x, f, logit, w, g),
    )
