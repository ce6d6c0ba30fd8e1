"""A run builds only its command's module (typer reads every registered command's signature)."""

from __future__ import annotations

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from smartpick.cli import MODULES, _app_for, app, make_app


def _names(cli: typer.Typer) -> set[str]:
    return set(typer.main.get_command(cli).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["plan", "me.toml", "--json"], {"plan"}),
        (["--db", "c.sqlite", "plan", "me.toml"], {"plan"}),
        (["--db=c.sqlite", "--store", "s.sqlite", "data", "build"], {"data"}),
        (["validate"], {"calibrate", "validate"}),
    ],
)
def test_a_known_command_gets_its_module_only(args: list[str], expected: set[str]) -> None:
    assert _names(_app_for(args)) == expected


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["--version"], ["plna"], ["--db"], ["-x", "plan"]]
)
def test_anything_else_gets_the_whole_cli(args: list[str]) -> None:
    assert _app_for(args) is app


def test_every_command_has_its_module() -> None:
    assert _names(app) == set(MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_commands_help_is_the_same_alone(name: str) -> None:
    runner = CliRunner()
    whole = runner.invoke(app, [name, "--help"])
    alone = runner.invoke(make_app([MODULES[name]]), [name, "--help"])
    assert whole.exit_code == alone.exit_code == 0
    assert alone.output == whole.output
