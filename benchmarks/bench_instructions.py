"""Instructions a ``POST /api/plan`` costs the server, counted by valgrind (deterministic).

On a shared VM the CPU time of the same server drifts by 30 % within an hour, so a change of
5-10 % cannot be seen in ``bench_load`` or ``bench_cpu`` without many interleaved runs. The
instruction count does not drift: valgrind's callgrind counts every instruction the process
runs. The app is driven in process through its ASGI interface (the middleware stack, FastAPI,
the plan's worker thread, the JSON and gzip; not uvicorn's HTTP parsing or the sockets), with
distinct profiles (``bench_load``'s), ``--requests`` of them after a warm-up; the same run
without them is subtracted, so start-up and warm-up cancel out. The requests are bare ASGI
calls, not ``httpx.ASGITransport``: a client in the counted process would be counted too (httpx
costs about as much CPU a request as the server's own work outside the plan).

Run: ``python -m benchmarks.bench_instructions`` (about 4 minutes; needs ``valgrind``:
``apt-get install valgrind``). ``--against DIR``: also count a checkout's ``src`` (another
commit: ``git worktree add DIR COMMIT``, its compiled kernels built or copied) and print both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

WARMUP = 8


def _scope(body: bytes, advice: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/plan",
        "raw_path": b"/api/plan",
        "query_string": f"advice={advice}".encode(),
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"application/json"),
            (b"accept-encoding", b"gzip"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 5555),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _post(app: Any, body: bytes, advice: str) -> int:
    """One request through the app; its status."""
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)  # pragma: no cover - the app never reads past the body
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])

    await app(_scope(body, advice), receive, send)
    return status


def _child(requests: int, advice: str) -> None:
    """The counted process: the app, a warm-up, then ``requests`` distinct profiles."""
    import smartpick  # noqa: F401 - first: it limits the BLAS threads before NumPy loads
    from smartpick.web.app import create_app

    from .bench_load import DISTINCT, profile

    async def main() -> None:
        app = create_app(tune_gc=True)
        async with app.router.lifespan_context(app):
            for i in range(WARMUP):
                body = json.dumps(profile(DISTINCT - 1 - i, DISTINCT)).encode()
                if await _post(app, body, advice) != 200:
                    raise SystemExit("the warm-up request failed")
            for i in range(requests):
                await _post(app, json.dumps(profile(i, DISTINCT)).encode(), advice)

    asyncio.run(main())


def _count(src: Path | None, requests: int, advice: str, db: Path) -> int:
    """Instructions of one child run (valgrind's total)."""
    env = {k: v for k, v in os.environ.items() if k != "SMARTPICK_DATABASE_URL"}
    env["SMARTPICK_DB"] = str(db)  # the user store sits beside it
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([str(src), root] if src else [root])
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    cmd += [sys.executable, "-m", "benchmarks.bench_instructions", "--child", str(requests)]
    cmd += ["--advice", advice]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"valgrind run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_request(src: Path | None, requests: int, advice: str, db: Path) -> float:
    """Instructions a request: (a run with ``requests`` - one without) / ``requests``."""
    _count(src, 0, advice, db)  # builds this code's derived cache beside the catalog
    base = _count(src, 0, advice, db)
    return (_count(src, requests, advice, db) - base) / requests


def main(argv: list[str] | None = None) -> None:
    """Print the instructions a request costs (this checkout, and ``--against``'s)."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_instructions")
    ap.add_argument("--requests", type=int, default=16, help="requests counted (default 16)")
    ap.add_argument("--advice", choices=("false", "true"), default="false")
    ap.add_argument("--against", type=Path, help="another checkout whose src/ to count too")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        _child(args.child, args.advice)
        return
    if args.requests < 1:
        ap.error(f"--requests: {args.requests} is not allowed; 1 or more, such as 16")
    if shutil.which("valgrind") is None:
        print("bench_instructions: skipped, valgrind is not installed (apt-get install valgrind)")
        return
    if args.against is not None and not (args.against / "src" / "smartpick").is_dir():
        ap.error(f"--against: {args.against} has no src/smartpick (a SmartPick checkout)")
    from smartpick.catalog.build import build_catalog

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.sqlite"
        build_catalog(db)
        runs = [("this checkout", None)]
        if args.against is not None:
            runs.append((str(args.against), args.against.resolve() / "src"))
        for label, src in runs:
            n = per_request(src, args.requests, args.advice, db)
            print(
                f"POST /api/plan?advice={args.advice}: {n / 1e6:.2f} million instructions a "
                f"request ({args.requests} distinct profiles, {label})"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
