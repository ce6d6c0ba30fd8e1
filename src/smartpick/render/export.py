"""CSV exports: one row per program with its facts and their sources (for spreadsheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from smartpick.contract import PlanResult

__all__ = ["PLAN_CSV_COLUMNS", "plan_csv", "programs_csv"]

#: Columns of the plan CSV, in order.
PLAN_CSV_COLUMNS: tuple[str, ...] = (
    "rank",
    "tier",
    "interview_probability",
    "interview_probability_low",
    "interview_probability_high",
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
    "img_share",
    "img_share_source",
    "img_share_sd",
    "visa_j1",
    "visa_h1b",
    "reasons",
    "sources",
)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def programs_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV text of records (lists joined with "; ", None as empty, booleans as yes/no)."""
    rows = list(rows)
    cols = list(columns or (rows[0].keys() if rows else ()))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in cols})
    return buf.getvalue()


def plan_csv(result: PlanResult) -> str:
    """The plan's program list as CSV, one row per program, in the recommended order."""
    rows = []
    for rank, prog in enumerate(result.programs, start=1):
        rows.append({"rank": rank, **prog.model_dump()})
    return programs_csv(rows, PLAN_CSV_COLUMNS)
