"""Read the source CSV files on their way into the catalog, and validate them.

Files come from the package (``smartpick/data``) or from a folder the user supplies (same file
names and columns). Rows are validated by the one typed reader of each file
(:mod:`smartpick.datafiles`): a bad row raises :class:`~smartpick.errors.CatalogError` that names
the file, the line (header = line 1) and the column.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from smartpick import datafiles
from smartpick.datafiles import (
    ExplorerRow,
    FreidaRow,
    NrmpRow,
    OutcomeRow,
    Row,
    Step2Row,
    SummaryRow,
    TrackRow,
)
from smartpick.errors import CatalogError
from smartpick.resources import DATA_FILES, read_bytes

__all__ = [
    "ExplorerRow",
    "FreidaRow",
    "NrmpRow",
    "OutcomeRow",
    "SourceFile",
    "Step2Row",
    "SummaryRow",
    "TrackRow",
    "load_source",
    "parse_rows",
    "source_hashes",
]

M = TypeVar("M", bound=Row)


@dataclass(frozen=True)
class SourceFile:
    """A source file's bytes, hash and provenance."""

    name: str
    publisher: str
    year: str
    text: str
    sha256: str


def _read_bytes(name: str, data_dir: Path | None) -> bytes:
    if data_dir is not None:
        path = data_dir / name
        if not path.is_file():
            raise CatalogError(f"{path}: file not found (needed to build the catalog)")
        return path.read_bytes()
    return read_bytes(name)


def load_source(name: str, data_dir: Path | None = None) -> SourceFile:
    """Read one source file (UTF-8) with its hash and provenance."""
    raw = _read_bytes(name, data_dir)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    publisher, year = DATA_FILES.get(name, ("unknown", "unknown"))
    return SourceFile(name, publisher, year, text, hashlib.sha256(raw).hexdigest())


def source_hashes(data_dir: Path | None = None) -> dict[str, str]:
    """sha256 of every source file (used to tell whether a catalog is stale)."""
    return {name: hashlib.sha256(_read_bytes(name, data_dir)).hexdigest() for name in DATA_FILES}


def parse_rows(source: SourceFile, model: type[M]) -> list[M]:
    """Every data row of a source file validated as ``model`` (the file's one row type)."""
    expected = datafiles.ROW_TYPES.get(source.name, model)
    if expected is not model:
        raise CatalogError(f"{source.name} is read as {expected.__name__}, not {model.__name__}")
    return list(datafiles.parse_rows(source.name, source.text, model))
