"""Exports: the plan as CSV (one row per program, with facts and sources) and JSON, and any
list of catalog records as CSV. Shared by the CLI and the web app."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from smartpick.contract import PlanResult

__all__ = ["CSV_COLUMNS", "plan_csv", "plan_json", "records_csv"]

CSV_COLUMNS: tuple[str, ...] = (
    "status",
    "tier",
    "program_code",
    "acgme_id",
    "name",
    "institution",
    "institution_verified",
    "city",
    "state",
    "region",
    "specialty",
    "track",
    "positions",
    "setting",
    "interview_probability",
    "interview_probability_low",
    "interview_probability_high",
    "img_share",
    "img_share_source",
    "img_share_sd",
    "visa_j1",
    "visa_h1b",
    "reasons",
    "screen_reason",
    "strictness",
    "sources",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell: unknown stays empty; text that a spreadsheet would run as a formula is quoted."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
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


def plan_csv(result: PlanResult) -> str:
    """The recommended list, then the screened-out programs, as CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for prog in result.programs:
        row = prog.model_dump(mode="json")
        row["status"] = "listed"
        writer.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
    for out in result.screened_out:
        row = {
            "status": "screened out",
            "program_code": out.program_code,
            "name": out.name,
            "screen_reason": out.reason,
            "strictness": out.strictness,
        }
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
