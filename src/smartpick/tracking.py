"""The tracker over the user store: what the CLI, the web app and an import call.

Each call checks the plan's token first (a wrong token changes nothing), then the events
against the saved plan (:mod:`smartpick.track.events`), then writes them in one transaction.
``add_events`` takes plain dicts; ``import_sheet`` turns a list file's tracking sheet (read by
:mod:`smartpick.importing`) into them (:mod:`smartpick.track.sheet`) and adds the new ones.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from smartpick.importing import ImportedList, ListProblem
from smartpick.pipeline import PlanCore
from smartpick.store import SavedPlan, UserStore
from smartpick.track.events import check_events
from smartpick.track.models import TrackStatus
from smartpick.track.records import PlanEvent
from smartpick.track.sheet import sheet_events, tracking_entries
from smartpick.track.status import allowed_codes, event_out, match_year_of, track_status

__all__ = [
    "CSV_COLUMNS",
    "Denied",
    "SheetImport",
    "add_events",
    "events_csv",
    "events_json",
    "import_sheet",
    "plan_status",
    "season_xlsx",
]

#: Why a call was refused: the token is wrong, or there is no such plan.
Denied = Literal["forbidden", "missing"]
CSV_COLUMNS = ("position", "program_code", "status", "date", "note", "recorded_at", "id")


def _opened(store: UserStore, plan_id: str, token: str) -> SavedPlan | Denied:
    """The saved plan when the token opens it."""
    check = store.check_token(plan_id, token)
    if check != "ok":
        return check
    saved = store.get_plan(plan_id)
    return "missing" if saved is None else saved


def add_events(
    store: UserStore,
    core: PlanCore,
    plan_id: str,
    token: str,
    raws: Sequence[Mapping[str, Any]],
) -> list[PlanEvent] | Denied:
    """Check and append events to a saved plan (all or nothing); InputError names the field."""
    saved = _opened(store, plan_id, token)
    if isinstance(saved, str):
        return saved
    events = check_events(
        raws,
        allowed=allowed_codes(core, saved.payload),
        match_year=match_year_of(saved.created, saved.payload),
        today=core.today,
    )
    return store.add_events(plan_id, token, events)


@dataclass(frozen=True)
class SheetImport:
    """What importing a tracking sheet did: the events recorded, the steps already recorded
    (skipped), and every problem of the file (nothing recorded while there is one)."""

    recorded: list[PlanEvent]
    skipped: int
    problems: list[ListProblem]

    def summary(self) -> str:
        """One line: what was recorded and skipped."""
        n = len(self.recorded)
        if not n and not self.skipped:
            return "no tracking step in the file (fill in the status and date columns)"
        return (
            f"recorded {n} event{'' if n == 1 else 's'}; {self.skipped} already recorded (skipped)"
        )


def import_sheet(
    store: UserStore, core: PlanCore, plan_id: str, token: str, imported: ImportedList
) -> SheetImport | Denied:
    """Record a list file's new tracking steps (all or none; identical events skipped)."""
    saved = _opened(store, plan_id, token)
    if isinstance(saved, str):
        return saved
    allowed = allowed_codes(core, saved.payload)
    year = match_year_of(saved.created, saved.payload)
    found = sheet_events(
        imported,
        allowed=allowed,
        match_year=year,
        today=core.today,
        recorded=store.plan_events(plan_id),
    )
    if found.problems or not found.raws:
        return SheetImport([], found.skipped, found.problems)
    events = check_events(found.raws, allowed=allowed, match_year=year, today=core.today)
    out = store.add_events(plan_id, token, events)
    return out if isinstance(out, str) else SheetImport(out, found.skipped, [])


def plan_status(store: UserStore, core: PlanCore, plan_id: str, token: str) -> TrackStatus | Denied:
    """The season of a saved plan on ``core.today``."""
    saved = _opened(store, plan_id, token)
    if isinstance(saved, str):
        return saved
    return track_status(core, plan_id, saved.created, saved.payload, store.plan_events(plan_id))


def events_json(events: Sequence[PlanEvent]) -> str:
    """The events as a JSON array (the API's ``EventOut`` records)."""
    return json.dumps([event_out(e).model_dump() for e in events], indent=2, ensure_ascii=False)


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def events_csv(events: Sequence[PlanEvent]) -> str:
    """The events as CSV, one row per event in the order recorded."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow(
            [e.position, e.program_code, e.status, e.date, _cell(e.note or ""), e.recorded_at, e.id]
        )
    return buf.getvalue()


def season_xlsx(payload: dict[str, Any], events: Sequence[PlanEvent]) -> bytes:
    """The saved plan's workbook (``render.xlsx``), its Tracking sheet filled from the events
    (importing it again records nothing new)."""
    from smartpick.contract import PlanResult
    from smartpick.render.xlsx import plan_xlsx

    result = PlanResult.model_validate(payload["result"])
    return plan_xlsx(result, tracking_entries(events))
