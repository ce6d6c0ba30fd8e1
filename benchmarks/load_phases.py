"""The two ways :mod:`benchmarks.bench_load` drives the server, and the figures of a phase.

- **Closed loop** (:func:`closed_phase`): ``clients`` tasks, each sending its next request as
  soon as the last is answered. Throughput is what the server sustains; latency is then fixed by
  the client count (Little's law: mean latency = clients / throughput, so 20 clients at 200/s wait
  100 ms on average however fast each plan is).
- **Open loop** (:func:`open_phase`): requests arrive at ``rate`` a second (Poisson arrivals, a
  fixed seed) whatever the server does, and each one's latency runs from the moment it was due,
  so the time it waited for a free connection counts (no coordinated omission). This is the
  figure of "N plans a second with p95 under T": a server that keeps up shows its own latency,
  one that does not shows a growing queue.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import numpy as np

from benchmarks.light_client import Answer, LightConnection

__all__ = ["closed_phase", "open_phase", "summarise"]

#: What a failed exchange raises (a transport error, a timeout, a malformed answer).
_FAILURES = (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError)


class _Tally:
    """Latencies, errors and saved ids of one phase."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def answered(self, resp: Answer, seconds: float) -> None:
        self.latencies.append(seconds)
        if resp.status // 100 != 2:
            self.errors.append(f"{resp.status}")
        elif self.path == "/api/plans":
            self.ids.append(resp.json()["id"])

    def failed(self, exc: BaseException) -> None:
        self.errors.append(type(exc).__name__)


async def closed_phase(
    base: str,
    path: str,
    body_of: Any,
    clients: int,
    duration: float,
    params: dict[str, str],
    max_requests: int | None = None,
    first: int = 0,
) -> dict[str, Any]:
    """``clients`` tasks posting to ``path`` for ``duration`` seconds (or ``max_requests``);
    task k sends bodies ``first + k``, ``first + k + clients``, ..."""
    tally = _Tally(path)
    deadline = time.monotonic() + duration
    host, port = base.removeprefix("http://").rsplit(":", 1)
    sent = [0]

    async def worker(k: int) -> None:
        i = first + k
        conn = LightConnection(host, int(port))
        try:
            while time.monotonic() < deadline and (max_requests is None or sent[0] < max_requests):
                sent[0] += 1
                started = time.perf_counter()
                try:
                    resp = await conn.post_json(path, body_of(i), params)
                except _FAILURES as exc:
                    tally.failed(exc)
                    continue
                tally.answered(resp, time.perf_counter() - started)
                i += clients
        finally:
            await conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(clients)))
    elapsed = time.perf_counter() - t0
    return summarise(tally, elapsed, await _lost(base, tally.ids, clients))


async def open_phase(
    base: str,
    path: str,
    body_of: Any,
    rate: float,
    requests: int,
    params: dict[str, str],
    connections: int,
    first: int = 0,
    seed: int = 0,
) -> dict[str, Any]:
    """``requests`` posts to ``path`` arriving at ``rate`` a second (exponential gaps drawn with
    ``seed``), bodies ``first``, ``first + 1``, ...; each takes a free keep-alive connection of
    ``connections`` (waiting for one when all are busy: the wait is part of its latency)."""
    tally = _Tally(path)
    host, port = base.removeprefix("http://").rsplit(":", 1)
    pool: asyncio.Queue[LightConnection] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(LightConnection(host, int(port)))
    due = np.cumsum(np.random.default_rng(seed).exponential(1.0 / rate, requests))
    behind = 0.0  # how late the sender was at worst

    async def one(i: int, at: float) -> None:
        conn = await pool.get()
        try:
            resp = await conn.post_json(path, body_of(i), params)
        except _FAILURES as exc:
            tally.failed(exc)
        else:
            tally.answered(resp, time.perf_counter() - at)
        finally:
            pool.put_nowait(conn)

    t0 = time.perf_counter()
    tasks = []
    for j, offset in enumerate(due.tolist()):
        at = t0 + offset
        wait = at - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        else:
            behind = max(behind, -wait)
        tasks.append(asyncio.create_task(one(first + j, at)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    while not pool.empty():
        await pool.get_nowait().close()
    out = summarise(tally, elapsed, await _lost(base, tally.ids, connections))
    out["offered_per_s"] = round(requests / float(due[-1]), 1) if requests else 0.0
    out["sender_behind_ms"] = round(behind * 1000, 1)
    return out


async def _lost(base: str, ids: list[str], connections: int) -> int:
    """How many acknowledged saves cannot be fetched back (a fresh client: the server closes
    connections left idle while the last answers came)."""
    if not ids:
        return 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as fresh:
        sem = asyncio.Semaphore(connections)

        async def check(plan_id: str) -> bool:
            async with sem:
                r = await fresh.get(f"/api/plans/{plan_id}")
                return r.status_code == 200

        return sum(not ok for ok in await asyncio.gather(*(check(i) for i in ids)))


def summarise(tally: _Tally, elapsed: float, lost: int) -> dict[str, Any]:
    """A phase's figures: requests, errors, throughput and latency percentiles (ms)."""
    lat = np.array(tally.latencies) * 1000 if tally.latencies else np.array([np.nan])
    errors = tally.errors
    out: dict[str, Any] = {
        "requests": len(tally.latencies) + sum(e[0].isalpha() for e in errors),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "seconds": round(elapsed, 1),
        "requests_per_s": round(len(tally.latencies) / elapsed, 1),
        "p50_ms": round(float(np.percentile(lat, 50)), 1),
        "p95_ms": round(float(np.percentile(lat, 95)), 1),
        "p99_ms": round(float(np.percentile(lat, 99)), 1),
        "max_ms": round(float(np.max(lat)), 1),
    }
    if tally.path == "/api/plans":
        out["saved"] = len(tally.ids)
        out["lost"] = lost
    return out
