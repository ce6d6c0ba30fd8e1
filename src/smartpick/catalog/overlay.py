"""A user's own program facts, overlaid on the shipped catalog (``smartpick data import``).

:func:`validate_overlay` reads and checks a CSV file without touching any database and raises
:class:`~smartpick.errors.DataFileError` naming the file, line (header = line 1) and column;
:func:`apply_overlay` writes validated rows to the user store (:mod:`smartpick.store`) in one
transaction (all or nothing); :func:`reset_overlay` removes them. The catalog only applies them
when it is read (see :mod:`.schema`). Documented in ``docs/user-data.md``.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from smartpick.catalog.csvfile import csv_rows
from smartpick.errors import CatalogError, DataFileError
from smartpick.store.base import UserFact, UserStore

__all__ = [
    "FIELDS",
    "KEY_COLUMNS",
    "OverlayRow",
    "OverlaySummary",
    "apply_overlay",
    "known_keys",
    "overlay_source",
    "reset_overlay",
    "validate_overlay",
]

#: Key columns; a file needs at least one (``program_code`` wins where both are filled).
KEY_COLUMNS: tuple[str, ...] = ("program_code", "acgme_id")
_SETTINGS = ("university", "affiliated", "community", "military", "other")
_TRUE = frozenset({"1", "yes", "y", "true", "t"})
_FALSE = frozenset({"0", "no", "n", "false", "f"})
_MAX_TEXT = 2000


class _Bad(ValueError):
    """A cell value is not allowed; ``allowed`` says what is."""

    def __init__(self, message: str, allowed: str) -> None:
        super().__init__(message)
        self.allowed = allowed


def _number(low: float, high: float, *, percent: bool = False) -> Callable[[str], str]:
    allowed = f"a number from {low:g} to {high:g}" + (" (percent)" if percent else "")

    def parse(cell: str) -> str:
        text = cell.removesuffix("%").strip() if percent else cell
        try:
            value = float(text)
        except ValueError:
            raise _Bad(f"'{cell}' is not a number", allowed) from None
        if not math.isfinite(value) or not low <= value <= high:
            raise _Bad(f"{cell} is out of range", allowed)
        return f"{value / 100:.6g}" if percent else f"{value:g}"

    return parse


def _flag(cell: str) -> str:
    low = cell.lower()
    if low in _TRUE:
        return "1"
    if low in _FALSE:
        return "0"
    raise _Bad(f"'{cell}' is not yes or no", "1/0, yes/no, true/false")


def _setting(cell: str) -> str:
    low = cell.lower()
    if low not in _SETTINGS:
        raise _Bad(f"'{cell}' is not a known setting", " | ".join(_SETTINGS))
    return low


def _text(cell: str) -> str:
    if len(cell) > _MAX_TEXT:
        raise _Bad(f"text is {len(cell)} characters long", f"up to {_MAX_TEXT} characters")
    return cell


#: Value columns: name → parser returning the normalised text stored in ``user_facts``.
FIELDS: dict[str, Callable[[str], str]] = {
    "pct_img": _number(0, 100, percent=True),  # stored as a 0-1 fraction
    "visa_j1": _flag,
    "visa_h1b": _flag,
    "setting": _setting,
    "city": _text,
    "step2_min": _number(1, 300),
    "yog_limit_years": _number(0, 50),
    "notes": _text,
}


@dataclass(frozen=True)
class OverlayRow:
    """One validated line of a user's file."""

    line: int  # line number in the file (header = 1)
    key_column: str  # "program_code" or "acgme_id"
    key: str
    program_codes: tuple[str, ...]  # the codes it applies to (acgme_id expands to linked codes)
    values: Mapping[str, str]  # field → normalised value (empty cells left out: no change)


@dataclass(frozen=True)
class OverlaySummary:
    """What an import wrote (or a check would write)."""

    rows: int  # lines with a key
    programs: int  # distinct program codes
    facts: int  # (program_code, field) values

    @classmethod
    def of(cls, rows: Sequence[OverlayRow]) -> OverlaySummary:
        """Counts for validated rows."""
        codes = {c for r in rows for c in r.program_codes}
        facts = sum(len(r.values) * len(r.program_codes) for r in rows)
        return cls(rows=len(rows), programs=len(codes), facts=facts)


def _read_text(path: Path) -> str:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"cannot read the file ({exc.strerror})", path=name) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataFileError(
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
            path=name,
            line=line,
            allowed="UTF-8 text (save the spreadsheet as 'CSV UTF-8')",
        ) from None


def _header(path: str, header: list[str] | None) -> list[str]:
    if not header or not any(h.strip() for h in header):
        raise DataFileError(
            "the file is empty", path=path, line=1, allowed="a header row, then one row per program"
        )
    columns = [h.strip().lower() for h in header]
    allowed = ", ".join((*KEY_COLUMNS, *FIELDS))
    seen: set[str] = set()
    for col in columns:
        if col not in FIELDS and col not in KEY_COLUMNS:
            raise DataFileError("unknown column", path=path, line=1, column=col, allowed=allowed)
        if col in seen:
            raise DataFileError("column appears twice", path=path, line=1, column=col)
        seen.add(col)
    if not seen & set(KEY_COLUMNS):
        raise DataFileError(
            "no key column",
            path=path,
            line=1,
            column="program_code",
            allowed="program_code or acgme_id",
        )
    return columns


def validate_overlay(
    path: str | Path,
    known_codes: Collection[str],
    known_acgme: Mapping[str, Sequence[str]],
) -> list[OverlayRow]:
    """Read and check a user's CSV; raise :class:`DataFileError` at the first problem.

    ``known_codes`` are the catalog's NRMP program codes; ``known_acgme`` maps each ACGME id
    to its linked codes (empty when the catalog has no crosswalk). Nothing is written.
    """
    file = Path(path)
    name = str(path)
    records = csv_rows(_read_text(file), name)
    columns = _header(name, next(records, (1, None))[1])
    rows: list[OverlayRow] = []
    claimed: dict[str, tuple[int, str]] = {}  # program code → (line, key column) that set it
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            raise DataFileError(
                f"{len(cells)} cells but the header has {len(columns)} columns",
                path=name,
                line=line,
                allowed="one cell per header column (quote cells that contain commas)",
            )
        record = {col: cell.strip() for col, cell in zip(columns, cells, strict=True)}
        row = _row(name, line, record, known_codes, known_acgme)
        for code in row.program_codes:
            if code in claimed:
                first_line, first_col = claimed[code]
                raise DataFileError(
                    f"duplicate key: program {code} was already given on line {first_line}"
                    + (f" (via {first_col})" if first_col != row.key_column else ""),
                    path=name,
                    line=line,
                    column=row.key_column,
                    allowed="each program once",
                )
            claimed[code] = (line, row.key_column)
        rows.append(row)
    if not rows:
        raise DataFileError(
            "the file has a header but no rows", path=name, line=2, allowed="one row per program"
        )
    return rows


def _row(
    path: str,
    line: int,
    record: Mapping[str, str],
    known_codes: Collection[str],
    known_acgme: Mapping[str, Sequence[str]],
) -> OverlayRow:
    code = record.get("program_code", "").upper()
    acgme = record.get("acgme_id", "")
    if code:
        if code not in known_codes:
            raise DataFileError(
                f"unknown program code '{code}'",
                path=path,
                line=line,
                column="program_code",
                allowed="a 9-character NRMP code of the catalog (see `smartpick programs`)",
            )
        codes: tuple[str, ...] = (code,)
        key_column, key = "program_code", code
    elif acgme:
        linked = tuple(known_acgme.get(acgme, ()))
        if not linked:
            why = "unknown ACGME id" if acgme not in known_acgme else "ACGME id not linked"
            raise DataFileError(
                f"{why} '{acgme}': it does not resolve to any NRMP program code",
                path=path,
                line=line,
                column="acgme_id",
                allowed="a 10-digit ACGME id linked in the catalog, or use program_code",
            )
        key_column, key, codes = "acgme_id", acgme, linked
    else:
        column = "program_code" if "program_code" in record else "acgme_id"
        raise DataFileError(
            "the key is empty",
            path=path,
            line=line,
            column=column,
            allowed="program_code or acgme_id",
        )
    values: dict[str, str] = {}
    for field, parse in FIELDS.items():
        cell = record.get(field, "")
        if not cell:
            continue
        try:
            values[field] = parse(cell)
        except _Bad as bad:
            raise DataFileError(
                str(bad), path=path, line=line, column=field, allowed=bad.allowed
            ) from None
    return OverlayRow(line, key_column, key, codes, values)


def overlay_source(path: str | Path, today: date | None = None) -> str:
    """The source text stored with each value: ``"file.csv (your data, imported YYYY-MM-DD)"``."""
    when = (today or date.today()).isoformat()
    return f"{Path(path).name} (your data, imported {when})"


def _has_table(conn: sqlite3.Connection, table: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (table,)
    ).fetchone()
    return found is not None


def known_keys(conn: sqlite3.Connection) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Program codes of the catalog and ACGME id → linked codes (empty without a crosswalk)."""
    if not _has_table(conn, "programs"):
        raise CatalogError("the catalog has no programs table: run `smartpick data build`")
    codes = frozenset(r[0] for r in conn.execute("SELECT program_code FROM programs"))
    links: dict[str, list[str]] = {}
    if _has_table(conn, "freida_link"):
        query = "SELECT acgme_id, program_code FROM freida_link ORDER BY acgme_id, program_code"
        for acgme, code in conn.execute(query):
            links.setdefault(acgme, []).append(code)
    if _has_table(conn, "freida"):
        for (acgme,) in conn.execute("SELECT acgme_id FROM freida"):
            links.setdefault(acgme, [])
    return codes, {k: tuple(v) for k, v in links.items()}


def apply_overlay(store: UserStore, rows: Sequence[OverlayRow], source: str) -> OverlaySummary:
    """Write validated rows to the user store in one transaction (all or nothing).

    A value replaces the user's earlier value of the same program and field.
    """
    store.put_user_facts(
        [
            UserFact(code, field, value, source)
            for row in rows
            for code in row.program_codes
            for field, value in row.values.items()
        ]
    )
    return OverlaySummary.of(rows)


def reset_overlay(store: UserStore) -> int:
    """Remove every user fact; returns how many values were removed."""
    return store.reset_user_facts()
