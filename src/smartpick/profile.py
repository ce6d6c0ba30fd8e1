"""The applicant profile: typed, validated, with errors that name the field.

The same field names are used by the TOML profile file, the web form and the API. A profile is
sensitive (scores, failed attempts): this module never logs or stores it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from smartpick import geo
from smartpick.datafiles import fact
from smartpick.errors import ProfileError
from smartpick.profile_errors import problems_of, profile_error, short
from smartpick.profile_schema import (
    AREAS_SCHEMA,
    CROSS_FIELD_SCHEMA,
    SETTINGS_SCHEMA,
    SPECIALTY_SCHEMA,
    STATES_SCHEMA,
    graduation_year_schema,
)
from smartpick.profile_values import TARGET_SCHEMA, canonical, canonical_items, target_fraction
from smartpick.specialties import Specialty, resolve_specialty, suggest_specialty
from smartpick.suggest import did_you_mean, key

__all__ = [
    "APPLICANT_TYPES",
    "SETTINGS_PREFERRED",
    "USCE_KINDS",
    "VISAS",
    "Profile",
    "load_profile",
    "parse_profile",
]

ApplicantType = Literal["us_md", "us_do", "us_img", "non_us_img"]
Visa = Literal["none", "j1", "h1b"]
UsceKind = Literal[
    "clerkship", "subinternship", "elective", "externship", "observership", "shadowing"
]
SettingPref = Literal["university", "affiliated", "community"]

APPLICANT_TYPES: tuple[str, ...] = ("us_md", "us_do", "us_img", "non_us_img")
VISAS: tuple[str, ...] = ("none", "j1", "h1b")
USCE_KINDS: tuple[str, ...] = (
    "clerkship",
    "subinternship",
    "elective",
    "externship",
    "observership",
    "shadowing",
)
SETTINGS_PREFERRED: tuple[str, ...] = ("university", "affiliated", "community")

#: Every profile field with a one-line help text (used by the CLI, the web form and the docs).
FIELD_HELP: dict[str, str] = {
    "specialty": "Specialty you apply to: name or NRMP code, e.g. 'Internal Medicine' or 140",
    "backup_specialty": "Optional backup specialty, e.g. 'Family Medicine'",
    "include_preliminary": "Also apply to preliminary IM / transitional-year PGY-1 positions",
    "signals": "Plan your ERAS program signals (where to send each signal of the specialty); "
    "false: plan without signals",
    "applicant_type": "us_md | us_do | us_img (US-citizen IMG) | non_us_img (case and "
    "punctuation do not matter: US-IMG, Non US IMG)",
    "step2_score": "USMLE Step 2 CK three-digit score (1-300); leave empty if not yet taken",
    "step1": "'pass', 'fail', or a three-digit score for older cohorts",
    "exam_failures": "Number of failed USMLE attempts, all Steps together",
    "graduation_year": "Year you graduated (or will graduate) from medical school",
    "visa": "Visa sponsorship you need: none | j1 | h1b (J-1 and H-1B also accepted)",
    "usce_months": "Months of US clinical experience",
    "usce_kind": "Best kind of US clinical experience: clerkship | subinternship | elective | "
    "externship | observership | shadowing",
    "us_letters": "Letters of recommendation from US physicians",
    "specialty_letters": "Letters from physicians in the specialty you apply to",
    "research_items": "Research items (publications, posters, abstracts); optional, recorded "
    "but not used by the odds: no public figure ties them to IMGs' interview rates",
    "regions": "Preferred census regions or divisions, e.g. ['Midwest', 'South Atlantic']",
    "exclude_states": "Two-letter states you will not apply to, e.g. ['CA', 'NY']",
    "settings": "Preferred program settings: university | affiliated | community",
    "budget_usd": "Most you will spend on ERAS application fees, in US dollars",
    "target_match_probability": "Chance of matching to aim for: a fraction (0.8), a percentage "
    '(80) or a percentage as text ("80%"); kept as a fraction',
}


#: Longest text a profile field (or list item) may hold.
MAX_TEXT = 200


_short = short

_NUMBER_FIELDS = (
    "step2_score",
    "step1",
    "exam_failures",
    "graduation_year",
    "usce_months",
    "us_letters",
    "specialty_letters",
    "research_items",
    "budget_usd",
)
#: A fraction above 0 and below 1 once read (the schema documents the percentages it takes).
Target = Annotated[float, WithJsonSchema(TARGET_SCHEMA)]


def _as_list(value: Any) -> list[Any]:
    """A list field's items; ValueError (a field error, not a crash) for a non-list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | set | frozenset) or value is None:
        return list(value or ())
    raise ValueError(f"expected a list, got {type(value).__name__}")


class Profile(BaseModel):
    """An applicant's profile. Construct with :func:`parse_profile` for SmartPick errors."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        str_max_length=MAX_TEXT,
        allow_inf_nan=False,  # budget_usd = inf would plan without a budget
        json_schema_extra=CROSS_FIELD_SCHEMA,
    )

    specialty: str = Field(
        description=FIELD_HELP["specialty"], json_schema_extra={"anyOf": SPECIALTY_SCHEMA}
    )
    backup_specialty: str | None = Field(
        None,
        description=FIELD_HELP["backup_specialty"],
        json_schema_extra={"anyOf": [*SPECIALTY_SCHEMA, {"enum": [""]}, {"type": "null"}]},
    )
    include_preliminary: bool = Field(False, description=FIELD_HELP["include_preliminary"])
    signals: bool = Field(True, description=FIELD_HELP["signals"])
    applicant_type: ApplicantType = Field("us_img", description=FIELD_HELP["applicant_type"])
    step2_score: Annotated[int, Field(ge=1, le=300)] | None = Field(
        None, description=FIELD_HELP["step2_score"]
    )
    step1: Literal["pass", "fail"] | Annotated[int, Field(ge=1, le=300)] | None = Field(
        "pass", description=FIELD_HELP["step1"]
    )
    exam_failures: int = Field(0, ge=0, le=20, description=FIELD_HELP["exam_failures"])
    graduation_year: int | None = Field(
        None,
        ge=1950,
        description=FIELD_HELP["graduation_year"],
        json_schema_extra=graduation_year_schema(),
    )
    visa: Visa = Field("none", description=FIELD_HELP["visa"])
    usce_months: float = Field(0.0, ge=0, le=120, description=FIELD_HELP["usce_months"])
    usce_kind: UsceKind | None = Field(None, description=FIELD_HELP["usce_kind"])
    us_letters: int = Field(0, ge=0, le=20, description=FIELD_HELP["us_letters"])
    specialty_letters: int = Field(0, ge=0, le=20, description=FIELD_HELP["specialty_letters"])
    research_items: int = Field(0, ge=0, le=500, description=FIELD_HELP["research_items"])
    regions: tuple[str, ...] = Field(
        (), description=FIELD_HELP["regions"], json_schema_extra=AREAS_SCHEMA
    )
    exclude_states: tuple[str, ...] = Field(
        (), description=FIELD_HELP["exclude_states"], json_schema_extra=STATES_SCHEMA
    )
    settings: tuple[SettingPref, ...] = Field(
        (),
        description=FIELD_HELP["settings"],
        json_schema_extra=SETTINGS_SCHEMA,
    )
    budget_usd: float | None = Field(None, ge=0, description=FIELD_HELP["budget_usd"])
    target_match_probability: Target = Field(
        0.80, description=FIELD_HELP["target_match_probability"]
    )

    # -- field checks ---------------------------------------------------------------------
    @field_validator("specialty", "backup_specialty", mode="before")
    @classmethod
    def _specialty(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise ValueError(f"text of {len(text)} characters (allowed: up to {MAX_TEXT})")
        if text.isdigit():
            text = text.zfill(3)
        spec = resolve_specialty(text)
        if spec is None:
            hint = suggest_specialty(text)
            msg = f"unknown specialty '{_short(value)}'"
            if hint:
                msg += "; did you mean " + " or ".join(f"'{h}'" for h in hint) + "?"
            raise ValueError(msg)
        return spec.name

    @field_validator(*_NUMBER_FIELDS, "include_preliminary", "signals", mode="before")
    @classmethod
    def _json_types(cls, value: Any, info: ValidationInfo) -> Any:
        """Numbers must be numbers and flags true/false, as the schema says (no "225", no
        ``true`` for 1: a typo should not be taken as a value)."""
        if info.field_name in ("include_preliminary", "signals"):
            if not isinstance(value, bool):
                raise ValueError("must be true or false")
            return value
        if isinstance(value, bool) or (
            isinstance(value, str) and not (info.field_name == "step1" and not value.isdigit())
        ):
            raise ValueError(f"must be a number, not {type(value).__name__}")
        return value

    @field_validator("graduation_year")
    @classmethod
    def _graduation_year(cls, value: int | None, info: ValidationInfo) -> int | None:
        today = (info.context or {}).get("today") or dt.date.today()
        if value is not None and value > today.year + 1:
            raise ValueError(
                f"graduation year {value} is in the future (allowed: up to {today.year + 1})"
            )
        return value

    @field_validator("regions", mode="before")
    @classmethod
    def _regions(cls, value: Any) -> Any:
        items = _as_list(value)
        out: list[str] = []
        allowed = [*geo.REGIONS, *geo.DIVISIONS]
        for item in items:
            match = next((a for a in allowed if key(a) == key(str(item))), None)
            if match is None:
                raise ValueError(
                    f"unknown region '{_short(item)}'{did_you_mean(str(item), allowed)} "
                    f"(allowed: {', '.join(allowed)})"
                )
            out.append(match)
        return tuple(dict.fromkeys(out))

    @field_validator("exclude_states", mode="before")
    @classmethod
    def _states(cls, value: Any) -> Any:
        items = _as_list(value)
        out: list[str] = []
        known = set(geo.STATE_DIVISION) | set(geo.TERRITORIES)
        for item in items:
            code = str(item).strip().upper()
            if code not in known:
                raise ValueError(
                    f"unknown state '{_short(item)}' (allowed: two-letter codes, e.g. NY)"
                )
            out.append(code)
        return tuple(dict.fromkeys(out))

    @field_validator("settings", mode="before")
    @classmethod
    def _settings(cls, value: Any) -> Any:
        return canonical_items("settings", _as_list(value))

    @field_validator("applicant_type", "visa", "usce_kind", "step1", mode="before")
    @classmethod
    def _enum(cls, value: Any, info: ValidationInfo) -> Any:
        """Any case and punctuation (``J-1``, ``H1B``, ``us-img``), normalised; a digit string
        of step1 is left to the number check."""
        if info.field_name == "step1" and isinstance(value, str) and value.strip().isdigit():
            return value
        return canonical(str(info.field_name), value)

    @field_validator("target_match_probability", mode="before")
    @classmethod
    def _target(cls, value: Any) -> Any:
        """A fraction (0.8), a percentage (80) or a percentage string ("80%") → 0.8."""
        return target_fraction(value)

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        """The rules across fields; every broken one, one line each (naming its field)."""
        broken: list[str] = []
        if self.backup_specialty and self.backup_specialty == self.specialty:
            broken.append("backup_specialty: must differ from specialty")
        if self.applicant_type == "non_us_img" and "visa" not in self.model_fields_set:
            broken.append(
                "visa: required for a non-US IMG (none | j1 | h1b): say which visa you need, "
                "or none if you hold a green card or another work authorisation"
            )
        if self.usce_kind is not None and self.usce_months == 0:
            broken.append("usce_kind: given but usce_months is 0; set usce_months too")
        if self.step2_score is not None and self.exam_failures == 0:
            mark = fact("step2_ck_pass_mark")
            if self.step2_score < mark.value:
                broken.append(
                    f"step2_score: {self.step2_score} is below the Step 2 CK pass mark of "
                    f"{mark.value:.0f} ({mark.citation}), which means a failed attempt: set "
                    "exam_failures to at least 1, or correct the score"
                )
        if broken:
            raise ValueError("\n".join(broken))
        return self

    # -- derived --------------------------------------------------------------------------
    @property
    def specialty_info(self) -> Specialty:
        """The primary specialty's reference record."""
        spec = resolve_specialty(self.specialty)
        assert spec is not None
        return spec

    @property
    def backup_info(self) -> Specialty | None:
        """The backup specialty's reference record, if any."""
        return resolve_specialty(self.backup_specialty) if self.backup_specialty else None

    def years_since_graduation(self, today: dt.date | None = None) -> int | None:
        """Whole years from graduation to the Match year's July start (None if unknown)."""
        if self.graduation_year is None:
            return None
        today = today or dt.date.today()
        match_year = today.year + 1 if today.month >= 6 else today.year
        return max(0, match_year - self.graduation_year)


def parse_profile(data: dict[str, Any], *, today: dt.date | None = None) -> Profile:
    """Validate a mapping of profile fields; raise :class:`ProfileError` naming the field."""
    if not isinstance(data, dict):
        raise ProfileError("expected a table of profile fields", field="profile")
    try:
        return Profile.model_validate(data, context={"today": today or dt.date.today()})
    except ValidationError as exc:
        raise profile_error(problems_of(exc, list(Profile.model_fields))) from None


def load_profile(path: str | Path, *, today: dt.date | None = None) -> Profile:
    """Read and validate a TOML profile file; errors name the file, the line and the field."""
    from smartpick.profile_file import read_profile  # the file format, apart from the fields

    return read_profile(path, today=today)
