"""The per-program vectors the pure core works on (one NumPy array per fact).

The catalog builds a :class:`ProgramFrame` for a specialty; the model, screens and planner read
it and never touch the database. Unknown facts are encoded explicitly:

- floats: ``nan`` means unknown;
- tri-state flags (visa, accepting): ``1`` yes, ``0`` no, ``-1`` unknown (int8);
- row numbers (``explorer_row``): ``-1`` means not linked;
- strings: ``None`` (object arrays) means unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["RATE_FIELDS", "SETTINGS", "TRACKS", "ProgramFrame"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
FlagArray = npt.NDArray[np.int8]
ObjArray = npt.NDArray[np.object_]

#: NRMP track letters (8th character of the program code).
TRACKS: dict[str, str] = {
    "C": "categorical",
    "P": "preliminary",
    "A": "advanced",
    "R": "physician",
    "M": "primary",
}
#: The frame's interview-rate fields (AAMC Residency Explorer): the program's own rates and its
#: institution's other programs' rates (nan: unknown).
RATE_FIELDS: tuple[str, ...] = (
    "ir_us_md",
    "ir_us_do",
    "ir_us_img",
    "ir_non_us_img",
    "ir_signal",
    "ir_gold_signal",
    "ir_silver_signal",
    "ir_no_signal",
    "inst_ir_us_md",
    "inst_ir_us_do",
    "inst_ir_us_img",
    "inst_ir_non_us_img",
)
#: FREIDA program settings.
SETTINGS: tuple[str, ...] = ("university", "affiliated", "community", "military", "other")


@dataclass(frozen=True, eq=False)
class ProgramFrame:
    """Facts of n programs as parallel arrays (row i is one program)."""

    program_code: ObjArray
    inst_code: ObjArray  # NRMP institution code (chars 1-4 of the program code)
    acgme_id: ObjArray  # None when not linked to FREIDA
    name: ObjArray
    institution: ObjArray
    institution_verified: npt.NDArray[np.bool_]
    city: ObjArray
    state: ObjArray
    region: ObjArray
    division: ObjArray
    specialty_code: ObjArray
    specialty: ObjArray
    track: ObjArray  # track letter: C, P, A, R, M
    positions: IntArray
    filled: IntArray
    setting: ObjArray  # one of SETTINGS or None
    img_share: FloatArray  # 0-1, nan unknown (published / user data only)
    img_share_source: ObjArray  # "published", "user" or None
    pct_do: FloatArray  # 0-1, nan unknown
    interviews_last_year: FloatArray
    visa_j1: FlagArray
    visa_h1b: FlagArray
    accepting: FlagArray
    step2_min: FloatArray  # stated minimum (user data), nan unknown
    yog_limit_years: FloatArray  # stated graduation-year limit, nan unknown
    inst_im_img_share: FloatArray  # published IMG share of the same institution's IM program
    inst_setting: ObjArray  # setting of the same institution's IM program (FREIDA), or None
    #: row of the AAMC Residency Explorer file (2024 Match) linked to the program, -1 none; every
    #: track of one program carries the same row (fit one row per program on it)
    explorer_row: IntArray
    #: interview-offer rates of the program's Explorer row (0-1, nan unknown): the share of
    #: that group's applicants to the program who were offered an interview, 2024 Match
    ir_us_md: FloatArray
    ir_us_do: FloatArray
    ir_us_img: FloatArray
    ir_non_us_img: FloatArray
    ir_signal: FloatArray  # applicants who signalled (one kind of signal)
    ir_gold_signal: FloatArray  # gold signal (specialties with gold / silver signals)
    ir_silver_signal: FloatArray
    ir_no_signal: FloatArray
    #: mean published rate of each group at the institution's *other* Explorer programs (nan:
    #: none), the rate model's institution feature (catalog/explorer_inst.py)
    inst_ir_us_md: FloatArray
    inst_ir_us_do: FloatArray
    inst_ir_us_img: FloatArray
    inst_ir_non_us_img: FloatArray
    sources: ObjArray  # tuple[str, ...] per program: "file (year)" of its facts

    def __post_init__(self) -> None:
        n = len(self.program_code)
        for f in fields(self):
            arr = getattr(self, f.name)
            if len(arr) != n:
                raise ValueError(f"ProgramFrame.{f.name} has {len(arr)} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.program_code)

    @property
    def fill_rate(self) -> FloatArray:
        """Filled / positions in 2026 (nan where no positions)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.positions > 0, self.filled / self.positions, np.nan)

    def take(self, index: npt.ArrayLike) -> ProgramFrame:
        """A new frame with the rows selected by an index or boolean mask."""
        idx = np.asarray(index)
        return ProgramFrame(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    def row(self, i: int) -> dict[str, Any]:
        """Row i as a plain dictionary (NumPy scalars converted)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)[i]
            out[f.name] = v.item() if isinstance(v, np.generic) else v
        return out

    @classmethod
    def concat(cls, frames: list[ProgramFrame]) -> ProgramFrame:
        """Rows of several frames, in order."""
        return cls(
            **{f.name: np.concatenate([getattr(fr, f.name) for fr in frames]) for f in fields(cls)}
        )
