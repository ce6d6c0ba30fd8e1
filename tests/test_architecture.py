"""The pure core imports no database, web or CLI code (DESIGN.md, Architecture)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import smartpick

PACKAGE = Path(smartpick.__file__).parent
PURE = [
    "model",
    "plan",
    "advice",
    "track",
    "datafiles",
    "frame.py",
    "memo.py",
    "geo.py",
    "resources.py",
    "errors.py",
]
FORBIDDEN = (
    "sqlite3",
    "smartpick.catalog",
    "smartpick.web",
    "smartpick.cli",
    "smartpick.service",
    "smartpick.calibrate",  # fitting code: only its JSON output crosses into the runtime
    "smartpick.planner",
    "smartpick.store",
    "psycopg",
    "fastapi",
    "starlette",
    "uvicorn",
    "typer",
    "click",
    "rich",
    "jinja2",
)


def _pure_files() -> list[Path]:
    out: list[Path] = []
    for entry in PURE:
        path = PACKAGE / entry
        out.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return out


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            # relative import: resolve against the file's package
            rel = path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level]
            names.add(".".join([*rel, node.module] if node.module else rel))
    return names


@pytest.mark.parametrize("path", _pure_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pure_core_imports_no_io_layers(path: Path) -> None:
    bad = {
        name
        for name in _imports(path)
        for forbidden in FORBIDDEN
        if name == forbidden or name.startswith(forbidden + ".")
    }
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_forbidden_import_is_detected(tmp_path: Path) -> None:
    probe = PACKAGE / "model" / "_probe_tmp.py"
    probe.write_text("import sqlite3\nfrom smartpick.catalog import store\n", encoding="utf-8")
    try:
        assert {"sqlite3", "smartpick.catalog"} <= _imports(probe)
    finally:
        probe.unlink()


@pytest.mark.parametrize("name", ["build.py", "replace.py", "schema.py", "store.py"])
def test_the_catalog_build_never_imports_the_user_store(name: str) -> None:
    """A rebuild cannot touch what users made: the builder does not even import the store."""
    found = _imports(PACKAGE / "catalog" / name)
    assert not {n for n in found if n.startswith(("smartpick.store", "psycopg"))}
