"""The tracker page of a saved plan: ``/plans/{id}/track`` and its no-JavaScript form posts.

The page shows the season so far (updated odds, interviews, warnings, the timing rule), a table
of the plan's programs with a form per row, and the history of recorded events with an undo.
Everything but the saved plan's own list needs the plan's token. It is read from an
``X-Plan-Token`` header (``static/track.js`` fetches the page's fragment with the token the user
let the browser remember) or from a session cookie scoped to ``/plans/{id}`` that the token
form sets (``HttpOnly``, ``SameSite=Strict``; gone when the browser closes; "Forget" clears it).
Form posts carry the visitor-bound CSRF token and answer with a redirect back (Post/Redirect/Get);
a wrong token changes nothing and says so (403), never a 5xx. The season as a workbook
(``track/season.xlsx``) and the import of an edited list file (``track/import``, multipart:
every problem listed, nothing recorded while there is one) are here too.
"""

from __future__ import annotations

import re
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, RedirectResponse, Response

from smartpick.errors import InputError
from smartpick.importing import read_list_bytes
from smartpick.store import SavedPlan
from smartpick.track.events import season_window
from smartpick.track.models import TrackStatus
from smartpick.track.records import EVENT_STATUSES
from smartpick.tracking import (
    Denied,
    add_events,
    events_csv,
    import_sheet,
    plan_status,
    season_xlsx,
)

from .planning import in_plan_thread, store_of
from .render import render
from .security import CSRF_FIELD, check_csrf
from .track_api import core_of

__all__ = ["TOKEN_COOKIE", "TOKEN_FIELD", "router"]

router = APIRouter(include_in_schema=False)
TOKEN_COOKIE = "smartpick_plan_token"
TOKEN_FIELD = "plan_token"
FRAGMENT_HEADER = "x-smartpick-fragment"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,200}")
_DONE = {
    "opened": "Tracker opened: your token is kept for this browser session.",
    "recorded": "Recorded. The odds below include it.",
    "undone": "Event deleted. The odds below no longer include it.",
    "forgotten": "This browser no longer keeps your token for this plan.",
}
_WRONG = "plan_token: the token does not match this saved plan; nothing was changed"
_MISSING = "plan_token: required (open the tracker with your token first); nothing was changed"


def _path(plan_id: str) -> str:
    return f"/plans/{plan_id}"


def _saved(request: Request, plan_id: str) -> SavedPlan:
    saved = store_of(request).get_plan(plan_id)
    if saved is None:
        raise HTTPException(
            404, "No such saved plan: it may have been deleted, or the link is incomplete"
        )
    return saved


def _token(request: Request, form: FormData | None = None) -> str | None:
    """The plan token of the request: the form's field, else the header, else the cookie."""
    for value in (
        form.get(TOKEN_FIELD) if form is not None else None,
        request.headers.get("x-plan-token"),
        request.cookies.get(TOKEN_COOKIE),
    ):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _rows(saved: SavedPlan, status: TrackStatus) -> list[dict[str, Any]]:
    """The status's programs with the saved plan's institution and location."""
    listed = {p["program_code"]: p for p in saved.payload["result"]["programs"]}
    rows = []
    for p in status.programs:
        facts = listed.get(p.program_code, {})
        rows.append(
            {
                "p": p,
                "institution": facts.get("institution") or "Institution unknown",
                "city": facts.get("city"),
                "state": facts.get("state"),
            }
        )
    return rows


def _count(request: Request, name: str) -> int:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 6 else 0


def _done(request: Request) -> str | None:
    """The message of a redirect back (``?done=...``)."""
    done = request.query_params.get("done", "")
    if done != "imported":
        return _DONE.get(done)
    n, skipped = _count(request, "recorded"), _count(request, "skipped")
    return (
        f"Imported: recorded {n} event{'' if n == 1 else 's'}; {skipped} already recorded "
        "(skipped). The odds below include them."
    )


def _page(
    request: Request,
    saved: SavedPlan,
    plan_id: str,
    status: TrackStatus | None,
    *,
    message: str | None = None,
    error: str | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    today = core_of(request).today
    ctx: dict[str, Any] = {
        "plan_id": plan_id,
        "saved_created": saved.created[:10],
        "status": status,
        "rows": _rows(saved, status) if status else [],
        "statuses": EVENT_STATUSES,
        "token_field": TOKEN_FIELD,
        "message": message,
        "done": _done(request),
        "error": error,
        "problems": problems or [],
    }
    if status is not None:
        first, last = season_window(status.match_year)
        ctx["date_min"] = first.isoformat()
        ctx["date_max"] = min(last, today).isoformat()
        ctx["date_default"] = min(max(today, first), last).isoformat()
        # before the season opens nothing can be recorded yet: the forms say when it opens
        ctx["season_open"] = first <= today
        ctx["season_opens"] = first.isoformat()
        ctx["institutions"] = {r["p"].program_code: r["institution"] for r in ctx["rows"]}
    name = "_track.html" if request.headers.get(FRAGMENT_HEADER) == "1" else "track.html"
    return render(request, name, ctx, status_code=status_code)


def _denied(
    request: Request, saved: SavedPlan, plan_id: str, why: Denied, message: str = ""
) -> Response:
    """403 with the token form (and the cookie cleared), or 404 when the plan has gone."""
    if why == "missing":
        raise HTTPException(404, "No such saved plan: it may have been deleted")
    response = _page(request, saved, plan_id, None, message=message or _WRONG, status_code=403)
    response.delete_cookie(TOKEN_COOKIE, path=_path(plan_id))
    return response


def _back(request: Request, plan_id: str, done: str, token: str | None = None) -> Response:
    """303 to the tracker page; keeps the token in the session cookie when one is given."""
    response = RedirectResponse(f"{_path(plan_id)}/track?done={done}", status_code=303)
    if token is None:
        return response
    response.set_cookie(
        TOKEN_COOKIE,
        token,
        path=_path(plan_id),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


async def _form(request: Request, max_files: int = 0) -> FormData:
    form = await request.form(max_files=max_files, max_fields=20)
    try:
        check_csrf(request, form.get(CSRF_FIELD))
    except Exception:
        await form.close()
        raise
    return form


def _status_or_page(
    request: Request, saved: SavedPlan, plan_id: str, token: str | None
) -> TrackStatus | Response | None:
    if token is None or not _TOKEN.fullmatch(token):
        return None if token is None else _denied(request, saved, plan_id, "forbidden")
    out = plan_status(store_of(request), core_of(request), plan_id, token)
    return _denied(request, saved, plan_id, out) if isinstance(out, str) else out


@router.get("/plans/{plan_id}/track", response_class=HTMLResponse, name="track_page")
async def track_page(request: Request, plan_id: str) -> Response:
    """The tracker: asks for the plan's token unless the request carries it."""
    # the updated odds re-run the plan's core, and the page is built from them: the plan thread
    return await in_plan_thread(lambda: _track_page(request, plan_id))


def _track_page(request: Request, plan_id: str) -> Response:
    saved = _saved(request, plan_id)
    out = _status_or_page(request, saved, plan_id, _token(request))
    if isinstance(out, Response):
        return out
    return _page(request, saved, plan_id, out)


async def _posted(
    request: Request, plan_id: str, max_files: int = 0
) -> tuple[SavedPlan, FormData, str] | Response:
    """The saved plan, the checked form and its well-formed token; else the refusal page."""
    saved = _saved(request, plan_id)
    form = await _form(request, max_files)
    token = _token(request, form)
    if token is None or not _TOKEN.fullmatch(token):
        await form.close()
        return _denied(request, saved, plan_id, "forbidden", "" if token else _MISSING)
    return saved, form, token


def _download(
    request: Request, plan_id: str, body: Any, media_type: str, filename: str
) -> Response:
    """A download of the plan's season (the token from the header or the session cookie)."""
    saved = _saved(request, plan_id)
    token = _token(request)
    check = store_of(request).check_token(plan_id, token) if token else "forbidden"
    if check != "ok":
        return _denied(request, saved, plan_id, check, "" if token else _MISSING)
    events = store_of(request).plan_events(plan_id)
    return Response(
        body(saved, events),
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/plans/{plan_id}/track/events.csv")
def events_download(request: Request, plan_id: str) -> Response:
    """The plan's events as CSV."""
    return _download(
        request,
        plan_id,
        lambda _, events: events_csv(events),
        "text/csv; charset=utf-8",
        f"events-{plan_id}.csv",
    )


@router.get("/plans/{plan_id}/track/season.xlsx")
async def season_download(request: Request, plan_id: str) -> Response:
    """The saved plan's workbook with its Tracking sheet filled from the events (built in the
    plan thread: a workbook of every program)."""
    return await in_plan_thread(
        lambda: _download(
            request,
            plan_id,
            lambda saved, events: season_xlsx(saved.payload, events),
            XLSX,
            f"season-{plan_id}.xlsx",
        )
    )


@router.post("/plans/{plan_id}/track/import")
async def import_file(request: Request, plan_id: str) -> Response:
    """Record the statuses and dates of an uploaded list file (303 back; all or none)."""
    posted = await _posted(request, plan_id, max_files=1)
    if isinstance(posted, Response):
        return posted
    saved, form, token = posted  # the form's token (from the browser's storage), else the cookie's
    try:
        upload = form.get("list_file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("choose your CSV or XLSX export", field="list_file")
        imported = read_list_bytes(await upload.read(), upload.filename[:120])
    finally:
        await form.close()
    store, core = store_of(request), core_of(request)

    def record() -> Response:  # the store's writes and the updated odds, off the event loop
        done = import_sheet(store, core, plan_id, token, imported)
        if isinstance(done, str):
            return _denied(request, saved, plan_id, done)
        if done.problems:
            status = plan_status(store, core, plan_id, token)
            assert not isinstance(status, str)  # the token was just accepted
            n = len(done.problems)
            error = (
                f"{n} problem{'s' if n > 1 else ''} in {imported.path}: nothing was recorded. "
                "Fix them all, then upload the file again."
            )
            problems = [str(p) for p in done.problems]
            return _page(
                request, saved, plan_id, status, error=error, problems=problems, status_code=422
            )
        done_query = f"imported&recorded={len(done.recorded)}&skipped={done.skipped}"
        return _back(request, plan_id, done_query)

    return await in_plan_thread(record)


@router.post("/plans/{plan_id}/track/open")
async def open_tracker(request: Request, plan_id: str) -> Response:
    """Check the token typed in and keep it for the browser session (303 back)."""
    posted = await _posted(request, plan_id)
    if isinstance(posted, Response):
        return posted
    saved, _, token = posted
    store = store_of(request)
    if await anyio.to_thread.run_sync(store.check_token, plan_id, token) != "ok":
        return _denied(request, saved, plan_id, "forbidden")
    return _back(request, plan_id, "opened", token)


@router.post("/plans/{plan_id}/track/events")
async def record_event(request: Request, plan_id: str) -> Response:
    """Record one program's event from its table row (303 back; 403 on a wrong token)."""
    posted = await _posted(request, plan_id)
    if isinstance(posted, Response):
        return posted
    saved, form, token = posted
    raw = {k: str(form.get(k) or "").strip() for k in ("program_code", "status", "date", "note")}
    if not raw["note"]:
        del raw["note"]
    store, core = store_of(request), core_of(request)
    keep = token if form.get(TOKEN_FIELD) else None

    def record() -> Response:  # the store's write and the updated odds, off the event loop
        try:
            out = add_events(store, core, plan_id, token, [raw])
        except InputError as exc:
            status = plan_status(store, core, plan_id, token)
            assert not isinstance(status, str)  # the token was just accepted
            error = str(exc).replace("events[0].", "")
            return _page(request, saved, plan_id, status, error=error, status_code=400)
        if isinstance(out, str):
            return _denied(request, saved, plan_id, out)
        return _back(request, plan_id, "recorded", keep)

    return await in_plan_thread(record)


@router.post("/plans/{plan_id}/track/events/{event_id}/delete")
async def undo_event(request: Request, plan_id: str, event_id: str) -> Response:
    """Delete one recorded event (303 back)."""
    posted = await _posted(request, plan_id)
    if isinstance(posted, Response):
        return posted
    saved, _, token = posted
    store = store_of(request)
    outcome = await anyio.to_thread.run_sync(store.delete_event, plan_id, token, event_id)
    if outcome == "forbidden":
        return _denied(request, saved, plan_id, "forbidden")
    if outcome == "missing":
        raise HTTPException(404, "No such event of this plan (it may be deleted already)")
    return _back(request, plan_id, "undone")


@router.post("/plans/{plan_id}/track/forget")
async def forget_token(request: Request, plan_id: str) -> Response:
    """Clear the session cookie that keeps the token (303 back)."""
    _saved(request, plan_id)
    await _form(request)
    response = _back(request, plan_id, "forgotten")
    response.delete_cookie(TOKEN_COOKIE, path=_path(plan_id))
    return response
