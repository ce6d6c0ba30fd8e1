"""The ``smartpick`` command line: thin, parse → service → render.

Each command group lives in its own module with a ``register(app)`` function.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from smartpick import __version__
from smartpick.collector import raise_thresholds
from smartpick.errors import InputError, ProfileError, SmartPickError

from . import calibrate, data, plan, programs, serve, track
from .context import State
from .help import plain_help

__all__ = ["MODULES", "app", "main", "make_app"]

#: The module registering each top-level command. A run builds only its command's module:
#: typer reads the signature of every registered command before it parses anything.
MODULES: dict[str, ModuleType] = {
    "programs": programs,
    "plan": plan,
    "data": data,
    "calibrate": calibrate,
    "validate": calibrate,
    "serve": serve,
    "track": track,
}
#: Options of the root command that take a value.
_ROOT_VALUES = ("--db", "--store")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"smartpick {__version__}")
        raise typer.Exit()


def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Catalog database file (default: $SMARTPICK_DB or the per-user data folder).",
            metavar="PATH",
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="User store for saved plans and your facts: an SQLite file or a "
            "postgresql:// URL (default: $SMARTPICK_DATABASE_URL, or user.sqlite beside the "
            "catalog).",
            metavar="PATH|URL",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """SmartPick: an open, free residency-selection tool for US-citizen IMGs."""
    ctx.obj = State(db=db, store=store)


def make_app(modules: Iterable[ModuleType]) -> typer.Typer:
    """The CLI with the commands of ``modules`` (each with its ``register(app)``)."""
    out = typer.Typer(
        name="smartpick",
        help=(
            "SmartPick: an open, free residency-selection tool for US-citizen IMGs.\n\n"
            "Examples:\n\n"
            "  smartpick plan examples/us_img_im_217.toml\n\n"
            "  smartpick programs --specialty 'Internal Medicine' --state OH --limit 10\n\n"
            "  smartpick serve"
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    out.callback()(_root)
    for module in dict.fromkeys(modules):
        module.register(out)
    plain_help(out)  # click's plain --help (fast: no Markdown renderer), whole summaries
    return out


#: Every command (``--help``, tests, unknown commands).
app = make_app(MODULES.values())


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The app a run of ``args`` needs: its command's module only when the command is known."""
    rest = iter(args)
    for arg in rest:
        if arg in _ROOT_VALUES:
            next(rest, None)
        elif arg.startswith(tuple(f"{o}=" for o in _ROOT_VALUES)):
            continue
        elif arg.startswith("-"):
            return app  # --help, --version or a mistake: the whole CLI answers
        else:
            module = MODULES.get(arg)
            return app if module is None else make_app([module])
    return app


def _error(err: Console, exc: object, prefix: str = "error:") -> None:
    """One line on stderr; the message is user text, printed without markup interpretation."""
    err.print(Text.assemble((prefix, "bold red"), " ", str(exc)), highlight=False)


def _profile_errors(err: Console, exc: ProfileError) -> None:
    """Every problem of a profile, one line each (file, line, field, message), then a count."""
    if len(exc.problems) <= 1:
        _error(err, exc)
        return
    for problem in exc.problems:
        _error(err, problem)
    where = f" in {exc.problems[0].path}" if exc.problems[0].path else ""
    err.print(
        Text(f"{len(exc.problems)} problems{where}: fix them all, then run again."),
        highlight=False,
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, mapping every error to a clear message and a non-zero exit code.

    SmartPick errors name the file, line and field; anything else (a bug) is reported in one
    line with its type, never as a traceback.
    """
    if argv is None:  # the process's own command line: a one-shot process (smartpick.collector)
        raise_thresholds()
    err = Console(stderr=True, soft_wrap=True)
    args = sys.argv[1:] if argv is None else argv
    try:
        _app_for(args)(args=args, standalone_mode=False)
    except ProfileError as exc:
        _profile_errors(err, exc)
        return 2
    except InputError as exc:
        _error(err, exc)
        return 2
    except SmartPickError as exc:
        _error(err, exc)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        err.print("aborted")
        return 1
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _error(err, f"{where}{exc.strerror or exc}")
        return 1
    except Exception as exc:  # usage errors of the (vendored) click inside typer
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            return code
        _error(err, f"{type(exc).__name__}: {exc} (a bug: please report it)", "internal error:")
        return 70
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
