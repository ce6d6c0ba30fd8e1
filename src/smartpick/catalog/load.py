"""Read and validate the source CSV files on their way into the catalog.

Every row is checked (pydantic); a bad row raises :class:`~smartpick.errors.CatalogError` that
names the file, the line (header = line 1) and the column. Files come from the package
(``smartpick/data``) or from a folder the user supplies (same file names and columns).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from smartpick.errors import CatalogError
from smartpick.resources import DATA_FILES

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

M = TypeVar("M", bound=BaseModel)
Flag = Annotated[int, Field(ge=0, le=1)]
Pct = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0)]
Rate = Annotated[float, Field(ge=0, le=1)]


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class NrmpRow(_Row):
    """One row of ``nrmp_programs_2026.csv``."""

    program_code: Annotated[str, Field(pattern=r"^\d{7}[CPARM]\d$")]
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    institution_as_listed: Annotated[str, Field(min_length=1)]
    program_name: Annotated[str, Field(min_length=1)]
    track: Literal["C", "P", "A", "R", "M"]
    quota_2026: Count
    filled_2026: Count

    @field_validator("track")
    @classmethod
    def _track_matches_code(cls, v: str, info: Any) -> str:
        code = info.data.get("program_code")
        if code and code[7] != v:
            raise ValueError(f"track {v!r} differs from the code's 8th character {code[7]!r}")
        return v


class FreidaRow(_Row):
    """One row of ``freida_im_programs_2025.csv``."""

    acgme_id: Annotated[str, Field(pattern=r"^\d{10}$")]
    program_name: Annotated[str, Field(min_length=1)]
    city: str | None
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None
    first_year_positions: Count | None
    interviews_last_year: Count | None
    pct_do: Pct | None
    pct_img: Pct | None
    pct_usmd: Pct | None
    setting: Literal["university", "affiliated", "community", "military", "other"] | None
    visa_j1: Flag | None
    visa_h1b: Flag | None
    visa_f1: Flag | None
    us_gov: Flag | None
    accepting_2026_27: Flag | None
    eras: Flag | None
    yog_limit_years: Annotated[int, Field(ge=0, le=50)] | None
    data_as_of: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class TrackRow(_Row):
    """One row of ``nrmp_tracks_2025.csv``."""

    track: str
    positions_offered: Count
    positions_unfilled: Count
    usmd_senior_ranked: Count | None
    usmd_senior_matched: Count | None
    usdo_senior_ranked: Count | None
    usdo_senior_matched: Count | None
    us_img_ranked: Count | None
    us_img_matched: Count | None
    non_us_img_ranked: Count | None
    non_us_img_matched: Count | None


class OutcomeRow(_Row):
    """One row of ``charting_outcomes_non_us_img_2026.csv``."""

    specialty: str
    measure: Literal["step2ck", "contiguous_ranks", "specialties_ranked"]
    cohort: Literal["matched", "not_matched"]
    n: Count | None
    min: float | None
    q1: float | None
    median: float | None
    q3: float | None
    max: float | None
    mean: float | None
    sd: float | None


class SummaryRow(_Row):
    """One row of ``charting_outcomes_non_us_img_2026_summary.csv``."""

    specialty: str
    positions: Count | None
    applicants_preferring_specialty: Count | None
    non_us_img_matched: Count | None
    non_us_img_not_matched: Count | None


class Step2Row(_Row):
    """One row of ``step2_us_md_seniors_2026.csv``."""

    specialty: str
    matched_n: Count | None
    matched_q1: float | None
    matched_median: float | None
    matched_q3: float | None
    unmatched_n: Count | None
    unmatched_median: float | None


class ExplorerRow(_Row):
    """One row of ``residency_explorer_interview_rates_2024.csv`` (rates 0-1, empty unknown)."""

    specialty: Annotated[str, Field(min_length=1)]
    program_name: Annotated[str, Field(min_length=1)]
    city: str | None
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    division: str | None
    ir_signal: Rate | None
    ir_gold_signal: Rate | None
    ir_silver_signal: Rate | None
    ir_no_signal: Rate | None
    ir_in_state_school: Rate | None
    ir_out_of_state_school: Rate | None
    ir_us_md: Rate | None
    ir_us_do: Rate | None
    ir_us_img: Rate | None
    ir_non_us_img: Rate | None


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
    return resources.files("smartpick.data").joinpath(name).read_bytes()


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
    """Every data row of a source file validated as ``model`` (empty cell = None)."""
    reader = csv.DictReader(io.StringIO(source.text), strict=True)
    expected = set(model.model_fields)
    header = set(reader.fieldnames or ())
    if header != expected:
        missing = sorted(expected - header)
        extra = sorted(header - expected)
        raise CatalogError(
            f"{source.name}, line 1: header does not match "
            f"(missing {missing or 'none'}, unexpected {extra or 'none'})"
        )
    out: list[M] = []
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
                    f"{source.name}, line {line}, column '{column}': {err['msg']} "
                    f"(value {_short(values.get(column))})"
                ) from exc
    except csv.Error as exc:  # a cell over the field limit, an unterminated quote
        raise CatalogError(
            f"{source.name}, line {reader.line_num + 1}: not valid CSV ({exc})"
        ) from None
    return out


def _short(value: str | None) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
