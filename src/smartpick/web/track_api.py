"""The application tracker over JSON: a saved plan's events and its updated odds.

``GET /api/plans/{id}/status``, ``POST /api/plans/{id}/events`` (one event or a list),
``GET /api/plans/{id}/events`` (JSON or CSV export) and ``DELETE /api/plans/{id}/events/{eid}``
(to correct a mistake). Every call needs the plan's token in ``X-Plan-Token`` (the delete token
shown once at saving); a wrong token gets 403 and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from smartpick.config import plan_date
from smartpick.pipeline import PlanCore
from smartpick.track.events import MAX_EVENTS, MAX_NOTE
from smartpick.track.models import EventOut, TrackStatus
from smartpick.track.status import event_out
from smartpick.tracking import Denied, add_events, events_csv, plan_status

from .api import ErrorOut, require_json
from .planning import in_plan_thread, planner_of, store_of

__all__ = ["core_of", "router"]

router = APIRouter(prefix="/api", tags=["application tracker"])

PlanId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{16,64}$", description="The plan's id")]
Token = Annotated[
    str,
    Header(
        alias="X-Plan-Token",
        min_length=1,
        max_length=200,
        description="The plan's token (the delete token given when the plan was saved)",
    ),
]


class EventIn(BaseModel):
    """Something that happened at a program of the plan."""

    model_config = ConfigDict(extra="forbid")

    program_code: str = Field(
        pattern=r"^[A-Za-z0-9]{4,16}$", description="On the plan's list, or a candidate of it"
    )
    status: Literal["applied", "invited", "interviewed", "rejected", "withdrawn", "ranked"]
    date: dt.date = Field(description="When (ISO date, within the plan's season, not future)")
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class EventsIn(BaseModel):
    """Several events at once (all kept or none)."""

    model_config = ConfigDict(extra="forbid")

    events: list[EventIn] = Field(min_length=1, max_length=MAX_EVENTS)


class EventsOut(BaseModel):
    """The events just recorded."""

    events: list[EventOut]


_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorOut, "description": "X-Plan-Token does not match this plan"},
    404: {"model": ErrorOut, "description": "No such saved plan (or event)"},
    422: {"model": ErrorOut, "description": "Invalid field (the field is named)"},
    503: {"model": ErrorOut, "description": "The user store or the catalog is not available"},
}


def core_of(request: Request) -> PlanCore:
    """The pipeline core over the app's planner, dated today (``$SMARTPICK_TODAY`` if set)."""
    planner = planner_of(request)
    if not callable(planner):
        raise HTTPException(503, "The tracker needs the app's catalog-backed planner")
    return PlanCore(planner, plan_date())


def _refuse(outcome: Denied) -> HTTPException:
    if outcome == "forbidden":
        return HTTPException(403, "X-Plan-Token: the token does not match this saved plan")
    return HTTPException(404, "No such saved plan: it may have been deleted, or the id is wrong")


@router.get(
    "/plans/{plan_id}/status",
    response_model=TrackStatus,
    responses=_ERRORS,
    summary="The season so far: updated odds, interviews and warnings",
)
async def api_status(request: Request, plan_id: PlanId, x_plan_token: Token) -> Any:
    """P(match) after the invitations and rejections recorded, with its range; received and
    expected interviews; every program's updated chance; warnings; the timing rule used."""
    store, core = store_of(request), core_of(request)
    # the updated odds re-run the plan's core: in the plan thread, as every plan
    out = await in_plan_thread(lambda: plan_status(store, core, plan_id, x_plan_token))
    if isinstance(out, str):
        raise _refuse(out)
    return out


@router.post(
    "/plans/{plan_id}/events",
    status_code=201,
    response_model=EventsOut,
    dependencies=[Depends(require_json)],
    responses={**_ERRORS, 415: {"model": ErrorOut, "description": "Body is not JSON"}},
    summary="Record what happened at programs (one event, a list, or {events: [...]})",
)
async def api_add_events(
    request: Request,
    plan_id: PlanId,
    x_plan_token: Token,
    body: EventIn | list[EventIn] | EventsIn,
) -> Any:
    """Append events (a status change is a new event; the latest per program counts)."""
    if isinstance(body, EventsIn):
        items = body.events
    elif isinstance(body, list):
        items = body
    else:
        items = [body]
    raws = [{**e.model_dump(exclude_none=True), "date": e.date.isoformat()} for e in items]
    store, core = store_of(request), core_of(request)
    out = await in_plan_thread(lambda: add_events(store, core, plan_id, x_plan_token, raws))
    if isinstance(out, str):
        raise _refuse(out)
    return JSONResponse({"events": [event_out(e).model_dump() for e in out]}, status_code=201)


@router.get(
    "/plans/{plan_id}/events",
    response_model=list[EventOut],
    responses={
        **_ERRORS,
        200: {"content": {"text/csv": {}}, "description": "The events (JSON, or CSV)"},
    },
    summary="Export a plan's events (JSON or CSV)",
)
def api_events(
    request: Request,
    plan_id: PlanId,
    x_plan_token: Token,
    format: Annotated[Literal["json", "csv"], Query(description="json or csv")] = "json",
) -> Any:
    """Every event of the plan in the order recorded."""
    store = store_of(request)
    check = store.check_token(plan_id, x_plan_token)
    if check != "ok":
        raise _refuse(check)
    events = store.plan_events(plan_id)
    if format == "csv":
        return Response(
            events_csv(events),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="events-{plan_id}.csv"'},
        )
    return [event_out(e) for e in events]


@router.delete(
    "/plans/{plan_id}/events/{event_id}",
    status_code=204,
    responses=_ERRORS,
    summary="Delete one recorded event (to correct a mistake)",
)
def api_delete_event(
    request: Request,
    plan_id: PlanId,
    event_id: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{8,32}$")],
    x_plan_token: Token,
) -> Response:
    """Delete an event by its id (204 when deleted)."""
    outcome = store_of(request).delete_event(plan_id, x_plan_token, event_id)
    if outcome == "deleted":
        return Response(status_code=204)
    if outcome == "forbidden":
        raise _refuse("forbidden")
    raise HTTPException(404, "No such event of this plan")
