"""``smartpick track``: save a plan, record what happened at programs, see the updated odds."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from smartpick.config import plan_date
from smartpick.errors import InputError, SmartPickError

from .context import State

__all__ = ["register", "track_app"]

TOKEN_ENV = "SMARTPICK_PLAN_TOKEN"

track_app = typer.Typer(
    help=(
        "Track your season: record invitations and rejections for a saved plan and see the "
        "odds update.\n\n"
        "Examples:\n\n"
        "  smartpick track save me.toml\n\n"
        "  export SMARTPICK_PLAN_TOKEN=<the token printed once>\n\n"
        "  smartpick track add PLAN_ID 2407140C0 invited --date 2026-10-12\n\n"
        "  smartpick track status PLAN_ID\n\n"
        "  smartpick track export PLAN_ID --csv -o events.csv\n\n"
        "  smartpick track import PLAN_ID plan.xlsx"
    ),
    no_args_is_help=True,
)

PlanArg = Annotated[str, typer.Argument(metavar="PLAN_ID", help="The saved plan's id.")]
TokenOpt = Annotated[
    str | None,
    typer.Option("--token", help=f"The plan's token (default: ${TOKEN_ENV}).", metavar="TOKEN"),
]
TodayOpt = Annotated[str | None, typer.Option(help="As of this date (YYYY-MM-DD); default: today.")]


def _state(ctx: typer.Context) -> State:
    return ctx.obj if isinstance(ctx.obj, State) else State()


def _token(value: str | None) -> str:
    token = value or os.environ.get(TOKEN_ENV, "")
    if not token:
        raise InputError(f"is required (or set ${TOKEN_ENV})", field="--token")
    return token


def _date(value: str | None, name: str) -> dt.date:
    if value is None:
        return plan_date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"'{value}' is not a date", field=name, allowed="YYYY-MM-DD") from None


def _denied(outcome: str) -> SmartPickError:
    if outcome == "forbidden":
        return InputError("the token does not match this saved plan", field="--token")
    return InputError("no such saved plan (deleted, or the id is wrong)", field="PLAN_ID")


def save(
    ctx: typer.Context,
    profile_file: Annotated[Path, typer.Argument(metavar="PROFILE.toml", help="Your profile.")],
) -> None:
    """Plan for a profile and save the plan in the user store; prints its id and token once.

    Example:

      smartpick track save examples/us_img_im_217.toml
    """
    import tomllib

    from smartpick.profile import load_profile
    from smartpick.web.saved_api import saved_payload

    profile = load_profile(profile_file)
    raw = tomllib.loads(profile_file.read_text(encoding="utf-8"))
    with _state(ctx).planner() as planner:
        result = planner.plan(profile, advice=False)
        plan_id, token = planner.store.save_plan(saved_payload(raw, (), (), result))
    typer.echo(f"plan id: {plan_id}")
    typer.echo(f"token:   {token}   (shown once: keep it, e.g. export {TOKEN_ENV}=...)")


def add(
    ctx: typer.Context,
    plan_id: PlanArg,
    program_code: Annotated[str, typer.Argument(help="The program's NRMP code.")],
    status: Annotated[
        str,
        typer.Argument(help="applied, invited, interviewed, rejected, withdrawn or ranked."),
    ],
    date: Annotated[str | None, typer.Option(help="When (YYYY-MM-DD); default: today.")] = None,
    note: Annotated[str | None, typer.Option(help="A note of your own.")] = None,
    token: TokenOpt = None,
) -> None:
    """Record what happened at a program (a change of status is a new event).

    Example:

      smartpick track add PLAN_ID 2407140C0 invited --date 2026-10-12
    """
    from smartpick.pipeline import PlanCore
    from smartpick.tracking import add_events

    event = {"program_code": program_code, "status": status, "date": date or str(plan_date())}
    if note:
        event["note"] = note
    with _state(ctx).planner() as planner:
        out = add_events(
            planner.store, PlanCore(planner, plan_date()), plan_id, _token(token), [event]
        )
    if isinstance(out, str):
        raise _denied(out)
    typer.echo(
        f"recorded {out[0].status} at {out[0].program_code} on {out[0].date} (event {out[0].id})"
    )


def undo(
    ctx: typer.Context,
    plan_id: PlanArg,
    event_id: Annotated[str, typer.Argument(help="The event's id (see `track export`).")],
    token: TokenOpt = None,
) -> None:
    """Delete one recorded event, to correct a mistake.

    Example:

      smartpick track undo PLAN_ID Gd04qwmDnwH8
    """
    store = _state(ctx).open_store()
    try:
        outcome = store.delete_event(plan_id, _token(token), event_id)
    finally:
        store.close()
    if outcome == "forbidden":
        raise _denied(outcome)
    if outcome == "missing":
        raise InputError("no such event of this plan", field="EVENT_ID")
    typer.echo(f"deleted event {event_id}")


def status(
    ctx: typer.Context,
    plan_id: PlanArg,
    token: TokenOpt = None,
    today: TodayOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """The season so far: updated odds with their range, interviews, warnings.

    Example:

      smartpick track status PLAN_ID --json
    """
    from smartpick.pipeline import PlanCore
    from smartpick.tracking import plan_status

    with _state(ctx).planner() as planner:
        core = PlanCore(planner, _date(today, "--today"))
        out = plan_status(planner.store, core, plan_id, _token(token))
    if isinstance(out, str):
        raise _denied(out)
    if as_json:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    con = Console()
    con.print(
        Text(
            f"P(match) {100 * out.match_probability:.0f}% (range "
            f"{100 * out.match_probability_low:.0f}–{100 * out.match_probability_high:.0f}%; "
            f"{100 * out.match_probability_saved:.0f}% when saved); interviews: "
            f"{out.received_interviews} received, {out.expected_interviews:.1f} expected "
            f"({out.interviews_low:.0f}–{out.interviews_high:.0f})"
        )
    )
    for line in out.warnings:
        con.print(Text(f"! {line}"))
    for p in out.programs:
        if p.status is not None:
            con.print(Text(f"  {p.program_code}  {p.status:<11} {p.status_date}  {p.name}"))
    con.print(Text(out.timing, style="dim"))


def export(
    ctx: typer.Context,
    plan_id: PlanArg,
    token: TokenOpt = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV instead of JSON.")] = False,
    as_xlsx: Annotated[
        bool,
        typer.Option(
            "--xlsx",
            help="The saved plan as a workbook with its Tracking sheet filled in (needs -o).",
        ),
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")] = None,
) -> None:
    """Export a plan's events (JSON, CSV with --csv, or the plan's workbook with --xlsx).

    Examples:

      smartpick track export PLAN_ID --csv -o events.csv

      smartpick track export PLAN_ID --xlsx -o season.xlsx
    """
    from smartpick.tracking import events_csv, events_json, season_xlsx

    if as_csv and as_xlsx:
        raise InputError("choose one of --csv and --xlsx", field="--xlsx")
    if as_xlsx and out is None:
        raise InputError("a workbook needs a file to write", field="--out")
    store = _state(ctx).open_store()
    try:
        check = store.check_token(plan_id, _token(token))
        if check != "ok":
            raise _denied(check)
        events = store.plan_events(plan_id)
        saved = store.get_plan(plan_id) if as_xlsx else None
    finally:
        store.close()
    if out is not None and saved is not None:
        out.write_bytes(season_xlsx(saved.payload, events))
        typer.echo(f"Wrote {out} ({len(events)} events in its Tracking sheet)")
        return
    text = events_csv(events) if as_csv else events_json(events) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}")


def import_sheet(
    ctx: typer.Context,
    plan_id: PlanArg,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The plan's CSV or XLSX export with the status and date columns filled in.",
        ),
    ],
    token: TokenOpt = None,
) -> None:
    """Record the statuses and dates of a list file (the CSV, or the XLSX's Tracking sheet).

    One event per filled date column (applied_on, invited_on, interviewed_on), then the
    status on status_on when no date column holds it. All are recorded or none: every problem
    of the file is listed (sheet, row, column). A step already recorded (same program, status
    and date) is skipped, so importing the same file again records nothing new.

    Example:

      smartpick track import PLAN_ID season.xlsx
    """
    from smartpick.importing import read_list
    from smartpick.pipeline import PlanCore
    from smartpick.tracking import import_sheet as record_sheet

    imported = read_list(file)
    with _state(ctx).planner() as planner:
        done = record_sheet(
            planner.store, PlanCore(planner, plan_date()), plan_id, _token(token), imported
        )
    if isinstance(done, str):
        raise _denied(done)
    if done.problems:
        err = Console(stderr=True, soft_wrap=True)
        for problem in done.problems:
            err.print(Text.assemble(("error:", "bold red"), " ", str(problem)), highlight=False)
        n = len(done.problems)
        raise InputError(
            f"{n} problem{'s' if n > 1 else ''} in {file}: nothing was recorded", field="FILE"
        )
    for ev in done.recorded:
        typer.echo(f"recorded {ev.status} at {ev.program_code} on {ev.date} (event {ev.id})")
    typer.echo(f"From {file}: {done.summary()}.")


def register(app: typer.Typer) -> None:
    """Add `track` and its commands to the app."""
    for fn in (save, add, undo, status, export):
        track_app.command(fn.__name__)(fn)
    track_app.command("import")(import_sheet)
    app.add_typer(track_app, name="track")
