"""ERAS application fees (AAMC, "Fees for 2026 ERAS Season") and the one-time fees for IMGs.

ERAS charges per program, counted per specialty: the first ``eras_fee_tier_size`` (30) programs
of each specialty cost ``eras_fee_first_30`` ($11) each, every further program of that specialty
``eras_fee_from_31`` ($30). Pricing resets for each specialty. AAMC's own examples (checked in the
tests): 30 EM = $330; 43 IM + 7 DR = $797; 32 IM + 32 EM = $780.

All amounts come from ``facts.csv`` via :func:`smartpick.datafiles.fact`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartpick.datafiles import fact
from smartpick.errors import InputError
from smartpick.frame import FloatArray

__all__ = [
    "OneTimeFee",
    "eras_cost",
    "eras_cost_curve",
    "eras_cost_sequence",
    "fee_sources",
    "one_time_fees",
    "portfolio_cost",
]

IMG_TYPES: frozenset[str] = frozenset({"us_img", "non_us_img"})


@dataclass(frozen=True)
class OneTimeFee:
    """A fee paid once per season, whatever the number of programs."""

    key: str
    label: str
    usd: float
    source: str


def _schedule() -> tuple[float, float, int]:
    """(fee for programs 1..tier, fee from tier+1, tier size) from the facts table."""
    return (
        fact("eras_fee_first_30").value,
        fact("eras_fee_from_31").value,
        int(fact("eras_fee_tier_size").value),
    )


def _check_count(n: int, field: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise InputError(f"{n!r} is not a program count", field=field, allowed="integer ≥ 0")


def eras_cost(n: int) -> float:
    """ERAS fees for ``n`` programs of one specialty, in US dollars."""
    _check_count(n, "programs")
    low, high, tier = _schedule()
    return float(low * min(n, tier) + high * max(n - tier, 0))


def eras_cost_curve(n_max: int, *, offset: int = 0) -> FloatArray:
    """Cost of 0..``n_max`` programs of one specialty, shape (n_max + 1,).

    ``offset`` programs of the same specialty are already counted elsewhere (for example a
    preliminary Internal Medicine list sharing the categorical IM counter); the curve then gives
    the *extra* cost of each further program, starting at 0.
    """
    _check_count(n_max, "n_max")
    _check_count(offset, "offset")
    low, high, tier = _schedule()
    pos = np.arange(offset + 1, offset + n_max + 1)  # counter position of each added program
    step = np.where(pos <= tier, low, high)
    return np.concatenate([[0.0], np.cumsum(step, dtype=np.float64)])


def eras_cost_sequence(
    codes: npt.ArrayLike, offsets: Mapping[str, int] | None = None
) -> FloatArray:
    """Cumulative ERAS fees of programs applied to in order, shape (n + 1,).

    ``codes`` (n,) names each program's ERAS specialty (its fee counter); ``offsets`` gives the
    programs already counted per specialty in other parts (entry 0 of the result is then 0 and
    the rest is the extra cost).
    """
    arr = np.asarray(codes, dtype=object)
    low, high, tier = _schedule()
    step = np.empty(len(arr))
    specialties = dict.fromkeys(arr.tolist())
    for code in specialties:
        start = int((offsets or {}).get(code, 0))
        _check_count(start, f"offsets[{code}]")
        if len(specialties) == 1:  # one counter (a part's usual case): positions in order
            step[:] = np.where(np.arange(start + 1, start + len(arr) + 1) <= tier, low, high)
            break
        mask = arr == code
        pos = start + np.cumsum(mask)[mask]
        step[mask] = np.where(pos <= tier, low, high)
    out = np.empty(len(arr) + 1)
    out[0] = 0.0
    np.cumsum(step, out=out[1:])
    return out


def portfolio_cost(counts_by_specialty: Mapping[str, int]) -> float:
    """ERAS fees of a whole application: ``{specialty: programs}``; pricing resets per key.

    Parts that ERAS counts as one specialty (categorical and preliminary Internal Medicine)
    must be summed under one key by the caller.
    """
    total = 0.0
    for spec, n in counts_by_specialty.items():
        _check_count(n, f"programs[{spec}]")
        total += eras_cost(int(n))
    return total


def one_time_fees(applicant_type: str, *, usmle_transcript: bool = True) -> tuple[OneTimeFee, ...]:
    """Season fees paid once: the ECFMG ERAS token (IMGs only) and the USMLE transcript."""
    out: list[OneTimeFee] = []
    if applicant_type in IMG_TYPES:
        f = fact("ecfmg_token")
        out.append(OneTimeFee(f.key, "ECFMG ERAS token", f.value, f.citation))
    if usmle_transcript:
        f = fact("usmle_transcript")
        out.append(OneTimeFee(f.key, "USMLE transcript", f.value, f.citation))
    return tuple(out)


def fee_sources() -> tuple[str, ...]:
    """Citations of the per-program fee schedule."""
    return tuple(
        dict.fromkeys(
            fact(k).citation
            for k in ("eras_fee_first_30", "eras_fee_from_31", "eras_fee_tier_size")
        )
    )
