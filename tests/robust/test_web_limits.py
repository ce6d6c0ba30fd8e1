"""Issue 9: request limits answer 413 / 422 naming the field, and nothing answers 500.

Before: ``profile_json`` nested 1,000 deep and a lone surrogate in JSON were 500s.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from smartpick.web import create_app
from smartpick.web.limits import MAX_BODY_BYTES, MAX_DEPTH, MAX_STRING

from .conftest import page_token

JSON = {"content-type": "application/json"}
DEEP = "[" * 1000 + "]" * 1000


def _api(client: TestClient, body: str) -> Any:
    return client.post("/api/plan", content=body.encode("utf-8", "surrogatepass"), headers=JSON)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ('{"specialty": "IM", "x": ' + DEEP + "}", "body", "nested"),
        ('{"specialty": "\\ud800"}', "specialty", "surrogate"),
        ('{"specialty": "IM", "regions": ["\\udfff"]}', "regions.0", "surrogate"),
        ('{"\\ud800": 1}', "body", "surrogate"),
        ('{"specialty": "IM", "budget_usd": NaN}', "body", "NaN"),
        ('{"specialty": "IM", "budget_usd": Infinity}', "body", "Infinity"),
        ('{"specialty": "IM", "budget_usd": 1e400}', "budget_usd", "finite"),
        ('{"specialty": "IM", "budget_usd": ' + "9" * 5000 + "}", "body", "JSON"),
        ('{"specialty": "' + "I" * (MAX_STRING + 1) + '"}', "specialty", "characters"),
        ('{"specialty": "IM",', "body", "JSON"),
    ],
    ids=[
        "deep",
        "surrogate",
        "surrogate-item",
        "surrogate-key",
        "nan",
        "inf",
        "overflow",
        "long-int",
        "long-string",
        "truncated",
    ],
)
def test_json_limits_answer_422(real_client: TestClient, body: str, field: str, words: str) -> None:
    resp = _api(real_client, body)
    assert resp.status_code == 422, resp.text[:300]
    assert resp.json()["field"] == field
    assert words in resp.json()["error"]


def test_surrogate_escapes_that_pair_are_text(real_client: TestClient) -> None:
    resp = _api(real_client, '{"specialty": "IM", "regions": ["\\ud83d\\ude00"]}')
    assert resp.status_code == 422 and "unknown region" in resp.json()["error"]


def test_a_profile_nested_within_the_limit_is_not_refused_for_depth(
    real_client: TestClient,
) -> None:
    body = '{"specialty": "IM", "regions": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    resp = _api(real_client, body)
    assert resp.status_code == 422 and "nested" not in resp.json()["error"]


def test_body_over_the_limit_is_413(real_client: TestClient) -> None:
    body = json.dumps({"specialty": "IM", "pad": ["x" * 1000] * (MAX_BODY_BYTES // 1000)})
    resp = _api(real_client, body)
    assert resp.status_code == 413 and resp.json()["field"] == "body"
    token = page_token(real_client)
    page = real_client.post("/plan", data={"csrf_token": token, "x": "y" * MAX_BODY_BYTES})
    assert page.status_code == 413 and "larger than" in page.text

    def chunks() -> Any:  # no Content-Length: counted while streaming
        for _ in range(MAX_BODY_BYTES // 4096 + 2):
            yield b" " * 4096

    resp = real_client.post("/api/plan", content=chunks(), headers=JSON)
    assert resp.status_code == 413


@pytest.mark.parametrize(
    "profile_json",
    [
        '{"specialty": ' + DEEP + "}",
        DEEP,
        '{"specialty": "\\ud800"}',
        '{"specialty": "IM", "budget_usd": NaN}',
        '{"specialty": "IM", "budget_usd": 1e999}',
        "{" * 100_000,
    ],
    ids=["deep-value", "deep", "surrogate", "nan", "overflow", "open-braces"],
)
@pytest.mark.parametrize("path", ["/plan", "/edit", "/export.csv", "/export.json", "/save"])
def test_profile_json_limits_on_every_form_route(
    real_client: TestClient, profile_json: str, path: str
) -> None:
    token = page_token(real_client)
    resp = real_client.post(path, data={"csrf_token": token, "profile_json": profile_json})
    assert resp.status_code in (400, 413, 422), (path, resp.status_code, resp.text[:300])
    assert "profile" in resp.text


def _boom_app() -> FastAPI:
    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail in the message")

    @app.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("secret detail in the message")

    return app


def test_last_resort_500_is_plain_and_keeps_the_connection() -> None:
    with TestClient(_boom_app(), raise_server_exceptions=True) as client:  # nothing re-raised
        page = client.get("/boom")
        assert page.status_code == 500
        assert "Something went wrong" in page.text and "secret detail" not in page.text
        assert "Traceback" not in page.text
        assert page.headers["x-frame-options"] == "DENY"  # security headers still on
        api = client.get("/api/boom")
        assert api.status_code == 500 and api.json()["field"] is None
        assert "secret detail" not in api.text
        assert client.get("/api/specialties").status_code == 200


def test_openapi_documents_the_limit_answers(real_client: TestClient) -> None:
    spec = real_client.get("/openapi.json").json()
    answers = spec["paths"]["/api/plan"]["post"]["responses"]
    assert {"200", "413", "415", "422"} <= set(answers)
    assert "nested" in answers["422"]["description"]
    profile = spec["components"]["schemas"]["Profile"]
    assert "Transitional Year" in profile["properties"]["specialty"]["anyOf"][0]["enum"]
    rules = [r["then"].get("properties") for r in profile["allOf"]]
    assert {"usce_months": {"exclusiveMinimum": 0}} in rules
    assert {"exam_failures": {"type": "integer", "minimum": 1}} in rules  # below the pass mark
    visa = [r["then"] for r in profile["allOf"] if "applicant_type" in r["if"]["properties"]]
    assert visa == [{"required": ["visa"]}]  # a non-US IMG must state the visa


def test_after_a_last_resort_500_the_connection_serves_the_next_request() -> None:
    import threading
    import time

    import httpx
    import uvicorn

    from ..web.server import free_port

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(_boom_app(), host="127.0.0.1", port=port, log_level="critical")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for _ in range(3):  # one keep-alive connection: 500, then answers, again and again
                assert client.get("/api/boom").status_code == 500
                assert client.get("/api/specialties").status_code == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)
