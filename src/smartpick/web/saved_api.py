"""Saved plans over JSON: ``POST /api/plans``, ``GET /api/plans/{id}``, ``DELETE /api/plans/{id}``.

The same store and payload as the pages' Save button (:func:`saved_payload`), so a plan saved
here opens at its ``link`` and one saved on a page opens here. A plan is kept only when asked;
its id is the unguessable link, and the delete token is shown once (only its hash is kept).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from smartpick.contract import PlanResult
from smartpick.profile import Profile

from .api import ErrorOut, require_json
from .planning import MAX_CODES, check_codes, in_plan_thread, planner_of, run_plan, store_of
from .settings import public_link

__all__ = ["router", "saved_payload"]

router = APIRouter(prefix="/api", tags=["saved plans"])

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{4,16}$")]
PlanId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{16,64}$", description="The plan's id")]


class SavePlanIn(BaseModel):
    """A profile and the adjustments to its list, to plan and keep."""

    model_config = ConfigDict(extra="forbid")

    profile: Profile
    exclude: list[Code] = Field(
        default_factory=list, max_length=MAX_CODES, description="Program codes to remove"
    )
    include: list[Code] = Field(
        default_factory=list, max_length=MAX_CODES, description="Program codes to force in"
    )


class SavedPlanOut(BaseModel):
    """A saved plan, exactly as it was saved."""

    id: str
    link: str = Field(description="The page of the saved plan (keep it: it is the only key)")
    created: str = Field(description="When it was saved (UTC, ISO 8601)")
    profile: dict[str, Any]
    exclude: list[str]
    include: list[str]
    plan: PlanResult


class SavePlanOut(SavedPlanOut):
    """A new saved plan and its delete token (shown once, never again)."""

    delete_token: str


def saved_payload(
    profile: dict[str, Any], exclude: tuple[str, ...], include: tuple[str, ...], plan: PlanResult
) -> dict[str, Any]:
    """What the store keeps for a saved plan (pages and API alike)."""
    return {
        "profile": profile,
        "exclude": list(exclude),
        "include": list(include),
        "result": plan.model_dump(mode="json"),
    }


def _out(request: Request, plan_id: str, created: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": plan_id,
        "link": public_link(request, "saved_page", plan_id=plan_id),
        "created": created,
        "profile": payload["profile"],
        "exclude": payload["exclude"],
        "include": payload["include"],
        "plan": payload["result"],
    }


def _not_found() -> HTTPException:
    return HTTPException(404, "No such saved plan: it may have been deleted, or the id is wrong")


_SAVE_ERRORS: dict[int | str, dict[str, Any]] = {
    201: {"model": SavePlanOut, "description": "Saved: the plan, its link and delete token"},
    415: {"model": ErrorOut, "description": "Body is not application/json"},
    422: {"model": ErrorOut, "description": "Invalid field (the field is named)"},
    503: {"model": ErrorOut, "description": "The user store is not available"},
}


@router.post(
    "/plans",
    status_code=201,
    dependencies=[Depends(require_json)],
    responses=_SAVE_ERRORS,
    summary="Plan for a profile and save the plan",
    response_class=JSONResponse,
)
async def api_save_plan(
    request: Request,
    body: SavePlanIn,
    advice: Annotated[
        bool, Query(description="Include the strategy plan (its what-ifs re-run the planner)")
    ] = True,
) -> JSONResponse:
    """Plan (as `POST /api/plan`), keep the plan, and answer its id, link and delete token.

    The save is durable when the answer arrives.
    """
    excl = check_codes("exclude", body.exclude)
    incl = tuple(c for c in check_codes("include", body.include) if c not in excl)
    planner, store = planner_of(request), store_of(request)

    def plan_and_save() -> tuple[dict[str, Any], str, str, str]:
        result = run_plan(planner, body.profile, excl, incl, advice=advice)
        profile = body.profile.model_dump(mode="json", exclude_unset=True)
        payload = saved_payload(profile, excl, incl, result)
        plan_id, token = store.save_plan(payload)
        saved = store.get_plan(plan_id)
        return payload, plan_id, token, saved.created if saved is not None else ""

    # the plan thread, as every plan (the event loop stays free; the store's I/O with it)
    payload, plan_id, token, created = await in_plan_thread(plan_and_save)
    return JSONResponse(
        {**_out(request, plan_id, created, payload), "delete_token": token}, status_code=201
    )


@router.get(
    "/plans/{plan_id}",
    response_model=SavedPlanOut,
    responses={404: {"model": ErrorOut, "description": "No such saved plan"}},
    summary="A saved plan",
    response_class=JSONResponse,
)
def api_get_plan(request: Request, plan_id: PlanId) -> JSONResponse:
    """The saved plan with this id, as it was saved."""
    saved = store_of(request).get_plan(plan_id)
    if saved is None:
        raise _not_found()
    return JSONResponse(_out(request, saved.id, saved.created, saved.payload))


@router.delete(
    "/plans/{plan_id}",
    status_code=204,
    responses={
        403: {"model": ErrorOut, "description": "The token does not match this plan"},
        404: {"model": ErrorOut, "description": "No such saved plan"},
    },
    summary="Delete a saved plan",
)
def api_delete_plan(
    request: Request,
    plan_id: PlanId,
    x_plan_token: Annotated[
        str,
        Header(
            alias="X-Plan-Token",
            min_length=1,
            max_length=200,
            description="The delete token given when the plan was saved",
        ),
    ],
) -> Response:
    """Delete a saved plan with its delete token (204 when deleted)."""
    outcome = store_of(request).delete_plan(plan_id, x_plan_token)
    if outcome == "missing":
        raise _not_found()
    if outcome == "forbidden":
        raise HTTPException(403, "X-Plan-Token: the token does not match this saved plan")
    return Response(status_code=204)
