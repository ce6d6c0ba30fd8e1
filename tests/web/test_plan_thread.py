"""Every plan the app makes runs in the plan thread (``planning.in_plan_thread``): one at a
time per process, the event loop free meanwhile. A results page's plan and a save's plan each
take 0.3 s longer here (the real planner behind a delay); a request sent during them is
answered before they end."""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from smartpick.config import TODAY_ENV
from smartpick.planner import Planner
from smartpick.web import create_app

from .conftest import PROFILE

HOLD = 0.3


class HeldPlanner:
    """The real planner, each plan held :data:`HOLD` seconds longer; counts plans at once."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        self.running = self.peak = 0
        self._lock = threading.Lock()

    def plan(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            time.sleep(HOLD)
            return self.planner.plan(*args, **kwargs)
        finally:
            with self._lock:
                self.running -= 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.planner, name)


@pytest.fixture
def held(tmp_path: Path, shipped_db: Path) -> Iterator[HeldPlanner]:
    db = tmp_path / "catalog.sqlite"
    shutil.copy(shipped_db, db)
    with Planner(db=db) as planner:  # its store beside the catalog copy
        yield HeldPlanner(planner)


def _client(held: HeldPlanner) -> httpx.AsyncClient:
    app = create_app(held, held.planner.store)
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", timeout=60)


async def _answered_meanwhile(client: httpx.AsyncClient, slow: asyncio.Task[Any]) -> bool:
    """Whether a quick request sent while ``slow`` plans is answered before ``slow`` ends."""
    await asyncio.sleep(HOLD / 3)
    assert not slow.done()
    quick = await client.get("/api/specialties")
    assert quick.status_code == 200
    return not slow.done()


def test_a_results_page_plans_in_the_plan_thread_and_leaves_the_loop_free(
    held: HeldPlanner,
) -> None:
    async def main() -> tuple[bool, httpx.Response]:
        async with _client(held) as client:
            form = await client.get("/")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token is not None
            data = {**PROFILE, "csrf_token": token.group(1)}
            page = asyncio.ensure_future(client.post("/plan", data=data))
            free = await _answered_meanwhile(client, page)
            return free, await page

    free, page = asyncio.run(main())
    assert page.status_code == 200 and "Internal Medicine" in page.text
    assert free  # the loop answered while the page's plan ran


def test_saves_plan_one_at_a_time_in_the_plan_thread(held: HeldPlanner) -> None:
    async def main() -> tuple[bool, list[httpx.Response]]:
        async with _client(held) as client:
            body = {
                "profile": {"specialty": "Internal Medicine", "step2_score": 225},
                "exclude": [],
                "include": [],
            }
            saves = [
                asyncio.ensure_future(
                    client.post("/api/plans", json=body, params={"advice": "false"})
                )
                for _ in range(3)
            ]
            free = await _answered_meanwhile(client, saves[-1])
            return free, list(await asyncio.gather(*saves))

    free, saved = asyncio.run(main())
    assert [r.status_code for r in saved] == [201, 201, 201]
    assert len({r.json()["id"] for r in saved}) == 3
    assert held.peak == 1  # one plan at a time (FastAPI's own pool would have run three)
    assert free


def test_a_page_save_and_an_export_plan_and_build_off_the_loop(held: HeldPlanner) -> None:
    """``POST /save`` (the plan, the store's write and the page) and ``POST /export.csv`` (the
    plan and the file) leave the loop free, and still give their answers."""

    async def main() -> tuple[list[bool], httpx.Response, httpx.Response]:
        async with _client(held) as client:
            form = await client.get("/")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token is not None
            data = {**PROFILE, "csrf_token": token.group(1)}
            free = []
            save = asyncio.ensure_future(client.post("/save", data=data))
            free.append(await _answered_meanwhile(client, save))
            saved = await save
            export = asyncio.ensure_future(client.post("/export.csv", data=data))
            free.append(await _answered_meanwhile(client, export))
            return free, saved, await export

    free, saved, export = asyncio.run(main())
    assert free == [True, True]
    assert saved.status_code == 201 and "delete" in saved.text.lower()
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "Internal Medicine" in export.text


def test_the_tracker_s_odds_run_one_at_a_time_in_the_plan_thread(
    held: HeldPlanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``POST /api/plans/{id}/events`` (its programs screened and estimated), the tracker's page
    and ``GET .../status`` (both re-run the plan's core, ``track.status.run``, held here like
    the plans) go through the plan thread: one at a time, the loop free meanwhile (FastAPI's
    pool of 40 threads ran them all at once)."""
    from smartpick.track import status

    counted = HeldPlanner(held.planner)  # its running / peak counters, around the core's run
    real_run = status.run

    def held_run(*args: Any, **kwargs: Any) -> Any:
        with counted._lock:
            counted.running += 1
            counted.peak = max(counted.peak, counted.running)
        try:
            time.sleep(HOLD)
            return real_run(*args, **kwargs)
        finally:
            with counted._lock:
                counted.running -= 1

    monkeypatch.setattr(status, "run", held_run)
    body = {"profile": {"specialty": "Internal Medicine", "step2_score": 225}}

    app = create_app(held.planner, held.planner.store)  # the tracker needs the planner itself
    transport = httpx.ASGITransport(app=app)

    async def main() -> tuple[bool, list[httpx.Response]]:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", timeout=60
        ) as client:
            monkeypatch.setenv(TODAY_ENV, "2026-07-01")  # saved for the 2027 Match
            saved = await client.post("/api/plans", json=body, params={"advice": "false"})
            assert saved.status_code == 201, saved.text
            monkeypatch.setenv(TODAY_ENV, "2026-11-01")  # tracked in its season
            pid, token = saved.json()["id"], saved.json()["delete_token"]
            hdr = {"X-Plan-Token": token}
            code = saved.json()["plan"]["programs"][0]["program_code"]
            event = {"program_code": code, "status": "applied", "date": "2026-09-20"}
            calls = [
                client.post(f"/api/plans/{pid}/events", json=event, headers=hdr),
                client.get(f"/plans/{pid}/track", headers=hdr),
                client.get(f"/api/plans/{pid}/status", headers=hdr),
            ]
            tasks = [asyncio.ensure_future(c) for c in calls]
            free = await _answered_meanwhile(client, tasks[-1])
            return free, list(await asyncio.gather(*tasks))

    free, answers = asyncio.run(main())
    assert [r.status_code for r in answers] == [201, 200, 200], [r.text[:200] for r in answers]
    assert "%" in answers[1].text  # the tracker page shows the updated odds
    assert counted.peak == 1
    assert free
