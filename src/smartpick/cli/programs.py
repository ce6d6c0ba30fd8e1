"""`smartpick programs`: search the catalog (table, JSON or CSV)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from smartpick.query import SORT_KEYS, ProgramQuery
from smartpick.render.export import records_csv

from .context import State

__all__ = ["register", "render_table"]

HELP = """Search every program of the 2026 Main Residency Match.

Example: smartpick programs --specialty 'Internal Medicine' --track C --state OH,MI
--min-img-share 0.5 --j1 --sort img_share --desc --limit 20

With your profile: smartpick programs -s IM --state OH --profile me.toml (adds your interview
probability, tier and any hard screen that rules a program out).

IMG share is FREIDA's published share of current residents who are IMGs ("published"), or your
own figure after `smartpick data import` ("user"); "?" means unknown.
"""


def _split(values: list[str] | None) -> tuple[str, ...]:
    """Repeatable options that also accept comma lists: --state OH,MI --state PA."""
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return tuple(out)


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{value:.0%}"


def _yn(value: bool | None) -> str:
    return "?" if value is None else ("yes" if value else "no")


def render_table(records: list[dict[str, Any]], total: int) -> Table:
    """A readable rich table of program records."""
    table = Table(title=f"{len(records)} of {total} programs", title_justify="left")
    scored = bool(records) and "interview_probability" in records[0]
    if scored:
        table.add_column("P(interview) est.", justify="right")
        table.add_column("Tier / screen", overflow="fold")
    for head, kw in (
        ("Institution", {"ratio": 3}),
        ("Program", {"ratio": 3}),
        ("City/State", {"ratio": 2}),
        ("Track", {"no_wrap": True}),
        ("Pos", {"justify": "right"}),
        ("Filled", {"justify": "right"}),
        ("IMG share", {"justify": "right"}),
        ("J-1", {}),
        ("H-1B", {}),
        ("Code", {"no_wrap": True}),
    ):
        table.add_column(head, overflow="fold", **kw)
    for r in records:
        inst = r["institution"] + ("" if r["institution_verified"] else " (unverified)")
        place = ", ".join(p for p in (r["city"], r["state"]) if p)
        share = _pct(r["img_share"])
        if r["img_share_source"]:
            share += f" ({r['img_share_source']})"
        first: list[str] = []
        if scored:
            p = r.get("interview_probability")
            first = [
                "?" if p is None else f"{p:.0%}",
                f"screened out: {r['screen_reason']}"
                if r.get("screen_reason")
                else r.get("tier") or "",
            ]
        cells = [
            *first,
            inst,
            r["name"],
            place,
            r["track"],
            str(r["positions"]),
            str(r["filled_2026"]),
            share,
            _yn(r["visa_j1"]),
            _yn(r["visa_h1b"]),
            r["program_code"],
        ]
        table.add_row(*(Text(str(c)) for c in cells))  # stored text: never rich markup
    return table


def programs(
    ctx: typer.Context,
    specialty: Annotated[
        str | None,
        typer.Option("--specialty", "-s", help="Specialty name, alias or code, e.g. 'IM' or 140."),
    ] = None,
    track: Annotated[
        list[str] | None,
        typer.Option(
            "--track",
            "-t",
            help="C/P/A/R/M or categorical, preliminary, advanced, physician, primary.",
        ),
    ] = None,
    state: Annotated[
        list[str] | None, typer.Option("--state", help="Two-letter state(s): repeat or comma list.")
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="Census region (Midwest, ...) or division (Pacific, ...)."),
    ] = None,
    setting: Annotated[
        list[str] | None,
        typer.Option("--setting", help="university, affiliated, community, military, other."),
    ] = None,
    min_img_share: Annotated[
        float | None,
        typer.Option("--min-img-share", help="Minimum IMG share 0-1 (unknown shares excluded)."),
    ] = None,
    j1: Annotated[bool, typer.Option("--j1", help="Only programs known to sponsor J-1.")] = False,
    h1b: Annotated[
        bool, typer.Option("--h1b", help="Only programs known to sponsor H-1B.")
    ] = False,
    accepting: Annotated[
        bool, typer.Option("--accepting", help="Only programs known to accept applications.")
    ] = False,
    search: Annotated[
        str | None, typer.Option("--search", help="Text in program / institution name or city.")
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help=f"Sort key: {', '.join(SORT_KEYS)}.")
    ] = "name",
    desc: Annotated[bool, typer.Option("--desc", help="Sort descending.")] = False,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Maximum rows (0 = all).", min=0)
    ] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of records.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (one row per record).")] = False,
    profile_file: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="Your profile (TOML): adds your interview probability, tier and any screen "
            "that rules the program out.",
            metavar="PROFILE.toml",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(help="With --profile: rate as of this date (YYYY-MM-DD); default: today."),
    ] = None,
) -> None:
    from smartpick.cli.plan import _today
    from smartpick.profile import load_profile

    query = ProgramQuery(
        specialty=specialty,
        tracks=_split(track),
        states=_split(state),
        regions=_split(region),
        settings=_split(setting),
        min_img_share=min_img_share,
        visa_j1=True if j1 else None,
        visa_h1b=True if h1b else None,
        accepting=True if accepting else None,
        text=search,
        sort=sort,  # type: ignore[arg-type]  # checked by the catalog (InputError)
        descending=desc,
        limit=limit or None,
    )
    state_obj: State = ctx.obj if isinstance(ctx.obj, State) else State()
    when = _today(today)
    profile = load_profile(profile_file, today=when) if profile_file is not None else None
    with state_obj.planner() as planner:
        with planner.open_catalog() as cat:
            total = cat.count(query)
        records = planner.search_programs(query, profile=profile, today=when)
    if as_json:
        typer.echo(json.dumps(records, indent=2))
    elif as_csv:
        typer.echo(records_csv(records), nl=False)
    else:
        console = Console()
        if not console.is_terminal:  # piped: do not squeeze the table into 80 columns
            console = Console(width=200)
        console.print(render_table(records, total))


def register(app: typer.Typer) -> None:
    """Add `programs` to the app."""
    app.command("programs", help=HELP)(programs)
