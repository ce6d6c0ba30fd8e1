"""The CLI's cold start (issue 10): ``smartpick --help`` against a bare ``import numpy``, and
``smartpick plan examples/us_img_im_217.toml --json`` (a new process each time, the default
catalog, built when missing).

Each command runs ``--repeat`` times (after one untimed run that writes the bytecode caches,
as a normal install has them); prints the median wall time and the median CPU time of the
child (user + sys), with the issue's targets: ``--help`` <= 2 x ``import numpy`` (wall), and
``plan --json`` < 0.8 s (wall). Wall times on a shared machine are noisy: the CPU figure is
the steadier one. Run: ``python -m benchmarks.bench_cli [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "us_img_im_217.toml"
#: The fixed date of the example run (so the figures do not depend on the day).
TODAY = "2025-09-15"


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(argv: list[str], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``argv`` run ``repeat`` times (output discarded)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(argv, check=True, capture_output=True, env=env)  # bytecode caches
    walls, cpus = [], []
    for _ in range(repeat):
        c0, t0 = _child_cpu(), time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - t0)
        cpus.append(_child_cpu() - c0)
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> None:
    """Print the cold-start figures and their targets."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs per command (default 7)")
    args = ap.parse_args(argv)
    py = sys.executable
    cli = [py, "-m", "smartpick"]
    subprocess.run([*cli, "data", "build", "--if-missing"], check=True, capture_output=True)
    numpy_wall, numpy_cpu = timed([py, "-c", "import numpy"], args.repeat)
    help_wall, help_cpu = timed([*cli, "--help"], args.repeat)
    plan_wall, plan_cpu = timed(
        [*cli, "plan", str(EXAMPLE), "--json", "--today", TODAY], args.repeat
    )
    print(f"python -c 'import numpy'     wall {numpy_wall:5.2f} s   CPU {numpy_cpu:5.2f} s")
    print(
        f"smartpick --help             wall {help_wall:5.2f} s   CPU {help_cpu:5.2f} s   "
        f"{help_wall / numpy_wall:.1f}x numpy (target <= 2x)"
    )
    print(
        f"smartpick plan EXAMPLE --json wall {plan_wall:5.2f} s   CPU {plan_cpu:5.2f} s   "
        "(target wall < 0.8 s)"
    )


if __name__ == "__main__":
    main()
