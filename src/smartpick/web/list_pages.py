"""The list as a file: XLSX and PDF downloads of the current plan, and the upload of an edited
CSV / XLSX export that re-plans with it (every problem of the file shown, nothing applied)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, Response

from smartpick.errors import InputError
from smartpick.importing import read_list_bytes
from smartpick.importing.replan import replan

from .pages import _download, after_plan, results_context
from .planning import PlanRequest, in_plan_thread, plan_request_from_form, planner_of
from .render import render
from .security import CSRF_FIELD, check_csrf

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/export.xlsx")
async def export_xlsx(request: Request) -> Response:
    """The current list as an XLSX workbook with a tracking sheet."""
    from smartpick.render.xlsx import plan_xlsx

    body = await after_plan(request, lambda result, _, __: plan_xlsx(result))
    return _download(body, XLSX, "smartpick-plan.xlsx")


@router.post("/export.pdf")
async def export_pdf(request: Request) -> Response:
    """The current plan as a printable PDF report (every program)."""
    from smartpick.render.pdf import plan_pdf

    body = await after_plan(request, lambda result, _, __: plan_pdf(result))
    return _download(body, "application/pdf", "smartpick-plan.pdf")


@router.post("/import-list", response_class=HTMLResponse)
async def import_list(request: Request) -> HTMLResponse:
    """Re-plan with an edited export: its rows stay or are added, deleted / removed rows go."""
    async with request.form(max_files=1, max_fields=2000) as form:
        check_csrf(request, form.get(CSRF_FIELD))
        upload = form.get("list_file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("choose your edited CSV or XLSX export", field="list_file")
        req = plan_request_from_form(form)
        profile = req.profile()
        imported = read_list_bytes(await upload.read(), upload.filename[:120])
    if imported.problems:
        return render(
            request,
            "error.html",
            {
                "status": 422,
                "title": "Your list file has problems",
                "message": f"{len(imported.problems)} problems in {imported.path}: nothing was "
                "applied. Fix them all, then upload the file again.",
                "field": "list_file",
                "problems": [str(p) for p in imported.problems],
            },
            status_code=422,
        )
    planner = planner_of(request)

    def page() -> HTMLResponse:  # in the plan thread: the re-plan and its page
        done = replan(planner, profile, imported)
        include = tuple(c for c in imported.include_codes if c not in done.removed)
        new_req = PlanRequest(req.data, done.removed, include, from_form=False)
        ctx = results_context(done.result, profile, new_req)
        ctx["imported"] = f"From {imported.path}: {done.summary()}."
        return render(request, "results.html", ctx)

    return await in_plan_thread(page)
