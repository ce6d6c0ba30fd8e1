"""Group NRMP Internal Medicine codes into units, one per program as far as the codes show it.

Pure: no database, no I/O. Used by :mod:`smartpick.catalog.crosswalk`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .names import normalize

__all__ = ["IM_SPECIALTY", "Unit", "build_units", "is_track_variant"]

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
