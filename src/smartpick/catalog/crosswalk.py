"""FREIDA ↔ NRMP crosswalk for Internal Medicine (pure: no database, no I/O).

No public table links an ACGME program id to its NRMP program codes, so we infer it. The NRMP
rows give a state, an institution label (often wrong: the parser lost headings, so a row can
carry the label, and even the state, of the block above), a track and a quota; FREIDA gives a
program name, city, state and first-year positions (categorical + primary + preliminary).

Method (see ``docs/crosswalk.md``):

1. Group the NRMP Internal Medicine codes (specialty 140) into *units*, one per ACGME program
   as far as the codes show it: a sponsor's main categorical code with its track variants
   (research, PSTP, geriatrics, ...), its primary (M) and preliminary (P) codes; a categorical
   code named after a site ("Internal Med/Pensacola") is its own unit with the M / P codes of
   the same site.
2. Decide which labels are reliable: a label is trusted for the first institution prefix that
   carries it in file order; later prefixes under the same label lost their heading, and their
   true name sorts alphabetically between that label and the next one.
3. Score every FREIDA program against every unit from state, name similarity (rapidfuzz),
   alphabetical position and size, then solve a one-to-one assignment
   (:func:`scipy.optimize.linear_sum_assignment`) with an "unlinked" option per program.
4. Attach the leftover units of a sponsor to its only linked program when that brings the
   program's size closer to FREIDA's first-year positions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .crosswalk_units import IM_SPECIALTY, Unit, build_units
from .names import TokenWeights, acronym, next_state, normalize

__all__ = ["Link", "crosswalk_report", "link_freida", "score_matrix"]

Row = Mapping[str, str | None]

#: Cost of leaving a FREIDA program unlinked; a pair must score above this to be linked.
UNLINKED_SCORE = 0.6
#: Score weights (dimensionless; see docs/crosswalk.md for how they were chosen).
W_NAME = 6.0
W_NAME_AGAINST = 3.0
NAME_CENTRE = 0.4
W_SITE = 2.5
W_SIZE = 2.0
W_ORDER = 1.0
PENALTY_OTHER_STATE = 6.0
PENALTY_NEXT_STATE = 1.0
NOT_A_CANDIDATE = -100.0
#: Residual pass: minimum size score, and the confidence given to such links (our estimate).
RESIDUAL_SIZE = 0.6
RESIDUAL_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Link:
    """One FREIDA program linked to one NRMP program code."""

    acgme_id: str
    program_code: str
    confidence: float  # 0-1, our estimate
    method: str  # short description of the evidence


def _freida_text(row: Row) -> str:
    return normalize(row.get("program_name"))


def _size_score(freida_pos: float, unit_size: float) -> float:
    """1 for equal sizes, falling with the log-ratio; 0 when FREIDA gives no size (or 0)."""
    if np.isnan(freida_pos) or freida_pos <= 0:
        return 0.0
    ratio = abs(np.log((freida_pos + 2.0) / (unit_size + 2.0)))
    return float(1.0 - min(ratio / 0.3, 1.6))


def _site_match(site: str, site_norm: str, fname: str, city: str) -> bool:
    """Does a site named in an NRMP program name ("Pensacola", "SRMC") appear in FREIDA's?"""
    from rapidfuzz import fuzz

    text = f"{fname} {city}"
    if len(site_norm) >= 4 and fuzz.partial_ratio(site_norm, text) >= 90:
        return True
    raw = site.replace(".", "").strip()
    return raw.isupper() and 2 < len(raw) <= 6 and raw.lower() in acronym(fname)


def _name_term(name: float) -> float:
    """Name evidence: strong for a match, mild against a mismatch (labels are often wrong)."""
    if name < 0:
        return 0.0
    gap = name - NAME_CENTRE
    return W_NAME * gap if gap > 0 else W_NAME_AGAINST * gap


@dataclass(frozen=True)
class _Evidence:
    """Parts of one pair's score (for the method text and the docs)."""

    name: float  # 0-1 weighted word coverage, 0 when the label is unreliable
    site: bool
    order: int  # +1 inside the lost label's interval, -1 outside, 0 not applicable
    size: float
    state: str  # "same", "next" or "other"

    @property
    def score(self) -> float:
        state_pen = {"same": 0.0, "next": PENALTY_NEXT_STATE}.get(self.state, PENALTY_OTHER_STATE)
        return (
            _name_term(self.name)
            + W_SITE * self.site
            + W_ORDER * self.order
            + W_SIZE * self.size
            - state_pen * (0.2 if self.site else 1.0)
        )


def _evidence(f: Row, fname: str, city: str, unit: Unit, weights: TokenWeights) -> _Evidence:
    fstate = (f.get("state") or "").upper()
    if fstate == unit.state:
        state = "same"
    elif fstate == next_state(unit.state) and not unit.label_reliable:
        state = "next"
    else:
        state = "other"
    name = -1.0
    if unit.label_norm:
        text = f"{fname} {city}"
        name = 0.7 * weights.coverage(unit.label_norm, text) + 0.3 * weights.coverage(
            fname, unit.label_norm
        )
    site = bool(unit.site) and _site_match(unit.site or "", unit.site_norm, fname, city)
    order = 0
    if not unit.label_reliable and unit.order_lo is not None:
        inside = fname >= unit.order_lo and (unit.order_hi is None or fname < unit.order_hi)
        order = 1 if inside else -1
    pos = float(f.get("first_year_positions") or "nan")
    return _Evidence(name, site, order, _size_score(pos, unit.size), state)


def _candidate(fstate: str, unit: Unit) -> bool:
    """Pairs worth scoring: same or neighbouring state, or a unit named after a site."""
    return bool(unit.site) or fstate in {unit.state, next_state(unit.state)}


def score_matrix(freida: Sequence[Row], units: Sequence[Unit]) -> np.ndarray:
    """Evidence score of every (FREIDA program, unit) pair; higher is better."""
    fnames = [_freida_text(r) for r in freida]
    fcities = [normalize(r.get("city")) for r in freida]
    weights = TokenWeights(fnames + sorted({u.label_norm for u in units if u.label_norm}))
    scores = np.full((len(freida), len(units)), NOT_A_CANDIDATE)
    for i, f in enumerate(freida):
        fstate = (f.get("state") or "").upper()
        for j, unit in enumerate(units):
            if _candidate(fstate, unit):
                scores[i, j] = _evidence(f, fnames[i], fcities[i], unit, weights).score
    return scores


def _confidence(best: float, rival: float) -> float:
    """Our confidence in a pair: logistic in its score and its margin over the best rival."""
    margin = best - max(rival, UNLINKED_SCORE)
    strength = best - UNLINKED_SCORE
    return float(1.0 / (1.0 + np.exp(-(0.8 * margin + 0.4 * strength - 0.5))))


def _method(ev: _Evidence, unit: Unit) -> str:
    """Short text naming the evidence behind a link."""
    parts: list[str] = []
    if ev.name >= NAME_CENTRE + 0.2:
        parts.append("name")
    if ev.site:
        parts.append("site")
    if ev.order > 0:
        parts.append("label order")
    if ev.size > 0.5:
        parts.append("size")
    if ev.state != "same":
        parts.append(f"listed in {unit.state}")
    return "+".join(parts) or "state only"


def _context(
    freida: Sequence[Row], units: Sequence[Unit]
) -> tuple[list[str], list[str], TokenWeights]:
    fnames = [_freida_text(r) for r in freida]
    fcities = [normalize(r.get("city")) for r in freida]
    weights = TokenWeights(fnames + sorted({u.label_norm for u in units if u.label_norm}))
    return fnames, fcities, weights


def _assign(scores: np.ndarray, threshold: float) -> dict[int, int]:
    """One-to-one assignment maximising the total score; pairs at or below threshold dropped."""
    from scipy.optimize import linear_sum_assignment

    n_f, n_u = scores.shape
    cost = np.full((n_f, n_u + n_f), 1e9)
    cost[:, :n_u] = -scores
    cost[np.arange(n_f), n_u + np.arange(n_f)] = -threshold
    rows, cols = linear_sum_assignment(cost)
    return {
        int(i): int(j)
        for i, j in zip(rows, cols, strict=True)
        if j < n_u and scores[i, j] > threshold
    }


def link_freida(freida: Sequence[Row], nrmp: Sequence[Row]) -> list[Link]:
    """Link each FREIDA Internal Medicine program to its NRMP Internal Medicine code(s).

    Deterministic: the same rows give the same links. Unlinked programs are left out.
    """
    freida = [r for r in freida if (r.get("acgme_id") or "")[:3] == IM_SPECIALTY]
    units = build_units(nrmp)
    if not freida or not units:
        return []
    fnames, fcities, weights = _context(freida, units)
    scores = score_matrix(freida, units)
    chosen = _assign(scores, UNLINKED_SCORE)
    links: list[Link] = []
    for i, j in sorted(chosen.items()):
        others = max(
            np.delete(scores[i], j).max(initial=-np.inf),
            np.delete(scores[:, j], i).max(initial=-np.inf),
        )
        conf = round(_confidence(float(scores[i, j]), float(others)), 3)
        ev = _evidence(freida[i], fnames[i], fcities[i], units[j], weights)
        links.extend(
            Link(str(freida[i]["acgme_id"]), c, conf, _method(ev, units[j])) for c in units[j].codes
        )
    residual = _residual(freida, units, chosen)
    for i, j in sorted(residual.items()):
        links.extend(
            Link(
                str(freida[i]["acgme_id"]), c, RESIDUAL_CONFIDENCE, "only size match left in state"
            )
            for c in units[j].codes
        )
    chosen = {**chosen, **residual}
    links.extend(_attach_leftovers(freida, units, chosen, links))
    return sorted(links, key=lambda k: (k.acgme_id, k.program_code))


def _residual(
    freida: Sequence[Row], units: Sequence[Unit], chosen: Mapping[int, int]
) -> dict[int, int]:
    """Leftover programs and units of one state whose sizes pair them unambiguously.

    Only units whose label was lost qualify (a reliable label that does not match the name is
    evidence against the pair), and a pair is kept only when each is the other's only leftover
    within the size tolerance.
    """
    taken = set(chosen.values())
    left_f = [i for i in range(len(freida)) if i not in chosen]
    left_u = [j for j in range(len(units)) if j not in taken]
    fits: dict[int, list[int]] = {i: [] for i in left_f}
    fitted_by: dict[int, list[int]] = {j: [] for j in left_u}
    for i in left_f:
        pos = float(freida[i].get("first_year_positions") or "nan")
        state = (freida[i].get("state") or "").upper()
        for j in left_u:
            unit = units[j]
            if (
                unit.state == state
                and not unit.label_reliable
                and _size_score(pos, unit.size) > RESIDUAL_SIZE
            ):
                fits[i].append(j)
                fitted_by[j].append(i)
    return {i: js[0] for i, js in fits.items() if len(js) == 1 and len(fitted_by[js[0]]) == 1}


def _attach_leftovers(
    freida: Sequence[Row],
    units: Sequence[Unit],
    chosen: Mapping[int, int],
    links: Sequence[Link],
) -> list[Link]:
    """Give a sponsor's unassigned units to its only linked program when sizes agree better."""
    by_inst: dict[str, list[int]] = {}
    for i, j in chosen.items():
        by_inst.setdefault(units[j].inst, []).append(i)
    conf = {lk.acgme_id: lk.confidence for lk in links}
    out: list[Link] = []
    size_now = {i: units[j].size for i, j in chosen.items()}
    for j, unit in enumerate(units):
        owners = by_inst.get(unit.inst, [])
        if j in chosen.values() or len(owners) != 1:
            continue
        i = owners[0]
        acgme = str(freida[i]["acgme_id"])
        if acgme not in conf:
            continue
        pos = float(freida[i].get("first_year_positions") or "nan")
        if np.isnan(pos) or abs(pos - (size_now[i] + unit.size)) >= abs(pos - size_now[i]):
            continue
        size_now[i] += unit.size
        for code in unit.codes:
            out.append(Link(acgme, code, round(conf[acgme] * 0.9, 3), "same sponsor, size"))
    return out


def crosswalk_report(links: Sequence[Link], freida: Sequence[Row]) -> dict[str, object]:
    """Coverage and confidence histogram of a crosswalk, for the build log and docs."""
    programs = {r["acgme_id"] for r in freida if (r.get("acgme_id") or "")[:3] == IM_SPECIALTY}
    best: dict[str, float] = {}
    for lk in links:
        best[lk.acgme_id] = max(best.get(lk.acgme_id, 0.0), lk.confidence)
    linked = [a for a in programs if a in best]
    edges = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001]
    counts, _ = np.histogram([best[a] for a in linked], bins=edges)
    labels = ["<0.5", "0.5-0.7", "0.7-0.8", "0.8-0.9", "0.9-0.95", ">=0.95"]
    return {
        "freida_programs": len(programs),
        "linked_programs": len(linked),
        "linked_share": round(len(linked) / len(programs), 4) if programs else 0.0,
        "program_codes": len({lk.program_code for lk in links}),
        "confidence_histogram": dict(zip(labels, (int(c) for c in counts), strict=True)),
        "methods": _method_counts(links),
    }


def _method_counts(links: Sequence[Link]) -> dict[str, int]:
    out: dict[str, int] = {}
    for lk in links:
        out[lk.method] = out.get(lk.method, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))
