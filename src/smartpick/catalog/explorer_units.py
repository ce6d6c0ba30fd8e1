"""Inputs of the Residency Explorer linker: NRMP codes grouped into programs ("units").

Pure: no database, no I/O. Used by :mod:`smartpick.catalog.explorer`.

A *unit* is what one Explorer row can own: the codes of one NRMP institution prefix and one
specialty that form one program, i.e. its categorical code(s) plus the preliminary, advanced,
physician (R) and primary-care codes of the same program. A categorical code whose name
carries a site suffix ("Family Medicine/Sterling RTT", "Psychiatry/Patton") is a unit of its
own, unless the suffix names a track of the same program ("/Research", "/3-yr MD Path",
"/Child Psych"); the other tracks join the unit whose site their suffix names, else the main
unit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .names import normalize

__all__ = [
    "ALIASES",
    "SPECIALTY_CODES",
    "Candidate",
    "ExplorerInput",
    "ExplorerLink",
    "FreidaName",
    "Linkage",
    "Unit",
    "Unlinked",
    "build_units",
    "is_track_suffix",
    "normal",
    "row_text",
    "segments",
    "site_key",
]

#: Explorer specialty name → NRMP specialty code (program code characters 5-7), checked
#: against :mod:`smartpick.specialties`.
SPECIALTY_CODES: dict[str, str] = {
    "Anatomic and Clinical Pathology": "300",
    "Anesthesiology": "040",
    "Child Neurology": "185",
    "Dermatology": "080",
    "Diagnostic Radiology": "420",
    "Emergency Medicine": "110",
    "Family Medicine": "120",
    "General Surgery": "440",
    "IM Peds": "700",
    "Internal Medicine": "140",
    "Interventional Radiology": "416",
    "Neurological Surgery": "160",
    "Neurology": "180",
    "Obstetrics and Gynecology": "220",
    "Orthopedic Surgery": "260",
    "Otolaryngology": "280",
    "PM&R": "340",
    "Pediatrics": "320",
    "Psychiatry": "400",
    "Rad Onc": "430",
    "Thoracic Surgery": "461",
    "Vasc Surg": "451",
}

#: Suffix words that name a track of the same program, not another site (whole words).
_TRACK_SUFFIX = re.compile(
    r"\b(research|osteopathic|osteo|mph|md|path|military|prelim|preliminary|child|cap|adult|"
    r"adolescent|physician|phys|scientists?|pstp|phase|clinical|clin|urban|global|\d+|yrs?|"
    r"mth|year|scholars?|funded|designated|non|academic|combined|general|pediatric|peds|"
    r"critical|ccm|cp|ap|np|neuropathology|neuroscience|internal|im|radiology|"
    r"ophthalmology|neurology|dermatology|derm|anesthesiology|pm&r|psych|trk|track|first|"
    r"midocs|community|focus|genetics|integ|ct|development|equity|lisom|scholarly)\b",
    re.IGNORECASE,
)


def site_key(suffix: str) -> str:
    """The site a suffix names: its parts that are not tracks ("Asheville/UNC FIRST Student"
    → "Asheville"; "Research" → "")."""
    return "/".join(p.strip() for p in suffix.split("/") if p.strip() and not is_track_suffix(p))


def is_track_suffix(suffix: str) -> bool:
    """True when a program-name suffix names a track of the same program ("Research").

    Every '/' part must be track-like: "Osteo/Regionals" names a site (the regional hospitals).
    """
    parts = [p for p in suffix.split("/") if p.strip()]
    return bool(parts) and all(_TRACK_SUFFIX.search(p) for p in parts)


@dataclass(frozen=True)
class Candidate:
    """One NRMP program code and what the catalog knows about it."""

    program_code: str
    state: str  # the catalog's (fixed) state
    name: str  # NRMP program name ("Family Medicine/Payson")
    institution: str  # the catalog's institution name
    institution_verified: bool
    label: str  # NRMP institution label as listed
    city: str | None  # the institution's city (from FREIDA), or the linked FREIDA program's
    acgme_id: str | None = None  # FREIDA program linked to this code (Internal Medicine)
    positions: int = 0

    @property
    def inst_code(self) -> str:
        return self.program_code[:4]

    @property
    def specialty_code(self) -> str:
        return self.program_code[4:7]

    @property
    def track(self) -> str:
        return self.program_code[7]


@dataclass(frozen=True)
class FreidaName:
    """A FREIDA program (Internal Medicine), for the IM route and as a sponsor name."""

    acgme_id: str
    program_name: str
    city: str | None
    state: str | None


@dataclass(frozen=True)
class Unit:
    """NRMP codes of one program at one institution (what one Explorer row owns)."""

    inst: str
    specialty: str
    state: str
    site: str | None  # site suffix of the categorical name, if the unit is a site
    codes: tuple[str, ...]  # main code first
    institution: str
    institution_verified: bool
    label: str
    city: str | None
    size: int
    #: normalised names the unit is known by (institution, label, FREIDA names)
    texts: tuple[str, ...] = field(default_factory=tuple)
    order: tuple[str, str | None] | None = None  # interval of a lost heading's true name
    siblings: int = 1  # units of the same institution and specialty

    @property
    def main_code(self) -> str:
        return self.codes[0]

    @property
    def acronyms(self) -> frozenset[str]:
        """Initials of the unit's names (whole names only)."""
        return frozenset("".join(w[0] for w in t.split()) for t in self.texts if len(t.split()) > 2)


def _suffix(name: str) -> str:
    _, _, rest = name.partition("/")
    return rest.strip().strip("/").strip()


#: Abbreviations of NRMP labels that :func:`~smartpick.catalog.names.normalize` keeps.
_EXTRA: dict[str, str] = {
    "ahec": "area health education center",
    "fam": "family",
    "thc": "teaching health center",
    "fhc": "family health center",
    "grtr": "greater",
    "cnty": "county",
    "res": "residency",
    "fp": "family practice",
    "prog": "program",
    "rtt": "rural training track",
    "svc": "service",
    "svcs": "services",
    "dbh": "department behavioral health",
    "bh": "behavioral health",
    "behav": "behavioral",
    "educ": "education",
    "hosp": "hospital",
    "hlth": "health",
    "ctr": "center",
    "mgh": "massachusetts general hospital",
    "nyu": "new york university",
    "ucsd": "university california san diego",
    "ucd": "university california davis",
    "uci": "university california irvine",
    "ucsf": "university california san francisco",
    "unlv": "university nevada las vegas",
}

#: Sponsors named differently in the two files (state, Explorer words → NRMP words):
#: Ascension's Michigan hospitals joined Henry Ford Health (2024); Centura Health's Colorado
#: hospitals are CommonSpirit Mountain Region.
ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    "MI": (("ascension", "henry ford"),),
    "CO": (("centura health corporation", "commonspirit mountain region"),),
    # NRMP lists the University of Mississippi Medical Center as "University Hosps-Jackson"
    "MS": (("university mississippi medical center", "university hospitals jackson"),),
    # Einstein Healthcare Network joined Jefferson Health (Jefferson Einstein Philadelphia)
    "PA": (("albert einstein healthcare network", "jefferson einstein philadelphia"),),
    # the Harvard South Shore psychiatry residency is VA Boston's (Brockton / West Roxbury)
    "MA": (
        ("boston veterans affairs healthcare system brockton west roxbury", "harvard south shore"),
    ),
    # Mayo's ACGME sponsor; NRMP lists it as "Mayo Clinic School of Grad Med Educ"
    **{
        st: (
            (
                "mayo clinic college medicine science",
                "mayo clinic school graduate medical education",
            ),
        )
        for st in ("MN", "AZ", "FL", "WI")
    },
}


@functools.lru_cache(maxsize=50_000)
def normal(text: str | None) -> str:
    """:func:`~smartpick.catalog.names.normalize` plus the abbreviations of :data:`_EXTRA`."""
    words = normalize(text).split()
    return " ".join(_EXTRA.get(w, w) for w in words)


def row_text(name: str, city: str | None, state: str = "") -> tuple[str, str]:
    """Normalised Explorer name (without "Program", renames applied) and city."""
    text = normal(name)
    for old, new in ALIASES.get(state, ()):
        text = text.replace(old, new)
    return text, normal(city)


def segments(name: str, state: str = "") -> tuple[str, ...]:
    """Normalised parts of an Explorer name split at '/' and '(' ("X/Y Hospital (Z)")."""
    parts = [p for p in re.split(r"[/()]", name) if p.strip()]
    out = [row_text(p, None, state)[0] for p in parts]
    return tuple(t for t in dict.fromkeys(out) if t)


def _site_city(site: str, names: Sequence[tuple[str, str | None]]) -> str | None:
    """City of the one FREIDA program of the institution whose name names the site."""
    if not site:
        return None
    words = set(normal(site).split())
    raw = site.replace(".", "").strip().lower()
    found = {
        city
        for name, city in names
        if city
        and (
            (words and words <= set(name.split()))
            or (raw.isalpha() and 2 < len(raw) <= 6 and raw in _acronyms(name))
        )
    }
    return next(iter(found)) if len(found) == 1 else None


def _acronyms(name: str) -> set[str]:
    """Initials of a normalised name and of each of its tails ("advocate christ ...": "acmc")."""
    words = name.split()
    return {"".join(w[0] for w in words[k:]) for k in range(len(words))}


def build_units(
    candidates: Sequence[Candidate],
    inst_names: dict[str, tuple[tuple[str, str | None], ...]],
    orders: dict[str, tuple[str, str | None]],
) -> list[Unit]:
    """Units of the candidates (all specialties), in code order.

    ``inst_names``: extra normalised names per institution prefix, with their city (FREIDA
    program names of the institution's linked IM programs: a site unit takes the city of the
    FREIDA program that names its site); ``orders``: alphabetical interval of the true name of a
    lost-heading prefix (from the NRMP file order).
    """
    by_key: dict[tuple[str, str, str], list[Candidate]] = {}
    for c in sorted(candidates, key=lambda c: c.program_code):
        by_key.setdefault((c.inst_code, c.specialty_code, c.state), []).append(c)
    out: list[Unit] = []
    for (inst, spec, _state), rows in by_key.items():
        groups: dict[str, list[Candidate]] = {}
        for c in rows:
            if c.track != "C":
                continue
            suffix = _suffix(c.name)
            key = site_key(suffix)
            groups.setdefault(key, []).append(c)
        sites = [k for k in groups if k]
        for c in rows:
            if c.track == "C":
                continue
            suffix = normalize(_suffix(c.name))
            site = next((s for s in sites if suffix and normalize(s) in suffix), None)
            if site is None:
                site = (
                    "" if "" in groups or not groups else max(groups, key=lambda k: len(groups[k]))
                )
            groups.setdefault(site, []).append(c)
        first = rows[0]
        texts = tuple(
            t
            for t in dict.fromkeys(
                (
                    normal(first.institution) if first.institution_verified else "",
                    *(n for n, _ in inst_names.get(inst, ())),
                )
            )
            if t
        )
        for site, members in groups.items():
            members.sort(key=lambda c: ("CMPAR".find(c.track), c.program_code))
            out.append(
                Unit(
                    inst=inst,
                    specialty=spec,
                    state=members[0].state,
                    site=site or None,
                    codes=tuple(c.program_code for c in members),
                    institution=first.institution,
                    institution_verified=first.institution_verified,
                    label=first.label,
                    # a site is elsewhere: only the FREIDA program naming it gives its city
                    city=_site_city(site, inst_names.get(inst, ()))
                    if site
                    else next((c.city for c in members if c.city), None),
                    size=sum(c.positions for c in members),
                    texts=texts,
                    order=None if first.institution_verified else orders.get(inst),
                    siblings=len(groups),
                )
            )
    return out


# ---------------------------------------------------------------- linker inputs and outputs
@dataclass(frozen=True)
class ExplorerInput:
    """What the linker reads of one Explorer row."""

    row_id: int
    specialty: str
    program_name: str
    city: str | None
    state: str


@dataclass(frozen=True)
class ExplorerLink:
    """One Explorer row linked to one NRMP program code."""

    row_id: int
    program_code: str
    confidence: float  # 0-1
    method: str


@dataclass(frozen=True)
class Unlinked:
    """An Explorer row left unlinked, and why."""

    row_id: int
    reason: str


@dataclass(frozen=True)
class Linkage:
    """The linker's result."""

    links: tuple[ExplorerLink, ...]
    unlinked: tuple[Unlinked, ...]
