"""Residency Explorer rows → NRMP program codes (pure: no database, no I/O).

The AAMC Residency Explorer file names each program ACGME-style ("Abington Memorial Hospital
Program") with its city and state, but carries no NRMP code or ACGME id. The linker:

1. **Internal Medicine through FREIDA.** An IM row is matched to the FREIDA program of the same
   state whose name (the same ACGME style) and city agree best, one to one per state; the
   codes the FREIDA program is linked to (``freida_link``) are the row's.
2. **Every other row** (and IM rows the first route did not place) is scored against the
   *units* of its NRMP specialty in its state (:mod:`.explorer_units`: one unit = the codes
   of one program at one institution prefix). Score = name + city + site + order + sponsor −
   :data:`UNLINKED_SCORE` (:func:`_score`), each term monotone in its evidence.
3. **One-to-one assignment** per (specialty, state) block with
   :func:`scipy.optimize.linear_sum_assignment`, each row also able to stay unlinked.
   Confidence = logistic(Δ), Δ = how much the block's best total drops when the row may not
   take its unit; links with Δ < :data:`MIN_MARGIN` are dropped as ambiguous.
4. **Sponsors across specialties.** ACGME sponsor names repeat across specialties, so after a
   first pass the institution prefixes that confident links gave a (state, sponsor name) are
   evidence for the same sponsor's rows in other specialties; the assignment is re-run with
   that term.

The row owns every code of its unit (categorical, preliminary, advanced, physician and
primary-care tracks of the same program). Method and measured coverage: ``docs/explorer.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .explorer_score import (
    Cities,
    RowText,
    Sponsors,
    Weights,
    site_named,
)
from .explorer_score import score as pair_score
from .explorer_units import (
    SPECIALTY_CODES,
    Candidate,
    ExplorerInput,
    ExplorerLink,
    FreidaName,
    Linkage,
    Unit,
    Unlinked,
    build_units,
    normal,
    row_text,
)

__all__ = [
    "MIN_MARGIN",
    "ExplorerInput",
    "ExplorerLink",
    "Linkage",
    "Unlinked",
    "link_explorer",
]

#: A row is linked only when forbidding its unit costs at least this much total score.
MIN_MARGIN = 0.25
#: Links whose confidence is at least this carry their sponsor name to other specialties.
SPONSOR_MIN = 0.9
#: IM route: accepted FREIDA name similarity (alone, or with the same city).
FREIDA_NAME_ALONE = 0.9
FREIDA_NAME_WITH_CITY = 0.7
#: A site unit listed in another state: share of the sponsor's name the row must spell out.
ELSEWHERE_NAME = 0.7

_FORBIDDEN = 1e6


def _confidence(delta: float) -> float:
    return round(float(1.0 / (1.0 + np.exp(-delta))), 3)


# ---------------------------------------------------------------- IM route
def _freida_route(
    rows: Sequence[ExplorerInput],
    freida: Sequence[FreidaName],
    freida_links: Mapping[str, Sequence[tuple[str, float]]],
) -> dict[int, tuple[str, float, str]]:
    """IM row → (acgme_id, name similarity, method) by state, name and city, one to one."""
    from rapidfuzz import fuzz
    from scipy.optimize import linear_sum_assignment

    out: dict[int, tuple[str, float, str]] = {}
    states = sorted({r.state for r in rows})
    for st in states:
        mine = [r for r in rows if r.state == st]
        theirs = [f for f in freida if f.state == st and f.acgme_id in freida_links]
        if not mine or not theirs:
            continue
        # token *sort* ratio: "Johns Hopkins University" must not equal ".../Bayview"
        sim = np.array(
            [
                [
                    fuzz.token_sort_ratio(normal(r.program_name), normal(f.program_name)) / 100
                    for f in theirs
                ]
                for r in mine
            ]
        )
        same_city = np.array(
            [[bool(r.city) and normal(r.city) == normal(f.city) for f in theirs] for r in mine]
        )
        ok = (sim >= FREIDA_NAME_ALONE) | ((sim >= FREIDA_NAME_WITH_CITY) & same_city)
        gain = np.where(ok, sim + 0.2 * same_city, -_FORBIDDEN)
        ri, ci = linear_sum_assignment(-gain)
        for a, b in zip(ri.tolist(), ci.tolist(), strict=True):
            if gain[a, b] <= 0:
                continue
            evidence = "name" + ("+city" if same_city[a, b] else "")
            out[mine[a].row_id] = (theirs[b].acgme_id, float(sim[a, b]), evidence)
    return out


def _solve(score: np.ndarray) -> tuple[float, dict[int, int]]:
    """Best one-to-one assignment (rows may stay unlinked at score 0)."""
    from scipy.optimize import linear_sum_assignment

    n_r, n_u = score.shape
    cost = np.full((n_r, n_u + n_r), _FORBIDDEN)
    cost[:, :n_u] = -score
    cost[np.arange(n_r), n_u + np.arange(n_r)] = 0.0
    ri, ci = linear_sum_assignment(cost)
    total = float(-cost[ri, ci].sum())
    return total, {int(a): int(b) for a, b in zip(ri, ci, strict=True) if b < n_u}


def _block(
    rows: Sequence[ExplorerInput],
    units: Sequence[Unit],
    weights: Weights,
    sponsors: Sponsors,
    cities: Cities | None = None,
) -> tuple[list[tuple[int, int, float, tuple[str, ...]]], dict[int, str]]:
    """Assign one block: (row index, unit index, margin, evidence) and reasons for the rest."""
    texts = [RowText.of(r) for r in rows]
    pairs = [
        [pair_score(t, u, weights, sponsors, r.state, cities) for u in units]
        for r, t in zip(rows, texts, strict=True)
    ]
    score = np.array([[p.score for p in line] for line in pairs]).reshape(len(rows), len(units))
    score = np.where(score > 0, score, -_FORBIDDEN)
    total, chosen = _solve(score)
    out: list[tuple[int, int, float, tuple[str, ...]]] = []
    why: dict[int, str] = {}
    owner = {b: a for a, b in chosen.items()}
    for a in range(len(rows)):
        if a not in chosen:
            why[a] = _reason_unlinked(a, score, units, owner, rows)
            continue
        b = chosen[a]
        kept = score[a, b]
        score[a, b] = -_FORBIDDEN
        margin = total - _solve(score)[0]
        score[a, b] = kept
        if margin < MIN_MARGIN:
            alt = np.argsort(-score[a])
            other = next((int(k) for k in alt if int(k) != b and score[a, k] > 0), None)
            rival = f" and {_unit_text(units[other])}" if other is not None else " or no program"
            why[a] = f"ambiguous between {_unit_text(units[b])}{rival} (margin {margin:.2f})"
            continue
        out.append((a, b, margin, pairs[a][b].parts))
    return out, why


def _unit_text(unit: Unit) -> str:
    site = f"/{unit.site}" if unit.site else ""
    return f"{unit.main_code} ({unit.institution}{site})"


def _reason_unlinked(
    a: int,
    score: np.ndarray,
    units: Sequence[Unit],
    owner: Mapping[int, int],
    rows: Sequence[ExplorerInput],
) -> str:
    good = [int(k) for k in np.argsort(-score[a]) if score[a, k] > 0]
    if not good:
        return "no NRMP program of the specialty in the state matches its name or city"
    b = good[0]
    if b in owner:
        return (
            f"its best match {_unit_text(units[b])} is taken by a better-matching row "
            f"({rows[owner[b]].program_name}, {rows[owner[b]].city})"
        )
    return f"no assignment kept it (best {_unit_text(units[b])})"  # pragma: no cover


# ---------------------------------------------------------------- linker
def link_explorer(
    rows: Sequence[ExplorerInput],
    candidates: Sequence[Candidate],
    freida: Sequence[FreidaName] = (),
    freida_links: Mapping[str, Sequence[tuple[str, float]]] | None = None,
    inst_names: Mapping[str, tuple[tuple[str, str | None], ...]] | None = None,
    orders: Mapping[str, tuple[str, str | None]] | None = None,
) -> Linkage:
    """Link each Explorer row to its NRMP code(s). Deterministic; unlinked rows get a reason.

    ``freida_links``: acgme_id → [(program_code, confidence)] of the FREIDA crosswalk;
    ``inst_names``: normalised extra names (and their cities) per institution prefix;
    ``orders``: alphabetical interval of a lost heading's true name per prefix.
    """
    links_by: dict[str, Sequence[tuple[str, float]]] = dict(freida_links or {})
    known = {c.program_code for c in candidates}
    links: list[ExplorerLink] = []
    taken: set[str] = set()
    im_rows = [r for r in rows if SPECIALTY_CODES.get(r.specialty) == "140"]
    for row_id, (acgme, sim, evidence) in sorted(_freida_route(im_rows, freida, links_by).items()):
        codes = [(c, conf) for c, conf in links_by[acgme] if c in known and c[4:7] == "140"]
        for code, conf in codes:
            if code in taken:
                continue
            taken.add(code)
            confidence = round(min(conf, 0.5 + 0.5 * sim), 3)
            links.append(ExplorerLink(row_id, code, confidence, f"FREIDA {acgme} ({evidence})"))
    placed = {lk.row_id for lk in links}
    rest = [r for r in rows if r.row_id not in placed]
    units = build_units(
        [c for c in candidates if c.program_code not in taken],
        dict(inst_names or {}),
        dict(orders or {}),
    )
    corpus = [normal(r.program_name) for r in rows] + [t for u in units for t in u.texts]
    weights = Weights(corpus)
    sponsors: Sponsors = {}
    first, _ = _assign_all(rest, units, weights, sponsors)
    sponsors = _sponsor_map(rows, [*links, *first])
    cities = _city_map(rows, [*links, *first], units)
    second, why = _assign_all(rest, units, weights, sponsors, cities)
    links.extend(_one_owner(second, why))
    linked = {lk.row_id for lk in links}
    unlinked = tuple(
        Unlinked(r.row_id, why.get(r.row_id, "specialty not mapped to an NRMP code"))
        for r in rows
        if r.row_id not in linked
    )
    return Linkage(tuple(sorted(links, key=lambda k: (k.row_id, k.program_code))), unlinked)


def _assign_all(
    rows: Sequence[ExplorerInput],
    units: Sequence[Unit],
    weights: Weights,
    sponsors: Sponsors,
    cities: Cities | None = None,
) -> tuple[list[ExplorerLink], dict[int, str]]:
    by_block: dict[tuple[str, str], list[Unit]] = {}
    for u in units:
        by_block.setdefault((u.specialty, u.state), []).append(u)
    blocks: dict[tuple[str, str], list[ExplorerInput]] = {}
    why: dict[int, str] = {}
    for r in rows:
        spec = SPECIALTY_CODES.get(r.specialty)
        if spec is None:
            why[r.row_id] = f"specialty {r.specialty!r} is not mapped to an NRMP code"
            continue
        blocks.setdefault((spec, r.state), []).append(r)
    sited: dict[str, list[Unit]] = {}
    for u in units:
        if u.site:
            sited.setdefault(u.specialty, []).append(u)
    links: list[ExplorerLink] = []
    for key in sorted(blocks):
        mine = blocks[key]
        if key not in weights.elsewhere:
            weights.elsewhere[key] = _elsewhere(mine, sited.get(key[0], []), key[1], weights)
        theirs = by_block.get(key, []) + weights.elsewhere[key]
        if not theirs:
            for r in mine:
                why[r.row_id] = "no NRMP program of the specialty in the state"
            continue
        chosen, reasons = _block(mine, theirs, weights, sponsors, cities)
        for a, text in reasons.items():
            why[mine[a].row_id] = text
        for a, b, margin, parts in chosen:
            conf = _confidence(margin)
            method = "+".join(parts) or "elimination"
            links.extend(ExplorerLink(mine[a].row_id, c, conf, method) for c in theirs[b].codes)
    return links, why


def _one_owner(links: Sequence[ExplorerLink], why: dict[int, str]) -> list[ExplorerLink]:
    """Keep one row per code (a site unit of another state can be claimed twice)."""
    best: dict[str, ExplorerLink] = {}
    for lk in sorted(links, key=lambda k: (-k.confidence, k.row_id)):
        best.setdefault(lk.program_code, lk)
    losers = {lk.row_id for lk in links if best[lk.program_code].row_id != lk.row_id}
    for row_id in losers:
        why[row_id] = "its match is claimed by a row with a stronger link in another state"
    return [lk for lk in links if lk.row_id not in losers]


def _elsewhere(
    rows: Sequence[ExplorerInput], sited: Sequence[Unit], state: str, weights: Weights
) -> list[Unit]:
    """Site units listed under another state that a row names by sponsor and site.

    A multi-state sponsor lists its sites under its own state (Health Education Services,
    Tennessee, has Family Medicine/Gadsden and /Crestwood in Alabama).
    """
    texts = [RowText.of(r) for r in rows]
    words = frozenset(w for t in texts for w in t.words) | {a for t in texts for a in t.acronyms}
    out: list[Unit] = []
    for u in sited:
        if u.state == state:
            continue
        site_words = set(normal(u.site).split()) | {(u.site or "").lower()}
        joined = normal(u.site).replace(" ", "")
        if not site_words & words and not any(joined in t.text.replace(" ", "") for t in texts):
            continue  # cheap filter: a site word must appear exactly
        if any(
            site_named(u, t)
            and max((_exact_share(x, t.words) for x in u.texts), default=0) >= ELSEWHERE_NAME
            for t in texts
        ):
            out.append(u)
    return out


def _exact_share(text: str, words: frozenset[str]) -> float:
    """Share of a name's words found, exactly, among the row's words ("HealthONE" ≠ "Health")."""
    mine = text.split()
    return sum(w in words for w in mine) / len(mine) if mine else 0.0


def _city_map(
    rows: Sequence[ExplorerInput], links: Sequence[ExplorerLink], units: Sequence[Unit]
) -> Cities:
    """Cities of the rows confidently linked to each institution's main (site-less) units."""
    main = {u.main_code for u in units if not u.site}
    by_id = {r.row_id: r for r in rows}
    out: dict[str, dict[str, set[str]]] = {}
    for lk in links:
        r = by_id[lk.row_id]
        if lk.confidence < SPONSOR_MIN or lk.program_code not in main or not r.city:
            continue
        per = out.setdefault(lk.program_code[:4], {})
        per.setdefault(normal(r.city), set()).add(lk.program_code[4:7])
    return {k: {c: frozenset(v) for c, v in m.items()} for k, m in out.items()}


def _sponsor_map(rows: Sequence[ExplorerInput], links: Sequence[ExplorerLink]) -> Sponsors:
    """(state, normalised sponsor name) → prefix → specialties of the confident links."""
    by_id = {r.row_id: r for r in rows}
    out: dict[tuple[str, str], dict[str, set[str]]] = {}
    for lk in links:
        if lk.confidence < SPONSOR_MIN:
            continue
        r = by_id[lk.row_id]
        per = out.setdefault((r.state, row_text(r.program_name, None, r.state)[0]), {})
        per.setdefault(lk.program_code[:4], set()).add(lk.program_code[4:7])
    return {k: {i: frozenset(s) for i, s in v.items()} for k, v in out.items()}
