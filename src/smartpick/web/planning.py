"""Turn a posted form into a plan request and run it through the app's planner.

The results page carries the profile back to the server in a hidden ``profile_json`` field
(nothing is kept on the server unless the user saves the plan), together with the programs the
user removed or added.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio.lowlevel
import anyio.to_thread
from starlette.datastructures import FormData
from starlette.requests import Request

from smartpick.contract import PlanResult
from smartpick.errors import InputError
from smartpick.planner import PlanService
from smartpick.profile import Profile, parse_profile
from smartpick.store import UserStore
from smartpick.thin import CurveDetail

from .forms import form_to_profile_data, profile_from_json

__all__ = [
    "MAX_CODES",
    "MAX_SHOWN",
    "PLAN_THREADS",
    "PlanRequest",
    "check_codes",
    "in_plan_thread",
    "plan_request_from_form",
    "planner_of",
    "run_plan",
    "store_of",
]

T = TypeVar("T")

MAX_CODES = 300
#: Programs shown side by side at most (compare / details).
MAX_SHOWN = 4
_CODE = re.compile(r"^[A-Za-z0-9]{4,16}$")


def check_codes(field_name: str, codes: Iterable[str]) -> tuple[str, ...]:
    """Program codes, upper-cased and de-duplicated; InputError naming the field if malformed."""
    out: list[str] = []
    for raw in codes:
        for code in str(raw).replace(",", " ").split():
            if not _CODE.match(code):
                raise InputError(
                    f"'{code[:40]}' is not a program code",
                    field=field_name,
                    allowed="NRMP program codes such as 1903140C0",
                )
            out.append(code.upper())
    unique = tuple(dict.fromkeys(out))
    if len(unique) > MAX_CODES:
        raise InputError(f"{len(unique)} codes", field=field_name, allowed=f"at most {MAX_CODES}")
    return unique


@dataclass(frozen=True)
class PlanRequest:
    """A profile (as submitted) and the user's adjustments to the list."""

    data: dict[str, Any]
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    from_form: bool = True
    show: tuple[str, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)

    def profile(self) -> Profile:
        """The validated profile (ProfileError names the field)."""
        return parse_profile(self.data)

    @property
    def profile_json(self) -> str:
        """The profile for the hidden field of the results page."""
        return json.dumps(self.data, separators=(",", ":"), sort_keys=True)


def _overrides(form: FormData, data: dict[str, Any]) -> dict[str, Any]:
    """Target and budget typed on the results page replace the profile's."""
    out = dict(data)
    for name in ("target_match_probability", "budget_usd"):
        if name in form:
            raw = str(form.get(name) or "").strip()
            sub = form_to_profile_data({name: raw}, {})
            if name in sub:
                out[name] = sub[name]
            else:
                out.pop(name, None)
    return out


def _codes(form: FormData, name: str) -> list[str]:
    return [str(v) for v in form.getlist(name)]


def _adjusted(form: FormData, data: dict[str, Any]) -> PlanRequest:
    """A results-page post: the carried adjustments plus this post's remove / restore / star /
    unstar / add, and the selected rows (``sel``) for the action button pressed (``act``)."""
    act = str(form.get("act") or "")
    selected = check_codes("sel", _codes(form, "sel"))
    restore = set(check_codes("restore", _codes(form, "restore")))
    unstar = set(check_codes("unstar", _codes(form, "unstar")))
    if act == "unstar":
        unstar |= set(selected)
    exclude = _codes(form, "exclude_codes") + _codes(form, "remove")
    exclude += list(selected) if act == "hide" else []
    include = _codes(form, "include_codes") + _codes(form, "star")
    include += [str(form.get("add_codes") or "")]
    include += list(selected) if act == "star" else []
    excl = tuple(c for c in check_codes("exclude_codes", exclude) if c not in restore)
    incl = tuple(
        c for c in check_codes("include_codes", include) if c not in excl and c not in unstar
    )
    show = check_codes("show", _codes(form, "show") + (list(selected) if act == "compare" else []))
    if len(show) > MAX_SHOWN:
        raise InputError(f"{len(show)} programs chosen", field="sel", allowed="1 to 4 to compare")
    return PlanRequest(data, excl, incl, from_form=False, show=show)


def plan_request_from_form(form: FormData) -> PlanRequest:
    """Read a post from the profile form or from the results page's adjust form."""
    text = form.get("profile_json")
    if isinstance(text, str) and text:
        data = _overrides(form, profile_from_json(text))
        return _adjusted(form, data)
    single = {k: v for k, v in form.items() if isinstance(v, str)}
    multi = {k: [str(v) for v in form.getlist(k)] for k in form}
    return PlanRequest(form_to_profile_data(single, multi))


def planner_of(request: Request) -> PlanService:
    """The app's planner (``create_app(planner, store)``)."""
    planner: PlanService = request.app.state.planner
    return planner


def store_of(request: Request) -> UserStore:
    """The app's user store (``create_app(planner, store)``)."""
    store: UserStore = request.app.state.store
    return store


def run_plan(
    planner: PlanService,
    profile: Profile,
    exclude: tuple[str, ...] = (),
    include: tuple[str, ...] = (),
    *,
    advice: bool = True,
    curve: CurveDetail = "full",
) -> PlanResult:
    """The planner's plan for a profile and the list adjustments."""
    return planner.plan(
        profile, exclude_codes=exclude, include_codes=include, advice=advice, curve=curve
    )


#: Plans one server process runs at once, each in a worker thread (the event loop stays free to
#: read requests and send answers): every plan the app asks the planner for goes through
#: :func:`in_plan_thread` (the API's, the pages', the saves'). A plan is CPU-bound Python and
#: NumPy under one GIL: two at once in one process take as long as one after the other (plus
#: the GIL's hand-overs), and each holds its working memory; concurrency comes from one process
#: per core (``--workers``).
PLAN_THREADS = 1
_LIMITER: anyio.lowlevel.RunVar[anyio.CapacityLimiter] = anyio.lowlevel.RunVar("plan_limiter")


def _limiter() -> anyio.CapacityLimiter:
    """The event loop's plan limiter (:data:`PLAN_THREADS` tokens), made on first use."""
    try:
        return _LIMITER.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(PLAN_THREADS)
        _LIMITER.set(limiter)
        return limiter


async def in_plan_thread(work: Callable[[], T]) -> T:
    """``work()`` (a plan and what is built from it) in a worker thread, at most
    :data:`PLAN_THREADS` at once per event loop, others waiting their turn in order."""
    return await anyio.to_thread.run_sync(work, limiter=_limiter())
