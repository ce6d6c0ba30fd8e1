"""A served worker's GC and allocator tuning (``smartpick.web.runtime``, ``smartpick.web.malloc``)
and the plan thread limit."""

from __future__ import annotations

import gc
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import anyio
import pytest
from fastapi.testclient import TestClient

from smartpick.store import SQLiteStore
from smartpick.web import app as app_module
from smartpick.web import create_app, malloc, planning, runtime

from . import fakes


@pytest.fixture
def restore_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restore_gc")
def test_tune_gc_freezes_what_lives_and_raises_the_thresholds() -> None:
    runtime.tune_gc()
    assert gc.get_threshold() == runtime.GC_THRESHOLDS
    assert gc.get_freeze_count() > 0


@pytest.mark.usefixtures("restore_gc")
def test_the_app_tunes_the_gc_when_it_starts_only_if_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(runtime, "tune_gc", lambda: calls.append("gc"))
    monkeypatch.setattr(app_module, "tune_malloc", lambda: calls.append("malloc") or True)
    with TestClient(create_app(fakes.FakePlanner(), SQLiteStore(":memory:"))):
        pass
    assert calls == []
    app = create_app(fakes.FakePlanner(), SQLiteStore(":memory:"), tune_gc=True)
    assert calls == []  # not when built: when the server starts it
    with TestClient(app):
        assert calls == ["gc", "malloc"]


_FAULTS = """
import resource, sys
import numpy as np
from smartpick.web.malloc import tune_malloc
if sys.argv[1] == "tuned":
    assert tune_malloc()
def plan():  # ten 4 MiB buffers alive at once, then all freed (as a plan's grid and draws)
    bufs = [np.ones(1 << 19) for _ in range(10)]
    del bufs
plan()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    plan()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_a_tuned_worker_reuses_freed_buffers_instead_of_faulting_them_in_again() -> None:
    def faults(mode: str) -> int:
        run = subprocess.run(
            [sys.executable, "-c", _FAULTS, mode], capture_output=True, text=True, check=True
        )
        return int(run.stdout)

    default, tuned = faults("default"), faults("tuned")
    assert default > 20 * 1000  # the freed heap given back, and its pages faulted in anew
    assert tuned < 1000  # the same heap pages each time


def test_plans_run_one_at_a_time_in_worker_threads() -> None:
    running: list[int] = []
    peak = [0]
    lock = threading.Lock()
    loop_thread = threading.get_ident()

    def work(i: int) -> int:
        assert threading.get_ident() != loop_thread
        with lock:
            running.append(i)
            peak[0] = max(peak[0], len(running))
        time.sleep(0.01)
        with lock:
            running.remove(i)
        return i * i

    async def main() -> list[int]:
        out: list[int] = []

        async def one(i: int) -> None:
            out.append(await planning.in_plan_thread(lambda: work(i)))

        async with anyio.create_task_group() as tg:
            for i in range(6):
                tg.start_soon(one, i)
        return out

    assert sorted(anyio.run(main)) == [i * i for i in range(6)]
    assert peak[0] == planning.PLAN_THREADS == 1


def test_workers_are_started_with_one_malloc_arena_unless_the_operator_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(malloc.ARENA_ENV, "")  # so that the test's own value is undone after
    monkeypatch.delenv(malloc.ARENA_ENV)
    malloc.limit_worker_arenas()
    assert os.environ[malloc.ARENA_ENV] == "1"
    monkeypatch.setenv(malloc.ARENA_ENV, "4")
    malloc.limit_worker_arenas()
    assert os.environ[malloc.ARENA_ENV] == "4"
