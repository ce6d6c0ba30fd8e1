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

from .context import State

__all__ = ["register", "render_table"]

HELP = "\n\n".join(
    [
        "Search every program of the 2026 Main Residency Match.",
        "Examples:",
        # \b: click keeps the lines as they are (each command whole, to copy and paste)
        "\b\n  smartpick programs --specialty 'Internal Medicine' --track C --state OH,MI "
        "--min-img-share 0.5 --j1 --sort img_share --desc --limit 20\n"
        "  smartpick programs -s IM --state OH --profile me.toml --sort interview_probability "
        "--desc",
        "With --profile each program gains your interview probability, tier and any hard screen "
        "that rules it out; sort by interview_probability, descending, for your best chances "
        "first.",
        "50 rows are shown unless you say otherwise: --limit 0 shows all. The count (e.g. "
        '"50 of 1,169 programs") heads the table; with --json or --csv it goes to stderr, so '
        "stdout stays a pure list.",
        "IMG share is FREIDA's published share of current residents who are IMGs "
        '("published"), or your own figure after `smartpick data import` ("user"); "?" means '
        "unknown.",
    ]
)


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


#: The sort key computed from your profile (not a catalog column): needs --profile.
BY_CHANCE = "interview_probability"


def count_line(shown: int, total: int) -> str:
    """``50 of 1,169 programs (--limit 0 shows all)``."""
    text = f"{shown:,} of {total:,} programs"
    return text + " (--limit 0 shows all)" if shown < total else text


def sort_by_chance(records: list[dict[str, Any]], descending: bool) -> list[dict[str, Any]]:
    """Records by interview probability; programs a screen rules out, then unknown ones, last."""

    def group(rec: dict[str, Any]) -> int:
        if rec.get(BY_CHANCE) is None:
            return 2
        return 1 if rec.get("screen_reason") else 0

    out = sorted(records, key=lambda r: r.get(BY_CHANCE) or 0.0, reverse=descending)
    return sorted(out, key=group)  # stable: the order within each group is kept


def render_table(records: list[dict[str, Any]], total: int) -> Table:
    """A readable rich table of program records."""
    table = Table(title=count_line(len(records), total), title_justify="left")
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
        str,
        typer.Option(
            "--sort",
            help=f"Sort key: {', '.join(SORT_KEYS)}, or {BY_CHANCE} (needs --profile; "
            "add --desc for the best chances first).",
        ),
    ] = "name",
    desc: Annotated[bool, typer.Option("--desc", help="Sort descending.")] = False,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", help="Rows to show; 0 shows all of them.", min=0),
    ] = 50,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print a JSON list of records (the count goes to stderr)."),
    ] = False,
    as_csv: Annotated[
        bool,
        typer.Option("--csv", help="Print CSV, one row per record (the count goes to stderr)."),
    ] = False,
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
    from smartpick.errors import InputError
    from smartpick.profile import load_profile

    by_chance = sort == BY_CHANCE
    if by_chance and profile_file is None:
        raise InputError(
            f"sorting by {BY_CHANCE} needs your profile: add --profile PROFILE.toml",
            field="--sort",
        )
    if as_json and as_csv:
        raise InputError("choose one of --json, --csv", field="output")
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
        sort="name" if by_chance else sort,  # type: ignore[arg-type]  # checked by the catalog
        descending=desc,
        limit=None if by_chance else limit or None,  # by chance: score all, then cut
    )
    state_obj: State = ctx.obj if isinstance(ctx.obj, State) else State()
    when = _today(today)
    profile = load_profile(profile_file, today=when) if profile_file is not None else None
    with state_obj.planner() as planner:
        with planner.open_catalog() as cat:
            total = cat.count(query)
        records = planner.search_programs(query, profile=profile, today=when)
    if by_chance:
        records = sort_by_chance(records, desc)[: limit or None]
    if as_json or as_csv:
        from smartpick.render.export import records_csv

        text = json.dumps(records, indent=2) + "\n" if as_json else records_csv(records)
        typer.echo(text, nl=False)
        typer.echo(count_line(len(records), total), err=True)  # stdout stays a pure list
    else:
        console = Console()
        if not console.is_terminal:  # piped: do not squeeze the table into 80 columns
            console = Console(width=200)
        console.print(render_table(records, total))


def register(app: typer.Typer) -> None:
    """Add `programs` to the app."""
    app.command("programs", help=HELP)(programs)
