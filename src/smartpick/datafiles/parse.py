"""CSV text to validated rows; a bad row is an error naming the file, the line and the column.

Pure: works on text already read (from the package or from a user's folder).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import TypeVar

from pydantic import ValidationError

from smartpick.errors import CatalogError

from .rows import Row

__all__ = ["parse_rows"]

R = TypeVar("R", bound=Row)


def parse_rows(name: str, text: str, model: type[R]) -> tuple[R, ...]:
    """Every data row of a CSV file validated as ``model`` (empty cell = None; header = line 1).

    Raises :class:`~smartpick.errors.CatalogError` naming ``name``, the line and the column when
    the header differs from the model's fields, a cell does not validate, or the text is not CSV.
    """
    reader = csv.DictReader(io.StringIO(text), strict=True)
    expected = set(model.model_fields)
    header = set(reader.fieldnames or ())
    if header != expected:
        missing = sorted(expected - header)
        extra = sorted(header - expected)
        raise CatalogError(
            f"{name}, line 1: header does not match "
            f"(missing {missing or 'none'}, unexpected {extra or 'none'})"
        )
    out: list[R] = []
    try:
        for row in reader:
            line = reader.line_num
            values: Mapping[str, str | None] = {k: (v if v != "" else None) for k, v in row.items()}
            try:
                out.append(model.model_validate(values))
            except ValidationError as exc:
                err = exc.errors()[0]
                column = str(err["loc"][0]) if err["loc"] else "?"
                raise CatalogError(
                    f"{name}, line {line}, column '{column}': {err['msg']} "
                    f"(value {_short(values.get(column))})"
                ) from exc
    except csv.Error as exc:  # a cell over the field limit, an unterminated quote
        raise CatalogError(f"{name}, line {reader.line_num + 1}: not valid CSV ({exc})") from None
    return tuple(out)


def _short(value: str | None) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
