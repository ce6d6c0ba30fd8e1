"""Curated FREIDA ↔ NRMP links: the hand-verified table ``crosswalk_manual.csv``.

Some programs cannot be singled out by the two files alone (lost NRMP headings with similar
sizes, NRMP labels that share no word with FREIDA's name, primary-care codes inside a
sponsor's unit). Each of them was checked by hand against both files and well-established
public facts (which hospital is whose), and the evidence is written in the table. Curated
links win: the automatic pass neither links those programs nor reuses those codes.

Pure apart from reading the shipped table (no database).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from ..errors import DataFileError
from .crosswalk_units import IM_SPECIALTY, Unit

__all__ = [
    "CURATED_CONFIDENCE",
    "CURATED_FILE",
    "Curated",
    "applicable",
    "load_curated",
    "parse_curated",
    "without_codes",
]

#: File name of the curated table inside the ``smartpick.catalog`` package.
CURATED_FILE = "crosswalk_manual.csv"
#: Confidence of a curated link: checked by hand, but still our reading of two files and
#: public facts, not a published crosswalk (see docs/crosswalk.md).
CURATED_CONFIDENCE = 0.99

_COLUMNS = ("acgme_id", "program_code", "evidence")


@dataclass(frozen=True)
class Curated:
    """One hand-verified (program, NRMP code) pair and why it is right."""

    acgme_id: str
    program_code: str
    evidence: str


def parse_curated(text: str, path: str = CURATED_FILE) -> list[Curated]:
    """Validate and parse the curated table (header = line 1).

    Raises :class:`~smartpick.errors.DataFileError` naming the line and column of a missing
    column, a malformed id or code, an empty evidence cell or a code given to two programs.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DataFileError(
            f"missing column(s) {', '.join(missing)}",
            path=path,
            line=1,
            allowed=", ".join(_COLUMNS),
        )
    out: list[Curated] = []
    owner: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        acgme = (row.get("acgme_id") or "").strip()
        code = (row.get("program_code") or "").strip()
        evidence = (row.get("evidence") or "").strip()
        if not (len(acgme) == 10 and acgme.isdigit() and acgme[:3] == IM_SPECIALTY):
            raise DataFileError(
                f"bad ACGME id {acgme!r}", path=path, line=line, column="acgme_id",
                allowed="10 digits starting with 140 (Internal Medicine)",
            )  # fmt: skip
        if not (len(code) == 9 and code[4:7] == IM_SPECIALTY and code[:4].isdigit()):
            raise DataFileError(
                f"bad NRMP code {code!r}", path=path, line=line, column="program_code",
                allowed="9 characters, 4-digit institution, specialty 140, track letter, digit",
            )  # fmt: skip
        if not evidence:
            raise DataFileError("empty evidence", path=path, line=line, column="evidence",
                                allowed="the concrete reason the pair is right")  # fmt: skip
        if owner.setdefault(code, acgme) != acgme:
            raise DataFileError(
                f"code {code} is already curated for {owner[code]}", path=path, line=line,
                column="program_code", allowed="each NRMP code at most once",
            )  # fmt: skip
        out.append(Curated(acgme, code, evidence))
    return out


def load_curated() -> list[Curated]:
    """The shipped curated table (``smartpick/catalog/crosswalk_manual.csv``)."""
    entry = resources.files("smartpick.catalog").joinpath(CURATED_FILE)
    return parse_curated(entry.read_text(encoding="utf-8"), path=CURATED_FILE)


def applicable(
    curated: Iterable[Curated], acgme_ids: Iterable[str], codes: Iterable[str]
) -> list[Curated]:
    """The curated pairs whose program and code are both in the inputs being linked."""
    ids, known = set(acgme_ids), set(codes)
    return [c for c in curated if c.acgme_id in ids and c.program_code in known]


def without_codes(
    units: Sequence[Unit], taken: Iterable[str], quota: Mapping[str, int]
) -> list[Unit]:
    """The units with the ``taken`` codes removed (sizes recomputed; empty units dropped)."""
    gone = set(taken)
    out: list[Unit] = []
    for u in units:
        codes = tuple(c for c in u.codes if c not in gone)
        if len(codes) == len(u.codes):
            out.append(u)
        elif codes:
            main = u.main_code if u.main_code in codes else codes[0]
            size = sum(quota.get(c, 0) for c in codes)
            out.append(dataclasses.replace(u, codes=codes, main_code=main, size=size))
    return out
