"""What reading a list file returns: the list's changes, the tracking, every problem."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from smartpick.listfile import TrackingEntry, TrackingEvent

__all__ = ["ImportedList", "ListProblem"]


@dataclass(frozen=True)
class ListProblem:
    """One problem of a list file: where (file, sheet, row, column), what, what is allowed."""

    path: str
    message: str
    sheet: str | None = None
    row: int | None = None  # the header is row 1 (a CSV's line, a sheet's row number)
    column: str | None = None
    allowed: str | None = None

    def __str__(self) -> str:
        where = [self.path]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        text = f"{', '.join(where)}: {self.message}"
        return f"{text} (allowed: {self.allowed})" if self.allowed else text


@dataclass(frozen=True)
class ImportedList:
    """An edited list file, read.

    ``include_codes``: the programs the file lists (kept or added), in the file's order;
    ``exclude_codes``: those marked ``removed``; ``seen_codes``: every program with a row on
    the list (listed, removed or screened out), to tell deleted rows (:meth:`excludes`);
    ``entries`` and ``events``: the tracking cells by program and the steps they record;
    ``entry_rows``: where each program's tracking cells are (sheet, or None for a CSV; row).
    """

    path: str
    include_codes: tuple[str, ...] = ()
    exclude_codes: tuple[str, ...] = ()
    seen_codes: frozenset[str] = frozenset()
    entries: Mapping[str, TrackingEntry] = field(default_factory=dict)
    entry_rows: Mapping[str, tuple[str | None, int]] = field(default_factory=dict)
    events: tuple[TrackingEvent, ...] = ()
    problems: tuple[ListProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the file has no problem (only then may it be applied)."""
        return not self.problems

    def excludes(self, planned: Iterable[str]) -> tuple[str, ...]:
        """The programs to leave out of a re-plan: those marked removed, and those of the
        ``planned`` list whose row was deleted from the file."""
        deleted = [c for c in planned if c not in self.seen_codes]
        return tuple(dict.fromkeys((*self.exclude_codes, *deleted)))
