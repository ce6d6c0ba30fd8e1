"""Rows of a user's CSV text, with every reader error as a :class:`DataFileError`.

The standard reader would accept a NUL byte and an unterminated quote silently (a quoted cell
opened and never closed swallows the rest of the file) and raises a bare ``csv.Error`` for a
cell over its field limit; here each is an error naming the file and the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from smartpick.errors import DataFileError

__all__ = ["csv_rows"]


def csv_rows(text: str, path: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` per record; ``line`` is the record's last line (header = line 1)."""
    nul = text.find("\0")
    if nul >= 0:
        raise DataFileError(
            "contains a NUL byte (the file is not plain text)",
            path=path,
            line=text.count("\n", 0, nul) + 1,
            allowed="CSV text; export the spreadsheet again as 'CSV UTF-8'",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _error(str(exc), path, start, reader.line_num) from None
        yield reader.line_num, cells


def _error(message: str, path: str, start: int, line: int) -> DataFileError:
    if "field larger than field limit" in message:
        limit = csv.field_size_limit()
        return DataFileError(
            f"a cell is longer than {limit:,} characters",
            path=path,
            line=max(line, start),
            allowed="cells of ordinary length (is a quote missing?)",
        )
    if "unexpected end of data" in message:
        return DataFileError(
            "a quoted cell starting on this line is never closed",
            path=path,
            line=start,
            allowed='a closing " for every opening " (write "" for a quote inside a cell)',
        )
    return DataFileError(
        f"not valid CSV ({message})",
        path=path,
        line=max(line, start),
        allowed='cells separated by commas; a quoted cell ends with " before the next comma',
    )
