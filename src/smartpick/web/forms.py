"""The profile form: one widget per profile field, and form data → profile mapping.

HTML constraints (min, max, step, required) come from the :class:`~smartpick.profile.Profile`
model itself, so the browser and the server check the same limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotated_types import Ge, Gt, Le, Lt

from smartpick import geo
from smartpick.errors import ProfileError, RequestError
from smartpick.profile import (
    APPLICANT_TYPES,
    FIELD_HELP,
    SETTINGS_PREFERRED,
    USCE_KINDS,
    VISAS,
    Profile,
)
from smartpick.specialties import SPECIALTIES

from .limits import loads_checked

__all__ = [
    "FIELDS",
    "LABELS",
    "WEB_HELP",
    "Widget",
    "form_to_profile_data",
    "profile_from_json",
    "profile_to_values",
]

LABELS: dict[str, str] = {
    "specialty": "Specialty",
    "backup_specialty": "Backup specialty",
    "include_preliminary": "Add preliminary / transitional-year positions",
    "signals": "Plan my program signals",
    "applicant_type": "Applicant type",
    "step2_score": "USMLE Step 2 CK score",
    "step1": "USMLE Step 1",
    "exam_failures": "Failed USMLE attempts",
    "graduation_year": "Graduation year",
    "visa": "Visa needed",
    "usce_months": "US clinical experience (months)",
    "usce_kind": "Best kind of US clinical experience",
    "us_letters": "Letters from US physicians",
    "specialty_letters": "Letters from the specialty",
    "research_items": "Research items",
    "regions": "Preferred regions or divisions",
    "exclude_states": "States to leave out",
    "settings": "Preferred program settings",
    "budget_usd": "ERAS fee budget (US$)",
    "target_match_probability": "Target chance of matching (0.8 or 80%)",
}

#: Help texts worded for the form (the profile's own help names TOML values and list syntax).
WEB_HELP: dict[str, str] = {
    "specialty": "The specialty you apply to; the NRMP code is in brackets",
    "backup_specialty": "Optional: a second specialty to apply to as well, e.g. Family Medicine",
    "applicant_type": "US-citizen IMG: a US citizen or permanent resident who studied abroad",
    "step2_score": "Three-digit score (1-300); leave empty if you have not taken it yet",
    "step1": "Type pass or fail, or your three-digit score if you have one",
    "visa": "The visa a program would have to sponsor for you",
    "usce_kind": "Hands-on kinds (clerkship, sub-internship, elective) count more than "
    "observerships and shadowing",
    "regions": "Leave all unticked to consider the whole country",
    "exclude_states": "Two-letter codes separated by commas, e.g. CA, NY",
    "settings": "Leave all unticked to consider every setting",
    "target_match_probability": "Chance of matching to aim for, as a fraction or a percentage: "
    "0.8 means 80%, and so does 80",
}

_APPLICANT_LABELS = {
    "us_md": "US MD senior",
    "us_do": "US DO senior",
    "us_img": "US-citizen IMG",
    "non_us_img": "Non-US-citizen IMG",
}
_USCE_LABELS = {"subinternship": "Sub-internship"}
_SETTING_LABELS = {
    "university": "University",
    "affiliated": "University-affiliated",
    "community": "Community",
}
_VISA_LABELS = {"none": "None (US citizen or green card)", "j1": "J-1", "h1b": "H-1B"}


@dataclass(frozen=True)
class Widget:
    """How one profile field is shown in the form."""

    name: str
    kind: str  # select | number | text | checkbox | multi
    label: str
    help: str
    options: tuple[tuple[str, str], ...] = ()
    attrs: dict[str, str] = field(default_factory=dict)
    required: bool = False


def _bounds(name: str) -> dict[str, str]:
    """min / max of a numeric profile field, read from the model's constraints."""
    out: dict[str, str] = {}
    for meta in Profile.model_fields[name].metadata:
        if isinstance(meta, Ge):
            out["min"] = str(meta.ge)
        elif isinstance(meta, Le):
            out["max"] = str(meta.le)
        elif isinstance(meta, Gt):
            out["min"] = "0.01"
        elif isinstance(meta, Lt):
            out["max"] = "0.99"
    return out


def _w(name: str, kind: str, **kw: Any) -> Widget:
    help_text = WEB_HELP.get(name, FIELD_HELP[name])
    return Widget(name=name, kind=kind, label=LABELS[name], help=help_text, **kw)


_SPECIALTY_OPTIONS = tuple((s.name, f"{s.name} ({s.code})") for s in SPECIALTIES)
_AREAS = tuple((r, r) for r in geo.REGIONS) + tuple((d, f"{d} (division)") for d in geo.DIVISIONS)

#: Every profile field, in form order.
FIELDS: tuple[Widget, ...] = (
    _w("specialty", "select", options=_SPECIALTY_OPTIONS, required=True),
    _w("backup_specialty", "select", options=(("", "None"), *_SPECIALTY_OPTIONS)),
    _w("include_preliminary", "checkbox"),
    _w("signals", "checkbox"),
    _w(
        "applicant_type",
        "select",
        options=tuple((a, _APPLICANT_LABELS[a]) for a in APPLICANT_TYPES),
    ),
    _w("step2_score", "number", attrs={"min": "1", "max": "300", "step": "1"}),
    _w("step1", "text", attrs={"pattern": "pass|fail|[0-9]{1,3}", "maxlength": "4"}),
    _w("exam_failures", "number", attrs={**_bounds("exam_failures"), "step": "1"}, required=True),
    _w("graduation_year", "number", attrs={**_bounds("graduation_year"), "step": "1"}),
    _w(
        "visa",
        "select",
        options=(
            ("", "Choose (required for a non-US IMG)"),
            *((v, _VISA_LABELS[v]) for v in VISAS),
        ),
    ),
    _w("usce_months", "number", attrs={**_bounds("usce_months"), "step": "0.5"}, required=True),
    _w(
        "usce_kind",
        "select",
        options=(("", "None yet"), *((k, _USCE_LABELS.get(k, k.capitalize())) for k in USCE_KINDS)),
    ),
    _w("us_letters", "number", attrs={**_bounds("us_letters"), "step": "1"}, required=True),
    _w(
        "specialty_letters",
        "number",
        attrs={**_bounds("specialty_letters"), "step": "1"},
        required=True,
    ),
    _w("research_items", "number", attrs={**_bounds("research_items"), "step": "1"}),
    _w("regions", "multi", options=_AREAS),
    _w(
        "exclude_states",
        "text",
        attrs={"pattern": r"[A-Za-z]{2}([ ,]+[A-Za-z]{2})*", "maxlength": "200"},
    ),
    _w(
        "settings",
        "multi",
        options=tuple((s, _SETTING_LABELS.get(s, s)) for s in SETTINGS_PREFERRED),
    ),
    _w("budget_usd", "number", attrs={**_bounds("budget_usd"), "step": "1"}),
    _w(
        "target_match_probability",
        "number",
        attrs={"min": "0.01", "max": "99.99", "step": "any"},  # a fraction or a percentage
        required=True,
    ),
)

_MULTI = {w.name for w in FIELDS if w.kind == "multi"}
_INT_FIELDS = {"step2_score", "exam_failures", "graduation_year", "us_letters"}
_INT_FIELDS |= {"specialty_letters", "research_items"}
_FLOAT_FIELDS = {"usce_months", "budget_usd", "target_match_probability"}


def _number(name: str, text: str) -> int | float:
    try:
        value = float(text)
    except ValueError:
        raise ProfileError(f"'{text}' is not a number", field=name) from None
    if name in _INT_FIELDS:
        if not value.is_integer():
            raise ProfileError(f"'{text}' is not a whole number", field=name)
        return int(value)
    return value


def form_to_profile_data(form: Mapping[str, Any], multi: Mapping[str, list[str]]) -> dict[str, Any]:
    """Form fields → a profile mapping for :func:`~smartpick.profile.parse_profile`.

    ``form`` holds single values, ``multi`` the repeated ones (check boxes). Empty inputs are left
    out so the profile's defaults apply; numbers are converted here, everything else is checked
    by the profile model.
    """
    data: dict[str, Any] = {}
    for w in FIELDS:
        if w.name in _MULTI:
            values = [v.strip() for v in multi.get(w.name, []) if v.strip()]
            if values:
                data[w.name] = values
            continue
        if w.kind == "checkbox":
            data[w.name] = str(form.get(w.name, "")).lower() in {"1", "on", "true", "yes"}
            continue
        raw = str(form.get(w.name, "") or "").strip()
        if not raw:
            continue
        if w.name == "target_match_probability" and raw.endswith("%"):
            data[w.name] = raw  # "80%": the profile reads percentages
        elif w.name in _INT_FIELDS | _FLOAT_FIELDS:
            data[w.name] = _number(w.name, raw)
        elif w.name == "step1":
            low = raw.lower()
            # ASCII digits only: "²".isdigit() is True but int("²") fails
            data[w.name] = int(low) if low.isascii() and low.isdigit() else low
        elif w.name == "exclude_states":
            data[w.name] = [s for s in raw.replace(",", " ").split() if s]
        else:
            data[w.name] = raw
    return data


def profile_to_values(profile: Profile | Mapping[str, Any] | None) -> dict[str, Any]:
    """Current form values (strings / lists) for a profile, a raw mapping, or the defaults."""
    if profile is None:
        src: dict[str, Any] = {"specialty": "Internal Medicine", "step2_score": None}
        src.update({n: f.default for n, f in Profile.model_fields.items() if n != "specialty"})
        src["visa"] = None  # asked, not assumed: a non-US IMG must choose (profile.py)
    elif isinstance(profile, Profile):
        src = profile.model_dump()
    else:
        src = dict(profile)
    out: dict[str, Any] = {}
    for w in FIELDS:
        value = src.get(w.name)
        if w.name in _MULTI:
            out[w.name] = [str(v) for v in (value or ())] if not isinstance(value, str) else [value]
        elif w.kind == "checkbox":  # a missing flag takes the profile's default
            out[w.name] = bool(src.get(w.name, Profile.model_fields[w.name].default))
        elif w.name == "exclude_states" and not isinstance(value, str):
            out[w.name] = ", ".join(str(v) for v in (value or ()))
        elif (
            isinstance(value, float) and value.is_integer() and w.name != "target_match_probability"
        ):
            out[w.name] = str(int(value))
        else:
            out[w.name] = "" if value is None else str(value)
    return out


def profile_from_json(text: str) -> dict[str, Any]:
    """The profile mapping carried in a results page's hidden ``profile_json`` field."""
    try:
        data = loads_checked(text)
    except RequestError as exc:
        why = str(exc).removeprefix(f"{exc.field}: ")
        raise ProfileError(f"{why}; start again from the form", field="profile") from None
    if not isinstance(data, dict):
        raise ProfileError("expected a JSON object of profile fields", field="profile")
    return data
