"""A tracking sheet as tracker events: checks with file/sheet/row/column, skips, round trip."""

from __future__ import annotations

import datetime as dt

from smartpick.importing import ImportedList, ListProblem
from smartpick.listfile import TrackingEntry
from smartpick.track.records import EventStatus, PlanEvent
from smartpick.track.sheet import SheetEvents, sheet_events, tracking_entries

A, B, C = "1000140C0", "2000140C0", "3000140C0"
TODAY = dt.date(2026, 11, 1)  # in the 2027 Match season (ERAS opened 3 June 2026)
D = dt.date.fromisoformat


def _sheet(entries: dict[str, TrackingEntry]) -> ImportedList:
    """What the reader gives for a Tracking sheet with these rows (row 2 on)."""
    return ImportedList(
        path="season.xlsx",
        entries=entries,
        entry_rows={code: ("Tracking", n) for n, code in enumerate(entries, start=2)},
        events=tuple(e for code, entry in entries.items() for e in entry.events(code)),
    )


def _recorded(*steps: tuple[str, EventStatus, str]) -> list[PlanEvent]:
    return [
        PlanEvent(f"e{i}", "plan", i, code, status, day, None, "2026-11-01T00:00:00Z")
        for i, (code, status, day) in enumerate(steps, start=1)
    ]


def _check(imported: ImportedList, recorded: list[PlanEvent] | None = None) -> SheetEvents:
    return sheet_events(
        imported, allowed={A, B, C}, match_year=2027, today=TODAY, recorded=recorded or []
    )


def test_steps_become_events_in_date_order_and_recorded_ones_are_skipped() -> None:
    sheet = _sheet(
        {
            A: TrackingEntry("rejected", applied_on=D("2026-09-20"), status_on=D("2026-10-25")),
            B: TrackingEntry("invited", invited_on=D("2026-10-12"), notes="video"),
        }
    )
    out = _check(sheet)
    assert out.problems == [] and out.skipped == 0
    assert [(r["program_code"], r["status"], r["date"]) for r in out.raws] == [
        (A, "applied", "2026-09-20"),
        (B, "invited", "2026-10-12"),
        (A, "rejected", "2026-10-25"),
    ]
    assert out.raws[1]["note"] == "video"
    again = _check(sheet, _recorded((A, "applied", "2026-09-20"), (B, "invited", "2026-10-12")))
    assert [(r["program_code"], r["status"]) for r in again.raws] == [(A, "rejected")]
    assert again.skipped == 2


def test_every_problem_is_listed_with_sheet_row_and_column() -> None:
    sheet = _sheet(
        {
            A: TrackingEntry("invited", invited_on=D("2026-11-20")),  # after today
            B: TrackingEntry("rejected"),  # no date
            "9999140C0": TrackingEntry("applied", applied_on=D("2026-09-20")),  # not a candidate
            C: TrackingEntry("applied", applied_on=D("2026-05-01")),  # before the season
        }
    )
    read_problem = ListProblem("season.xlsx", "'maybe' is not a status", "Tracking", 7, "status")
    sheet = ImportedList(
        path=sheet.path,
        entries=sheet.entries,
        entry_rows=sheet.entry_rows,
        events=sheet.events,
        problems=(read_problem,),
    )
    out = _check(sheet)
    assert out.raws == []
    where = [(p.sheet, p.row, p.column) for p in out.problems]
    assert where == [
        ("Tracking", 7, "status"),
        ("Tracking", 2, "invited_on"),
        ("Tracking", 3, "status_on"),
        ("Tracking", 4, "program_code"),
        ("Tracking", 5, "applied_on"),
    ]
    text = [str(p) for p in out.problems]
    assert text[1].startswith("season.xlsx, sheet 'Tracking', row 2, column 'invited_on': ")
    assert "2026-11-20 is in the future (today is 2026-11-01)" in text[1]
    assert "no date for 'rejected'" in text[2] and "in status_on" in text[2]
    assert "9999140C0 is not on this plan's list" in text[3]
    assert "2026-05-01 is before the 2027 Match season" in text[4]


def test_a_plan_for_a_season_not_started_says_when_it_opens() -> None:
    sheet = _sheet({A: TrackingEntry("applied", applied_on=D("2026-10-01"))})
    out = sheet_events(sheet, allowed={A}, match_year=2028, today=TODAY, recorded=[])
    assert len(out.problems) == 1
    assert "whose season has not started (it opens on 2 June 2027" in str(out.problems[0])


def test_the_exported_cells_import_as_nothing_new() -> None:
    recorded = _recorded(
        (A, "applied", "2026-09-20"),
        (A, "invited", "2026-10-12"),
        (A, "rejected", "2026-10-30"),
        (B, "withdrawn", "2026-10-02"),
    )
    entries = tracking_entries(recorded)
    assert entries[A] == TrackingEntry(
        "rejected",
        applied_on=D("2026-09-20"),
        invited_on=D("2026-10-12"),
        status_on=D("2026-10-30"),
    )
    out = _check(_sheet(entries), recorded)
    assert out.raws == [] and out.problems == [] and out.skipped == 4
