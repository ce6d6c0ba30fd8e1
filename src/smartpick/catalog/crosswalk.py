"""FREIDA ↔ NRMP crosswalk for Internal Medicine (pure: no database, no I/O).

No public table links an ACGME program id to its NRMP program codes, so we infer it. The NRMP
rows give a state, an institution label (often wrong: the parser lost headings, so a row can
carry the label, and even the state, of the block above), a track and a quota; FREIDA gives a
program name, city, state, setting and first-year positions.

Method (formula, measurements and audit in ``docs/crosswalk.md``):

0. Curated links (:mod:`.crosswalk_curated`, the hand-verified ``crosswalk_manual.csv``) are
   applied first; their programs and codes are left out of the automatic pass.
1. Units and candidate pairs (:mod:`.crosswalk_units`): the NRMP IM codes grouped per program,
   label reliability, and per (program, unit) pair the evidence: name similarity, named site,
   label order, size gap, institution size, state relation; all NumPy, no loop over pairs.
2. Score = a sum of terms each monotone in its evidence (:func:`_scores`).
3. One-to-one assignment (:func:`scipy.optimize.linear_sum_assignment`) per connected block of
   positive pairs, each program also able to stay unlinked (score 0).
4. Confidence = logistic(Δ), Δ = how much the best total score drops when the program may not
   take its unit (min-marginal): high when the evidence is strong *and* no other arrangement
   explains the data nearly as well. Pairs with Δ < :data:`MIN_MARGIN` are not linked.
5. Leftover units of a sponsor go to its only linked program when that brings the program's
   size closer to FREIDA's first-year positions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .crosswalk_curated import (
    CURATED_CONFIDENCE,
    Curated,
    applicable,
    load_curated,
    without_codes,
)
from .crosswalk_units import (
    FEATURES,
    IM_SPECIALTY,
    Pairs,
    Unit,
    build_units,
    candidate_pairs,
    positions,
    program_states,
)

__all__ = [
    "FEATURES",
    "Fit",
    "Link",
    "crosswalk_report",
    "fit_crosswalk",
    "link_freida",
    "program_states",
]

Row = Mapping[str, str | None]

#: Score weights (dimensionless; see docs/crosswalk.md).
UNLINKED_SCORE = 0.6
W_NAME = 6.0
W_NAME_AGAINST = 6.0
NAME_CENTRE = 0.4
W_SITE = 2.5
W_SIZE = 2.0
W_ORDER = 1.0
PENALTY_NEXT_STATE = 1.0
#: University programs sit in institutions with many NRMP specialties: of the links made with
#: confidence ≥ 0.95 without this term, 42 of 60 university programs had ≥ 12 specialties
#: against 25 of 320 affiliated or community ones, and only 5 had fewer than 5.
W_ACADEMIC = 1.0
PENALTY_OTHER_STATE = 6.0
#: A pair is linked only when forbidding it costs at least this much total score.
MIN_MARGIN = 0.2

_FORBIDDEN = 1e6  # cost of an impossible pair in the assignment


@dataclass(frozen=True)
class Link:
    """One FREIDA program linked to one NRMP program code."""

    acgme_id: str
    program_code: str
    confidence: float  # 0-1, our estimate
    method: str  # short description of the evidence


# ---------------------------------------------------------------- score
def _scores(pairs: Pairs) -> np.ndarray:
    """Evidence score of each candidate pair, above the "unlinked" option (score 0).

    score = name + site + order + size − state − :data:`UNLINKED_SCORE`, with
    name = W_NAME·(sim − 0.4) above 0.4 and W_NAME_AGAINST·(sim − 0.4) below (labels are
    often wrong, so a mismatch counts less than a match), site = W_SITE when the NRMP site is
    named in FREIDA's name or city, order = ±W_ORDER inside / outside a lost label's interval,
    size = W_SIZE·(1 − min(gap/0.3, 1.6)), state = 0 (same), PENALTY_NEXT_STATE (lost heading
    of the state before), PENALTY_OTHER_STATE (a multi-state sponsor's site; ×0.2 since the
    site must then name the program's city or the sponsor must match). Each term is monotone
    in its evidence.
    """
    lv = pairs.levels
    gap_c = pairs.name_sim - NAME_CENTRE
    name = np.where(
        pairs.name_sim < 0, 0.0, np.where(gap_c > 0, W_NAME * gap_c, W_NAME_AGAINST * gap_c)
    )
    site = W_SITE * (lv["site"] == 1)
    order = W_ORDER * np.where(lv["order"] < 0, 0, 2 * lv["order"] - 1)
    size = np.where(np.isnan(pairs.gap), 0.0, W_SIZE * (1.0 - np.minimum(pairs.gap / 0.3, 1.6)))
    penalty = np.choose(lv["state"], [0.0, PENALTY_NEXT_STATE, 0.2 * PENALTY_OTHER_STATE])
    academic = W_ACADEMIC * pairs.academic
    return np.asarray(name + site + order + size + academic - penalty - UNLINKED_SCORE, dtype=float)


# ---------------------------------------------------------------- assignment
def _solve(score: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Best one-to-one assignment of a dense block (rows may stay unlinked at score 0).

    Returns the total score and the chosen (row, column) pairs.
    """
    from scipy.optimize import linear_sum_assignment

    n_f, n_u = score.shape
    cost = np.full((n_f, n_u + n_f), _FORBIDDEN)
    cost[:, :n_u] = -score
    cost[np.arange(n_f), n_u + np.arange(n_f)] = 0.0
    rows, cols = linear_sum_assignment(cost)
    real = cols < n_u
    return float(-cost[rows, cols].sum()), rows[real], cols[real]


def _assign(
    n_f: int, group: np.ndarray, pairs: Pairs, score: np.ndarray
) -> tuple[dict[int, int], dict[int, float]]:
    """Assignment per connected block of positive-score pairs, with each pair's margin Δ.

    Δ (min-marginal) = best total score − best total score when the program may not take the
    chosen unit nor any other unit of the same ``group`` (the sponsor's units that are not a
    named site: choosing between them is not a different link, the leftovers are attached
    afterwards); computed by re-solving the pair's block only.
    """
    n_u = len(group)
    keep = score > 0
    i, j, s = pairs.i[keep], pairs.j[keep], score[keep]
    comp = _components(n_f, n_u, i, j)
    chosen: dict[int, int] = {}
    margin: dict[int, float] = {}
    for c in np.unique(comp[i]):
        sel = comp[i] == c
        rows, r_idx = np.unique(i[sel], return_inverse=True)
        cols, c_idx = np.unique(j[sel], return_inverse=True)
        block = np.full((len(rows), len(cols)), -_FORBIDDEN)
        block[r_idx, c_idx] = s[sel]
        total, best_r, best_c = _solve(block)
        for r, col in zip(best_r.tolist(), best_c.tolist(), strict=True):
            chosen[int(rows[r])] = int(cols[col])
            same = np.nonzero(group[cols] == group[cols[col]])[0]
            kept = block[r, same].copy()
            block[r, same] = -_FORBIDDEN
            margin[int(rows[r])] = total - _solve(block)[0]
            block[r, same] = kept
    return chosen, margin


def _groups(units: Sequence[Unit], pairs: Pairs) -> np.ndarray:
    """Group id per unit: its institution, or itself when its site is named by some program."""
    named = np.zeros(len(units), dtype=bool)
    named[pairs.j[pairs.levels["site"] == 1]] = True
    inst: dict[str, int] = {}
    return np.array(
        [k + len(units) if named[k] else inst.setdefault(u.inst, k) for k, u in enumerate(units)]
    )


def _components(n_f: int, n_u: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected component of each node (programs 0..n_f-1, then units) of the pair graph."""
    parent = list(range(n_f + n_u))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(i.tolist(), (j + n_f).tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(x) for x in range(n_f + n_u)])


def _confidence(delta: float) -> float:
    return round(float(1.0 / (1.0 + np.exp(-delta))), 3)


def _method(levels: Mapping[str, int], unit: Unit) -> str:
    """Short text naming the evidence behind a link."""
    parts: list[str] = []
    if levels["name"] >= 2:
        parts.append("name")
    if levels["site"] == 1:
        parts.append("site")
    if levels["order"] == 1:
        parts.append("label order")
    if levels["size"] >= 3:
        parts.append("size")
    if levels["state"] == 1:
        parts.append(f"lost heading in {unit.state}")
    elif levels["state"] == 2:
        parts.append(f"listed in {unit.state}")
    return "+".join(parts) or "elimination"


@dataclass(frozen=True)
class Fit:
    """The crosswalk's intermediate results (for diagnostics and the docs)."""

    pairs: Pairs
    score: np.ndarray  # per candidate pair
    index: dict[tuple[int, int], int]  # (program, unit) → candidate pair
    chosen: dict[int, int]  # program → unit, margin ≥ MIN_MARGIN
    margin: dict[int, float]  # program → Δ of its chosen unit (all assigned programs)


def fit_crosswalk(freida: Sequence[Row], units: Sequence[Unit]) -> Fit:
    """Score, assign and measure the margins (``freida``: Internal Medicine rows only)."""
    return _fit(freida, units)


def _fit(freida: Sequence[Row], units: Sequence[Unit]) -> Fit:
    pairs = candidate_pairs(freida, units)
    score = _scores(pairs)
    chosen, margin = _assign(len(freida), _groups(units, pairs), pairs, score)
    index = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(pairs.i, pairs.j, strict=True))}
    keep = {a: b for a, b in chosen.items() if margin[a] >= MIN_MARGIN}
    return Fit(pairs, score, index, keep, margin)


def link_freida(
    freida: Sequence[Row], nrmp: Sequence[Row], curated: Sequence[Curated] | None = None
) -> list[Link]:
    """Link each FREIDA Internal Medicine program to its NRMP Internal Medicine code(s).

    ``curated`` (default: the shipped ``crosswalk_manual.csv``) pairs are applied first, for
    the programs and codes present in the inputs; the automatic pass then links the other
    programs to the other codes, so no code gets two owners. Deterministic: the same rows give
    the same links. Unlinked programs are left out.
    """
    freida = [r for r in freida if (r.get("acgme_id") or "")[:3] == IM_SPECIALTY]
    units = build_units(nrmp)
    if not freida or not units:
        return []
    pinned = applicable(
        load_curated() if curated is None else curated,
        (str(r["acgme_id"]) for r in freida),
        (c for u in units for c in u.codes),
    )
    links = [
        Link(c.acgme_id, c.program_code, CURATED_CONFIDENCE, f"curated: {c.evidence}")
        for c in pinned
    ]
    if pinned:
        done = {c.acgme_id for c in pinned}
        freida = [r for r in freida if str(r["acgme_id"]) not in done]
        quota = {str(r["program_code"]): int(r.get("quota_2026") or 0) for r in nrmp}
        units = without_codes(units, (c.program_code for c in pinned), quota)
    if freida and units:
        links.extend(_automatic(freida, units))
    return sorted(links, key=lambda k: (k.acgme_id, k.program_code))


def _automatic(freida: Sequence[Row], units: Sequence[Unit]) -> list[Link]:
    """Score, assign and attach leftovers (the automatic links)."""
    fit = _fit(freida, units)
    links: list[Link] = []
    for a, b in sorted(fit.chosen.items()):
        k = fit.index[(a, b)]
        method = _method({f: int(v[k]) for f, v in fit.pairs.levels.items()}, units[b])
        conf = _confidence(fit.margin[a])
        links.extend(Link(str(freida[a]["acgme_id"]), c, conf, method) for c in units[b].codes)
    links.extend(_attach_leftovers(freida, units, fit.chosen, fit.margin))
    return links


def _attach_leftovers(
    freida: Sequence[Row],
    units: Sequence[Unit],
    chosen: Mapping[int, int],
    margin: Mapping[int, float],
) -> list[Link]:
    """Give a sponsor's unassigned units to its only linked program when sizes agree better.

    Confidence: that of the program's main link, less one nat of margin (the size evidence
    for the extra unit is weaker than the evidence for the main one).
    """
    by_inst: dict[str, list[int]] = {}
    for i, j in chosen.items():
        by_inst.setdefault(units[j].inst, []).append(i)
    taken = set(chosen.values())
    pos = positions(freida)
    size_now = {i: float(units[j].size) for i, j in chosen.items()}
    out: list[Link] = []
    for j, unit in enumerate(units):
        owners = by_inst.get(unit.inst, [])
        if j in taken or len(owners) != 1:
            continue
        i = owners[0]
        if np.isnan(pos[i]) or abs(pos[i] - (size_now[i] + unit.size)) >= abs(pos[i] - size_now[i]):
            continue
        size_now[i] += unit.size
        conf = _confidence(margin[i] - 1.0)
        acgme = str(freida[i]["acgme_id"])
        out.extend(Link(acgme, code, conf, "same sponsor, size") for code in unit.codes)
    return out


def crosswalk_report(links: Sequence[Link], freida: Sequence[Row]) -> dict[str, object]:
    """Coverage and confidence histogram of a crosswalk, for the build log and docs."""
    programs = {r["acgme_id"] for r in freida if (r.get("acgme_id") or "")[:3] == IM_SPECIALTY}
    military = {
        r["acgme_id"]
        for r in freida
        if (r.get("acgme_id") or "")[:3] == IM_SPECIALTY and r.get("setting") == "military"
    }
    best: dict[str, float] = {}
    for lk in links:
        best[lk.acgme_id] = max(best.get(lk.acgme_id, 0.0), lk.confidence)
    linked = [a for a in programs if a in best]
    edges = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001]
    counts, _ = np.histogram([best[a] for a in linked], bins=edges)
    labels = ["<0.5", "0.5-0.7", "0.7-0.8", "0.8-0.9", "0.9-0.95", "0.95-0.99", ">=0.99"]
    civilian = programs - military
    return {
        "freida_programs": len(programs),
        "linked_programs": len(linked),
        "linked_share": round(len(linked) / len(programs), 4) if programs else 0.0,
        "military_programs": len(military),
        "linked_share_non_military": (
            round(len([a for a in linked if a in civilian]) / len(civilian), 4) if civilian else 0.0
        ),
        "program_codes": len({lk.program_code for lk in links}),
        "confidence_histogram": dict(zip(labels, (int(c) for c in counts), strict=True)),
        "methods": _method_counts(links),
    }


def _method_counts(links: Sequence[Link]) -> dict[str, int]:
    out: dict[str, int] = {}
    for lk in links:
        out[lk.method] = out.get(lk.method, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))
