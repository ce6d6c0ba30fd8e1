"""The combination of a portfolio's parts: their joint odds and their cost.

**Combining the odds.** The applicant ranks every primary program first, then the backup
specialty's programs, then the preliminary / transitional-year programs. A later part only
matters when every earlier part failed. The parts share the applicant's unobserved strength u
(a weak application is weak in every specialty), so they are independent only *given* u (and
the parameters). Hence, at every strength node and parameter draw,

- P(categorical position | u) = 1 − (1 − P_primary(u))(1 − P_backup(u)),
- P(any PGY-1 position | u)   = 1 − (1 − P_primary(u))(1 − P_backup(u))(1 − P_preliminary(u)),

averaged over u; adding a part never lowers the combined odds. Ranges are the 10th-90th
percentiles of the combination over draws and strength nodes (paired across parts: draw i and
node q are the same in every part).

**Combining the cost.** ERAS prices per specialty: programs 1-30 of each specialty cost $11,
then $30. A preliminary Internal Medicine list shares the Internal Medicine counter with an
Internal Medicine primary or backup list (its programs continue that count); a transitional-year
list has its own counter. Each part reports the extra cost it adds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from smartpick.errors import InputError
from smartpick.frame import FloatArray
from smartpick.plan.fees import eras_cost_sequence
from smartpick.plan.forecast import weighted_percentiles

__all__ = ["ROLE_ORDER", "PartOutcome", "PartSummary", "Portfolio", "Role", "combine"]

Role = Literal["primary", "backup", "preliminary"]
ROLE_ORDER: dict[str, int] = {"primary": 0, "backup": 1, "preliminary": 2}


@dataclass(frozen=True, eq=False)
class PartOutcome:
    """One part's chosen list, reduced to what the combination needs."""

    role: Role
    specialty: str
    track: str  # "categorical" | "preliminary"
    fee_codes: tuple[str, ...]  # ERAS specialty code of each listed program, in order
    match_probability: float
    samples: FloatArray | None = None  # (d, r) P(match | draw, range strength node)
    nodes: FloatArray | None = None  # (q,) P(match | strength node) at the point parameters
    weights: FloatArray | None = None  # (q,) strength-node weights
    sample_weights: FloatArray | None = None  # (r,) range strength-node weights

    @property
    def count(self) -> int:
        """Programs in this part."""
        return len(self.fee_codes)


@dataclass(frozen=True, eq=False)
class PartSummary:
    """A part inside a combined portfolio, with its share of the cost."""

    role: Role
    specialty: str
    track: str
    count: int
    cost_usd: float  # extra ERAS fees this part adds (shared counters continue)
    match_probability: float
    low: float
    high: float


@dataclass(frozen=True, eq=False)
class Portfolio:
    """Combined odds and cost of all parts."""

    parts: tuple[PartSummary, ...]
    match_probability_any: float  # P(match to any PGY-1 position)
    any_low: float
    any_high: float
    match_probability_categorical: float  # P(categorical position): primary or backup
    categorical_low: float
    categorical_high: float
    cost_usd: float
    counts_by_specialty: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # the joint sizing's notes (one target, one budget)


def _range(values: FloatArray, w: FloatArray, point: float) -> tuple[float, float]:
    """10th-90th percentile of P(match | draw, node) (rows: draws, columns: nodes)."""
    lo, hi = weighted_percentiles(values, np.broadcast_to(w / len(values), values.shape))
    return float(min(lo, point)), float(max(hi, point))


def _on_nodes(values: FloatArray | None, point: float, q: int) -> FloatArray:
    """A part's (q,) node values; a part without nodes counts its point at every node."""
    if values is None or len(values) == 1:
        return np.full(q, point if values is None else float(values[0]))
    return values


def _on_draw_nodes(part: PartOutcome, r: int) -> FloatArray:
    """A part's (d or 1, r) values over draws and the range's nodes."""
    s = part.samples
    if s is None:
        return np.full((1, r), part.match_probability)
    if s.ndim == 1:  # per-draw values of independent programs
        s = s[:, None]
    return np.repeat(s, r, axis=1) if s.shape[1] == 1 and r > 1 else s


def _either(
    parts: Sequence[PartOutcome], w: FloatArray, wr: FloatArray, d: int
) -> tuple[float, FloatArray]:
    """1 − Π(1 − P(u)) over parts: the point (averaged over u) and (d, r) draw values."""
    miss = np.ones(len(w))
    miss_d = np.ones((d, len(wr)))
    for q in parts:
        miss = miss * (1.0 - _on_nodes(q.nodes, q.match_probability, len(w)))
        miss_d = miss_d * (1.0 - _on_draw_nodes(q, len(wr)))
    return float(w @ (1.0 - miss)), 1.0 - miss_d


def _shared(arrays: list[FloatArray | None], what: str) -> FloatArray:
    """The node weights every part shares (one node when no part has more)."""
    many = [a for a in arrays if a is not None and len(a) > 1]
    if any(
        len(a) != len(many[0]) or not (np.array_equal(a, many[0]) or np.allclose(a, many[0]))
        for a in many
    ):
        raise InputError(f"parts have different {what}", field="portfolio")
    return many[0] if many else np.ones(1)


def combine(parts: Sequence[PartOutcome]) -> Portfolio:
    """Combined odds and cost of the parts (ordered primary, backup, preliminary)."""
    roles = [q.role for q in parts]
    if len(set(roles)) != len(roles) or roles.count("primary") != 1:
        raise InputError(
            "need exactly one primary part and at most one of each other role", field="portfolio"
        )
    ordered = sorted(parts, key=lambda q: ROLE_ORDER[q.role])
    ds = {len(q.samples) for q in ordered if q.samples is not None and len(q.samples) > 1}
    if len(ds) > 1:
        raise InputError(f"parts have different numbers of draws {sorted(ds)}", field="portfolio")
    d = ds.pop() if ds else 1
    w = _shared([q.weights for q in ordered], "strength nodes")
    wr = _shared(
        [q.sample_weights for q in ordered if q.samples is not None and q.samples.ndim == 2],
        "range strength nodes",
    )
    counters: Counter[str] = Counter()
    summaries: list[PartSummary] = []
    total = 0.0
    for q in ordered:
        cost = float(eras_cost_sequence(np.array(q.fee_codes, dtype=object), counters)[-1])
        counters.update(q.fee_codes)  # first seen first, as the specialties are listed
        total += cost
        lo, hi = _range(_on_draw_nodes(q, len(wr)), wr, q.match_probability)
        summaries.append(
            PartSummary(q.role, q.specialty, q.track, q.count, cost, q.match_probability, lo, hi)
        )
    cat = [q for q in ordered if q.role != "preliminary"]
    p_cat, s_cat = _either(cat, w, wr, d)
    p_any, s_any = _either(ordered, w, wr, d)
    cat_lo, cat_hi = _range(s_cat, wr, p_cat)
    any_lo, any_hi = _range(s_any, wr, p_any)
    return Portfolio(
        parts=tuple(summaries),
        match_probability_any=p_any,
        any_low=any_lo,
        any_high=any_hi,
        match_probability_categorical=p_cat,
        categorical_low=cat_lo,
        categorical_high=cat_hi,
        cost_usd=total,
        counts_by_specialty=dict(counters),
    )
