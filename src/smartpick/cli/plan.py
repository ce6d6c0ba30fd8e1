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

__all__ = ["register"]

EXAMPLE = (
    "Example:\n\n"
    "  smartpick plan examples/us_img_im_217.toml\n\n"
    "  smartpick plan me.toml --json > plan.json\n\n"
    "  smartpick plan me.toml --csv --out my_list.csv"
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
    from smartpick.render import plan_csv, render_plan

    if sum((as_json, as_csv, as_markdown)) > 1:
        raise InputError("choose one of --json, --csv, --markdown", field="output")
    when = _today(today)
    profile = load_profile(profile_file, today=when)
    console = Console(stderr=True)
    state: State = ctx.obj if isinstance(ctx.obj, State) else State()
    with state.planner() as planner, console.status("Planning…", spinner="dots"):
        result = planner.plan(profile, today=when)

    text: str | None = None
    if as_json:
        text = json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    elif as_csv:
        text = plan_csv(result)
    elif as_markdown:
        from smartpick.render.markdown import plan_markdown

        text = plan_markdown(result)
    if text is None:
        if out is not None:
            with out.open("w", encoding="utf-8") as fh:
                render_plan(result, Console(file=fh, width=140), top=top)
        else:
            render_plan(result, top=top)
        return
    if out is not None:
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
        console.print(Text(f"Wrote {out}"))
    else:
        typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    """Add `plan` to the app."""
    app.command("plan", help=plan_command.__doc__ + "\n\n" + EXAMPLE)(plan_command)  # type: ignore[operator]
