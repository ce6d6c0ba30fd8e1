"""The benchmark tools' own behaviour (their figures are measured, not tested)."""

from __future__ import annotations

import asyncio
import json

import pytest
from benchmarks import bench_instructions
from benchmarks.bench_load import DISTINCT, profile

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
