"""Fixes for the source data's known defects, derived by code (pure: no database, no I/O).

Every change is returned as a :class:`Fix` and stored in the catalog's ``fixes`` table; the
original value is always kept (``name_as_listed``, ``institution_as_listed``, ``city_as_listed``,
``state_as_listed``, ``listed_state``). The rules (documented for users in ``docs/data.md``):

``name_glued``
    A program name where a specialty head word runs into a site name with no separator
    ("TransitionalGainesville", "Obstetrics-GynecologyMilwaukee") gets a "/" inserted. Head
    words are the parts before "/" seen elsewhere in the file; the next character must be an
    upper-case letter.
``name_typo``
    Evident misspellings of medical words, corrected from :data:`NAME_TYPOS` (whole words only):
    each entry is a word that occurs once in the file next to the correct spelling used by
    many other rows.
``freida_city_typo``
    FREIDA's kept city typos ("Loma LInda", "Albuqerque", "Camrbidge", "Ingelwood"),
    corrected for display from :data:`CITY_TYPOS`.
``freida_location``
    A FREIDA location is wrong when (1) its state differs from the state encoded in the ACGME
    id (digits 4-5; each code's state is the one most FREIDA rows with that code give), (2) an
    NRMP Internal Medicine institution of the encoded state matches the program's name closely
    (fuzzy score >= 90, at least 10 points better than any in the listed state), and (3) none
    of that institution's NRMP program names mentions the listed city (multi-site sponsors such
    as Health Education Services name their sites). The state becomes the encoded one; the
    city becomes unknown (we do not guess it).
``state_from_freida``
    A program linked to FREIDA takes the (fixed) FREIDA state when NRMP's differs: NRMP lists
    a multi-site sponsor's programs under the sponsor's state (e.g. Health Education Services,
    TN, with sites in AL, AZ, IN, MO, MS). Only a link with crosswalk confidence >= ``TRUSTED``
    (0.8), or whose FREIDA city is named in the NRMP program name ("Internal Medicine/Orlando"),
    moves a state. Programs of the same institution code follow when all of its trusted links
    agree on one city and state.
``state_block_conflict``
    The NRMP file is ordered by the state section each program is listed under; a short run of
    rows whose state differs from the section around it (New York Medical College's Lower Bucks
    and Roxborough sites, PA, inside the NY section; Kaiser Permanente Mid-Atlantic, MD, inside
    DC) is detected and its section recorded as ``listed_state``. Where FREIDA knows the site
    (Lower Bucks: Bristol, PA; Kaiser: Gaithersburg, MD) it confirms the row's own state is the
    program's location, so the location is kept and the conflict is recorded, not hidden.
``institution_*``
    An institution label is reliable only when its run of rows (same state section, same
    label) covers a single 4-digit institution prefix (``institution_label``). In a run covering
    several prefixes the label belongs to the first prefix (the rows right under the heading;
    ``institution_heading``); the later prefixes lost their heading: they take the sponsor name
    of their linked FREIDA Internal Medicine programs (the part the linked names share, without
    the trailing " Program"; ``institution_freida``, verified when the best link's crosswalk
    confidence is >= ``NAME_MIN``, 0.4), or keep the best guess (that FREIDA name, else the
    label) marked unverified (``institution_unverified``). A verified institution's city is
    propagated to its other programs. Example: every ``1007…`` code is the University of Alabama
    Medical Center (Birmingham), not "Thomas Hospital".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from .load import FreidaRow, NrmpRow

__all__ = [
    "CITY_TYPOS",
    "NAME_TYPOS",
    "Fix",
    "Institution",
    "LinkLike",
    "acgme_state_codes",
    "derive_institutions",
    "fix_freida",
    "fix_program_names",
    "fix_states",
    "listed_states",
    "sponsor_name",
]

#: Misspelt words in NRMP program names → correct spelling (whole words, case-sensitive).
NAME_TYPOS: dict[str, str] = {
    "Diagostic": "Diagnostic",
    "Opthalmology": "Ophthalmology",
    "Geriatics": "Geriatrics",
    "Rehabi": "Rehab",
    "IMedicine": "Medicine",
}
#: FREIDA city typos kept in the source → spelling for display.
CITY_TYPOS: dict[str, str] = {
    "Loma LInda": "Loma Linda",
    "Albuqerque": "Albuquerque",
    "Camrbidge": "Cambridge",
    "Ingelwood": "Inglewood",
}
_ABBREVIATIONS: dict[str, str] = {
    "med": "medical",
    "ed": "education",
    "sw": "southwest",
    "ctr": "center",
    "hosp": "hospital",
    "hosps": "hospitals",
    "univ": "university",
    "reg": "regional",
    "mem": "memorial",
    "hlth": "health",
    "st": "saint",
    "nymc": "new york medical college",
    "gme": "graduate medical education",
}
IM_CODE = "140"
#: Crosswalk confidence from which a link may move a state or a city to other programs.
TRUSTED = 0.8
#: Crosswalk confidence from which a FREIDA-derived institution name counts as verified.
NAME_MIN = 0.4


@dataclass(frozen=True)
class Fix:
    """One recorded change: ``kind`` is program / institution / freida, ``key`` its id."""

    kind: str
    key: str
    field: str
    old: str | None
    new: str | None
    rule: str


@dataclass(frozen=True)
class Institution:
    """An NRMP institution (4-digit prefix) with its derived name."""

    inst_code: str
    name: str
    name_verified: bool
    name_source: str
    label_as_listed: str
    city: str | None
    state: str | None
    im_img_share: float | None
    im_setting: str | None


class LinkLike:
    """What the fixes need of a crosswalk link (``acgme_id``, ``program_code``, ``confidence``)."""

    acgme_id: str
    program_code: str
    confidence: float


def _norm(text: str) -> str:
    text = re.sub(r"\bProgram\b", " ", text)
    return " ".join(_ABBREVIATIONS.get(t, t) for t in utils.default_process(text).split())


# ---------------------------------------------------------------- program names
def fix_program_names(nrmp: Sequence[NrmpRow]) -> tuple[dict[str, str], list[Fix]]:
    """Cleaned name per program code (rules ``name_glued`` and ``name_typo``)."""
    heads = {r.program_name.split("/")[0] for r in nrmp}
    heads = {h for h in heads if len(h) >= 6}
    glued = re.compile(
        "^(" + "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True)) + ")(?=[A-Z])"
    )
    typo = re.compile(r"\b(" + "|".join(map(re.escape, NAME_TYPOS)) + r")\b")
    names: dict[str, str] = {}
    fixes: list[Fix] = []
    for r in nrmp:
        name = r.program_name
        unglued = glued.sub(r"\1/", name, count=1)
        if unglued != name:
            fixes.append(Fix("program", r.program_code, "name", name, unglued, "name_glued"))
            name = unglued
        spelled = typo.sub(lambda m: NAME_TYPOS[m.group(1)], name)
        if spelled != name:
            fixes.append(Fix("program", r.program_code, "name", name, spelled, "name_typo"))
            name = spelled
        names[r.program_code] = name
    return names, fixes


# ---------------------------------------------------------------- FREIDA locations
def acgme_state_codes(freida: Iterable[FreidaRow]) -> dict[str, str]:
    """ACGME state code (id digits 4-5) → the state most FREIDA rows with that code give."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in freida:
        if r.state:
            counts[r.acgme_id[3:5]][r.state] += 1
    return {code: c.most_common(1)[0][0] for code, c in counts.items()}


def _im_institutions(nrmp: Sequence[NrmpRow]) -> dict[str, dict[str, list[str]]]:
    """state → NRMP IM institution label → all program names of that label in the state."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    im_labels = {(r.state, r.institution_as_listed) for r in nrmp if r.program_code[4:7] == IM_CODE}
    for r in nrmp:
        if (r.state, r.institution_as_listed) in im_labels:
            out[r.state][r.institution_as_listed].append(r.program_name)
    return out


def _best_label(name: str, labels: Mapping[str, list[str]]) -> tuple[float, str | None]:
    best, label = 0.0, None
    target = _norm(name)
    for lab in sorted(labels):
        score = fuzz.token_set_ratio(target, _norm(lab))
        if score > best:
            best, label = score, lab
    return best, label


def fix_freida(
    freida: Sequence[FreidaRow], nrmp: Sequence[NrmpRow]
) -> tuple[list[FreidaRow], list[Fix]]:
    """FREIDA rows with city typos and wrong locations fixed (rules in the module docstring)."""
    codes = acgme_state_codes(freida)
    by_state = _im_institutions(nrmp)
    out: list[FreidaRow] = []
    fixes: list[Fix] = []
    for r in freida:
        city, state = r.city, r.state
        if city in CITY_TYPOS:
            fixes.append(
                Fix("freida", r.acgme_id, "city", city, CITY_TYPOS[city], "freida_city_typo")
            )
            city = CITY_TYPOS[city]
        encoded = codes.get(r.acgme_id[3:5])
        if state and encoded and encoded != state:
            there, label = _best_label(r.program_name, by_state.get(encoded, {}))
            here, _ = _best_label(r.program_name, by_state.get(state, {}))
            names = " ".join(by_state[encoded][label]) if label else ""
            mentions_city = bool(city) and _norm(city or "") in _norm(names)
            if there >= 90 and there - here >= 10 and not mentions_city:
                fixes.append(Fix("freida", r.acgme_id, "state", state, encoded, "freida_location"))
                fixes.append(Fix("freida", r.acgme_id, "city", city, None, "freida_location"))
                state, city = encoded, None
        out.append(r.model_copy(update={"city": city, "state": state}))
    return out, fixes


# ---------------------------------------------------------------- states
def listed_states(nrmp: Sequence[NrmpRow]) -> dict[str, str]:
    """The state section each row is listed under (file order), per program code.

    A run of rows whose state differs from the runs before and after it, which share one
    state and are both longer, belongs to that surrounding section.
    """
    runs: list[tuple[str, list[str]]] = []
    for r in nrmp:
        if runs and runs[-1][0] == r.state:
            runs[-1][1].append(r.program_code)
        else:
            runs.append((r.state, [r.program_code]))
    out: dict[str, str] = {}
    for i, (state, codes) in enumerate(runs):
        section = state
        if 0 < i < len(runs) - 1:
            (before, prev), (after, nxt) = runs[i - 1], runs[i + 1]
            if before == after != state and len(codes) < min(len(prev), len(nxt)):
                section = before
        for code in codes:
            out[code] = section
    return out


def fix_states(
    nrmp: Sequence[NrmpRow],
    freida: Sequence[FreidaRow],
    links: Sequence[LinkLike],
) -> tuple[dict[str, str], dict[str, str], list[Fix]]:
    """(location state, listed section state) per program code, and the fixes made."""
    listed = listed_states(nrmp)
    fstate = {r.acgme_id: r.state for r in freida}
    fcity = {r.acgme_id: r.city for r in freida}
    state = {r.program_code: r.state for r in nrmp}
    fixes: list[Fix] = []
    pname = {r.program_code: _norm(r.program_name) for r in nrmp}
    linked_state: dict[str, str] = {}
    for link in links:
        s, city = fstate.get(link.acgme_id), fcity.get(link.acgme_id)
        named = bool(city) and f" {_norm(city or '')}" in f" {pname.get(link.program_code, '')}"
        if s and (link.confidence >= TRUSTED or named):
            linked_state[link.program_code] = s
    # institutions whose trusted FREIDA links agree on one city and state
    places: dict[str, set[tuple[str | None, str | None]]] = defaultdict(set)
    for link in links:
        if link.confidence >= TRUSTED:
            place = (fcity.get(link.acgme_id), fstate.get(link.acgme_id))
            places[link.program_code[:4]].add(place)
    single = {
        inst: next(iter(p))[1] for inst, p in places.items() if len(p) == 1 and next(iter(p))[1]
    }
    for r in nrmp:
        code = r.program_code
        new = linked_state.get(code) or single.get(code[:4])
        if new and new != r.state:
            fixes.append(Fix("program", code, "state", r.state, new, "state_from_freida"))
            state[code] = new
        if listed[code] != r.state:
            fixes.append(
                Fix("program", code, "listed_state", r.state, listed[code], "state_block_conflict")
            )
    return state, listed, fixes


# ---------------------------------------------------------------- institutions
def sponsor_name(freida_names: Sequence[str]) -> str:
    """The sponsor name shared by linked FREIDA programs, without the trailing " Program".

    One name: "University of Alabama Medical Center Program" → "University of Alabama Medical
    Center". Several: their common leading "/"-separated parts ("HCA Florida Healthcare/X
    Program", "HCA Florida Healthcare/Y Program" → "HCA Florida Healthcare"), else the name of
    the first (largest) program.
    """
    cleaned = [re.sub(r"\s+Program$", "", n.strip()) for n in freida_names]
    parts = [n.split("/") for n in cleaned]
    common: list[str] = []
    for segs in zip(*parts, strict=False):
        if all(s == segs[0] for s in segs):
            common.append(segs[0])
        else:
            break
    if common:
        return "/".join(common)
    return cleaned[0]


def _runs(nrmp: Sequence[NrmpRow], listed: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """(label, prefixes in file order) for each run of rows with one section and one label."""
    runs: list[tuple[tuple[str, str], list[str]]] = []
    for r in nrmp:
        key = (listed[r.program_code], r.institution_as_listed)
        prefix = r.program_code[:4]
        if not runs or runs[-1][0] != key:
            runs.append((key, []))
        if prefix not in runs[-1][1]:
            runs[-1][1].append(prefix)
    return [(key[1], prefixes) for key, prefixes in runs]


def derive_institutions(
    nrmp: Sequence[NrmpRow],
    freida: Sequence[FreidaRow],
    links: Sequence[LinkLike],
    listed: Mapping[str, str],
) -> tuple[list[Institution], list[Fix]]:
    """One :class:`Institution` per 4-digit prefix, names derived by the ``institution_*`` rules."""
    by_id = {r.acgme_id: r for r in freida}
    quota = {r.program_code: r.quota_2026 for r in nrmp}
    linked: dict[str, list[tuple[int, FreidaRow]]] = defaultdict(list)
    best_conf: dict[tuple[str, str], float] = {}
    for link in sorted(links, key=lambda lk: (-lk.confidence, lk.program_code)):
        f = by_id.get(link.acgme_id)
        inst = link.program_code[:4]
        if f is None or (inst, f.acgme_id) in best_conf:
            continue
        best_conf[(inst, f.acgme_id)] = link.confidence
        linked[inst].append((quota.get(link.program_code, 0), f))
    label_of: dict[str, str] = {}
    heading: dict[str, bool] = {}
    for label, prefixes in _runs(nrmp, listed):
        for i, prefix in enumerate(prefixes):
            label_of.setdefault(prefix, label)
            heading.setdefault(prefix, i == 0)
    single = {p for label, prefixes in _runs(nrmp, listed) if len(prefixes) == 1 for p in prefixes}
    out: list[Institution] = []
    fixes: list[Fix] = []
    for prefix in sorted(label_of):
        label = label_of[prefix]
        progs = sorted(
            linked.get(prefix, []), key=lambda t: (-(t[1].first_year_positions or 0), t[1].acgme_id)
        )
        trusted = {f.acgme_id for _, f in progs if best_conf[(prefix, f.acgme_id)] >= TRUSTED}
        shares = [
            (f.pct_img / 100, f.first_year_positions or q or 1)
            for q, f in progs
            if f.pct_img is not None
        ]
        share = sum(s * w for s, w in shares) / sum(w for _, w in shares) if shares else None
        setting = next((f.setting for _, f in progs if f.setting), None)
        top = max((best_conf[(prefix, f.acgme_id)] for _, f in progs), default=0.0)
        if prefix in single:
            name, verified, source = label, True, "institution_label"
        elif heading[prefix]:
            name, verified, source = label, True, "institution_heading"
        elif progs and top >= NAME_MIN:
            name = sponsor_name([f.program_name for _, f in progs])
            verified, source = True, "institution_freida"
            trusted = {f.acgme_id for _, f in progs}
        elif progs:
            name = sponsor_name([f.program_name for _, f in progs])
            verified, source = False, "institution_unverified"
        else:
            name, verified, source = label, False, "institution_unverified"
        cities = {(f.city, f.state) for _, f in progs if f.acgme_id in trusted}
        city, st = next(iter(cities)) if len(cities) == 1 else (None, None)
        if name != label or not verified:
            fixes.append(Fix("institution", prefix, "name", label, name, source))
        out.append(Institution(prefix, name, verified, source, label, city, st, share, setting))
    return out, fixes
