"""The JSON API: ``POST /api/plan``, saved plans (``POST /api/plans``, ``GET`` and ``DELETE``
``/api/plans/{id}``), ``GET /api/programs``, ``GET /api/specialties``.

It accepts only ``application/json`` bodies (so a cross-site HTML form cannot post to it) and
answers bad input with a 4xx whose ``field`` names the offending field or parameter.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, TypeAdapter
from starlette.exceptions import HTTPException

from smartpick import geo
from smartpick.contract import PlanResult
from smartpick.frame import SETTINGS, TRACKS
from smartpick.profile import Profile
from smartpick.profile_schema import SPECIALTY_SPELLINGS
from smartpick.query import SortKey
from smartpick.specialties import SPECIALTIES
from smartpick.thin import DENSE, LOG_POINTS, NEAR

from . import catalog
from .catalog_query import MAX_LIMIT, make_query
from .compress import gzip_answer
from .limits import MAX_BODY_BYTES, MAX_DEPTH, MAX_STRING
from .planning import MAX_CODES, check_codes, in_plan_thread, planner_of, run_plan

__all__ = ["BODY_ERRORS", "router"]

router = APIRouter(prefix="/api", tags=["api"])
_CODE_PATTERN = r"^[A-Za-z0-9]{4,16}$"
_TRACKS = [*TRACKS, *TRACKS.values()]
_STATES = sorted(set(geo.STATE_DIVISION) | set(geo.TERRITORIES))
_AREAS = [*geo.REGIONS, *geo.DIVISIONS]
#: The plan's JSON as bytes: ``model_dump_json()``'s text without its str round trip.
_PLAN_JSON = TypeAdapter(PlanResult)


def _items(values: list[str]) -> dict[str, Any]:
    """OpenAPI of a repeated query parameter whose items are one of ``values``."""
    return {"items": {"type": "string", "enum": values}}


class SpecialtyOut(BaseModel):
    """A specialty the planner knows."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    aliases: list[str]
    combined: bool


class ErrorOut(BaseModel):
    """A 4xx answer: the field at fault and the message."""

    field: str | None
    error: str
    detail: list[dict[str, Any]] | str


async def require_json(request: Request) -> None:
    """415 unless the body is declared as JSON (async: header check only, no worker thread)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise HTTPException(415, "Content-Type: must be application/json")


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad input (the field is named)"},
    422: {"model": ErrorOut, "description": "Invalid field (the field is named)"},
}
#: Answers of every operation with a JSON body (limits: :mod:`smartpick.web.limits`).
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    413: {"model": ErrorOut, "description": f"Body over {MAX_BODY_BYTES // 1024} KiB"},
    415: {"model": ErrorOut, "description": "Body is not application/json"},
    422: {
        "model": ErrorOut,
        "description": f"Invalid field (the field is named), or JSON nested over {MAX_DEPTH} "
        f"levels, a string over {MAX_STRING} characters, a lone surrogate, NaN or Infinity",
    },
}


@router.post(
    "/plan",
    response_model=PlanResult,
    dependencies=[Depends(require_json)],
    responses=BODY_ERRORS,
    summary="Plan for a profile",
)
async def api_plan(
    request: Request,
    profile: Profile,
    exclude: Annotated[
        list[Annotated[str, Query(pattern=_CODE_PATTERN)]],
        Query(max_length=MAX_CODES, description="Program codes to remove from the list"),
    ] = [],  # noqa: B006 - FastAPI copies defaults
    include: Annotated[
        list[Annotated[str, Query(pattern=_CODE_PATTERN)]],
        Query(max_length=MAX_CODES, description="Program codes to force into the list"),
    ] = [],  # noqa: B006
    advice: Annotated[
        bool,
        Query(description="Include the strategy plan (its what-ifs re-run the planner: slower)"),
    ] = True,
    curve: Annotated[
        Literal["thin", "full"],
        Query(
            description=(
                "`thin` (default): the curve keeps every list size up to "
                f"max({DENSE}, the largest recommended count + {NEAR}), {LOG_POINTS} log-spaced "
                "sizes beyond it, and always the recommended counts, the first and the last "
                "point (the points themselves unchanged); `full`: every point, as "
                "`smartpick plan --json` gives"
            )
        ),
    ] = "thin",
) -> Response:
    """The profile in, the planner's JSON contract out (the same as `smartpick plan --json`,
    with the curve thinned unless `curve=full`)."""
    excl = check_codes("exclude", exclude)
    incl = tuple(c for c in check_codes("include", include) if c not in excl)
    planner = planner_of(request)
    accept = request.headers.get("accept-encoding", "")

    def answer() -> tuple[bytes, dict[str, str]]:
        result = run_plan(planner, profile, excl, incl, advice=advice, curve=curve)
        # already a validated PlanResult: its JSON as is (no second validation pass), gzipped
        # here in the plan's thread rather than by the middleware
        return gzip_answer(_PLAN_JSON.dump_json(result), accept)

    body, headers = await in_plan_thread(answer)
    return Response(content=body, media_type="application/json", headers=headers)


@router.get("/programs", responses=_ERRORS, summary="Search the catalog")
def api_programs(
    request: Request,
    specialty: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Name, alias or code",
            json_schema_extra={"enum": SPECIALTY_SPELLINGS},
        ),
    ] = None,
    track: Annotated[
        list[str], Query(description="C P A R M or track names", json_schema_extra=_items(_TRACKS))
    ] = [],  # noqa: B006
    state: Annotated[
        list[str], Query(description="Two-letter state codes", json_schema_extra=_items(_STATES))
    ] = [],  # noqa: B006
    region: Annotated[
        list[str],
        Query(description="Census regions or divisions", json_schema_extra=_items(_AREAS)),
    ] = [],  # noqa: B006
    setting: Annotated[
        list[str],
        Query(
            description="university, affiliated, community, ...",
            json_schema_extra=_items(list(SETTINGS)),
        ),
    ] = [],  # noqa: B006
    min_img_share: Annotated[float | None, Query(ge=0, le=1)] = None,
    visa_j1: bool | None = None,
    visa_h1b: bool | None = None,
    accepting: bool | None = None,
    text: Annotated[str | None, Query(max_length=200)] = None,
    sort: SortKey = "name",
    descending: bool = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Catalog records (keys as in `smartpick programs --json`), filtered like the CLI."""
    query = make_query(
        specialty=specialty,
        track=track,
        state=state,
        region=region,
        setting=setting,
        min_img_share=min_img_share,
        visa_j1=visa_j1,
        visa_h1b=visa_h1b,
        accepting=accepting,
        text=text,
        sort=sort,
        descending=descending,
        limit=limit,
        offset=offset,
    )
    return catalog.search(query, planner_of(request))


@router.get("/specialties", response_model=list[SpecialtyOut], summary="Specialties")
def api_specialties() -> list[SpecialtyOut]:
    """Every specialty the planner knows, with its NRMP code."""
    return [
        SpecialtyOut(code=s.code, name=s.name, aliases=list(s.aliases), combined=s.combined)
        for s in SPECIALTIES
    ]
