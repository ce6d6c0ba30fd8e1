"""Benchmark the web app: POST /api/plan under 20 concurrent clients, and results-page weight.

Runs a real uvicorn server on 127.0.0.1 (a free port) in a child process and sends a bounded
number of requests from this one. Uses the real planner when it is wired and its catalog is
built; otherwise (or with ``--fake``) the test suite's fake service, and says so.

Usage: python benchmarks/bench_web.py [--requests 1000] [--clients 20] [--fake] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PROFILE: dict[str, Any] = {
    "specialty": "Internal Medicine",
    "applicant_type": "us_img",
    "step2_score": 225,
    "graduation_year": 2021,
    "usce_months": 3,
    "usce_kind": "elective",
    "us_letters": 2,
    "specialty_letters": 1,
    "regions": ["Midwest", "South Atlantic"],
    "target_match_probability": 0.8,
}


def _fake_app() -> Any:
    sys.path.insert(0, str(ROOT))
    from tests.web import fakes

    return fakes.make_app()


def _real_service_works() -> bool:
    try:
        from smartpick import service
        from smartpick.profile import parse_profile

        service.plan(parse_profile(PROFILE))
    except Exception as exc:
        print(f"real service unavailable ({type(exc).__name__}); using the fake service")
        return False
    return True


def _load(
    base: str, requests: int, clients: int, *, vary: bool = False, advice: bool = True
) -> dict[str, float]:
    """POST /api/plan from ``clients`` threads. ``vary``: every request a new profile (no cache
    hit: a distinct target per request); ``advice``: ask for the strategy plan's what-ifs."""
    counter = iter(range(10**9))
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = [
        requests // clients + (1 if i < requests % clients else 0) for i in range(clients)
    ]

    def worker(n: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=30) as c:
            for _ in range(n):
                body = PROFILE
                if vary:
                    with lock:
                        k = next(counter)
                    body = {**PROFILE, "target_match_probability": 0.5 + (k % 4000) * 1e-4}
                params = {} if advice else {"advice": "false"}
                t0 = time.perf_counter()
                r = c.post("/api/plan", json=body, params=params)
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    errors += r.status_code != 200

    threads = [threading.Thread(target=worker, args=(n,)) for n in per_client]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = np.array(latencies) * 1000
    return {
        "requests": float(len(lat)),
        "clients": float(clients),
        "errors": float(errors),
        "requests_per_s": len(lat) / wall,
        "p50_ms": float(np.percentile(lat, 50)),
        "p95_ms": float(np.percentile(lat, 95)),
        "max_ms": float(lat.max()),
    }


def _page_weight(base: str) -> dict[str, float]:
    with httpx.Client(base_url=base, timeout=30) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/").text)
        form = {k: (v if isinstance(v, list) else str(v)) for k, v in PROFILE.items()}
        form["csrf_token"] = token.group(1) if token else ""
        page = c.post("/plan", data=form)
        page.raise_for_status()
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        asset_bytes = sum(len(c.get(a).content) for a in set(assets))
    html = len(page.content)
    return {
        "html_bytes": float(html),
        "html_bytes_on_the_wire": float(page.num_bytes_downloaded),
        "asset_bytes": float(asset_bytes),
        "total_bytes": float(html + asset_bytes),
        "programs_listed": float(page.text.count("<tr data-code=")),
    }


def _serve(port: int, fake: bool, db: str | None, workers: int = 1) -> None:
    """Child process: run the app with uvicorn until killed."""
    import uvicorn

    from smartpick.planner import Planner
    from smartpick.web import create_app

    if workers > 1 and not fake:  # as `smartpick serve --workers N` does
        uvicorn.run(
            "smartpick.web.runtime:worker_app",
            factory=True,
            workers=workers,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
        return
    app = _fake_app() if fake else create_app(Planner(db), tune_gc=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


@contextmanager
def _server(fake: bool, db: str | None, workers: int = 1) -> Iterator[str]:
    """Start the child server and wait until it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    cmd = [sys.executable, __file__, "--serve", str(port)] + (["--fake"] if fake else [])
    cmd += ["--db", db] if db else []
    cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/specialties", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        else:
            raise RuntimeError("the benchmark server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print (or return) the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--fake", action="store_true", help="use the test suite's fake service")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--workers", type=int, default=1, help="server processes (real service)")
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        _serve(args.serve, args.fake, args.db, args.workers)
        return {}

    fake = args.fake or not _real_service_works()
    with (
        tempfile.TemporaryDirectory() as tmp,
        _server(fake, str(Path(tmp) / "c.sqlite") if fake else None, args.workers) as base,
    ):
        for _ in range(20):  # warm-up (caches, imports)
            httpx.post(base + "/api/plan", json=PROFILE, timeout=60)
        load = _load(base, args.requests, args.clients)
        cold = (
            {}
            if fake
            else {
                "distinct profiles, no advice": _load(
                    base, args.requests // 2, args.clients, vary=True, advice=False
                ),
                "distinct profiles, with advice": _load(
                    base, args.requests // 10, args.clients, vary=True, advice=True
                ),
            }
        )
        weight = _page_weight(base)
    out = {
        "service": "fake" if fake else "real",
        "post_api_plan": load,
        "post_api_plan_cold": cold,
        "results_page": weight,
    }
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"service: {out['service']}, {args.workers} server process(es)")
        rows = {"same profile (plan cache)": load, **cold}
        for name, fig in rows.items():
            print(
                f"POST /api/plan, {name}, {args.clients} clients, {int(fig['requests'])} "
                f"requests: {fig['requests_per_s']:.0f} req/s, p50 {fig['p50_ms']:.0f} ms, "
                f"p95 {fig['p95_ms']:.0f} ms, errors {int(fig['errors'])}"
            )
        print(
            f"results page: {weight['html_bytes'] / 1024:.1f} KiB HTML "
            f"({weight['html_bytes_on_the_wire'] / 1024:.1f} KiB gzipped) + "
            f"{weight['asset_bytes'] / 1024:.1f} KiB CSS/JS = "
            f"{weight['total_bytes'] / 1024:.1f} KiB "
            f"({int(weight['programs_listed'])} programs listed)"
        )
    return out


if __name__ == "__main__":
    main()
