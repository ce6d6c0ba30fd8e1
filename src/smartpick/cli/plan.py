"""`smartpick plan PROFILE.toml`: the main job — a tiered, cost-aware list with odds and advice."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from smartpick.errors import InputError

from .context import State
from .from_list import plan_from_list
from .progress import status

__all__ = ["register"]

EXAMPLE = (
    "Example:\n\n"
    "  smartpick plan examples/us_img_im_217.toml\n\n"
    "  smartpick plan me.toml --json > plan.json\n\n"
    "  smartpick plan me.toml --csv --out my_list.csv\n\n"
    "  smartpick plan me.toml --xlsx -o my_list.xlsx\n\n"
    "  smartpick plan me.toml --from-list my_list.xlsx --xlsx -o my_list.xlsx"
)


def _today(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"'{value}' is not a date", field="--today", allowed="YYYY-MM-DD"
        ) from None


def plan_command(
    ctx: typer.Context,
    profile_file: Annotated[
        Path, typer.Argument(metavar="PROFILE.toml", help="Your profile (TOML), see examples/.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print the program list as CSV (one row per program).")
    ] = False,
    as_markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the plan and strategy as Markdown.")
    ] = False,
    as_xlsx: Annotated[
        bool,
        typer.Option(
            "--xlsx", help="Write the list as an XLSX workbook with a tracking sheet (needs -o)."
        ),
    ] = False,
    as_pdf: Annotated[
        bool, typer.Option("--pdf", help="Write the printable report as a PDF (needs -o).")
    ] = False,
    from_list: Annotated[
        Path | None,
        typer.Option(
            "--from-list",
            metavar="FILE",
            help="Re-plan with your edited CSV / XLSX export: its rows stay or are added, "
            "deleted rows and rows marked 'removed' leave; its tracking is carried over.",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    top: Annotated[int, typer.Option(help="Programs shown in the terminal report.", min=1)] = 25,
    today: Annotated[
        str | None, typer.Option(help="Plan as of this date (YYYY-MM-DD); default: today.")
    ] = None,
) -> None:
    """Build your plan: programs by tier, how many to apply to, cost, odds and strategy."""
    from smartpick.profile import load_profile

    if sum((as_json, as_csv, as_markdown, as_xlsx, as_pdf)) > 1:
        raise InputError("choose one of --json, --csv, --markdown, --xlsx, --pdf", field="output")
    if (as_xlsx or as_pdf) and out is None:
        flag = "--xlsx" if as_xlsx else "--pdf"
        raise InputError(f"{flag} writes a file: add -o FILE", field="--out")
    when = _today(today)
    profile = load_profile(profile_file, today=when)
    console = Console(stderr=True)
    state: State = ctx.obj if isinstance(ctx.obj, State) else State()
    tracking = None
    with state.planner() as planner, status(console, "Planning…"):
        if from_list is None:
            result = planner.plan(profile, today=when)
        else:
            result, tracking = plan_from_list(planner, profile, from_list, when, console)

    if as_xlsx or as_pdf:
        assert out is not None
        if as_xlsx:
            from smartpick.render.xlsx import plan_xlsx

            data = plan_xlsx(result, tracking)
        else:
            from smartpick.render.pdf import plan_pdf

            data = plan_pdf(result)
        _write(out, data, console)
        return
    text: str | None = None
    if as_json:
        text = json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    elif as_csv:
        from smartpick.render import plan_csv

        text = plan_csv(result, tracking)
    elif as_markdown:
        from smartpick.render.markdown import plan_markdown

        text = plan_markdown(result)
    if text is None:
        from smartpick.render import render_plan

        if out is not None:
            with out.open("w", encoding="utf-8") as fh:
                render_plan(result, Console(file=fh, width=140), top=top)
        else:
            render_plan(result, top=top)
        return
    if out is not None:
        _write(out, text.encode("utf-8"), console)
    else:
        typer.echo(text, nl=False)


def _write(out: Path, data: bytes, console: Console) -> None:
    """Write atomically (a temporary file beside, then a rename)."""
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    console.print(Text(f"Wrote {out}"), highlight=False)


def register(app: typer.Typer) -> None:
    """Add `plan` to the app."""
    app.command("plan", help=plan_command.__doc__ + "\n\n" + EXAMPLE)(plan_command)  # type: ignore[operator]
