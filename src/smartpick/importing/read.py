"""Read an edited list file into an :class:`ImportedList` (every problem at once)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartpick.listfile import (
    DATE_COLUMNS,
    LIST_COLUMN,
    LIST_LISTED,
    LIST_REMOVED,
    TrackingEntry,
)
from smartpick.suggest import did_you_mean

from .cells import BadCell, code_cell, date_cell, list_cell, note_cell, status_cell
from .tables import Table, read_tables
from .types import ImportedList, ListProblem

__all__ = ["MAX_BYTES", "read_list", "read_list_bytes"]

#: Largest list file read (bytes).
MAX_BYTES = 5 * 1024 * 1024
PROGRAMS_SHEET = "Programs"
TRACKING_SHEET = "Tracking"
_TRACK_PARSERS: dict[str, Callable[[Any], Any]] = {
    "status": status_cell,
    **dict.fromkeys((*DATE_COLUMNS, "status_on"), date_cell),
    "notes": note_cell,
}


@dataclass
class _Reader:
    path: str
    known: Collection[str] | None
    problems: list[ListProblem] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)  # code → row that listed it
    entries: dict[str, TrackingEntry] = field(default_factory=dict)
    cells_at: dict[str, tuple[str | None, int]] = field(default_factory=dict)  # code → sheet, row

    def bad(self, table: Table, row: int, column: str | None, exc: BadCell | str) -> None:
        allowed = exc.allowed if isinstance(exc, BadCell) else None
        self.problems.append(ListProblem(self.path, str(exc), table.sheet, row, column, allowed))

    def code(self, table: Table, number: int, row: dict[str, Any]) -> str | None:
        try:
            code = code_cell(row.get("program_code"))
        except BadCell as exc:
            self.bad(table, number, "program_code", exc)
            return None
        if code is None:
            self.bad(table, number, "program_code", BadCell("empty", "the program's NRMP code"))
        elif self.known is not None and code not in self.known:
            hint = did_you_mean(code, self.known)
            self.bad(
                table,
                number,
                "program_code",
                BadCell(f"unknown program code '{code}'{hint}", "a program code of the catalog"),
            )
            return None
        return code

    def header(self, table: Table, needed: tuple[str, ...]) -> bool:
        missing = [c for c in needed if c not in table.header]
        for column in missing:
            self.bad(table, 1, column, BadCell("column missing from the header", column))
        return not missing

    def programs(self, table: Table, with_tracking: bool) -> None:
        if not self.header(table, ("program_code",)):
            return
        for number, row in table.rows:
            code = self.code(table, number, row)
            state: str | None = None
            try:
                state = list_cell(row.get(LIST_COLUMN))
            except BadCell as exc:
                self.bad(table, number, LIST_COLUMN, exc)
            if with_tracking:
                self.tracking_row(table, number, row, code)
            if code is None or state is None:
                continue
            if code in self.seen:
                self.bad(
                    table,
                    number,
                    "program_code",
                    f"program {code} is also on row {self.seen[code]}",
                )
                continue
            self.seen[code] = number
            if state == LIST_LISTED:
                self.include.append(code)
            elif state == LIST_REMOVED:
                self.exclude.append(code)

    def tracking_row(
        self, table: Table, number: int, row: dict[str, Any], code: str | None
    ) -> None:
        values: dict[str, Any] = {}
        for column, parse in _TRACK_PARSERS.items():
            try:
                values[column] = parse(row.get(column))
            except BadCell as exc:
                self.bad(table, number, column, exc)
        entry = TrackingEntry(**values)
        if code is not None and not entry.empty:
            self.entries[code] = entry
            self.cells_at[code] = (table.sheet, number)

    def tracking(self, table: Table) -> None:
        if not self.header(table, ("program_code", "status")):
            return
        for number, row in table.rows:
            code = self.code(table, number, row)
            if code is not None and code in self.entries:
                self.bad(table, number, "program_code", f"program {code} is tracked twice")
                continue
            self.tracking_row(table, number, row, code)


def _sheet(tables: list[Table], name: str) -> Table | None:
    return next((t for t in tables if (t.sheet or "").lower() == name.lower()), None)


def read_list_bytes(
    data: bytes, name: str, *, known_codes: Collection[str] | None = None
) -> ImportedList:
    """Read a list file's bytes (``name`` is shown in problems). ``known_codes``, when given,
    are the catalog's program codes: any other code is a problem."""
    if len(data) > MAX_BYTES:
        problem = ListProblem(name, f"{len(data):,} bytes", allowed=f"at most {MAX_BYTES:,}")
        return ImportedList(name, problems=(problem,))
    tables, problems = read_tables(data, name)
    reader = _Reader(name, known_codes, problems)
    if not problems:
        if tables and tables[0].sheet is None:
            reader.programs(tables[0], with_tracking=True)
        elif (programs := _sheet(tables, PROGRAMS_SHEET)) is not None:
            reader.programs(programs, with_tracking=False)
            if (tracking := _sheet(tables, TRACKING_SHEET)) is not None:
                reader.tracking(tracking)
        else:
            reader.problems.append(
                ListProblem(name, f"no sheet '{PROGRAMS_SHEET}'", allowed="the exported workbook")
            )
        if not reader.problems and not reader.seen:
            reader.problems.append(
                ListProblem(name, "no program rows", row=2, allowed="one row per program")
            )
    events = tuple(e for code, entry in reader.entries.items() for e in entry.events(code))
    return ImportedList(
        path=name,
        include_codes=tuple(reader.include),
        exclude_codes=tuple(reader.exclude),
        seen_codes=frozenset(reader.seen),
        entries=dict(reader.entries),
        entry_rows=dict(reader.cells_at),
        events=events,
        problems=tuple(reader.problems),
    )


def read_list(path: str | Path, *, known_codes: Collection[str] | None = None) -> ImportedList:
    """Read an edited CSV or XLSX list file; a file that cannot be read is a problem too."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        problem = ListProblem(name, f"cannot read the file ({exc.strerror or exc})")
        return ImportedList(name, problems=(problem,))
    return read_list_bytes(data, name, known_codes=known_codes)
