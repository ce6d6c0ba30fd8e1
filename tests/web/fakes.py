"""A stand-in for :mod:`smartpick.service` that builds realistic plans in code.

Programs are real rows of the vendored NRMP 2026 table (Internal Medicine, categorical) plus one
program whose name carries a ``<script>`` tag, to test escaping. The "model" is deliberately
simple and documented here, so tests can predict it:

- interview probability of candidate i: a fixed spread in [0.09, 0.6] shifted by the Step 2 score;
- P(match) of a list: 1 - prod(1 - 0.25 p_i); cost: ERAS fees ($11 each for 1-30, $30 after);
- the recommended count is the smallest top-n list that reaches the target on the full candidate
  set; removing a program never brings in a replacement, so the odds always drop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from smartpick.contract import (
    Advice,
    AdviceEffect,
    CurvePoint,
    PlanResult,
    PortfolioPart,
    ProgramOut,
    ScreenedOut,
    TierCounts,
    TimelineItem,
)
from smartpick.errors import InputError
from smartpick.geo import division_of, region_of
from smartpick.profile import Profile
from smartpick.query import ProgramQuery
from smartpick.resources import read_csv
from smartpick.specialties import resolve_specialty
from smartpick.thin import CurveDetail, thin_result

EVIL_CODE = "9999140C0"
EVIL_NAME = "<script>alert('x')</script> Internal Medicine"
N_CANDIDATES = 40
SOURCES = ["NRMP Program Results 2026 (nrmp_programs_2026.csv, 2026)"]


@cache
def _rows() -> list[dict[str, Any]]:
    rows = [
        r
        for r in read_csv("nrmp_programs_2026.csv")
        if (r["program_code"] or "")[4:8] == "140C" and r["quota_2026"]
    ][: N_CANDIDATES + 5]
    out = [dict(r) for r in rows]
    out.insert(
        3,
        {
            "program_code": EVIL_CODE,
            "state": "OH",
            "institution_as_listed": "<b>Evil</b> & Co Hospital",
            "program_name": EVIL_NAME,
            "track": "C",
            "quota_2026": "8",
            "filled_2026": "8",
        },
    )
    return out


def record(row: dict[str, Any]) -> dict[str, Any]:
    """A catalog search record (the keys of `smartpick programs --json`)."""
    code = str(row["program_code"])
    positions = int(row["quota_2026"]) if row["quota_2026"] else None
    filled = int(row["filled_2026"]) if row["filled_2026"] else None
    salt = int(code[:4]) % 7
    return {
        "program_code": code,
        "acgme_id": None,
        "name": row["program_name"],
        "institution": row["institution_as_listed"],
        "institution_verified": salt % 2 == 0,
        "city": None,
        "state": row["state"],
        "region": region_of(row["state"]),
        "division": division_of(row["state"]),
        "specialty": "Internal Medicine",
        "specialty_code": code[4:7],
        "track": code[7],
        "positions": positions,
        "filled_2026": filled,
        "fill_rate": (filled / positions) if positions and filled is not None else None,
        "setting": ("community", "university", "affiliated", None)[salt % 4],
        "img_share": None if salt == 3 else round(0.1 + 0.12 * salt, 2),
        "img_share_source": None if salt == 3 else "published",
        "visa_j1": None if salt == 5 else salt % 2 == 0,
        "visa_h1b": None if salt == 5 else salt % 3 == 0,
        "accepting": True,
        **_interview_rates(salt),
        "sources": list(SOURCES),
    }


def _interview_rates(salt: int) -> dict[str, Any]:
    """Residency Explorer fields of a record: published for most programs, none for salt 6."""
    linked = salt != 6

    def rate(value: float) -> float | None:
        return value if linked else None

    return {
        "interview_rate_us_md": rate(0.3),
        "interview_rate_us_do": rate(0.2),
        "interview_rate_us_img": rate(round(0.02 * salt, 2)),
        "interview_rate_non_us_img": rate(0.05),
        "interview_rate_signal": None,
        "interview_rate_gold_signal": None,
        "interview_rate_silver_signal": None,
        "interview_rate_no_signal": None,
        "interview_rates_source": "AAMC Residency Explorer, 2024 Match" if linked else None,
        "interview_rates_year": 2024 if linked else None,
        "explorer_link_confidence": rate(0.95),
        "explorer_program": "Fake Hospital Program, Springfield IL" if linked else None,
    }


def _fees(n: int) -> float:
    return float(11 * min(n, 30) + 30 * max(0, n - 30))


def _p_match(p: np.ndarray) -> float:
    return float(1 - np.prod(1 - 0.25 * p))


def plan(
    profile: Profile,
    *,
    db: str | Path | None = None,
    today: dt.date | None = None,
    exclude_codes: tuple[str, ...] = (),
    include_codes: tuple[str, ...] = (),
    advice: bool = True,
) -> PlanResult:
    """A deterministic fake plan (see the module docstring)."""
    rows = _rows()
    known = {r["program_code"] for r in rows}
    unknown = [c for c in include_codes if c not in known]
    if unknown:
        raise InputError(f"unknown program code '{unknown[0]}'", field="include_codes")
    candidates = rows[:N_CANDIDATES]
    shift = ((profile.step2_score or 230) - 230) / 200
    base = np.clip(0.6 - np.arange(len(rows)) * 0.013 + shift, 0.04, 0.95)
    curve = [
        CurvePoint(applications=n, match_probability=_p_match(base[:n]), cost_usd=_fees(n))
        for n in range(1, len(candidates) + 1)
    ]
    target = profile.target_match_probability
    rec = next((c.applications for c in curve if c.match_probability >= target), len(curve))
    if profile.budget_usd is not None:
        rec = min(
            rec,
            max(
                1, next((c.applications - 1 for c in curve if c.cost_usd > profile.budget_usd), rec)
            ),
        )
    chosen = [i for i in range(rec) if candidates[i]["program_code"] not in exclude_codes]
    chosen += [
        i for i, r in enumerate(rows) if r["program_code"] in include_codes and i not in chosen
    ]
    probs = base[chosen]
    programs: list[ProgramOut] = []
    for i in chosen:
        rec_ = record(rows[i])
        p = float(base[i])
        tier = "reach" if p < 0.5 else ("target" if p < 0.56 else "safety")
        programs.append(
            ProgramOut(
                program_code=rec_["program_code"],
                acgme_id=None,
                name=rec_["name"],
                institution=rec_["institution"],
                institution_verified=rec_["institution_verified"],
                city=None,
                state=rec_["state"],
                region=rec_["region"],
                specialty="Internal Medicine",
                track="C",
                positions=rec_["positions"],
                setting=rec_["setting"],
                tier=tier,
                interview_probability=p,
                interview_probability_low=max(0.0, p - 0.1),
                interview_probability_high=min(1.0, p + 0.1),
                img_share=rec_["img_share"] if i % 5 else 0.42,
                img_share_source=rec_["img_share_source"] if i % 5 else "estimated",
                img_share_sd=None if i % 5 else 0.12,
                visa_j1=rec_["visa_j1"],
                visa_h1b=rec_["visa_h1b"],
                interview_rate_published=rec_[f"interview_rate_{profile.applicant_type}"],
                reasons=[f"score gap {230 - (profile.step2_score or 230):+d}", "IMG share high"],
                sources=list(SOURCES),
            )
        )
    pm = _p_match(probs) if len(probs) else 0.0
    cost = _fees(len(programs))
    tiers = {t: sum(p.tier == t for p in programs) for t in ("reach", "target", "safety")}
    return PlanResult(
        recommended_count=len(programs),
        match_probability=pm,
        match_probability_low=max(0.0, pm - 0.08),
        match_probability_high=min(1.0, pm + 0.06),
        expected_interviews=float(probs.sum()),
        cost_usd=cost,
        fees_once_usd={"ECFMG ERAS token": 165.0, "USMLE transcript": 80.0},
        tier_counts=TierCounts(**tiers),
        curve=curve,
        programs=programs,
        screened_out=[
            ScreenedOut(
                program_code=r["program_code"],
                name=r["program_name"],
                reason="does not sponsor the J-1 visa you need",
                strictness="strict",
            )
            for r in rows[N_CANDIDATES : N_CANDIDATES + 3]
        ],
        portfolio=[
            PortfolioPart(
                specialty="Internal Medicine",
                track="C",
                count=len(programs),
                cost_usd=cost,
                match_probability=pm,
            )
        ],
        advice=[
            Advice(
                id="usce",
                title="Add 2 months of US clinical experience",
                why="Program directors weigh US letters and hands-on US experience.",
                steps=["Book an elective", "Ask for a letter at the end"],
                effect=AdviceEffect(
                    match_probability_before=pm,
                    match_probability_after=min(1.0, pm + 0.05),
                    cost_usd=0.0,
                ),
                priority=1,
            ),
            Advice(
                id="opening-day",
                title="Apply on opening day",
                why="Early applications are reviewed first.",
                steps=[],
                effect=None,
                priority=2,
            ),
        ],
        timeline=[
            TimelineItem(
                date="2026-06-04", title="ERAS opens", detail="Register and get your token"
            ),
            TimelineItem(date="2026-09-24", title="Submit", detail="Programs can see applications"),
        ],
        notes=["Fake plan for tests."],
        sources=list(SOURCES),
        model_version="fake-1",
    )


def search_programs(
    query: ProgramQuery, *, db: str | Path | None = None, profile: Profile | None = None
) -> list[dict[str, Any]]:
    """A fake catalog search over the same programs (specialty, state and text filters)."""
    out = [record(r) for r in _rows()]
    spec = resolve_specialty(query.specialty) if query.specialty else None
    if query.specialty and (spec is None or spec.name != "Internal Medicine"):
        out = []
    if query.states:
        out = [r for r in out if r["state"] in query.states]
    if query.text:
        key = query.text.lower()
        out = [r for r in out if key in (r["name"] + " " + r["institution"]).lower()]
    out = out[query.offset :]
    return out if query.limit is None else out[: query.limit]


class FakePlanner:
    """A stand-in planner (:class:`~smartpick.planner.PlanService`) over the fakes above."""

    def plan(
        self,
        profile: Profile,
        *,
        today: dt.date | None = None,
        exclude_codes: Sequence[str] = (),
        include_codes: Sequence[str] = (),
        advice: bool = True,
        curve: CurveDetail = "full",
    ) -> PlanResult:
        result = plan(
            profile,
            today=today,
            exclude_codes=tuple(exclude_codes),
            include_codes=tuple(include_codes),
            advice=advice,
        )
        return thin_result(result) if curve == "thin" else result

    def search_programs(
        self, query: ProgramQuery, *, profile: Profile | None = None, today: dt.date | None = None
    ) -> list[dict[str, Any]]:
        return search_programs(query, profile=profile)


def make_app(planner: Any = None, store: Any = None) -> Any:
    """The real app over the fake planner and an in-memory user store (or the ones given)."""
    from smartpick.store import SQLiteStore
    from smartpick.web import create_app

    return create_app(planner or FakePlanner(), store or SQLiteStore(":memory:"))
