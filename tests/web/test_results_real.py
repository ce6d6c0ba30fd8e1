"""The results page over the real planner and catalog (no fake): what the headline says for a
non-US IMG who needs an H-1B (issue 11, visa honesty) and for the signals the odds assume."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.web import create_app

from .conftest import PROFILE, csrf


@pytest.fixture(scope="module")
def client(shipped_db: Path) -> Iterator[TestClient]:
    store = SQLiteStore(":memory:")
    with TestClient(create_app(Planner(shipped_db, store), store)) as c:
        yield c


def _results(client: TestClient, **changes: str) -> str:
    data = {**PROFILE, **changes, "csrf_token": csrf(client)}
    resp = client.post("/plan", data={k: v for k, v in data.items() if v is not None})
    assert resp.status_code == 200, resp.text[:500]
    return resp.text


def test_unknown_visa_sponsorship_is_counted_in_the_headline(client: TestClient) -> None:
    page = _results(client, applicant_type="non_us_img", visa="h1b", step2_score="240")
    found = re.search(r'id="visa-unknown">(\d+) of the (\d+) listed programs', page)
    assert found, "the headline counts the programs whose H-1B sponsorship is unknown"
    unknown, listed = int(found[1]), int(found[2])
    assert 0 < unknown < listed
    assert page.count(">unknown</td>") >= unknown  # and the table's visa column marks them


def test_the_headline_names_the_signals_the_odds_assume(client: TestClient) -> None:
    page = _results(client, step2_score="235", signals="on")  # the form ticks it by default
    line = re.search(r'id="signals-line">The odds assume you send the (\d+) program signals', page)
    assert line and int(line[1]) == 15  # Internal Medicine: 3 gold + 12 silver
