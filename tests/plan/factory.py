"""Build program frames, interview-probability vectors and M curves from code (no data files)."""

from __future__ import annotations

from typing import Any

import numpy as np

from smartpick.frame import RATE_FIELDS as IR_FIELDS
from smartpick.frame import FloatArray, ProgramFrame
from smartpick.geo import division_of, region_of


def make_frame(n: int, **overrides: Any) -> ProgramFrame:
    """An n-program Internal Medicine frame with every fact unknown unless overridden."""
    states = overrides.pop("state", ["OH"] * n)
    codes = [f"{1000 + i:04d}140C0" for i in range(n)]
    cols: dict[str, Any] = {
        "program_code": codes,
        "inst_code": [c[:4] for c in codes],
        "acgme_id": [None] * n,
        "name": [f"Program {i}" for i in range(n)],
        "institution": [f"Hospital {i}" for i in range(n)],
        "institution_verified": [True] * n,
        "city": [None] * n,
        "state": list(states),
        "region": [region_of(s) for s in states],
        "division": [division_of(s) for s in states],
        "specialty_code": ["140"] * n,
        "specialty": ["Internal Medicine"] * n,
        "track": ["C"] * n,
        "positions": [10] * n,
        "filled": [10] * n,
        "setting": [None] * n,
        "img_share": [np.nan] * n,
        "img_share_source": [None] * n,
        "pct_do": [np.nan] * n,
        "interviews_last_year": [np.nan] * n,
        "visa_j1": [-1] * n,
        "visa_h1b": [-1] * n,
        "accepting": [-1] * n,
        "step2_min": [np.nan] * n,
        "yog_limit_years": [np.nan] * n,
        "inst_im_img_share": [np.nan] * n,
        "inst_setting": [None] * n,
        "explorer_row": [-1] * n,
        **{k: [np.nan] * n for k in IR_FIELDS},
        "sources": [("nrmp_programs_2026.csv (2026)",)] * n,
    }
    cols.update(overrides)
    dtypes = {
        "explorer_row": np.int64,
        "positions": np.int64,
        "filled": np.int64,
        "institution_verified": np.bool_,
        "visa_j1": np.int8,
        "visa_h1b": np.int8,
        "accepting": np.int8,
    }
    floats = {
        "img_share",
        "pct_do",
        "interviews_last_year",
        "step2_min",
        "yog_limit_years",
        "inst_im_img_share",
        *IR_FIELDS,
    }
    arrays: dict[str, Any] = {}
    for key, values in cols.items():
        if key in dtypes:
            arrays[key] = np.asarray(values, dtype=dtypes[key])
        elif key in floats:
            arrays[key] = np.asarray(values, dtype=np.float64)
        else:
            arr = np.empty(n, dtype=object)
            arr[:] = list(values)
            arrays[key] = arr
    return ProgramFrame(**arrays)


def saturating_m(kmax: int = 20, rate: float = 0.3) -> FloatArray:
    """A monotone M(k) = 1 − exp(−rate·k), M(0) = 0 (a stand-in for the model's curve)."""
    k = np.arange(kmax + 1, dtype=np.float64)
    return np.asarray(1.0 - np.exp(-rate * k), dtype=np.float64)


def s_shaped_m(kmax: int = 30, mid: float = 8.0, scale: float = 1.5) -> FloatArray:
    """A monotone, S-shaped M(k) (little gain from the first interviews), M(0) = 0."""
    k = np.arange(kmax + 1, dtype=np.float64)
    m = 1.0 / (1.0 + np.exp(-(k - mid) / scale))
    return np.asarray((m - m[0]) / (1.0 - m[0]), dtype=np.float64)
