"""Rows of ``program_view`` → JSON-ready records and :class:`~smartpick.frame.ProgramFrame`."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import numpy as np

from smartpick.frame import TRACKS, ProgramFrame
from smartpick.resources import DATA_FILES
from smartpick.specialties import by_code

__all__ = [
    "EXPLORER_FILE",
    "EXPLORER_SOURCE",
    "EXPLORER_YEAR",
    "FREIDA_FILE",
    "IR_FIELDS",
    "NRMP_FILE",
    "citation",
    "frame_from_rows",
    "record",
]

NRMP_FILE = "nrmp_programs_2026.csv"
FREIDA_FILE = "freida_im_programs_2025.csv"
EXPLORER_FILE = "residency_explorer_interview_rates_2024.csv"
#: How records and pages name the interview rates' source.
EXPLORER_SOURCE = "AAMC Residency Explorer, 2024 Match"
EXPLORER_YEAR = 2024
#: Interview-rate columns of ``program_view`` → record keys.
IR_FIELDS: dict[str, str] = {
    "ir_us_md": "interview_rate_us_md",
    "ir_us_do": "interview_rate_us_do",
    "ir_us_img": "interview_rate_us_img",
    "ir_non_us_img": "interview_rate_non_us_img",
    "ir_signal": "interview_rate_signal",
    "ir_gold_signal": "interview_rate_gold_signal",
    "ir_silver_signal": "interview_rate_silver_signal",
    "ir_no_signal": "interview_rate_no_signal",
}


def citation(file: str) -> str:
    """``file (publisher, year)`` for a bundled file."""
    publisher, year = DATA_FILES[file]
    return f"{file} ({publisher}, {year})"


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _sources(row: sqlite3.Row) -> list[str]:
    out = [citation(NRMP_FILE)]
    if row["acgme_id"] is not None:
        out.append(citation(FREIDA_FILE))
    if row["explorer_row"] is not None:
        out.append(citation(EXPLORER_FILE))
    if row["user_sources"]:
        out.extend(s for s in str(row["user_sources"]).split("\x1f") if s)
    return out


def record(row: sqlite3.Row) -> dict[str, Any]:
    """One JSON-ready program record (unknown = None)."""
    code = row["specialty_code"]
    return {
        "program_code": row["program_code"],
        "acgme_id": row["acgme_id"],
        "name": row["name"],
        "name_as_listed": row["name_as_listed"],
        "institution": row["institution"],
        "institution_verified": bool(row["institution_verified"]),
        "institution_as_listed": row["institution_as_listed"],
        "inst_code": row["inst_code"],
        "city": row["city"],
        "state": row["state"],
        "listed_state": row["listed_state"],
        "region": row["region"],
        "division": row["division"],
        "specialty": by_code(code).name,
        "specialty_code": code,
        "track": TRACKS[row["track"]],
        "track_code": row["track"],
        "positions": row["positions"],
        "filled_2026": row["filled"],
        "fill_rate": _round(row["fill_rate"]),
        "setting": row["setting"],
        "img_share": _round(row["img_share"]),
        "img_share_source": row["img_share_source"],
        "pct_do": _round(row["pct_do"]),
        "pct_usmd": _round(row["pct_usmd"]),
        "first_year_positions": row["first_year_positions"],
        "interviews_last_year": row["interviews_last_year"],
        "visa_j1": _flag(row["visa_j1"]),
        "visa_h1b": _flag(row["visa_h1b"]),
        "visa_f1": _flag(row["visa_f1"]),
        "accepting": _flag(row["accepting"]),
        "eras": _flag(row["eras"]),
        "step2_min": row["step2_min"],
        "yog_limit_years": row["yog_limit_years"],
        "notes": row["notes"],
        "link_confidence": row["link_confidence"],
        "freida_data_as_of": row["data_as_of"],
        **_interview_rates(row),
        "sources": _sources(row),
    }


def _interview_rates(row: sqlite3.Row) -> dict[str, Any]:
    """The program's published interview-offer rates (AAMC Residency Explorer), 0-1 or None."""
    linked = row["explorer_row"] is not None
    out: dict[str, Any] = {}
    for col, key in IR_FIELDS.items():
        out[key] = _round(row[col])  # signal rates only where the specialty used signals
    out["interview_rates_source"] = EXPLORER_SOURCE if linked else None
    out["interview_rates_year"] = EXPLORER_YEAR if linked else None
    out["explorer_link_confidence"] = _round(row["explorer_confidence"])
    out["explorer_program"] = (
        ", ".join(str(x) for x in (row["explorer_program_name"], row["explorer_city"]) if x)
        + f" {row['explorer_state']}"
        if linked
        else None
    )
    return out


def _floats(rows: Sequence[sqlite3.Row], key: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.array([np.nan if r[key] is None else float(r[key]) for r in rows], dtype=np.float64)


def _flags(rows: Sequence[sqlite3.Row], key: str) -> np.ndarray[Any, np.dtype[np.int8]]:
    return np.array([-1 if r[key] is None else int(bool(r[key])) for r in rows], dtype=np.int8)


def _objects(values: Sequence[Any]) -> np.ndarray[Any, np.dtype[np.object_]]:
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


#: The institution-level rates of each group (catalog/explorer_inst.py), frame-only.
INST_FIELDS = ("inst_ir_us_md", "inst_ir_us_do", "inst_ir_us_img", "inst_ir_non_us_img")


def frame_from_rows(rows: Sequence[sqlite3.Row]) -> ProgramFrame:
    """Parallel arrays for the pure core (unknown: nan / -1 / None)."""

    def obj(key: str) -> np.ndarray[Any, np.dtype[np.object_]]:
        return _objects([r[key] for r in rows])

    return ProgramFrame(
        program_code=obj("program_code"),
        inst_code=obj("inst_code"),
        acgme_id=obj("acgme_id"),
        name=obj("name"),
        institution=obj("institution"),
        institution_verified=np.array([bool(r["institution_verified"]) for r in rows], dtype=bool),
        city=obj("city"),
        state=obj("state"),
        region=obj("region"),
        division=obj("division"),
        specialty_code=obj("specialty_code"),
        specialty=_objects([by_code(r["specialty_code"]).name for r in rows]),
        track=obj("track"),
        positions=np.array([r["positions"] for r in rows], dtype=np.int64),
        filled=np.array([r["filled"] for r in rows], dtype=np.int64),
        setting=obj("setting"),
        img_share=_floats(rows, "img_share"),
        img_share_source=obj("img_share_source"),
        pct_do=_floats(rows, "pct_do"),
        interviews_last_year=_floats(rows, "interviews_last_year"),
        visa_j1=_flags(rows, "visa_j1"),
        visa_h1b=_flags(rows, "visa_h1b"),
        accepting=_flags(rows, "accepting"),
        step2_min=_floats(rows, "step2_min"),
        yog_limit_years=_floats(rows, "yog_limit_years"),
        inst_im_img_share=_floats(rows, "inst_im_img_share"),
        inst_setting=obj("inst_setting"),
        explorer_row=np.array(
            [-1 if r["explorer_row"] is None else int(r["explorer_row"]) for r in rows],
            dtype=np.int64,
        ),
        **{col: _floats(rows, col) for col in IR_FIELDS},
        **{col: _floats(rows, col) for col in INST_FIELDS},
        sources=_objects([tuple(_sources(r)) for r in rows]),
    )
