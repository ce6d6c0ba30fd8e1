"""Exports: the plan as CSV (one row per program, with facts, sources and tracking columns) and
JSON, and any list of catalog records as CSV. Shared by the CLI and the web app; the columns
are shared with the XLSX export (:mod:`.xlsx`) and read back by :mod:`smartpick.importing`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from smartpick.contract import PlanResult, ProgramOut, ScreenedOut
from smartpick.listfile import (
    LIST_COLUMN,
    LIST_LISTED,
    LIST_SCREENED,
    TRACKING_COLUMNS,
    TrackingEntry,
)

__all__ = [
    "CSV_COLUMNS",
    "PROGRAM_COLUMNS",
    "TRACKING_SPEC",
    "Column",
    "plan_csv",
    "plan_json",
    "program_cells",
    "records_csv",
    "screened_cells",
]

BOM = "\ufeff"  # so that Excel reads the file as UTF-8 ("±", "—", accents)


@dataclass(frozen=True)
class Column:
    """One column of the program list: its header, its kind (for spreadsheet number formats)
    and its width in characters."""

    name: str
    kind: Literal["text", "int", "percent", "date"] = "text"
    width: int = 12


def _pct(x: float | None, digits: int) -> float | int | None:
    if x is None:
        return None
    return round(100 * x, digits) if digits else round(100 * x)


#: The program columns of the CSV and of the XLSX's Programs sheet. Chances and shares are
#: percentages (the ``_percent`` columns): interview chances to 0.1, IMG shares to 1 point.
PROGRAM_COLUMNS: tuple[Column, ...] = (
    Column("rank", "int", 6),
    Column(LIST_COLUMN, width=12),
    Column("tier", width=8),
    Column("signal", width=8),
    Column("program_code", width=12),
    Column("acgme_id", width=12),
    Column("name", width=40),
    Column("institution", width=36),
    Column("institution_verified", width=10),
    Column("city", width=16),
    Column("state", width=6),
    Column("region", width=12),
    Column("specialty", width=22),
    Column("track", width=12),
    Column("positions", "int", 9),
    Column("setting", width=12),
    Column("interview_chance_percent", "percent", 10),
    Column("interview_chance_low_percent", "percent", 10),
    Column("interview_chance_high_percent", "percent", 10),
    Column("img_share_percent", "percent", 9),
    Column("img_share_source", width=10),
    Column("img_share_sd_percent", "percent", 9),
    Column("visa_j1", width=7),
    Column("visa_h1b", width=7),
    Column("reasons", width=50),
    Column("screen_reason", width=30),
    Column("strictness", width=10),
    Column("sources", width=50),
)
TRACKING_SPEC: tuple[Column, ...] = tuple(
    Column(c, "text" if c in ("status", "notes") else "date", 40 if c == "notes" else 12)
    for c in TRACKING_COLUMNS
)
CSV_COLUMNS: tuple[str, ...] = tuple(c.name for c in (*PROGRAM_COLUMNS, *TRACKING_SPEC))

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell: unknown stays empty; text that a spreadsheet would run as a formula is quoted."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def program_cells(rank: int, p: ProgramOut) -> dict[str, Any]:
    """A listed program's cells by column name (percentages rounded; lists kept as lists)."""
    row: dict[str, Any] = p.model_dump(mode="json")
    row.update(
        rank=rank,
        list=LIST_LISTED,
        interview_chance_percent=_pct(p.interview_probability, 1),
        interview_chance_low_percent=_pct(p.interview_probability_low, 1),
        interview_chance_high_percent=_pct(p.interview_probability_high, 1),
        img_share_percent=_pct(p.img_share, 0),
        img_share_sd_percent=_pct(p.img_share_sd, 0),
    )
    return row


def screened_cells(s: ScreenedOut) -> dict[str, Any]:
    """A screened-out program's cells by column name."""
    return {
        "list": LIST_SCREENED,
        "program_code": s.program_code,
        "name": s.name,
        "screen_reason": s.reason,
        "strictness": s.strictness,
    }


def plan_csv(result: PlanResult, tracking: Mapping[str, TrackingEntry] | None = None) -> str:
    """The recommended list (ranked), then the screened-out programs, as CSV text with a BOM;
    ``tracking`` fills the tracking columns (by program code)."""
    track = tracking or {}
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows = [program_cells(i, p) for i, p in enumerate(result.programs, start=1)]
    rows += [screened_cells(s) for s in result.screened_out]
    for row in rows:
        entry = track.get(row["program_code"])
        if entry is not None:
            row.update(entry.cells())
        writer.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
    return buf.getvalue()


def plan_json(result: PlanResult, profile: dict[str, Any] | None = None) -> str:
    """The plan's JSON contract, optionally with the profile it was made for."""
    body: dict[str, Any] = result.model_dump(mode="json")
    if profile is not None:
        body = {"profile": profile, "plan": body}
    return json.dumps(body, indent=2, ensure_ascii=False)


def records_csv(records: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV text of records (default columns: the first record's keys), cells as in the plan CSV."""
    rows = list(records)
    cols = list(columns or (rows[0].keys() if rows else ()))
    if not cols:
        return ""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in cols])
    return buf.getvalue()
