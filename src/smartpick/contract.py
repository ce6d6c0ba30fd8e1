"""The plan's JSON contract: the keys the CLI, the web app and others rely on.

``PlanResult.model_dump(mode="json")`` is what ``smartpick plan --json`` prints and what
``POST /api/plan`` returns. Keys may be added; existing keys are never renamed or removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

__all__ = [
    "Advice",
    "AdviceEffect",
    "CurvePoint",
    "PlanResult",
    "PortfolioPart",
    "ProgramOut",
    "ScreenedOut",
    "SignalOut",
    "SignalsEffect",
    "StandingOut",
    "TierCounts",
    "TimelineItem",
    "built",
]

Tier = Literal["reach", "target", "safety"]
Strictness = Literal["strict", "preference", "unknown"]
SignalKind = Literal["gold", "silver", "signal"]
#: Sponsorship of the visa the applicant needs: None when no visa is needed.
VisaStatus = Literal["sponsors", "does_not", "unknown"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


M = TypeVar("M", bound=BaseModel)
#: The instance slots a pydantic model's state lives in (``BaseModel.__getstate__``'s keys).
_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
_Setter = Callable[[Any, Any], None]


def _slot_setter(cls: type[BaseModel], name: str) -> _Setter:
    """The ``__set__`` of the data descriptor that ``setattr(m, name, ...)`` on a ``cls``
    instance would reach past pydantic's own ``__setattr__`` (the first along the MRO)."""
    for klass in cls.__mro__:
        if name in vars(klass):
            setter: _Setter = vars(klass)[name].__set__
            return setter
    raise TypeError(f"{cls.__name__} has no slot {name}")  # pragma: no cover


@cache
def _builder(cls: type[BaseModel]) -> tuple[set[str], _Setter, _Setter, _Setter, _Setter]:
    """Every field of ``cls`` (the fields set its :func:`built` models share) and the setters
    of its four slots, in :data:`_SLOTS` order (keyed by the class: one lookup a class)."""
    d, fs, extra, private = (_slot_setter(cls, name) for name in _SLOTS)
    return set(cls.model_fields), d, fs, extra, private


def built(cls: type[M], rows: Iterable[dict[str, Any]]) -> list[M]:
    """``cls`` models of ``rows`` that our own code built from validated data: each row gives
    every field, in the model's order, a value of the field's type (the tests check the
    result against validation, JSON included).

    What ``cls.model_construct(_fields_set=..., **row)`` makes, without its per-field loop:
    the row is the model's ``__dict__``, and all the models share one fields set (every field
    is set; pydantic uses a given set as it is, and copies of a model copy it). No validation
    and one object fewer a model: an output list is built in a fraction of the time and
    leaves the garbage collector less to track. The four slots are set through their own
    descriptors (what ``object.__setattr__`` reaches after looking each name up).
    """
    fields, set_dict, set_fields, set_extra, set_private = _builder(cls)
    new = cls.__new__
    out: list[M] = []
    append = out.append
    for row in rows:
        m = new(cls)
        set_dict(m, row)
        set_fields(m, fields)
        set_extra(m, None)
        set_private(m, None)
        append(m)
    return out


class TierCounts(_Model):
    """Programs per tier in the recommended list."""

    reach: int
    target: int
    safety: int


class CurvePoint(_Model):
    """P(match) and ERAS cost for the best list of this many applications."""

    applications: int
    match_probability: float
    cost_usd: float
    expected_interviews: float = 0.0
    interviews_low: float = 0.0  # 10th percentile of the interview count
    interviews_high: float = 0.0  # 90th percentile of the interview count


class ProgramOut(_Model):
    """One program of the recommended list (or of a search with a profile)."""

    program_code: str
    acgme_id: str | None
    name: str
    institution: str
    institution_verified: bool = True
    city: str | None
    state: str | None
    region: str | None = None
    specialty: str
    track: str
    positions: int | None = None
    setting: str | None = None
    tier: Tier | None
    interview_probability: float
    interview_probability_low: float | None = None
    interview_probability_high: float | None = None
    img_share: float | None
    img_share_source: Literal["published", "user", "estimated"] | None
    img_share_sd: float | None = None
    visa_j1: bool | None
    visa_h1b: bool | None
    visa_status: VisaStatus | None = None  # for the visa this applicant needs
    signal: SignalKind | None = None  # the program signal the plan sends here, if any
    #: Share of this applicant's group (US MD / DO / IMG, non-US IMG) the program invited, as it
    #: published it (AAMC Residency Explorer, 2024 Match); None where it published none.
    interview_rate_published: float | None = None
    reasons: list[str]
    sources: list[str]


class ScreenedOut(_Model):
    """A program ruled out by a hard screen, with why and how strict the rule is."""

    program_code: str
    name: str
    reason: str
    strictness: Strictness


class SignalOut(_Model):
    """One program signal the plan sends."""

    program_code: str
    kind: SignalKind


class SignalsEffect(_Model):
    """P(match) of the recommended list without and with the allocated signals."""

    match_probability_without: float
    match_probability_with: float


class PortfolioPart(_Model):
    """One specialty / track part of the application portfolio."""

    specialty: str
    track: str
    count: int
    cost_usd: float
    match_probability: float


class AdviceEffect(_Model):
    """A what-if measured with the model."""

    match_probability_before: float
    match_probability_after: float
    cost_usd: float


class Advice(_Model):
    """One personalised action of the strategy plan."""

    id: str
    title: str
    why: str
    steps: list[str]
    effect: AdviceEffect | None
    priority: int


class StandingOut(_Model):
    """Where the applicant stands: score band and what it means for the specialty."""

    band: str  # strong | competitive | lower | low | very_low | not_taken
    band_label: str
    summary: str
    points: list[str]


class TimelineItem(_Model):
    """One dated step of the application cycle."""

    date: str
    title: str
    detail: str


class PlanResult(_Model):
    """Everything a plan returns."""

    recommended_count: int
    match_year: int | None = None  # the NRMP Main Match (March of this year) the plan is for
    match_probability: float
    match_probability_low: float
    match_probability_high: float
    expected_interviews: float
    interviews_low: float = 0.0  # 10th percentile of the interviews all parts' lists bring
    interviews_high: float = 0.0  # 90th percentile of the interviews all parts' lists bring
    cost_usd: float
    fees_once_usd: dict[str, float] = {}
    tier_counts: TierCounts
    curve: list[CurvePoint]
    programs: list[ProgramOut]
    screened_out: list[ScreenedOut]
    portfolio: list[PortfolioPart]
    visa_unknown_count: int = 0  # listed programs whose sponsorship of the needed visa is unknown
    signals: list[SignalOut] = []
    signals_effect: SignalsEffect | None = None
    standing: StandingOut | None = None
    advice: list[Advice] = []
    timeline: list[TimelineItem] = []
    notes: list[str] = []
    sources: list[str]
    model_version: str
