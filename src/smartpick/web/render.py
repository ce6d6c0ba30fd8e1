"""Jinja templates (autoescaped), display filters, and page rendering with the CSRF cookie."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from smartpick import __version__
from smartpick.frame import TRACKS

from .security import CSRF_FIELD, VISITOR_COOKIE, csrf_token_for

__all__ = ["TEMPLATES", "render"]

_DIR = Path(__file__).parent / "templates"


def pct(value: float | None, digits: int = 0) -> str:
    """0.734 → '73%'; unknown → 'unknown'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    return f"{value * 100:.{digits}f}%"


def usd(value: float | None) -> str:
    """1234.5 → '$1,235'; unknown → 'unknown'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    return f"${value:,.0f}"


def flag(value: bool | None) -> str:
    """True / False / None → 'yes' / 'no' / 'unknown'."""
    return "unknown" if value is None else ("yes" if value else "no")


def long_date(iso: str) -> str:
    """'2027-03-19' → 'Fri 19 Mar 2027' (left as given when not an ISO date)."""
    try:
        day = dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    return f"{day:%a} {day.day} {day:%b %Y}"


def track_name(letter: str | None) -> str:
    """Track letter → name ('C' → 'categorical')."""
    return TRACKS.get(letter or "", letter or "unknown")


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, usd=usd, flag=flag, track_name=track_name, long_date=long_date)
    env.globals.update(version=__version__, csrf_field=CSRF_FIELD)
    return env


TEMPLATES = Jinja2Templates(env=_env())


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page; sets the visitor cookie (which the CSRF token signs) when it is new."""
    visitor, token, new = csrf_token_for(request)
    response = TEMPLATES.TemplateResponse(
        request, name, {**context, "csrf_token": token}, status_code=status_code
    )
    if new:
        response.set_cookie(
            VISITOR_COOKIE,
            visitor,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
    return response
