"""The CSV export: a BOM, rounded percentages, rank, signal and tracking columns."""

from __future__ import annotations

import csv
import datetime as dt
import io

from smartpick.listfile import TrackingEntry
from smartpick.render.export import CSV_COLUMNS, plan_csv

from .factory import make_result


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_starts_with_a_bom_and_rounds_percentages() -> None:
    result = make_result(3)
    rows = _rows(plan_csv(result))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["rank"] for r in rows] == ["1", "2", "3", ""]
    assert rows[1]["interview_chance_percent"] == "45.0"  # 0.45 as a percentage, 0.1 precision
    assert rows[0]["img_share_percent"] == "60" and rows[1]["img_share_sd_percent"] == "12"
    assert rows[0]["signal"] == "" and rows[0]["list"] == "listed"
    assert rows[-1]["list"] == "screened out" and rows[-1]["rank"] == ""


def test_csv_shows_signal_and_tracking_cells() -> None:
    result = make_result(2)
    first = result.programs[0].model_copy(update={"signal": "gold"})
    result = result.model_copy(update={"programs": [first, *result.programs[1:]]})
    entry = TrackingEntry(status="invited", applied_on=dt.date(2027, 9, 24), notes="=call back")
    rows = _rows(plan_csv(result, {first.program_code: entry}))
    assert rows[0]["signal"] == "gold"
    assert rows[0]["status"] == "invited" and rows[0]["applied_on"] == "2027-09-24"
    assert rows[0]["notes"] == "'=call back"  # never run as a formula
    assert rows[1]["status"] == ""
