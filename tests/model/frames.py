"""Program frames built from the bundled CSVs in code (no catalog needed).

Internal Medicine: one row per FREIDA program (its facts, positions = first-year positions, all
filled); other specialties: one row per NRMP 2026 program with no FREIDA facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np

from smartpick import geo
from smartpick.frame import RATE_FIELDS as IR_FIELDS
from smartpick.frame import ProgramFrame
from smartpick.resources import read_csv
from smartpick.specialties import by_code


def _f(v: str | None) -> float:
    return float(v) if v is not None else float("nan")


def _flag(v: str | None) -> int:
    return -1 if v is None else int(v)


def _frame(rows: list[dict[str, Any]]) -> ProgramFrame:
    cols: dict[str, Any] = {}
    kinds = {
        "positions": np.int64,
        "filled": np.int64,
        "img_share": np.float64,
        "pct_do": np.float64,
        "interviews_last_year": np.float64,
        "step2_min": np.float64,
        "yog_limit_years": np.float64,
        "inst_im_img_share": np.float64,
        "explorer_row": np.int64,
        **{k: np.float64 for k in IR_FIELDS},
        "visa_j1": np.int8,
        "visa_h1b": np.int8,
        "accepting": np.int8,
        "institution_verified": np.bool_,
    }
    for name in ProgramFrame.__dataclass_fields__:
        vals = [r[name] for r in rows]
        kind = kinds.get(name)
        if kind is None:
            arr = np.empty(len(vals), dtype=object)
            arr[:] = vals
            cols[name] = arr
        else:
            cols[name] = np.array(vals, dtype=kind)
    return ProgramFrame(**cols)


def _base(code: str, spec: str, state: str | None) -> dict[str, Any]:
    return {
        "program_code": code,
        "inst_code": code[:4],
        "acgme_id": None,
        "name": spec,
        "institution": "unknown",
        "institution_verified": False,
        "city": None,
        "state": state,
        "region": geo.region_of(state),
        "division": geo.division_of(state),
        "specialty_code": code[4:7],
        "specialty": spec,
        "track": code[7],
        "positions": 0,
        "filled": 0,
        "setting": None,
        "img_share": float("nan"),
        "img_share_source": None,
        "pct_do": float("nan"),
        "interviews_last_year": float("nan"),
        "visa_j1": -1,
        "visa_h1b": -1,
        "accepting": -1,
        "step2_min": float("nan"),
        "yog_limit_years": float("nan"),
        "inst_im_img_share": float("nan"),
        "inst_setting": None,
        "explorer_row": -1,
        **{k: float("nan") for k in IR_FIELDS},
        "sources": ("nrmp_programs_2026.csv (2026)",),
    }


@cache
def im_frame() -> ProgramFrame:
    """Internal Medicine categorical programs from FREIDA (one row per program)."""
    rows = []
    for i, r in enumerate(read_csv("freida_im_programs_2025.csv")):
        code = f"F{i:03d}140C0"
        row = _base(code, "Internal Medicine", r["state"])
        share = _f(r["pct_img"]) / 100
        pos = int(_f(r["first_year_positions"])) if r["first_year_positions"] else 0
        row |= {
            "acgme_id": r["acgme_id"],
            "name": r["program_name"],
            "city": r["city"],
            "positions": pos,
            "filled": pos,
            "setting": r["setting"],
            "img_share": share,
            "img_share_source": "published" if np.isfinite(share) else None,
            "pct_do": _f(r["pct_do"]) / 100,
            "interviews_last_year": _f(r["interviews_last_year"]),
            "visa_j1": _flag(r["visa_j1"]),
            "visa_h1b": _flag(r["visa_h1b"]),
            "accepting": _flag(r["accepting_2026_27"]),
            "yog_limit_years": _f(r["yog_limit_years"]),
            "inst_im_img_share": share,
            "inst_setting": r["setting"],
            "sources": ("freida_im_programs_2025.csv (2025)",),
        }
        rows.append(row)
    return _frame(rows)


@cache
def nrmp_frame(code: str, tracks: Iterable[str] = ("C",)) -> ProgramFrame:
    """Programs of one specialty code and tracks from the NRMP 2026 table (no FREIDA facts)."""
    spec = by_code(code).name
    rows = []
    for r in read_csv("nrmp_programs_2026.csv"):
        pc = r["program_code"] or ""
        if pc[4:7] == code and pc[7] in tuple(tracks):
            row = _base(pc, spec, r["state"])
            row |= {
                "name": r["program_name"],
                "positions": int(_f(r["quota_2026"]) if r["quota_2026"] else 0),
                "filled": int(_f(r["filled_2026"]) if r["filled_2026"] else 0),
            }
            rows.append(row)
    return _frame(rows)


def all_frames(codes: Iterable[str] | None = None) -> dict[str, ProgramFrame]:
    """IM from FREIDA plus the NRMP frames of the given specialty codes (default: all with CO)."""
    from smartpick.specialties import SPECIALTIES

    wanted = (
        list(codes)
        if codes is not None
        else [s.code for s in SPECIALTIES if s.charting_outcomes and s.code != "140"]
    )
    out = {"140": im_frame()}
    for c in wanted:
        if c != "140":
            out[c] = nrmp_frame(c, ("C", "A", "R", "M"))
    return out
