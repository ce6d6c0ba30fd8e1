"""FREIDA ↔ NRMP crosswalk for Internal Medicine (pure: no database, no I/O).

No public table links an ACGME program id to its NRMP program codes, so we infer it as a
record-linkage problem (Fellegi–Sunter). The NRMP rows give a state, an institution label (often
wrong: the parser lost headings, so a row can carry the label, and even the state, of the block
above), a track and a quota; FREIDA gives a program name, city, state and first-year positions.

Method (details and measurements in ``docs/crosswalk.md``):

1. Group the NRMP Internal Medicine codes into *units* (:mod:`.crosswalk_units`), one per ACGME
   program as far as the codes show it, and decide which institution labels are reliable.
2. Candidate pairs: same state; a "label lost" unit listed in the state before the program's
   (the lost heading of a state's first sponsor); a site unit of a multi-state sponsor whose site
   names the program's city or whose sponsor label matches the program's name.
3. Compare each candidate pair on five features, each cut into levels (name, site, label order,
   size, state). The weight of a level is ``log(m/u)``: ``m`` its share among matched pairs,
   ``u`` among all candidate pairs. ``u`` is measured on the data; ``m`` starts from documented
   priors and is re-estimated once from the first pass's confident links.
4. Score = sum of the weights + log prior odds; a one-to-one assignment
   (:func:`scipy.optimize.linear_sum_assignment`) maximises the total score, each program also
   able to stay unlinked (score 0).
5. Confidence of a chosen pair = logistic(Δ), Δ = how much the best total score drops when the
   pair is forbidden (its min-marginal): large when the pair's evidence is strong *and* no
   other arrangement explains the data nearly as well. Pairs with Δ below
   :data:`MIN_MARGIN` are dropped (an unlinked program is better than a wrong link).
6. Leftover units of a sponsor go to its only linked program when that brings the program's
   size closer to FREIDA's first-year positions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .crosswalk_units import IM_SPECIALTY, Unit, build_units
from .names import acronym, coverage_matrix, normalize, previous_state

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
BIG_INSTITUTION = 12
MID_INSTITUTION = 5
PENALTY_OTHER_STATE = 6.0
#: A pair is linked only when forbidding it costs at least this much total score.
MIN_MARGIN = 0.2
#: Confidence = logistic(CONF_SLOPE · Δ + CONF_OFFSET) of the pair's margin Δ.
CONF_SLOPE = 1.0
CONF_OFFSET = 0.0

#: Feature → number of levels (level -1 = not applicable), for the method text and docs.
FEATURES: dict[str, int] = {"name": 4, "site": 2, "order": 2, "size": 5, "state": 3}
_NAME_CUTS = (0.45, 0.65, 0.85)  # name similarity → level 0..3
_SIZE_CUTS = (0.6, 0.35, 0.2, 0.08)  # |log size ratio| above the first → 0, ... below last → 4
_FORBIDDEN = 1e6  # cost of an impossible pair in the assignment


@dataclass(frozen=True)
class Link:
    """One FREIDA program linked to one NRMP program code."""

    acgme_id: str
    program_code: str
    confidence: float  # 0-1, our estimate
    method: str  # short description of the evidence


@dataclass(frozen=True)
class _Pairs:
    """Candidate pairs (i = FREIDA row, j = unit) and their feature levels."""

    i: np.ndarray
    j: np.ndarray
    levels: dict[str, np.ndarray]
    name_sim: np.ndarray  # 0-1 label↔name similarity, -1 when the label is not reliable
    gap: np.ndarray  # |log((F+2)/(N+2))| of FREIDA positions F and unit quota N; nan unknown
    academic: np.ndarray  # +1 university program ↔ big institution, -1 mismatch, 0 neutral


# ---------------------------------------------------------------- features
def _positions(freida: Sequence[Row]) -> np.ndarray:
    out = np.full(len(freida), np.nan)
    for k, r in enumerate(freida):
        raw = (r.get("first_year_positions") or "").strip()
        if raw:
            out[k] = float(raw)
    return out


def _site_matrix(units: Sequence[Unit], texts: Sequence[str], fnames: Sequence[str]) -> np.ndarray:
    """Does each unit's site ("Pensacola", "SRMC") appear in each FREIDA name + city?

    Every word of the site must be found (on its first letters, see
    :func:`~smartpick.catalog.names.coverage_matrix`), or an upper-case site of 3-6 letters
    must be the acronym of FREIDA's name.
    """
    out = np.zeros((len(units), len(texts)), dtype=bool)
    sited = [k for k, u in enumerate(units) if u.site]
    if not sited:
        return out
    out[sited] = coverage_matrix([units[k].site_norm for k in sited], texts) >= 0.999
    acronyms = np.array([acronym(f) for f in fnames])
    for k in sited:
        raw = (units[k].site or "").replace(".", "").strip()
        if raw.isupper() and 2 < len(raw) <= 6:
            out[k] |= np.char.find(acronyms, raw.lower()) >= 0
    return out


def _candidates(
    freida: Sequence[Row], units: Sequence[Unit], city_site: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs, state level 0 same, 1 lost heading of the state before, 2 other."""
    fstate = np.array([(r.get("state") or "").upper() for r in freida])
    estate = np.array(program_states(freida))
    ustate = np.array([u.state for u in units])
    lost = np.array([not u.label_reliable for u in units])
    prev = np.array([previous_state(s) or "" for s in fstate])
    same = (fstate[:, None] == ustate[None, :]) | (estate[:, None] == ustate[None, :])
    before = (prev[:, None] == ustate[None, :]) & lost[None, :]
    other = ~same & ~before & city_site
    i, j = np.nonzero(same | before | other)
    state = np.where(same[i, j], 0, np.where(before[i, j], 1, 2))
    return i, j, state


def program_states(freida: Sequence[Row]) -> list[str]:
    """The state encoded in each program's ACGME id (digits 4-5), "" when unknown.

    Each code's state is the one most FREIDA rows with that code give. It usually equals the
    listed state; where it does not, the program is looked for in both (two FREIDA locations
    are wrong in the source: 1403300539 "Andover KS" is New York Medical College's New Jersey
    program, 1400500014 "Saint Louis MO" is in California; but a multi-state sponsor's
    program carries the sponsor's code: Health Education Services in Valparaiso IN has TN's).
    """
    votes: dict[str, dict[str, int]] = {}
    for r in freida:
        code, st = (r.get("acgme_id") or "")[3:5], (r.get("state") or "").upper()
        votes.setdefault(code, {})[st] = votes.setdefault(code, {}).get(st, 0) + 1
    encoded = {c: max(sorted(v), key=lambda st: v[st]) for c, v in votes.items()}
    return [encoded.get((r.get("acgme_id") or "")[3:5], "") for r in freida]


def _first_labels(units: Sequence[Unit]) -> dict[str, str]:
    """Alphabetically first reliable (normalised) label of each state's section."""
    out: dict[str, str] = {}
    for u in units:
        if u.label_reliable and u.label_norm:
            out[u.state] = min(out.get(u.state, u.label_norm), u.label_norm)
    return out


def _levels(freida: Sequence[Row], units: Sequence[Unit]) -> _Pairs:
    fnames = [normalize(r.get("program_name")) for r in freida]
    cities = [normalize(r.get("city")) for r in freida]
    texts = [f"{n} {c}".strip() for n, c in zip(fnames, cities, strict=True)]
    labels = [normalize(u.label) for u in units]  # also the lost labels (see "order")
    cover_label = coverage_matrix(labels, texts)  # units × freida
    cover_name = coverage_matrix(fnames, labels)  # freida × units
    name_sim = 0.7 * cover_label.T + 0.3 * cover_name
    site = _site_matrix(units, texts, fnames).T  # freida × units
    # A multi-state sponsor lists its sites under its own state: such a pair is a candidate
    # only when the site is named in FREIDA's name or city AND the sponsor's reliable label
    # matches FREIDA's name (a city alone is not enough: "Montgomery" is in AL and PA).
    reliable = np.array([u.label_reliable and bool(u.label_norm) for u in units])
    city_site = site & reliable[None, :] & (name_sim >= _NAME_CUTS[0])
    i, j, state = _candidates(freida, units, city_site)
    name = np.where(reliable[j], np.searchsorted(_NAME_CUTS, name_sim[i, j], side="right"), -1)
    has_site = np.array([bool(u.site) for u in units])
    site_level = np.where(has_site[j], site[i, j].astype(int), -1)
    order = np.full(len(i), -1)
    first = _first_labels(units)
    for k in np.nonzero(~reliable[j] & (state < 2))[0]:
        u, f = units[j[k]], fnames[i[k]]
        if state[k] == 1:  # lost heading of the program's state: sorts before its first label
            head = first.get(str(freida[i[k]].get("state") or "").upper())
            order[k] = int(head is None or f < head)
        elif name_sim[i[k], j[k]] >= _NAME_CUTS[2]:
            order[k] = 0  # the program is the label's owner, which is another prefix
        elif u.order_lo is not None and (u.order_hi is None or u.order_lo < u.order_hi):
            # (an interval that normalisation turned upside down says nothing)
            order[k] = int(f >= u.order_lo and (u.order_hi is None or f < u.order_hi))
    pos = _positions(freida)[i]
    usize = np.array([u.size for u in units], dtype=float)[j]
    with np.errstate(invalid="ignore"):
        gap = np.abs(np.log((pos + 2.0) / (usize + 2.0)))
    size = np.where(np.isnan(pos) | (pos <= 0), -1, sum((gap <= c).astype(int) for c in _SIZE_CUTS))
    levels = {"name": name, "site": site_level, "order": order, "size": size, "state": state}
    sim = np.where(reliable[j], name_sim[i, j], -1.0)
    gap = np.where(np.isnan(pos) | (pos <= 0), np.nan, gap)
    levels_int = {k: np.asarray(v, dtype=int) for k, v in levels.items()}
    return _Pairs(i, j, levels_int, sim, gap, _academic(freida, units)[i, j])


def _academic(freida: Sequence[Row], units: Sequence[Unit]) -> np.ndarray:
    """+1 a university program and an institution with many specialties (a medical school's
    hospital), -1 a university program and a small one or another program and a big one."""
    university = np.array([(r.get("setting") or "") == "university" for r in freida])
    known = np.array(
        [(r.get("setting") or "") in {"university", "affiliated", "community"} for r in freida]
    )
    # a site unit of a big sponsor is a community hospital: no evidence either way
    n_spec = np.array([0 if u.site else u.specialties for u in units])
    big = n_spec >= BIG_INSTITUTION
    small = (n_spec < MID_INSTITUTION) & np.array([not u.site for u in units])
    out = np.where(
        university[:, None],
        np.where(big[None, :], 1, np.where(small[None, :], -1, 0)),
        np.where(big[None, :], -1, 0),
    )
    return np.where(known[:, None], out, 0)


# ---------------------------------------------------------------- score
def _scores(pairs: _Pairs) -> np.ndarray:
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
    n_f: int, group: np.ndarray, pairs: _Pairs, score: np.ndarray
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


def _groups(units: Sequence[Unit], pairs: _Pairs) -> np.ndarray:
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
    return round(float(1.0 / (1.0 + np.exp(-(CONF_SLOPE * delta + CONF_OFFSET)))), 3)


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

    pairs: _Pairs
    score: np.ndarray  # per candidate pair
    index: dict[tuple[int, int], int]  # (program, unit) → candidate pair
    chosen: dict[int, int]  # program → unit, margin ≥ MIN_MARGIN
    margin: dict[int, float]  # program → Δ of its chosen unit (all assigned programs)


def fit_crosswalk(freida: Sequence[Row], units: Sequence[Unit]) -> Fit:
    """Score, assign and measure the margins (``freida``: Internal Medicine rows only)."""
    return _fit(freida, units)


def _fit(freida: Sequence[Row], units: Sequence[Unit]) -> Fit:
    pairs = _levels(freida, units)
    score = _scores(pairs)
    chosen, margin = _assign(len(freida), _groups(units, pairs), pairs, score)
    index = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(pairs.i, pairs.j, strict=True))}
    keep = {a: b for a, b in chosen.items() if margin[a] >= MIN_MARGIN}
    return Fit(pairs, score, index, keep, margin)


def link_freida(freida: Sequence[Row], nrmp: Sequence[Row]) -> list[Link]:
    """Link each FREIDA Internal Medicine program to its NRMP Internal Medicine code(s).

    Deterministic: the same rows give the same links. Unlinked programs are left out.
    """
    freida = [r for r in freida if (r.get("acgme_id") or "")[:3] == IM_SPECIALTY]
    units = build_units(nrmp)
    if not freida or not units:
        return []
    fit = _fit(freida, units)
    links: list[Link] = []
    for a, b in sorted(fit.chosen.items()):
        k = fit.index[(a, b)]
        method = _method({f: int(v[k]) for f, v in fit.pairs.levels.items()}, units[b])
        conf = _confidence(fit.margin[a])
        links.extend(Link(str(freida[a]["acgme_id"]), c, conf, method) for c in units[b].codes)
    links.extend(_attach_leftovers(freida, units, fit.chosen, fit.margin))
    return sorted(links, key=lambda k: (k.acgme_id, k.program_code))


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
    pos = _positions(freida)
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
