"""A list file as raw tables: a CSV is one table, an XLSX one table per sheet.

Each table has its header (lower-cased, trimmed) and its rows as ``(row number, cells by
column)``; the header is row 1. Reading problems are returned, never raised.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from smartpick.catalog.csvfile import csv_rows
from smartpick.errors import DataFileError

from .types import ListProblem

__all__ = ["MAX_ROWS", "Table", "read_tables"]

#: Most rows read from one table (a list has a few hundred programs).
MAX_ROWS = 5000
_XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """One sheet (or the CSV): its name (None for a CSV), header and rows."""

    sheet: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, Any]], ...]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(sheet: str | None, records: list[tuple[int, list[Any]]]) -> Table:
    if not records:
        return Table(sheet, (), ())
    header = tuple(str(h).strip().lower() if h is not None else "" for h in records[0][1])
    rows = []
    for number, cells in records[1:]:
        if all(_blank(c) for c in cells):
            continue
        row = {h: c for h, c in zip(header, cells, strict=False) if h}
        rows.append((number, row))
    return Table(sheet, header, tuple(rows))


def _csv(data: bytes, path: str) -> tuple[list[Table], list[ListProblem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [], [
            ListProblem(
                path,
                f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                row=line,
                allowed="UTF-8 text (save the spreadsheet as 'CSV UTF-8', or as XLSX)",
            )
        ]
    records: list[tuple[int, list[Any]]] = []
    try:
        for line, cells in csv_rows(text, path):
            records.append((line, list(cells)))
            if len(records) > MAX_ROWS + 1:
                return [], [_too_long(path, None)]
    except DataFileError as exc:
        return [], [ListProblem(path, str(exc).split(": ", 1)[-1], row=exc.line)]
    return [_table(None, records)], []


def _too_long(path: str, sheet: str | None) -> ListProblem:
    return ListProblem(path, "too many rows", sheet=sheet, allowed=f"at most {MAX_ROWS:,}")


def _xlsx(data: bytes, path: str) -> tuple[list[Table], list[ListProblem]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        return [], [
            ListProblem(
                path,
                f"not a readable XLSX workbook ({type(exc).__name__})",
                allowed="an .xlsx file saved by Excel, LibreOffice or Google Sheets, or a CSV",
            )
        ]
    tables: list[Table] = []
    problems: list[ListProblem] = []
    try:
        for ws in wb.worksheets:
            records: list[tuple[int, list[Any]]] = []
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                records.append((number, list(cells)))
                if number > MAX_ROWS + 1:
                    problems.append(_too_long(path, ws.title))
                    break
            tables.append(_table(ws.title, records))
    finally:
        wb.close()
    return tables, problems


def read_tables(data: bytes, path: str) -> tuple[list[Table], list[ListProblem]]:
    """The tables of a CSV or XLSX file (told apart by content, not by name)."""
    if data.startswith(_XLSX_MAGIC):
        return _xlsx(data, path)
    return _csv(data, path)
