"""Fitted model parameters: the packaged ``params.json``, loaded once and versioned.

Names ending in ``_`` are fitted by :func:`smartpick.calibrate.calibration.fit`; the others are
inputs of the fit (published figures, units, or priors derived by a documented rule, see
:mod:`smartpick.model.priors`). ``draws`` holds ``n_draws`` parameter draws for uncertainty.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from smartpick.errors import ModelError
from smartpick.frame import FloatArray, ProgramFrame

__all__ = [
    "MODEL_VERSION",
    "PARAMS_FILE",
    "ModelParams",
    "Prior",
    "frames_digest",
    "load_params",
]

PARAMS_FILE = "params.json"
MODEL_SERIES = "2026.1"


@dataclass(frozen=True)
class Prior:
    """An effect with no published figure to fit it to: derived by a rule from the nearest one."""

    value: float  # log-odds contribution of the factor at full strength
    sd: float  # uncertainty (log-odds)
    source: str  # "fact key: description (source, year)"
    rule: str  # how value and sd follow from the source


@dataclass(frozen=True, eq=False)
class ModelParams:
    """Everything the interview model and the outcome curves need."""

    version: str
    seed: int
    n_draws: int
    score_unit: float  # Step 2 points per unit of the score slope
    share_coef_: dict[str, float]  # IMG-share regression (logit scale), "intercept" included
    share_sd_: float  # its cross-validated residual sd (logit scale)
    share_sd_within_: float  # sd of IM shares within one institution (logit scale)
    specialty_share: dict[str, float]  # cohort -> IMG share of filled positions 2025
    program_coef_: dict[str, float]  # interview model program features (log-odds)
    alpha_: dict[str, float]  # cohort -> intercept
    alpha_pooled_: float
    score_center: dict[str, float]  # cohort -> mean Step 2 CK of its non-US IMG applicants
    score_center_pooled: float
    score_matched: dict[str, float]  # cohort -> mean Step 2 CK of its matched non-US IMGs (CO)
    beta_score_: float  # pooled slope: log-odds per score_unit points (cohorts without own)
    beta_score_cohort_: dict[str, float]  # cohort -> its partially pooled slope (>= 0)
    tau_: float  # sd of unobserved applicant strength (log-odds)
    type_offset_: dict[str, float]  # applicant type -> log-odds vs non-US IMG (pooled)
    type_offset_cohort_: dict[str, dict[str, float]]  # type -> cohort -> own offset
    type_score_shift: dict[str, float]  # applicant type -> Step 2 shift used in the simulation
    priors: dict[str, Prior]
    reference: dict[str, float]  # the reference applicant the intercepts refer to
    applications: dict[str, float]  # cohort -> applications per applicant in the simulation
    ranks: dict[str, dict[str, Any]]  # cohort -> {"pi", "matched", "unmatched", "source"}
    ranks_pooled: dict[str, Any]
    draws: dict[str, FloatArray] = field(default_factory=dict)  # name -> (n_draws, ...)
    #: digest of the program facts the fit saw (:func:`frames_digest`): a changed catalog or
    #: crosswalk makes it stale (a test compares it with the shipped catalog)
    fitted_on: str = ""

    # -- serialisation -------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dictionary (floats rounded to 6 significant digits)."""
        data = asdict(self)
        data["draws"] = {k: _round(np.asarray(v).tolist()) for k, v in self.draws.items()}
        return _round(data)  # type: ignore[no-any-return]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelParams:
        """Inverse of :meth:`to_json`."""
        try:
            kwargs = dict(data)
            kwargs["priors"] = {k: Prior(**v) for k, v in data["priors"].items()}
            kwargs["draws"] = {k: np.asarray(v, dtype=np.float64) for k, v in data["draws"].items()}
            return cls(**kwargs)
        except (KeyError, TypeError) as exc:
            raise ModelError(f"model parameters are incomplete or malformed: {exc}") from None

    @property
    def digest(self) -> str:
        """Short hash of the parameters (part of the model version)."""
        text = json.dumps(self.to_json(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:10]

    def draw(self, name: str) -> FloatArray:
        """Draws of one parameter block, shape (n_draws, ...)."""
        try:
            return self.draws[name]
        except KeyError:
            raise ModelError(f"model parameters have no draws of '{name}'") from None


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        return float(f"{obj:.6g}")
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_round(v) for v in obj]
    return obj


@cache
def load_params() -> ModelParams:
    """The packaged, calibrated parameters (``smartpick/model/params.json``)."""
    try:
        text = resources.files("smartpick.model").joinpath(PARAMS_FILE).read_text("utf-8")
    except FileNotFoundError:
        raise ModelError(
            "model parameters not found (run `smartpick calibrate` to create them)"
        ) from None
    return ModelParams.from_json(json.loads(text))


def _version() -> str:
    try:
        return f"{MODEL_SERIES}+{load_params().digest}"
    except ModelError:
        return f"{MODEL_SERIES}+uncalibrated"


#: Model version shown with every plan: series + hash of the packaged parameters.
MODEL_VERSION: str = _version()


#: The program facts the fit depends on.
_FIT_COLUMNS: tuple[str, ...] = (
    "program_code",
    "track",
    "state",
    "positions",
    "filled",
    "setting",
    "img_share",
    "inst_im_img_share",
    "inst_setting",
    "visa_j1",
    "visa_h1b",
    "explorer_row",
    "ir_us_md",
    "ir_us_do",
    "ir_us_img",
    "ir_non_us_img",
    "inst_ir_us_md",
    "inst_ir_us_do",
    "inst_ir_us_img",
    "inst_ir_non_us_img",
)


def frames_digest(frames: Mapping[str, ProgramFrame]) -> str:
    """Short hash of the program facts a calibration is fitted on (order-independent keys)."""
    h = hashlib.sha256()
    for code in sorted(frames):
        frame = frames[code]
        h.update(code.encode())
        for col in _FIT_COLUMNS:
            values = getattr(frame, col)
            h.update(col.encode())
            h.update(json.dumps([_json_value(v) for v in values.tolist()]).encode())
    return h.hexdigest()[:16]


def _json_value(v: Any) -> Any:
    if isinstance(v, float):
        return None if v != v else round(v, 6)
    return v
