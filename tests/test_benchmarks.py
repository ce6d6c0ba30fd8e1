"""The benchmark tools' own behaviour (their figures are measured, not tested)."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import time
from typing import Any

import pytest
from benchmarks import bench_instructions
from benchmarks.bench_load import DISTINCT, cpu_by_process, profile, verdict, worker_shares

from smartpick.store import SQLiteStore
from smartpick.web import create_app
from tests.web import fakes


def test_the_instruction_counts_driver_posts_plans_through_the_whole_app() -> None:
    app = create_app(fakes.FakePlanner(), SQLiteStore(":memory:"))

    async def post(body: bytes) -> int:
        async with app.router.lifespan_context(app):
            return await bench_instructions._post(app, body, "false")

    assert asyncio.run(post(json.dumps(profile(7, DISTINCT)).encode())) == 200
    assert asyncio.run(post(b"{")) == 422  # a bad body is answered, not a crash


def test_the_instruction_counts_refuse_no_requests_by_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        bench_instructions.main(["--requests", "0"])
    assert "--requests: 0 is not allowed" in capsys.readouterr().err


def _spin(seconds: float, started: Any, go: Any, done: Any, release: Any) -> None:
    started.set()
    go.wait(60)
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    done.set()
    release.wait(60)


def test_the_load_s_worker_shares_count_spawned_workers_only() -> None:
    """Two spawned processes burn 0.3 s and 0.1 s of CPU between two readings: shares of
    about 3/4 and 1/4; the test's own process (their parent) is no worker and is left out."""
    ctx = multiprocessing.get_context("spawn")
    go, release = ctx.Event(), ctx.Event()
    events = [(ctx.Event(), ctx.Event()) for _ in range(2)]
    procs = [
        ctx.Process(target=_spin, args=(s, started, go, done, release))
        for s, (started, done) in zip((0.3, 0.1), events, strict=True)
    ]
    for p in procs:
        p.start()
    try:
        assert all(started.wait(120) for started, _ in events)
        before = cpu_by_process(os.getpid())
        go.set()
        assert all(done.wait(60) for _, done in events)
        shares = worker_shares(before, cpu_by_process(os.getpid()))
    finally:
        go.set()
        release.set()
        for p in procs:
            p.join(60)
    assert len(shares) == 2 and sum(shares) == pytest.approx(1.0, abs=0.01)
    assert shares[0] == pytest.approx(0.75, abs=0.08)


def test_the_load_says_whether_a_phase_meets_the_issue_s_target() -> None:
    fast = {"errors": 0, "requests_per_s": 200.6, "p95_ms": 89.1}
    assert verdict(fast, False, 2, 205.0).endswith(": met")
    assert verdict({**fast, "p95_ms": 148.9}, False, 2, 205.0).endswith("not met")
    assert verdict({**fast, "requests_per_s": 185.0}, False, 2, 205.0).endswith("not met")
    assert verdict({**fast, "errors": 1}, False, 2, 205.0).endswith("not met")
    assert "open loop" in verdict(fast, False, 2, None)  # closed loop: latency not measured
    assert "not measured" in verdict(fast, False, 1, 205.0)
    slow = {"errors": 0, "requests_per_s": 58.6, "p95_ms": 189.0}
    assert verdict(slow, True, 2, None).endswith("not met")  # with advice: >= 60/s, any p95
    assert verdict({**slow, "requests_per_s": 61.0}, True, 2, None).endswith(": met")
