"""NRMP units (one per program as far as the codes show it) and candidate FREIDA pairs.

Pure: no database, no I/O. Used by :mod:`smartpick.catalog.crosswalk`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .names import acronym, coverage_matrix, normalize, previous_state

__all__ = [
    "FEATURES",
    "IM_SPECIALTY",
    "NAME_CUTS",
    "Pairs",
    "Unit",
    "build_units",
    "candidate_pairs",
    "is_track_variant",
    "positions",
    "program_states",
]

Row = Mapping[str, str | None]

#: NRMP specialty code of Internal Medicine (program code characters 5-7).
IM_SPECIALTY = "140"

#: Suffix words that name a track of the same program, not a separate site.
_TRACK_WORDS = re.compile(
    r"research|pstp|scien|investig|abim|geriat|osteopath|\d[- ]?yr|\byrs?\b|mph|phase|star\b|"
    r"hospitalist|neph|global|intl|internat|clin|leadership|pocus|women|pcp|prim|sabbath|"
    r"sponsored|pop|urban|rural|equity|path|track|trk|scholar|partnership|funded|outpatient|"
    r"midocs|aire|hem|onc|med ed|social|vulnerable|hiv|dgm|hvma|glisom|student|choice|"
    r"innovation|accel|health equity|underserved|comm prim|physician|\bmd\b|fap|"
    r"neurology|ophthalm|radiology|anesth|derm|pm&r|psych|rad onc|radiation|urology",
    re.IGNORECASE,
)


def is_track_variant(suffix: str) -> bool:
    """True when a program-name suffix ("PSTP", "Research", "3-yr MD Path") names a track."""
    return bool(_TRACK_WORDS.search(suffix))


@dataclass(frozen=True)
class Unit:
    """NRMP codes believed to form one ACGME program."""

    inst: str  # 4-digit NRMP institution code
    state: str
    label: str
    label_norm: str  # normalised label ("" when unreliable)
    label_reliable: bool
    site: str | None  # site named in the categorical program name, if any
    site_norm: str
    main_code: str  # the code whose evidence matched (categorical where there is one)
    codes: tuple[str, ...]  # every code of the unit, main first
    size: int  # quota 2026 over all codes (categorical + primary + preliminary)
    order_lo: str | None  # alphabetical interval of the true name when the label is lost
    order_hi: str | None
    specialties: int = 0  # distinct NRMP specialty codes of the institution (all of its rows)


def _suffix(program_name: str) -> str:
    """Text after the first '/' of an NRMP program name ('' when none)."""
    _, _, rest = program_name.partition("/")
    return rest.strip().strip("/").strip()


def _label_owners(rows: Sequence[Row]) -> tuple[dict[str, bool], dict[str, tuple[str, str | None]]]:
    """Per institution prefix: is its label reliable, and the label interval it sorts in.

    A label is reliable for the first prefix that carries it (in file order, within a state);
    later prefixes under the same label lost their heading, so their true name sorts between
    that label and the next distinct label of the file.
    """
    reliable: dict[str, bool] = {}
    interval: dict[str, tuple[str, str | None]] = {}
    owner: dict[tuple[str, str], str] = {}
    pending: list[tuple[str, str]] = []  # (prefix, label) waiting for the next label
    last_label: str | None = None
    last_state: str | None = None
    for row in rows:
        code = row["program_code"] or ""
        prefix, label = code[:4], row.get("institution_as_listed") or ""
        state = (row.get("state") or "").upper()
        if label != last_label:
            # The next label bounds the lost names only inside the same state section.
            nxt = normalize(label) if state == last_state else None
            for p, lab in pending:
                interval[p] = (normalize(lab), nxt)
            pending = []
            last_label, last_state = label, state
        if prefix in reliable:
            continue
        key = (state, label)
        if key not in owner:
            owner[key] = prefix
            reliable[prefix] = True
        else:
            reliable[prefix] = owner[key] == prefix
            pending.append((prefix, label))
    for p, lab in pending:
        interval[p] = (normalize(lab), None)
    return reliable, interval


def build_units(nrmp: Sequence[Row]) -> list[Unit]:
    """Units of the Internal Medicine codes of ``nrmp`` (all specialties may be passed)."""
    reliable, interval = _label_owners(nrmp)
    specialties: dict[str, set[str]] = {}
    by_inst: dict[str, list[Row]] = {}
    for row in nrmp:
        code = row["program_code"] or ""
        specialties.setdefault(code[:4], set()).add(code[4:7])
        if code[4:7] == IM_SPECIALTY:
            by_inst.setdefault(code[:4], []).append(row)
    units: list[Unit] = []
    for inst, rows in by_inst.items():
        found = _inst_units(inst, rows, reliable.get(inst, False), interval.get(inst))
        n_spec = len(specialties.get(inst, ()))
        units.extend(dataclasses.replace(u, specialties=n_spec) for u in found)
    return units


def _inst_units(
    inst: str, rows: list[Row], label_ok: bool, order: tuple[str, str | None] | None
) -> list[Unit]:
    """Split one institution's IM codes into units."""
    groups: dict[str, list[Row]] = {}  # site key ("" = main) → rows
    cat_sites: list[str] = []
    for row in rows:
        if row.get("track") != "C":
            continue
        suffix = _suffix(row.get("program_name") or "")
        key = "" if not suffix or is_track_variant(suffix) else suffix
        groups.setdefault(key, []).append(row)
        if key and key not in cat_sites:
            cat_sites.append(key)
    for row in rows:
        if row.get("track") == "C":
            continue
        suffix = normalize(_suffix(row.get("program_name") or ""))
        site = next((s for s in cat_sites if suffix and normalize(s) in suffix), None)
        if site is None:
            site = "" if "" in groups or not groups else max(groups, key=lambda k: len(groups[k]))
        groups.setdefault(site, []).append(row)
    first = rows[0]
    label = first.get("institution_as_listed") or ""
    out: list[Unit] = []
    for site, members in groups.items():
        members.sort(key=lambda r: ("CMP".find(r.get("track") or "P"), r["program_code"] or ""))
        out.append(
            Unit(
                inst=inst,
                state=(first.get("state") or "").upper(),
                label=label,
                label_norm=normalize(label) if label_ok else "",
                label_reliable=label_ok,
                site=site or None,
                site_norm=normalize(site),
                main_code=members[0]["program_code"] or "",
                codes=tuple(r["program_code"] or "" for r in members),
                size=sum(int(r.get("quota_2026") or 0) for r in members),
                order_lo=order[0] if order else None,
                order_hi=order[1] if order else None,
            )
        )
    return out


# ---------------------------------------------------------------- candidate pairs
#: University programs sit in institutions with many NRMP specialties (see docs/crosswalk.md).
BIG_INSTITUTION = 12
MID_INSTITUTION = 5
#: Feature → number of levels (level -1 = not applicable), for the method text and docs.
FEATURES: dict[str, int] = {"name": 4, "site": 2, "order": 2, "size": 5, "state": 3}
NAME_CUTS = (0.45, 0.65, 0.85)  # name similarity → level 0..3
SIZE_CUTS = (0.6, 0.35, 0.2, 0.08)  # |log size ratio| above the first → 0, ... below last → 4


@dataclass(frozen=True)
class Pairs:
    """Candidate pairs (i = FREIDA row, j = unit) and their feature levels."""

    i: np.ndarray
    j: np.ndarray
    levels: dict[str, np.ndarray]
    name_sim: np.ndarray  # 0-1 label↔name similarity, -1 when the label is not reliable
    gap: np.ndarray  # |log((F+2)/(N+2))| of FREIDA positions F and unit quota N; nan unknown
    academic: np.ndarray  # +1 university program ↔ big institution, -1 mismatch, 0 neutral


# ---------------------------------------------------------------- features
def positions(freida: Sequence[Row]) -> np.ndarray:
    """FREIDA first-year positions (nan when not given)."""
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


def candidate_pairs(freida: Sequence[Row], units: Sequence[Unit]) -> Pairs:
    """Candidate (program, unit) pairs and their evidence, all computed with NumPy."""
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
    city_site = site & reliable[None, :] & (name_sim >= NAME_CUTS[0])
    i, j, state = _candidates(freida, units, city_site)
    name = np.where(reliable[j], np.searchsorted(NAME_CUTS, name_sim[i, j], side="right"), -1)
    has_site = np.array([bool(u.site) for u in units])
    site_level = np.where(has_site[j], site[i, j].astype(int), -1)
    order = np.full(len(i), -1)
    first = _first_labels(units)
    for k in np.nonzero(~reliable[j] & (state < 2))[0]:
        u, f = units[j[k]], fnames[i[k]]
        if state[k] == 1:  # lost heading of the program's state: sorts before its first label
            head = first.get(str(freida[i[k]].get("state") or "").upper())
            order[k] = int(head is None or f < head)
        elif name_sim[i[k], j[k]] >= NAME_CUTS[2]:
            order[k] = 0  # the program is the label's owner, which is another prefix
        elif u.order_lo is not None and (u.order_hi is None or u.order_lo < u.order_hi):
            # (an interval that normalisation turned upside down says nothing)
            order[k] = int(f >= u.order_lo and (u.order_hi is None or f < u.order_hi))
    pos = positions(freida)[i]
    usize = np.array([u.size for u in units], dtype=float)[j]
    with np.errstate(invalid="ignore"):
        gap = np.abs(np.log((pos + 2.0) / (usize + 2.0)))
    size = np.where(np.isnan(pos) | (pos <= 0), -1, sum((gap <= c).astype(int) for c in SIZE_CUTS))
    levels = {"name": name, "site": site_level, "order": order, "size": size, "state": state}
    sim = np.where(reliable[j], name_sim[i, j], -1.0)
    gap = np.where(np.isnan(pos) | (pos <= 0), np.nan, gap)
    levels_int = {k: np.asarray(v, dtype=int) for k, v in levels.items()}
    return Pairs(i, j, levels_int, sim, gap, _academic(freida, units)[i, j])


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
