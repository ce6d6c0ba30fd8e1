"""Program features shared by the IMG-share estimator and the interview model (vectorised)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartpick.frame import FloatArray, ObjArray, ProgramFrame

__all__ = [
    "PROGRAM_FEATURES",
    "SHARE_FEATURES",
    "effective_setting",
    "expit",
    "expit_inplace",
    "is_none",
    "logit",
    "program_design",
]

#: Share bounds before taking logits (a published 0 % or 100 % would give infinite odds).
SHARE_CLIP = (0.01, 0.99)

_SETTINGS = ("university", "affiliated", "military", "other", "unknown")  # reference: community
_REGIONS = ("Northeast", "South", "West", "none")  # reference: Midwest

#: Features of the IMG-share regression (all but the IMG share itself).
SHARE_FEATURES: tuple[str, ...] = (
    *(f"setting_{s}" for s in _SETTINGS),
    *(f"region_{r}" for r in _REGIONS),
    "log_positions",
    "unfilled_2026",
)
#: Program features of the interview model.
PROGRAM_FEATURES: tuple[str, ...] = ("img_share_logit", *SHARE_FEATURES)


def is_none(arr: ObjArray) -> npt.NDArray[np.bool_]:
    """Element-wise ``is None`` of an object array."""
    return np.array([v is None for v in arr.tolist()], dtype=bool).reshape(arr.shape)


def logit(p: FloatArray) -> FloatArray:
    """log(p / (1 - p)) after clipping p into SHARE_CLIP."""
    q = np.clip(p, *SHARE_CLIP)
    return np.asarray(np.log(q / (1.0 - q)))


def expit(x: npt.ArrayLike) -> FloatArray:
    """The logistic function (exact at ±inf): ``0.5 (1 + tanh(x / 2))``, never outside [0, 1]
    (nan stays nan)."""
    return expit_inplace(np.array(x, dtype=np.float64))


def expit_inplace(x: FloatArray) -> FloatArray:
    """:func:`expit` computed in the float64 buffer ``x`` itself (overwritten and returned)."""
    x *= 0.5
    np.tanh(x, out=x)
    x += 1.0
    x *= 0.5
    return x


def effective_setting(frame: ProgramFrame) -> ObjArray:
    """The program's own setting, else its institution's IM setting, else None."""
    own = frame.setting
    return np.where(is_none(own), frame.inst_setting, own)


def program_design(frame: ProgramFrame, share_logit: FloatArray | None = None) -> FloatArray:
    """Feature matrix (n, m): PROGRAM_FEATURES if ``share_logit`` is given, else SHARE_FEATURES."""
    n = len(frame)
    setting = effective_setting(frame)
    cols: list[FloatArray] = []
    if share_logit is not None:
        cols.append(np.asarray(share_logit, dtype=np.float64))
    for s in _SETTINGS:
        if s == "unknown":
            cols.append(is_none(setting).astype(np.float64))
        else:
            cols.append((setting == s).astype(np.float64))
    region = frame.region
    for r in _REGIONS:
        if r == "none":
            cols.append(is_none(region).astype(np.float64))
        else:
            cols.append((region == r).astype(np.float64))
    positions = np.maximum(frame.positions.astype(np.float64), 1.0)
    cols.append(np.log(positions))
    unfilled = np.clip((positions - frame.filled) / positions, 0.0, 1.0)
    cols.append(np.where(frame.positions > 0, unfilled, 0.0))
    out = np.column_stack(cols) if cols else np.zeros((n, 0))
    return np.asarray(out, dtype=np.float64)
