"""The CLI loads the heavy modules inside the commands that use them (issue 10)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numpy", "scipy", "pydantic", "fastapi", "sqlite3", "smartpick.catalog.store")


def test_help_imports_no_heavy_module() -> None:
    code = f"import sys, smartpick.cli\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_planning_does_not_import_scipy_stats() -> None:
    code = "import sys, smartpick.assemble\nprint('scipy.stats' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
