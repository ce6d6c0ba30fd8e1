"""HTML pages: profile form, results (with adjust, save and export), programs, saved plans."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response

from smartpick import geo
from smartpick.contract import CurvePoint, PlanResult, ProgramOut
from smartpick.errors import InputError, ProfileError
from smartpick.frame import SETTINGS, TRACKS
from smartpick.profile import Profile, parse_profile
from smartpick.query import SORT_KEYS
from smartpick.render.export import plan_csv, plan_json
from smartpick.specialties import SPECIALTIES

from . import catalog
from .catalog_query import query_from_params
from .chart import chart_data
from .forms import FIELDS, LABELS, profile_from_json, profile_to_values
from .planning import (
    PlanRequest,
    in_plan_thread,
    plan_request_from_form,
    planner_of,
    run_plan,
    store_of,
)
from .render import render
from .results_table import program_table
from .results_view import fee_source, primary_count
from .saved_api import saved_payload
from .security import CSRF_FIELD, check_csrf
from .settings import public_link

__all__ = ["after_plan", "planned", "router"]

R = TypeVar("R")

router = APIRouter(include_in_schema=False)
FRAGMENT_HEADER = "x-smartpick-fragment"


async def _form(request: Request) -> FormData:
    form = await request.form(max_files=0, max_fields=2000)
    check_csrf(request, form.get(CSRF_FIELD))
    return form


def _form_page(
    request: Request, values: dict[str, Any], error: ProfileError | None = None
) -> HTMLResponse:
    return render(
        request,
        "form.html",
        {
            "fields": FIELDS,
            "values": values,
            "error": error,
            "error_field": (error.field or "").split(".")[0] if error else None,
            "error_label": LABELS.get((error.field or "").split(".")[0], "") if error else "",
        },
        status_code=422 if error else 200,
    )


def _raw_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for w in FIELDS:
        if w.kind == "multi":
            values[w.name] = [str(v) for v in form.getlist(w.name)]
        elif w.kind == "checkbox":
            values[w.name] = w.name in form
        else:
            values[w.name] = str(form.get(w.name) or "")
    return values


def curve_rows(result: PlanResult, most: int = 60) -> list[CurvePoint]:
    """At most ``most`` evenly spaced curve points for the table, always with the recommended."""
    curve = result.curve
    if len(curve) <= most:
        return list(curve)
    step = -(-len(curve) // most)
    keep = {i for i in range(0, len(curve), step)} | {len(curve) - 1}
    keep |= {i for i, p in enumerate(curve) if p.applications == primary_count(result)}
    return [curve[i] for i in sorted(keep)]


def shown_programs(result: PlanResult, codes: tuple[str, ...]) -> list[ProgramOut]:
    """The listed programs chosen for the side-by-side view, in the order chosen."""
    by_code = {p.program_code: p for p in result.programs}
    return [by_code[c] for c in codes if c in by_code]


def results_context(
    result: PlanResult,
    profile: Profile,
    req: PlanRequest,
    saved: dict[str, Any] | None = None,
    *,
    posted: bool = False,
) -> dict[str, Any]:
    """Everything the results templates need (``posted``: the page answers a form post, which
    the browser script then keeps in this tab's storage so that Back and reload restore it)."""
    return {
        "result": result,
        "profile": profile,
        "profile_json": req.profile_json,
        "exclude": req.exclude,
        "include": req.include,
        "table": program_table(result, req.include, profile.applicant_type),
        "shown": shown_programs(result, req.show),
        "missing_shown": [
            c for c in req.show if c not in {p.program_code for p in result.programs}
        ],
        "primary_count": primary_count(result),
        "fee_source": fee_source(result),
        "curve_rows": curve_rows(result),
        "chart": chart_data(
            result,
            curve_rows(result),
            primary_count(result),
            target=profile.target_match_probability,
            budget=profile.budget_usd,
        ),
        "saved": saved,
        "posted": posted,
    }


@router.get("/", response_class=HTMLResponse)
def form_page(request: Request) -> HTMLResponse:
    """The profile form with sensible defaults."""
    return _form_page(request, profile_to_values(None))


@router.post("/edit", response_class=HTMLResponse)
async def edit_page(request: Request) -> HTMLResponse:
    """The profile form filled with the profile of a results page."""
    form = await _form(request)
    data = profile_from_json(str(form.get("profile_json") or "{}"))
    return _form_page(request, profile_to_values(data))


@router.post("/plan", response_class=HTMLResponse)
async def plan_page(request: Request) -> HTMLResponse:
    """Results for a posted profile (or an adjusted list); the form again on bad input."""
    form = await _form(request)
    try:
        req = plan_request_from_form(form)
        profile = req.profile()
    except ProfileError as exc:
        values = _raw_values(form)
        if "profile_json" in form:
            try:
                data = profile_from_json(str(form.get("profile_json")))
                values = profile_to_values(
                    {
                        **data,
                        **{
                            k: form.get(k)
                            for k in ("target_match_probability", "budget_usd")
                            if k in form
                        },
                    }
                )
            except ProfileError:
                values = profile_to_values(None)
        return _form_page(request, values, exc)
    template = "_results.html" if request.headers.get(FRAGMENT_HEADER) == "1" else "results.html"
    return await planned(
        request,
        req,
        profile,
        lambda result, profile, req: render(
            request, template, results_context(result, profile, req, posted=True)
        ),
    )


@router.get("/results", response_class=HTMLResponse)
def results_restore(request: Request) -> HTMLResponse:
    """Where Back and reload land after a plan: the page restores the results this browser tab
    kept (``sessionStorage``); the server holds no profile, so without one it offers the form."""
    return render(request, "restore.html", {})


@router.post("/plan/cards", response_class=HTMLResponse)
async def plan_cards(request: Request) -> HTMLResponse:
    """The detail cards of 1-4 listed programs (``show``), side by side, as a page fragment."""
    return await after_plan(
        request,
        lambda result, profile, req: render(
            request, "_cards.html", results_context(result, profile, req)
        ),
    )


async def after_plan(request: Request, build: Callable[[PlanResult, Profile, PlanRequest], R]) -> R:
    """The posted form's plan and what ``build`` makes of it (:func:`planned`)."""
    form = await _form(request)
    req = plan_request_from_form(form)
    return await planned(request, req, req.profile(), build)


async def planned(
    request: Request,
    req: PlanRequest,
    profile: Profile,
    build: Callable[[PlanResult, Profile, PlanRequest], R],
) -> R:
    """The plan of ``req`` and what ``build`` makes of it (a page, a file, a save), both in the
    plan thread (:func:`.planning.in_plan_thread`): the event loop only reads the form and
    sends the answer."""
    planner = planner_of(request)

    def work() -> R:
        return build(run_plan(planner, profile, req.exclude, req.include), profile, req)

    return await in_plan_thread(work)


def _download(body: str | bytes, media: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/export.csv")
async def export_csv(request: Request) -> Response:
    """The current list as CSV (one row per program, with facts and sources)."""
    body = await after_plan(request, lambda result, _, __: plan_csv(result))
    return _download(body, "text/csv; charset=utf-8", "smartpick-plan.csv")


@router.post("/export.json")
async def export_json(request: Request) -> Response:
    """The current plan as JSON (the API's contract)."""
    body = await after_plan(request, lambda result, _, __: plan_json(result))
    return _download(body, "application/json", "smartpick-plan.json")


@router.post("/save", response_class=HTMLResponse)
async def save_plan(request: Request) -> HTMLResponse:
    """Store the profile and its plan (only on request) and show the link and delete token."""
    store = store_of(request)

    def save(result: PlanResult, profile: Profile, req: PlanRequest) -> HTMLResponse:
        payload = saved_payload(req.data, req.exclude, req.include, result)
        plan_id, token = store.save_plan(payload)
        link = public_link(request, "saved_page", plan_id=plan_id)
        saved = {"id": plan_id, "link": link, "token": token}
        ctx = results_context(result, profile, req, saved)
        return render(request, "results.html", ctx, status_code=201)

    return await after_plan(request, save)


def _load_saved(request: Request, plan_id: str) -> tuple[PlanResult, Profile, PlanRequest]:
    saved = store_of(request).get_plan(plan_id)
    if saved is None:
        raise _not_found("saved plan")
    p = saved.payload
    req = PlanRequest(dict(p["profile"]), tuple(p["exclude"]), tuple(p["include"]), False)
    return PlanResult.model_validate(p["result"]), parse_profile(req.data), req


def _not_found(what: str) -> Exception:
    return HTTPException(
        404, f"No such {what}: it may have been deleted, or the link is incomplete"
    )


# A saved plan is read back, validated and built into its page or file in the plan thread, as
# a new plan's page is (the page of every program takes about as long as the plan).


@router.get("/saved/{plan_id}", response_class=HTMLResponse, name="saved_page")
async def saved_page(request: Request, plan_id: str) -> HTMLResponse:
    """A saved plan, exactly as it was saved."""

    def page() -> HTMLResponse:
        result, profile, req = _load_saved(request, plan_id)
        link = public_link(request, "saved_page", plan_id=plan_id)
        ctx = results_context(result, profile, req, {"id": plan_id, "link": link})
        return render(request, "results.html", ctx)

    return await in_plan_thread(page)


@router.get("/saved/{plan_id}/plan.csv")
async def saved_csv(request: Request, plan_id: str) -> Response:
    """A saved plan as CSV."""

    def file() -> Response:
        result, _, _ = _load_saved(request, plan_id)
        return _download(plan_csv(result), "text/csv; charset=utf-8", "smartpick-plan.csv")

    return await in_plan_thread(file)


@router.get("/saved/{plan_id}/plan.json")
async def saved_json(request: Request, plan_id: str) -> Response:
    """A saved plan as JSON."""

    def file() -> Response:
        result, _, _ = _load_saved(request, plan_id)
        return _download(plan_json(result), "application/json", "smartpick-plan.json")

    return await in_plan_thread(file)


@router.post("/saved/{plan_id}/delete", response_class=HTMLResponse)
async def delete_saved(request: Request, plan_id: str) -> HTMLResponse:
    """Delete a saved plan with its delete token."""
    form = await _form(request)
    token = str(form.get("delete_token") or "").strip()
    if not token:
        raise InputError("required to delete a saved plan", field="delete_token")
    outcome = store_of(request).delete_plan(plan_id, token)
    if outcome == "missing":
        raise _not_found("saved plan")
    if outcome == "forbidden":
        return render(
            request,
            "error.html",
            {
                "status": 403,
                "title": "Not deleted",
                "message": "delete_token: the token does not match this saved plan",
                "field": "delete_token",
            },
            status_code=403,
        )
    return render(request, "deleted.html", {})


@router.get("/programs", response_class=HTMLResponse)
def programs_page(request: Request) -> HTMLResponse:
    """Catalog search with the CLI's filters."""
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    query = query_from_params(params)
    searched = bool(params)
    rows = catalog.search(query, planner_of(request)) if searched else []
    return render(
        request,
        "programs.html",
        {
            "rows": rows,
            "searched": searched,
            "params": params,
            "query": query,
            "specialties": SPECIALTIES,
            "tracks": TRACKS,
            "areas": [*geo.REGIONS, *geo.DIVISIONS],
            "settings": SETTINGS,
            "sort_keys": SORT_KEYS,
        },
    )


@router.get("/programs/{code}", response_class=HTMLResponse)
def program_page(request: Request, code: str) -> HTMLResponse:
    """One program's facts with their sources."""
    record = catalog.find_program(code, planner_of(request))
    if record is None:
        raise _not_found("program")
    return render(request, "program.html", {"p": record})
