"""Check that a change leaves every plan as it was: dump the plans of 16 profiles, compare dumps.

How issue 10's speed work was checked ("no result may change"): dump with the code before the
change, dump with the code after, compare. The profiles are the two examples and 14 variants of
the guide's (Step 2 CK 221 / 235 / 250, no preliminary year, a $1,200 budget, a non-US IMG on a
J-1, no backup, a US MD, target 0.9, no region preference, Pediatrics, Psychiatry with $3,000,
signals off, no budget), planned as of 2025-09-15 with the strategy what-ifs.

Run from the repository::

    python scripts/compare_plans.py dump DIR        # DIR/NN.json, one plan each
    python scripts/compare_plans.py compare A B     # exit 1 when any plan differs

``compare`` requires the same keys, lengths and strings, and numbers equal within 1e-12
(absolute, or relative to the larger); it prints the first differences of each plan.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TODAY = dt.date(2025, 9, 15)
TOLERANCE = 1e-12


def profiles() -> list[dict[str, Any]]:
    """The 16 profiles (raw fields, as a profile file gives them)."""
    ex = tomllib.loads((EXAMPLES / "us_img_im_217.toml").read_text())
    neuro = tomllib.loads((EXAMPLES / "neuro_hopeful_212.toml").read_text())

    def without(key: str) -> dict[str, Any]:
        return {k: v for k, v in ex.items() if k != key}

    return [
        ex,
        neuro,
        *({**ex, "step2_score": s} for s in (221, 235, 250)),
        {**ex, "include_preliminary": False},
        {**ex, "budget_usd": 1200},
        {**ex, "visa": "j1", "applicant_type": "non_us_img"},
        without("backup_specialty"),
        {**ex, "applicant_type": "us_md", "step2_score": 240},
        {**ex, "target_match_probability": 0.9},
        {**ex, "regions": []},
        {**ex, "specialty": "Pediatrics"},
        {**ex, "specialty": "Psychiatry", "budget_usd": 3000},
        {**ex, "signals": False},
        without("budget_usd"),
    ]


def dump(out: Path) -> None:
    """Plan every profile (default catalog) and write its JSON, or its error, to ``out``."""
    from smartpick.errors import SmartPickError
    from smartpick.planner import Planner
    from smartpick.profile import parse_profile

    out.mkdir(parents=True, exist_ok=True)
    with Planner() as planner:
        for i, raw in enumerate(profiles()):
            try:
                plan = planner.plan(parse_profile(raw, today=TODAY), today=TODAY, advice=True)
                text = plan.model_dump_json(indent=1)
            except SmartPickError as exc:
                text = json.dumps({"error": f"{type(exc).__name__}: {exc}"})
            (out / f"{i:02d}.json").write_text(text)


def differences(a: Any, b: Any, path: str, out: list[str]) -> None:
    """Append to ``out`` every place where ``a`` and ``b`` differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            out.append(f"{path}: keys {sorted(set(a) ^ set(b))}")
            return
        for k in a:
            differences(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: length {len(a)} vs {len(b)}")
            return
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            differences(x, y, f"{path}[{i}]", out)
    elif (
        isinstance(a, int | float)
        and isinstance(b, int | float)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        if a != b and abs(a - b) > TOLERANCE * max(1.0, abs(a), abs(b)):
            out.append(f"{path}: {a!r} vs {b!r}")
    elif a != b:
        out.append(f"{path}: {str(a)[:80]!r} vs {str(b)[:80]!r}")


def compare(a: Path, b: Path) -> int:
    """Print the differences between two dumps; the number of plans that differ."""
    bad = 0
    names = sorted(p.name for p in a.glob("*.json"))
    if names != sorted(p.name for p in b.glob("*.json")):
        print(f"the dumps hold different files: {a} vs {b}")
        return 1
    for name in names:
        found: list[str] = []
        differences(
            json.loads((a / name).read_text()), json.loads((b / name).read_text()), name, found
        )
        if found:
            bad += 1
            print(f"{name}: {len(found)} differences; first: " + " | ".join(found[:5]))
    print(f"identical (within {TOLERANCE:g})" if not bad else f"{bad} plans differ")
    return bad


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module's docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("dump", help="write one JSON per profile").add_argument("dir", type=Path)
    cmp = sub.add_parser("compare", help="compare two dumps")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = ap.parse_args(argv)
    if args.command == "dump":
        dump(args.dir)
        return 0
    return 1 if compare(args.a, args.b) else 0


if __name__ == "__main__":
    sys.exit(main())
