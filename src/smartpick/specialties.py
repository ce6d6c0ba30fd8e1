"""NRMP specialty codes: names, aliases, and how each maps to the published tables.

Reference data, pure. The specialty code is characters 5-7 of an NRMP program code. For each
code we record the row names it has in ``nrmp_tracks_2025.csv`` (per track letter) and in the
Charting Outcomes 2026 tables, so that figures can be joined to programs without guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

__all__ = ["SPECIALTIES", "Specialty", "by_code", "resolve_specialty", "suggest_specialty"]


@dataclass(frozen=True)
class Specialty:
    """One NRMP specialty code."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    #: track letter → row name in nrmp_tracks_2025.csv
    tracks_2025: dict[str, str] = field(default_factory=dict)
    #: specialty name in the Charting Outcomes 2026 tables (None: not published)
    charting_outcomes: str | None = None
    combined: bool = False


def _s(
    code: str,
    name: str,
    aliases: tuple[str, ...] = (),
    tracks: dict[str, str] | None = None,
    co: str | None = None,
    combined: bool = False,
) -> Specialty:
    return Specialty(code, name, aliases, dict(tracks or {}), co, combined)


SPECIALTIES: tuple[Specialty, ...] = (
    _s("040", "Anesthesiology", ("anes", "anesthesia"), {"C": "Anesthesiology"}, "Anesthesiology"),
    _s("080", "Dermatology", ("derm",), {"C": "Dermatology"}, "Dermatology"),
    _s(
        "110",
        "Emergency Medicine",
        ("em", "emergency"),
        {"C": "Emergency Medicine"},
        "Emergency Medicine",
    ),
    _s("120", "Family Medicine", ("fm", "family"), {"C": "Family Medicine"}, "Family Medicine"),
    _s(
        "140",
        "Internal Medicine",
        ("im", "medicine", "internal"),
        {
            "C": "Internal Medicine (Categorical)",
            "P": "Medicine-Preliminary (PGY-1 Only)",
            "M": "Medicine-Primary",
        },
        "Internal Medicine",
    ),
    _s(
        "160",
        "Neurological Surgery",
        ("neurosurgery", "nsgy"),
        {"C": "Neurological Surgery"},
        "Neurological Surgery",
    ),
    _s("180", "Neurology", ("neuro",), {"C": "Neurology"}, "Neurology"),
    _s("185", "Child Neurology", ("peds neuro",), {"C": "Child Neurology"}, "Child Neurology"),
    _s(
        "186",
        "Neurodevelopmental Disabilities",
        (),
        {"C": "Neurodevelopmental Disabilities"},
    ),
    _s(
        "220",
        "Obstetrics-Gynecology",
        ("obgyn", "ob/gyn", "ob-gyn", "obstetrics and gynecology"),
        {"C": "Obstetrics-Gynecology", "P": "OB/GYN-Preliminary (PGY-1 Only)"},
        "Obstetrics and Gynecology",
    ),
    _s(
        "260",
        "Orthopaedic Surgery",
        ("ortho", "orthopedic surgery", "orthopedics"),
        {"C": "Orthopaedic Surgery"},
        "Orthopaedic Surgery",
    ),
    _s(
        "275",
        "Osteopathic Neuromusculoskeletal Medicine",
        ("onmm",),
        {"C": "Osteo Neuromusculoskeletal Med"},
    ),
    _s("280", "Otolaryngology", ("ent",), {"C": "Otolaryngology"}, "Otolaryngology"),
    _s("300", "Pathology", ("path",), {"C": "Pathology"}, "Pathology-Anatomic and Clinical"),
    _s(
        "320",
        "Pediatrics",
        ("peds",),
        {
            "C": "Pediatrics (Categorical)",
            "P": "Pediatrics-Preliminary",
            "M": "Pediatrics-Primary",
        },
        "Pediatrics",
    ),
    _s(
        "340",
        "Physical Medicine and Rehabilitation",
        ("pm&r", "pmr", "physiatry"),
        {"C": "Physical Medicine & Rehab"},
        "Physical Medicine and Rehabilitation",
    ),
    _s(
        "362",
        "Plastic Surgery (Integrated)",
        ("plastics", "plastic surgery"),
        {"C": "Plastic Surgery (Integrated)"},
        "Plastic Surgery (Integrated)",
    ),
    _s(
        "380",
        "Public Health and Preventive Medicine",
        ("preventive medicine",),
        {},
        "Public Health and Preventive Medicine",
    ),
    _s("382", "Occupational and Environmental Medicine", ("occ med",), {}),
    _s("400", "Psychiatry", ("psych",), {"C": "Psychiatry"}, "Psychiatry"),
    _s(
        "416",
        "Interventional Radiology (Integrated)",
        ("ir",),
        {"C": "Interventional Radiology (Integrated)"},
        "Interventional Radiology (Integrated)",
    ),
    _s(
        "420",
        "Radiology-Diagnostic",
        ("radiology", "diagnostic radiology", "dr"),
        {"C": "Radiology-Diagnostic"},
        "Radiology-Diagnostic",
    ),
    _s(
        "430",
        "Radiation Oncology",
        ("rad onc",),
        {"C": "Radiation Oncology"},
        "Radiation Oncology",
    ),
    _s(
        "440",
        "General Surgery",
        ("surgery", "gen surg", "surgery-general"),
        {"C": "Surgery (Categorical)", "P": "Surgery-Preliminary (PGY-1 Only)"},
        "Surgery-General",
    ),
    _s(
        "451",
        "Vascular Surgery (Integrated)",
        ("vascular surgery",),
        {"C": "Vascular Surgery"},
        "Vascular Surgery (Integrated)",
    ),
    _s(
        "461",
        "Thoracic Surgery (Integrated)",
        ("thoracic surgery", "cardiothoracic"),
        {"C": "Thoracic Surgery"},
        "Thoracic Surgery (Integrated)",
    ),
    _s(
        "700",
        "Medicine-Pediatrics",
        ("med-peds", "med peds", "internal medicine/pediatrics"),
        {"C": "Medicine-Pediatrics"},
        "Internal Medicine/Pediatrics",
        True,
    ),
    _s(
        "705",
        "Emergency Medicine/Internal Medicine",
        (),
        {"C": "Medicine-Emergency Med"},
        combined=True,
    ),
    _s("715", "Medicine-Psychiatry", (), {"C": "Medicine-Psychiatry"}, combined=True),
    _s("720", "Psychiatry-Family Medicine", (), {"C": "Psychiatry-Family Medicine"}, combined=True),
    _s(
        "725", "Pediatrics-Emergency Medicine", (), {"C": "Pediatrics-Emergency Med"}, combined=True
    ),
    _s("726", "Pediatrics-Anesthesiology", (), {"C": "Pediatrics-Anesthesiology"}, combined=True),
    _s(
        "730",
        "Pediatrics/Psychiatry/Child Psychiatry",
        (),
        {"C": "Peds/Psych/Child Psych"},
        combined=True,
    ),
    _s("735", "Pediatrics-PM&R", (), {"C": "Pediatrics-PM & R"}, combined=True),
    _s("751", "Medicine-Preventive Medicine", (), {"C": "Medicine-Preventive Med"}, combined=True),
    _s("755", "Psychiatry-Neurology", (), {"C": "Psychiatry-Neurology"}, combined=True),
    _s(
        "765",
        "Pediatrics-Medical Genetics",
        (),
        {"C": "Pediatrics-Medical Genetics"},
        combined=True,
    ),
    _s(
        "766",
        "Medicine-Medical Genetics",
        (),
        {"C": "Medicine-Medical Genetics"},
        combined=True,
    ),
    _s("770", "Radiology-Nuclear Medicine", (), {}, combined=True),
    _s("785", "Dermatology/Internal Medicine", (), {"C": "Medicine-Dermatology"}, combined=True),
    _s(
        "795",
        "Emergency Medicine-Family Medicine",
        (),
        {"C": "Emergency Med-Family Med"},
        combined=True,
    ),
    _s(
        "796",
        "Emergency Medicine-Anesthesiology",
        (),
        {"C": "Emergency Med-Anesthesiology"},
        combined=True,
    ),
    _s("797", "Emergency Medicine/Aerospace Medicine", (), {}, combined=True),
    _s(
        "999",
        "Transitional Year",
        ("transitional", "ty"),
        {"C": "Transitional (PGY-1 Only)"},
    ),
)

_BY_CODE: dict[str, Specialty] = {s.code: s for s in SPECIALTIES}
_KEYS: dict[str, Specialty] = {}
for _sp in SPECIALTIES:
    for _key in (_sp.code, _sp.name, *_sp.aliases):
        _KEYS.setdefault(_key.lower(), _sp)


def by_code(code: str) -> Specialty:
    """The specialty with this three-digit NRMP code (KeyError if unknown)."""
    return _BY_CODE[code]


def resolve_specialty(text: str) -> Specialty | None:
    """Specialty by code, name or alias (case-insensitive); None if nothing matches exactly."""
    return _KEYS.get(text.strip().lower())


def suggest_specialty(text: str, limit: int = 3) -> list[str]:
    """Closest specialty names for a did-you-mean message."""
    choices = {**{s.name: s.name for s in SPECIALTIES}, **{a: s.name for a, s in _KEYS.items()}}
    hits = process.extract(
        text.strip().lower(),
        list(choices),
        scorer=JaroWinkler.normalized_similarity,
        processor=str.lower,
        limit=limit * 3,
    )
    out: list[str] = []
    for key, score, _ in hits:
        name = choices[key]
        if score >= 0.7 and name not in out:
            out.append(name)
    return out[:limit]
